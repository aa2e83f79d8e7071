"""Calibrate claim checking's supported-or-not decision on held-out benchmark items.

    python -m evals.calibrate [--per-suite 100] [--model M] [--out DIR] [--score RUN ...]

Both are fitted per model, here, on SummEdits and QAGS items that the reported fixed-seed
samples (``claimcheck eval --limit 200``) do not contain:

- **The threshold rule**: ``supported`` when the support probability reaches a threshold and
  the code found nothing wrong. Every threshold is swept, and the one whose neighbourhood has
  the best mean balanced accuracy over the two suites is picked (a plateau, not a lucky peak).
  Set it as ``CLAIMCHECK_SUPPORT_THRESHOLD`` or as a packaged model's ``support_threshold``.
- **The calibrated decision**: a logistic model over the check's named signals
  (``claimcheck.check.SIGNALS``), fitted with an L2 penalty on the checked sentences: every
  sentence of a consistent summary is supported; of an inconsistent one, the sentence with the
  lowest support probability is taken as the unsupported one. Its cut-off is swept like the
  threshold and folded into the bias. Its 5-fold cross-validated balanced accuracy is printed
  beside the threshold rule's, and the weights as a packaged model's ``decision``.

Every checked item is recorded in ``DIR/items.jsonl`` as it comes: run again with the same
``--out`` and the fit is made from the records in seconds, without the model. ``--score RUN``
scores recorded ``claimcheck eval --suite summedits|qags --out RUN`` runs at the fitted
threshold, from their records too.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from claimcheck import ClaimCheck
from claimcheck.check import SIGNALS, calibrated

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


def scored(
    rows: dict[str, list[dict[str, Any]]],
    thresholds: Iterable[float],
    verdict: Callable[[dict[str, Any], float], bool],
) -> list[dict[str, Any]]:
    """Balanced accuracy per suite and their mean at each threshold, an item judged
    consistent by ``verdict(row, threshold)``: the table :func:`pick` chooses from."""
    table = []
    for threshold in thresholds:
        scores = {
            suite: balanced_accuracy(
                [r["gold"] for r in suite_rows], [verdict(r, threshold) for r in suite_rows]
            )["balanced_accuracy"]
            for suite, suite_rows in rows.items()
        }
        mean = sum(scores.values()) / len(scores)
        table.append({"threshold": threshold, **scores, "mean": mean})
    return table


def sweep(rows: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Balanced accuracy per suite and their mean at every distinct support value."""
    supports = {
        s["support"]
        for suite_rows in rows.values()
        for row in suite_rows
        for s in row["sentences"]
        if s["support"] is not None
    }
    table = scored(rows, sorted(supports | {0.5}), predicted)
    return [r | {"mean": round(r["mean"], 4)} for r in table]


def pick(table: list[dict[str, Any]], window: float = WINDOW) -> dict[str, Any]:
    """The sweep row whose neighbourhood (thresholds within ``window``) has the best mean: the
    middle of a plateau, not a peak at the edge of a cliff."""

    def smoothed(row: dict[str, Any]) -> float:
        near = [r["mean"] for r in table if abs(r["threshold"] - row["threshold"]) <= window]
        return sum(near) / len(near)

    return max(table, key=lambda r: (smoothed(r), r["mean"]))


Example = tuple[dict[str, float], bool]  # a checked sentence's signals, and whether supported
PENALTY = 1.0  # L2 penalty of the logistic fit (on standardized signals)
FOLDS = 5


def examples(rows: dict[str, list[dict[str, Any]]]) -> list[Example]:
    """(signals, supported) per checked sentence: all of a consistent item's sentences; of an
    inconsistent item, only its least supported sentence (the one most likely to be wrong)."""
    out = []
    for suite_rows in rows.values():
        for row in suite_rows:
            sentences = [s for s in row["sentences"] if s.get("signals")]
            if not sentences:
                continue
            if row["gold"]:
                out += [(s["signals"], True) for s in sentences]
            else:
                weakest = min(sentences, key=lambda s: s["signals"]["support"])
                out.append((weakest["signals"], False))
    return out


def fit(data: Sequence[Example], penalty: float = PENALTY) -> dict[str, float]:
    """Logistic regression by Newton's method on standardized signals, with the two classes
    weighted equally (balanced accuracy is the target); the weights are returned on the raw
    signals, with a "bias"."""
    x = np.array([[values.get(k, 0.0) for k in SIGNALS] for values, _ in data], dtype=float)
    y = np.array([float(label) for _, label in data])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    pos = y.sum()
    weight = np.where(y == 1, len(y) / (2 * max(pos, 1)), len(y) / (2 * max(len(y) - pos, 1)))
    beta = np.zeros(z.shape[1])
    ridge = np.eye(z.shape[1]) * penalty
    ridge[0, 0] = 0.0  # the bias is not penalized
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -60, 60)))
        gradient = z.T @ (weight * (p - y)) + ridge @ beta
        hessian = (z * (weight * p * (1 - p))[:, None]).T @ z + ridge
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    raw = beta[1:] / scale
    weights = {"bias": float(beta[0] - (raw * mean).sum())}
    weights |= {k: float(w) for k, w in zip(SIGNALS, raw, strict=True)}
    return {k: round(v, 4) for k, v in weights.items()}


