"""Answering questions from the stored articles, every answer sentence backed by verbatim
citations.

Retrieval is hybrid: Chroma's vector search and a lexical search for the question's names,
numbers and rare words (Chroma's full-text ``$contains``), fused by reciprocal rank. The best
sentences of the retrieved chunks are numbered for the model, which answers and cites numbers.
An answer sentence whose citations do not hold its numbers, dates and names, or share too few of
its words, is removed, not shipped; with nothing left the answer is "the stored articles do not
say".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Annotated

from langchain_core.language_models import BaseChatModel
from pydantic import Field, create_model

from . import prompts
from .evidence import (
    NAMED,
    NUMERIC,
    Embed,
    Evidence,
    fact_found,
    find_facts,
    normalize_words,
    number_lines,
    overlap,
    quotes,
    rank_sentences,
    relevant,
    verify_all,
)
from .models import Answer, AnswerSentence, Article, Chunk, Claim
from .store import Store
from .structured import ModelAnswer, Usage, invoke_structured
from .text import Span, parser

PASSAGES = 6
CLAIM_SPAN_CHARS = 600
# "What did Blinken say about aid?", "What has the mayor promised?", "How did X describe Y?"
_ASKS_SPEAKER = re.compile(
    r"^\s*(?:what|how)\s+(?:did|does|do|has|have|had|is|was)\s+(?P<who>.+?)\s+"
    r"(?:say|said|saying|tell|told|claim|argue|warn|promise|pledge|think|believe|announce|"
    r"add|suggest|predict|deny|denie|insist|describe|allege|accuse|vow|urge|"
    r"reveal|admit|explain|comment|respond|reply|propose)\w*\b",
    re.IGNORECASE,
)
ANSWER_CHARS = 300
MIN_SUPPORT_OVERLAP = 0.3
RRF_K = 60
NOT_ANSWERED = "The stored articles do not say."
_NON_ANSWER = re.compile(
    r"\b(not (been )?(mentioned|stated|specified|given|provided|reported|disclosed)|"
    r"no (information|mention)|(do|does|did) not (say|state|mention|specify|provide))\b",
    re.IGNORECASE,
)


class AskSentence(ModelAnswer):
    text: str = Field(max_length=ANSWER_CHARS)
    cites: list[int] = Field(min_length=1, max_length=3, description="Passage numbers.")


class AskAnswer(ModelAnswer):
    """The model's answer: up to three sentences, none when no passage answers."""

    sentences: list[AskSentence] = Field(max_length=3)


@cache
def answer_model(passages: int) -> type[AskAnswer]:
    """:class:`AskAnswer` with its citations bounded to ``passages`` numbered passages."""
    sentence = create_model(
        "AskSentence",
        __base__=AskSentence,
        cites=(list[Annotated[int, Field(ge=1, le=passages)]], Field(min_length=1, max_length=3)),
    )
    return create_model(
        "AskAnswer",
        __base__=AskAnswer,
        sentences=(list[sentence], Field(max_length=3)),
    )


def retrieve(
    store: Store, question: str, k: int, where: dict[str, object] | None = None
) -> list[Chunk]:
    """The ``k`` best chunks for a question: Chroma's vector search and a full-text search for
    each of the question's key terms, fused by reciprocal rank (a term found in few chunks
    ranks its chunks higher)."""
    vector = store.search(question, k=2 * k, where=where)
    lexical = store.lexical(key_terms(question), where=where)
    chunks = {chunk_key(c): c for c in vector}
    for hits in lexical:
        chunks.update({chunk_key(c): c for c in hits if chunk_key(c) not in chunks})
    rankings = [[chunk_key(c) for c in vector]]
    rankings += [[chunk_key(c) for c in hits] for hits in sorted(lexical, key=len) if hits]
    return [chunks[key] for key in fuse(rankings, k)]


def asked_speaker(question: str) -> str | None:
    """Who a question asks about, when it asks what someone said: "What did Antony Blinken
    say about aid to Ukraine?" -> "Antony Blinken"."""
    found = _ASKS_SPEAKER.match(question)
    if found is None:
        return None
    who = found["who"].strip(" ,")
    if who.lower() in ("the", "a", "an", "they", "it", "he", "she", "you", "we", "i"):
        return None
    return who if 0 < len(who) <= 80 and any(ch.isalpha() for ch in who) else None


def claim_span(claim: Claim) -> Span:
    """Where a claim is said in its article: from its speaker or cue to the end of its quote,
    or only its quote when the parts lie far apart."""
    quote = Span(min(q.start for q in claim.quote), max(q.end for q in claim.quote))
    parts = [p for p in (claim.speaker_span, claim.cue_span) if p is not None]
    whole = Span(
        min([quote.start] + [p.start for p in parts]), max([quote.end] + [p.end for p in parts])
    )
    return whole if len(whole) <= CLAIM_SPAN_CHARS else quote


