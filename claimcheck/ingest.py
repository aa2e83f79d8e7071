"""Storing articles: a text, files and folders, standard input, web pages and feeds, each read
into an :class:`~claimcheck.models.ArticleInput` with what the caller gives in place of what
the input says of itself, then split into sentence-aligned chunks and written to the store
(all or nothing: :class:`claimcheck.store.Store`). :class:`claimcheck.ClaimCheck`'s
``ingest*`` methods delegate here."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import text as textlib
from . import web
from .errors import ClaimcheckError, InputError, validation_message
from .models import Article, ArticleInput, Chunk, IngestFailure, IngestReport
from .settings import Settings
from .sources import decode, expand_paths, first_line_title, read_file
from .store import Store

Progress = Callable[[str], None]


class Ingest:
    """Reads inputs into articles and stores them, within the settings' limits."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def one(
        self,
        text_or_path: str | os.PathLike[str],
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: datetime | str | None = None,
    ) -> Article:
        """One article from a text, a path or a URL (:meth:`ClaimCheck.ingest`)."""
        if isinstance(text_or_path, str) and web.is_url(text_or_path):
            if url is not None:
                raise InputError("url= is for a text or a file; a fetched page has its URL", url)
            return self.page(text_or_path, title=title, source=source, published=published)
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
        return self.write(_with(item, given))

    def files(
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
        """Every article of files and folders (:meth:`ClaimCheck.ingest_files`)."""
        given = _given(title=title, source=source, url=url, published=published)
        files = list(expand_paths([Path(p) for p in paths]))
        if total is not None:
            total(len(files))
        report = IngestReport()
        for path in files:
            items: list[ArticleInput | InputError]
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
                    report.ingested.append(self.write(_with(item, given)))
                except ClaimcheckError as exc:
                    report.failed.append(_failure(item.origin, exc))
            if progress is not None:
                progress(str(path))
        return report

    def text(
        self,
        text: str,
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: datetime | str | None = None,
        author: str | None = None,
        site: str | None = None,
    ) -> Article:
        """A text as an article, never read as a path or URL (:meth:`ClaimCheck.ingest_text`)."""
        given = _given(
            title=title, source=source, url=url, published=published, author=author, site=site
        )
        return self.write(_with(ArticleInput(text=text), given))

    def page(
        self,
        url: str,
        *,
        title: str | None = None,
        source: str | None = None,
        published: datetime | str | None = None,
    ) -> Article:
        """A fetched web page's article (:meth:`ClaimCheck.ingest_url`)."""
        item = web.read_page(url.strip(), self.settings)
        return self.write(_with(item, _given(title=title, source=source, published=published)))

    def pages(
        self,
        urls: Iterable[str],
        *,
        title: str | None = None,
        source: str | None = None,
        published: datetime | str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Every fetched page's article (:meth:`ClaimCheck.ingest_urls`)."""
        given = _given(title=title, source=source, published=published)
        report = IngestReport()
        for url in urls:
            self._page(url, given, report)
            if progress is not None:
                progress(url)
        return report

    def feed(
        self,
        url: str,
        *,
        limit: int | None = None,
        source: str | None = None,
        progress: Progress | None = None,
        total: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """The pages of a feed's items (:meth:`ClaimCheck.ingest_feed`)."""
        if limit is not None and limit < 1:
            raise InputError(f"--limit must be at least 1, got {limit}", url)
        items = web.read_feed(url, self.settings)[:limit]
        if total is not None:
            total(len(items))
        report = IngestReport()
        for item in items:
            if self.store.with_url(item.link) is not None:
                report.skipped.append(item.link)
            else:
                meta = {"title": item.title, "published": item.published, "url": item.link}
                self._page(item.link, _given(source=source), report, meta)
            if progress is not None:
                progress(item.link)
        return report

    def _page(
        self,
        url: str,
        given: dict[str, Any],
        report: IngestReport,
        fallback: dict[str, Any] | None = None,
    ) -> None:
        try:
            item = web.read_page(url, self.settings)
            missing = {k: v for k, v in (fallback or {}).items() if getattr(item, k) is None}
            before = self.store.has(textlib.article_id(item.text))
            article = self.write(_with(item, {**_given(**missing), **given}))
        except ClaimcheckError as exc:
            report.failed.append(_failure(url, exc))
            return
        if before:
            report.skipped.append(url)  # the same text is stored already (under another URL)
        else:
            report.ingested.append(article)

    def write(self, item: ArticleInput) -> Article:
        text = item.text
        if not textlib.has_text(text):
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
            author=item.author,
            site=item.site,
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


def _names_file(value: object) -> bool:
    """True for a one-line string that is the path of an existing file."""
    if not isinstance(value, str) or not 0 < len(value) < 4096 or "\n" in value:
        return False
    try:
        return Path(value).is_file()
    except OSError:  # e.g. a sentence longer than a file name may be
        return False


def _failure(source: str, exc: ClaimcheckError) -> IngestFailure:
    """A failed input of a batch, with the reason (an input error's reason without its source,
    which the failure names)."""
    reason = exc.reason if isinstance(exc, InputError) else str(exc)
    return IngestFailure(source=source, reason=reason)


def _given(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _with(item: ArticleInput, given: dict[str, Any]) -> ArticleInput:
    """The item with the caller's metadata in place of its own, validated again."""
    if not given:
        return item
    try:
        return ArticleInput.model_validate({**item.model_dump(), **given})
    except ValidationError as exc:
        raise InputError(validation_message(exc.errors()), item.origin) from exc


def _stdin_article() -> ArticleInput:
    return ArticleInput(text=decode(sys.stdin.buffer.read(), "<stdin>"), origin="<stdin>")
