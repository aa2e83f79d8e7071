"""Claim-checking quality on SummEdits (news) and QAGS (CNN/DailyMail).

    .venv/bin/python -m evals.checking --suite summedits|qags [--limit N] [--out F] [--no-model]

Each document is ingested into a fresh store; the text is checked against it (SummEdits: the
whole summary with ``check_text``, consistent when every sentence is supported; QAGS: each
summary sentence with ``check``). Balanced accuracy is reported beside the entity-and-number
baseline on the same items. Predictions are appended to ``--out`` as they come (resumable).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck

from .baselines import entity_number_rule
from .loaders import CheckItem, load_qags, load_summedits
from .metrics import balanced_accuracy


def predict(cc: ClaimCheck, item: CheckItem, article_ids: dict[str, str]) -> dict[str, Any]:
    article_id = article_ids.get(item.doc)
    if article_id is None:
        article_id = article_ids[item.doc] = cc.ingest(item.doc).id
    started = time.perf_counter()
    report = cc.check_text(item.text, article_id)
    seconds = time.perf_counter() - started
    return {
        "id": item.id,
        "gold": item.consistent,
        "predicted": all(v.label == "supported" for v in report.verdicts),
        "labels": [v.label for v in report.verdicts],
        "model_labels": [v.model_label for v in report.verdicts],
        "seconds": round(seconds, 2),
        "seconds_per_check": round(seconds / max(1, len(report.verdicts)), 2),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="claim-checking balanced accuracy")
    parser.add_argument("--suite", choices=["summedits", "qags"], required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-model", action="store_true", help="baseline only")
    args = parser.parse_args(argv)
    items = (load_summedits if args.suite == "summedits" else load_qags)(limit=args.limit)
    out = args.out or Path(f"{args.suite}-results.jsonl")
    rows: dict[str, dict[str, Any]] = {}
    if out.exists():
        rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    if not args.no_model:
        with tempfile.TemporaryDirectory() as tmp, ClaimCheck(home=tmp) as cc:
            article_ids: dict[str, str] = {}
            for n, item in enumerate(items, 1):
                if item.id not in rows:
                    rows[item.id] = predict(cc, item, article_ids)
                    with out.open("a") as fh:
                        fh.write(json.dumps(rows[item.id]) + "\n")
                print(f"[{n}/{len(items)}] {item.id}", file=sys.stderr, flush=True)
    gold = [i.consistent for i in items]
    report: dict[str, Any] = {
        "suite": args.suite,
        "baseline": balanced_accuracy(gold, [entity_number_rule(i.doc, i.text) for i in items]),
    }
    done = [i for i in items if i.id in rows]
    if done:
        report["claimcheck"] = balanced_accuracy(
            [i.consistent for i in done], [rows[i.id]["predicted"] for i in done]
        )
        report["seconds_per_check_median"] = statistics.median(
            rows[i.id]["seconds_per_check"] for i in done
        )
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
