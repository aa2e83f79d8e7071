"""Evidence shared by checking, answering and summarizing: how text is compared in code.

Words are compared normalized (NFKC, lower case, number words as digits); a claim's facts are
its named and numeric entities (spaCy's NER); candidate sentences are ranked by embedding
similarity plus word overlap; the model sees them as numbered lines, and whatever it relies on
comes back as verbatim :class:`~claimcheck.models.Quote` spans.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ClaimcheckError
from .models import Article, Quote
from .text import Span, parser

NUMERIC = frozenset("DATE TIME MONEY PERCENT QUANTITY CARDINAL ORDINAL".split())
NAMED = frozenset("PERSON ORG GPE NORP LOC FAC EVENT PRODUCT WORK_OF_ART LAW LANGUAGE".split())
MAGNITUDES = frozenset("hundred thousand million billion trillion percent".split())
MIN_SIMILARITY = 0.25  # below this (and without shared words) nothing relevant was found
MIN_OVERLAP = 0.25
_WORD = re.compile(r"[\w$%]+(?:[.,]\d+)*")
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
STOP_WORDS = frozenset(
    """a an the of in on at to for from by with and or but is are was were be been being has have
    had it its this that these those as into than then there their they he she his her him we our
    you your i not no will would can could should may might do does did said says say""".split()
)
Embed = Callable[[list[str]], list[Any]]


@dataclass
class Evidence:
    """A candidate evidence sentence of one article."""

    article: Article
    span: Span
    similarity: float
    overlap: float

    @property
    def text(self) -> str:
        return self.article.text[self.span.start : self.span.end]

    @property
    def score(self) -> float:
        return self.similarity + 0.5 * self.overlap


# a dollar sign with a country's letters before or after it, before a number: "US$2", "$US2",
# "A$40" are written "$2", "$2", "$40", so that a claim's "$2 billion" is found in "$US2 billion"
_CURRENCY = re.compile(r"(?<![\w$])[a-z]{1,3}\$(?=\d)|(?<![\w$])\$[a-z]{1,3}(?=\d)")


def normalize_words(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    text = _CURRENCY.sub("$", text)
    return " ".join(_NUMBER_WORDS.get(w, w) for w in _WORD.findall(text))


def content_words(text: str) -> set[str]:
    return {w for w in normalize_words(text).split() if w not in STOP_WORDS and len(w) > 1}


def overlap(claim: str, sentence: str) -> float:
    """Share of the claim's content words found in the sentence."""
    words = content_words(claim)
    return len(words & content_words(sentence)) / len(words) if words else 0.0


def fact_found(fact: str, label: str, haystack: str) -> bool:
    """Whether ``haystack`` (normalized, see :func:`normalize_words`) states the fact."""
    norm = normalize_words(fact)
    if norm.endswith(" s") and re.search(r"['’]s$", fact):  # "Brelin Water's": the name
        norm = norm[:-2]
    if not norm:
        return True
    if f" {norm} " in f" {haystack} ":
        return True
    if label in NUMERIC:
        # "35 years ago" is found when 35 is, "6 million euros" when "6 million" is (not the 6
        # of "11 to 6"); words without digits ("last week") are not facts
        words = [*norm.split(), ""]
        numbers = [
            f"{w} {after}" if after in MAGNITUDES else w
            for w, after in zip(words, words[1:], strict=False)
            if any(c.isdigit() for c in w)
        ]
        return all(f" {n} " in f" {haystack} " for n in numbers)
    if label == "PERSON":  # a surname stands for the person
        return f" {norm.split()[-1]} " in f" {haystack} "
    return False


def find_facts(claim: str) -> tuple[list[tuple[str, str]], bool]:
    """The claim's named and numeric entities, and whether it is negated."""
    doc = parser()(claim)
    facts = [(e.text, e.label_) for e in doc.ents if e.label_ in NUMERIC | NAMED]
    negated = any(t.dep_ == "neg" for t in doc)
    return facts, negated


