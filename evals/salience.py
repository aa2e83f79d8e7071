"""A salience picker for a summary's sentences, chosen in code from the whole article: tried
for the summaries issue and measured by ``python -m evals.summary_pick``; not used by the
package (README.md, "Summaries": what it carried, and why the summary still rests on the
paragraph leads).

Each candidate sentence (no headline, byline or other page furniture: see
:func:`claimcheck.summarize.article_sentences`) is scored by four signals, each in [0, 1]:

- **centrality**: embedding similarity to the article's centroid (what the article is about);
- **title**: similarity to the title, when the article has one;
- **position**: a prior for the article's opening (``1 / (1 + paragraph / POSITION_SCALE)``),
  lower for a sentence that is not its paragraph's first;
- **facts**: names, numbers and dates the sentence gives (spaCy's entities, up to
  ``FACTS_FULL``), the stuff of a key fact.

Sentences are then taken greedily by maximal marginal relevance: a sentence's score less
``REDUNDANCY`` times its similarity to the closest sentence already taken. The picks come back
in the article's order. The weights are untuned round numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from claimcheck.evidence import NAMED, NUMERIC
from claimcheck.text import parser

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