def calibrated_verdict(row: dict[str, Any], weights: dict[str, float], cut: float) -> bool:
    """An item is consistent when every sentence's calibrated probability reaches ``cut``."""
    sentences = row["sentences"]
    return bool(sentences) and all(
        s.get("signals") and calibrated(weights, s["signals"]) >= cut for s in sentences
    )


def with_cut(weights: dict[str, float], rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The cut-off on the calibrated probability with the best smoothed mean balanced accuracy
    over the suites, and the weights with it folded into the bias (so that one half decides)."""
    probabilities = sorted(
        {
            round(calibrated(weights, s["signals"]), 4)
            for suite_rows in rows.values()
            for row in suite_rows
            for s in row["sentences"]
            if s.get("signals")
        }
        | {0.5}
    )
    table = scored(rows, probabilities, lambda r, cut: calibrated_verdict(r, weights, cut))
    best = pick(table)
    cut = min(max(best["threshold"], 1e-4), 1 - 1e-4)
    folded = dict(weights)
    folded["bias"] = round(weights["bias"] - float(np.log(cut / (1 - cut))), 4)
    return {"weights": folded, "cut": cut, "best": best}


def cross_validated(rows: dict[str, list[dict[str, Any]]], folds: int = FOLDS) -> dict[str, float]:
    """Balanced accuracy per suite of the calibrated decision, each item judged by a fit (and
    a cut-off) made without its fold."""
    predicted: dict[str, list[bool]] = {suite: [] for suite in rows}
    for fold in range(folds):
        train = {s: [r for i, r in enumerate(rs) if i % folds != fold] for s, rs in rows.items()}
        test = {s: [r for i, r in enumerate(rs) if i % folds == fold] for s, rs in rows.items()}
        fitted = with_cut(fit(examples(train)), train)["weights"]
        for suite, suite_rows in test.items():
            predicted[suite] += [calibrated_verdict(r, fitted, 0.5) for r in suite_rows]
    out = {}
    for suite, suite_rows in rows.items():
        order = [r for f in range(folds) for i, r in enumerate(suite_rows) if i % folds == f]
        gold = [r["gold"] for r in order]
        out[suite] = balanced_accuracy(gold, predicted[suite])["balanced_accuracy"]
    return out


def score_recorded(
    run: Path, threshold: float, weights: dict[str, float] | None = None
) -> dict[str, dict[str, Any]]:
    """Balanced accuracy of a recorded ``claimcheck eval`` run of SummEdits or QAGS (its
    ``items.jsonl``) at another support threshold, with the code's findings and by the support
    probability alone, and with calibrated ``weights`` (the decision fitted here) when given:
    what the run would have scored, without the model."""
    items = Items(run / "items.jsonl").rows
    out = {}
    for suite in LOADERS:
        rows = [r for k, r in items.items() if k.startswith(f"{suite}/") and "sentences" in r]
        if not rows:
            continue
        gold = [r["gold"] for r in rows]
        out[suite] = {
            "items": len(rows),
            "claimcheck": balanced_accuracy(gold, [predicted(r, threshold) for r in rows]),
            "support alone": balanced_accuracy(
                gold, [supported_at(r["sentences"], threshold, checks=False) for r in rows]
            ),
        }
        if weights:
            out[suite]["calibrated decision"] = balanced_accuracy(
                gold, [calibrated_verdict(r, weights, 0.5) for r in rows]
            )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.calibrate", description=__doc__)
    parser.add_argument("--per-suite", type=int, default=100, help="held-out items per suite")
    parser.add_argument("--model", default=None, help="packaged model name or GGUF path")
    parser.add_argument("--out", type=Path, default=Path("build/calibration"))
    parser.add_argument(
        "--score",
        type=Path,
        nargs="*",
        default=[],
        metavar="RUN",
        help="output folders of recorded eval runs to score at the fitted threshold",
    )
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
    result: dict[str, Any] = {
        "threshold": best["threshold"],
        "best": best,
        "items": {s: len(r) for s, r in rows.items()},
    }
    data = examples(rows)
    if data and len({label for _, label in data}) == 2:
        decision = with_cut(fit(data), rows)
        result["decision"] = decision
        result["decision_cross_validated"] = cross_validated(rows)
        result["threshold_rule"] = {s: best[s] for s in rows}
        print("calibrated decision, 5-fold cross-validated balanced accuracy:", file=sys.stderr)
        for suite in rows:
            print(
                f"  {suite}: {result['decision_cross_validated'][suite]:.3f}"
                f" (threshold rule, fitted on all: {best[suite]:.3f})",
                file=sys.stderr,
            )
        weights = ", ".join(f'("{k}", {v})' for k, v in decision["weights"].items())
        print(f"decision=({weights}),", file=sys.stderr)
    for run in args.score:
        fitted = result["decision"]["weights"] if "decision" in result else None
        scored = score_recorded(run, best["threshold"], fitted)
        result.setdefault("scored", {})[str(run)] = scored
        for suite, scores in scored.items():
            decided = scores.get("calibrated decision", {}).get("balanced_accuracy")
            print(
                f"{run} {suite} ({scores['items']} items) at {best['threshold']:.4f}: "
                f"{scores['claimcheck']['balanced_accuracy']:.3f}, support alone "
                f"{scores['support alone']['balanced_accuracy']:.3f}"
                + ("" if decided is None else f", calibrated decision {decided:.3f}"),
                file=sys.stderr,
            )
    (args.out / "calibration.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    print(
        f"support threshold: {best['threshold']:.4f} (mean balanced accuracy {best['mean']:.3f})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
