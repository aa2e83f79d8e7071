"""Finding the candidates: reporting verbs with their subject and content, "according to",
quotations, layout lines; each paragraph parsed once, speakers named at the end."""

from __future__ import annotations

from typing import Any

from ..text import Span, paragraphs, parser, trim
from .lexicon import CUE_VERBS, NOMINAL_CUES, PRONOUNS, THAT_CUES, XCOMP_CUES
from .parse import (
    Candidate,
    balance_quotes,
    cue_span,
    kind_of,
    nominal_object,
    noun_phrase,
    overlaps,
    span_of,
    strip_final_punct,
    subject_of,
    subtree_span,
)
from .quotes import attach_quotes, line_candidates, quoted_spans
from .speakers import Name, resolve_speakers


def find_candidates(text: str) -> list[Candidate]:
    """Every attribution the parse can see, in text order, each with exact spans."""
    nlp = parser()
    paras = paragraphs(text)
    layout = line_candidates(text)
    found: list[Candidate] = []
    names: list[Name] = []
    previous: Candidate | None = None  # the last direct quotation, for continuations
    for para, doc in zip(paras, nlp.pipe(text[p.start : p.end] for p in paras), strict=True):
        offset = para.start
        names += [
            Name(offset + e.start_char, offset + e.end_char, e.text, e.label_)
            for e in doc.ents
            if e.label_ in ("PERSON", "ORG", "NORP", "GPE")
        ]
        clauses: list[Candidate] = []
        cue_verbs: list[Any] = []
        for sent in doc.sents:
            sentence = trim(text, offset + sent.start_char, offset + sent.end_char)
            if sentence is not None:
                more, verbs = _sentence_candidates(text, sent, offset, sentence)
                clauses += more
                cue_verbs += verbs
        quotes = [
            q
            for q in quoted_spans(text, para.start, para.end)
            if not any(overlaps(q, x.content[0]) for x in layout)
        ]
        para_found, previous = attach_quotes(text, offset, clauses, cue_verbs, quotes, previous)
        for cand in para_found:
            if (old := cand.extra.get("replaces")) is not None and old in found:
                found.remove(old)
        found += para_found
    found = [
        c
        for c in found
        if not any(overlaps(c.content[0], x.content[0]) * 2 >= len(c.content[0]) for x in layout)
    ]
    return _dedupe(resolve_speakers(text, found + layout, names))


def _sentence_candidates(
    text: str, sent: Any, offset: int, sentence: Span
) -> tuple[list[Candidate], list[Any]]:
    """The sentence's attributions, and its reporting verbs (for the quotations nearby)."""
    out: list[Candidate] = []
    cue_verbs: list[Any] = []
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_VERBS:
            cue_verbs.append(tok)
            content = _verb_content(text, tok, sent, offset)
            if content is None or len(text[content.start : content.end].split()) < 2:
                continue  # nothing, or a lone word ("QUESTION:" read as a clause)
            out.append(_make(text, tok, content, offset, sentence))
        elif tok.lower_ == "according" and tok.dep_ == "prep":
            if (cand := _according(text, tok, offset, sentence)) is not None:
                out.append(cand)
    return out, cue_verbs


def _verb_content(text: str, verb: Any, sent: Any, offset: int) -> Span | None:
    """What a reporting verb reports: its clausal complement, the clause it interrupts, its
    object (for verbs like "call for"), or a "that" clause the parse hung elsewhere."""
    lemma = verb.lemma_.lower()
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if lemma in XCOMP_CUES:
        comps += [c for c in verb.children if c.dep_ == "xcomp"]
    content = None
    if comps:
        spans = [s for c in comps if (s := subtree_span(c, offset))]
        if spans:
            content = Span(min(s.start for s in spans), max(s.end for s in spans))
    elif verb.dep_ in ("parataxis", "ccomp") and verb.head.i != verb.i and verb.head.i < verb.i:
        # "The tunnel is late, he said." parsed with the content as the head.
        content = subtree_span(verb.head, offset, exclude=verb)
    elif lemma in NOMINAL_CUES:
        # "She called for a repeal of the tax", "He cited the delays".
        obj = nominal_object(verb, NOMINAL_CUES[lemma])
        content = subtree_span(obj, offset) if obj is not None else None
    if content is None and lemma in THAT_CUES:
        # "told analysts on a call that X": the parser hung the clause on "call".
        that = next((t for t in sent if t.i > verb.i and t.lower_ == "that"), None)
        if that is not None and that.i + 1 < sent.end:
            rest = trim(text, offset + that.idx, offset + sent.end_char)
            content = strip_final_punct(text, rest) if rest else None
    return content


def _according(text: str, tok: Any, offset: int, sentence: Span) -> Candidate | None:
    """ "According to X, ...": X is the source, the clause it modifies the content."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
    if pobj is None:
        return None
    content = subtree_span(tok.head, offset, exclude=tok)
    if content is None:
        return None
    content = balance_quotes(text, content, sentence)
    return Candidate(
        content=(content,),
        cue=span_of([tok, to], offset),
        source=noun_phrase(pobj, offset),
        kind=kind_of(text, content),
        sentence=sentence,
        source_is_pronoun=pobj.lower_ in PRONOUNS,
    )


def _make(text: str, verb: Any, content: Span, offset: int, sentence: Span) -> Candidate:
    subject = subject_of(verb)
    content = balance_quotes(text, content, sentence)
    return Candidate(
        content=(content,),
        cue=cue_span(verb, offset),
        source=noun_phrase(subject, offset) if subject is not None else None,
        kind=kind_of(text, content),
        sentence=sentence,
        source_is_pronoun=subject is not None and subject.lower_ in PRONOUNS,
    )


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """Drop a candidate whose content sits inside a longer one with the same speaker."""
    cands = sorted(cands, key=lambda c: (c.content[0].start, -len(c.content[0])))
    kept: list[Candidate] = []
    for cand in cands:
        inner = cand.content[0]
        if any(
            k.content[0].start <= inner.start
            and inner.end <= k.content[0].end
            and (k.speaker == cand.speaker or k.source == cand.source or cand.source is None)
            for k in kept
        ):
            continue
        kept.append(cand)
    return kept
