"""Commands on stored articles: ingest, list, show, delete, search."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .. import web
from ..errors import InputError
from ..models import IngestReport
from . import common
from .common import (
    JsonOpt,
    _emit_json,
    _error,
    _fail,
    _handled,
    _summary,
    app,
    err,
)


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files (.txt .md .html .jsonl), folders (recursive), - for stdin, or http(s) "
            "URLs of web pages.",
            show_default=False,
        ),
    ] = None,
    feed: Annotated[
        str | None, typer.Option(help="An RSS or Atom feed URL: store each item's page.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option(min=1, help="With --feed: at most this many items.")
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title (only with a single input).")] = None,
    source: Annotated[str | None, typer.Option(help="Publisher, for every article.")] = None,
    url: Annotated[str | None, typer.Option(help="URL (only with a single file).")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date (ISO 8601), for every article.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Store articles: split into sentences and chunks, embed, and write them to the store.
    Web pages (files or URLs) are read with trafilatura: the article without the page around
    it, and its title, author, date and site from the page unless given here."""
    paths = paths or []
    urls = [p for p in paths if web.is_url(p)]
    files = [Path(p) for p in paths if not web.is_url(p)]
    if limit is not None and feed is None:
        raise _fail(InputError("--limit needs --feed"), as_json, code=2)
    if not paths and feed is None:
        raise _fail(InputError("nothing to ingest: give files, URLs or --feed"), as_json, code=2)
    single = feed is None and (
        (len(files) == 1 and not urls and (str(files[0]) == "-" or files[0].is_file()))
        or (len(urls) == 1 and not files)
    )
    if (title or url) and not single:
        raise _fail(InputError("--title and --url need exactly one file or URL"), as_json, code=2)
    if url and urls:
        raise _fail(InputError("--url is for a file; a fetched page has its URL"), as_json, code=2)
    report = IngestReport()
    with _handled(as_json), common._open() as cc, _progress_bar() as bar:
        if files:
            part = cc.ingest_files(
                files, title=title, source=source, url=url, published=published, **bar("ingest")
            )
            _add(report, part)
        if urls:
            steps = bar("fetch")
            steps["total"](len(urls))
            part = cc.ingest_urls(
                urls, title=title, source=source, published=published, progress=steps["progress"]
            )
            _add(report, part)
        if feed is not None:
            _add(report, cc.ingest_feed(feed, limit=limit, source=source, **bar("feed")))
    if as_json:
        _emit_json(
            {
                "ingested": [_summary(a) for a in report.ingested],
                "failed": [f.model_dump() for f in report.failed],
                "skipped": report.skipped,
            }
        )
    else:
        for a in report.ingested:
            sys.stdout.write(f"{a.id}  {a.chunk_count:>4} chunks  {a.title or ''}\n")
        if report.skipped:
            _error(f"{len(report.skipped)} already stored, not fetched again")
    for failure in report.failed:
        _error(f"{failure.source}: {failure.reason}")
    if not report.ingested:
        if not report.failed and not report.skipped:
            _error("no files found in the given paths" if files else "the feed has no items")
        if not report.skipped or report.failed:
            raise typer.Exit(2)
    if report.failed:
        raise typer.Exit(1)


def _add(report: IngestReport, part: IngestReport) -> None:
    report.ingested += part.ingested
    report.failed += part.failed
    report.skipped += part.skipped


@contextmanager
def _progress_bar() -> Iterator[Callable[[str], dict[str, Any]]]:
    """A progress bar on stderr when it is a terminal, shown once there are several items;
    yields a maker of the ``progress`` and ``total`` callbacks for one labelled step."""
    if not err.is_terminal:
        yield lambda label: {"progress": lambda name: None, "total": lambda n: None}
        return
    with Progress(
        TextColumn("{task.fields[label]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
    ) as bar:

        def steps(label: str) -> dict[str, Any]:
            task = bar.add_task("", total=None, label=label, visible=False)

            def total(n: int) -> None:
                bar.update(task, total=n, visible=n > 1)

            def advance(name: str) -> None:
                shown = name if web.is_url(name) else Path(name).name
                bar.update(task, advance=1, description=shown[-60:])

            return {"progress": advance, "total": total}

        yield steps


@app.command("list")
def list_articles(as_json: JsonOpt = False) -> None:
    """List the stored articles."""
    with _handled(as_json), common._open() as cc:
        articles = cc.articles()
    if as_json:
        _emit_json([_summary(a) for a in articles])
        return
    if not articles:
        typer.echo("no articles stored yet; add some with `claimcheck ingest PATH`", err=True)
    for a in articles:
        day = a.published.date().isoformat() if a.published else "-"
        sys.stdout.write(f"{a.id}  {day:<10}  {a.chunk_count:>4} chunks  {a.title or ''}\n")


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id, from `list`.")],
    chunks: Annotated[bool, typer.Option("--chunks", help="Also show the chunks.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show one article with its full text."""
    with _handled(as_json), common._open() as cc:
        article = cc.get(article_id)
        parts = cc.chunks(article_id) if chunks else []
    if as_json:
        payload = article.model_dump(mode="json")
        if chunks:
            payload["chunks"] = [c.model_dump(mode="json", exclude={"score"}) for c in parts]
        _emit_json(payload)
        return
    for field in (
        "id", "title", "author", "site", "source", "url", "published", "ingested_at", "chunk_count"
    ):  # fmt: skip
        value = getattr(article, field)
        if value is not None:
            sys.stdout.write(f"{field + ':':<13}{value}\n")
    sys.stdout.write("\n" + article.text.rstrip() + "\n")
    for c in parts:
        sys.stdout.write(f"\n--- chunk {c.index} [{c.start}:{c.end}]\n{c.text}\n")


@app.command()
def delete(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="Article id, from `list`.")],
    as_json: JsonOpt = False,
) -> None:
    """Delete an article and all its chunks."""
    with _handled(as_json), common._open() as cc:
        cc.delete(article_id)
    if as_json:
        _emit_json({"deleted": article_id})
    else:
        sys.stdout.write(f"deleted {article_id}\n")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=100, help="How many chunks.")] = 5,
    article: Annotated[
        str | None, typer.Option("--article", metavar="ID", help="Only in this article.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Find the chunks most similar to a query."""
    with _handled(as_json), common._open() as cc:
        hits = cc.search(query, k=k, article_id=article)
    if as_json:
        _emit_json([h.model_dump(mode="json") for h in hits])
        return
    for h in hits:
        body = " ".join(h.text.split())
        sys.stdout.write(f"{h.score:.3f}  {h.article_id} [{h.start}:{h.end}]  {body}\n")
