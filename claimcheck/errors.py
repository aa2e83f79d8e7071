"""Every error claimcheck raises on purpose derives from one root.

    ClaimcheckError
    ├── InputError      bad input: empty, binary, not UTF-8, unknown extension, too large
    ├── NotFound        an unknown article id
    ├── StoreError      the Chroma store failed or is unreachable
    ├── EmbeddingError  the offline embedding model is missing or corrupt
    └── ModelError      the chat model is missing, unreachable, or answered something unusable

Library errors are converted at the edge with ``raise ... from exc`` so the cause stays visible.
"""

from __future__ import annotations


class ClaimcheckError(Exception):
    """Root of every error claimcheck raises on purpose."""


class InputError(ClaimcheckError, ValueError):
    """Input that cannot be ingested or used; ``source`` names the file or field at fault."""

    def __init__(self, reason: str, source: str | None = None) -> None:
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)


class NotFound(ClaimcheckError, KeyError):
    """No stored article has this id."""

    def __init__(self, article_id: str) -> None:
        self.article_id = article_id
        super().__init__(article_id)

    def __str__(self) -> str:
        return f"no stored article has id {self.article_id!r}"


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
