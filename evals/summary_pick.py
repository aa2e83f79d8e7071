"""What a summary can carry before the model writes a word: the key facts held by the
sentences each way of choosing them picks, without the model (seconds).

    .venv/bin/python -m evals.summary_pick [--cases dev|own] [--sentences 3] [--show]

For every case with key facts, each way of choosing the summary's source sentences (lead-3
without page furniture, the paragraph leads the summary was written from before, the
salience picker of ``claimcheck.salience`` with its weights and some others) is scored by the
key facts its picked sentences hold lexically (as ``claimcheck eval`` counts them: 60% of a
fact's content words), their words, and the key facts that lie past the article's fifth
paragraph (a fact lies in the sentence that holds most of its words). Choose on ``--cases dev``
(``evals/cases/dev``); ``own`` is the reported set.
"""

from __future__ import annotations

import argparse
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from claimcheck.embeddings import make_embedding_function
from claimcheck.summarize import article_sentences, leads
from claimcheck.text import paragraphs

from . import salience
from .cases import CASES, load_cases
from .metrics import word_recall
from .run import FACT_WORDS

FOLDERS = {"dev": CASES / "dev", "own": CASES}
PAST = 5  # a key fact "past the fifth paragraph" lies in the sixth or later


@dataclass
class Article:
    name: str
    texts: list[str]
    vectors: list
    paragraph_of: list[int]
    title_vector: object | None
    facts: list[str]
    fact_paragraph: list[int]


Strategy = Callable[[Article, int], list[int]]


def sentences_and_paragraphs(text: str) -> tuple[list[str], list[int]]:
    """The sentences a summary may rest on, and each one's paragraph, counted from 0 for the
    first paragraph that holds one."""
    spans = article_sentences(text)
    texts = [" ".join(text[s.start : s.end].split()) for s in spans]
    starts = [p.start for p in paragraphs(text)]
    raw = [bisect_right(starts, s.start) for s in spans]
    return texts, [p - raw[0] for p in raw]


def fact_paragraphs(text: str, facts: list[str]) -> list[int]:
    """The paragraph each key fact lies in: that of the sentence holding most of its words."""
    texts, paragraph_of = sentences_and_paragraphs(text)
    return [
        paragraph_of[max(range(len(texts)), key=lambda i: word_recall(fact, texts[i]))]
        for fact in facts
    ]


def load(folder_name: str) -> list[Article]:
    embed = make_embedding_function()
    out = []
    for case in load_cases(FOLDERS[folder_name]):
        facts = case.data.get("key_facts", [])
        if not facts:
            continue
        texts, paragraph_of = sentences_and_paragraphs(case.text)
        title = case.data.get("title")
        vectors = list(embed(texts + ([title] if title else [])))
        title_vector = vectors.pop() if title else None
        where = fact_paragraphs(case.text, facts)
        out.append(Article(case.name, texts, vectors, paragraph_of, title_vector, facts, where))
    return out


def picker(weights: salience.Weights) -> Strategy:
    def strategy(a: Article, n: int) -> list[int]:
        return salience.pick(a.texts, a.vectors, a.paragraph_of, n, a.title_vector, weights)

    return strategy


STRATEGIES: dict[str, Strategy] = {
    "lead-3 (no furniture)": lambda a, n: list(range(min(n, len(a.texts)))),
    "paragraph leads (the summary's)": lambda a, n: leads(a.paragraph_of, 2 * n + 1),
    "salience": picker(salience.Weights()),
    "salience, no position": picker(salience.Weights(position=0.0)),
    "salience, no facts": picker(salience.Weights(facts=0.0)),
    "salience, no title": picker(salience.Weights(title=0.0)),
    "salience, no centrality": picker(salience.Weights(centrality=0.0)),
    "salience, no redundancy": picker(salience.Weights(redundancy=0.0)),
    "salience, position x2": picker(salience.Weights(position=2.0)),
    "salience, facts x2": picker(salience.Weights(facts=2.0)),
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.summary_pick", description=__doc__)
    parser.add_argument("--cases", choices=sorted(FOLDERS), default="dev")
    parser.add_argument("--sentences", type=int, default=3)
    parser.add_argument("--show", action="store_true", help="print each pick and its facts")
    args = parser.parse_args(argv)
    articles = load(args.cases)
    n_facts = sum(len(a.facts) for a in articles)
    n_past = sum(p >= PAST for a in articles for p in a.fact_paragraph)
    print(
        f"{args.cases}: {len(articles)} articles, {n_facts} key facts, {n_past} past the "
        f"fifth paragraph; {args.sentences} sentences picked"
    )
    print("| picked | key facts held | past the fifth paragraph | words |")
    print("| --- | ---: | ---: | ---: |")
    for name, strategy in STRATEGIES.items():
        held = past = words = 0
        for a in articles:
            picked = strategy(a, args.sentences)
            text = " ".join(a.texts[i] for i in picked)
            words += len(text.split())
            for fact, paragraph in zip(a.facts, a.fact_paragraph, strict=True):
                carried = word_recall(fact, text) >= FACT_WORDS
                held += carried
                past += carried and paragraph >= PAST
                if args.show and name == "salience" and not carried:
                    print(f"  {a.name}: missed {fact!r} (paragraph {paragraph + 1})")
            if args.show and name == "salience":
                for i in picked:
                    print(f"  {a.name} [{a.paragraph_of[i] + 1}] {a.texts[i][:110]}")
        print(f"| {name} | {held} of {n_facts} | {past} of {n_past} | {words} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