def key_terms(question: str, limit: int = 5) -> list[str]:
    """Names, numbers and content nouns of the question, most specific first."""
    doc = parser()(question)
    terms = [e.text for e in doc.ents if e.label_ in NAMED | NUMERIC]
    terms += [t.text for t in doc if t.pos_ in ("PROPN", "NUM") and t.text not in " ".join(terms)]
    terms += [t.text for t in doc if t.pos_ == "NOUN" and len(t.text) > 3]
    out: list[str] = []
    for term in terms:
        if term.lower() not in (o.lower() for o in out):
            out.append(term)
    return out[:limit]


def fuse(rankings: Sequence[Sequence[str]], k: int) -> list[str]:
    """Reciprocal rank fusion of several rankings of ids; the best ``k``."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] = scores.get(item, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(scores, key=lambda i: scores[i], reverse=True)[:k]


def supported(sentence: str, cited: Sequence[Evidence], question: str = "") -> bool:
    """An answer sentence stands when its cited passages hold its facts and enough of its words.

    A name the question itself gives ("the crossing to Lunde") may come from elsewhere in the
    cited article rather than from the cited sentence; numbers and dates never may.
    """
    if not cited:
        return False
    text = " " + " ".join(normalize_words(e.text) for e in cited) + " "
    asked = f" {normalize_words(question)} "
    articles: str | None = None  # the cited articles' whole text, normalized only if needed
    facts, _ = find_facts(sentence)
    for fact, label in facts:
        if fact_found(fact, label, text):
            continue
        if not (label in NAMED and fact_found(fact, label, asked)):
            return False
        if articles is None:
            whole = {e.article.id: normalize_words(e.article.text) for e in cited}
            articles = " " + " ".join(whole.values()) + " "
        if not fact_found(fact, label, articles):
            return False
    return overlap(sentence, " ".join(e.text for e in cited)) >= MIN_SUPPORT_OVERLAP


def non_answer(sentence: str) -> bool:
    """ "The passages do not mention the architect": a refusal written as an answer."""
    return bool(_NON_ANSWER.search(sentence))


def answer(
    question: str,
    candidates: Sequence[tuple[Article, Span]],
    model: BaseChatModel,
    embed: Embed,
    usage: Usage,
) -> tuple[list[tuple[str, list[Evidence]]], list[Evidence], int]:
    """(answer sentence, its evidence) pairs, the passages shown, and how many sentences the
    support check removed."""
    ranked = rank_sentences(question, candidates, embed)[:PASSAGES]
    if not relevant(ranked):
        return [], ranked, 0
    ranked.sort(key=lambda e: (e.article.id, e.span.start))
    output = answer_model(len(ranked))
    result = invoke_structured(
        model,
        prompts.load("ask", output).messages(
            question=question, passages=number_lines(e.text for e in ranked)
        ),
        output,
        usage=usage,
        max_tokens=60 + 3 * 110,
        name="answer",
    )
    kept = []
    removed = 0
    for s in result.sentences:
        text = " ".join(s.text.split())
        if not text or non_answer(text):
            continue
        cited = [ranked[c - 1] for c in sorted(set(s.cites))]
        if not supported(text, cited, question):
            # A small model often cites the passage next to the one it used: cite the passage
            # that does hold the sentence, if one does.
            cited = next(([e] for e in ranked if supported(text, [e], question)), [])
        if cited:
            kept.append((text, cited))
        else:
            removed += 1
    return kept, ranked, removed


def to_answer(
    question: str,
    kept: Sequence[tuple[str, list[Evidence]]],
    removed: int,
    usage: Usage,
    *,
    model: str,
    seconds: float,
    speaker: str | None,
    article_of: Callable[[str], Article],
) -> Answer:
    """The user's :class:`Answer` from :func:`answer`'s kept sentences, every citation
    verified verbatim in its article."""
    sentences = [AnswerSentence(text=text, citations=quotes(found)) for text, found in kept]
    citations = list({(q.article_id, q.start): q for s in sentences for q in s.citations}.values())
    verify_all(citations, article_of)
    return Answer(
        question=question,
        answered=bool(sentences),
        answer=" ".join(s.text for s in sentences) if sentences else NOT_ANSWERED,
        sentences=sentences,
        citations=citations,
        removed=removed,
        model=model,
        seconds=round(seconds, 2),
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cached_tokens=usage.cached_tokens,
        speaker=speaker,
    )


def chunk_key(chunk: Chunk) -> str:
    return f"{chunk.article_id}:{chunk.index}"
