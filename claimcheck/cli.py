"""The ``claimcheck`` command: parse arguments, call :class:`claimcheck.ClaimCheck`, print.

Every command takes ``--json`` and then prints exactly one JSON document to stdout. Errors go to
stderr as ``error: ...`` (or, with ``--json``, as ``{"error": {"type", "message"}}`` on stdout).
Exit status: 0 success, 1 an error or a partly failed ingest, 2 bad usage or nothing ingested.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import web
from .api import ClaimCheck
from .errors import ClaimcheckError, InputError
from .models import Article, BatchReport, Claim, IngestReport, Quote, Verdict
from .sources import decode

app = typer.Typer(
    help="Summaries and attributable claims for news articles, every quote an exact span.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True, highlight=False)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document to stdout.")]
ExplainOpt = Annotated[
    bool,
    typer.Option(
        "--explain", help="Also ask the model for its written reason (about 5 s more a check)."
    ),
]


def _emit_json(payload: Any) -> None:
    if isinstance(payload, BaseModel):
        text = payload.model_dump_json(indent=2)
    else:
        text = json.dumps(payload, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text + "\n")


def _error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def _fail(exc: ClaimcheckError, as_json: bool, code: int = 1) -> typer.Exit:
    if as_json:
        _emit_json({"error": {"type": type(exc).__name__, "message": str(exc)}})
    else:
        _error(str(exc))
    return typer.Exit(code)


@contextmanager
def _handled(as_json: bool) -> Iterator[None]:
    """Turn claimcheck's errors into a message and an exit status: 2 for bad input, else 1."""
    try:
        yield
    except InputError as exc:
        raise _fail(exc, as_json, code=2) from None
    except ClaimcheckError as exc:
        raise _fail(exc, as_json) from None


def _open() -> ClaimCheck:
    return ClaimCheck()


def _summary(article: Article) -> dict[str, Any]:
    """An article without its text, for listings."""
    return article.model_dump(mode="json", exclude={"text"})


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
    with _handled(as_json), _open() as cc, _progress_bar() as bar:
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
    with _handled(as_json), _open() as cc:
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
    with _handled(as_json), _open() as cc:
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
    with _handled(as_json), _open() as cc:
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
    with _handled(as_json), _open() as cc:
        hits = cc.search(query, k=k, article_id=article)
    if as_json:
        _emit_json([h.model_dump(mode="json") for h in hits])
        return
    for h in hits:
        body = " ".join(h.text.split())
        sys.stdout.write(f"{h.score:.3f}  {h.article_id} [{h.start}:{h.end}]  {body}\n")


def _article_for(cc: ClaimCheck, article_id: str | None, file: Path | None) -> str:
    """The id to work on: the given one, or that of ``--file`` after ingesting it."""
    if (article_id is None) == (file is None):
        raise InputError("give an article ID or --file PATH, not both and not neither")
    if file is not None:
        return cc.ingest(file).id
    return str(article_id)


def _print_quote(prefix: str, quote: Quote) -> None:
    body = " ".join(quote.text.split())
    sys.stdout.write(f"{prefix}[{quote.start}:{quote.end}] {body}\n")


AllOpt = Annotated[bool, typer.Option("--all", help="Every stored article missing a current one.")]
ConcurrencyOpt = Annotated[
    int | None,
    typer.Option(
        "--concurrency", min=1, max=256, help="Articles at once (CLAIMCHECK_MODEL_CONCURRENCY)."
    ),
]
ShardOpt = Annotated[
    str | None,
    typer.Option("--shard", metavar="I/N", help="Only shard I of N (1-based) of the articles."),
]
RefreshOpt = Annotated[bool, typer.Option("--refresh", help="Make it again even if stored.")]


