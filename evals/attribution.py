"""Attribution quality: the claims pipeline against gold relations, on PolNeAR or on the
project's own test set (``--suite own``, where the gold speaker is the resolved name).

    .venv/bin/python -m evals.attribution [--suite polnear|own] [--limit N] [--out F] [--no-model]

Scores three systems on the same articles: the reporting-verb rule baseline, the parser alone
(candidates with their proposed speakers) and the full pipeline (parser + model, what
``cc.claims()`` returns). Each article's system outputs are appended to ``--out`` as they come,
so an interrupted run resumes where it stopped and scores can be recomputed without the model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claimcheck import llm
from claimcheck.attribution import find_candidates
from claimcheck.claims import extract
from claimcheck.models import Article
from claimcheck.settings import Settings
from claimcheck.text import article_id

from .baselines import reporting_verb_rule
from .cases import load_cases
from .loaders import AttributionDoc, load_polnear
from .metrics import PRF, SystemAttribution, score_attributions

SYSTEMS = ("baseline", "parser", "pipeline")


def parser_only(text: str) -> list[SystemAttribution]:
    out = []
    for c in find_candidates(text):
        written = text[c.source.start : c.source.end] if c.source else None
        spans = tuple((s.start, s.end) for s in c.content)
        out.append(SystemAttribution(spans, c.speaker or written))
    return out


def pipeline(text: str, model: Any, settings: Settings) -> tuple[list[SystemAttribution], dict]:
    article = Article(id=article_id(text), text=text, ingested_at=datetime.now(UTC))
    claims, stats = extract(article, model, context_tokens=settings.context_tokens)
    items = [SystemAttribution(tuple((q.start, q.end) for q in c.quote), c.speaker) for c in claims]
    return items, stats.model_dump()


def _dump(items: list[SystemAttribution]) -> list[dict[str, Any]]:
    return [{"content": [list(s) for s in i.content], "speaker": i.speaker} for i in items]


def _load(rows: list[dict[str, Any]]) -> list[SystemAttribution]:
    return [SystemAttribution(tuple(tuple(s) for s in r["content"]), r["speaker"]) for r in rows]


def run_doc(doc: AttributionDoc, model: Any, settings: Settings) -> dict[str, Any]:
    row: dict[str, Any] = {"name": doc.name, "words": len(doc.text.split())}
    row["baseline"] = _dump(reporting_verb_rule(doc.text))
    row["parser"] = _dump(parser_only(doc.text))
    if model is not None:
        started = time.perf_counter()
        items, stats = pipeline(doc.text, model, settings)
        row["pipeline"] = _dump(items)
        row["stats"] = stats | {"wall_seconds": round(time.perf_counter() - started, 2)}
    return row


def score(docs: list[AttributionDoc], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Micro-averaged scores of every system present for every document."""
    report: dict[str, Any] = {}
    for system in SYSTEMS:
        if not all(system in rows.get(d.name, {}) for d in docs):
            continue
        totals = {"span": PRF(), "span+speaker": PRF(), "span+speaker (strict)": PRF()}
        for doc in docs:
            items = _load(rows[doc.name][system])
            span, speaker = score_attributions(items, doc.gold)
            _, strict = score_attributions(items, doc.gold, strict=True)
            totals["span"].add(span)
            totals["span+speaker"].add(speaker)
            totals["span+speaker (strict)"].add(strict)
        report[system] = {k: v.as_dict() for k, v in totals.items()}
    stats = [rows[d.name]["stats"] for d in docs if "stats" in rows.get(d.name, {})]
    if stats:
        report["pipeline_stats"] = {
            "articles": len(stats),
            "candidates": sum(s["candidates"] for s in stats),
            "kept": sum(s["kept"] for s in stats),
            "dropped_by_model": sum(s["dropped_by_model"] for s in stats),
            "speakers_resolved": sum(s["speakers_resolved"] for s in stats),
            "quotes_aligned": sum(s["quotes_aligned"] for s in stats),
            "quotes_dropped": sum(s["quotes_dropped"] for s in stats),
            "seconds": round(sum(s["wall_seconds"] for s in stats), 1),
        }
    return report


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="PolNeAR attribution scores")
    parser.add_argument("--suite", choices=["polnear", "own"], default="polnear")
    parser.add_argument("--data", type=Path, default=None, help="PolNeAR dev folder")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path("polnear-results.jsonl"))
    parser.add_argument("--no-model", action="store_true", help="skip the model pipeline")
    parser.add_argument("--rescore", action="store_true", help="score saved outputs only")
    args = parser.parse_args(argv)

    if args.suite == "own":
        docs = [c.attribution_doc for c in load_cases()][: args.limit]
    else:
        docs = load_polnear(args.data, limit=args.limit)
    rows: dict[str, dict[str, Any]] = {}
    if args.out.exists():
        for line in args.out.read_text().splitlines():
            row = json.loads(line)
            rows[row["name"]] = row
    if not args.rescore:
        settings = Settings()
        model = None if args.no_model else llm.chat_model(settings, max_tokens=1024)
        for n, doc in enumerate(docs, 1):
            row = rows.get(doc.name)
            if row is None or (model is not None and "pipeline" not in row):
                rows[doc.name] = run_doc(doc, model, settings)
                with args.out.open("a") as fh:
                    fh.write(json.dumps(rows[doc.name]) + "\n")
            print(f"[{n}/{len(docs)}] {doc.name}", file=sys.stderr, flush=True)
    report = score(docs, rows)
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
