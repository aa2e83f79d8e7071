"""Checking a claim against stored articles.

1. Evidence: the article's sentences (or the sentences of the chunks Chroma retrieves when no
   article is given) ranked by embedding similarity plus word overlap with the claim.
2. Facts, in code: every number, date and name in the claim must occur in the article; a
   sentence holding one that the ranking missed joins the evidence. A fact the article never
   mentions is a finding the model cannot overrule.
3. The model reads the article (when the claim is checked against one article that fits the
   budget; the paragraphs around the evidence of a longer one), then the claim and the
   numbered evidence, and writes its reason, then a label. The article comes first, so the
   server's cached prefix serves every further call on that article.
4. The same prompt, ending in "Does the evidence support every detail of the claim? Answer yes
   or no.", is asked for one token: P(yes) from its log-probabilities is the support
   probability. A small model's yes/no probability separates claims far better than the label
   it writes after a reason (on 100 held-out SummEdits items: balanced accuracy 0.77 at the
   calibrated threshold against 0.62 for the written label; AUC 0.82).
5. Supported or not, decided in code: by the packaged model's calibrated decision (a logistic
   model over the named :func:`signals`, fitted by ``evals/calibrate.py``) when it has one and
   no threshold was set; otherwise ``supported`` when the support probability reaches the
   threshold and the code found nothing wrong.
6. Refuted or not enough info, for a claim that is not supported: the model's written label
   when it is ``refuted`` or ``not_enough_info``; when it wrote ``supported`` in vain,
   ``refuted`` if the code found another value of the same kind or a flipped negation, else
   ``not_enough_info``. ``not_enough_info`` too when nothing relevant was retrieved (the model
   is not asked). The same prompt then ends in a contradiction question, asked for one token:
   its P(yes), the contradiction probability, is recorded on the verdict for the calibrated
   refuted-or-not decision still to be fitted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from langchain_core.language_models import BaseChatModel
from pydantic import Field

from . import prompts
from .evidence import (
    NUMERIC,
    Embed,
    Evidence,
    fact_found,
    find_facts,
    negated,
    normalize_words,
    number_lines,
    overlap,
    rank_sentences,
    relevant,
)
from .models import Article
from .structured import ModelAnswer, Usage, invoke_structured, yes_probability
from .text import Span, paragraphs, sentences

Label = Literal["supported", "refuted", "not_enough_info"]
EVIDENCE = 4  # sentences shown to the model
REASON_CHARS = 400
DOCUMENT_CHARS = 7000  # an article up to this long is shown whole (about 1,000 words)


class Judgement(ModelAnswer):
    """The model's written answer: its reason first, then its label."""

    reason: str = Field(max_length=REASON_CHARS, description="Why, written before the label.")
    label: Label


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


def check_facts(
    claim: str, evidence: Sequence[Evidence], articles: Sequence[Article]
) -> tuple[Findings, list[tuple[Article, Span]]]:
    """Findings about the claim's facts, and article sentences that hold facts the evidence
    lacked (to be added to the evidence)."""
    facts, claim_negated = find_facts(claim)
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
    findings.negation = flipped_negation(claim, claim_negated, evidence)
    return findings, extra


def _clauses(text: str) -> list[str]:
    return [c for c in text.split(";") if c.strip()] or [text]


NEAR_COPY = 0.75  # similarity (a whole claim) or word overlap (a clause) of a near-copy


def flipped_negation(claim: str, claim_negated: bool, evidence: Sequence[Evidence]) -> str | None:
    """The finding when the claim and a near-copy of it in the evidence disagree on "not": the
    closest evidence for a claim of one clause; for a claim of clauses joined by semicolons (a
    summary's "The ferry runs six times a day; fares do not change."), each clause and the
    evidence clause that shares most of its words, so that one clause's negation is not held
    against another clause's evidence; evidence of clauses (a summary as the evidence) is read
    clause by clause too."""
    if not evidence:
        return None
    clauses = _clauses(claim)
    if len(clauses) < 2:
        # of evidence made of clauses (a summary checked as evidence), the clause closest to it
        closest = max(_clauses(evidence[0].text), key=lambda c: overlap(claim, c))
        if evidence[0].similarity >= NEAR_COPY and claim_negated != negated(closest):
            return (
                "the claim is negated and the closest evidence is not"
                if claim_negated
                else "the closest evidence is negated and the claim is not"
            )
        return None
    for clause in clauses:
        closest = max(
            (c for e in evidence for c in _clauses(e.text)), key=lambda c: overlap(clause, c)
        )
        if overlap(clause, closest) < NEAR_COPY:
            continue
        clause_negated = negated(clause)
        if clause_negated != negated(closest):
            which = "the clause is negated and its closest evidence is not"
            if not clause_negated:
                which = "the clause's closest evidence is negated and the clause is not"
            return f"{which} ({clause.strip()!r})"
    return None


