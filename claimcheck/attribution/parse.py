"""The parse's building blocks: an attribution candidate, and spans of spaCy tokens.

Every span is a :class:`~claimcheck.text.Span` into the article text (a paragraph's tokens plus
the paragraph's offset), so a candidate's content, cue and source are exact by construction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from ..text import Span
from .lexicon import QUOTE_PAIRS


@dataclass(frozen=True)
class Candidate:
    """One attribution found in the text; spans index the article text."""

    content: tuple[Span, ...]
    cue: Span | None
    source: Span | None
    kind: Literal["direct", "indirect"]
    sentence: Span
    source_is_pronoun: bool = False
    speaker: str | None = None  # the source resolved to a name (see resolve_speakers)
    # the proper names the source is made of, by the parse: one, or several when joint
    # ("Ines Holmberg of Lindau and Dmitar Kovac of Morsk" -> Ines Holmberg, Dmitar Kovac)
    names: tuple[Span, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def span_of(tokens: Iterable[Any], offset: int) -> Span:
    """The span from the first token to the last, without white space at either end (spaCy
    keeps a carriage return inside a token: "000\r")."""
    toks = sorted(tokens, key=lambda t: t.i)
    first, last = toks[0], toks[-1]
    start = offset + first.idx + len(first.text) - len(first.text.lstrip())
    end = offset + last.idx + len(last.text.rstrip())
    if end <= start:  # white space only
        return Span(offset + first.idx, offset + last.idx + len(last.text))
    return Span(start, end)


def subtree_span(token: Any, offset: int, exclude: Any | None = None) -> Span | None:
    """The contiguous span of a token's subtree, cut short where ``exclude``'s subtree begins."""
    tokens = list(token.subtree)
    if exclude is not None:
        banned = {t.i for t in exclude.subtree}
        # Keep the longest contiguous run of tokens outside the excluded subtree.
        runs: list[list[Any]] = [[]]
        for t in tokens:
            if t.i in banned:
                runs.append([])
            else:
                runs[-1].append(t)
        tokens = max(runs, key=len)
    tokens = [t for t in tokens if not t.is_space]
    while tokens and (tokens[-1].is_punct and tokens[-1].text not in QUOTE_PAIRS.values()):
        tokens.pop()
    while tokens and tokens[0].is_punct and tokens[0].text not in QUOTE_PAIRS:
        tokens.pop(0)
    return span_of(tokens, offset) if tokens else None


def around_spans(token: Any, tag: Any, offset: int) -> tuple[Span, ...]:
    """The parts of a token's subtree before and after ``tag``'s subtree: "Though the move was
    seamless, he said, replacing her would be harder" is one content in two spans."""
    banned = {t.i for t in tag.subtree}
    runs: list[list[Any]] = [[]]
    for t in token.subtree:
        if t.i in banned:
            if runs[-1]:
                runs.append([])
        elif not t.is_space:
            runs[-1].append(t)
    spans = []
    for run in runs:
        while run and run[-1].is_punct and run[-1].text not in QUOTE_PAIRS.values():
            run.pop()
        while run and run[0].is_punct and run[0].text not in QUOTE_PAIRS:
            run.pop(0)
        if sum(1 for t in run if not t.is_punct) >= 2:
            spans.append(span_of(run, offset))
    return tuple(spans)


