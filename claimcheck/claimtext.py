"""The sentence a reader sees for a claim: built in code from the spans, faithful by
construction; and the checks a model's rewrite must pass to be shown instead.

A claim sentence is the speaker, the cue and the content as the article gives them: "Antony
Blinken said much-needed ammunition and weapons are being rushed to the front lines.", "“China
hopes for peace,” Xi said.", "According to Russian state media Tass, Putin ...". The model may
offer a standalone rewrite (pronouns replaced by names); it is used only when it is a complete
sentence without structural characters, names the resolved speaker, and brings in no content
word that the speaker, the cue, the content and the content's sentence do not hold.
"""

from __future__ import annotations

import re

from .attribution import Candidate
from .attribution.lexicon import IRREGULAR_PAST
from .evidence import STOP_WORDS, content_words

OPENING = "“‘«\"'"
CLOSING = "”’»\"'"
_STRUCTURAL = re.compile(r"[{}\[\]<>|\\`]|\"\s*:|READ MORE", re.IGNORECASE)
# a writer's insertion into a quotation, "[our]", "[W]e", "[by providing limited information]"
_EDITORIAL = re.compile(r"\[[^\[\]{}<>|\\`\"]{1,60}\]")
_CLOSE_AS_OPEN = re.compile(r"(?:^|(?<=[\s(—–-]))”(?=\w)")
_NAME_WORD = re.compile(r"[\w’'-]+")
_SENTENCE_STOP = re.compile(r"[.!?\n]")
_GAP_STOP = re.compile(r"[.!?;\n“”\"«»]")  # a gap that crosses a sentence or a quotation
# Words a rewrite may use beyond its sources: the ways of reporting speech.
REPORTING_WORDS = frozenset(
    """said says say saying told tells tell stated states state according added adds claimed
    claims argued argues believes believed noted notes warned warns announced announces also
    pledged pledges promised promises called calls urged urges""".split()
)
MAX_WORDS = 60
MIN_WORDS = 4
# "said that that plan", "had had", "is is", a particle and its preposition ("did him in in
# 2012", "turned it on on Monday")
_MAY_REPEAT = frozenset({"that", "had", "is", "in", "on", "up", "out", "off", "down", "over"})
MIN_COVERAGE = 0.5  # of the code-built sentence's content words a rewrite must keep


def _fold(text: str) -> str:
    return " ".join(text.split())


def _ending(sentence: str) -> str:
    """The sentence with a final stop: a trailing comma inside a closing quotation mark
    becomes a full stop (“We will rebuild,” -> “We will rebuild.”)."""
    sentence = sentence.rstrip(" ,;:")
    if len(sentence) >= 2 and sentence[-1] in CLOSING and sentence[-2] == ",":
        return sentence[:-2] + "." + sentence[-1]
    if sentence.endswith((".", "!", "?", "…")) or (
        sentence[-1:] in CLOSING and sentence[-2:-1] in (".", "!", "?", "…")
    ):
        return sentence
    return sentence + "."


def _capital(sentence: str) -> str:
    for i, ch in enumerate(sentence):
        if ch.isalpha():
            return sentence[:i] + ch.upper() + sentence[i + 1 :]
        if ch not in OPENING:
            break
    return sentence


def content_text(text: str, cand: Candidate) -> str:
    """The content as one string: a split quotation's parts joined, each part's trailing comma
    inside its closing mark made a stop, an indirect content's parts joined with a comma."""
    parts = [_fold(text[s.start : s.end]) for s in cand.content]
    if len(parts) == 1:
        return parts[0]
    if cand.kind == "direct" or all(p[:1] in OPENING for p in parts):
        return " ".join(_ending(p) if i < len(parts) - 1 else p for i, p in enumerate(parts))
    return ", ".join(p.rstrip(",") for p in parts)