def document(evidence: Sequence[Evidence], budget: int = DOCUMENT_CHARS) -> str:
    """The article section of the prompt: the whole article when every evidence sentence is of
    one article no longer than ``budget``; of a longer one, its paragraphs holding evidence, in
    order, within the budget; nothing when the evidence comes from several articles (a search
    of the corpus: the evidence alone is shown)."""
    articles = {e.article.id: e.article for e in evidence}
    if len(articles) != 1:
        return ""
    (article,) = articles.values()
    text = article.text
    if len(text) <= budget:
        return f"Article:\n{text.strip()}\n\n"
    paras = paragraphs(text)
    wanted: list[Span] = []
    used = 0
    for e in sorted(evidence, key=lambda e: -e.score):
        para = next((p for p in paras if p.start <= e.span.start < p.end), e.span)
        if para not in wanted and used + (para.end - para.start) <= budget:
            wanted.append(para)
            used += para.end - para.start
    if not wanted:
        return ""
    pieces = [" ".join(text[p.start : p.end].split()) for p in sorted(wanted)]
    return "Article (the paragraphs around the evidence):\n" + "\n\n".join(pieces) + "\n\n"


def judge(
    model: BaseChatModel,
    claim: str,
    evidence: Sequence[Evidence],
    usage: Usage,
    article: str = "",
) -> tuple[Judgement, float | None]:
    """The model's reason and label, then its support probability (None when the server
    answered neither yes nor no). ``article`` is the prompt's article section
    (:func:`document`)."""
    prompt = prompts.load("check", Judgement)
    numbered = number_lines(e.text for e in evidence)
    shared = {"claim": claim, "evidence": numbered, "document": article}
    judgement = invoke_structured(
        model,
        prompt.messages(**shared, task=prompt.tasks["reason"]),
        Judgement,
        usage=usage,
        max_tokens=160,
        name="check",
    )
    support = yes_probability(model, prompt.messages(**shared, task=prompt.tasks["support"]), usage)
    return judgement, support


def contradiction(
    model: BaseChatModel, claim: str, evidence: Sequence[Evidence], usage: Usage, article: str = ""
) -> float | None:
    """P(yes) that the article or the evidence contradicts the claim, on the same prefix."""
    prompt = prompts.load("check", Judgement)
    messages = prompt.messages(
        claim=claim,
        evidence=number_lines(e.text for e in evidence),
        document=article,
        task=prompt.tasks["contradict"],
    )
    return yes_probability(model, messages, usage)


SIGNALS = (
    "support",
    "said_supported",
    "said_refuted",
    "missing",
    "conflicting",
    "negation",
    "similarity",
    "overlap",
)


def signals(
    judgement: Judgement,
    support: float | None,
    findings: Findings,
    evidence: Sequence[Evidence],
) -> dict[str, float]:
    """What the supported-or-not decision is made from, by name: the support probability as
    log-odds, the label the model wrote, the code's findings (facts the article lacks, those
    of them the evidence gives another value for, a flipped negation) and how close the best
    evidence is (embedding similarity, word overlap)."""
    if support is None:
        support = {"supported": 1.0, "not_enough_info": 0.4, "refuted": 0.0}[judgement.label]
    p = min(1 - 1e-4, max(1e-4, support))
    return {
        "support": round(math.log(p / (1 - p)), 4),
        "said_supported": float(judgement.label == "supported"),
        "said_refuted": float(judgement.label == "refuted"),
        "missing": float(len(findings.missing) - len(findings.conflicting)),
        "conflicting": float(len(findings.conflicting)),
        "negation": float(findings.negation is not None),
        "similarity": round(max((e.similarity for e in evidence), default=0.0), 4),
        "overlap": round(max((e.overlap for e in evidence), default=0.0), 4),
    }