def proper_names(token: Any | None, offset: int) -> tuple[Span, ...]:
    """The proper-name chunks a source is made of: its head's run of proper nouns (with their
    compounds), and those of the heads joined to it by "and"; () when the head is no name."""
    if token is None:
        return ()
    heads = [token] + [c for c in token.conjuncts if c.i > token.i]
    spans = []
    for head in heads:
        if head.pos_ != "PROPN":
            continue
        run = [head]  # with the compounds of its compounds: "New" in "New York Post"
        for t in run:
            run += [c for c in t.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        lo, hi = min(t.i for t in run), max(t.i for t in run)
        if hi - lo + 1 != len(run):  # not contiguous: keep the head alone
            lo = hi = head.i
        spans.append(span_of(token.doc[lo : hi + 1], offset))
    return tuple(spans) if len(spans) == len(heads) else ()


def noun_phrase(token: Any, offset: int) -> Span:
    """A speaker's name without clauses about it ("Tomasz Wren, who led ..." -> "Tomasz Wren")
    or its possessive mark ("Trump's" -> "Trump")."""
    banned: set[int] = set()
    for t in token.subtree:
        if t.i != token.i and t.dep_ in ("relcl", "acl", "appos", "advcl"):
            banned |= {x.i for x in t.subtree}
        elif t.head.i == token.i and t.dep_ == "case":
            banned.add(t.i)  # the possessive mark of a holder: "Trump's claim" -> "Trump"
        elif (
            t.head.i == token.i
            and t.i != token.i
            and t.dep_ == "prep"
            and t.lower_ not in ("of", "at", "from", "for")
        ):
            banned |= {x.i for x in t.subtree}  # "officials in recent weeks" -> "officials"
    # The contiguous run of kept tokens around the head, without punctuation at its ends.
    kept = {t.i for t in token.subtree if t.i not in banned}
    lo = hi = token.i
    while lo - 1 in kept:
        lo -= 1
    while hi + 1 in kept:
        hi += 1
    doc = token.doc
    while lo < token.i and doc[lo].is_punct:
        lo += 1
    while hi > token.i and doc[hi].is_punct:
        hi -= 1
    return span_of(doc[lo : hi + 1], offset)


def subject_of(verb: Any) -> Any | None:
    """The grammatical subject of a verb, following conjunctions and participles up."""
    seen = 0
    while verb is not None and seen < 4:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            # The subject nearest the verb: "OSLO — Norvik Foods reported" is about Norvik.
            before = [c for c in subjects if c.i < verb.i]
            child = before[-1] if before else subjects[0]
            if child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                head = verb.head
                if (
                    child.lower_ == "who"
                    and head.dep_ == "pobj"
                    and head.ent_type_ != "PERSON"
                    and head.head.head.pos_ in ("NOUN", "PROPN")
                ):
                    # "Democrats on Capitol Hill, who have argued": the Democrats argued, not
                    # the place ("members of the committee, who": the members)
                    return head.head.head
                return head
            return child
        for child in verb.children:
            if child.dep_ == "agent":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head  # "the two mayors calling each other “old friends”"
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def cue_span(verb: Any, offset: int) -> Span:
    parts = [verb] + [
        c for c in verb.children if c.dep_ in ("aux", "neg", "prt") and c.i > verb.i - 3
    ]
    return span_of(parts, offset)


def overlaps(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def balance_quotes(text: str, content: Span, sentence: Span) -> Span:
    """Widen a content span that opens a quotation to include its closing mark, and back."""
    start, end = content
    piece = text[start:end]
    for open_, close in (("“", "”"), ("«", "»")):
        if piece.count(open_) > piece.count(close):
            # the close right after the content, else later in the paragraph when the
            # quotation runs on over further sentences ("“In the end, ... somebody. ...”")
            line_end = text.find("\n", end)
            line_end = len(text) if line_end == -1 else line_end
            found = text.find(close, end, line_end)
            if found != -1 and (found - end <= 3 or open_ not in text[end:found]):
                end = found + 1
        elif piece.count(close) > piece.count(open_):
            found = text.rfind(open_, sentence.start, start)
            if found != -1 and start - found <= 3:
                start = found
    if piece.count('"') % 2 == 1:
        # the unmatched mark opens a quotation when an even number of marks precede the span
        # in its sentence: 'which was "far from certain."' runs on to its closing mark
        if text.count('"', sentence.start, start) % 2 == 0:
            found = text.find('"', end, sentence.end)
            if found != -1 and found - end <= 3:
                end = found + 1
        else:
            found = text.rfind('"', sentence.start, start)
            if found != -1 and start - found <= 3:
                start = found
    return Span(start, end)


def nominal_object(verb: Any, introduced_by: tuple[str, ...]) -> Any | None:
    """The verb's object that is its content: the direct object ("") or the object of one of
    the given prepositions."""
    for child in verb.children:
        if "" in introduced_by and child.dep_ == "dobj":
            return child
        if child.dep_ in ("prep", "prt") and child.lower_ in introduced_by:
            objects = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objects:
                return objects[0]
    return None


def strip_final_punct(text: str, span: Span) -> Span:
    end = span.end
    while end > span.start and text[end - 1] in ".,;:":
        end -= 1
    return Span(span.start, end)


def kind_of(text: str, content: Span) -> Literal["direct", "indirect"]:
    piece = text[content.start : content.end].strip()
    if piece and piece[0] in QUOTE_PAIRS and piece[-1] in QUOTE_PAIRS.values():
        return "direct"
    return "indirect"
