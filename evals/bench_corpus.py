"""Corpus benchmark: `claims --all` over stored articles against an OpenAI-compatible server
that answers after a fixed delay and serves any number of requests at once (the stand-in for
a GPU server such as vLLM), at several concurrencies, then split between two `--shard`
workers on one `chroma run` server.

    .venv/bin/python -m evals.bench_corpus [--articles 100] [--delay 0.5] [--concurrency 1 4 16 32]

Every article needs exactly one model call (a quotation with a pronoun the parser cannot
resolve), so the model's share of the work is known. Prints a markdown table and writes the
numbers as JSON to build/bench-corpus.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from claimcheck import ClaimCheck

from .fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PLACES = "Osterby Valdera Harlow Brenton Castor Elmira Fennick Gresham Hollin Ivory".split()
FIRMS = "ferry operators,shipping firms,hauliers,fishing crews,port unions,grain traders".split(",")


def article(n: int) -> str:
    """A short port story; a different one for every n."""
    rng = random.Random(n)
    place, firms = rng.choice(PLACES), rng.choice(FIRMS)
    rise, year = rng.randint(2, 19), rng.randint(2001, 2024)
    return (
        f"{place} harbour dues to rise (story {n})\n\n"
        f"The {place} port authority will raise harbour dues by {rise} percent in March, "
        f"officials said on Monday.\n\n"
        f"“We have no choice,” he said. “Costs have doubled since {year}.”\n\n"
        f"The {firms} said they would pass the cost on to customers.\n"
    )


def run_batch(settings: dict[str, Any], home: Path, concurrency: int) -> dict[str, Any]:
    with ClaimCheck(home=home, model_concurrency=concurrency, **settings) as cc:
        report = cc.claims_all(concurrency=concurrency, refresh=True)
    assert not report.failed, report.failed
    return {"processed": report.processed, "seconds": report.seconds}


def start_chroma(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    from claimcheck.server import free_port

    port = free_port()
    proc = subprocess.Popen(
        [
            str(BIN / "chroma"),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--path",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("chroma run did not start")


def sharded(fake: FakeOpenAI, n_articles: int, concurrency: int, work: Path) -> dict[str, Any]:
    """Two `claimcheck claims --all --shard i/2` processes on one Chroma server."""
    proc, url = start_chroma(work / "chroma-server")
    try:
        env = {
            **os.environ,
            "CLAIMCHECK_HOME": str(work / "shard-home"),
            "CLAIMCHECK_CHROMA_URL": url,
            "OPENAI_BASE_URL": fake.url,
            "OPENAI_API_KEY": "fake",
            "CLAIMCHECK_MODEL": "fake-model",
            "CLAIMCHECK_MODEL_CONCURRENCY": str(concurrency),
        }
        with ClaimCheck(home=work / "shard-home", chroma_url=url, **_hosted(fake)) as cc:
            for n in range(n_articles):
                cc.ingest(article(n))
        fake.reset()
        started = time.perf_counter()
        workers = [
            subprocess.Popen(
                [str(BIN / "claimcheck"), "claims", "--all", "--shard", f"{i}/2", "--json"],
                env=env,
                stdout=subprocess.PIPE,
            )
            for i in (1, 2)
        ]
        reports = [json.loads(w.communicate(timeout=3600)[0]) for w in workers]
        seconds = time.perf_counter() - started
        with ClaimCheck(home=work / "shard-home", chroma_url=url, **_hosted(fake)) as cc:
            ids = [a.id for a in cc.articles()]
            states = cc.index.claims_state(ids, cc._claims_version())
        done = sum(r["processed"] for r in reports)
        return {
            "workers": 2,
            "concurrency_each": concurrency,
            "processed": [r["processed"] for r in reports],
            "failed": sum(len(r["failed"]) for r in reports),
            "model_requests": fake.requests,
            "seconds": round(seconds, 2),
            "articles_per_minute": round(done / seconds * 60, 1),
            "each_article_once": done == len(ids)
            and all(s == "current" for s in states.values())
            and fake.requests == len(ids),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _hosted(fake: FakeOpenAI) -> dict[str, Any]:
    return {"openai_base_url": fake.url, "openai_api_key": "fake", "model": "fake-model"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds per model answer")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16, 32])
    parser.add_argument("--shard-concurrency", type=int, default=16)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench-corpus.json")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    rows = []
    try:
        with FakeOpenAI(delay=args.delay) as fake:
            settings = _hosted(fake)
            home = work / "home"
            with ClaimCheck(home=home, **settings) as cc:
                for n in range(args.articles):
                    cc.ingest(article(n))
            for concurrency in args.concurrency:
                fake.reset()
                result = run_batch(settings, home, concurrency)
                rows.append(
                    {
                        "concurrency": concurrency,
                        **result,
                        "model_requests": fake.requests,
                        "peak_in_flight": fake.peak,
                        "articles_per_minute": round(
                            result["processed"] / result["seconds"] * 60, 1
                        ),
                    }
                )
                print(rows[-1], file=sys.stderr)
            shards = sharded(fake, args.articles, args.shard_concurrency, work)
            print(shards, file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = rows[0]["articles_per_minute"]
    print(
        f"claims --all over {args.articles} articles, fake server answering after {args.delay} s\n"
    )
    print("| concurrency | seconds | articles/min | speed-up | peak requests in flight |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['concurrency']} | {row['seconds']} | {row['articles_per_minute']} | "
            f"{row['articles_per_minute'] / base:.1f}x | {row['peak_in_flight']} |"
        )
    print(
        f"| 2 shards x {shards['concurrency_each']}, one Chroma server | {shards['seconds']} | "
        f"{shards['articles_per_minute']} | {shards['articles_per_minute'] / base:.1f}x | - |"
    )
    print(
        f"\nshards: {shards['processed']} articles, {shards['model_requests']} model requests, "
        f"each article exactly once: {shards['each_article_once']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rows": rows, "shards": shards}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
