"""Page furniture: the lines of a saved news page that are not the article.

A page saved as text carries more than the story: link teasers ("READ MORE: ..."), the comment
form ("Leave a Reply", "Your email address will not be published"), newsletter, cookie and
subscription prompts, photo credits, share buttons, bylines, datelines and timestamps, and
headings (a headline, a section title). None of it may become a claim, a speaker or a cited
summary sentence. The stored text is never changed: :func:`furniture` returns the spans of the
lines to leave out, so offsets stay into the original.

The decision is made per line by a small set of rules about the line's form (a prefix and a
separator, a line made of share-button words, a short line without a sentence's final
punctuation), never by a list of particular lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .text import Span, paragraphs, sentences, trim

Kind = Literal["teaser", "comments", "prompt", "credit", "share", "byline", "timestamp", "heading"]

# "READ MORE: ...", "Related | ...", "WATCH - ...": a teaser word, then a separator.
_TEASER = re.compile(
    r"^(?:read more|read next|read also|also read|more|related(?: articles?| stories| content)?|"
    r"see also|watch|listen|recommended|trending|most read|popular|top stories|click here|"
    r"editor'?s picks?|latest|explainer|analysis|opinion|live|video|gallery|podcast)"
    r"\s*(?::|\||»|›|>|–|—|-)\s*\S",
    re.IGNORECASE,
)
_TEASER_ALONE = re.compile(
    r"^(?:read more|read next|related|see also|more stories|more on this story|"
    r"recommended(?: for you)?|trending now|most read|continue reading|show more|load more)"
    r"[\s.:…>»›]*$",
    re.IGNORECASE,
)
_COMMENTS = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|add a comment|comments?(?: \(\d+\))?|"
    r"\d+ comments?|cancel reply|join the (?:conversation|discussion)|"
    r"show comments|view comments|comments are closed)[\s.:!]*$"
    r"|your email address will not be published|required fields are marked|"
    r"you must be logged in to (?:post|comment)|log in to (?:comment|reply)",
    re.IGNORECASE,
)
# A prompt starts with its call to action, or names what only a prompt names.
_PROMPT = re.compile(
    r"^(?:sign up|subscribe|get (?:our|the) \w+ newsletter|join (?:our|the) (?:newsletter|"
    r"mailing list)|download (?:our|the) app|follow us|log ?in|sign ?in|register (?:now|for free)|"
    r"create (?:a |your )?(?:free )?account|already a subscriber|advertisement|sponsored)\b"
    r"|\b(?:newsletters?|we use cookies|cookie (?:policy|settings|preferences)|"
    r"accept (?:all )?cookies|privacy policy|terms of (?:use|service)|unsubscribe|"
    r"(?:in|to) your inbox|manage (?:your )?preferences)\b"
    # a writer's handle under the story: "Follow Pam Key on Twitter @pamkeyNEN"
    r"|^[\"“]?follow (?:[\w.'’-]+ ){1,4}on (?:twitter|x|facebook|instagram|threads|bluesky|"
    r"tiktok|linkedin|mastodon)\b",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\(?(?:photo(?:graph)?|image|picture|pictured|credit|caption|video|source|illustration)"
    r"(?: credit)?s?\s*[:/|]"
    r"|^(?:getty images|ap photo|afp|reuters|shutterstock|epa|file photo)\b"
    r"|[(/|–—-]\s*(?:photo:?\s*)?(?:getty images|ap photo|afp|reuters|shutterstock|"
    r"epa(?:-efe)?|bloomberg|file photo)(?:\s+via\s+[\w ]+)?\)?\s*$"
    r"|\((?:photo(?:graph)?|image|picture|credit)s?:[^)]*\)\s*$",
    re.IGNORECASE,
)
_SHARE_WORDS = frozenset(
    """share shares sharing tweet facebook twitter x whatsapp email e-mail linkedin reddit
    pinterest telegram print copy link url save bookmark messenger flipboard on this article
    story to via the""".split()
)
_BYLINE = re.compile(
    r"^(?:[Bb]y|[Ww]ords by|[Rr]eporting by|[Ww]ritten by)\s+"
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}"
    r"(?:\s*(?:,|and|&|\|)\s*[A-Z][\w.'’ -]*){0,3}$"
    r"|^[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3}\s*[|,–—-]\s*"
    r"(?:reporter|correspondent|editor|staff writer|contributor|columnist)\b",
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_TIMESTAMP = re.compile(
    r"^(?:(?:published|updated|posted|last updated|first published|modified)(?: on| at)?[:\s]"
    r"|\d{1,2}:\d{2}\s*(?:am|pm)?\b"
    rf"|(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+(?:\d{{1,2}}\s+)?{_MONTHS}\b"
    rf"|{_MONTHS}\.?\s+\d{{1,2}},?\s+\d{{4}}\s*$"
    rf"|\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}\s*$"
    r"|\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}.*)?$"
    r"|\d+\s+(?:min(?:ute)?s?|hours?|days?)\s+(?:ago|read)\b)",
    re.IGNORECASE,
)
# A sentence ends in one of these (possibly followed by closing quotation marks or brackets).
_SENTENCE_END = re.compile(r"[.!?…;:][\"”’'»)\]]*$|[\"”’»][.!?]?$")
_SINGLE_QUOTED = re.compile(r"(?:^|\s)['‘]\w")
_LINE = re.compile(r"[^\r\n\u2028\u2029]+")
HEADING_WORDS = 16  # a line without final punctuation this long or shorter is a heading
PROMPT_WORDS = 30  # a subscription or cookie prompt is short


@dataclass(frozen=True)
class Furniture:
    """A line of page furniture, as a span of the article text."""

    span: Span
    kind: Kind


def line_kind(line: str) -> Kind | None:
    """What kind of furniture a line is, or None for a line of the article."""
    text = " ".join(line.split())
    if not text:
        return None
    words = text.split()
    if _TEASER.match(text) or _TEASER_ALONE.match(text):
        return "teaser"
    if _COMMENTS.search(text):
        return "comments"
    if len(words) <= PROMPT_WORDS and _PROMPT.search(text):
        return "prompt"
    if len(words) <= 25 and _CREDIT.search(text):
        return "credit"
    plain = [w.strip(".,:;|•·!()[]").lower() for w in words]
    plain = [w for w in plain if w]
    if plain and len(plain) <= 12 and all(w in _SHARE_WORDS for w in plain):
        if any(w in ("share", "tweet", "facebook", "twitter", "whatsapp", "email") for w in plain):
            return "share"
    if len(words) <= 12 and _BYLINE.match(text):
        return "byline"
    if len(words) <= 14 and _TIMESTAMP.match(text):
        return "timestamp"
    if len(words) <= HEADING_WORDS and not _SENTENCE_END.search(text):
        quoted = any(mark in text for mark in '“”"«»') or _SINGLE_QUOTED.search(text)
        if not quoted:  # a quotation is someone's words, even in a headline
            return "heading"
    return None


def furniture(text: str) -> list[Furniture]:
    """Every line of ``text`` that is page furniture, in text order. A heading is a paragraph
    of one line; the other kinds are recognized on any line."""
    found = []
    for para in paragraphs(text):
        lines = [m for m in _LINE.finditer(text, para.start, para.end) if m.group().strip()]
        for match in lines:
            kind = line_kind(match.group())
            if kind == "heading" and len(lines) > 1:
                continue  # a hard-wrapped paragraph's short line is not a heading
            if kind is not None and (span := trim(text, match.start(), match.end())):
                found.append(Furniture(span, kind))
    return found


# "PORT MERROW — ", "WASHINGTON (Reuters) - ", "KYIV, Ukraine -- ", "CẦN THƠ — ": a place in
# capitals (and a region or a wire service, capitalized), then a dash, at the start of the
# story's first sentence, before a capital or a quotation mark. The pattern finds the shape
# (any script's letters); :func:`dateline` checks the capitals, which a pattern cannot.
_LETTER = r"[^\W\d_]"
_PLACE_WORD = rf"{_LETTER}(?:{_LETTER}|[.'’-])+"  # no digits: "G7 — Leaders met" is no dateline
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}})"
    rf"(?:, (?P<region>{_LETTER}[\w.]+(?: {_LETTER}[\w.]+){{0,2}}))?"
    rf"(?: \((?P<wire>{_LETTER}[\w ]{{1,30}})\))?"
    r"\s*(?:—|–|--| - )\s*(?=[\w“\"‘'])"
)


def dateline(sentence: str) -> int:
    """The length of the dateline a sentence opens with ("BRELIN — A district court ..."),
    0 when it has none."""
    match = _DATELINE.match(sentence)
    if not match or not match["place"].isupper():
        return 0
    capitalized = [match[g][0].isupper() for g in ("region", "wire") if match[g]]
    following = sentence[match.end() : match.end() + 1]
    if not all(capitalized) or (following.isalpha() and not following.isupper()):
        return 0
    return match.end()


def furniture_chars(span: Span, lines: Sequence[Furniture]) -> int:
    """How many of ``span``'s characters lie in furniture lines."""
    return sum(max(0, min(span.end, f.span.end) - max(span.start, f.span.start)) for f in lines)


def evidence_sentences(text: str) -> list[Span]:
    """The sentences of ``text`` that may be evidence for a check or an answer: every sentence
    but those mostly made of a furniture line other than a heading (a link teaser such as
    "READ MORE: Warren Buffett finally reveals ...", the comment form, a prompt, a credit, a
    byline). A headline stays: it is the outlet's own statement of the story."""
    lines = [f for f in furniture(text) if f.kind != "heading"]
    return [s for s in sentences(text) if furniture_chars(s, lines) * 2 < s.end - s.start]


def overlaps_furniture(span: Span, lines: list[Furniture]) -> bool:
    """True when ``span`` shares any character with a furniture line."""
    return any(f.span.start < span.end and span.start < f.span.end for f in lines)
