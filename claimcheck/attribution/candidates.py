"""Finding the candidates: reporting verbs with their subject and content, "according to",
quotations, layout lines; each paragraph parsed once, speakers named at the end."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..furniture import furniture, overlaps_furniture
from ..text import Span, paragraphs, parser, trim
from .lexicon import (
    CUE_LEMMAS,
    CUE_NOUNS,
    NOMINAL_CUES,
    PRONOUNS,
    STANCE_ADJECTIVES,
    THAT_CUES,
    XCOMP_CUES,
)
from .parse import (
    Candidate,
    around_spans,
    balance_quotes,
    cue_span,
    kind_of,
    nominal_object,
    noun_phrase,
    overlaps,
    proper_names,
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
            Name(offset + e.start_char + cut, offset + e.end_char, e.text[cut:], e.label_)
            for e in doc.ents
            if e.label_ in ("PERSON", "ORG", "NORP", "GPE")
            # a page's markup before the name ('">Sanders') is not part of it
            and (cut := len(e.text) - len(e.text.lstrip("\"'<>=/"))) < len(e.text)
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
    # Page furniture (teasers, comment forms, headings ...) is never an attribution, and a
    # name in it is never a speaker.
    lines = furniture(text)
    found = [
        c
        for c in found + layout
        if not any(overlaps_furniture(span, lines) for span in c.content)
        and not (c.source is not None and overlaps_furniture(c.source, lines))
    ]
    names = [n for n in names if not overlaps_furniture(Span(n.start, n.end), lines)]
    found = [_unmarked(text, c) for c in found if not _has_markup(text, c)]
    return _dedupe(resolve_speakers(text, [_to_sentence_end(text, c, found) for c in found], names))


def _sentence_candidates(
    text: str, sent: Any, offset: int, sentence: Span
) -> tuple[list[Candidate], list[Any]]:
    """The sentence's attributions, and its reporting verbs (for the quotations nearby)."""
    out: list[Candidate] = []
    cue_verbs: list[Any] = []
    denied: list[Span] = []
    for tok in sent:
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_LEMMAS:
            cue_verbs.append(tok)
            if _asked(tok):
                continue  # "Asked whether tolls would return, she said ...": she was asked
            if tok.head.lemma_ == "let" and tok.dep_ in ("ccomp", "xcomp"):
                continue  # "Let's say you think ...": the writer's supposition
            content = _verb_content(text, tok, sent, offset)
            if _negated(tok):
                # "Beijing has never condemned the invasion": nothing was said, nor what lies
                # in it ("did not say whether it would support an appeal")
                denied += content
                continue
            words = sum(len(text[s.start : s.end].split()) for s in content)
            if not content or words < 2:
                continue  # nothing, or a lone word ("QUESTION:" read as a clause)
            if (made := _make(text, tok, content, offset, sentence)) is not None:
                out.append(made)
        elif tok.pos_ == "VERB" and _speaks(tok):
            # any verb with a speaker for subject and a "that" clause: "she contends that ..."
            spans = [
                sp for c in tok.children if c.dep_ == "ccomp" if (sp := subtree_span(c, offset))
            ]
            if spans and sum(len(text[x.start : x.end].split()) for x in spans) >= 3:
                if (made := _make(text, tok, tuple(spans[:1]), offset, sentence)) is not None:
                    out.append(made)
        elif tok.pos_ == "ADJ" and tok.lemma_.lower() in STANCE_ADJECTIVES:
            if (cand := _stance(text, tok, offset, sentence)) is not None:
                out.append(cand)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in CUE_NOUNS:
            if (cand := _noun_candidate(text, tok, offset, sentence)) is not None:
                out.append(cand)
        elif tok.lower_ == "according" and tok.dep_ == "prep":
            if (cand := _according(text, tok, offset, sentence)) is not None:
                out.append(cand)
    out = [c for c in out if not (c.cue and any(d.start <= c.cue.start < d.end for d in denied))]
    out = [k for c in out if (k := _in_brackets(text, c, sentence)) is not None]
    out = [k for c in out if (k := _in_quotation(text, c, sentence)) is not None]
    return out, cue_verbs


# the remnants of a page's markup in its text: an attribute (tweet-date="...">), a tag
_MARKUP = re.compile(r"\w=\"|\">|</?[a-zA-Z][a-zA-Z0-9]*[\s>/]")


def _has_markup(text: str, cand: Candidate) -> bool:
    """Whether a content holds the page's markup (an attribute's text is not speech)."""
    return any(_MARKUP.search(text[max(0, s.start - 2) : s.end + 2]) for s in cand.content)


