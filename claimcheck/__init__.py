"""claimcheck: summaries and attributable claims for news articles, every quote an exact span.

``ClaimCheck`` is imported on first use (PEP 562), so that ``import claimcheck.llm`` does not
pay for LangChain's OpenAI client, Chroma and spaCy: the command line starts the embedded
model while they load.
"""

from typing import TYPE_CHECKING, Any

from .errors import (
    ClaimcheckError,
    EmbeddingError,
    InputError,
    ModelError,
    NotFound,
    QueueFull,
    StoreError,
)
from .models import (
    Answer,
    AnswerSentence,
    Article,
    BatchFailure,
    BatchReport,
    Chunk,
    Claim,
    ClaimHit,
    ClaimSet,
    ClaimStats,
    IngestFailure,
    IngestReport,
    ModelResult,
    Quote,
    Report,
    Speaker,
    Summary,
    SummarySentence,
    Usage,
    Verdict,
)
from .settings import Settings

if TYPE_CHECKING:
    from .api import ClaimCheck

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "ClaimCheck":
        from .api import ClaimCheck

        return ClaimCheck
    raise AttributeError(f"module 'claimcheck' has no attribute {name!r}")


__all__ = [
    "Answer",
    "AnswerSentence",
    "Article",
    "BatchFailure",
    "BatchReport",
    "Chunk",
    "Claim",
    "ClaimCheck",
    "ClaimHit",
    "ClaimSet",
    "ClaimStats",
    "ClaimcheckError",
    "EmbeddingError",
    "IngestFailure",
    "IngestReport",
    "InputError",
    "ModelError",
    "ModelResult",
    "NotFound",
    "QueueFull",
    "Quote",
    "Report",
    "Settings",
    "Speaker",
    "StoreError",
    "Summary",
    "SummarySentence",
    "Usage",
    "Verdict",
    "__version__",
]
