"""The claim sentences the code builds, without a model: the claims pipeline with a model that
names nobody and rewrites nothing, so every sentence shown is the code-built one. Counts what
a reader would see wrong (furniture, garbled sentences by reason, duplicates) on PolNeAR dev and
the own test set in about two minutes, where the full eval takes hours on this CPU.

    python -m evals.claim_sentences [--show]
"""

from __future__ import annotations

import argparse
import collections
import json
from datetime import UTC, datetime
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from claimcheck import claims
from claimcheck.models import Article
from claimcheck.text import article_id

from . import claim_quality
from .cases import load_cases
from .fake_openai import minimal
from .loaders import load_polnear


class NoAnswer(BaseChatModel):
    """Answers every structured call with the smallest valid instance of its schema: no
    speaker named, no sentence written."""

    def _generate(
        self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
    ) -> ChatResult:
        schema = kwargs["response_format"]["json_schema"]["schema"]
        message = AIMessage(content=json.dumps(minimal(schema)))
        return ChatResult(generations=[ChatGeneration(message=message)])

    @property
    def _llm_type(self) -> str:
        return "no-answer"


def measure(texts: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    for text in texts:
        article = Article(id=article_id(text), text=text, ingested_at=datetime.now(UTC))
        found, _ = claims.extract(article, NoAnswer())
        rows += claim_quality.claim_rows(text, found)
    return claim_quality.score(rows), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every garbled sentence")
    args = parser.parse_args()
    suites = {
        "own": [c.text for c in load_cases()],
        "polnear dev": [d.text for d in load_polnear()],
    }
    for name, texts in suites.items():
        score, rows = measure(texts)
        reasons = collections.Counter(
            "too many words" if r.endswith(" words") else r for row in rows for r in row["garbled"]
        )
        print(
            f"{name}: {len(texts)} articles, {score['claims']} claims, furniture "
            f"{score['furniture']}, garbled {score['garbled']}, duplicates {score['duplicates']}, "
            f"lexical precision {score['lexical_precision']}"
        )
        print("  garbled, by reason:", dict(reasons.most_common()))
        if args.show:
            for row in rows:
                if row["garbled"]:
                    print("  -", "; ".join(row["garbled"]), "|", row["claim"][:240])


if __name__ == "__main__":
    main()
