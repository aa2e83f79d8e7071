"""One settings object: explicit argument > environment variable > default.

Field ``x`` comes from ``CLAIMCHECK_X``; the provider's two fields keep the names every OpenAI
client reads, ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of :class:`claimcheck.ClaimCheck`; field ``x`` comes from ``CLAIMCHECK_X``."""

    model_config = SettingsConfigDict(
        env_prefix="CLAIMCHECK_", extra="forbid", populate_by_name=True
    )

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
    model: str | None = Field(
        default=None,
        description="Chat model name: an OpenAI model when OPENAI_API_KEY or OPENAI_BASE_URL is "
        "set (default gpt-4o-mini), else one of the packaged local models (default "
        "qwen2.5-coder-1.5b).",
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("openai_base_url", "OPENAI_BASE_URL"),
        description="An OpenAI-compatible server (vLLM, llama.cpp, Ollama) instead of the "
        "embedded model; read from OPENAI_BASE_URL.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("openai_api_key", "OPENAI_API_KEY"),
        description="Key for OpenAI or the server at openai_base_url; read from OPENAI_API_KEY.",
    )
    model_path: Path | None = Field(
        default=None, description="A GGUF file for the embedded server instead of a packaged one."
    )
    threads: int = Field(
        default_factory=lambda: max(1, os.cpu_count() or 1),
        ge=1,
        description="CPU threads of the embedded model.",
    )
    support_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Support probability at or above which a checked claim is supported; unset "
        "= the packaged model's calibrated value, 0.5 for any other model.",
    )
    check_view: Literal["evidence", "article"] | None = Field(
        default=None,
        description="What a check shows the model before the claim: 'evidence', the best "
        "sentences alone (the article's sentences closest to the claim and those holding its "
        "facts), or 'article', the whole article (its read prefix cached and reused by every "
        "check on it); unset = the packaged model's choice ('evidence' for qwen2.5-coder-1.5b), "
        "'article' for any other model.",
    )
    context_tokens: int = Field(
        default=8192, ge=1024, description="Context window of the embedded model, in tokens."
    )

    api_key: str | None = Field(
        default=None, description="When set, the HTTP API requires `Authorization: Bearer <key>`."
    )
    max_body_bytes: int = Field(
        default=2_000_000, ge=1024, description="Largest HTTP request body accepted."
    )
    queue_size: int = Field(
        default=8, ge=0, description="HTTP requests that may wait for the model; more get 429."
    )
    model_concurrency: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="Model calls that may be in flight at once (HTTP service, batch work, "
        "eval); unset means 1 for the embedded model and 8 for an OpenAI-compatible server.",
    )
    model_slots: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Parallel sequences of the embedded llama.cpp server (each gets the full "
        "context); more than 1 only pays on machines with more cores.",
    )
    prompt_cache_mib: int = Field(
        default=2048,
        ge=0,
        le=65536,
        description="RAM the embedded llama.cpp server may keep read prompts in (several "
        "articles at ~40 MB each), so that going back to an article does not read it again; "
        "0 turns it off.",
    )
    kv_cache_mib: int = Field(
        default=2048,
        ge=0,
        le=1_000_000,
        description="Disk under CLAIMCHECK_HOME/kv for the embedded model's read articles, so "
        "that a new process checks a known article in seconds; oldest removed first; 0 "
        "turns it off.",
    )
    shutdown_seconds: int = Field(
        default=10,
        ge=0,
        description="On SIGTERM, how long `claimcheck serve` lets requests in flight finish; "
        "what is cut off then is rolled back (no half-stored article) or reported failed.",
    )

    allow_fetch: bool = Field(
        default=True,
        description="Whether `POST /articles` may fetch a URL or a feed for its caller (the CLI "
        "and the Python API always may).",
    )
    fetch_private: bool = Field(
        default=False,
        description="Whether a fetch may go to loopback, private or link-local addresses "
        "(off: a service that fetches URLs for anyone must not reach the machines behind it).",
    )
    fetch_timeout: float = Field(
        default=20.0, gt=0, le=300, description="Seconds a fetch may take to connect or read."
    )
    max_fetch_bytes: int = Field(
        default=5_000_000, ge=10_000, description="Largest page or feed a fetch downloads."
    )

    @field_validator("home", "model_path")
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @property
    def hosted(self) -> bool:
        """True when the model is OpenAI or another OpenAI-compatible server."""
        return bool(self.openai_api_key or self.openai_base_url)

    @property
    def concurrency(self) -> int:
        """How many model calls may be in flight: ``model_concurrency``, else 1 embedded and
        8 hosted."""
        if self.model_concurrency is not None:
            return self.model_concurrency
        return 8 if self.hosted else self.model_slots

    @field_validator("openai_base_url", "openai_api_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

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