def lowered(phrase: str, text: str) -> str:
    """A phrase as it reads inside a sentence: its first word lowercased when it was capital
    only for standing first ("The statement", "About 140 jobs", "Temperatures fell"): a
    determiner or the like, or a word the article never capitalizes after a lowercase word
    (a name such as "Putin" it does)."""
    words = phrase.split()
    bare = words[0].strip(".,;:!?") if words else ""
    if not bare[:1].isupper() or bare.isupper() or bare == "I":
        return phrase
    if bare not in SENTENCE_START and (
        words[1:2]
        and words[1][:1].isupper()  # "Karl Besson", "Norvik Foods"
        or re.search(rf"(?:[a-z,;]|\b{_ABBREVIATED}\.) {re.escape(bare)}\b", text)
    ):
        return phrase
    return phrase[:1].lower() + phrase[1:]


_ABBREVIATED = r"(?:Mr|Mrs|Ms|Mx|Dr|Prof|Sen|Rep|Gov|Gen|Col|Capt|Lt|Sgt|Rev|St)"  # "Mr. Obama"


def code_sentence(text: str, cand: Candidate, speaker: str, via: str | None = None) -> str:
    """The claim sentence built from the spans: speaker, cue and content in the article's own
    order and words. ``via`` names who reports it ("According to Tass, Putin said ...")."""
    content = _shortened(content_text(text, cand))
    cue = _fold(text[cand.cue.start : cand.cue.end]) if cand.cue else None
    if cue is not None and cand.extra.get("tag") == "VBG" and " " not in cue:
        cue = past_tense(cand.extra["lemma"])  # "noting X" -> "noted X"
    first = cand.content[0]
    if cue is not None and cue.lower() == "according to":
        sentence = f"According to {lowered(speaker, text)}, {lowered(content, text)}"
    elif cue is not None and cand.cue is not None and cand.cue.start >= first.end:
        # the tag follows the content: "“We will rebuild,” she said." / "..., said Ruiz."
        after = cand.source is not None and cand.source.start > cand.cue.start
        tag = f"{cue} {lowered(speaker, text)}" if after else f"{lowered(speaker, text)} {cue}"
        if not after:
            tag += _tag_rest(text, cand.cue.end)
        if content[-1:] in CLOSING:
            if content[-2:-1] in (".", "!", "?") and content[-2:-1] == ".":
                content = content[:-2] + "," + content[-1]
            sentence = f"{content} {tag}"
        else:
            sentence = f"{content.rstrip('.,;:')}, {tag}"
    elif cue is not None and cand.cue is not None and cand.extra.get("noun"):
        # a cue noun: "their shared view that NATO is responsible" is said by its holder
        gap = _fold(text[cand.cue.end : first.start])
        if gap == "" and content.lower().startswith("that "):
            sentence = f"According to {lowered(speaker, text)}, {content[5:]}"
        elif cand.source is not None and cand.source.start > cand.cue.start:
            # "the plan by the council to double the service", in the article's words
            before = re.search(
                r"\b(?:the|a|an)\s+$", text[max(0, cand.cue.start - 6) : cand.cue.start], re.I
            )
            start = cand.cue.start - (len(before.group()) if before else 0)
            sentence = _fold(text[start : cand.content[-1].end])
        else:
            mark = "’" if "’" in text else "'"
            owner = speaker + (mark if speaker.endswith("s") else mark + "s")
            sentence = " ".join(p for p in (owner, cue.lower(), gap, content) if p)
    elif cue is not None and cand.cue is not None:
        gap = text[cand.cue.end : first.start]
        bridge = _fold(gap) if len(gap.split()) <= 5 and not _GAP_STOP.search(gap) else ""
        if bridge and not any(ch.isalnum() for ch in bridge):
            cue, bridge = cue + bridge.replace(",", ""), ""  # "said: “...”" keeps its colon
        sentence = " ".join(p for p in (speaker, cue, bridge.rstrip(","), content) if p)
    else:  # a byline, a transcript label or a continued quotation: no cue word
        sentence = f"{speaker} said: {content}"
    if via:
        sentence = f"According to {lowered(via, text)}, {lowered(sentence, text)}"
    return _closed(_capital(_ending(_tidied(sentence))))


