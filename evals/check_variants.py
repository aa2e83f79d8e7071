"""Ways of asking the one-token check questions, compared on the same dev items.

    .venv/bin/python -m evals.check_variants [--suite summedits] [--items 40] [--beside 1 evidence]

For each held-out item (``evals.calibrate.held_out``: never in the reported sample) and each
of its sentences, the evidence is gathered once and the support and contradiction questions
are asked with each number of best evidence sentences shown again after the article
(``check.Asking.beside``). Every variant shares the article's cached prefix, so an item costs
one read of its article plus a few dozen tokens a question. Each item's probabilities and
seconds are appended to ``--out`` as they come (run again to resume). Prints, per variant:
the AUC of the item's weakest support probability, the best balanced accuracy over
thresholds (with the code's findings, as the check decides; optimistic on few items, alike
for every variant), and the median seconds of a support question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck, check
from claimcheck.evidence import Evidence
from claimcheck.structured import Usage
from claimcheck.text import sentences

from .calibrate import held_out, pick, scored
from .metrics import balanced_accuracy
from .run import settings_for


def ask_sentences(
    cc: ClaimCheck, doc_id: str, text: str, ask: Callable[[str, list[Evidence]], dict[str, Any]]
) -> dict[str, Any]:
    """Every sentence of ``text`` as a claim against the stored article: its evidence gathered
    once, and ``ask(claim, evidence)``'s answers recorded beside the code's findings."""
    candidates = cc._reading.candidates(cc.get(doc_id))
    out = []
    for span in sentences(text):
        claim = " ".join(text[span.start : span.end].split())
        found = check.gather(claim, candidates, cc._reading.embed)
        if found is None:
            out.append({"claim": claim, "relevant": False})
            continue
        evidence, findings = found
        row = {"claim": claim, "relevant": True, "flagged": bool(findings.notes)}
        out.append(row | ask(claim, evidence))
    return {"sentences": out}


def ask_item(cc: ClaimCheck, doc_id: str, text: str, beside: Sequence[str]) -> dict[str, Any]:
    """Every sentence of ``text`` against the stored article, asked in every variant."""

    def ask(claim: str, evidence: list[Evidence]) -> dict[str, Any]:
        row = {}
        for n in beside:
            if n.startswith("evidence"):  # the numbered evidence alone, no article
                most = int(n.removeprefix("evidence")) if n != "evidence" else None
                asking = check.Asking(
                    cc.chat_model, claim, evidence, Usage(), article=False, most=most
                )
            else:
                asking = check.Asking(cc.chat_model, claim, evidence, Usage(), beside=int(n))
            started = time.perf_counter()
            support = asking.probability("support")
            seconds = time.perf_counter() - started
            usage_in = asking.usage.input_tokens
            contradiction = asking.probability("contradict")
            row[n] = {
                "support": support,
                "contradiction": contradiction,
                "seconds": round(seconds, 3),
                "input_tokens": usage_in,
            }
        return row

    return ask_sentences(cc, doc_id, text, ask)


def recorded(path: Path) -> dict[str, dict[str, Any]]:
    """The rows recorded at ``path`` by item id, the last of an id kept; none if no file."""
    done = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["id"]] = row
    return done


def held_out_rows(
    suite: str, n: int, path: Path, ask_item: Callable[[ClaimCheck, str, str], dict[str, Any]]
) -> list[dict[str, Any]]:
    """``ask_item(cc, doc_id, text)`` on each of ``n`` held-out items of ``suite``, each row
    appended to ``path`` as it comes; the items recorded there before are not asked again."""
    done = recorded(path)
    items = sorted(held_out(suite, n), key=lambda i: i.doc)  # one read of each document
    with tempfile.TemporaryDirectory(prefix="claimcheck-held-out-") as tmp:
        with ClaimCheck(settings=settings_for(None, Path(tmp))) as cc:
            for count, item in enumerate(items, 1):
                if item.id in done:
                    continue
                doc_id = cc.ingest(item.doc).id
                row = {"id": item.id, "gold": item.consistent} | ask_item(cc, doc_id, item.text)
                done[item.id] = row
                with path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                print(f"[{count}/{len(items)}] {item.id}", flush=True)
    return [done[item.id] for item in items]


def auc(gold: Sequence[bool], scores: Sequence[float]) -> float:
    """Probability that a consistent item scores above an inconsistent one (ties count half)."""
    pos = [s for g, s in zip(gold, scores, strict=True) if g]
    neg = [s for g, s in zip(gold, scores, strict=True) if not g]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return round(wins / (len(pos) * len(neg)), 4)


def weakest(row: dict[str, Any], variant: str, checks: bool = False) -> float:
    """An item's score in a variant: its weakest sentence's support (0 for a sentence with no
    evidence; at most 0.25 for one the code's findings flag, with ``checks``)."""
    values = []
    for s in row["sentences"]:
        if not s["relevant"]:
            values.append(0.0)
            continue
        p = s[variant]["support"] or 0.0
        values.append(min(p, 0.25) if checks and s["flagged"] else p)
    return min(values, default=0.0)


def sweep(gold: Sequence[bool], scores: Sequence[float]) -> dict[str, Any]:
    """The best balanced accuracy over every threshold the scores offer, with its threshold
    (the lowest of equals; optimistic on few items, alike for every variant)."""
    best: dict[str, Any] = {"balanced_accuracy": 0.0}
    for t in sorted(set(scores)):
        ba = balanced_accuracy(list(gold), [s >= t for s in scores])
        if ba["balanced_accuracy"] > best["balanced_accuracy"]:
            best = ba | {"threshold": t}
    return best


def score(rows: Sequence[dict[str, Any]], variant: str) -> dict[str, Any]:
    gold = [r["gold"] for r in rows]
    best: dict[str, Any] = {"balanced_accuracy": 0.0}
    for checks in (False, True):
        found = sweep(gold, [weakest(r, variant, checks) for r in rows])
        if found["balanced_accuracy"] > best["balanced_accuracy"]:
            best = found | {"checks": checks}
    seconds = [s[variant]["seconds"] for r in rows for s in r["sentences"] if s["relevant"]]
    return {
        "auc": auc(gold, [weakest(r, variant) for r in rows]),
        "auc_with_checks": auc(gold, [weakest(r, variant, True) for r in rows]),
        "best": best,
        "median_seconds": round(statistics.median(seconds), 2) if seconds else None,
    }


def predicted(row: dict[str, Any], variant: str, threshold: float) -> bool:
    """The check's verdict on an item: every sentence's support reaches the threshold and
    the code found nothing wrong."""
    return all(
        s["relevant"] and (s[variant]["support"] or 0.0) >= threshold and not s["flagged"]
        for s in row["sentences"]
    )


def joint_threshold(out: Path, variant: str) -> dict[str, Any] | None:
    """The support threshold fitted on every suite recorded under ``out`` at once, as
    ``evals.calibrate`` picks it: the middle of the plateau of the mean balanced accuracy."""
    suites = {}
    for path in sorted(out.glob("*.jsonl")):
        rows: dict[str, dict[str, Any]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if all(variant in x for x in row["sentences"] if x["relevant"]):
                rows[row["id"]] = row
        suites[path.stem] = list(rows.values())
    if len(suites) < 2:
        return None
    thresholds = [step / 100 for step in range(5, 96)]
    table = scored(suites, thresholds, lambda row, t: predicted(row, variant, t))
    best = pick(table)
    return best | {"items": {suite: len(rows) for suite, rows in suites.items()}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.check_variants", description=__doc__)
    parser.add_argument("--suite", default="summedits", choices=("summedits", "qags"))
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument(
        "--beside",
        nargs="+",
        default=["0", "1", "4"],
        help="best evidence sentences shown again after the article; 'evidence': the "
        "numbered evidence alone, without the article; 'evidenceN': its N best ranked "
        "sentences and those holding the claim's facts they lack (check.covering)",
    )
    parser.add_argument("--out", type=Path, default=Path("build/check-variants"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.suite}.jsonl"
    done = recorded(path)
    items = sorted(held_out(args.suite, args.items), key=lambda i: i.doc)  # one read a doc
    wanted = list(args.beside)
    with tempfile.TemporaryDirectory(prefix="claimcheck-variants-") as tmp:
        with ClaimCheck(settings=settings_for(None, Path(tmp))) as cc:
            for n, item in enumerate(items, 1):
                row = done.get(item.id)
                if row and all(w in s for s in row["sentences"] if s["relevant"] for w in wanted):
                    continue
                doc_id = cc.ingest(item.doc).id
                asked = [
                    w
                    for w in wanted
                    if not row or not all(w in s for s in row["sentences"] if s["relevant"])
                ]
                new = ask_item(cc, doc_id, item.text, asked)
                if row:  # the variants asked before are kept beside the new ones
                    for before, now in zip(row["sentences"], new["sentences"], strict=True):
                        now |= {k: v for k, v in before.items() if k not in now}
                row = {"id": item.id, "gold": item.consistent} | new
                done[item.id] = row
                with path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                print(f"[{n}/{len(items)}] {item.id}", flush=True)
    rows = [done[item.id] for item in items]
    print(f"{args.suite}, {len(rows)} held-out items, {sum(r['gold'] for r in rows)} consistent")
    print(
        "| evidence sentences beside the article | AUC | AUC, findings | best balanced "
        "accuracy (threshold) | median s a support question |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    for variant in wanted:
        s = score(rows, variant)
        best = s["best"]
        print(
            f"| {variant} | {s['auc']} | {s['auc_with_checks']} | {best['balanced_accuracy']} "
            f"({best.get('threshold', 0):.3f}{', findings' if best.get('checks') else ''}) "
            f"| {s['median_seconds']} |"
        )
        joint = joint_threshold(args.out, variant)
        if joint:
            print(f"  fitted on every suite under {args.out}, {variant} beside: {joint}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
