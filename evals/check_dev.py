"""The three-way check on the development cases: the model's answers recorded once, the
decision refitted from them in seconds.

    .venv/bin/python -m evals.check_dev [--cases dev|own] [--view evidence|article]
                                        [--out build/check-dev]

``--cases dev`` (the default) are ``evals/cases/dev``: articles and claims of each label
written to choose and fit the check's rules and thresholds on (true paraphrases, changed
values, details the article does not give). ``--cases own`` are the reported cases of
``evals/cases``: run them to see a choice hold on cases nothing was fitted on, never to fit.

For every claim the support and the contradiction questions are both asked (the check asks the
second only for a claim it does not find supported), and their probabilities are appended to
``OUT/<cases>-<view>.jsonl`` as they come (run again to resume; the model is asked only for
claims not yet recorded). ``--view`` is what the check shows the model, as
``CLAIMCHECK_CHECK_VIEW`` sets it; the model's own choice by default. The code's findings are
cheap and are computed again on every run with the code as it is, so a change to them is
measured without the model. Prints each claim's signals and, for the refuted-or-not rule's
similarity and contradiction thresholds swept, the three-label balanced accuracy and the
recall of refuted and not-enough-info at the model's support threshold.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck, check, llm
from claimcheck.evidence import Evidence
from claimcheck.settings import Settings
from claimcheck.structured import Usage

from .cases import CASES, LABELS, load_cases
from .metrics import label_scores
from .run import settings_for

FOLDERS = {"dev": CASES / "dev", "own": CASES}


Found = tuple[list[Evidence], check.Findings] | None  # what check.gather returns
Asker = Callable[[ClaimCheck, str, Found, str], dict[str, Any]]  # claim, found, view: answers


def ask(cc: ClaimCheck, claim: str, found: Found, view: str) -> dict[str, Any]:
    """The support and contradiction probabilities of one claim, as the check asks them."""
    if found is None:
        return {"relevant": False}
    asking = check.Asking(cc.chat_model, claim, found[0], Usage(), article=view == "article")
    started = time.perf_counter()
    support = asking.probability("support")
    seconds = time.perf_counter() - started
    contradiction = asking.probability("contradict")
    return {
        "relevant": True,
        "support": support,
        "contradiction": contradiction,
        "support_seconds": round(seconds, 3),
        "input_tokens": asking.usage.input_tokens,
        "cached_tokens": asking.usage.cached_tokens,
    }


def code_signals(found: Found) -> dict[str, Any]:
    """What the code finds about the claim, with the code as it is now: the findings and how
    close the best evidence is."""
    if found is None:
        return {"missing": [], "conflicting": [], "negation": None, "similarity": 0.0}
    evidence, findings = found
    return {
        "missing": findings.missing,
        "conflicting": findings.conflicting,
        "negation": findings.negation,
        "similarity": max(e.similarity for e in evidence),
    }


def label_of(
    row: dict[str, Any], threshold: float, rule: check.RefuteRule, overrule: bool = True
) -> str:
    """The check's label from a recorded row, as :func:`claimcheck.check.check_claim` decides
    it without a calibrated decision (``overrule``: whether the code's findings overrule)."""
    if not row["relevant"]:
        return "not_enough_info"
    findings = check.Findings(
        missing=row["missing"], conflicting=row["conflicting"], negation=row["negation"]
    )
    supported, _ = check.decide(row["support"], findings, threshold, overrule=overrule)
    if supported:
        return "supported"
    contradiction = row["contradiction"] if rule.contradiction is not None else None
    is_refuted = check.refuted(findings, contradiction, row["similarity"], rule)
    return "refuted" if is_refuted else "not_enough_info"


def scores(
    rows: Sequence[dict[str, Any]], threshold: float, rule: check.RefuteRule, overrule: bool = True
) -> dict:
    gold = [r["gold"] for r in rows]
    return label_scores(gold, [label_of(r, threshold, rule, overrule) for r in rows], LABELS)


SIMILARITIES = (None, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
CONTRADICTIONS = (None, 0.5, 0.6, 0.7)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.check_dev", description=__doc__)
    parser.add_argument("--cases", choices=sorted(FOLDERS), default="dev")
    parser.add_argument("--view", choices=("evidence", "article"), default=None)
    parser.add_argument("--out", type=Path, default=Path("build/check-dev"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="claimcheck-dev-") as tmp:
        settings = settings_for(None, Path(tmp))
        if args.view:
            settings = settings.model_copy(update={"check_view": args.view})
        view = llm.check_view(settings)
        path = args.out / f"{args.cases}-{view}.jsonl"
        rows = record(settings, FOLDERS[args.cases], path)
    threshold = llm.support_threshold(settings)
    rule = check.RefuteRule(*llm.refute_rule(settings))
    report(rows, args.cases, view, threshold, rule, llm.findings_overrule(settings))
    return 0


def record(
    settings: Settings, folder: Path, path: Path, asker: Asker | None = None
) -> list[dict[str, Any]]:
    """Every claim's recorded answers (asking the model, by ``asker`` or else :func:`ask`,
    for those not yet in ``path``) and the code's signals."""
    view = llm.check_view(settings)
    done: dict[str, dict[str, Any]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["id"]] = row
    cases = load_cases(folder)
    rows = []
    with ClaimCheck(settings=settings) as cc:
        for case in cases:
            article = cc.ingest(case.text, title=case.data.get("title"))
            candidates = cc._reading.candidates(article)
            for n, item in enumerate(case.data.get("claims", [])):
                key, claim = f"{case.name}/{n}", item["claim"]
                found = check.gather(claim, candidates, cc._reading.embed)
                if key not in done or done[key]["claim"] != claim:
                    row = {"id": key, "claim": claim, "gold": item["label"]}
                    row |= (asker or ask)(cc, claim, found, view)
                    done[key] = row
                    with path.open("a", encoding="utf-8") as fh:
                        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                rows.append(done[key] | code_signals(found))
    return rows


def report(
    rows: Sequence[dict[str, Any]],
    cases: str,
    view: str,
    threshold: float,
    rule: check.RefuteRule,
    overrule: bool = True,
) -> None:
    print(f"{cases}, the {view} view: {len(rows)} claims, support threshold {threshold}, {rule}")
    for r in rows:
        notes = "; ".join(r["missing"] + ([r["negation"]] if r["negation"] else []))
        print(
            f"{r['gold'][:5]:5} -> {label_of(r, threshold, rule, overrule)[:5]:5}"
            f" support {r.get('support') or 0:.2f} contra {r.get('contradiction') or 0:.2f}"
            f" similarity {r['similarity']:.2f}{' conflicting' if r['conflicting'] else ''}"
            f"  {r['claim'][:70]}{'  [' + notes + ']' if notes else ''}"
        )
    print(
        "\nthree-label balanced accuracy (recall refuted, not enough info) when a claim not "
        "supported is refuted at a similarity (rows) or a contradiction probability (columns)"
    )
    print("| similarity | " + " | ".join(f"contradiction {c}" for c in CONTRADICTIONS) + " |")
    print("| ---: |" + " ---: |" * len(CONTRADICTIONS))
    for similarity in SIMILARITIES:
        cells = []
        for contradiction in CONTRADICTIONS:
            s = scores(rows, threshold, check.RefuteRule(similarity, contradiction), overrule)
            recall = s["recall"]
            cells.append(
                f"{s['balanced_accuracy']:.3f} ({recall['refuted']:.2f}, "
                f"{recall['not_enough_info']:.2f})"
            )
        print(f"| {similarity} | " + " | ".join(cells) + " |")
    s = scores(rows, threshold, rule, overrule)
    print(
        f"\nthe model's rule (findings {'' if overrule else 'do not '}overrule): "
        f"{s['balanced_accuracy']}, recall {s['recall']}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
