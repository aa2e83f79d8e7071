"""Commands that ask the model about articles: summarize, claims, check, check-text, ask."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from . import common
from .common import (
    AllOpt,
    ConcurrencyOpt,
    ExplainOpt,
    JsonOpt,
    RefreshOpt,
    ShardOpt,
    _article_for,
    _batch_with_progress,
    _emit_json,
    _handled,
    _only_all,
    _print_batch,
    _print_claim,
    _print_quote,
    _print_verdict,
    _read_text,
    _shard,
    app,
)


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
        with _handled(as_json), common._open() as cc:
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
        with common._open() as cc:
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
        with _handled(as_json), common._open() as cc:
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
        with common._open() as cc:
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
        with common._open() as cc:
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
        with common._open() as cc:
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
        with common._open() as cc:
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
