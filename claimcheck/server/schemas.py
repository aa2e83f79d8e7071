"""Request bodies, and an article without its text for listings. Responses are otherwise the
pydantic models of the Python API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, model_validator

from ..models import MAX_CLAIM_CHARS, MAX_SOURCE_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS, Article
from ..text import SOME_TEXT

_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _written(value: object) -> object:
    """A date as the schema says it: an ISO 8601 string (a bare number, even as a string in
    a query, is not taken as a Unix timestamp, which pydantic would otherwise do)."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("a date or date-time like 2026-03-14 or 2026-03-14T09:30:00Z")
    return value


WrittenDate = Annotated[datetime | None, BeforeValidator(_written)]
ARTICLE_ID = "^[0-9a-f]{16}$"  # what textlib.article_id makes


class ArticleIn(BaseModel):
    """An article to store, as JSON (or the form fields beside an uploaded file)."""

    text: str | None = Field(
        default=None,
        min_length=1,
        pattern=SOME_TEXT,
        description="The article's full text (not only spaces); without it, `url` is fetched.",
    )
    title: str | None = Field(default=None, max_length=MAX_TITLE_CHARS)
    source: str | None = Field(default=None, max_length=MAX_SOURCE_CHARS)
    url: str | None = Field(
        default=None,
        max_length=MAX_URL_CHARS,
        description="Where it was published; alone (no `text`), the page to fetch and read "
        "(unless CLAIMCHECK_ALLOW_FETCH=false).",
    )
    published: WrittenDate = None
    author: str | None = Field(default=None, max_length=MAX_SOURCE_CHARS)
    site: str | None = Field(default=None, max_length=MAX_SOURCE_CHARS)

    @model_validator(mode="after")
    def _text_or_url(self) -> Self:
        if self.text is None and self.url is None:
            raise ValueError("give the article's text, or a url to fetch")
        return self


class AddedArticle(Article):
    """The stored article, and the job making its claims when ``?claims=true`` asked for it."""

    claims_job: str | None = Field(default=None, description="Poll it at /jobs/{id}.")


class ArticleInfo(BaseModel):
    """An article without its text, for listings."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    published: datetime | None
    author: str | None = None
    site: str | None = None
    ingested_at: datetime
    chunk_count: int


class CheckIn(BaseModel):
    claim: str = Field(min_length=1, max_length=MAX_CLAIM_CHARS, pattern=SOME_TEXT)
    article_id: str | None = None
    k: int = Field(default=8, ge=1, le=50)
    # strict: the schema says boolean, so 0.0 or "yes" is refused, not read as one
    explain: StrictBool = Field(
        default=False, description="Also ask the model for its written reason (slower)."
    )


class CheckTextIn(BaseModel):
    text: str = Field(min_length=1, pattern=SOME_TEXT)
    article_id: str
    explain: StrictBool = Field(
        default=False, description="Also ask the model for its written reasons (slower)."
    )


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_CLAIM_CHARS, pattern=SOME_TEXT)
    article_ids: list[str] | None = None
    k: int = Field(default=8, ge=1, le=50)
    source: str | None = None
    published_after: WrittenDate = None
    published_before: WrittenDate = None


class ErrorDetail(BaseModel):
    type: str = Field(description="The error's kind: InputError, NotFound, QueueFull, ...")
    message: str = Field(description="What was wrong, in words.")


class ErrorBody(BaseModel):
    """Every error answer: JSON, never a stack trace."""

    error: ErrorDetail


def _error(description: str) -> dict[str, object]:
    return {"model": ErrorBody, "description": description}


# The answers every route may give besides its own (declared so clients and fuzzers see them).
ERRORS: dict[int | str, dict[str, object]] = {
    400: _error("Bad input: the message names what was wrong."),
    401: _error("Missing or wrong `Authorization: Bearer` key (when CLAIMCHECK_API_KEY is set)."),
    404: _error("No article or job has this id."),
    413: _error("The request body is over CLAIMCHECK_MAX_BODY_BYTES."),
    422: _error("The request does not fit its schema."),
    429: _error("Too many requests wait for the model; retry after Retry-After seconds."),
    503: _error("The model or the store is unavailable."),
}
