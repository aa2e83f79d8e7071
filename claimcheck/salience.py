"""Which of an article's sentences a summary says, chosen in code from the whole article.

Each candidate sentence (no headline, byline or other page furniture: see
:func:`claimcheck.summarize.article_sentences`) is scored by four signals, each in [0, 1]:

- **centrality**: embedding similarity to the article's centroid (what the article is about);
- **title**: similarity to the title, when the article has one;
- **position**: a prior for the article's opening (``1 / (1 + paragraph / POSITION_SCALE)``),
  raised for a paragraph's first sentence, which in news says what the paragraph adds;
- **facts**: names, numbers and dates the sentence gives (spaCy's entities, up to
  ``FACTS_FULL``), the stuff of a key fact.

Sentences are then taken greedily by maximal marginal relevance: a sentence's score less
``REDUNDANCY`` times its similarity to the closest sentence already taken, so the second pick
does not restate the first. The picks come back in the article's order. The model reads only
them, never the whole article: the cost of a summary does not grow with the article.

The weights were chosen on the development cases ``evals/cases/dev`` (three articles written
for it, 17 key facts), by ``python -m evals.summary_pick --cases dev``; the own cases in
``evals/cases`` are the reported measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evidence import NAMED, NUMERIC
from .text import parser

POSITION_SCALE = 3.0  # the position prior halves by the fourth paragraph
FACTS_FULL = 4  # entities for a full fact score
REDUNDANCY = 0.7


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in a sentence's salience."""

    centrality: float = 1.0
    title: float = 1.0
    position: float = 1.0
    facts: float = 1.0
    redundancy: float = REDUNDANCY


def _unit(vectors: Sequence[Any]) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: np.ndarray = matrix / np.maximum(norms, 1e-9)
    return unit


def fact_counts(texts: Sequence[str]) -> list[int]:
    """The named and numeric entities of each text, counted once each."""
    return [
        len({e.text.lower() for e in doc.ents if e.label_ in NUMERIC | NAMED})
        for doc in parser().pipe(texts)
    ]


def scores(
    texts: Sequence[str],
    vectors: Sequence[Any],
    paragraph_of: Sequence[int],
    title_vector: Any | None = None,
    weights: Weights = Weights(),
) -> list[float]:
    """Each sentence's salience (before redundancy): the weighted sum of its signals.
    ``paragraph_of``: each sentence's paragraph, counted from 0 for the first paragraph
    that holds a candidate."""
    unit = _unit(vectors)
    centroid = unit.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    centrality = unit @ centroid
    title = unit @ _unit([title_vector])[0] if title_vector is not None else np.zeros(len(texts))
    facts = [min(1.0, n / FACTS_FULL) for n in fact_counts(texts)]
    out = []
    for i, paragraph in enumerate(paragraph_of):
        first = i == 0 or paragraph_of[i - 1] != paragraph
        position = (1.0 if first else 0.6) / (1 + paragraph / POSITION_SCALE)
        out.append(
            weights.centrality * float(centrality[i])
            + weights.title * float(title[i])
            + weights.position * position
            + weights.facts * facts[i]
        )
    return out


def pick(
    texts: Sequence[str],
    vectors: Sequence[Any],
    paragraph_of: Sequence[int],
    n: int,
    title_vector: Any | None = None,
    weights: Weights = Weights(),
) -> list[int]:
    """The indexes of the ``n`` sentences a summary says, in the article's order."""
    if not texts:
        return []
    salience = scores(texts, vectors, paragraph_of, title_vector, weights)
    unit = _unit(vectors)
    similarity = unit @ unit.T
    chosen: list[int] = []
    while len(chosen) < min(n, len(texts)):
        best, best_value = -1, -np.inf
        for i, value in enumerate(salience):
            if i in chosen:
                continue
            if chosen:
                value -= weights.redundancy * float(max(similarity[i, j] for j in chosen))
            if value > best_value:
                best, best_value = i, value
        chosen.append(best)
    return sorted(chosen)
