"""A scripted chat model that records what it was asked."""

from __future__ import annotations

import json
import math
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from evals.fake_openai import minimal


class NothingQueued(BaseException):
    """A scripted model called more often than the test planned (a BaseException, so that no
    ``except Exception`` in the code under test turns it into an ordinary error)."""


class ScriptedModel(BaseChatModel):
    """Answers the responses queued with :meth:`enqueue`, in order (dicts are sent as JSON),
    and records every call's messages and keyword arguments (``response_format``,
    ``max_tokens``). A call with nothing queued fails the test: it names what was asked."""

    queue: list[str] = []
    calls: list[dict[str, Any]] = []

    def __init__(self, responses: list[Any] | None = None) -> None:
        super().__init__(queue=[], calls=[])
        self.enqueue(*(responses or []))

    def enqueue(self, *responses: Any) -> ScriptedModel:
        """Queue answers for the next calls; returns the model."""
        self.queue.extend(r if isinstance(r, str) else json.dumps(r) for r in responses)
        return self

    def _generate(
        self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self.calls.append({"messages": messages, **kwargs})
        if not self.queue:
            asked = kwargs.get("response_format", {}).get("json_schema", {}).get("name", "text")
            raise NothingQueued(f"the scripted model was called ({asked}) with nothing queued")
        message = AIMessage(content=self.queue.pop(0))
        return ChatResult(generations=[ChatGeneration(message=message)])

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def response_schema(self, call: int = -1) -> dict[str, Any]:
        """The JSON schema the given call (the last by default) was held to."""
        schema: dict[str, Any] = self.calls[call]["response_format"]["json_schema"]["schema"]
        return schema


class SchemaModel(FakeListChatModel):
    """Answers every structured call with the smallest valid instance of its schema, and a
    yes/no question with yes."""

    responses: list[str] = ["{}"]  # unused: every answer is made from the request

    def _call(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> str:
        if "response_format" not in kwargs:
            return "yes"  # a yes/no question
        return json.dumps(minimal(kwargs["response_format"]["json_schema"]["schema"]))


class JudgeModel(BaseChatModel):
    """A checking model: the scripted JSON judgement for the reason call and, for the yes/no
    calls, "Yes" or "No" with, when asked for them, top log-probabilities that put ``yes`` on
    yes for the support question and ``contradicts`` on yes for the contradiction question
    (tokens spelled as servers spell them, plus one that is neither)."""

    judgement: dict[str, Any]
    yes: float
    contradicts: float = 0.0
    calls: list[dict[str, Any]] = []

    def _generate(
        self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        self.calls.append({"messages": messages, **kwargs})
        if "response_format" in kwargs:
            message = AIMessage(content=json.dumps(self.judgement))
        else:
            asked = str(messages[-1].content)
            yes = self.contradicts if "contradicts the claim" in asked else self.yes
            text = "Yes" if yes >= 0.5 else "No"
            top = [
                {"token": "Yes", "logprob": math.log(max(yes, 1e-9) * 0.9)},
                {"token": " no", "logprob": math.log(max(1 - yes, 1e-9) * 0.9)},
                {"token": "Maybe", "logprob": math.log(0.1)},
            ]
            logprobs = {"content": [{"token": text, "logprob": -0.1, "top_logprobs": top}]}
            meta = {"logprobs": logprobs} if kwargs.get("logprobs") else {}
            message = AIMessage(content=text, response_metadata=meta)
        return ChatResult(generations=[ChatGeneration(message=message)])

    @property
    def _llm_type(self) -> str:
        return "judge-fake"


def claims_answer(text: str) -> dict[str, Any]:
    """A well-formed claims answer for ``text``: one item for each attribution the model is
    asked about (those the parser named by pronoun or not at all), naming the parser's own
    proposal (or, with none, the first capitalized word) and rewriting nothing usable."""
    from claimcheck.attribution import find_candidates
    from claimcheck.claims import decide

    items = []
    for draft in decide(text, find_candidates(text)):
        if draft.needs_model:
            name = draft.speaker or next(w for w in text.split() if w[:1].isupper())
            items.append({"speaker": name, "claim": "x"})
    return {"claims": items}
