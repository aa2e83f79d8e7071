"""``ClaimCheck``: the one object users call. The CLI and the HTTP server are thin layers on it."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import attribution, llm, prompts
from . import claims as claims_module
from . import summarize as summarize_module
from . import text as textlib
from .cache import Cache
from .errors import ClaimcheckError, InputError
from .models import Article, Chunk, Claim, ClaimSet, IngestFailure, IngestReport, Quote, Summary
from .settings import Settings
from .sources import (
    ArticleInput,
    decode,
    expand_paths,
    first_line_title,
    read_file,
    validation_message,
)
from .store import Store

Progress = Callable[[str], None]


class ClaimCheck:
    """Ingest news articles, then search them (summaries, claims and checks build on this).

        cc = ClaimCheck(home="/tmp/cc")
        article = cc.ingest(Path("story.txt"), source="Harbor Gazette")
        hits = cc.search("tunnel cost", k=3)

    Settings come from the arguments, then ``CLAIMCHECK_*`` environment variables, then defaults.
    """

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        chroma_url: str | None = None,
        settings: Settings | None = None,
        chat_model: Any | None = None,
        **overrides: Any,
    ) -> None:
        explicit = {k: v for k, v in {"home": home, "chroma_url": chroma_url}.items() if v}
        if settings is None:
            settings = Settings(**explicit, **overrides)
        elif explicit or overrides:
            settings = settings.model_copy(update={**explicit, **overrides})
        self.settings = settings
        self.store = Store(settings)
        self.cache = Cache(settings.home / "cache")
        self._chat = chat_model
        self._chat_given = chat_model is not None

    def close(self) -> None:
        """Release the store; the object is unusable afterwards."""
        self.store.close()

    def __enter__(self) -> ClaimCheck:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- ingest -----------------------------------------------------------------------------

    def ingest(
        self,
        text_or_path: str | os.PathLike[str],
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: datetime | str | None = None,
    ) -> Article:
        """Store one article and return it; ingesting the same text again returns the stored one.

        ``text_or_path`` is a :class:`~pathlib.Path` (read as .txt/.md/.html), a ``str`` of one
        line that names an existing file, or the article text itself. JSON Lines files and
        folders hold several articles: use :meth:`ingest_files`.
        """
        if isinstance(text_or_path, os.PathLike) or _names_file(text_or_path):
            path = Path(text_or_path)
            items = list(read_file(path))
            if len(items) != 1 or isinstance(items[0], InputError):
                if items and isinstance(items[0], InputError):
                    raise items[0]
                raise InputError("holds several articles; use ingest_files()", str(path))
            item = items[0]
            assert isinstance(item, ArticleInput)
        elif isinstance(text_or_path, str):
            item = ArticleInput(text=text_or_path)
        else:
            raise InputError(f"expected text or a path, got {type(text_or_path).__name__}")
        given = _given(title=title, source=source, url=url, published=published)
        return self._store(_with(item, given))

    def ingest_files(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: datetime | str | None = None,
        progress: Progress | None = None,
        total: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Store every article in the given files and folders (recursively); ``-`` is stdin.

        One bad file or line does not stop the batch: it is reported in ``failed`` and every
        good article is still stored. ``total`` is told the number of files once they are
        listed and ``progress`` is called with each file's name as it is done. ``title``,
        ``source``, ``url`` and ``published``, when given, replace what the files say.
        """
        given = _given(title=title, source=source, url=url, published=published)
        files = list(expand_paths([Path(p) for p in paths]))
        if total is not None:
            total(len(files))
        report = IngestReport()
        for path in files:
            try:
                items = [_stdin_article()] if str(path) == "-" else list(read_file(path))
            except InputError as exc:
                items = [exc]
            for item in items:
                if isinstance(item, InputError):
                    report.failed.append(
                        IngestFailure(source=item.source or str(path), reason=item.reason)
                    )
                    continue
                try:
                    report.ingested.append(self._store(_with(item, given)))
                except ClaimcheckError as exc:
                    reason = exc.reason if isinstance(exc, InputError) else str(exc)
                    report.failed.append(IngestFailure(source=item.origin, reason=reason))
            if progress is not None:
                progress(str(path))
        return report

    def _store(self, item: ArticleInput) -> Article:
        text = item.text
        if not text.strip():
            raise InputError("empty: the article has no text", item.origin)
        if len(text) > self.settings.max_article_chars:
            raise InputError(
                f"too long: {len(text):,} characters, the limit is "
                f"{self.settings.max_article_chars:,} (CLAIMCHECK_MAX_ARTICLE_CHARS)",
                item.origin,
            )
        article_id = textlib.article_id(text)
        if self.store.has(article_id):
            return self.store.get(article_id)
        article = Article(
            id=article_id,
            title=item.title if item.title is not None else first_line_title(text),
            source=item.source,
            url=item.url,
            published=item.published,
            text=text,
            ingested_at=datetime.now(UTC),
        )
        spans = textlib.chunks(
            text,
            textlib.sentences(text),
            size=self.settings.chunk_chars,
            overlap=self.settings.chunk_overlap_chars,
        )
        chunks = [
            Chunk(
                article_id=article_id, index=i, text=text[s.start : s.end], start=s.start, end=s.end
            )
            for i, s in enumerate(spans)
        ]
        return self.store.put(article, chunks)

    # -- read -------------------------------------------------------------------------------

    def articles(self) -> list[Article]:
        """Every stored article, oldest first."""
        return self.store.list()

    def get(self, article_id: str) -> Article:
        """The stored article with its full text; :class:`~claimcheck.errors.NotFound` if none."""
        return self.store.get(article_id)

    def chunks(self, article_id: str) -> list[Chunk]:
        """The article's chunks in order."""
        return self.store.article_chunks(article_id)

    def delete(self, article_id: str) -> None:
        """Remove the article and all its chunks; :class:`~claimcheck.errors.NotFound` if none."""
        self.store.delete(article_id)
        self.cache.drop_article(article_id)

    # -- model tasks ------------------------------------------------------------------------

    @property
    def chat_model(self) -> Any:
        """The chat model every task uses (embedded llama.cpp unless configured otherwise)."""
        if self._chat is None:
            self._chat = llm.chat_model(self.settings, max_tokens=1024)
        return self._chat

    @property
    def model_id(self) -> str:
        """Names the model in caches and reports: ``local:``, ``openai:`` or ``custom:...``."""
        if self._chat_given:
            return f"custom:{getattr(self._chat, 'model_name', type(self._chat).__name__)}"
        return llm.model_id(self.settings)

    def summarize(self, article_id: str, sentences: int = 3, *, refresh: bool = False) -> Summary:
        """A summary of at most ``sentences`` sentences, each citing the article verbatim.

        Cached by article, model and prompt version; ``refresh=True`` makes a new one.
        """
        if not 1 <= sentences <= 10:
            raise InputError(f"sentences must be between 1 and 10, got {sentences}")
        article = self.get(article_id)
        key = {
            "article": article.id,
            "model": self.model_id,
            "prompt": prompts.load("summary").version,
            "code": _source_version(summarize_module),
            "sentences": sentences,
        }
        if not refresh and (hit := self.cache.get("summary", key)) is not None:
            return Summary.model_validate(hit).model_copy(update={"cached": True})
        summary = summarize_module.run(
            article,
            self.chat_model,
            model_id=self.model_id,
            n_sentences=sentences,
            context_tokens=self.settings.context_tokens,
        )
        _verify(article, [q for s in summary.sentences for q in s.citations])
        self.cache.put("summary", key, summary.model_dump(mode="json"))
        return summary

    def claims(self, article_id: str, *, refresh: bool = False) -> list[Claim]:
        """The article's attributable claims: who asserted what, with verbatim quotes."""
        return self.claim_set(article_id, refresh=refresh).claims

    def claim_set(self, article_id: str, *, refresh: bool = False) -> ClaimSet:
        """The claims with how they were found (candidates, drops, tokens, seconds)."""
        article = self.get(article_id)
        key = {
            "article": article.id,
            "model": self.model_id,
            "prompt": prompts.load("claims").version,
            "code": _source_version(attribution) + _source_version(claims_module),
        }
        if not refresh and (hit := self.cache.get("claims", key)) is not None:
            return ClaimSet.model_validate(hit).model_copy(update={"cached": True})
        found, stats = claims_module.extract(
            article, self.chat_model, context_tokens=self.settings.context_tokens
        )
        _verify(article, [q for c in found for q in c.quote])
        result = ClaimSet(
            article_id=article.id,
            claims=found,
            model=self.model_id,
            prompt_version=prompts.load("claims").version,
            stats=stats,
        )
        self.cache.put("claims", key, result.model_dump(mode="json"))
        return result

    def search(self, query: str, k: int = 5, article_id: str | None = None) -> list[Chunk]:
        """The ``k`` chunks most similar to ``query``, best first, optionally in one article."""
        if not query.strip():
            raise InputError("the search query is empty")
        if k < 1:
            raise InputError(f"k must be at least 1, got {k}")
        return self.store.search(query, k=k, article_id=article_id)


