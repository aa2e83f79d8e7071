"""Naming the speakers of candidates: names kept and expanded, pronouns resolved to the most
recent compatible speaker (with gender and titles), appositions and "X of Y" phrases."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from ..text import Span
from .lexicon import GENDER, PLURAL_PRONOUNS, TITLE_GENDER, TITLES
from .parse import Candidate


@dataclass(frozen=True)
class Name:
    """A named entity mention: a person, organization, group or place."""

    start: int
    end: int
    text: str
    label: str


@dataclass
class _Speakers:
    """What resolution has seen so far, in text order."""

    text: str
    names: list[Name]
    recent: list[tuple[int, str, str]] = field(default_factory=list)  # (where, name, label)
    genders: dict[str, str] = field(default_factory=dict)  # once "she", not the next "he"

    def named(self, cand: Candidate) -> str:
        """The speaker a written name (or a phrase holding one) stands for."""
        assert cand.source is not None
        source, where = cand.source, cand.source.start
        joint = self.joint_by_parse(cand) or self.joint(source, where)
        if joint is not None:
            return joint
        written = self.text[source.start : source.end]
        # A person who heads the subject ("spokeswoman Melezia Figueroa", not "Clinton
        # supporters") or stands in apposition to it ("the chief engineer, Olu Bankole,").
        inside = [
            n
            for n in self.names
            if (source.start <= n.start and n.end == source.end)
            or _apposition(self.text, source.end, n)
        ]
        person = next((n for n in inside if n.label == "PERSON"), None)
        if person is None:  # "Karin Holm of Skagen Securities", "an analyst, Per Eide of X"
            person = next(
                (
                    n
                    for n in self.names
                    if n.label == "PERSON"
                    and source.start <= n.start
                    and n.end < source.end
                    and _OF_PHRASE.match(self.text, n.end)
                ),
                None,
            )
        name = person.text if person else written
        label = person.label if person else (inside[0].label if inside else "")
        if person and person.end == source.end and _capitalized(written):
            name = written  # "Nguyễn Thị Mai", even when the NER only saw "Thị Mai"
        elif person is None and len(cand.names) == 1:
            # the parse's proper name where the NER saw none, or saw a place or a building:
            # "Transport minister Ines Holmberg of Lindau" -> "Ines Holmberg"
            chunk = _untitled(self.text[cand.names[0].start : cand.names[0].end])
            known = next((n.label for n in self.names if n.text == chunk), "")
            if 1 <= len(chunk.split()) <= 4 and known not in _NOT_PEOPLE:
                name = chunk
                label = "PERSON" if len(chunk.split()) >= 2 or known == "PERSON" else known
        if _capitalized(name):
            name = _untitled(name)  # a name, without the titles before it
        speaker = _full_name(name, self.names, where, self.recent)
        if label != "PERSON" and any(s == speaker and lab == "PERSON" for _, s, lab in self.recent):
            label = "PERSON"
        self.recent.append((where, speaker, label))
        return speaker

    def joint_by_parse(self, cand: Candidate) -> str | None:
        """Two or more proper names the parse joins with "and" in one subject speak together;
        each is remembered as a person for the surnames and pronouns that follow."""
        if len(cand.names) < 2 or cand.source is None:
            return None
        where = cand.source.start
        chunks = [_untitled(self.text[n.start : n.end]) for n in cand.names]
        names = [_full_name(c, self.names, where, self.recent) for c in chunks]
        for span, name in zip(cand.names, names, strict=True):
            known = next((n.label for n in self.names if n.text == name), "")
            if len(name.split()) >= 2 and known not in _NOT_PEOPLE:
                self.recent.append((span.start, name, "PERSON"))
        speaker = ", ".join(names[:-1]) + " and " + names[-1]
        self.recent.append((where, speaker, "GROUP"))
        return speaker

    def joint(self, source: Span, where: int) -> str | None:
        """ "Chinese leader Xi Jinping and Russian President Vladimir Putin pledged": two or
        more people (or bodies) joined by "and" speak together, and the claim stays theirs."""
        inside = [n for n in self.names if source.start <= n.start and n.end <= source.end]
        people = [n for n in inside if n.label == "PERSON"] or inside
        if len(people) < 2:
            return None
        gaps = [self.text[a.end : b.start] for a, b in zip(people, people[1:], strict=False)]
        if not re.search(r"\band\b|&", gaps[-1]) or any(
            not re.fullmatch(r"[^.;:]*?(?:,|\band\b|&)[^.;:]*", gap) for gap in gaps
        ):
            return None
        names = [_full_name(n.text, self.names, where, self.recent) for n in people]
        speaker = ", ".join(names[:-1]) + " and " + names[-1]
        self.recent.append((where, speaker, "GROUP"))
        return speaker

    def pronoun(self, source: Span, where: int) -> str | None:
        """The speaker a pronoun refers to: the most recent compatible named speaker, else
        (for a personal pronoun) the most recent person mentioned."""
        pronoun = self.text[source.start : source.end].lower()
        personal = pronoun in ("he", "she", "i", "him", "her", "me")
        plural = pronoun in PLURAL_PRONOUNS
        gender = GENDER.get(pronoun)
        speaker = None
        for _, name, label in reversed(self.recent):
            known = self.genders.get(name) or _title_gender(name)
            if gender and known and known != gender:
                continue  # "He called her plan unaffordable" is not about her
            if plural and not _is_plural(name, label):
                continue  # "Russia said ... their shared view": Russia is "it", Tass "it"
            if not personal or _is_person(name, label):
                speaker = name
                break
        if speaker is None and personal:
            before = [n for n in self.names if n.end <= where and n.label == "PERSON"]
            if before:
                speaker = _full_name(before[-1].text, self.names, where, self.recent)
        if speaker and gender:
            self.genders.setdefault(speaker, gender)
        return speaker


def resolve_speakers(text: str, cands: list[Candidate], names: list[Name]) -> list[Candidate]:
    """Name each candidate's speaker.

    A name stays (a bare surname becomes the fuller name the article used before, "Wren" ->
    "Tomasz Wren"); a pronoun becomes the most recent named speaker before it (for he, she, I:
    a person; for they, their: people named together, a people or a common noun), or else the
    most recent person the article mentions. The model sees these as
    proposals and may correct them.
    """
    seen = _Speakers(text, names)
    out = []
    for cand in sorted(cands, key=lambda c: c.content[0].start):
        speaker = None
        if cand.source is not None:
            where = cand.source.start
            if cand.source_is_pronoun:
                speaker = seen.pronoun(cand.source, where)
            else:
                speaker = seen.named(cand)
        out.append(dataclasses.replace(cand, speaker=speaker))
    return out


def _untitled(name: str) -> str:
    """A name without the titles before it: "President Vladimir Putin" -> "Vladimir Putin",
    also a title with words of its own in front ("Ukrainian President Volodymyr Zelensky",
    "Foreign Minister Sergei Lavrov"), when a capitalized name follows it; and without a
    page's markup stuck to its front ('">Sanders')."""
    words = name.lstrip("\"'<>=/").split()
    titles = [i for i, w in enumerate(words[:4]) if w.lower().rstrip(".") in TITLES]
    if titles and titles[-1] + 1 < len(words) and _capitalized(" ".join(words)):
        words = words[titles[-1] + 1 :]
    return " ".join(words)


