"""Attributable claims: the parser finds who said what, the code writes each claim's sentence from
the spans, the model is asked only what the code cannot know, and every quote stays an exact
span of the article.

1. :func:`~claimcheck.attribution.find_candidates`: attributions as spans, speakers proposed,
   page furniture left out.
2. In code: a question is not a claim; a candidate nobody can be named for is not a claim; one
   content span is one claim (duplicates merged); a claim reported "according to" someone else
   says so.
3. The model sees only the attributions that need it — a speaker the parser could not name or
   named by pronoun — with the paragraphs around them, and answers per attribution by
   position: the speaker and a standalone rewrite.
4. A rewrite is shown only when :func:`~claimcheck.claimtext.unfaithful` finds nothing wrong
   with it; otherwise the code-built sentence is.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Self

from langchain_core.language_models import BaseChatModel
from pydantic import Field, ValidationInfo, model_validator

from . import prompts
from .attribution import PLURAL_PRONOUNS, PRONOUNS, Candidate, find_candidates, plural_name
from .claimtext import OPENING, SENTENCE_START, code_sentence, content_text, unfaithful
from .furniture import furniture
from .models import Article, Claim, ClaimStats, Quote
from .structured import ModelAnswer, Usage, invoke_structured, json_schema
from .text import CHARS_PER_TOKEN, Span, paragraphs

BATCH = 24  # attributions per model call
CLAIM_CHARS = 300
CONTENT_CHARS = 160


class ClaimAnswer(ModelAnswer):
    """The model's answer for one attribution."""

    claim: str = Field(
        max_length=CLAIM_CHARS,
        description="The attribution as one standalone sentence, pronouns replaced by names.",
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


@dataclass
class Draft:
    """A claim on its way: its candidate, its speaker, and who reports it, if someone does."""

    cand: Candidate
    speaker: str | None
    via: str | None = None

    @property
    def asks_speaker(self) -> bool:
        return self.cand.speaker is None or self.cand.source_is_pronoun

    @property
    def needs_model(self) -> bool:
        """Only a speaker the parser could not name, or named by pronoun, needs the model; the
        sentence of every other claim is built from its spans, which a rewrite held to the
        same words could not improve on."""
        return self.asks_speaker


def answer_schema(batch: Sequence[Draft]) -> dict[str, Any]:
    """:class:`ClaimAnswers` with exactly one answer per attribution, in order (the position
    is the binding), and "speaker" only where the parser could not name one: a schema pydantic
    cannot say, so it is built from the answer model's own schema here."""
    answer = json_schema(ClaimAnswer)
    speaker = {k: v for k, v in answer["properties"]["speaker"].items() if k != "default"}
    claim = answer["properties"]["claim"]
    with_speaker = {**answer, "required": ["speaker", "claim"]}
    with_speaker["properties"] = {"speaker": speaker, "claim": claim}
    without = {**answer, "required": ["claim"]}
    without["properties"] = {"claim": claim}
    schema = json_schema(ClaimAnswers)
    schema["properties"]["claims"] = {
        "type": "array",
        "prefixItems": [with_speaker if d.asks_speaker else without for d in batch],
        "minItems": len(batch),
        "maxItems": len(batch),
    }
    return schema


def _describe(text: str, number: int, draft: Draft) -> str:
    cand = draft.cand
    written = text[cand.source.start : cand.source.end] if cand.source else None
    speaker = draft.speaker if not draft.asks_speaker else f"{written or '-'}?"
    cue = " ".join(text[cand.cue.start : cand.cue.end].split()) if cand.cue else "-"
    content = content_text(text, cand)
    if len(content) > CONTENT_CHARS:
        content = content[: CONTENT_CHARS - 1] + "…"
    return f"{number} | {speaker} | {cue} | {content}"


def _context(text: str, batch: Sequence[Draft], budget_chars: int) -> str:
    """The paragraphs holding this batch's attributions, each with the paragraph before it
    (what a pronoun refers to), in order; cut to the budget around the first one."""
    paras = paragraphs(text)
    wanted: set[int] = set()
    for draft in batch:
        start, end = draft.cand.sentence.start, draft.cand.content[-1].end
        hit = [i for i, p in enumerate(paras) if p.end >= start and p.start <= end]
        for i in hit:
            wanted |= {max(0, i - 1), i}
    pieces = [" ".join(text[paras[i].start : paras[i].end].split()) for i in sorted(wanted)]
    context = "\n\n".join(pieces)
    return context[:budget_chars]


def _grounded(name: str | None, text: str) -> bool:
    """A speaker the model names must be a name found in the article (at least its last word),
    not a pronoun or a placeholder."""
    words = (name or "").strip().split()
    if not words or words[-1].lower() in PRONOUNS:
        return False
    last = words[-1].strip(".,'’\"").lower()
    return any(ch.isalpha() for ch in last) and last in text.lower()


def _fits_pronoun(text: str, draft: Draft, name: str) -> bool:
    """A "they" or "their" the parser resolved to people together ("the two leaders") is not
    handed to one person or a country by the model ("Russia" is an "it"); a pronoun the parser
    could not resolve takes the model's name as it is."""
    source = draft.cand.source
    pronoun = text[source.start : source.end].lower() if source else ""
    return not (pronoun in PLURAL_PRONOUNS and draft.speaker and not plural_name(name))


def _question(text: str, cand: Candidate) -> bool:
    """A content that only asks ("“You winning?”", "QUESTION: Why now?", "asked whether the
    tolls would return") asserts nothing."""
    content = content_text(text, cand)
    first = content.lstrip(OPENING).split()[:1]
    if first and first[0].lower() in ("whether", "if") and cand.extra.get("lemma") in _ASKING:
        return True
    return content.rstrip(" ”’\"'»)").endswith("?")


_ASKING = frozenset({"ask", "wonder", "question"})


def _named(text: str, cand: Candidate) -> bool:
    """A source with a proper name in it, or a pronoun (resolved to one)."""
    if cand.source_is_pronoun or cand.names:
        return True
    written = text[cand.source.start : cand.source.end] if cand.source else ""
    return (
        any(w[:1].isupper() for w in written.split()[1:])
        or written[:1].isupper()
        and (written.split()[0] not in SENTENCE_START)
    )


def _according(text: str, cue: Span) -> bool:
    return " ".join(text[cue.start : cue.end].split()).lower() == "according to"


def _reported_by(text: str, drafts: list[Draft]) -> None:
    """A claim whose cue lies inside another speaker's content is reported by that speaker:
    "Merrill says Machado promised ..." gives Machado's claim "According to Merrill, ...". An
    "according to X" report is no claim of its own beside the claims it holds (the speaker of
    a nested attribution is the inner one)."""
    outers: list[Draft] = []
    unnamed: list[Draft] = []
    for outer in drafts:
        if outer.speaker is None or outer.cand.cue is None:
            continue
        for inner in drafts:
            cue = inner.cand.cue
            if inner is outer or cue is None or inner.speaker == outer.speaker:
                continue
            if any(s.start <= cue.start < s.end for s in outer.cand.content):
                if not _named(text, inner.cand):
                    # "Holm said the forecast assumed X": the forecast is nobody to hold to
                    # X; Holm's claim already says it
                    unnamed.append(inner)
                    continue
                inner.via = inner.via or outer.speaker
                if _according(text, outer.cand.cue) and not _according(text, cue):
                    outers.append(outer)
    drafts[:] = [d for d in drafts if d not in outers and d not in unnamed]


def _merge(claims: list[Claim]) -> list[Claim]:
    """One content span is one claim, and one sentence is one claim: a later claim with the
    same quote spans, or reading the same, is dropped."""
    seen: set[tuple[tuple[int, int], ...]] = set()
    said: set[str] = set()
    out = []
    for claim in claims:
        key = tuple((q.start, q.end) for q in claim.quote)
        sentence = " ".join(claim.claim.lower().split())
        if key not in seen and sentence not in said:
            seen.add(key)
            said.add(sentence)
            out.append(claim)
    return out


def decide(text: str, candidates: Sequence[Candidate]) -> list[Draft]:
    """What the code decides before any model is asked: questions are not claims, and a claim
    inside someone's content is reported by them, unless its speaker has no name ("Holm said
    the forecast assumed X" is Holm's claim alone). (Who cannot be named is decided after
    the model was asked to name them.)"""
    drafts = [Draft(c, c.speaker) for c in candidates if not _question(text, c)]
    _reported_by(text, drafts)
    return drafts


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
    drafts = decide(text, candidates)
    answers = _ask(text, [d for d in drafts if d.needs_model], model, context_tokens, usage)
    claims: list[Claim] = []
    resolved = no_speaker = 0
    for draft in drafts:
        answer = answers.get(id(draft))
        if (
            answer is not None
            and draft.asks_speaker
            and _grounded(answer.speaker, text)
            and _fits_pronoun(text, draft, answer.speaker or "")
        ):
            draft.speaker = (answer.speaker or "").strip()
            resolved += 1
        if not draft.speaker:
            no_speaker += 1  # nobody can be named: not a claim anyone can be held to
            continue
        built = code_sentence(text, draft.cand, draft.speaker, draft.via)
        if answer is not None and not unfaithful(
            answer.claim, built, draft.speaker, _sources(text, draft)
        ):
            claims.append(_claim(article, draft, " ".join(answer.claim.split()), "model"))
        else:
            claims.append(_claim(article, draft, built, "code"))
    merged = _merge(claims)
    stats = ClaimStats(
        candidates=len(candidates),
        kept=len(merged),
        furniture_lines=len(furniture(text)),
        questions=(questions := sum(1 for c in candidates if _question(text, c))),
        nested=len(candidates) - questions - len(drafts),
        no_speaker=no_speaker,
        merged=len(claims) - len(merged),
        speakers_resolved=resolved,
        asked_model=len(answers),
        rewrites=sum(1 for c in merged if c.sentence_source == "model"),
        code_sentences=sum(1 for c in merged if c.sentence_source == "code"),
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cached_tokens=usage.cached_tokens,
        seconds=round(time.perf_counter() - started, 2),
    )
    return merged, stats


def _ask(
    text: str,
    drafts: Sequence[Draft],
    model: BaseChatModel,
    context_tokens: int,
    usage: Usage,
) -> dict[int, ClaimAnswer]:
    """The model's answers for the drafts that need it, by draft identity."""
    if not drafts:
        return {}
    prompt = prompts.load("claims", ClaimAnswers)
    budget_chars = int(context_tokens * 0.45 * CHARS_PER_TOKEN)
    answers: dict[int, ClaimAnswer] = {}
    for first in range(0, len(drafts), BATCH):
        batch = drafts[first : first + BATCH]
        listed = "\n".join(_describe(text, i, d) for i, d in enumerate(batch, 1))
        result = invoke_structured(
            model,
            prompt.messages(article=_context(text, batch, budget_chars), attributions=listed),
            ClaimAnswers,
            usage=usage,
            max_tokens=60 + 90 * len(batch),
            schema=answer_schema(batch),
            name="claims",
            context={"attributions": len(batch)},
        )
        for draft, answer in zip(batch, result.claims, strict=True):
            answers[id(draft)] = answer
    return answers


def _sources(text: str, draft: Draft) -> str:
    """What a rewrite's words may come from: the speaker, the cue, the content and the
    sentences the content lies in."""
    cand = draft.cand
    parts = [draft.speaker or "", draft.via or ""]
    if cand.cue is not None:
        parts.append(text[cand.cue.start : cand.cue.end])
    start = min(cand.sentence.start, *(s.start for s in cand.content))
    end = max(cand.sentence.end, *(s.end for s in cand.content))
    parts.append(text[start:end])
    return " ".join(parts)


def _quote(article: Article, span: Span) -> Quote:
    return Quote.from_span(article, span.start, span.end)


def _claim(
    article: Article, draft: Draft, sentence: str, made_by: Literal["code", "model"]
) -> Claim:
    cand = draft.cand
    return Claim(
        claim=sentence,
        speaker=draft.speaker,
        cue=article.text[cand.cue.start : cand.cue.end] if cand.cue else None,
        quote=[_quote(article, s) for s in cand.content],
        kind=cand.kind,
        speaker_span=_quote(article, cand.source) if cand.source else None,
        cue_span=_quote(article, cand.cue) if cand.cue else None,
        reported_by=draft.via,
        sentence_source=made_by,
    )
