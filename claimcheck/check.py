"""Checking a claim against stored articles.

1. Evidence: the article's sentences (or the sentences of the chunks Chroma retrieves when no
   article is given) ranked by embedding similarity plus word overlap with the claim.
2. Facts, in code: every number, date and name in the claim must occur in the article; a
   sentence holding one that the ranking missed joins the evidence. A fact the article never
   mentions is a finding the model cannot overrule.
3. The model reads the claim and the numbered evidence and writes its reason, then a label.
4. The same prompt, ending in "Does the evidence support every detail of the claim? Answer yes
   or no.", is asked for one token: P(yes) from its log-probabilities is the support
   probability. A small model's yes/no probability separates claims far better than the label
   it writes after a reason (on 100 held-out SummEdits items: balanced accuracy 0.77 at the
   calibrated threshold against 0.62 for the written label; AUC 0.82).
5. The label, decided in code after both: ``not_enough_info`` when nothing relevant was
   retrieved (the model is not asked); ``supported`` when the support probability reaches the
   model's threshold and the code found nothing wrong; otherwise the model's label when it is
   ``refuted`` or ``not_enough_info``; and when the model wrote ``supported`` in vain,
   ``refuted`` if the code found a conflicting fact or a flipped negation, else
   ``not_enough_info``.

Every evidence quote is a sentence span of the stored text, so it is exact by construction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field

from . import prompts
from .attribution import parser
from .models import Article, Quote
from .structured import Usage, invoke_structured, yes_probability
from .text import Span, sentences

Label = Literal["supported", "refuted", "not_enough_info"]
LABELS: tuple[Label, ...] = ("supported", "refuted", "not_enough_info")
NUMERIC = frozenset("DATE TIME MONEY PERCENT QUANTITY CARDINAL ORDINAL".split())
NAMED = frozenset("PERSON ORG GPE NORP LOC FAC EVENT PRODUCT WORK_OF_ART LAW LANGUAGE".split())
EVIDENCE = 4  # sentences shown to the model
MIN_SIMILARITY = 0.25  # below this (and without shared words) nothing relevant was found
MIN_OVERLAP = 0.25
REASON_CHARS = 400
_WORD = re.compile(r"[\w$%]+(?:[.,]\d+)*")
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_STOP = frozenset(
    """a an the of in on at to for from by with and or but is are was were be been being has have
    had it its this that these those as into than then there their they he she his her him we our
    you your i not no will would can could should may might do does did said says say""".split()
)


class Judgement(BaseModel):
    reason: str = Field(max_length=REASON_CHARS, description="Why, written before the label.")
    label: Label


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


@dataclass
class Findings:
    """What the code found about the claim's facts."""

    missing: list[str] = field(default_factory=list)  # facts the article never mentions
    conflicting: list[str] = field(default_factory=list)  # of those, ones the evidence
    #                                                       answers with another value
    negation: str | None = None  # the claim and its closest evidence disagree on "not"

    @property
    def notes(self) -> list[str]:
        """Every finding, one line each: the missing facts, then the negation."""
        return [*self.missing, *([self.negation] if self.negation else [])]


