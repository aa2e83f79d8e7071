"""claimcheck: summaries and attributable claims for news articles, every quote an exact span."""

from .api import ClaimCheck
from .errors import ClaimcheckError, EmbeddingError, InputError, NotFound, StoreError
from .models import Article, Chunk, IngestFailure, IngestReport, Quote
from .settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Chunk",
    "ClaimCheck",
    "ClaimcheckError",
    "EmbeddingError",
    "IngestFailure",
    "IngestReport",
    "InputError",
    "NotFound",
    "Quote",
    "Settings",
    "StoreError",
    "__version__",
]
