"""One evaluation command for every capability, each score beside its baseline.

    claimcheck eval [--suite own|polnear|summedits|qags|all] [--limit N] [--model M] [--out DIR]
                    [--parts claims,checks,qa,summaries]   (of the own suite)
    claimcheck eval --compare A.json B.json
    python -m evals ...                      (the same)

Suites:

- ``own``: the project's test set (evals/cases): attribution, claim checking, questions and
  summaries on the same articles, all stored in one fresh store.
- ``polnear``: attribution on PolNeAR dev; ``summedits`` and ``qags``: claim checking.

Every item's outcome is appended to ``DIR/items.jsonl`` as it comes; running again with the same
``--out`` resumes where it stopped. ``DIR/report.md``, ``DIR/report.json``, ``DIR/scores.png`` and
``DIR/latency.png`` are written at the end. Any returned quote that is not ``text[start:end]`` of
its article fails the run (exit 1), as does a score below ``--floors``. Metrics are defined in
evals/README.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck, llm, prompts
from claimcheck.ask import asked_speaker
from claimcheck.models import Article, Quote
from claimcheck.settings import Settings

from . import attribution as attribution_eval
from . import claim_quality, peers
from .baselines import entity_number_rule, lead_sentences, reporting_verb_rule, retrieval_answer
from .cases import Case, load_cases
from .loaders import DataMissing, load_polnear, load_qags, load_summedits
from .metrics import (
    SystemAttribution,
    balanced_accuracy,
    label_scores,
    p95,
    supported_at,
    word_recall,
)
from .report import check_floors, compare, markdown, plots, versions

SUITES = ("own", "polnear", "summedits", "qags")
REPORTED_LIMIT = 200  # the SummEdits and QAGS sample size the README reports (--limit 200)
LABELS = ("supported", "refuted", "not_enough_info")


class EvalFailure(Exception):
    """The run finished but must fail: an inexact quote, or a score under its floor."""


# -- bookkeeping ------------------------------------------------------------------------------


@dataclass
class Items:
    """Per-item outcomes, appended to a JSONL file as they come, reloaded to resume."""

    path: Path
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    self.rows[row["key"]] = row

    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: str, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if key not in self.rows:
            row = {"key": key, **compute()}
            with self.lock:
                self.rows[key] = row
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return self.rows[key]

    def prefetch(
        self, work: Sequence[tuple[str, Callable[[], dict[str, Any]]]], workers: int
    ) -> None:
        """Compute the missing items ``workers`` at a time (CLAIMCHECK_MODEL_CONCURRENCY), so
        that the loop reading them in order finds them done. With one worker, nothing: the loop
        computes each in turn."""
        missing = [(k, c) for k, c in work if k not in self.rows]
        if workers <= 1 or len(missing) <= 1:
            return
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eval") as pool:
            for future in [pool.submit(self.get, k, c) for k, c in missing]:
                future.result()


class Progress:
    """A progress bar on a terminal, one line per item otherwise (CI logs)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._bar: Any = None

    @contextmanager
    def task(self, name: str, total: int) -> Iterator[Callable[[str], None]]:
        if self.tty:
            from rich.progress import Progress as Bar

            with Bar(transient=False) as bar:
                task = bar.add_task(name, total=total)
                yield lambda _label: bar.advance(task)
            return
        done = 0

        def step(label: str) -> None:
            nonlocal done
            done += 1
            print(f"[{name} {done}/{total}] {label}", file=sys.stderr, flush=True)

        yield step


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    return result, round(time.perf_counter() - started, 2)


def quote_counts(quotes: Sequence[Quote], text_of: Callable[[str], str]) -> tuple[int, int]:
    """(exact, total): how many quotes are ``text[start:end]`` of the article they name."""
    exact = sum(text_of(q.article_id)[q.start : q.end] == q.text for q in quotes)
    return exact, len(quotes)


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def _p95(values: Sequence[float]) -> float | None:
    return round(p95(values), 2) if values else None


