"""Which of the code's findings should overrule the model's support, chosen on held-out
records and scored on recorded runs, without the model (seconds).

    .venv/bin/python -m evals.overrules [--held-out build/calibration] [--score RUN ...]
                                        [--own RUN]

A check is ``supported`` when the support probability reaches the threshold and no finding
overrules it. The findings (``claimcheck.check.Findings``, recorded as signals): facts of the
claim the article lacks ("missing"), of them those the evidence gives another value for
("conflicting"), and a flipped negation. Each rule below names the findings that overrule:

- ``all``: every finding (the packaged model's rule until 2026-12-07);
- ``conflict``: another value for the same thing, or a flipped negation; a fact merely not
  found (most often a paraphrased place or nationality) does not overrule;
- ``none``: the support probability alone.

For each rule the threshold is swept on the held-out items of ``evals.calibrate`` (recorded
by ``python -m evals.calibrate --out DIR``; never in the reported samples) and picked as
there (a plateau's middle). ``--score`` then scores recorded ``claimcheck eval --suite
summedits|qags --out RUN`` runs with each rule at its threshold, and ``--own`` a recorded
``claimcheck eval --suite own --parts checks`` run: three labels, a claim not supported being
refuted by a conflicting fact or a flipped negation, or by the packaged model's refute rule
(closest evidence similarity, contradiction probability), else not enough info.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from claimcheck import check, llm
from claimcheck.settings import Settings

from .calibrate import LOADERS, held_out, pick, scored
from .metrics import balanced_accuracy, label_scores
from .run import Items

Rule = Callable[[dict[str, float]], bool]  # whether a sentence's findings overrule its support

RULES: dict[str, Rule] = {
    "all": lambda s: s["missing"] + s["conflicting"] + s["negation"] > 0,
    "conflict": lambda s: s["conflicting"] + s["negation"] > 0,
    "none": lambda s: False,
}


def supported(sentence: dict[str, Any], threshold: float, rule: Rule) -> bool:
    signals = sentence.get("signals")
    if sentence.get("support") is None or not signals:
        return False
    return bool(sentence["support"] >= threshold and not rule(signals))


def consistent(row: dict[str, Any], threshold: float, rule: Rule) -> bool:
    """A checked text is consistent when every sentence is supported."""
    return bool(row["sentences"]) and all(supported(s, threshold, rule) for s in row["sentences"])


def sweep(rows: dict[str, list[dict[str, Any]]], rule: Rule) -> list[dict[str, Any]]:
    supports = {s["support"] for rs in rows.values() for r in rs for s in r["sentences"]}
    thresholds = sorted({t for t in supports if t is not None} | {0.5})
    return scored(rows, thresholds, lambda row, threshold: consistent(row, threshold, rule))


def held_out_rows(folder: Path, per_suite: int) -> dict[str, list[dict[str, Any]]]:
    """The recorded held-out items of each suite (those of ``held_out(suite, per_suite)``)."""
    items = Items(folder / "items.jsonl").rows
    rows = {}
    for suite in LOADERS:
        keys = [f"{suite}/{item.id}" for item in held_out(suite, per_suite)]
        recorded = [items[k] for k in keys if k in items and "sentences" in items[k]]
        if recorded:
            rows[suite] = recorded
    return rows


def own_label(
    row: dict[str, Any], threshold: float, rule: Rule, refute: check.RefuteRule | None = None
) -> str:
    """The three-way verdict of a recorded own-suite check under ``rule``; a claim not
    supported is told refuted or not by :func:`claimcheck.check.refuted`, with ``refute``
    (else the packaged model's rule) and the findings its signals count."""
    signals = row.get("signals") or {}
    sentence = {"support": row.get("support"), "signals": signals}
    if signals and supported(sentence, threshold, rule):
        return "supported"
    findings = check.Findings(
        conflicting=["another value"] * int(signals.get("conflicting", 0)),
        negation="a flipped negation" if signals.get("negation", 0) else None,
    )
    refute = refute or check.RefuteRule(*llm.refute_rule(Settings()))
    similarity = signals.get("similarity", 0.0)
    is_refuted = check.refuted(findings, row.get("contradiction"), similarity, refute)
    return "refuted" if is_refuted else "not_enough_info"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.overrules", description=__doc__)
    parser.add_argument("--held-out", type=Path, default=Path("build/calibration"))
    parser.add_argument("--per-suite", type=int, default=100)
    parser.add_argument("--score", type=Path, nargs="*", default=[], metavar="RUN")
    parser.add_argument("--own", type=Path, default=None, metavar="RUN")
    args = parser.parse_args(argv)
    rows = held_out_rows(args.held_out, args.per_suite)
    counts = ", ".join(f"{suite} {len(rs)}" for suite, rs in rows.items())
    print(f"held-out items recorded: {counts}")
    picked: dict[str, float] = {}
    print("| rule | threshold | " + " | ".join(rows) + " | mean |")
    print("| --- | ---: |" + " ---: |" * (len(rows) + 1))
    for name, rule in RULES.items():
        best = pick(sweep(rows, rule))
        picked[name] = best["threshold"]
        print(
            f"| {name} | {best['threshold']:.4f} | "
            + " | ".join(f"{best[s]:.3f}" for s in rows)
            + f" | {best['mean']:.3f} |"
        )
    for run in args.score:
        items = Items(run / "items.jsonl").rows
        for suite in LOADERS:
            scored = [r for k, r in items.items() if k.startswith(f"{suite}/") and "sentences" in r]
            if not scored:
                continue
            gold = [r["gold"] for r in scored]
            line = ", ".join(
                f"{name} {balanced_accuracy(gold, [consistent(r, picked[name], rule) for r in scored])['balanced_accuracy']:.3f}"  # noqa: E501
                for name, rule in RULES.items()
            )
            print(f"{run} {suite} ({len(scored)} items): {line}")
    if args.own:
        checks = [
            r for k, r in Items(args.own / "items.jsonl").rows.items() if k.startswith("own/check/")
        ]
        gold = [r["gold"] for r in checks]
        labels = ("supported", "refuted", "not_enough_info")
        recorded = label_scores(gold, [r["label"] for r in checks], labels)
        print(
            f"{args.own} own ({len(checks)} claims): recorded {recorded['balanced_accuracy']:.3f}"
            f" (refuted recall {recorded['recall'].get('refuted', 0):.3f})"
        )
        threshold = llm.support_threshold(Settings())
        refute = check.RefuteRule(*llm.refute_rule(Settings()))
        for name, rule in RULES.items():
            for at, why in ((threshold, "packaged threshold"), (picked[name], "picked")):
                verdicts = [own_label(r, at, rule, refute) for r in checks]
                scores = label_scores(gold, verdicts, labels)
                print(
                    f"  {name} at {at:.4f} ({why}): {scores['balanced_accuracy']:.3f} "
                    f"(refuted recall {scores['recall'].get('refuted', 0):.3f})"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
