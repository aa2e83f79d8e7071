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
from typing import Any

from pydantic import BaseModel, Field

from . import prompts
from .attribution import parser
from .check import (
    NAMED,
    NUMERIC,
    Evidence,
    fact_found,
    find_facts,
    normalize_words,
    number_lines,
    overlap,
    rank_sentences,
    relevant,
)
from .models import Article, Chunk
from .structured import Usage, invoke_structured
from .text import Span

PASSAGES = 6
ANSWER_CHARS = 300
MIN_SUPPORT_OVERLAP = 0.3
RRF_K = 60
NOT_ANSWERED = "The stored articles do not say."
_NON_ANSWER = re.compile(
    r"\b(not (been )?(mentioned|stated|specified|given|provided|reported|disclosed)|"
    r"no (information|mention)|(do|does|did) not (say|state|mention|specify|provide))\b",
    re.IGNORECASE,
)


class _AnswerSentence(BaseModel):
    text: str = Field(max_length=ANSWER_CHARS)
    cites: list[int] = Field(min_length=1, max_length=3)


class _Answer(BaseModel):
    sentences: list[_AnswerSentence] = Field(max_length=3)


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
    model: Any,
    embed: Callable[[list[str]], list[Any]],
    usage: Usage,
) -> tuple[list[tuple[str, list[Evidence]]], list[Evidence], int]:
    """(answer sentence, its evidence) pairs, the passages shown, and how many sentences the
    support check removed."""
    ranked = rank_sentences(question, candidates, embed)[:PASSAGES]
    if not relevant(ranked):
        return [], ranked, 0
    ranked.sort(key=lambda e: (e.article.id, e.span.start))
    numbered = number_lines(e.text for e in ranked)
    schema = {
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "maxItems": 3,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "maxLength": ANSWER_CHARS},
                        "cites": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": 3,
                            "items": {"type": "integer", "minimum": 1, "maximum": len(ranked)},
                        },
                    },
                    "required": ["text", "cites"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["sentences"],
        "additionalProperties": False,
    }

    def parse(data: Any) -> _Answer:
        result = _Answer.model_validate(data)
        for s in result.sentences:
            if not all(1 <= c <= len(ranked) for c in s.cites):
                raise ValueError(f"citation out of range 1..{len(ranked)}: {s.cites}")
        return result

    result = invoke_structured(
        model.bind(max_tokens=60 + 3 * 110),
        prompts.load("ask").messages(question=question, passages=numbered),
        schema,
        "answer",
        parse,
        usage,
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


def chunk_key(chunk: Chunk) -> str:
    return f"{chunk.article_id}:{chunk.index}"
