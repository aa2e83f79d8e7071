"""Speed of ``check`` (one claim against one stored article) and ``ask`` (one question over
every stored article) with the embedded model, on a store of about 100 articles.

    .venv/bin/python -m evals.bench_ask [--articles 100] [--questions 10] [--claims 10]

The store holds the project's own articles plus PolNeAR dev and QAGS articles (read in place)
up to ``--articles``. Questions and claims come from the project's own test set, so each has a
known article; each is asked once (different prompts, so llama.cpp's prompt cache does not
help), after one warm-up call. Prints the median and p95 seconds of each and the share of
questions answered.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck

from .cases import load_cases
from .loaders import DataMissing, load_polnear, load_qags
from .metrics import p95
from .run import settings_for


def corpus(size: int) -> list[str]:
    texts = [c.text for c in load_cases()]
    try:
        texts += [d.text for d in load_polnear()]
        texts += list(dict.fromkeys(i.doc for i in load_qags()))
    except DataMissing as exc:
        print(f"warning: {exc}; the store holds only the project's own articles")
    return texts[:size]


def seconds(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 2),
        "p95": round(p95(ordered), 2),
        "max": round(ordered[-1], 2),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--claims", type=int, default=10)
    args = parser.parse_args(argv)
    cases = load_cases()
    with tempfile.TemporaryDirectory(prefix="claimcheck-bench-") as tmp:
        with ClaimCheck(settings=settings_for(None, Path(tmp))) as cc:
            started = time.perf_counter()
            for text in corpus(args.articles):
                cc.ingest(text)
            ingest = time.perf_counter() - started
            ids = {c.name: cc.ingest(c.text).id for c in cases}
            stored = len(cc.articles())
            cc.check("Warm-up: the council met on Monday.", ids[cases[0].name])
            questions = [q["question"] for c in cases for q in c.data["questions"]]
            claims = [(x["claim"], ids[c.name]) for c in cases for x in c.data["claims"]]
            # every other item, so several articles are covered
            questions = questions[:: max(1, len(questions) // args.questions)][: args.questions]
            claims = claims[:: max(1, len(claims) // args.claims)][: args.claims]
            check_times, ask_times, answered = [], [], 0
            for claim, article_id in claims:
                t = time.perf_counter()
                cc.check(claim, article_id)
                check_times.append(time.perf_counter() - t)
            for question in questions:
                t = time.perf_counter()
                answered += cc.ask(question).answered
                ask_times.append(time.perf_counter() - t)
    result = {
        "articles_stored": stored,
        "ingest_seconds": round(ingest, 1),
        "check_one_article_seconds": seconds(check_times) | {"n": len(check_times)},
        "ask_all_articles_seconds": seconds(ask_times) | {"n": len(ask_times)},
        "answered": f"{answered}/{len(questions)}",
    }
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