def _unmarked(text: str, cand: Candidate) -> Candidate:
    """The speaker span without the markup or punctuation before its first word ('">Sanders'
    is "Sanders")."""
    src = cand.source
    if src is None or text[src.start].isalnum():
        return cand
    start = next((i for i in range(src.start, src.end) if text[i].isalnum()), src.end)
    if start >= src.end:
        return dataclasses.replace(cand, source=None)
    return dataclasses.replace(cand, source=Span(start, src.end))


_MARK = re.compile(r'(?P<open>“|(?:^|(?<=[\s(—–-]))")|(?P<close>”|")')


def _in_quotation(text: str, cand: Candidate, sentence: Span) -> Candidate | None:
    """A cue inside someone's quotation reports no further than the quotation goes: in
    "“... I would say, ‘That’s ridiculous,’” the president added" the president's "I" says
    "‘That’s ridiculous’", not "the president added". None when less than two words are left
    ("“Every time you say that,” Tester said": "that")."""
    if cand.cue is None or not cand.content:
        return cand
    line = text.rfind("\n", 0, cand.cue.start) + 1  # a quotation may open sentences before
    # a straight mark after a space opens, else it closes (sites mix “FBI," with curly ones)
    marks = [m.lastgroup for m in _MARK.finditer(text, line, cand.cue.start)]
    if marks.count("open") <= marks.count("close"):
        return cand
    m = next(_MARK.finditer(text, cand.cue.end, sentence.end + 1), None)
    closed = m.start() if m is not None and m.lastgroup == "close" else -1
    if closed < 0 or all(s.end <= closed for s in cand.content):
        return cand
    content = []
    for s in cand.content:
        if s.start < closed and (span := trim(text, s.start, min(s.end, closed))) is not None:
            content.append(strip_final_punct(text, span))
    if sum(len(text[s.start : s.end].split()) for s in content) < 2:
        return None
    return dataclasses.replace(cand, content=tuple(content), kind="indirect")


def _in_brackets(text: str, cand: Candidate, sentence: Span) -> Candidate | None:
    """A cue inside the writer's brackets reports only what the brackets hold: "Both face
    questions (her campaign later disclosed that she has pneumonia)" gives the campaign the
    pneumonia, not the sentence around it. None when nothing of the content is inside."""
    if cand.cue is None:
        return cand
    opened = text.rfind("(", sentence.start, cand.cue.start)
    if opened < 0 or text.rfind(")", opened, cand.cue.start) >= 0:
        return cand  # the cue is not inside brackets
    closed = text.find(")", cand.cue.end, sentence.end)
    end = closed if closed >= 0 else sentence.end
    content = []
    for s in cand.content:
        start, stop = max(s.start, opened + 1), min(s.end, end)
        if start <= cand.cue.start < stop:
            start = cand.cue.end  # what follows the cue, not the cue and its subject
        if (span := trim(text, start, stop)) is not None:
            content.append(span)
    if not content:
        return None
    if tuple(content) == cand.content:
        return cand
    return dataclasses.replace(cand, content=tuple(content))


def _verb_content(text: str, verb: Any, sent: Any, offset: int) -> tuple[Span, ...]:
    """What a reporting verb reports: its clausal complement, the clause it interrupts, its
    object (for verbs like "call for"), or a "that" clause the parse hung elsewhere."""
    lemma = verb.lemma_.lower()
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if lemma in XCOMP_CUES:
        comps += [c for c in verb.children if c.dep_ == "xcomp"]
    if any(c.dep_ == "dobj" and c.i > verb.i for c in verb.children):
        # "Beijing has never condemned it, rather it claims neutrality": a clause before a
        # verb with an object of its own is not what the verb reports
        comps = [c for c in comps if c.i > verb.i]
    content = None
    if comps:
        spans = [s for c in comps if (s := subtree_span(c, offset, _absolute(c)))]
        if spans:
            content = Span(min(s.start for s in spans), max(s.end for s in spans))
    elif _reporting_tag(verb):
        # "The tunnel is late, he said." parsed with the content as the head; a tag in the
        # middle of its clause leaves the content in two spans.
        return around_spans(verb.head, verb, offset)
    elif lemma in NOMINAL_CUES and not _passive(verb):
        # "She called for a repeal of the tax", "He cited the delays".
        obj = nominal_object(verb, NOMINAL_CUES[lemma])
        content = _object_span(verb, obj, offset) if obj is not None else None
    if content is None and lemma in THAT_CUES:
        # "told analysts on a call that X": the parser hung the clause on "call".
        that = next((t for t in sent if t.i > verb.i and t.lower_ == "that"), None)
        if that is not None and that.i + 1 < sent.end:
            rest = trim(text, offset + that.idx, offset + sent.end_char)
            content = strip_final_punct(text, rest) if rest else None
    return (content,) if content is not None else ()


