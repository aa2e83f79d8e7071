"""Every error claimcheck raises on purpose derives from one root.

    ClaimcheckError
    ├── InputError      bad input: empty, binary, not UTF-8, unknown extension, too large
    ├── NotFound        an unknown id (an article, a job)
    ├── QueueFull       too many requests are already waiting for the model
    ├── StoreError      the Chroma store failed or is unreachable
    ├── EmbeddingError  the offline embedding model is missing or corrupt
    └── ModelError      the chat model is missing, unreachable, or answered something unusable

Library errors are converted at the edge with ``raise ... from exc`` so the cause stays visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class ClaimcheckError(Exception):
    """Root of every error claimcheck raises on purpose."""


class InputError(ClaimcheckError, ValueError):
    """Input that cannot be ingested or used; ``source`` names the file or field at fault."""

    def __init__(self, reason: str, source: str | None = None) -> None:
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)


class NotFound(ClaimcheckError, KeyError):
    """Nothing of this kind ("article", "job") has this id."""

    def __init__(self, kind: str, id: str) -> None:
        self.kind = kind
        self.id = id
        super().__init__(kind, id)

    def __str__(self) -> str:
        stored = "stored " if self.kind == "article" else ""
        return f"no {stored}{self.kind} has id {self.id!r}"


class QueueFull(ClaimcheckError):
    """Too many requests are already waiting for the model; try again later."""


class StoreError(ClaimcheckError):
    """The article store (embedded Chroma or a Chroma server) failed."""


class EmbeddingError(ClaimcheckError):
    """The offline embedding model files are missing or do not match their checksums."""


class ModelError(ClaimcheckError):
    """The chat model could not be loaded or reached, or its answer was unusable.

    ``provider`` names the server ("local" or "openai"), ``raw`` holds what came back (if
    anything) and ``retryable`` tells whether trying again may help.
    """

    def __init__(
        self, message: str, *, provider: str | None = None, raw: str | None = None,
        retryable: bool = False,
    ) -> None:  # fmt: skip
        self.provider = provider
        self.raw = raw
        self.retryable = retryable
        super().__init__(message)


def validation_message(errors: Iterable[Mapping[str, Any]], empty: str = "value") -> str:
    """Pydantic's (or FastAPI's) validation errors as one line: ``field: problem; ...``.

    ``empty`` names the location of an error that has none (the whole value or body).
    """
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or empty}: {error['msg']}"
        for error in errors
    )
