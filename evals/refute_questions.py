"""Ways of telling refuted from not enough info (and from supported), asked on the dev cases.

    .venv/bin/python -m evals.refute_questions [--cases dev|own] [--out build/refute-questions]

The packaged 1.5B's answer to the contradiction question follows its support probability
(on the dev cases every supported claim scored 0.71-0.90 on it), so a true claim just under
the support threshold comes back refuted. This asks, for every claim of the cases, the support
question and several other one-token questions on the same prefix (the check's prompt, in the
model's view), and prints for each how well it ranks refuted claims above the others: over all
claims, and over those the check does not find supported (where the refuted-or-not decision
is made). Every claim's answers are appended to ``OUT/<cases>.jsonl`` as they come (run again
to resume). ``--cases dev`` to choose; ``--cases own`` only to see a choice hold.
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck, check, llm
from claimcheck.structured import Usage, _invoke, yes_probability

from .cases import LABELS
from .check_dev import FOLDERS, record
from .check_variants import auc
from .metrics import label_scores
from .run import settings_for

QUESTIONS = {
    "support": None,  # the check's own tasks
    "contradict": None,
    "false": "Is the claim false according to the article? Answer yes or no.",
    "different": (
        "Does the article give a different number, name, date, place or outcome for the "
        "same thing the claim states? Answer yes or no."
    ),
    "mentioned": (
        "Does the article mention the event or fact the claim is about, whether or not it "
        "agrees? Answer yes or no."
    ),
    "opposite": "Does the article say the opposite of the claim? Answer yes or no.",
}
CHOICE = (
    "Which is right? A: the article states the claim. B: the article states something that "
    "conflicts with the claim. C: the article does not say. Answer with one letter."
)


def choice(cc: ClaimCheck, messages: list[Any], usage: Usage) -> dict[str, float] | None:
    """P(A), P(B), P(C) of a one-letter answer, normalized over the three."""
    model = cc.chat_model.bind(max_tokens=1, logprobs=True, top_logprobs=20)
    message = _invoke(model, messages, usage)
    logprobs = (getattr(message, "response_metadata", None) or {}).get("logprobs") or {}
    first = (logprobs.get("content") or [{}])[0]
    mass = {"A": 0.0, "B": 0.0, "C": 0.0}
    for candidate in first.get("top_logprobs") or []:
        token = str(candidate.get("token", "")).strip().upper()
        if token in mass:
            mass[token] += math.exp(float(candidate["logprob"]))
    total = sum(mass.values())
    return {k: v / total for k, v in mass.items()} if total else None


def ask(cc: ClaimCheck, claim: str, found: Any, view: str) -> dict[str, Any]:
    if found is None:
        return {"relevant": False}
    usage = Usage()
    asking = check.Asking(cc.chat_model, claim, found[0], usage, article=view == "article")
    row: dict[str, Any] = {"relevant": True}
    for name, text in QUESTIONS.items():
        task = asking.prompt.tasks[name] if text is None else text
        messages = asking.prompt.messages(
            document=asking.document, evidence=asking.evidence_block, claim=claim, task=task
        )
        row[name] = yes_probability(cc.chat_model, messages, usage)
    messages = asking.prompt.messages(
        document=asking.document, evidence=asking.evidence_block, claim=claim, task=CHOICE
    )
    row["choice"] = choice(cc, messages, usage)
    return row


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.refute_questions", description=__doc__)
    parser.add_argument("--cases", choices=sorted(FOLDERS), default="dev")
    parser.add_argument("--out", type=Path, default=Path("build/refute-questions"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.cases}.jsonl"
    with tempfile.TemporaryDirectory(prefix="claimcheck-refute-") as tmp:
        settings = settings_for(None, Path(tmp))
        rows = record(settings, FOLDERS[args.cases], path, ask)
    threshold = llm.support_threshold(settings)
    rows = [r | {"flagged": bool(r["conflicting"] or r["negation"])} for r in rows]
    report(rows, threshold)
    return 0


def signals(row: dict[str, Any]) -> dict[str, float]:
    out = {name: row.get(name) or 0.0 for name in QUESTIONS}
    c = row.get("choice") or {"A": 1 / 3, "B": 1 / 3, "C": 1 / 3}
    out |= {"choice B": c["B"], "choice B/(B+C)": c["B"] / max(c["B"] + c["C"], 1e-9)}
    out["contradict - support"] = out["contradict"] - out["support"]
    return out


def report(rows: Sequence[dict[str, Any]], threshold: float) -> None:
    relevant = [r for r in rows if r["relevant"]]
    unsupported = [r for r in relevant if (r["support"] or 0) < threshold or r["flagged"]]
    print(
        f"{len(rows)} claims, {len(relevant)} relevant, {len(unsupported)} not supported at "
        f"{threshold}; AUC of refuted against the rest"
    )
    print("| signal | AUC, all relevant | AUC, not supported | median on supported |")
    print("| --- | ---: | ---: | ---: |")
    for name in signals(relevant[0]):
        every = auc(
            [r["gold"] == "refuted" for r in relevant], [signals(r)[name] for r in relevant]
        )
        unsup = auc(
            [r["gold"] == "refuted" for r in unsupported],
            [signals(r)[name] for r in unsupported],
        )
        on_true = [signals(r)[name] for r in relevant if r["gold"] == "supported"]
        median = round(statistics.median(on_true), 2) if on_true else None
        print(f"| {name} | {every} | {unsup} | {median} |")
    print(
        "\nthree-label balanced accuracy (recall of refuted, not enough info) when a claim not "
        "supported is refuted by the code's findings, a similarity (rows) or the question's "
        "log-odds above the support's by a margin (columns)"
    )
    for question in ("contradict", "opposite"):
        print(f"\n{question}: | similarity | " + " | ".join(f"{m}" for m in MARGINS) + " |")
        for similarity in (None, 0.7, 0.75, 0.8):
            cells = []
            for margin in MARGINS:
                labels = [label(r, threshold, similarity, question, margin) for r in rows]
                got = label_scores([r["gold"] for r in rows], labels, LABELS)
                recall = got["recall"]
                cells.append(
                    f"{got['balanced_accuracy']:.3f} ({recall['refuted']:.2f}, "
                    f"{recall['not_enough_info']:.2f})"
                )
            print(f"| {similarity} | " + " | ".join(cells) + " |")


MARGINS = (None, 0.2, 0.4, 0.6, 0.8, 1.0)


def log_odds(p: float | None) -> float:
    return check.log_odds(0.5 if p is None else p)


def label(
    row: dict[str, Any],
    threshold: float,
    similarity: float | None,
    question: str,
    margin: float | None,
) -> str:
    """The check's label from a recorded row, with a claim not supported refuted by the code's
    findings, by ``similarity`` or by ``question``'s log-odds above the support's by
    ``margin``."""
    if not row["relevant"]:
        return "not_enough_info"
    findings = check.Findings(
        missing=row["missing"], conflicting=row["conflicting"], negation=row["negation"]
    )
    if check.decide(row["support"], findings, threshold)[0]:
        return "supported"
    if findings.conflicting or findings.negation:
        return "refuted"
    if similarity is not None and row["similarity"] >= similarity:
        return "refuted"
    if margin is not None and log_odds(row[question]) - log_odds(row["support"]) >= margin:
        return "refuted"
    return "not_enough_info"


if __name__ == "__main__":
    raise SystemExit(main())
