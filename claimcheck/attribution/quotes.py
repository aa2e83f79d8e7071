"""Quotations: marked spans, the reporting verb each belongs to, and layout attributions (dash
bylines and transcript labels)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..text import Span, trim
from .lexicon import PRONOUNS, QUOTE_PAIRS
from .parse import Candidate, cue_span, inside, noun_phrase, overlaps, proper_names, subject_of

# “Quote.” ― Name   (a quotation followed by a dash and the speaker, alone on its line)
_DASH_LINE = re.compile(
    r"(?m)^[^\S\n]*(?P<q>[“”\"«].*[”\"»])[^\S\n]*[―—–][^\S\n]*(?P<name>[^\n]{2,60}?)[.\s]*$"
)
# SPEAKER: words   (a transcript line; the label is in capitals or one to three capitalized words)
_LABEL_LINE = re.compile(
    r"(?m)^[^\S\n]*(?P<name>[A-Z][A-Z.'’ -]{1,30}[A-Z]|(?:[A-Z][a-z.'’-]+ ?){1,3}):"
    r"[^\S\n]+(?P<c>\S[^\n]*)$"
)


def line_candidates(text: str) -> list[Candidate]:
    """Attributions that are a matter of layout, not grammar: dash bylines and transcripts."""
    out = []
    for m in _DASH_LINE.finditer(text):
        content = Span(*m.span("q"))
        out.append(
            Candidate(
                content=(content,),
                cue=None,
                source=trim(text, *m.span("name")),
                kind="direct",
                sentence=Span(m.start("q"), m.end("name")),
            )
        )
    for m in _LABEL_LINE.finditer(text):
        said = trim(text, *m.span("c"))
        if said is None or len(text[said.start : said.end].split()) < 3:
            continue
        out.append(
            Candidate(
                content=(said,),
                cue=None,
                source=Span(*m.span("name")),
                kind="direct",
                sentence=Span(m.start("name"), m.end("c")),
            )
        )
    return out


_STRAIGHT_CLOSE = re.compile(r'(?<=\S)"')  # a straight mark that closes: no space before it


def quoted_spans(text: str, start: int, end: int) -> list[Span]:
    """Quotations in ``text[start:end]`` (marks included), three words or longer.

    A quotation may run over several sentences. ``”`` also opens a quotation at the start of a
    word, as some sites print it; ``‘`` only opens one that is not an apostrophe.
    """
    spans: list[Span] = []
    i = start
    while i < end:
        ch = text[i]
        at_word_start = i == start or not text[i - 1].isalnum()
        if text.startswith("''", i) and at_word_start:  # ''quoted'' (two apostrophes)
            close = text.find("''", i + 2, end)
            if close != -1:
                if len(text[i + 2 : close].split()) >= 3:
                    spans.append(Span(i, close + 2))
                i = close + 2  # a short quotation is skipped whole: its close opens nothing
                continue
        close_mark = QUOTE_PAIRS.get(ch)
        if ch == "”" and at_word_start and i + 1 < end and text[i + 1].isalnum():
            close_mark = "”"
        if close_mark and (ch != "‘" or at_word_start):
            close = text.find(close_mark, i + 1, end)
            if ch == "‘":  # skip apostrophes: a closing mark is not followed by a letter
                while close != -1 and close + 1 < end and text[close + 1].isalpha():
                    close = text.find("’", close + 1, end)
            if ch == '"':  # a straight quotation some sites close with a curly mark
                curly = text.find("”", i + 1, end)
                if (
                    curly != -1
                    and (close == -1 or curly < close)
                    and "“" not in text[i + 1 : curly]  # not the close of a curly quotation
                ):
                    close = curly
            if ch == "“":  # a curly quotation some sites close with a straight mark (FBI,")
                found = _STRAIGHT_CLOSE.search(text, i + 1, close if close != -1 else end)
                if found and (close == -1 or "“" in text[found.start() : close]):
                    close = found.start()
            if close != -1:
                if len(text[i + 1 : close].split()) >= 3:
                    spans.append(Span(i, close + 1))
                    i = close + 1
                    continue
                if ch != "‘":  # a short quotation ("Forum") is skipped whole
                    i = close + 1
                    continue
        i += 1
    return spans


def attach_quotes(
    text: str,
    offset: int,
    clauses: list[Candidate],
    cue_verbs: list[Any],
    quotes: list[Span],
    previous: Candidate | None,
) -> tuple[list[Candidate], Candidate | None]:
    """Give each quotation of a paragraph a speaker: the reporting verb right before or after
    it, else the quotation just before it (a continuation, kept as a further span of that
    claim). Returns the paragraph's candidates and the last direct one."""
    out = list(clauses)
    for quote in quotes:
        # A quotation inside a reported clause ("said the plan was “a fraud”") is covered.
        covering = [
            c for c in out if inside(quote, c.content[0]) and not inside(c.content[0], quote)
        ]
        if covering:
            previous = covering[0] if covering[0].kind == "direct" else previous
            continue
        verb = _adjacent_cue(text, quote, cue_verbs, offset)
        # Clauses found inside the quotation are pieces of it: the quotation replaces them.
        pieces = [c for c in out if overlaps(c.content[0], quote) * 2 > len(c.content[0])]
        out = [c for c in out if c not in pieces]
        source = cue = None
        pronoun = False
        names: tuple[Span, ...] = ()
        if verb is not None:
            subject = subject_of(verb)
            source = noun_phrase(subject, offset) if subject is not None else None
            names = proper_names(subject, offset)
            cue = cue_span(verb, offset)
            pronoun = subject is not None and subject.lower_ in PRONOUNS
        elif pieces and pieces[0].cue is not None and not inside(pieces[0].cue, quote):
            # a clause the quotation covers gives its speaker only when its cue is outside:
            # in “I think the plan will fail,” the quotation's own "think" is not its cue
            source, cue, pronoun = pieces[0].source, pieces[0].cue, pieces[0].source_is_pronoun
            names = pieces[0].names
        same_cue = previous is not None and cue is not None and previous.cue == cue
        if previous is not None and ((verb is None and source is None) or same_cue):
            # "..., she said. “More.”" is one claim in two spans; so is "“A,” said X. “B.”",
            # two quotations of one reporting verb.
            merged = Candidate(
                content=(*previous.content, quote),
                cue=previous.cue,
                source=previous.source,
                kind="direct",
                sentence=Span(previous.sentence.start, quote.end),
                source_is_pronoun=previous.source_is_pronoun,
                names=previous.names,
            )
            if previous in out:
                out[out.index(previous)] = merged
            else:  # it belongs to an earlier paragraph: replace it there
                merged = dataclasses.replace(merged, extra={"replaces": previous})
                out.append(merged)
            previous = merged
            continue
        cand = Candidate(
            content=(quote,),
            cue=cue,
            source=source,
            kind="direct",
            sentence=quote,
            source_is_pronoun=pronoun,
            names=names,
        )
        out.append(cand)
        previous = cand
    return sorted(out, key=lambda c: c.content[0].start), previous


def _adjacent_cue(text: str, quote: Span, verbs: list[Any], offset: int) -> Any | None:
    """The reporting verb of a quotation: one in a sentence the quotation shares, nearest
    first, else one a few words after its end ("...,” she said) or before its start (she said:
    “...), with no other quotation mark or line break between."""
    best = None
    best_key = (2, 10**9)
    for verb in verbs:
        at = offset + verb.idx
        if quote.start <= at < quote.end:
            continue
        sent = verb.sent
        same_sentence = overlaps(Span(offset + sent.start_char, offset + sent.end_char), quote)
        gap_text = (
            text[quote.end : at] if at >= quote.end else text[at + len(verb.text) : quote.start]
        )
        if any(q in gap_text for q in '“”"«»\n'):
            continue
        if not same_sentence and len(gap_text) > 60:
            continue
        if at < quote.start and not same_sentence and any(p in gap_text for p in ".!?"):
            continue  # "Wren said. “More.”" continues the quotation before; it is not new
        key = (0 if same_sentence else 1, len(gap_text))
        if key < best_key:
            best, best_key = verb, key
    return best