def calibrated(weights: Mapping[str, float], values: Mapping[str, float]) -> float:
    """The calibrated probability that a claim is supported: a logistic model over the named
    signals (``bias`` plus a weight per signal; a signal without a weight counts nothing)."""
    z = weights.get("bias", 0.0)
    z += sum(w * values.get(k, 0.0) for k, w in weights.items() if k != "bias")
    return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))


def decide(
    judgement: Judgement,
    support: float | None,
    findings: Findings,
    threshold: float = 0.5,
    weights: Mapping[str, float] | None = None,
    values: Mapping[str, float] | None = None,
) -> tuple[bool, float]:
    """Supported or not, and a support score in [0, 1].

    With calibrated ``weights`` (and the claim's signal ``values``): supported when the
    calibrated probability reaches one half, which is the score. Otherwise: supported when the
    support probability (from the model's label when there is none) reaches the threshold and
    the code found nothing wrong; the score is the support probability, and when the code found
    something wrong at most half the threshold, halved again for each further finding."""
    if weights and values is not None:
        probability = calibrated(weights, values)
        return probability >= 0.5, round(probability, 3)
    flagged = bool(findings.notes)
    model_says = judgement.label == "supported" if support is None else support >= threshold
    if support is None:
        support = {"supported": 1.0, "not_enough_info": 0.4, "refuted": 0.0}[judgement.label]
    score = support
    if flagged:  # below the threshold, and lower with each finding
        score = min(support, threshold) * 0.5 ** len(findings.notes)
    return model_says and not flagged, round(min(1.0, max(0.0, score)), 3)


def refuted(findings: Findings, judgement: Judgement) -> bool:
    """Whether a claim that is not supported is refuted, not merely absent: the model's written
    label when it wrote ``refuted`` or ``not_enough_info``; when it wrote ``supported`` in
    vain, whether the code found another value of the same kind or a flipped negation.

    The contradiction probability is recorded beside it (:class:`Outcome`) but does not decide
    yet: on the first 31 of the own suite's checks, letting it and the code's "another value
    of the same kind" decide turned not-enough-info claims into refuted ones (balanced
    accuracy 0.571 against 0.809 for this rule), and where it was asked it did not separate
    refuted from absent; the calibrated refuted-or-not decision is to be fitted on it.
    """
    if judgement.label != "supported":
        return judgement.label == "refuted"
    return bool(findings.conflicting or findings.negation)


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
    contradiction: float | None = None
    signals: dict[str, float] = field(default_factory=dict)


def check_claim(
    claim: str,
    candidates: Sequence[tuple[Article, Span]],
    model: BaseChatModel,
    embed: Embed,
    usage: Usage,
    threshold: float = 0.5,
    weights: Mapping[str, float] | None = None,
) -> Outcome:
    """Label, reason, evidence, score and findings for one claim. ``weights``: the model's
    calibrated decision, if it has one (see :func:`decide`)."""
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
    shown = document(evidence)
    judgement, support = judge(model, claim, evidence, usage, shown)
    values = signals(judgement, support, findings, evidence)
    supported, score = decide(judgement, support, findings, threshold, weights, values)
    contradicts = None
    label: Label = "supported"
    if not supported:
        contradicts = contradiction(model, claim, evidence, usage, shown)
        label = "refuted" if refuted(findings, judgement) else "not_enough_info"
    reason = judgement.reason.strip()
    notes = []
    if findings.missing:
        notes.append("not in the article: " + ", ".join(findings.missing))
    if findings.negation:
        notes.append(findings.negation)
    if notes:
        reason = f"{reason} Checks: {'; '.join(notes)}."
    return Outcome(
        label,
        reason,
        evidence,
        score,
        findings,
        judgement.label,
        support,
        None if contradicts is None else round(contradicts, 4),
        values,
    )
