"""Checking a claim against stored articles, from one-token answers.

1. Evidence: the article's sentences (or the sentences of the chunks Chroma retrieves when no
   article is given) ranked by embedding similarity plus word overlap with the claim.
2. Facts, in code: every number, date and name in the claim must occur in the article; a
   sentence holding one that the ranking missed joins the evidence. A fact the article never
   mentions is a finding the model cannot overrule.
3. The prompt, by the view (``Settings.check_view``): "evidence" (the packaged 1.5B's) shows
   the numbered evidence sentences alone, ~150 tokens, so no check waits for its article to be
   read; "article" (any other model's) shows the article when the claim is checked against
   one article that fits the budget (else the paragraphs around the evidence, or the evidence
   alone for a search of the corpus) and its best sentence again, so the server's cached
   prefix serves every further check on that article. Then the claim, then a yes/no question
   asked for one token: P(yes) against P(no), from the token's log-probabilities, is the
   support probability. Every check's prefix is saved for the next process
   (:mod:`claimcheck.warm`): the article, or in the evidence view the instructions.
4. Supported or not, decided in code: by the packaged model's calibrated decision (a logistic
   model over the named :func:`signals`, fitted by ``evals/calibrate.py``) when it has one and
   no threshold was set; otherwise ``supported`` when the support probability reaches the
   threshold and the code found nothing wrong.
5. Refuted or not enough info, for a claim that is not supported: ``refuted`` when the code
   found another value for the same thing (a sentence holding most of the claim's other words,
   the word the fact tells about and a fact of the same kind) or a flipped negation, or by the
   model's :class:`RefuteRule`: for the packaged 1.5B, when the closest evidence sentence is
   as similar as 0.7 (the article speaks of the same thing and does not support it) or a
   second one-token question on the same prefix, whether the article contradicts the claim,
   reaches 0.6; for other models, when that question reaches one half. ``not_enough_info``
   otherwise, and when nothing relevant was retrieved (the
   model is not asked).
6. The reason is written in code from what decided it (the closest evidence sentence, the
   findings, the probabilities). ``explain=True`` also asks the model for its written reason
   and label on the same prefix (about 40 generated tokens, 5 s on 2 cores); they are recorded
   on the verdict and decide nothing: on 100 SummEdits items the written label had balanced
   accuracy 0.62 against 0.77 for the support probability.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

from . import prompts
from .evidence import (
    NUMERIC,
    Embed,
    Evidence,
    content_words,
    covering,
    fact_anchors,
    fact_found,
    find_facts,
    kinds_and_lemmas,
    negated,
    normalize_words,
    number_lines,
    overlap,
    rank_sentences,
    relevant,
    verify_all,
)
from .evidence import quotes as evidence_quotes
from .furniture import evidence_sentences
from .models import Article, Verdict
from .structured import ModelAnswer, Usage, invoke_structured, yes_probability
from .text import Span, paragraphs

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
    evidence_facts: list[tuple[str, set[str], set[str]]] | None = None
    anchors: dict[str, str] = {}
    for fact, label in facts:
        if fact_found(fact, label, evidence_text):
            continue
        if article_sentences is None:
            article_sentences = [
                (article, span, f" {normalize_words(article.text[span.start : span.end])} ")
                for article in articles
                for span in evidence_sentences(article.text)  # no teaser holds a fact
            ]
        holder = next(
            ((a, span) for a, span, norm in article_sentences if fact_found(fact, label, norm)),
            None,
        )
        if holder is not None:
            extra.append(holder)
            continue
        findings.missing.append(f"{fact} ({label.lower()})")
        if evidence_facts is None:
            evidence_facts = kinds_and_lemmas(e.text for e in evidence)
            anchors = fact_anchors(claim)
        if another_value(claim, facts, label, evidence_facts, anchors.get(fact)):
            findings.conflicting.append(fact)
    findings.negation = flipped_negation(claim, claim_negated, evidence)
    return findings, extra


SAME_THING = 0.6  # share of the claim's words besides its facts that a sentence must hold


def another_value(
    claim: str,
    facts: Sequence[tuple[str, str]],
    label: str,
    evidence: Sequence[tuple[str, set[str], set[str]]],
    anchor: str | None = None,
) -> bool:
    """Whether the evidence gives another value for a fact of the claim that the article
    lacks: a sentence holds a fact of the same kind (any number or date for a number or date),
    the word the fact tells about (``anchor``, a lemma: the harvest of "a harvest of 150,000
    tonnes") and most of the claim's words besides its facts, so it speaks of the same thing
    ("a harvest of about 110,000 tonnes"). A detail the article never gives ("founded in 1952"
    beside a sentence on the same company with some other date) is only missing. ``evidence``:
    each sentence's text, the kinds of its facts and its lemmas."""
    fact_words = set().union(*(content_words(f) for f, _ in facts))
    frame = content_words(claim) - fact_words
    if not frame:
        return False
    for text, labels, words in evidence:
        same_kind = (label in NUMERIC and labels & NUMERIC) or label in labels
        same_thing = len(frame & content_words(text)) >= SAME_THING * len(frame)
        if same_kind and same_thing and (anchor is None or anchor in words):
            return True
    return False


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


def document(evidence: Sequence[Evidence], budget: int = DOCUMENT_CHARS) -> tuple[str, bool]:
    """The article section of the prompt, and whether it is the whole article: the whole
    article when every evidence sentence is of one article no longer than ``budget``; of a
    longer one, its paragraphs holding evidence, in order, within the budget; nothing when the
    evidence comes from several articles (a search of the corpus: the evidence alone is
    shown)."""
    articles = {e.article.id: e.article for e in evidence}
    if len(articles) != 1:
        return "", False
    (article,) = articles.values()
    text = article.text
    if len(text) <= budget:
        return f"Article:\n{text.strip()}\n\n", True
    paras = paragraphs(text)
    wanted: list[Span] = []
    used = 0
    for e in sorted(evidence, key=lambda e: -e.score):
        para = next((p for p in paras if p.start <= e.span.start < p.end), e.span)
        if para not in wanted and used + (para.end - para.start) <= budget:
            wanted.append(para)
            used += para.end - para.start
    if not wanted:
        return "", False
    pieces = [" ".join(text[p.start : p.end].split()) for p in sorted(wanted)]
    return "Article (the paragraphs around the evidence):\n" + "\n\n".join(pieces) + "\n\n", False


BESIDE = 1  # the best evidence sentences shown again right before the claim


def shared_prefix(candidates: Sequence[tuple[Article, Span]], view: str = "article") -> str | None:
    """What every check against these candidates' article starts its prompt with: in the
    article view, the prompt's version and the article, when they are of one article shown
    whole (else None); in the evidence view, the prompt's version alone (its instructions,
    which every check shares)."""
    version = prompts.load("check", Judgement).version
    if view == "evidence":
        return f"{version}\n(the evidence view)"
    articles = {a.id: a for a, _ in candidates}
    if len(articles) != 1:
        return None
    (article,) = articles.values()
    if len(article.text) > DOCUMENT_CHARS:
        return None
    return f"{version}\n{article.text.strip()}"


@dataclass
class Asking:
    """One claim's questions on one prompt prefix: the article (or the paragraphs or evidence
    shown for it), then the best evidence sentence again, the claim and the question. Only the
    question differs between the calls, so after the first each reads its own ~20 tokens from
    the server's cached prefix, and every check on the article reads the article from it."""

    model: BaseChatModel
    claim: str
    evidence: Sequence[Evidence]
    usage: Usage
    beside: int = BESIDE  # best evidence sentences repeated after a whole article (0: none)
    article: bool = True  # False: the numbered evidence alone, never the article
    most: int | None = None  # without the article: show only `covering` sentences (None: all)

    def __post_init__(self) -> None:
        self.prompt = prompts.load("check", Judgement)
        self.document, whole = document(self.evidence) if self.article else ("", False)
        shown = list(self.evidence)
        if not self.article and self.most is not None:
            best = covering(self.claim, shown, self.most)
            shown = [e for e in shown if e in best]  # in article order
        if whole:
            best = sorted(shown, key=lambda e: -e.score)[: self.beside]
            shown = [e for e in shown if e in best]  # in article order
        self.evidence_block = ""
        if shown:
            title = "Evidence" if self.document else "Article (sentences of the stored articles)"
            self.evidence_block = f"{title}:\n{number_lines(e.text for e in shown)}\n\n"

    def messages(self, task: str) -> list[BaseMessage]:
        return self.prompt.messages(
            document=self.document,
            evidence=self.evidence_block,
            claim=self.claim,
            task=self.prompt.tasks[task],
        )

    def probability(self, task: str) -> float | None:
        """P(yes) of the one-token answer to the task's yes/no question."""
        return yes_probability(self.model, self.messages(task), self.usage)

    def judgement(self) -> Judgement:
        """The model's written reason and label (the ``explain`` call, ~75 tokens written)."""
        return invoke_structured(
            self.model,
            self.messages("reason"),
            Judgement,
            usage=self.usage,
            max_tokens=160,
            name="check",
        )


# What the supported-or-not decision is made from (evals/calibrate.py fits weights on them);
# "contradiction" is recorded too, for a claim that is not supported, for the refuted-or-not
# decision.
SIGNALS = ("support", "missing", "conflicting", "negation", "similarity", "overlap")


def log_odds(p: float) -> float:
    p = min(1 - 1e-4, max(1e-4, p))
    return round(math.log(p / (1 - p)), 4)


def signals(
    support: float | None, findings: Findings, evidence: Sequence[Evidence]
) -> dict[str, float]:
    """What the supported-or-not decision is made from, by name: the support probability as
    log-odds (even odds when the model answered neither yes nor no), the code's findings
    (facts the article lacks, those of them the evidence gives another value for, a flipped
    negation) and how close the best evidence is (embedding similarity, word overlap)."""
    return {
        "support": log_odds(0.5 if support is None else support),
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
    support: float | None,
    findings: Findings,
    threshold: float = 0.5,
    weights: Mapping[str, float] | None = None,
    values: Mapping[str, float] | None = None,
    *,
    overrule: bool = True,
) -> tuple[bool, float]:
    """Supported or not, and a support score in [0, 1].

    With calibrated ``weights`` (and the claim's signal ``values``): supported when the
    calibrated probability reaches one half, which is the score. Otherwise: supported when the
    support probability reaches the threshold and, when the findings ``overrule``, the code
    found nothing wrong; the score is the support probability (0 when the model answered
    neither yes nor no), and when a finding overrules at most half the threshold, halved
    again for each further finding. Without ``overrule`` the findings still tell refuted from
    not enough info for a claim that is not supported, and are reported."""
    if weights and values is not None:
        probability = calibrated(weights, values)
        return probability >= 0.5, round(probability, 3)
    score = 0.0 if support is None else support
    flagged = overrule and bool(findings.notes)
    if flagged:  # below the threshold, and lower with each finding
        score = min(score, threshold) * 0.5 ** len(findings.notes)
    supported = support is not None and support >= threshold and not flagged
    return supported, round(min(1.0, max(0.0, score)), 3)


CONTRADICTION_THRESHOLD = 0.5


@dataclass(frozen=True)
class RefuteRule:
    """How a claim that is not supported is told refuted or not enough info, besides the
    code's findings (another value for the same thing, a flipped negation: refuted).

    ``similarity``: refuted when the closest evidence sentence is at least this similar to the
    claim (the article speaks of the same thing and does not support it); None: not used.
    ``contradiction``: refuted when the model's answer to the contradiction question reaches
    this probability; None: the question is not asked (one question a check)."""

    similarity: float | None = None
    contradiction: float | None = CONTRADICTION_THRESHOLD


def refuted(
    findings: Findings,
    contradiction: float | None,
    similarity: float = 0.0,
    rule: RefuteRule = RefuteRule(),
) -> bool:
    """Whether a claim that is not supported is refuted, not merely absent: the code found
    another value for the same thing or a flipped negation, or the rule's signals say so."""
    if findings.conflicting or findings.negation:
        return True
    if rule.similarity is not None and similarity >= rule.similarity:
        return True
    return (
        rule.contradiction is not None
        and contradiction is not None
        and contradiction >= rule.contradiction
    )


QUOTED_CHARS = 400  # a long sentence is quoted whole; a run-on paragraph is cut


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > QUOTED_CHARS:
        text = text[: QUOTED_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return f"“{text}”"


def written_reason(
    label: Label,
    evidence: Sequence[Evidence],
    findings: Findings,
    support: float | None,
    contradiction: float | None,
    rule: RefuteRule = RefuteRule(),
    similarity: float = 0.0,
) -> str:
    """The verdict's reason, written in code from what decided it: the closest evidence
    sentence, the code's findings and the model's probabilities (``similarity``: of the
    evidence most similar to the claim, which the rule may have decided by)."""
    best = max(evidence, key=lambda e: e.score)
    asked = (
        "the model answered neither yes nor no"
        if support is None
        else (f"support probability {support:.2f}")
    )
    if contradiction is not None:
        asked += f", contradiction probability {contradiction:.2f}"
    notes = []
    if findings.conflicting:
        notes.append("the article gives another value for " + ", ".join(findings.conflicting))
    others = [m for m in findings.missing if m.split(" (")[0] not in findings.conflicting]
    if others:
        notes.append("not in the article: " + ", ".join(others))
    if findings.negation:
        notes.append(findings.negation)
    found = f" The code found: {'; '.join(notes)}." if notes else ""
    if label == "supported":
        return f"The article says {_quoted(best.text)} ({asked}).{found}"
    if label == "refuted":
        if findings.conflicting or findings.negation:  # what refutes; a missing fact does not
            why = "the code's findings"
        elif rule.similarity is not None and similarity >= rule.similarity:
            why = "the article speaks of the same thing and does not support it"
        else:
            why = "the article contradicts it"
        return f"Refuted ({why}): the closest sentence is {_quoted(best.text)} ({asked}).{found}"
    return f"The article does not state it: closest is {_quoted(best.text)} ({asked}).{found}"


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
    explanation: str | None = None

    def verdict(
        self,
        claim: str,
        usage: Usage,
        seconds: float,
        model: str,
        article_of: Callable[[str], Article],
    ) -> Verdict:
        """The user's :class:`Verdict`, its quotes verified verbatim in their articles."""
        quotes = evidence_quotes(self.evidence)
        verify_all(quotes, article_of)
        return Verdict(
            claim=claim,
            label=self.label,
            reason=self.reason,
            evidence=quotes,
            score=self.score,
            support=None if self.support is None else round(self.support, 4),
            model_label=self.model_label,
            explanation=self.explanation,
            contradiction=self.contradiction,
            findings=self.findings.notes,
            signals=self.signals,
            model=model,
            seconds=round(seconds, 2),
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cached_tokens=usage.cached_tokens,
        )


def nothing_relevant() -> Outcome:
    """The outcome when no stored sentence is close to the claim: the model is not asked."""
    return Outcome(
        "not_enough_info", "No stored sentence is close to the claim.", [], 0.0, Findings()
    )


def gather(
    claim: str, candidates: Sequence[tuple[Article, Span]], embed: Embed
) -> tuple[list[Evidence], Findings] | None:
    """The evidence for a claim (ranked sentences, plus the sentences holding facts the
    ranking missed, in article order) and the code's findings; None when nothing relevant."""
    ranked = rank_sentences(claim, candidates, embed)
    evidence = ranked[:EVIDENCE]
    if not relevant(evidence):
        return None
    articles = list({id(e.article): e.article for e in ranked}.values())
    findings, extra = check_facts(claim, evidence, articles)
    have = {(e.article.id, e.span) for e in evidence}
    for article, span in extra:
        if (article.id, span) not in have:
            text = article.text[span.start : span.end]
            evidence.append(Evidence(article, span, 0.0, overlap(claim, text)))
            have.add((article.id, span))
    evidence.sort(key=lambda e: (e.article.id, e.span.start))
    return evidence, findings


def check_claim(
    claim: str,
    candidates: Sequence[tuple[Article, Span]],
    model: BaseChatModel,
    embed: Embed,
    usage: Usage,
    threshold: float = 0.5,
    weights: Mapping[str, float] | None = None,
    *,
    refute: RefuteRule = RefuteRule(),
    explain: bool = False,
    beside: int = BESIDE,
    view: str = "article",
    gathered: tuple[list[Evidence], Findings] | None = None,
    overrule: bool = True,
) -> Outcome:
    """Label, reason, evidence, score and findings for one claim, from one-token answers.
    ``weights``: the model's calibrated decision, if it has one (see :func:`decide`);
    ``refute``: how a claim that is not supported is told refuted or not enough info;
    ``explain``: also ask the model for its written reason and label (recorded, not deciding);
    ``beside``: how many of the best evidence sentences are shown again after a whole
    article; ``view``: "article" shows the article (whole when it fits) before the claim,
    "evidence" the evidence sentences alone; ``gathered``: what :func:`gather` returned for
    the claim, if it ran already; ``overrule``: whether the code's findings overrule the
    model's support (:func:`decide`)."""
    found = gathered or gather(claim, candidates, embed)
    if found is None:
        return nothing_relevant()
    evidence, findings = found
    asking = Asking(model, claim, evidence, usage, beside, article=view == "article")
    support = asking.probability("support")
    values = signals(support, findings, evidence)
    supported, score = decide(support, findings, threshold, weights, values, overrule=overrule)
    contradicts = None
    label: Label = "supported"
    similarity = max(e.similarity for e in evidence)
    if not supported:
        if refute.contradiction is not None:
            contradicts = asking.probability("contradict")
        if contradicts is not None:
            values["contradiction"] = log_odds(contradicts)
        is_refuted = refuted(findings, contradicts, similarity, refute)
        label = "refuted" if is_refuted else "not_enough_info"
    judgement = asking.judgement() if explain else None
    return Outcome(
        label,
        written_reason(label, evidence, findings, support, contradicts, refute, similarity),
        evidence,
        score,
        findings,
        judgement.label if judgement else None,
        support,
        None if contradicts is None else round(contradicts, 4),
        values,
        judgement.reason.strip() if judgement else None,
    )