def normalize_words(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return " ".join(_NUMBER_WORDS.get(w, w) for w in _WORD.findall(text))


def content_words(text: str) -> set[str]:
    return {w for w in normalize_words(text).split() if w not in _STOP and len(w) > 1}


def overlap(claim: str, sentence: str) -> float:
    """Share of the claim's content words found in the sentence."""
    words = content_words(claim)
    return len(words & content_words(sentence)) / len(words) if words else 0.0


def fact_found(fact: str, label: str, haystack: str) -> bool:
    norm = normalize_words(fact)
    if not norm:
        return True
    if f" {norm} " in f" {haystack} ":
        return True
    if label in NUMERIC:
        digits = [w for w in norm.split() if any(c.isdigit() for c in w)]
        # "35 years ago" is found when 35 is; words without digits ("last week") are not facts
        return all(f" {d} " in f" {haystack} " for d in digits) if digits else True
    if label == "PERSON":  # a surname stands for the person
        return f" {norm.split()[-1]} " in f" {haystack} "
    return False


def find_facts(claim: str) -> tuple[list[tuple[str, str]], bool]:
    """The claim's named and numeric entities, and whether it is negated."""
    doc = parser()(claim)
    facts = [(e.text, e.label_) for e in doc.ents if e.label_ in NUMERIC | NAMED]
    negated = any(t.dep_ == "neg" for t in doc)
    return facts, negated


def _negated(text: str) -> bool:
    return any(t.dep_ == "neg" for t in parser()(text))


def check_facts(
    claim: str, evidence: Sequence[Evidence], articles: Sequence[Article]
) -> tuple[Findings, list[tuple[Article, Span]]]:
    """Findings about the claim's facts, and article sentences that hold facts the evidence
    lacked (to be added to the evidence)."""
    facts, negated = find_facts(claim)
    findings = Findings()
    extra: list[tuple[Article, Span]] = []
    evidence_text = " " + " ".join(normalize_words(e.text) for e in evidence) + " "
    # Split, normalized and parsed only when a fact is missing from the evidence, and once.
    article_sentences: list[tuple[Article, Span, str]] | None = None
    evidence_labels: set[str] | None = None
    for fact, label in facts:
        if fact_found(fact, label, evidence_text):
            continue
        if article_sentences is None:
            article_sentences = [
                (article, span, f" {normalize_words(article.text[span.start : span.end])} ")
                for article in articles
                for span in sentences(article.text)
            ]
        holder = next(
            ((a, span) for a, span, norm in article_sentences if fact_found(fact, label, norm)),
            None,
        )
        if holder is not None:
            extra.append(holder)
            continue
        findings.missing.append(f"{fact} ({label.lower()})")
        if evidence_labels is None:
            evidence_labels = {lab for e in evidence for _, lab in find_facts(e.text)[0]}
        same_kind = (label in NUMERIC and evidence_labels & NUMERIC) or label in evidence_labels
        if same_kind:
            findings.conflicting.append(fact)
    if evidence and evidence[0].similarity >= 0.75 and negated != _negated(evidence[0].text):
        findings.negation = (
            "the claim is negated and the closest evidence is not"
            if negated
            else "the closest evidence is negated and the claim is not"
        )
    return findings, extra


def rank_sentences(
    claim: str,
    candidates: Sequence[tuple[Article, Span]],
    embed: Callable[[list[str]], list[Any]],
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


def number_lines(lines: Iterable[str]) -> str:
    """``[1] first``, ``[2] second``, ... with white space folded: how the model sees text."""
    return "\n".join(f"[{i}] {' '.join(line.split())}" for i, line in enumerate(lines, 1))


def judge(
    model: Any, claim: str, evidence: Sequence[Evidence], usage: Usage
) -> tuple[Judgement, float | None]:
    """The model's reason and label, then its support probability (None when the server
    answered neither yes nor no)."""
    prompt = prompts.load("check")
    numbered = number_lines(e.text for e in evidence)
    schema = {
        "type": "object",
        "properties": {
            "reason": {"type": "string", "maxLength": REASON_CHARS},
            "label": {"type": "string", "enum": list(LABELS)},
        },
        "required": ["reason", "label"],
        "additionalProperties": False,
    }
    judgement = invoke_structured(
        model.bind(max_tokens=160),
        prompt.messages(claim=claim, evidence=numbered, task=prompt.tasks["reason"]),
        schema,
        "check",
        Judgement.model_validate,
        usage,
    )
    support = yes_probability(
        model, prompt.messages(claim=claim, evidence=numbered, task=prompt.tasks["support"]), usage
    )
    return judgement, support


def decide(
    judgement: Judgement,
    support: float | None,
    findings: Findings,
    threshold: float = 0.5,
) -> tuple[Label, float]:
    """The final label and a support score in [0, 1]: the support probability (from the
    model's label when there is none); when the code found something wrong, at most half the
    threshold, halved again for each further finding."""
    flagged = bool(findings.notes)
    model_says = judgement.label == "supported" if support is None else support >= threshold
    label: Label
    if model_says and not flagged:
        label = "supported"
    elif judgement.label != "supported":
        label = judgement.label  # the model's refuted or not_enough_info stands
    elif findings.conflicting or findings.negation:
        label = "refuted"  # the code overrules the model's "supported"
    else:
        label = "not_enough_info"
    if support is None:
        support = {"supported": 1.0, "not_enough_info": 0.4, "refuted": 0.0}[judgement.label]
    score = support
    if flagged:  # below the threshold, and lower with each finding
        score = min(support, threshold) * 0.5 ** len(findings.notes)
    return label, round(min(1.0, max(0.0, score)), 3)


def relevant(evidence: Sequence[Evidence]) -> bool:
    return bool(evidence) and (
        evidence[0].similarity >= MIN_SIMILARITY or evidence[0].overlap >= MIN_OVERLAP
    )


def quotes(evidence: Sequence[Evidence]) -> list[Quote]:
    return [Quote.from_span(e.article, e.span.start, e.span.end) for e in evidence]


@dataclass
class Outcome:
    """Everything :func:`check_claim` found about one claim."""

    label: Label
    reason: str
    evidence: list[Evidence]
    score: float
    findings: Findings
    model_label: Label | None = None
    support: float | None = None


def check_claim(
    claim: str,
    candidates: Sequence[tuple[Article, Span]],
    model: Any,
    embed: Callable[[list[str]], list[Any]],
    usage: Usage,
    threshold: float = 0.5,
) -> Outcome:
    """Label, reason, evidence, score and findings for one claim."""
    ranked = rank_sentences(claim, candidates, embed)
    evidence = ranked[:EVIDENCE]
    if not relevant(evidence):
        return Outcome(
            "not_enough_info", "No stored sentence is close to the claim.", [], 0.0, Findings()
        )
    articles = list({id(e.article): e.article for e in ranked}.values())
    findings, extra = check_facts(claim, evidence, articles)
    have = {(e.article.id, e.span) for e in evidence}
    for article, span in extra:
        if (article.id, span) not in have:
            text = article.text[span.start : span.end]
            evidence.append(Evidence(article, span, 0.0, overlap(claim, text)))
            have.add((article.id, span))
    evidence.sort(key=lambda e: (e.article.id, e.span.start))
    judgement, support = judge(model, claim, evidence, usage)
    label, score = decide(judgement, support, findings, threshold)
    reason = judgement.reason.strip()
    notes = []
    if findings.missing:
        notes.append("not in the article: " + ", ".join(findings.missing))
    if findings.negation:
        notes.append(findings.negation)
    if notes:
        reason = f"{reason} Checks: {'; '.join(notes)}."
    return Outcome(label, reason, evidence, score, findings, judgement.label, support)