def _names_file(value: object) -> bool:
    """True for a one-line string that is the path of an existing file."""
    if not isinstance(value, str) or not 0 < len(value) < 4096 or "\n" in value:
        return False
    try:
        return Path(value).is_file()
    except OSError:  # e.g. a sentence longer than a file name may be
        return False


def _verify(article: Article, quotes: Iterable[Quote]) -> None:
    """Every quote claimcheck returns is ``article.text[start:end]``; anything else is a bug."""
    for quote in quotes:
        if not quote.verify(article):
            raise ClaimcheckError(
                f"internal error: quote {quote.start}:{quote.end} is not verbatim in {article.id}"
            )


def _source_version(module: Any) -> str:
    """A short hash of a module's source: cached results depend on the code that made them."""
    return hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest()[:12]


def _given(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _with(item: ArticleInput, given: dict[str, Any]) -> ArticleInput:
    """The item with the caller's metadata in place of its own, validated again."""
    if not given:
        return item
    try:
        return ArticleInput.model_validate({**item.model_dump(), **given})
    except ValidationError as exc:
        raise InputError(validation_message(exc), item.origin) from exc


def _stdin_article() -> ArticleInput:
    return ArticleInput(text=decode(sys.stdin.buffer.read(), "<stdin>"), origin="<stdin>")
