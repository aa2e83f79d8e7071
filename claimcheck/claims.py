"""Attributable claims: the parser finds who said what, the model names speakers and writes
standalone claims, the code keeps every quote an exact span of the article."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Self

from langchain_core.language_models import BaseChatModel
from pydantic import Field, ValidationInfo, model_validator

from . import prompts
from .attribution import PRONOUNS, Candidate, find_candidates
from .models import Article, Claim, ClaimStats, Quote
from .structured import ModelAnswer, Usage, invoke_structured, json_schema
from .text import CHARS_PER_TOKEN, Span, paragraphs

BATCH = 16  # attributions per model call; the article prefix is reused from llama.cpp's cache
CLAIM_CHARS = 200
CONTENT_CHARS = 200


class ClaimAnswer(ModelAnswer):
    """The model's answer for one attribution."""

    claim: str = Field(
        max_length=CLAIM_CHARS, description="A standalone sentence; empty when it is not a claim."
    )
    speaker: str | None = Field(
        default=None,
        max_length=120,
        description="Who said it, asked only where the parser found no name.",
    )


class ClaimAnswers(ModelAnswer):
    """The model's answers, one per attribution, in the order they were listed."""

    claims: list[ClaimAnswer]

    @model_validator(mode="after")
    def _one_per_attribution(self, info: ValidationInfo) -> Self:
        expected = (info.context or {}).get("attributions")
        if expected is not None and len(self.claims) != expected:
            raise ValueError(f"expected {expected} answers, got {len(self.claims)}")
        return self


def _needs_speaker(cand: Candidate) -> bool:
    return cand.speaker is None


def answer_schema(batch: Sequence[Candidate]) -> dict[str, Any]:
    """:class:`ClaimAnswers` with exactly one answer per attribution, in order (the position
    is the binding: writing ids cost a sixth of the output tokens), and "speaker" only where
    the parser found no name: a schema pydantic cannot say, so it is built from the answer
    model's own schema here."""
    answer = json_schema(ClaimAnswer)
    speaker = {k: v for k, v in answer["properties"]["speaker"].items() if k != "default"}
    claim = answer["properties"]["claim"]
    with_speaker = {**answer, "required": ["speaker", "claim"]}
    with_speaker["properties"] = {"speaker": speaker, "claim": claim}
    without = {**answer, "required": ["claim"]}
    without["properties"] = {"claim": claim}
    answers = [with_speaker if _needs_speaker(cand) else without for cand in batch]
    schema = json_schema(ClaimAnswers)
    schema["properties"]["claims"] = {
        "type": "array",
        "prefixItems": answers,
        "minItems": len(batch),
        "maxItems": len(batch),
    }
    return schema


def _describe(text: str, number: int, cand: Candidate) -> str:
    written = text[cand.source.start : cand.source.end] if cand.source else None
    speaker = cand.speaker or f"{written or '-'}?"
    cue = text[cand.cue.start : cand.cue.end] if cand.cue else "-"
    content = " … ".join(" ".join(text[s.start : s.end].split()) for s in cand.content)
    if len(content) > CONTENT_CHARS:
        content = content[: CONTENT_CHARS - 1] + "…"
    return f"{number} | {speaker} | {cue} | {content}"