# an article or a preposition the source printed twice, "referring the the 1 percent", "the
# “the forces": shown once (a repeat inside a quotation is the speaker's and stays)
_TYPO_REPEAT = re.compile(r"\b(the|a|an|of|to|for|and)\s+([“\"‘]?)\1\b", re.IGNORECASE)


def _tidied(sentence: str) -> str:
    """The sentence with the source's slips of print made good for reading (the quote spans
    stay as the article has them): straight double marks mixed with curly ones made curly
    (“no evidence" -> “no evidence”), a bracket the content cuts off closed and a stray closing
    one dropped, a doubled article shown once."""
    if '"' in sentence and ("“" in sentence or "”" in sentence):
        sentence = re.sub(r'(?:^|(?<=[\s(\[—–-]))"(?=\S)', "“", sentence)
        sentence = sentence.replace('"', "”")
    depth, kept = 0, []
    for ch in sentence:
        if ch == ")" and depth == 0:
            continue  # "... wider scale.)." from a bracketed sentence
        depth += (ch == "(") - (ch == ")")
        kept.append(ch)
    sentence = "".join(kept)
    if depth > 0:
        body = sentence.rstrip(" .!?")
        sentence = body + ")" * depth + sentence[len(body) :]
    quoted = _quoted_ranges(sentence)
    return _TYPO_REPEAT.sub(
        lambda m: (
            m.group() if any(a <= m.start() < b for a, b in quoted) else m.group(2) + m.group(1)
        ),
        sentence,
    )