def _title_gender(name: str) -> str | None:
    words = name.split()
    return TITLE_GENDER.get(words[0].lower().rstrip(".")) if words else None


_NOT_PEOPLE = frozenset({"GPE", "ORG", "NORP", "LOC", "DATE", "TIME", "MONEY", "CARDINAL"})
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


def _is_plural(name: str, label: str) -> bool:
    """A speaker a "they" or "their" can refer to: people named together ("Xi and Putin"),
    a people ("Palestinians") or a common noun phrase ("the two leaders", "officials")."""
    return label in ("GROUP", "NORP") or (label == "" and not _capitalized(name))


def plural_name(name: str) -> bool:
    """A speaker's name, as written, that a "they" or "their" can stand for, when no entity
    label is at hand (the model's answer): people joined by "and" ("Xi Jinping and Vladimir
    Putin") or a common noun phrase ("the two leaders", "US officials"), not "Russia"."""
    return bool(re.search(r"\s(?:and|&)\s", name)) or not _capitalized(name)


def _apposition(text: str, end: int, name: Name) -> bool:
    """``name`` is set off by commas right after a phrase ending at ``end``, or follows it
    with a space only ("Chief financial officer Mikkel Strand", when the parse made the name
    an apposition of the title)."""
    if name.start - end == 1 and text[end] == " ":
        return True
    return (
        0 <= name.start - end <= 3
        and text[end : name.start].strip() == ","
        and text[name.end : name.end + 1] in (",", ".")
    )


def _full_name(
    name: str, names: list[Name], before: int, speakers: list[tuple[int, str, str]]
) -> str:
    """A one-word name expanded to the first longer person name (or person-like speaker:
    at most four capitalized words) ending in it: "Wren" -> "Tomasz Wren"."""
    clean = name.strip()
    if len(clean.split()) != 1:
        return clean
    earlier = [n.text for n in names if n.label == "PERSON" and n.start < before]
    earlier += [
        s
        for _, s, label in speakers
        if label != "GROUP" and len(s.split()) <= 4 and _capitalized(s)
    ]
    for full in earlier:
        words = full.split()
        if len(words) > 1 and words[-1] == clean:
            return full.strip()
    return clean
