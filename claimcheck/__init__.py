"""claimcheck: summaries and attributable claims for news articles, every quote an exact span."""

from .api import ClaimCheck
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
    Chunk,
    Claim,
    ClaimSet,
    ClaimStats,
    IngestFailure,
    IngestReport,
    ModelResult,
    Quote,
    Report,
    Summary,
    SummarySentence,
    Usage,
    Verdict,
)
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Answer",
    "AnswerSentence",
    "Article",
    "Chunk",
    "Claim",
    "ClaimCheck",
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
    "StoreError",
    "Summary",
    "SummarySentence",
    "Usage",
    "Verdict",
    "__version__",
]