def cost(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    seconds = [r["seconds"] for r in rows if "seconds" in r]
    return {
        "items": len(rows),
        "seconds_median": _median(seconds),
        "seconds_p95": _p95(seconds),
        "seconds_total": round(sum(seconds), 1),
        "input_tokens": sum(r.get("input_tokens", 0) for r in rows),
        "cached_tokens": sum(r.get("cached_tokens", 0) for r in rows),
        "output_tokens": sum(r.get("output_tokens", 0) for r in rows),
    }


@dataclass
class Context:
    cc: ClaimCheck
    items: Items
    progress: Progress
    quotes: list[tuple[int, int]] = field(default_factory=list)  # (exact, total) per item
    latencies: dict[str, list[float]] = field(default_factory=dict)
    fidelity: bool = True  # check each claim sentence against its own speaker, cue and quote
    peers: tuple[str, ...] = ()  # evals/peers.py: frameworks scored beside claimcheck

    def record(self, task: str, row: dict[str, Any]) -> dict[str, Any]:
        if "quotes_total" in row:
            self.quotes.append((row["quotes_exact"], row["quotes_total"]))
        if "seconds" in row:
            self.latencies.setdefault(task, []).append(row["seconds"])
        return row

    def text_of(self, article_id: str) -> str:
        return self.cc.get(article_id).text


# -- tasks ------------------------------------------------------------------------------------


def claims_row(ctx: Context, article: Article, fidelity: bool = True) -> dict[str, Any]:
    claim_set, seconds = timed(lambda: ctx.cc.claim_set(article.id, refresh=True))

    def check(claim: str, evidence: str) -> Any:
        return ctx.cc.check(claim, text=evidence)

    quality = claim_quality.claim_rows(
        article.text, claim_set.claims, check if fidelity and ctx.fidelity else None
    )
    quotes = [q for c in claim_set.claims for q in c.quote]
    quotes += [q for c in claim_set.claims for q in (c.speaker_span, c.cue_span) if q]
    exact, total = quote_counts(quotes, ctx.text_of)
    items = [
        SystemAttribution(tuple((q.start, q.end) for q in c.quote), c.speaker)
        for c in claim_set.claims
    ]
    return {
        "pipeline": attribution_eval.dump(items),
        "seconds": seconds,
        "input_tokens": claim_set.stats.input_tokens,
        "output_tokens": claim_set.stats.output_tokens,
        "stats": claim_set.stats.model_dump() | {"wall_seconds": seconds},
        "quality": quality,
        "quotes_exact": exact,
        "quotes_total": total,
    }


def claims_quality(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The claim sentences' scores over a suite (rows of runs before them lack them)."""
    return claim_quality.score([q for r in rows for q in r.get("quality", [])])


def check_row(ctx: Context, claim: str, article_id: str, gold: str) -> dict[str, Any]:
    verdict, seconds = timed(lambda: ctx.cc.check(claim, article_id))
    exact, total = quote_counts(verdict.evidence, ctx.text_of)
    return {
        "gold": gold,
        "label": verdict.label,
        "support": verdict.support,
        "contradiction": verdict.contradiction,
        "signals": verdict.signals,
        "findings": verdict.findings,
        "baseline": "supported"
        if entity_number_rule(ctx.text_of(article_id), claim)
        else "refuted",
        "seconds": seconds,
        "input_tokens": verdict.input_tokens,
        "cached_tokens": verdict.cached_tokens,
        "output_tokens": verdict.output_tokens,
        "quotes_exact": exact,
        "quotes_total": total,
    }


def checks_score(rows: Sequence[dict[str, Any]], labels: Sequence[str]) -> dict[str, Any]:
    gold = [r["gold"] for r in rows]
    return {
        "claimcheck": label_scores(gold, [r["label"] for r in rows], labels),
        "baseline": label_scores(gold, [r["baseline"] for r in rows], labels),
    }


# -- suites -----------------------------------------------------------------------------------


OWN_PARTS = ("claims", "checks", "qa", "summaries")


def run_own(ctx: Context, limit: int | None, parts: Sequence[str] = OWN_PARTS) -> dict[str, Any]:
    cases = load_cases()[:limit] if limit else load_cases()
    ids: dict[str, str] = {}
    for case in cases:
        data = case.data
        ids[case.name] = ctx.cc.ingest(
            case.text,
            title=data.get("title"),
            source=data.get("source"),
            published=data.get("published"),
        ).id
    report: dict[str, Any] = {"articles": len(cases), "parts": list(parts)}
    attribution_rows: dict[str, dict[str, Any]] = {}
    check_rows: list[dict[str, Any]] = []
    if "claims" in parts:
        _own_claims(ctx, cases, ids, attribution_rows, report)
    if "checks" in parts:
        _own_checks(ctx, cases, ids, check_rows, report)
    if "qa" in parts:
        report["qa"] = qa_suite(ctx, cases, ids)
    if "summaries" in parts:
        report["summaries"] = summary_suite(ctx, cases, ids)
    report["cost"] = {
        "claims": cost(list(attribution_rows.values())),
        "check": cost(check_rows),
    }
    return report


def _own_claims(
    ctx: Context,
    cases: Sequence[Case],
    ids: dict[str, str],
    attribution_rows: dict[str, dict[str, Any]],
    report: dict[str, Any],
) -> None:
    work = [
        (f"own/claims/{c.name}", functools.partial(claims_row, ctx, ctx.cc.get(ids[c.name])))
        for c in cases
    ]
    ctx.items.prefetch(work, ctx.cc.settings.concurrency)
    with ctx.progress.task("own: claims", len(cases)) as step:
        for case, (key, make) in zip(cases, work, strict=True):
            row = ctx.items.get(key, make)
            doc = case.attribution_doc
            row = row | {
                "baseline": attribution_eval.dump(reporting_verb_rule(doc.text)),
                "parser": attribution_eval.dump(attribution_eval.parser_only(doc.text)),
            }
            attribution_rows[case.name] = ctx.record("claims", row)
            step(case.name)
    docs = [c.attribution_doc for c in cases]
    report["attribution"] = attribution_eval.score(docs, attribution_rows)
    report["claims"] = claims_quality(list(attribution_rows.values()))


def _own_checks(
    ctx: Context,
    cases: Sequence[Case],
    ids: dict[str, str],
    check_rows: list[dict[str, Any]],
    report: dict[str, Any],
) -> None:
    """Claim checking, three labels."""
    total = sum(len(c.data["claims"]) for c in cases)
    ctx.items.prefetch(
        [
            (
                f"own/check/{case.name}/{n}",
                functools.partial(check_row, ctx, item["claim"], ids[case.name], item["label"]),
            )
            for case in cases
            for n, item in enumerate(case.data["claims"])
        ],
        ctx.cc.settings.concurrency,
    )
    with ctx.progress.task("own: checks", total) as step:
        for case in cases:
            for n, item in enumerate(case.data["claims"]):
                row = ctx.items.get(
                    f"own/check/{case.name}/{n}",
                    functools.partial(check_row, ctx, item["claim"], ids[case.name], item["label"]),
                )
                check_rows.append(ctx.record("check", row))
                step(f"{case.name} #{n}")
    report["checking"] = checks_score(check_rows, LABELS)


def qa_suite(ctx: Context, cases: Sequence[Case], ids: dict[str, str]) -> dict[str, Any]:
    """Questions over all the suite's articles: answer-fact recall, citation precision,
    refusal correctness; beside the retrieval-only baseline (the best-matching sentence)."""
    questions = [(case, n, q) for case in cases for n, q in enumerate(case.data["questions"])]
    articles = [ctx.cc.get(ids[c.name]) for c in cases]
    pending = [q for c, n, q in questions if f"own/ask/{c.name}/{n}" not in ctx.items.rows]
    if any(asked_speaker(q["question"]) for q in pending):
        ctx.cc.claims_all()  # "what did X say" is answered from the stored claims
    rows = []
    with ctx.progress.task("own: questions", len(questions)) as step:
        for case, n, q in questions:

            def compute(q: dict[str, Any] = q) -> dict[str, Any]:
                answer, seconds = timed(
                    lambda: ctx.cc.ask(q["question"], article_ids=list(ids.values()))
                )
                exact, total = quote_counts(answer.citations, ctx.text_of)
                base_article, base_text = retrieval_answer(q["question"], articles)
                return {
                    "expected": ids.get(q["article"]) if q.get("article") else None,
                    "facts": q["answer_facts"],
                    "asks_speaker": asked_speaker(q["question"]) is not None,
                    "from_claims": answer.speaker is not None,
                    "answered": answer.answered,
                    "answer": answer.answer,
                    "cited": [c.article_id for c in answer.citations],
                    "baseline_answer": base_text,
                    "baseline_cited": [base_article] if base_article else [],
                    "seconds": seconds,
                    "input_tokens": answer.input_tokens,
                    "output_tokens": answer.output_tokens,
                    "quotes_exact": exact,
                    "quotes_total": total,
                }

            rows.append(ctx.record("ask", ctx.items.get(f"own/ask/{case.name}/{n}", compute)))
            step(f"{case.name} #{n}")
    said = [r for r in rows if r.get("asks_speaker")]
    return {
        "claimcheck": qa_scores(rows, "answer", "cited", "answered"),
        "baseline": qa_scores(rows, "baseline_answer", "baseline_cited", None),
        # "What did X say about Y?": answered from X's stored claims
        "speaker_questions": {
            "claimcheck": qa_scores(said, "answer", "cited", "answered"),
            "baseline": qa_scores(said, "baseline_answer", "baseline_cited", None),
            "from_claims": sum(bool(r.get("from_claims")) for r in said),
        }
        if said
        else None,
        "cost": cost(rows),
    }


def qa_scores(
    rows: Sequence[dict[str, Any]], answer_key: str, cited_key: str, answered_key: str | None
) -> dict[str, Any]:
    answerable = [r for r in rows if r["expected"]]
    unanswerable = [r for r in rows if not r["expected"]]
    facts = [(f, r[answer_key]) for r in answerable for f in r["facts"]]
    cited = [(a, r["expected"]) for r in answerable for a in r[cited_key]]

    def answered(r: dict[str, Any]) -> bool:
        return r[answered_key] if answered_key else bool(r[answer_key])

    refusals = [not answered(r) for r in unanswerable] + [answered(r) for r in answerable]
    return {
        "answer_fact_recall": round(sum(word_recall(f, a) == 1.0 for f, a in facts) / len(facts), 4)
        if facts
        else None,
        "citation_precision": round(sum(a == e for a, e in cited) / len(cited), 4)
        if cited
        else None,
        "refusal_correctness": round(sum(refusals) / len(refusals), 4) if refusals else None,
        "questions": len(rows),
        "unanswerable": len(unanswerable),
    }


def summary_suite(ctx: Context, cases: Sequence[Case], ids: dict[str, str]) -> dict[str, Any]:
    """Summaries and the lead-3 baseline: citation validity, the share of sentences the claim
    checker finds supported, length, and word recall of the reference summary."""
    rows = []
    with ctx.progress.task("own: summaries", len(cases)) as step:
        for case in cases:

            def compute(case: Case = case) -> dict[str, Any]:
                article = ctx.cc.get(ids[case.name])
                summary, seconds = timed(lambda: ctx.cc.summarize(article.id, refresh=True))
                citations = [q for s in summary.sentences for q in s.citations]
                exact, total = quote_counts(citations, ctx.text_of)
                lead = lead_sentences(article.text, 3)
                facts = case.data.get("key_facts", [])
                written = " ".join(s.text for s in summary.sentences)
                return {
                    "key_facts": facts,
                    # a key fact is carried when the checker finds the summary supports it
                    "facts_carried": [ctx.cc.check(f, text=written).label for f in facts],
                    "lead_facts_carried": [
                        ctx.cc.check(f, text=" ".join(lead)).label for f in facts
                    ],
                    "sentences": [s.text for s in summary.sentences],
                    "supported": [
                        ctx.cc.check(s.text, article.id).label for s in summary.sentences
                    ],
                    "lead": lead,
                    "lead_supported": [ctx.cc.check(s, article.id).label for s in lead],
                    "reference": case.data["summary"],
                    "seconds": seconds,
                    "input_tokens": summary.input_tokens,
                    "output_tokens": summary.output_tokens,
                    "quotes_exact": exact,
                    "quotes_total": total,
                }

            rows.append(ctx.record("summary", ctx.items.get(f"own/summary/{case.name}", compute)))
            step(case.name)

    def scores(text_key: str, label_key: str, valid: bool, fact_key: str) -> dict[str, Any]:
        labels = [lab for r in rows for lab in r[label_key]]
        return {
            "citation_validity": (
                round(
                    sum(r["quotes_exact"] for r in rows)
                    / max(1, sum(r["quotes_total"] for r in rows)),
                    4,
                )
                if valid
                else 1.0
            ),
            "supported_share": round(labels.count("supported") / len(labels), 4)
            if labels
            else None,
            "words": _median([len(" ".join(r[text_key]).split()) for r in rows]),
            "reference_word_recall": round(
                statistics.mean(word_recall(r["reference"], " ".join(r[text_key])) for r in rows), 4
            ),
            **key_fact_scores(rows, text_key, fact_key),
        }

    return {
        "claimcheck": scores("sentences", "supported", True, "facts_carried"),
        "baseline": scores("lead", "lead_supported", False, "lead_facts_carried"),
        "cost": cost(rows),
    }


FACT_WORDS = 0.6  # a key fact is carried lexically when this share of its words is there


def carried_lexically(fact: str, text: str) -> bool:
    """Whether ``text`` holds at least ``FACT_WORDS`` of the fact's content words."""
    return word_recall(fact, text) >= FACT_WORDS


def key_fact_scores(
    rows: Sequence[dict[str, Any]], text_key: str, fact_key: str
) -> dict[str, float | None]:
    """Key-fact recall of the summaries (or the baseline): the share of the gold key facts the
    checker finds supported by the summary, and beside it the share of which the summary holds
    at least ``FACT_WORDS`` of the content words (numbers included)."""
    rows = [r for r in rows if r.get("key_facts")]
    labels = [lab for r in rows for lab in r[fact_key]]
    lexical = [
        carried_lexically(fact, " ".join(r[text_key])) for r in rows for fact in r["key_facts"]
    ]
    return {
        "key_fact_recall": round(labels.count("supported") / len(labels), 4) if labels else None,
        "key_fact_recall_lexical": round(sum(lexical) / len(lexical), 4) if lexical else None,
    }


POLNEAR_FIDELITY_EVERY = 12  # the checker reads the claims of every 12th article


def run_polnear(ctx: Context, limit: int | None) -> dict[str, Any]:
    docs = load_polnear(limit=limit)
    rows: dict[str, dict[str, Any]] = {}

    def compute(doc: Any, n: int) -> dict[str, Any]:
        article = ctx.cc.ingest(doc.text, title=doc.name)
        return claims_row(ctx, article, fidelity=n % POLNEAR_FIDELITY_EVERY == 0)

    work = [
        (f"polnear/claims/{doc.name}", functools.partial(compute, doc, n))
        for n, doc in enumerate(docs)
    ]
    ctx.items.prefetch(work, ctx.cc.settings.concurrency)
    with ctx.progress.task("polnear: claims", len(docs)) as step:
        for (key, make), doc in zip(work, docs, strict=True):
            row = ctx.items.get(key, make)
            rows[doc.name] = ctx.record("claims", row) | {
                "baseline": attribution_eval.dump(reporting_verb_rule(doc.text)),
                "parser": attribution_eval.dump(attribution_eval.parser_only(doc.text)),
            }
            step(doc.name)
    return {
        "articles": len(docs),
        "attribution": attribution_eval.score(docs, rows),
        "claims": claims_quality(list(rows.values())),
        "cost": {"claims": cost(list(rows.values()))},
    }


def run_binary_checking(
    ctx: Context, suite: str, limit: int | None, items: Sequence[Any] | None = None
) -> dict[str, Any]:
    """SummEdits (the whole summary with check_text; consistent when every sentence is
    supported) or QAGS (each summary sentence with check); ``items`` replaces the suite's
    sample (the held-out items of evals/calibrate.py)."""
    if items is None:
        items = (load_summedits if suite == "summedits" else load_qags)(limit=limit)
    ids: dict[str, str] = {}
    rows = []
    with ctx.progress.task(f"{suite}: checks", len(items)) as step:
        for item in items:

            def compute(item: Any = item) -> dict[str, Any]:
                if item.doc not in ids:
                    ids[item.doc] = ctx.cc.ingest(item.doc).id
                report, seconds = timed(lambda: ctx.cc.check_text(item.text, ids[item.doc]))
                quotes = [q for v in report.verdicts for q in v.evidence]
                exact, total = quote_counts(quotes, ctx.text_of)
                return {
                    "gold": item.consistent,
                    "predicted": all(v.label == "supported" for v in report.verdicts),
                    "labels": [v.label for v in report.verdicts],
                    # what a threshold sweep needs (evals/calibrate.py)
                    "sentences": [
                        {
                            "support": v.support,
                            "flagged": bool(v.findings),
                            "signals": v.signals,
                            "label": v.label,
                        }
                        for v in report.verdicts
                    ],
                    "baseline": entity_number_rule(item.doc, item.text),
                    "seconds": seconds,
                    "seconds_per_check": round(seconds / max(1, len(report.verdicts)), 2),
                    "input_tokens": sum(v.input_tokens for v in report.verdicts),
                    "cached_tokens": sum(v.cached_tokens for v in report.verdicts),
                    "output_tokens": sum(v.output_tokens for v in report.verdicts),
                    "quotes_exact": exact,
                    "quotes_total": total,
                }

            rows.append(ctx.record("check", ctx.items.get(f"{suite}/{item.id}", compute)))
            step(item.id)
    gold = [r["gold"] for r in rows]
    threshold = llm.support_threshold(ctx.cc.settings)
    checking: dict[str, Any] = {
        "claimcheck": balanced_accuracy(gold, [r["predicted"] for r in rows]),
        "baseline": balanced_accuracy(gold, [r["baseline"] for r in rows]),
    }
    if all("sentences" in r for r in rows):  # rows of runs before the support probability lack it
        checking["support alone"] = balanced_accuracy(
            gold,
            [supported_at(r["sentences"], threshold, checks=False) for r in rows],
        )
        checking["threshold"] = threshold
    for peer in ctx.peers:
        checking[peer] = peer_rows(ctx, suite, peer, items)
    return {
        "items": len(rows),
        "checking": checking,
        "cost": {
            "check": cost(rows)
            | {"seconds_per_check_median": _median([r["seconds_per_check"] for r in rows])}
        },
    }


# -- entry point ------------------------------------------------------------------------------


def settings_for(model: str | None, home: Path) -> Settings:
    """Settings of the eval's fresh store under ``home``; the model file stays where the
    user's settings keep it (no 1 GB copy per run)."""
    base = Settings()
    update: dict[str, Any] = {"home": home, "chroma_url": None}
    if model and (model.endswith(".gguf") or Path(model).is_file()):
        update["model_path"] = Path(model).expanduser()
    elif model:
        update["model"] = model
    settings = base.model_copy(update=update)
    if not settings.hosted and settings.model_path is None:
        settings = settings.model_copy(
            update={
                "model_path": llm.ensure_model_file(
                    base.model_copy(update={"model": settings.model})
                )
            }
        )
    return settings


def peer_rows(ctx: Context, suite: str, peer: str, items: Sequence[Any]) -> dict[str, Any]:
    """A peer framework on the suite's items, through the server claimcheck's model runs on."""
    settings = ctx.cc.settings
    if settings.hosted:
        base_url = settings.openai_base_url or "https://api.openai.com/v1"
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
    else:
        base_url, key = llm.embedded_server(settings).url + "/v1", "none"
    score: peers.Scorer | None = None
    rows = []
    with ctx.progress.task(f"{suite}: {peer}", len(items)) as step:
        for item in items:

            def compute(item: Any = item) -> dict[str, Any]:
                nonlocal score
                score = score or peers.scorer(peer, base_url, llm.model_name(settings), key)
                return peers.score_item(score, item.text, item.doc, item.consistent)

            rows.append(ctx.items.get(f"{suite}/{peer}/{item.id}", compute))
            step(item.id)
    return peers.summary(rows)


def run(
    suites: Sequence[str],
    *,
    limit: int | None = None,
    model: str | None = None,
    out: Path | None = None,
    floors: Path | None = None,
    parts: Sequence[str] = OWN_PARTS,
    peer_names: Sequence[str] = (),
) -> dict[str, Any]:
    out = out or Settings().home / "evals" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    report: dict[str, Any] = {"suites": {}, "skipped": {}}
    with tempfile.TemporaryDirectory(prefix="claimcheck-eval-") as tmp:
        settings = settings_for(model, Path(tmp))
        with ClaimCheck(settings=settings) as cc:
            ctx = Context(cc, Items(out / "items.jsonl"), Progress(), peers=tuple(peer_names))
            runners: dict[str, Callable[[], dict[str, Any]]] = {
                "own": lambda: run_own(ctx, limit, parts),
                "polnear": lambda: run_polnear(ctx, limit),
                "summedits": lambda: run_binary_checking(ctx, "summedits", limit),
                "qags": lambda: run_binary_checking(ctx, "qags", limit),
            }
            for suite in suites:
                try:
                    report["suites"][suite] = runners[suite]()
                except DataMissing as exc:
                    print(f"skipping {suite}: {exc}", file=sys.stderr)
                    report["skipped"][suite] = str(exc)
            model_id = cc.model_id
    exact = sum(e for e, _ in ctx.quotes)
    total = sum(t for _, t in ctx.quotes)
    report["quotes"] = {
        "exact": exact,
        "total": total,
        "exactness": round(exact / total, 6) if total else 1.0,
    }
    report["meta"] = {
        "started": started_at,
        "seconds": round(time.perf_counter() - started, 1),
        "suites": list(suites),
        "limit": limit,
        "model": model_id,
        "prompts": {
            name: prompts.load(name).version for name in ("claims", "summary", "check", "ask")
        },
        "versions": versions(),
        "threads": settings.threads,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "argv": sys.argv[1:],
        "cpu_count": os.cpu_count(),
    }
    (out / "report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")
    plots(report, ctx.latencies, out)
    problems = []
    if exact != total:
        problems.append(f"{total - exact} of {total} returned quotes are not text[start:end]")
    if floors is not None:
        problems += check_floors(report, json.loads(floors.read_text(encoding="utf-8")))
    report["problems"] = problems
    print(f"report: {out / 'report.md'}", file=sys.stderr)
    if problems:
        raise EvalFailure("; ".join(problems))
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="claimcheck eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=[*SUITES, "all"], default="own")
    parser.add_argument(
        "--limit", type=int, default=None, help="items (articles for own and polnear) per suite"
    )
    parser.add_argument(
        "--model", default=None, help="packaged model name, OpenAI model name or GGUF path"
    )
    parser.add_argument("--out", type=Path, default=None, help="output folder (resumes a run)")
    parser.add_argument(
        "--floors", type=Path, default=None, help="fail when a score is below these"
    )
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A.json", "B.json"))
    parser.add_argument(
        "--parts",
        default=",".join(OWN_PARTS),
        help=f"of the own suite, comma-separated: {', '.join(OWN_PARTS)} (default all)",
    )
    parser.add_argument(
        "--peers",
        default="",
        help=f"on summedits and qags, beside claimcheck, comma-separated: {', '.join(peers.PEERS)}"
        " (needs the optional extra peers)",
    )
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if not parts or set(parts) - set(OWN_PARTS):
        parser.error(f"--parts: choose from {', '.join(OWN_PARTS)}")
    peer_names = [p.strip() for p in args.peers.split(",") if p.strip()]
    if set(peer_names) - set(peers.PEERS):
        parser.error(f"--peers: choose from {', '.join(peers.PEERS)}")
    if args.compare:
        sys.stdout.write(compare(*args.compare))
        return 0
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    suites = list(SUITES) if args.suite == "all" else [args.suite]
    try:
        report = run(
            suites,
            limit=args.limit,
            model=args.model,
            out=args.out,
            floors=args.floors,
            parts=parts,
            peer_names=peer_names,
        )
    except (EvalFailure, peers.PeerMissing) as exc:
        print(f"eval failed: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(markdown(report))
    return 0