def _absolute(clause: Any) -> Any | None:
    """A participle clause with a subject of its own that closes a clause after a comma: in
    "relations have stood “the test ...,” the two leaders calling each other “partners”" the
    writer adds "the two leaders calling ..."; it is not part of what was reported. The parse
    makes it a participle with a subject, or a noun joined to the clause with a participle."""
    for c in clause.children:
        if c.i < clause.i or "," not in (c.left_edge.text, c.doc[c.left_edge.i - 1].text):
            continue
        if c.dep_ == "advcl" and c.tag_ in ("VBG", "VBN"):
            if any(x.dep_ == "nsubj" and x.i < c.i for x in c.children) and not any(
                x.dep_ in ("mark", "aux", "auxpass") for x in c.children
            ):
                return c
        elif c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"):
            if any(x.dep_ == "acl" and x.tag_ == "VBG" and x.i > c.i for x in c.children):
                return c
    return None


SPEAKER_ENTITIES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
SPEAKER_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "who"})


def _speaks(verb: Any) -> bool:
    """A verb outside the lexicon that still reports: its subject names a person or a body and
    it takes a clause with "that"."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if not comps or not any(t.lower_ == "that" and t.dep_ == "mark" for t in comps[0].children):
        return False
    subject = subject_of(verb)
    if subject is None:
        return False
    return subject.lower_ in SPEAKER_PRONOUNS or subject.ent_type_ in SPEAKER_ENTITIES


WH_WORDS = frozenset({"what", "which", "who", "whom", "whose", "how", "where", "when", "why"})
PLURAL_PRONOUNS = frozenset({"they", "we", "them", "us"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})


def antecedent(verb: Any, pronoun: Any) -> Any | None:
    """The noun a subject pronoun stands for when its clause hangs on a clause whose subject
    names it: "officials have confronted Beijing on what they believe", "Beijing has never
    condemned it, rather it claims neutrality". The nearest such subject that agrees (in
    number, and person or thing) is taken; None when there is none."""
    word = pronoun.lower_
    head = verb
    for _ in range(6):
        if head.dep_ == "ROOT" or head.head.i == head.i:
            return None
        head = head.head
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects:
            continue
        noun = subjects[0]
        if noun.lower_ in PRONOUNS or noun.i > pronoun.i:
            return None  # a pronoun again, or a subject after it: leave it to the speakers
        plural = noun.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in noun.children)
        person = noun.ent_type_ == "PERSON"
        if word in PLURAL_PRONOUNS:
            return noun if plural else None
        if word == "it":
            return noun if not plural and not person and noun.pos_ in ("NOUN", "PROPN") else None
        if word in PERSONAL_PRONOUNS:
            return noun if person and not plural else None
        return None
    return None


# "I don't think it will pass" believes it will not: the negation belongs to what is thought
_NEG_RAISING = frozenset({"think", "believe", "expect", "suppose", "imagine", "feel", "reckon"})


def _negated(verb: Any) -> bool:
    """A reporting verb that is denied ("did not say", "has never condemned", "isn't saying"),
    except a verb of belief, which only moves the negation off what is believed."""
    return verb.lemma_.lower() not in _NEG_RAISING and any(c.dep_ == "neg" for c in verb.children)


def _asked(verb: Any) -> bool:
    """A participle that tells what was done to the subject, not what it said ("Asked about
    X, she said", "Told of the ruling, he ..."): no claim of its own."""
    return bool(
        verb.tag_ == "VBN"
        and verb.dep_ in ("advcl", "acl")
        and not any(c.dep_ in ("aux", "nsubj") for c in verb.children)
    )


def _passive(verb: Any) -> bool:
    """ "Asked about a referendum, she said ...", "the plan was praised": the subject is not
    the one who asks or praises."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    return bool(verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl", "amod", "relcl"))


def _reporting_tag(verb: Any) -> bool:
    """ "..., he said": a verb that tags the clause it hangs on (the parse makes the clause its
    head), not one with content of its own ("rather it claims neutrality")."""
    if verb.dep_ not in ("parataxis", "ccomp") or verb.head.i == verb.i or verb.head.i > verb.i:
        return False
    own = [c for c in verb.children if c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "oprd")]
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return False  # "Ruiz, asked whether ..., said no": the verb tags nothing
    return not own and sum(1 for _ in verb.subtree) <= 8


def _object_span(verb: Any, obj: Any, offset: int) -> Span | None:
    """The object's phrase and what completes it on the verb's right ("pledged $2.5b in
    military financing", "slammed the US as making groundless accusations"), up to a
    conjunction or a clause of its own."""
    span = subtree_span(obj, offset)
    if span is None:
        return None
    end = span.end
    for child in verb.children:
        if child.i <= obj.i:
            continue
        if child.dep_ == "punct" and child.text not in ",;:":
            continue  # a closing quotation mark or an apostrophe
        if child.dep_ in ("cc", "conj", "ccomp", "advcl", "parataxis", "punct", "mark"):
            break
        if child.dep_ in ("prep", "oprd", "xcomp", "npadvmod", "advmod", "acomp", "dobj"):
            more = subtree_span(child, offset)
            if more is not None and more.start >= end:
                end = more.end
    return Span(span.start, end)


def _stance(text: str, adj: Any, offset: int, sentence: Span) -> Candidate | None:
    """ "Democrats are worried about X", "she is confident that X", "he is determined to X":
    a stance held by the copula's subject, its content the adjective's clause or object."""
    if adj.dep_ != "acomp" or adj.head.pos_ not in ("AUX", "VERB"):
        return None
    content = None
    for child in adj.children:
        if child.dep_ in ("ccomp", "xcomp"):
            content = subtree_span(child, offset)
        elif child.dep_ == "prep" and child.lower_ in ("about", "of", "with", "over", "that"):
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            content = subtree_span(obj, offset) if obj is not None else None
        if content is not None:
            break
    subject = subject_of(adj.head)
    if content is None or subject is None or len(text[content.start : content.end].split()) < 2:
        return None
    content = balance_quotes(text, content, sentence)
    return Candidate(
        content=(content,),
        cue=span_of([adj.head, adj], offset),
        source=noun_phrase(subject, offset),
        kind=kind_of(text, content),
        sentence=sentence,
        source_is_pronoun=subject.lower_ in PRONOUNS,
        names=proper_names(subject, offset),
    )


def _noun_candidate(text: str, noun: Any, offset: int, sentence: Span) -> Candidate | None:
    """ "Trump's claim that ...", "a warning by officials that ...", "her plan to ...": a cue
    noun with its holder (a possessor or a "by" phrase) and its content (a clause, an
    infinitive, or the object of "of", "about", "for", "against", "on")."""
    holder = next((c for c in noun.children if c.dep_ == "poss"), None)
    if holder is None:
        by = next(
            (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None
        )
        holder = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
    if holder is None:
        return None
    content = None
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and child.i > noun.i:
            if child.dep_ == "relcl" and not any(
                t.lower_ == "that" and t.dep_ == "mark" for t in child.children
            ):
                continue
            content = subtree_span(child, offset)
            break
        if child.dep_ == "prep" and child.lower_ in ("of", "about", "for", "against", "on"):
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                content = subtree_span(obj, offset)
                break
    if content is None or len(text[content.start : content.end].split()) < 2:
        return None
    content = balance_quotes(text, content, sentence)
    word = holder.lower_
    pronoun = word in PRONOUNS or word in ("his", "her", "their", "its", "my", "our")
    return Candidate(
        content=(content,),
        cue=span_of([noun], offset),
        source=noun_phrase(holder, offset),
        names=proper_names(holder, offset),
        kind=kind_of(text, content),
        sentence=sentence,
        source_is_pronoun=pronoun,
        extra={"noun": True},
    )


def _according(text: str, tok: Any, offset: int, sentence: Span) -> Candidate | None:
    """ "According to X, ...": X is the source, the clause it modifies the content."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
    if pobj is None:
        return None
    # The clause it qualifies, from its top: "Putin hailed ..., while stressing ..., according
    # to Tass" reports all of it, not only the part "according to" hangs on.
    clause = tok.head
    while clause.dep_ in ("advcl", "conj", "xcomp", "ccomp") and clause.head.i != clause.i:
        clause = clause.head
    spans = around_spans(clause, tok, offset)
    if not spans:
        return None
    content = tuple(_quote_then_comment(text, balance_quotes(text, s, sentence)) for s in spans)
    return Candidate(
        content=content,
        cue=span_of([tok, to], offset),
        source=noun_phrase(pobj, offset),
        names=proper_names(pobj, offset),
        kind=kind_of(text, content[0]) if len(content) == 1 else "indirect",
        sentence=sentence,
        source_is_pronoun=pobj.lower_ in PRONOUNS,
    )


def _make(
    text: str, verb: Any, spans: tuple[Span, ...], offset: int, sentence: Span
) -> Candidate | None:
    subject = subject_of(verb)
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        # "no decision was expected": who expects it, the sentence does not say; "the plan
        # was criticised by unions": the unions did
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if subject is None:
            return None
    if subject is not None and subject.lower_ in PRONOUNS:
        subject = antecedent(verb, subject) or subject
    cue = cue_span(verb, offset)
    # a content that holds its own cue ("on what they believe is X") starts after it
    inner = [s for s in spans if s.start <= cue.start < s.end]
    if inner and (verb.dep_ == "relcl" or text[inner[0].start :].split()[0].lower() in WH_WORDS):
        return None  # "on what they believe is X": the cue inside its own content
    content = tuple(_quote_then_comment(text, balance_quotes(text, s, sentence)) for s in spans)
    return Candidate(
        content=content,
        cue=cue,
        source=noun_phrase(subject, offset) if subject is not None else None,
        names=proper_names(subject, offset),
        kind=kind_of(text, content[0]) if len(content) == 1 else "indirect",
        sentence=sentence,
        source_is_pronoun=subject is not None and subject.lower_ in PRONOUNS,
        extra={
            "lemma": verb.lemma_.lower(),
            "tag": verb.tag_,
            # where the cue verb's own conjuncts start, when it reports an object: "claims
            # neutrality and has released a plan" (a reported clause keeps its own conjuncts)
            "conjuncts": [
                offset + c.left_edge.idx
                for c in verb.children
                if c.dep_ == "conj" and c.i > verb.i and _finite(c)
            ]
            if not any(c.dep_ in ("ccomp", "xcomp") and c.i > verb.i for c in verb.children)
            else [],
        },
    )


def _to_sentence_end(text: str, cand: Candidate, others: list[Candidate]) -> Candidate:
    """An indirect content the parse cut short at a coordination runs on to its sentence's end:
    "wants to triple the program, grow the corps and create a reserve". Not across a comma
    that opens the writer's own comment (", in a stark show of ...", ", ending a dispute"),
    nor past another attribution's cue, nor into a conjunct of the cue verb itself."""
    if (
        cand.kind != "indirect"
        or len(cand.content) != 1
        or cand.sentence.start > cand.content[0].start
    ):
        return cand
    last, end = cand.content[-1], cand.sentence.end
    if last.end >= end or any(
        o.cue is not None and last.end <= o.cue.start < end for o in [cand, *others]
    ):
        return cand
    if any(last.end <= at < end for at in cand.extra.get("conjuncts", ())):
        return cand  # "Beijing claims neutrality and has released a plan": Beijing released it
    rest = text[last.end : end]
    body = rest.rstrip(" .!?\n")
    if not _CONTINUES.match(body) or _COMMENT.match(body):
        return cand
    new = trim(text, last.start, last.end + len(body))
    return dataclasses.replace(cand, content=(new,)) if new is not None else cand


def _quote_then_comment(text: str, span: Span) -> Span:
    """A content that closes a quotation and goes on with the writer's comment ("... the
    indivisibility of security,” in an apparent allusion to ...") ends with the quotation."""
    for m in re.finditer(r"[”»]|(?<=\S)\"", text[span.start : span.end]):
        at = span.start + m.end()
        rest = text[at : span.end]
        if text[at - 2 : at - 1] == ",":  # the comma inside the mark: “...,” in an ...
            rest = "," + rest
        if at < span.end and _COMMENT.match(rest) and not _ITEM.match(rest):
            return Span(span.start, at)
    return span


def _finite(verb: Any) -> bool:
    """A verb with a tense of its own ("and has shifted", "but also led"), not a gerund or an
    infinitive that may be one more item of the content ("and passing", "and to deploy")."""
    return verb.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
        c.dep_ == "aux" and c.tag_ in ("VBD", "VBZ", "VBP", "MD") for c in verb.children
    )


# what continues a content: a coordinated item or clause
_CONTINUES = re.compile(r"^(?:,?\s+(?:and|or|but|nor)\s+|,\s+[a-z])")
# what opens the writer's own comment after a comma
_COMMENT = re.compile(
    r"^,\s+(?:[a-z]+ing|[a-z]+ed|in|as|a|an|the|which|who|whose|where|when|while|after|"
    r"before|because|since|despite|amid|with|without|following|according|said|says)\b"
)


# after a closed quotation, the next item of a list ("a “nasty guy,” an “anchor baby”")
_ITEM = re.compile(r"^,\s+(?:a|an|the|[a-z]+ed)\b")


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
