"""Attribution scores of three systems on the same articles: the reporting-verb rule
baseline, the parser alone (candidates with their proposed speakers) and the full pipeline
(parser + model, what ``cc.claims()`` returns). Run by ``python -m evals`` (evals/run.py)."""

from __future__ import annotations

from typing import Any

from claimcheck.attribution import Candidate, find_candidates
from claimcheck.claims import decide

from .loaders import AttributionDoc
from .metrics import PRF, SystemAttribution, score_attributions

SYSTEMS = ("baseline", "parser", "pipeline")


def parser_items(text: str) -> list[tuple[SystemAttribution, Candidate]]:
    """The parser's candidates with the speakers it proposes, after the code's decisions
    (``claims.decide``: no questions, nested reports) and, like ``claims()``, without a
    candidate nobody is named for: all of the pipeline but the model. Each with its candidate."""
    out = []
    for draft in decide(text, find_candidates(text)):
        c = draft.cand
        written = text[c.source.start : c.source.end] if c.source else None
        if not (c.speaker or written):
            continue
        spans = tuple((s.start, s.end) for s in c.content)
        out.append((SystemAttribution(spans, c.speaker or written), c))
    return out


def parser_only(text: str) -> list[SystemAttribution]:
    """:func:`parser_items` without the candidates."""
    return [item for item, _ in parser_items(text)]


def dump(items: list[SystemAttribution]) -> list[dict[str, Any]]:
    return [{"content": [list(s) for s in i.content], "speaker": i.speaker} for i in items]


def load(rows: list[dict[str, Any]]) -> list[SystemAttribution]:
    return [SystemAttribution(tuple(tuple(s) for s in r["content"]), r["speaker"]) for r in rows]


def score(docs: list[AttributionDoc], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Micro-averaged scores of every system present for every document."""
    report: dict[str, Any] = {}
    for system in SYSTEMS:
        if not all(system in rows.get(d.name, {}) for d in docs):
            continue
        totals = {"span": PRF(), "span+speaker": PRF(), "span+speaker (strict)": PRF()}
        for doc in docs:
            items = load(rows[doc.name][system])
            span, speaker = score_attributions(items, doc.gold)
            _, strict = score_attributions(items, doc.gold, strict=True)
            totals["span"].add(span)
            totals["span+speaker"].add(speaker)
            totals["span+speaker (strict)"].add(strict)
        report[system] = {k: v.as_dict() for k, v in totals.items()}
    stats = [rows[d.name]["stats"] for d in docs if "stats" in rows.get(d.name, {})]
    if stats:
        report["pipeline_stats"] = {
            "articles": len(stats),
            "candidates": sum(s["candidates"] for s in stats),
            "kept": sum(s["kept"] for s in stats),
            **{
                key: sum(s.get(key, 0) for s in stats)
                for key in (
                    "speakers_resolved",
                    "questions",
                    "no_speaker",
                    "merged",
                    "asked_model",
                    "rewrites",
                    "code_sentences",
                    "furniture_lines",
                )
            },
            "seconds": round(sum(s["wall_seconds"] for s in stats), 1),
        }
    return report
