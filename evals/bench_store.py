"""Store benchmark: ingest throughput, embedding share, query latency, memory and disk.

    .venv/bin/python evals/bench_store.py [--data ../shared/data] [--target-chunks 5000]

Ingests every text under ``polnear/dev/text`` and every article of ``qags/mturk_cnndm.jsonl``
(read in place, never copied) into a fresh embedded store, then times ``search`` with the QAGS
summary sentences as queries: once at the store's real size, and once after padding the chunk
collection to ``--target-chunks`` with copies of the real chunk vectors (slightly perturbed, with
their real text and metadata) so the index has that many entries. Prints a markdown table and
writes the numbers as JSON next to it.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import Progress

from claimcheck import ClaimCheck

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"


def load_corpus(data: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, text) pairs to ingest, and query sentences."""
    polnear = sorted((data / "polnear" / "dev" / "text").glob("*.txt"))
    qags = data / "qags" / "mturk_cnndm.jsonl"
    if not polnear or not qags.is_file():
        sys.exit(f"benchmark data not found under {data}; pass --data DIR")
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in polnear]
    queries = []
    for n, line in enumerate(qags.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        texts.append((f"qags:{n}", record["article"]))
        queries += [s["sentence"] for s in record["summary_sentences"]]
    return texts, queries


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def time_queries(cc: ClaimCheck, queries: list[str]) -> list[float]:
    cc.search(queries[0], k=5)  # warm up
    times = []
    for query in queries:
        started = time.perf_counter()
        cc.search(query, k=5)
        times.append((time.perf_counter() - started) * 1000)
    return times


def pad_chunks(cc: ClaimCheck, target: int, seed: int = 0) -> int:
    """Add perturbed copies of real chunk records until the collection holds ``target``."""
    chunks = cc.store.chunks
    real = chunks.get(include=["embeddings", "documents", "metadatas"])
    have = len(real["ids"])
    rng = np.random.default_rng(seed)
    added = 0
    batch = 500
    while have + added < target:
        n = min(batch, target - have - added)
        pick = rng.integers(0, len(real["ids"]), size=n)
        vectors = np.array(real["embeddings"])[pick] + rng.normal(0, 0.02, size=(n, 384))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        chunks.add(
            ids=[f"pad:{added + i}" for i in range(n)],
            embeddings=vectors.astype(np.float32),
            documents=[real["documents"][i] for i in pick],
            metadatas=[real["metadatas"][i] for i in pick],
        )
        added += n
    return added


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--target-chunks", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path, default=None, help="JSON file for the results")
    args = parser.parse_args(argv)

    texts, queries = load_corpus(args.data)
    queries = queries[: args.queries]
    with tempfile.TemporaryDirectory(prefix="claimcheck-bench-") as tmp:
        home = Path(tmp)
        cc = ClaimCheck(home=home)
        cc.store.embed(["warm up"])
        cc.store.embed_seconds = 0.0
        started = time.perf_counter()
        chars = 0
        with Progress(transient=True) as bar:
            task = bar.add_task("ingest", total=len(texts))
            for _, text in texts:
                cc.ingest(text)
                chars += len(text)
                bar.advance(task)
        ingest_s = time.perf_counter() - started
        embed_s = cc.store.embed_seconds
        real_chunks = cc.store.count_chunks()
        at_real = time_queries(cc, queries)
        padded = pad_chunks(cc, args.target_chunks)
        at_target = time_queries(cc, queries)
        result = {
            "articles": len(cc.articles()),
            "characters": chars,
            "chunks": real_chunks,
            "ingest_seconds": round(ingest_s, 2),
            "chunks_per_second": round(real_chunks / ingest_s, 2),
            "embedding_share": round(embed_s / ingest_s, 3),
            "queries": len(queries),
            "query_ms_at_real_size": {
                "p50": round(percentile(at_real, 50), 2),
                "p95": round(percentile(at_real, 95), 2),
            },
            "padded_chunks": real_chunks + padded,
            "query_ms_at_target": {
                "p50": round(percentile(at_target, 50), 2),
                "p95": round(percentile(at_target, 95), 2),
            },
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "store_mb": round(dir_size(home / "chroma") / 2**20, 1),
        }
        cc.close()
    print(render(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    return result


def render(r: dict[str, Any]) -> str:
    rows = [
        ("articles ingested", f"{r['articles']} ({r['characters']:,} characters)"),
        ("chunks", f"{r['chunks']:,}"),
        ("ingest throughput", f"{r['chunks_per_second']} chunks/s ({r['ingest_seconds']} s)"),
        ("embedding share of ingest time", f"{r['embedding_share']:.0%}"),
        (
            f"query p50 / p95 at {r['chunks']:,} chunks",
            f"{r['query_ms_at_real_size']['p50']} / {r['query_ms_at_real_size']['p95']} ms",
        ),
        (
            f"query p50 / p95 at {r['padded_chunks']:,} chunks",
            f"{r['query_ms_at_target']['p50']} / {r['query_ms_at_target']['p95']} ms",
        ),
        ("peak RSS", f"{r['peak_rss_mb']} MB"),
        ("store size on disk", f"{r['store_mb']} MB"),
    ]
    lines = ["| measure | value |", "| --- | --- |"]
    lines += [f"| {a} | {b} |" for a, b in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
