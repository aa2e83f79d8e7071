"""Commands across the corpus: who said what (quotes, speakers)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from . import common
from .common import (
    JsonOpt,
    _emit_json,
    _handled,
    _print_claim,
    app,
)


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
    with _handled(as_json), common._open() as cc:
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
    with _handled(as_json), common._open() as cc:
        found = cc.speakers()
    if as_json:
        _emit_json([s.model_dump() for s in found])
        return
    for s in found:
        sys.stdout.write(f"{s.claims:>5} claims  {s.articles:>4} articles  {s.name}  ({s.key})\n")