def _quoted_ranges(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence's curly quotations run (start, end)."""
    out, opened = [], None
    for i, ch in enumerate(sentence):
        if ch == "“" and opened is None:
            opened = i
        elif ch == "”" and opened is not None:
            out.append((opened, i))
            opened = None
    return out


def _shortened(content: str) -> str:
    """A content near ``2 * MAX_WORDS`` words (a reader's comment, a transcript) cut at the
    last sentence stop within ``MAX_WORDS`` words and marked "…", its quotation closed again:
    the claim's quote spans keep every word; the sentence shown stays one a reader takes in."""
    words = content.split()
    if len(words) <= 2 * MAX_WORDS - 20:  # room for the speaker and the cue
        return content
    head = " ".join(words[:MAX_WORDS])
    stop = max(head.rfind(". "), head.rfind("? "), head.rfind("! "))
    cut = (head[: stop + 1] if stop > len(head) // 3 else head.rstrip(",;:")) + " …"
    return _closed(cut)


def _closed(sentence: str) -> str:
    """A quotation left open (the article never closes it, or a cut did) closed at the end."""
    as_open = len(_CLOSE_AS_OPEN.findall(sentence))
    curly = sentence.count("“") + as_open - (sentence.count("”") - as_open)
    straight = sentence.count('"') % 2
    if curly > 0 and not straight:
        return sentence + "”" * curly
    if curly == 0 and straight:
        return sentence + '"'
    return sentence  # marks of both kinds mixed ("“no evidence" yet"): left as the article has


def _tag_rest(text: str, start: int) -> str:
    """What completes a tag after its verb up to the sentence's end, when short and plain:
    "..., she told a news conference at the town hall." keeps "a news conference at the town
    hall"."""
    stop = _SENTENCE_STOP.search(text, start, start + 120)
    if stop is None:
        return ""
    rest = _fold(text[start : stop.start()])
    if not rest or len(rest.split()) > 8 or any(ch in rest for ch in ',;:“”"«»‘’'):
        return ""
    return " " + rest


SENTENCE_START = frozenset(
    """The A An This That These Those It Its There Their They He She His Her We Our In On At By
    For From With After Before As If When While Some Many Most Several All No One Two Both
    Another Other Others Each Every Few Until About Only Even Such Much More Less Last Next
    Since Although Though But And Or So Yet Almost Nearly Up""".split()
)


def past_tense(lemma: str) -> str:
    """The simple past of a reporting verb: note -> noted, say -> said, vow -> vowed."""
    if lemma in IRREGULAR_PAST:
        return IRREGULAR_PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def garbled(sentence: str, speaker: str | None) -> list[str]:
    """What is wrong with a claim sentence as a reader sees it; empty when nothing is."""
    problems = []
    folded = _fold(sentence)
    words = folded.split()
    if _STRUCTURAL.search(_EDITORIAL.sub("", folded)):
        problems.append("structural characters")
    if not words or not (folded[0].isupper() or folded[0] in OPENING or folded[0].isdigit()):
        problems.append("does not start a sentence")
    if not folded.endswith((".", "!", "?", "…")) and not (
        folded[-1:] in CLOSING and folded[-2:-1] in (".", "!", "?", ",", "…")
    ):
        problems.append("does not end a sentence")
    # some sites open a quotation with ”: one at a word's start, before a letter, opens
    as_open = len(_CLOSE_AS_OPEN.findall(folded))
    if folded.count("“") + as_open != folded.count("”") - as_open or folded.count('"') % 2:
        problems.append("unbalanced quotation marks")
    if folded.count("(") != folded.count(")"):
        problems.append("unbalanced brackets")
    if _doubled(words):
        problems.append("a doubled word")
    if not MIN_WORDS <= len(words) <= MAX_WORDS * 2:
        problems.append(f"{len(words)} words")
    if speaker and not names(folded, speaker):
        problems.append("does not name its speaker")
    return problems


def _doubled(words: list[str]) -> bool:
    """Whether a word follows itself where the source would not have it so: not a repeat set
    off by a comma or a stop ("a big, big problem"), not one inside a quotation (the speaker's
    own words, "“no no, no”")."""
    quoted = False
    for word, following in zip(words, words[1:], strict=False):
        if word[:1] == "”" and word[1:2].isalpha():
            quoted = True  # ” at a word's start opens a quotation, as some sites print it
        for ch in word[1:] if word[:1] == "”" and quoted else word:
            if ch in "“«":
                quoted = True
            elif ch in "”»":
                quoted = False
            elif ch == '"':
                quoted = not quoted
        a = word.lower().lstrip(OPENING)
        b = following.lower().strip(OPENING + CLOSING + ".,;:!?")
        if (
            a == b and a.isalpha() and a not in _MAY_REPEAT and not quoted
        ):  # "big, big" or "No.” No" ends in a mark
            return True
    return False


def names(sentence: str, speaker: str) -> bool:
    """Whether the sentence names the speaker (every name of a joint speaker, by its last
    word: "Putin" names "Vladimir Putin")."""
    lowered = " " + " ".join(_NAME_WORD.findall(sentence.lower().replace(".", ""))) + " "
    parts = re.split(r",\s*|\s+and\s+|\s*&\s*", speaker)
    lasts = [p.split()[-1].strip(".,'’").replace(".", "").lower() for p in parts if p.split()]
    return bool(lasts) and all(
        any(f" {last}{end} " in lowered for end in ("", "’s", "'s", "’", "'")) for last in lasts
    )


def unfaithful(rewrite: str, built: str, speaker: str, sources: str) -> str | None:
    """Why a model's rewrite may not be shown, or None when it may: it must be a complete
    sentence without structural characters, name the resolved speaker, stay within bounds of
    the code-built sentence's length, and bring in no content word that ``sources`` (the
    speaker, the cue, the content and the content's sentence) does not hold, and keep at least
    half the content words of the code-built sentence."""
    folded = _fold(rewrite)
    if not folded:
        return "empty"
    problems = garbled(folded, speaker)
    if problems:
        return problems[0]
    if len(folded.split()) > MAX_WORDS or len(folded) > 1.5 * len(built) + 60:
        return "too long"
    if len(folded) < 0.4 * min(len(built), 200):
        return "too short"
    allowed = content_words(sources) | REPORTING_WORDS | STOP_WORDS
    words = content_words(folded)
    extra = sorted(words - allowed)
    if extra:
        return f"words not in the article's sentence: {', '.join(extra[:3])}"
    said = content_words(built) - REPORTING_WORDS
    if said and len(said & words) < MIN_COVERAGE * len(said):
        return "leaves out what was said"  # a sentence from next to the quote, not of it
    return None
