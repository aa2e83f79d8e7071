"""The chat model every task shares: built on first use (the embedded server starts then), at
most ``Settings.concurrency`` calls in flight however many threads ask, and the embedded server
restarted once when it stops answering."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from langchain_core.language_models import BaseChatModel

from . import llm
from .errors import ModelError
from .settings import Settings

T = TypeVar("T")
log = logging.getLogger(__name__)


class ModelRunner:
    """Runs tasks on the chat model: the one given, or the configured one (the embedded
    llama.cpp server unless a hosted server is set)."""

    def __init__(self, settings: Settings, chat_model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.given = chat_model is not None
        self._chat = chat_model
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(settings.concurrency)

    @property
    def model(self) -> BaseChatModel:
        """The chat model, built (and the embedded server started) on first use."""
        with self._lock:
            if self._chat is None:
                self._chat = llm.chat_model(self.settings, max_tokens=1024)
            return self._chat

    def run(self, task: Callable[[BaseChatModel], T]) -> T:
        """``task(model)``; when the embedded server has stopped answering, it is restarted and
        the task runs once more (a hosted or given model is not ours to restart)."""
        with self._slots:
            try:
                return task(self.model)
            except ModelError as exc:
                if not exc.retryable or self.given or self.settings.hosted:
                    raise
                log.warning("the embedded model did not answer (%s); restarting it", exc)
                llm.embedded_server(self.settings, restart=True)
                self.forget()  # rebuilt on the new server's address
                return task(self.model)

    def forget(self) -> None:
        """Build the configured chat model anew on next use (after its server was replaced)."""
        if not self.given:
            with self._lock:
                self._chat = None

    def start_soon(self) -> None:
        """Start the embedded server in the background when nothing started it yet, while the
        caller does other work; a failure is reported by the call that needs the model."""
        if self._chat is None and not self.given:
            threading.Thread(target=self._start, daemon=True).start()

    def _start(self) -> None:
        try:
            self.model  # noqa: B018 - the property starts it
        except Exception:  # noqa: BLE001 - the call that needs the model raises it again
            return

    @property
    def ready(self) -> bool:
        """True once the chat model exists."""
        return self._chat is not None

    def state(self) -> str:
        """``not started``, ``ready``, ``down`` (embedded, restarted on the next request) or
        ``external`` (a hosted or given model, not probed)."""
        if self.given or self.settings.hosted:
            return "external"
        return llm.embedded_state(self.settings) if self._chat is not None else "not started"

    @property
    def id(self) -> str:
        """Names the model in caches and reports: ``local:``, ``openai:`` or ``custom:...``."""
        if self.given:
            return f"custom:{getattr(self._chat, 'model_name', type(self._chat).__name__)}"
        return llm.model_id(self.settings)
