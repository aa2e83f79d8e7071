"""Load test of the HTTP service, on loopback only.

    .venv/bin/python -m evals.load [--requests 50] [--model fake|real] [--queue-size 8]

Starts the app under uvicorn on 127.0.0.1 and a free port with a fresh store holding the
project's own articles, then sends ``--requests`` requests at once (all concurrent): listing,
getting, searching, adding articles, and checking claims (with a fake model that answers
instantly, or with the real embedded model, which serves one generation at a time and turns
requests beyond its queue away with 429). Reports p50/p95 latency per kind, status codes and
queue rejections, and verifies that nothing was lost: the article count afterwards is the
starting count plus every article the service said it created.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from claimcheck import ClaimCheck
from claimcheck.server import create_app, running

from .cases import load_cases
from .metrics import p95
from .run import settings_for

JUDGEMENT = json.dumps({"reason": "The evidence states it.", "label": "supported"})
MIX = ("list", "get", "search", "add", "check")


def fake_model() -> Any:
    """A chat model that answers every check at once (to load the service, not the model)."""
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    return FakeListChatModel(responses=[JUDGEMENT])


def new_article(n: int) -> str:
    return (
        f"Load test article {n}\n\nThe harbour office said on Monday that berth {n} would "
        f"close for {n % 7 + 2} weeks of repairs. “We expect no delays,” said Ines Varga, "
        f"the harbour master, adding that {n * 3} ships had been told.\n"
    )


def one_request(
    http: httpx.Client, kind: str, n: int, ids: list[str], claims: list[tuple[str, str]]
) -> tuple[str, int, float, str | None]:
    started = time.perf_counter()
    if kind == "list":
        response = http.get("/articles")
    elif kind == "get":
        response = http.get(f"/articles/{ids[n % len(ids)]}")
    elif kind == "search":
        response = http.get("/search", params={"q": "what did the minister say", "k": 5})
    elif kind == "add":
        response = http.post("/articles", json={"text": new_article(n), "title": f"load {n}"})
    else:
        claim, article_id = claims[n % len(claims)]
        response = http.post("/check", json={"claim": claim, "article_id": article_id})
    created = response.json()["id"] if kind == "add" and response.status_code == 201 else None
    return kind, response.status_code, time.perf_counter() - started, created


def run_load(requests: int, model: str, queue_size: int, seed: int = 0) -> dict[str, Any]:
    cases = load_cases()
    with tempfile.TemporaryDirectory(prefix="claimcheck-load-") as tmp:
        settings = settings_for(None, Path(tmp)) if model == "real" else None
        chat = fake_model() if model == "fake" else None
        cc = (
            ClaimCheck(settings=settings.model_copy(update={"queue_size": queue_size}))
            if settings is not None
            else ClaimCheck(home=tmp, chat_model=chat, queue_size=queue_size)
        )
        with cc:
            ids = [cc.ingest(c.text, title=c.data.get("title")).id for c in cases]
            claims = [
                (item["claim"], i)
                for c, i in zip(cases, ids, strict=True)
                for item in c.data["claims"]
            ]
            if model == "real":
                cc.check(*claims[0])  # start the embedded server before the clock runs
            before = len(cc.articles())
            rng = random.Random(seed)
            kinds = [MIX[i % len(MIX)] for i in range(requests)]
            rng.shuffle(kinds)
            with running(create_app(cc)) as url:
                limits = httpx.Limits(max_connections=requests)
                with httpx.Client(base_url=url, timeout=900, limits=limits) as http:
                    started = time.perf_counter()
                    with ThreadPoolExecutor(max_workers=requests) as pool:
                        results = list(
                            pool.map(
                                lambda a: one_request(http, a[1], a[0], ids, claims),
                                enumerate(kinds),
                            )
                        )
                    wall = time.perf_counter() - started
                    after = len(http.get("/articles").json())
    created = {r[3] for r in results if r[3]}
    latency: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    for kind, status, seconds, _ in results:
        statuses[kind][status] += 1
        if status < 400:
            latency[kind].append(seconds)
    return {
        "requests": requests,
        "model": model,
        "queue_size": queue_size,
        "wall_seconds": round(wall, 2),
        "per_kind": {
            kind: {
                "statuses": dict(statuses[kind]),
                "p50_ms": round(1000 * statistics.median(latency[kind]), 1)
                if latency[kind]
                else None,
                "p95_ms": round(1000 * p95(latency[kind]), 1) if latency[kind] else None,
            }
            for kind in MIX
        },
        "errors_5xx": sum(n for c in statuses.values() for s, n in c.items() if s >= 500),
        "queue_rejections": sum(c[429] for c in statuses.values()),
        "articles_before": before,
        "articles_created": len(created),
        "articles_after": after,
        "nothing_lost": after == before + len(created),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--model", choices=["fake", "real"], default="fake")
    parser.add_argument("--queue-size", type=int, default=8)
    args = parser.parse_args(argv)
    result = run_load(args.requests, args.model, args.queue_size)
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