def fact_anchors(text: str) -> dict[str, str]:
    """For each named or numeric fact of ``text``, the word it tells about: the lemma of its
    nearest head outside it that is a noun, verb or adjective other than "be" and "have" (the
    harvest of "a harvest of 150,000 tonnes", the founding of "founded in 1952")."""
    anchors = {}
    for ent in parser()(text).ents:
        token = ent.root
        while token.head.i != token.i:
            token = token.head
            inside = ent.start <= token.i < ent.end
            if not inside and token.pos_ in ("NOUN", "VERB", "ADJ", "PROPN"):
                if token.lemma_.lower() not in ("be", "have"):
                    anchors[ent.text] = token.lemma_.lower()
                    break
    return anchors


def kinds_and_lemmas(texts: Iterable[str]) -> list[tuple[str, set[str], set[str]]]:
    """Each text with the kinds of its named and numeric facts (spaCy's entity labels) and
    the lower-cased lemmas of its words, from one parse of each."""
    return [
        (
            doc.text,
            {e.label_ for e in doc.ents if e.label_ in NUMERIC | NAMED},
            {t.lemma_.lower() for t in doc if t.is_alpha},
        )
        for doc in parser().pipe(texts)
    ]


def negated(text: str) -> bool:
    return any(t.dep_ == "neg" for t in parser()(text))


def rank_sentences(
    claim: str, candidates: Sequence[tuple[Article, Span]], embed: Embed
) -> list[Evidence]:
    """Candidate sentences, best first, scored by cosine similarity and word overlap."""
    if not candidates:
        return []
    texts = [a.text[s.start : s.end] for a, s in candidates]
    vectors = np.array(embed([claim, *texts]), dtype=np.float32)
    sims = vectors[1:] @ vectors[0]
    ranked = [
        Evidence(article=a, span=s, similarity=float(sim), overlap=overlap(claim, t))
        for (a, s), sim, t in zip(candidates, sims, texts, strict=True)
    ]
    return sorted(ranked, key=lambda e: e.score, reverse=True)


def covering(claim: str, evidence: Sequence[Evidence], most: int) -> list[Evidence]:
    """The ``most`` best ranked evidence sentences, and for each of the claim's facts (names,
    numbers, dates) they do not hold, the best ranked evidence sentence that does: what the
    model needs to see, and no more (a speaker named in the sentence before the quote, say)."""
    ranked = sorted(evidence, key=lambda e: -e.score)
    shown = ranked[:most]
    held = " " + " ".join(normalize_words(e.text) for e in shown) + " "
    for fact, label in find_facts(claim)[0]:
        if fact_found(fact, label, held):
            continue
        holder = next(
            (e for e in ranked if fact_found(fact, label, f" {normalize_words(e.text)} ")), None
        )
        if holder is not None and holder not in shown:
            shown.append(holder)
            held += normalize_words(holder.text) + " "
    return shown


def relevant(evidence: Sequence[Evidence]) -> bool:
    """Whether the best candidate is close enough to the claim to be worth the model's time."""
    return bool(evidence) and (
        evidence[0].similarity >= MIN_SIMILARITY or evidence[0].overlap >= MIN_OVERLAP
    )


def number_lines(lines: Iterable[str]) -> str:
    """``[1] first``, ``[2] second``, ... with white space folded: how the model sees text."""
    return "\n".join(f"[{i}] {' '.join(line.split())}" for i, line in enumerate(lines, 1))


def quotes(evidence: Sequence[Evidence]) -> list[Quote]:
    """The evidence as verbatim quotes of its articles."""
    return [Quote.from_span(e.article, e.span.start, e.span.end) for e in evidence]


def verify(article: Article, quotes: Iterable[Quote]) -> None:
    """Every quote claimcheck returns is ``article.text[start:end]``; anything else is a bug."""
    for quote in quotes:
        if not quote.verify(article):
            raise ClaimcheckError(
                f"internal error: quote {quote.start}:{quote.end} is not verbatim in {article.id}"
            )


def verify_all(quotes: Iterable[Quote], article_of: Callable[[str], Article]) -> None:
    """:func:`verify` for quotes from any stored article, each looked up by its id."""
    for quote in quotes:
        verify(article_of(quote.article_id), [quote])