@app.command()
def summarize(
    article_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Article id.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Ingest this file first and summarize it.")
    ] = None,
    sentences: Annotated[int, typer.Option(min=1, max=10, help="At most this many.")] = 3,
    every: AllOpt = False,
    concurrency: ConcurrencyOpt = None,
    shard: ShardOpt = None,
    refresh: RefreshOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Summarize an article (or, with --all, every stored one); every sentence cites the
    article with exact offsets."""
    if every:
        with _handled(as_json), _open() as cc:
            _only_all(article_id, file)
            report = _batch_with_progress(
                "summaries",
                lambda **bar: cc.summarize_all(
                    sentences,
                    concurrency=concurrency,
                    shard=_shard(shard),
                    refresh=refresh,
                    **bar,
                ),
            )
        _print_batch(report, as_json)
        return
    with _handled(as_json):
        with _open() as cc:
            summary = cc.summarize(_article_for(cc, article_id, file), sentences, refresh=refresh)
    if as_json:
        _emit_json(summary)
        return
    for number, sentence in enumerate(summary.sentences, 1):
        sys.stdout.write(f"{number}. {sentence.text}\n")
        for quote in sentence.citations:
            _print_quote("   cites ", quote)


@app.command()
def claims(
    article_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Article id.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Ingest this file first and use it.")
    ] = None,
    every: AllOpt = False,
    concurrency: ConcurrencyOpt = None,
    shard: ShardOpt = None,
    refresh: RefreshOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """List the attributable claims of an article (who asserted what, quoted exactly), or with
    --all make them for every stored article, for `claimcheck quotes`."""
    if every:
        with _handled(as_json), _open() as cc:
            _only_all(article_id, file)
            report = _batch_with_progress(
                "claims",
                lambda **bar: cc.claims_all(
                    concurrency=concurrency, shard=_shard(shard), refresh=refresh, **bar
                ),
            )
        _print_batch(report, as_json)
        return
    with _handled(as_json):
        with _open() as cc:
            result = cc.claim_set(_article_for(cc, article_id, file), refresh=refresh)
    if as_json:
        _emit_json(result)
        return
    for number, claim in enumerate(result.claims, 1):
        _print_claim(f"{number}. ", claim)
    st = result.stats
    typer.echo(
        f"{st.kept} claims from {st.candidates} attributions found by the parser "
        f"({st.questions} questions, {st.nested} inside another claim, {st.no_speaker} with "
        f"nobody to name and {st.merged} duplicates left out; {st.rewrites} sentences "
        f"rewritten by the model, "
        f"{st.code_sentences} built from the quote); {st.seconds} s",
        err=True,
    )


def _print_claim(prefix: str, claim: Claim) -> None:
    who = claim.speaker or "(the article)"
    sys.stdout.write(
        f"{prefix}{claim.claim}\n   speaker: {who}   cue: {claim.cue or '-'}   kind: {claim.kind}\n"
    )
    for quote in claim.quote:
        _print_quote("   quote ", quote)


def _only_all(article_id: str | None, file: Path | None) -> None:
    if article_id is not None or file is not None:
        raise InputError("--all works on every stored article: give no ID or --file with it")


def _shard(value: str | None) -> tuple[int, int] | None:
    """``"2/4"`` -> (2, 4): shard 2 of 4."""
    if value is None:
        return None
    i, sep, n = value.partition("/")
    if not (sep and i.strip().isdigit() and n.strip().isdigit()):
        raise InputError(f"--shard must be I/N such as 1/4, got {value!r}")
    if not 1 <= int(i) <= int(n):
        raise InputError(f"--shard I/N needs 1 <= I <= N, got {value!r}")
    return int(i), int(n)


def _batch_with_progress(what: str, run: Callable[..., BatchReport]) -> BatchReport:
    """A batch, with a progress bar on stderr when it is a terminal."""
    if not err.is_terminal:
        return run()
    with Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=None)
        return run(
            progress=lambda _id: bar.advance(task), total=lambda n: bar.update(task, total=n)
        )


def _print_batch(report: BatchReport, as_json: bool) -> None:
    if as_json:
        _emit_json(report)
    else:
        for failure in report.failed:
            _error(f"{failure.article_id}: {failure.error}")
        typer.echo(
            f"{report.processed} articles done, {report.skipped} already current, "
            f"{len(report.failed)} failed; {report.seconds} s",
            err=True,
        )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def quotes(
    query: Annotated[str | None, typer.Argument(metavar="[QUERY]", help="A topic.")] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", metavar="NAME", help="'Putin' finds all Putins.")
    ] = None,
    article: Annotated[
        list[str] | None, typer.Option("--article", metavar="ID", help="Only this article.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(metavar="DATE", help="Published on or after.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="DATE", help="Published on or before.")
    ] = None,
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=1000, help="At most this many.")] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Who said what across every stored article whose claims were made (claims --all),
    each quote exact with its offsets."""
    with _handled(as_json), _open() as cc:
        hits = cc.quotes(
            query,
            speaker=speaker,
            article_ids=article,
            published_after=since,
            published_before=until,
            k=k,
        )
        if not hits and not as_json and not cc.speakers():
            typer.echo("no claims stored yet; make them with `claimcheck claims --all`", err=True)
    if as_json:
        _emit_json([h.model_dump(mode="json") for h in hits])
        return
    for number, hit in enumerate(hits, 1):
        day = hit.published.date().isoformat() if hit.published else "-"
        sys.stdout.write(f"{number}. {hit.article_id}  {day}  {hit.title or ''}\n")
        _print_claim("   ", hit.claim)


