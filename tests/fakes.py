"""A scripted chat model that records what it was asked."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.language_models.fake_chat_models import FakeListChatModel


class ScriptedModel(FakeListChatModel):
    """Answers with the given responses in order (dicts are sent as JSON) and records every
    call's messages and keyword arguments (``response_format``, ``max_tokens``)."""

    calls: list[dict[str, Any]] = []

    def __init__(self, responses: list[Any]) -> None:
        texts = [r if isinstance(r, str) else json.dumps(r) for r in responses]
        super().__init__(responses=texts, calls=[])

    def _call(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> str:
        self.calls.append({"messages": messages, **kwargs})
        return super()._call(messages, stop, run_manager, **kwargs)

    def schema(self, call: int = -1) -> dict[str, Any]:
        return self.calls[call]["response_format"]["json_schema"]["schema"]