def _context(text: str, batch: Sequence[Candidate], budget_chars: int) -> str:
    """The article, or when it is too long, the paragraphs around this batch's attributions."""
    if len(text) <= budget_chars:
        return text
    paras = paragraphs(text)
    first = min(c.sentence.start for c in batch)
    last = max(c.content[-1].end for c in batch)
    idx = [i for i, p in enumerate(paras) if p.end >= first and p.start <= last]
    lo, hi = max(0, idx[0] - 1), idx[-1]
    window = text[paras[lo].start : paras[hi].end]
    if len(window) > budget_chars:  # a single enormous paragraph: the part that matters
        start = max(paras[lo].start, first - budget_chars // 3)
        window = text[start : start + budget_chars]
    return window


def _grounded(name: str | None, text: str) -> bool:
    """A speaker the model names must be a name found in the article (at least its last word),
    not a pronoun or a placeholder."""
    words = (name or "").strip().split()
    if not words or words[-1].lower() in PRONOUNS:
        return False
    last = words[-1].strip(".,'’\"").lower()
    return any(ch.isalpha() for ch in last) and last in text.lower()


def extract(
    article: Article,
    model: BaseChatModel,
    *,
    context_tokens: int = 8192,
    usage: Usage | None = None,
) -> tuple[list[Claim], ClaimStats]:
    """The article's attributable claims and how they were found."""
    started = time.perf_counter()
    usage = usage if usage is not None else Usage()
    text = article.text
    candidates = find_candidates(text)
    prompt = prompts.load("claims", ClaimAnswers)
    budget_chars = int(context_tokens * 0.45 * CHARS_PER_TOKEN)
    claims: list[Claim] = []
    dropped = resolved = 0
    for first in range(0, len(candidates), BATCH):
        batch = candidates[first : first + BATCH]
        ids = list(range(first + 1, first + len(batch) + 1))
        messages = prompt.messages(
            article=_context(text, batch, budget_chars),
            attributions="\n".join(_describe(text, i, c) for i, c in zip(ids, batch, strict=True)),
        )

        result = invoke_structured(
            model,
            messages,
            ClaimAnswers,
            usage=usage,
            max_tokens=80 + 100 * len(batch),
            schema=answer_schema(batch),
            name="claims",
            context={"attributions": len(batch)},
        )
        answers = result.claims
        for cand, answer in zip(batch, answers, strict=True):
            if not answer.claim.strip():
                dropped += 1
                continue
            written = text[cand.source.start : cand.source.end] if cand.source else None
            speaker = (
                answer.speaker.strip()
                if answer.speaker and _grounded(answer.speaker, text)
                else None
            )
            if speaker is None:
                speaker = cand.speaker
            if speaker and (written is None or cand.source_is_pronoun):
                resolved += 1
            claims.append(
                _claim(article, cand, standalone(answer.claim, speaker, cand, text), speaker)
            )
    stats = ClaimStats(
        candidates=len(candidates),
        kept=len(claims),
        dropped_by_model=dropped,
        speakers_resolved=resolved,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        seconds=round(time.perf_counter() - started, 2),
    )
    return claims, stats


def standalone(claim: str, speaker: str | None, cand: Candidate, text: str) -> str:
    """The model's claim, made to name its speaker when the model left the speaker out.

    "The project is expected to cost $2.4 billion" from the city's finance office becomes
    "According to the city's finance office, the project is expected to cost $2.4 billion."
    """
    claim = " ".join(claim.split()).strip()
    if not speaker or _mentions(claim, speaker):
        return claim
    body = claim[:1].lower() + claim[1:] if not claim[:2].isupper() else claim
    body = body.removeprefix("that ").rstrip()
    if not body.endswith((".", "!", "?", "”", "’", "'", '"')):
        body += "."
    cue = " ".join(text[cand.cue.start : cand.cue.end].split()) if cand.cue else "said"
    if cue.lower() == "according to":
        return f"According to {speaker}, {body}"
    return f"{speaker[:1].upper() + speaker[1:]} {cue} {body}"


def _mentions(claim: str, speaker: str) -> bool:
    last = speaker.split()[-1].strip(".,'’").lower()
    return last in claim.lower()


def _quote(article: Article, span: Span) -> Quote:
    return Quote.from_span(article, span.start, span.end)


def _claim(article: Article, cand: Candidate, claim: str, speaker: str | None) -> Claim:
    return Claim(
        claim=claim,
        speaker=speaker,
        cue=article.text[cand.cue.start : cand.cue.end] if cand.cue else None,
        quote=[_quote(article, s) for s in cand.content],
        kind=cand.kind,
        speaker_span=_quote(article, cand.source) if cand.source else None,
        cue_span=_quote(article, cand.cue) if cand.cue else None,
    )