@app.command()
def speakers(as_json: JsonOpt = False) -> None:
    """Everyone with stored claims, spellings of one name grouped, most claims first."""
    with _handled(as_json), _open() as cc:
        found = cc.speakers()
    if as_json:
        _emit_json([s.model_dump() for s in found])
        return
    for s in found:
        sys.stdout.write(f"{s.claims:>5} claims  {s.articles:>4} articles  {s.name}  ({s.key})\n")


def _read_text(path: Path) -> str:
    """A UTF-8 text file, or standard input for ``-``."""
    try:
        raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from exc
    return decode(raw, str(path))


def _print_verdict(verdict: Verdict) -> None:
    support = "" if verdict.support is None else f", support {verdict.support:.2f}"
    if verdict.contradiction is not None:
        support += f", contradiction {verdict.contradiction:.2f}"
    sys.stdout.write(f"{verdict.label} (score {verdict.score:.2f}{support}): {verdict.claim}\n")
    sys.stdout.write(f"   reason: {verdict.reason}\n")
    if verdict.explanation is not None:
        sys.stdout.write(f"   the model: {verdict.model_label}: {verdict.explanation}\n")
    for quote in verdict.evidence:
        _print_quote(f"   evidence {quote.article_id} ", quote)


@app.command()
def check(
    claim: Annotated[str, typer.Argument(help="The claim to check.")],
    article: Annotated[
        str | None, typer.Option("--article", metavar="ID", help="Check against this article.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Ingest this file and check against it.")
    ] = None,
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=50, help="Chunks to retrieve.")] = 8,
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Check a claim against the stored articles: supported, refuted or not enough info."""
    with _handled(as_json):
        with _open() as cc:
            article_id = article
            if file is not None:
                if article is not None:
                    raise InputError("give --article or --file, not both")
                article_id = cc.ingest(file).id
            verdict = cc.check(claim, article_id=article_id, k=k, explain=explain)
    if as_json:
        _emit_json(verdict)
    else:
        _print_verdict(verdict)


@app.command("check-text")
def check_text(
    file: Annotated[Path, typer.Argument(help="A text (a summary, say) to check, - for stdin.")],
    article: Annotated[str, typer.Option("--article", metavar="ID", help="Against this article.")],
    explain: ExplainOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Check every sentence of a text against one article (a faithfulness report)."""
    with _handled(as_json):
        text = _read_text(file)
        with _open() as cc:
            report = cc.check_text(text, article, explain=explain)
    if as_json:
        _emit_json(report)
        return
    for verdict in report.verdicts:
        _print_verdict(verdict)
    sys.stdout.write(f"faithfulness: {report.faithfulness:.2f} of sentences supported\n")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    article: Annotated[
        list[str] | None, typer.Option("--article", metavar="ID", help="Only these articles.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only articles from this source.")] = None,
    after: Annotated[str | None, typer.Option(help="Published on or after (ISO date).")] = None,
    before: Annotated[str | None, typer.Option(help="Published on or before (ISO date).")] = None,
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=50, help="Chunks to retrieve.")] = 8,
    as_json: JsonOpt = False,
) -> None:
    """Answer a question from the stored articles, citing them verbatim."""
    with _handled(as_json):
        with _open() as cc:
            result = cc.ask(
                question, article or None, k, source=source, published_after=after,
                published_before=before,
            )  # fmt: skip
    if as_json:
        _emit_json(result)
        return
    sys.stdout.write(result.answer + "\n")
    for sentence in result.sentences:
        for quote in sentence.citations:
            _print_quote(f"   cites {quote.article_id} ", quote)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Run the HTTP API (and the article viewer) under uvicorn."""
    import uvicorn

    from .server import create_app
    from .settings import Settings

    settings = Settings()
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.api_key:
        typer.echo(
            f"warning: serving on {host} without CLAIMCHECK_API_KEY: anyone who can reach it "
            "can read and change the store",
            err=True,
        )
    uvicorn.run(
        create_app(settings=settings),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=settings.shutdown_seconds,
    )
    _exit_without_waiting()


def _exit_without_waiting() -> None:
    """After the grace period, do not wait for work still running in threads (an ingest of a
    long article can take minutes): leave now. The store's all-or-nothing writes make this
    safe — an article cut off mid-write is rolled back when the store is next opened — and a
    request cut off gets no answer, so its client knows it failed."""
    import os
    import threading

    running = [
        t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon
    ]
    if running:
        typer.echo(
            f"stopped with {len(running)} request(s) still running: they are cut off, and what "
            "they were writing is rolled back when the store is next opened",
            err=True,
        )
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(0)


@app.command(
    "eval",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def eval_(ctx: typer.Context) -> None:
    """Score every capability against the test sets, beside baselines (`eval --help`)."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "evals" / "run.py").is_file() and str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    try:
        from evals.run import main as run_eval
    except ImportError:
        typer.echo(
            "error: `claimcheck eval` runs from a project checkout (the evals/ folder and its "
            "test set are not part of the installed package)",
            err=True,
        )
        raise typer.Exit(2) from None
    raise typer.Exit(run_eval(ctx.args))


model_app = typer.Typer(help="The embedded model.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("serve")
def model_serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8080,
) -> None:
    """Run the embedded model's OpenAI-compatible server in the foreground.

    Other processes use it with OPENAI_BASE_URL=http://HOST:PORT/v1.
    """
    import signal
    import threading

    from . import llm
    from .settings import Settings

    settings = Settings()
    try:
        path = llm.ensure_model_file(settings)
        server = llm.EmbeddedServer(
            path,
            threads=settings.threads,
            context_tokens=settings.context_tokens,
            host=host,
            port=port,
        )
    except ClaimcheckError as exc:
        raise _fail(exc, False) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: serving on {host} without authentication", err=True)
    typer.echo(f"serving {path.name} at {server.url}/v1 (Ctrl-C to stop)", err=True)
    sys.stdout.write(f"{server.url}/v1\n")
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    server.stop()


@model_app.command("path")
def model_path() -> None:
    """Prepare the embedded model file (join and verify it) and print its path."""
    from . import llm
    from .settings import Settings

    try:
        sys.stdout.write(f"{llm.ensure_model_file(Settings())}\n")
    except ClaimcheckError as exc:
        raise _fail(exc, False) from None


def main() -> None:
    app()


if __name__ == "__main__":
    main()
