"""What every command group of the ``claimcheck`` command shares: the Typer app, the ``--json``
option, errors and exit statuses, opening the store, and printing quotes, claims, verdicts and
batch reports."""

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

from ..api import ClaimCheck
from ..errors import ClaimcheckError, InputError
from ..models import Article, BatchReport, Claim, Quote, Verdict
from ..sources import decode

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
    """The store and model the command works with (looked up as ``common._open`` at each
    call, so that a test can put another in its place)."""
    return ClaimCheck()


def _summary(article: Article) -> dict[str, Any]:
    """An article without its text, for listings."""
    return article.model_dump(mode="json", exclude={"text"})


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
