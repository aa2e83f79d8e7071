"""Request bodies, and an article without its text for listings. Responses are otherwise the
pydantic models of the Python API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ArticleIn(BaseModel):
    text: str = Field(description="The article's full text.")
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: datetime | None = None


class ArticleInfo(BaseModel):
    """An article without its text, for listings."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    published: datetime | None
    ingested_at: datetime
    chunk_count: int


class CheckIn(BaseModel):
    claim: str
    article_id: str | None = None
    k: int = Field(default=8, ge=1, le=50)


class CheckTextIn(BaseModel):
    text: str
    article_id: str


class AskIn(BaseModel):
    question: str
    article_ids: list[str] | None = None
    k: int = Field(default=8, ge=1, le=50)
    source: str | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None
