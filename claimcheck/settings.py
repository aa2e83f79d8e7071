"""One settings object: explicit argument > ``CLAIMCHECK_*`` environment variable > default."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of :class:`claimcheck.ClaimCheck`; field ``x`` comes from ``CLAIMCHECK_X``."""

    model_config = SettingsConfigDict(env_prefix="CLAIMCHECK_", extra="forbid")

    home: Path = Field(
        default=Path("~/.claimcheck"),
        description="Data directory: the embedded Chroma store, embedding model files, caches.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="http://host:port of a Chroma server (`chroma run`); unset = embedded store.",
    )
    collection_prefix: str = Field(
        default="claimcheck",
        description="Prefix of the Chroma collection names, to keep several stores on one server.",
    )
    chunk_chars: int = Field(default=800, ge=200, le=4000, description="Target chunk size.")
    chunk_overlap_chars: int = Field(
        default=200, ge=0, le=2000, description="Sentences carried over between chunks, in chars."
    )
    max_article_chars: int = Field(
        default=1_000_000, ge=1, description="Longest article accepted, in characters."
    )

    @field_validator("home")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                f"CLAIMCHECK_CHROMA_URL must start with http:// or https://: {value!r}"
            )
        return value.rstrip("/")
