"""Several phrasings of the support question, alone and averaged, on the same held-out items.

    .venv/bin/python -m evals.support_phrasings [--suite summedits] [--items 40]

For each held-out item (``evals.calibrate.held_out``: never in the reported sample) and each
of its sentences, the evidence is gathered once and each phrasing of the support question is
asked on the same prefix, in the evidence view (the numbered evidence sentences, then the
claim): after the first question each further one reads only its own ~20 tokens, about half a
second here. Each item's probabilities are appended to ``--out`` as they come (run again to
resume). Prints per phrasing, and for the mean log-odds of several: the AUC of the item's
weakest sentence, the best balanced accuracy over thresholds with the code's findings, and
the median seconds of the questions it costs.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck, check
from claimcheck.evidence import Evidence
from claimcheck.structured import Usage, yes_probability

from .check_variants import ask_sentences, held_out_rows, score

PHRASINGS = {
    "p0": None,  # the check's own support question
    "p1": "Is the claim true according to the article? Answer yes or no.",
    "p2": "Does the article state everything the claim says? Answer yes or no.",
    "p3": (
        "Are the claim's names, numbers, dates, places and actions all the same as in the "
        "article? Answer yes or no."
    ),
}


def ask_item(cc: ClaimCheck, doc_id: str, text: str) -> dict[str, Any]:
    """Every sentence of ``text`` against the stored article, asked in every phrasing."""

    def ask(claim: str, evidence: list[Evidence]) -> dict[str, Any]:
        asking = check.Asking(cc.chat_model, claim, evidence, Usage(), article=False)
        row = {}
        for name, task in PHRASINGS.items():
            messages = asking.prompt.messages(
                document="",
                evidence=asking.evidence_block,
                claim=claim,
                task=asking.prompt.tasks["support"] if task is None else task,
            )
            started = time.perf_counter()
            p = yes_probability(cc.chat_model, messages, asking.usage)
            row[name] = {"support": p, "seconds": round(time.perf_counter() - started, 3)}
        return row

    return ask_sentences(cc, doc_id, text, ask)


def log_odds(p: float | None) -> float:
    return check.log_odds(0.5 if p is None else p)


def combined(rows: Sequence[dict[str, Any]], names: Sequence[str]) -> str:
    """Adds to every relevant sentence the variant of the mean log-odds of ``names``."""
    key = "+".join(names)
    for row in rows:
        for s in row["sentences"]:
            if s["relevant"]:
                mean = sum(log_odds(s[n]["support"]) for n in names) / len(names)
                s[key] = {
                    "support": 1 / (1 + math.exp(-mean)),
                    "seconds": sum(s[n]["seconds"] for n in names),
                }
    return key


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.support_phrasings", description=__doc__)
    parser.add_argument("--suite", default="summedits", choices=("summedits", "qags"))
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path("build/support-phrasings"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = held_out_rows(args.suite, args.items, args.out / f"{args.suite}.jsonl", ask_item)
    print(f"{args.suite}, {len(rows)} held-out items, {sum(r['gold'] for r in rows)} consistent")
    print("| phrasings | AUC | AUC, findings | best balanced accuracy (threshold) | median s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    names = list(PHRASINGS)
    variants = names + [
        combined(rows, c) for k in (2, 3, 4) for c in itertools.combinations(names, k)
    ]
    for variant in variants:
        s = score(rows, variant)
        best = s["best"]
        seconds = [x[variant]["seconds"] for r in rows for x in r["sentences"] if x["relevant"]]
        print(
            f"| {variant} | {s['auc']} | {s['auc_with_checks']} | {best['balanced_accuracy']} "
            f"({best.get('threshold', 0):.3f}{', findings' if best.get('checks') else ''}) "
            f"| {round(statistics.median(seconds), 2) if seconds else None} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
