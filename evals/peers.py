"""Peers side by side: Ragas' Faithfulness and DeepEval's FaithfulnessMetric on the same check
items, with the same model, through the same OpenAI-compatible server as claimcheck.

    claimcheck eval --suite summedits --limit 50 --peers ragas,deepeval

Needs the optional extra ``peers`` (``pip install -e '.[peers]'``; ``make install-peers``).
Both frameworks score a text by splitting it into statements with the model and asking the
model whether the document supports each one; their score is the supported share. An item
counts as consistent when that share is 1.0 (every statement supported, the rule claimcheck's
own summary verdict follows), and at DeepEval's default threshold 0.5 beside it. An item on
which a framework fails (invalid JSON it cannot repair, no statements, NaN, a timeout) is
counted as a failure and reported as such, never scored.

Their telemetry is switched off before they are imported (``RAGAS_DO_NOT_TRACK``,
``DEEPEVAL_TELEMETRY_OPT_OUT``): nothing leaves the machine but the requests to the server.
"""

from __future__ import annotations

import asyncio
import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from .metrics import balanced_accuracy

PEERS = ("ragas", "deepeval")
QUESTION = "Summarize the article."  # both frameworks want the user's request beside the text
TIMEOUT = 1800.0  # seconds per request: a small model on a CPU writes slowly (600 s was hit)
CUTS = (1.0, 0.5)
# written tokens a peer's answer may take: DeepEval's list of an article's "truths" has no
# limit, and the 1.5B once listed them until a 522 s answer was cut off as invalid JSON
MAX_TOKENS = 1000

Scorer = Callable[[str, str], float]


class PeerMissing(RuntimeError):
    """The optional extra is not installed."""


def _quiet() -> None:
    os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")
    os.environ.setdefault("DEEPEVAL_TELEMETRY_OPT_OUT", "YES")


def ragas_scorer(base_url: str, model: str, api_key: str = "none") -> Scorer:
    """Ragas 0.4's Faithfulness over an ``AsyncOpenAI`` client at ``base_url``."""
    _quiet()
    try:
        from openai import AsyncOpenAI
        from ragas.llms import llm_factory
        from ragas.metrics.collections import Faithfulness
    except ImportError as exc:
        raise PeerMissing(f"ragas is not installed ({exc}): pip install -e '.[peers]'") from exc
    client = AsyncOpenAI(base_url=base_url, api_key=api_key, timeout=TIMEOUT, max_retries=0)
    metric = Faithfulness(llm=llm_factory(model, client=client, temperature=0.0))
    # one event loop for every item: the async client's connections belong to the loop they
    # were opened in (a new loop an item, as asyncio.run makes, fails every item after the
    # first with "Connection error")
    loop = asyncio.new_event_loop()

    def score(text: str, document: str) -> float:
        result = loop.run_until_complete(
            metric.ascore(user_input=QUESTION, response=text, retrieved_contexts=[document])
        )
        return float(result.value)

    return score


def deepeval_scorer(base_url: str, model: str, api_key: str = "none") -> Scorer:
    """DeepEval's FaithfulnessMetric with a custom model held to the schema of each answer
    DeepEval asks for (its documented "JSON confinement" for custom models): the schema goes
    to the server as an OpenAI response format, as claimcheck's own structured answers do.
    DeepEval's ``LocalModel`` sends none, and the 1.5B's free-form JSON failed every item
    (8 of 11 "invalid JSON", 3 retries exhausted, 2026-12-07). An answer is cut off at
    ``MAX_TOKENS``; one cut off is invalid JSON, the item a failure."""
    _quiet()
    try:
        from deepeval.metrics import FaithfulnessMetric
        from deepeval.models import DeepEvalBaseLLM
        from deepeval.test_case import LLMTestCase
        from openai import OpenAI
    except ImportError as exc:
        raise PeerMissing(f"deepeval is not installed ({exc}): pip install -e '.[peers]'") from exc
    from claimcheck.structured import json_schema, response_format

    client = OpenAI(base_url=base_url, api_key=api_key, timeout=TIMEOUT, max_retries=0)

    class Confined(DeepEvalBaseLLM):  # type: ignore[misc]
        def load_model(self, *args: Any, **kwargs: Any) -> Any:
            return client

        def generate(self, prompt: str, schema: Any = None) -> Any:
            options: dict[str, Any] = {}
            if schema is not None:
                options["response_format"] = response_format(json_schema(schema), "answer")
            response = client.chat.completions.create(
                model=model,
                messages=[{"role": "user", "content": prompt}],
                temperature=0.0,
                max_tokens=MAX_TOKENS,
                **options,
            )
            text = response.choices[0].message.content or ""
            return schema.model_validate_json(text) if schema is not None else text

        async def a_generate(self, prompt: str, schema: Any = None) -> Any:
            return self.generate(prompt, schema)

        def get_model_name(self, *args: Any, **kwargs: Any) -> str:
            return model

    metric = FaithfulnessMetric(model=Confined(model), async_mode=False, include_reason=False)

    def score(text: str, document: str) -> float:
        case = LLMTestCase(input=QUESTION, actual_output=text, retrieval_context=[document])
        return float(metric.measure(case, _show_indicator=False))

    return score


SCORERS: dict[str, Callable[[str, str, str], Scorer]] = {
    "ragas": ragas_scorer,
    "deepeval": deepeval_scorer,
}


def scorer(peer: str, base_url: str, model: str, api_key: str = "none") -> Scorer:
    if peer not in SCORERS:
        raise ValueError(f"unknown peer {peer!r}: choose from {', '.join(PEERS)}")
    return SCORERS[peer](base_url, model, api_key)


def score_item(score: Scorer, text: str, document: str, gold: bool) -> dict[str, Any]:
    """One item's row: the peer's score, or the error that stopped it."""
    started = time.perf_counter()
    value: float | None = None
    error = None
    try:
        value = score(text, document)
        if math.isnan(value):
            value, error = None, "NaN (no statements)"
    except Exception as exc:  # a framework's failure is a result to report, not a crash
        error = f"{type(exc).__name__}: {str(exc)[:200]}"
    return {
        "gold": gold,
        "score": value,
        "error": error,
        "seconds": round(time.perf_counter() - started, 2),
    }


def summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Balanced accuracy at each cut over the items the peer scored, the failed share, and
    seconds per item (median)."""
    scored = [r for r in rows if r["score"] is not None]
    out: dict[str, Any] = {
        "items": len(rows),
        "failed": len(rows) - len(scored),
        "failed_share": round((len(rows) - len(scored)) / len(rows), 4) if rows else 0.0,
        "seconds_per_item_median": round(statistics.median(r["seconds"] for r in rows), 2)
        if rows
        else None,
    }
    gold = [r["gold"] for r in scored]
    for cut in CUTS:
        key = f"at {cut:g}"
        out[key] = balanced_accuracy(gold, [r["score"] >= cut for r in scored]) if scored else None
        # a failed item is a wrong answer for a user who relied on it
        out[f"{key}, failures counted wrong"] = (
            balanced_accuracy(
                [r["gold"] for r in rows],
                [(r["score"] >= cut) if r["score"] is not None else not r["gold"] for r in rows],
            )
            if rows
            else None
        )
    return out
