"""Calibrate the support threshold of claim checking on held-out benchmark items.

    python -m evals.calibrate [--per-suite 100] [--model M] [--out DIR]

A check is ``supported`` when the model's support probability reaches a threshold and the
code found nothing wrong. The threshold is a property of the model (a small model says "yes"
readily), so it is fitted per model, here, on SummEdits and QAGS items that the reported
fixed-seed samples (``claimcheck eval --limit 200``) do not contain: it sweeps every threshold,
picks the one whose neighbourhood has the best mean balanced accuracy over the two (a plateau,
not a lucky peak) and prints the sweep. Set the result as
``CLAIMCHECK_SUPPORT_THRESHOLD`` or, for a packaged model, as its ``support_threshold``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck

from .loaders import CheckItem, load_qags, load_summedits
from .metrics import balanced_accuracy, supported_at
from .run import REPORTED_LIMIT, Context, Items, Progress, run_binary_checking, settings_for

LOADERS = {"summedits": load_summedits, "qags": load_qags}
WINDOW = 0.03  # thresholds this close count as neighbours when picking the best


def held_out(suite: str, n: int, seed: int = 1) -> list[CheckItem]:
    """``n`` items (fixed seed, file order) that the reported sample does not contain."""
    load = LOADERS[suite]
    reported = {item.id for item in load(limit=REPORTED_LIMIT)}
    rest = [item for item in load() if item.id not in reported]
    if n >= len(rest):
        return rest
    keep = set(random.Random(seed).sample(range(len(rest)), n))
    return [item for i, item in enumerate(rest) if i in keep]


def predicted(row: dict[str, Any], threshold: float) -> bool:
    """The check's verdict on an item at ``threshold``: every sentence supported."""
    return supported_at(row["sentences"], threshold)


def sweep(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Balanced accuracy per suite and their mean at every distinct support value."""
    supports = {
        s["support"]
        for suite_rows in rows.values()
        for row in suite_rows
        for s in row["sentences"]
        if s["support"] is not None
    }
    table = []
    for threshold in sorted(supports | {0.5}):
        scores = {
            suite: balanced_accuracy(
                [r["gold"] for r in suite_rows], [predicted(r, threshold) for r in suite_rows]
            )["balanced_accuracy"]
            for suite, suite_rows in rows.items()
        }
        mean = sum(scores.values()) / len(scores)
        table.append({"threshold": threshold, **scores, "mean": round(mean, 4)})
    return table


def pick(table: list[dict[str, Any]], window: float = WINDOW) -> dict[str, Any]:
    """The sweep row whose neighbourhood (thresholds within ``window``) has the best mean: the
    middle of a plateau, not a peak at the edge of a cliff."""

    def smoothed(row: dict[str, Any]) -> float:
        near = [r["mean"] for r in table if abs(r["threshold"] - row["threshold"]) <= window]
        return sum(near) / len(near)

    return max(table, key=lambda r: (smoothed(r), r["mean"]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__)
    parser.add_argument("--per-suite", type=int, default=100, help="held-out items per suite")
    parser.add_argument("--model", default=None, help="packaged model name or GGUF path")
    parser.add_argument("--out", type=Path, default=Path("build/calibration"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="claimcheck-calibrate-") as tmp:
        with ClaimCheck(settings=settings_for(args.model, Path(tmp))) as cc:
            ctx = Context(cc, Items(args.out / "items.jsonl"), Progress())
            for suite in LOADERS:
                items = held_out(suite, args.per_suite)
                run_binary_checking(ctx, suite, None, items)
                rows[suite] = [ctx.items.rows[f"{suite}/{item.id}"] for item in items]
    table = sweep(rows)
    best = pick(table)
    for row in table:
        mark = "  <- best" if row is best else ""
        print(
            f"{row['threshold']:.4f}  "
            + "  ".join(f"{suite} {row[suite]:.3f}" for suite in rows)
            + f"  mean {row['mean']:.3f}{mark}"
        )
    result = {
        "threshold": best["threshold"],
        "best": best,
        "items": {s: len(r) for s, r in rows.items()},
    }
    (args.out / "calibration.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(
        f"support threshold: {best['threshold']:.4f} (mean balanced accuracy {best['mean']:.3f})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
