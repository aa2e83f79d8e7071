"""Metrics, each defined in evals/README.md."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from claimcheck.attribution import PRONOUNS

from .loaders import GoldAttribution


@dataclass(frozen=True)
class SystemAttribution:
    """What a system says: content spans and a speaker string ('' or None for the author)."""

    content: tuple[tuple[int, int], ...]
    speaker: str | None


@dataclass
class PRF:
    tp: int = 0
    system: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.system += other.system
        self.gold += other.gold

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "system": self.system,
            "gold": self.gold,
        }


def _overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


_DETERMINERS = re.compile(r"^(the|a|an)\s+")


def normalize_speaker(name: str | None, strict: bool = False) -> str:
    text = unicodedata.normalize("NFKC", name or "").lower()
    if not strict:
        text = re.sub(r"\([^)]*\)", " ", text)  # party and state: "(R-S.C.)"
    text = re.sub(r"[’'`]s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return _DETERMINERS.sub("", " ".join(text.split()))


def speaker_matches(system: str | None, gold: str, strict: bool = False) -> bool:
    """Fuzzy match, shared last token, both empty, or a gold pronoun with any speaker.

    A gold Source often carries an appositive ("Michael Mulgrew, president of the UFT,"): the
    part before its first comma is compared as well; and a speaker whose words begin the gold
    Source matches it ("a study" for "a study released on Tuesday by researchers").
    ``strict`` drops those two allowances (and the removal of parentheses).
    """
    s = normalize_speaker(system, strict)
    golds = {normalize_speaker(gold, strict)}
    if not strict:
        golds.add(normalize_speaker(gold.split(",")[0]))
    golds -= {""}
    if not golds:
        return not s
    if not s:
        return False
    for g in golds:
        if g in PRONOUNS or s.split()[-1] == g.split()[-1] or fuzz.ratio(s, g) >= 80:
            return True
        if not strict and g.startswith(s + " "):  # the gold adds post-modifiers
            return True
    return False


def score_attributions(
    system: Sequence[SystemAttribution], gold: Sequence[GoldAttribution], strict: bool = False
) -> tuple[PRF, PRF]:
    """(span-only, span+speaker) counts for one document.

    A system item matches a gold relation when its content overlaps at least half of the gold
    Content span; pairs are matched one-to-one, largest overlap first.
    """
    pairs = []
    for i, sys_item in enumerate(system):
        for j, gold_item in enumerate(gold):
            size = sum(e - s for s, e in gold_item.content)
            share = _overlap(sys_item.content, gold_item.content) / size if size else 0.0
            if share >= 0.5:
                pairs.append((share, i, j))
    pairs.sort(reverse=True)
    used_sys: set[int] = set()
    used_gold: set[int] = set()
    span = PRF(system=len(system), gold=len(gold))
    speaker = PRF(system=len(system), gold=len(gold))
    for _, i, j in pairs:
        if i in used_sys or j in used_gold:
            continue
        used_sys.add(i)
        used_gold.add(j)
        span.tp += 1
        if speaker_matches(system[i].speaker, gold[j].source_text, strict):
            speaker.tp += 1
    return span, speaker


def balanced_accuracy(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    """Mean of the recall of the consistent and of the inconsistent items."""
    pos = [p for g, p in zip(gold, predicted, strict=True) if g]
    neg = [not p for g, p in zip(gold, predicted, strict=True) if not g]
    recall_pos = sum(pos) / len(pos) if pos else 0.0
    recall_neg = sum(neg) / len(neg) if neg else 0.0
    return {
        "balanced_accuracy": round((recall_pos + recall_neg) / 2, 4),
        "recall_consistent": round(recall_pos, 4),
        "recall_inconsistent": round(recall_neg, 4),
        "items": len(gold),
    }


def label_scores(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict:
    """Balanced accuracy over several labels (the mean of each gold label's recall), every
    label's recall and the confusion matrix (gold label -> predicted label -> count)."""
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        confusion[g][p] += 1
    recalls = {
        g: round(row[g] / sum(row.values()), 4) for g, row in confusion.items() if sum(row.values())
    }
    return {
        "balanced_accuracy": round(sum(recalls.values()) / len(recalls), 4) if recalls else 0.0,
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold), 4)
        if gold
        else 0.0,
        "recall": recalls,
        "confusion": confusion,
        "items": len(gold),
    }


def word_recall(reference: str, text: str) -> float:
    """Share of the reference's content words (numbers included) that the text contains."""
    from claimcheck.evidence import content_words

    wanted = content_words(reference)
    return len(wanted & content_words(text)) / len(wanted) if wanted else 1.0


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by nearest rank (the largest value for fewer than 20 values)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def supported_at(
    sentences: Sequence[dict[str, Any]], threshold: float, checks: bool = True
) -> bool:
    """Whether a checked text counts as consistent at ``threshold``: every sentence's support
    probability reaches it (a sentence the model was not asked about never does) and, with
    ``checks``, the code found nothing wrong (``flagged``)."""
    return all(
        s["support"] is not None and s["support"] >= threshold and not (checks and s["flagged"])
        for s in sentences
    )
