"""Claim sentences as a reader sees them: furniture, garbled, duplicate, and faithful to their
own speaker, cue and quote. Defined in evals/README.md; used by evals/run.py on every suite."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from claimcheck.claimtext import garbled
from claimcheck.evidence import STOP_WORDS, content_words
from claimcheck.furniture import furniture, overlaps_furniture
from claimcheck.models import Claim, Verdict
from claimcheck.text import Span

# Words a claim sentence may use beyond its speaker, cue and quote: reporting words.
FRAMING = frozenset("said says according told added".split())


def evidence_text(claim: Claim, text: str = "") -> str:
    """What a claim rests on, as one text: who (and who reports it), the cue, the words that
    join the cue to the quote in the article (at most five, as the claim sentence takes them)
    and the quote."""
    who = claim.speaker or ""
    cue = claim.cue or "said"
    if text and claim.cue_span is not None and claim.cue_span.end <= claim.quote[0].start:
        gap = text[claim.cue_span.end : claim.quote[0].start]
        if len(gap.split()) <= 5 and "\n" not in gap:
            cue = f"{cue} {' '.join(gap.split())}".strip()
    quote = " ".join(" ".join(q.text.split()) for q in claim.quote)
    lead = f"According to {claim.reported_by}, " if claim.reported_by else ""
    return f"{lead}{who} {cue} {quote}"


def lexical_precision(claim: Claim, text: str = "") -> float:
    """Share of the claim sentence's content words that its speaker, cue and quote hold."""
    words = content_words(claim.claim)
    if not words:
        return 1.0
    allowed = content_words(evidence_text(claim, text)) | FRAMING | STOP_WORDS
    return len(words & allowed) / len(words)


def claim_rows(
    text: str, claims: Sequence[Claim], check: Callable[[str, str], Verdict] | None = None
) -> list[dict[str, Any]]:
    """One row per claim: its sentence, where it came from, and every quality flag; with
    ``check`` (claim, text -> Verdict) also whether the checker finds the sentence supported
    by its own speaker, cue and quote."""
    lines = furniture(text)
    seen_spans: set[tuple[tuple[int, int], ...]] = set()
    seen_sentences: set[str] = set()
    rows = []
    for claim in claims:
        spans = tuple((q.start, q.end) for q in claim.quote)
        parts = [Span(*s) for s in spans]
        if claim.speaker_span is not None:
            parts.append(Span(claim.speaker_span.start, claim.speaker_span.end))
        sentence = " ".join(claim.claim.lower().split())
        row: dict[str, Any] = {
            "claim": claim.claim,
            "speaker": claim.speaker,
            "made_by": claim.sentence_source,
            "furniture": any(overlaps_furniture(p, lines) for p in parts),
            "garbled": garbled(claim.claim, claim.speaker),
            "duplicate": spans in seen_spans or sentence in seen_sentences,
            "lexical_precision": round(lexical_precision(claim, text), 4),
        }
        seen_spans.add(spans)
        seen_sentences.add(sentence)
        if check is not None:
            verdict = check(claim.claim, evidence_text(claim, text))
            row["faithful"] = verdict.label == "supported"
            row["fidelity_label"] = verdict.label
        rows.append(row)
    return rows


def score(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts of furniture, garbled and duplicate claims; fidelity and lexical precision."""
    total = len(rows)
    checked = [r for r in rows if "faithful" in r]
    out: dict[str, Any] = {
        "claims": total,
        "furniture": sum(1 for r in rows if r["furniture"]),
        "garbled": sum(1 for r in rows if r["garbled"]),
        "duplicates": sum(1 for r in rows if r["duplicate"]),
        "lexical_precision": round(sum(r["lexical_precision"] for r in rows) / total, 4)
        if total
        else 1.0,
        "model_sentences": sum(1 for r in rows if r["made_by"] == "model"),
        "code_sentences": sum(1 for r in rows if r["made_by"] == "code"),
    }
    if checked:
        out["fidelity"] = round(sum(1 for r in checked if r["faithful"]) / len(checked), 4)
        out["fidelity_checked"] = len(checked)
    return out
