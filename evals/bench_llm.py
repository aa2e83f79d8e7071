"""Model benchmark: claims, summary and check times with the embedded model, and its raw speed.

    .venv/bin/python -m evals.bench_llm [--article PATH] [--repeat 2] [--only-checks]

Runs on the ~1,000-word PolNeAR article ``wash-post_2016-09-16_burma-leader-s-visit-to-
washingt.txt`` (read in place) and on the project's example article, after one warm-up request.
claimcheck's result cache is bypassed; claims and summary are timed on an article seen for the
first time (from the second round on, the article opens with a line naming the round, so that
the server's RAM prompt cache cannot serve it). Checks, on each article in each round: one
claim with the article new to the server ("check, first"), then 20 more right after it, the
article's prefix cached ("check, article cached": the article's sentences, every other one
turned into a claim it does not support, so that half also ask the contradiction question).
Last, "check, new process": ``claimcheck check "..." --article ID`` run as a user runs it, each
in a new process, against an article that an earlier process checked (its saved state
restored, claimcheck.warm); the wall time includes starting Python and loading the model.
Prints a markdown table: seconds (median, p95 by nearest rank, the first runs), prompt
tokens (of them served from the server's cache) and generated tokens, and the server's own
prompt and generation speed, read from llama.cpp's timings on one plain request.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claimcheck import check, claims, llm, summarize
from claimcheck.embeddings import make_embedding_function
from claimcheck.models import Article
from claimcheck.settings import Settings
from claimcheck.structured import Usage
from claimcheck.text import article_id, sentences

from .loaders import DATA, ROOT

DEFAULT_ARTICLE = (
    DATA / "polnear" / "dev" / "text" / "wash-post_2016-09-16_burma-leader-s-visit-to-washingt.txt"
)
EXAMPLE = ROOT / "claimcheck" / "examples" / "harbor-tunnel.txt"


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def raw_speed(server_url: str, text: str) -> dict[str, float]:
    """Prompt and generation tokens per second, as llama.cpp reports them."""
    body = {
        "messages": [{"role": "user", "content": f"Summarize in detail:\n{text}"}],
        "max_tokens": 200,
        "temperature": 0,
    }
    request = urllib.request.Request(
        f"{server_url}/v1/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        timings = json.loads(response.read())["timings"]
    return {
        "prompt_tokens_per_s": round(timings["prompt_per_second"], 1),
        "generated_tokens_per_s": round(timings["predicted_per_second"], 1),
    }


CACHED_CHECKS = 20
_NOW = datetime.now(UTC)


def check_claims(article: Article, n: int = CACHED_CHECKS) -> list[str]:
    """Claims to check on the article: its sentences from the second on, every other one
    turned into a claim the article does not support ("It is not true that ..."), so that half
    the checks also ask the contradiction question; ``n + 1`` of them, repeating if short."""
    spans = sentences(article.text)[1:] or sentences(article.text)
    texts = [" ".join(article.text[s.start : s.end].split()) for s in spans]
    out = []
    for i in range(n + 1):
        text = texts[i % len(texts)]
        out.append(text if i % 2 == 0 else f"It is not true that {text[:1].lower()}{text[1:]}")
    return out


def run_check(claim: str, article: Article, model: Any, settings: Settings) -> dict[str, Any]:
    started = time.perf_counter()
    usage = Usage()
    outcome = check.check_claim(
        claim,
        [(article, s) for s in sentences(article.text)],
        model,
        _embed(),
        usage,
        llm.support_threshold(settings),
        llm.decision_weights(settings),
        refute=check.RefuteRule(*llm.refute_rule(settings)),
        view=llm.check_view(settings),
        overrule=llm.findings_overrule(settings),
    )
    return {
        "seconds": time.perf_counter() - started,
        "tokens": (usage.input_tokens, usage.output_tokens),
        "cached": usage.cached_tokens,
        "detail": outcome.label,
    }


_EMBED: list[Any] = []
_VECTORS: dict[str, Any] = {}


def _embed() -> Any:
    """The embedding function, remembering vectors as ``ClaimCheck`` does (an article's
    sentences are embedded once, not at every check)."""
    if not _EMBED:
        _EMBED.append(make_embedding_function())

    def embed(texts: list[str]) -> list[Any]:
        missing = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
        if missing:
            _VECTORS.update(zip(missing, _EMBED[0](missing), strict=True))
        return [_VECTORS[t] for t in texts]

    return embed


def run_task(task: str, article: Article, model: Any, settings: Settings) -> dict[str, Any]:
    started = time.perf_counter()
    if task == "claims":
        _, stats = claims.extract(article, model, context_tokens=settings.context_tokens)
        tokens = (stats.input_tokens, stats.output_tokens)
        detail = f"{stats.kept} claims of {stats.candidates} candidates"
    else:
        result = summarize.run(article, model, model_id="bench", n_sentences=3)
        tokens = (result.input_tokens, result.output_tokens)
        detail = f"{len(result.sentences)} sentences"
    return {"seconds": time.perf_counter() - started, "tokens": tokens, "detail": detail}


def bench(
    paths: list[Path], model: Any, settings: Settings, repeat: int, only_checks: bool = False
) -> list[dict[str, Any]]:
    """Every task on every article, ``repeat`` rounds, interleaved so that no request follows
    one with the same prompt (llama.cpp would reuse its cached prefix and look faster)."""
    articles = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        articles.append(
            (path, Article(id=article_id(text), text=text, ingested_at=datetime.now(UTC)))
        )
    runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for round_ in range(repeat):
        for path, original in articles:
            # from the second round on, the article opens with a line naming the round: a new
            # prompt from its first line, which the server's RAM prompt cache cannot serve
            text = original.text if round_ == 0 else f"Round {round_ + 1}.\n\n{original.text}"
            article = original.model_copy(update={"id": article_id(text), "text": text})
            for task in () if only_checks else ("claims", "summary"):
                runs.setdefault((task, path.name), []).append(
                    run_task(task, article, model, settings)
                )
            first, *cached = check_claims(article)
            runs.setdefault(("check, first", path.name), []).append(
                run_check(first, article, model, settings)
            )
            for claim in cached:
                runs.setdefault(("check, article cached", path.name), []).append(
                    run_check(claim, article, model, settings)
                )
    rows = []
    for (task, name), results in runs.items():
        text = next(a.text for p, a in articles if p.name == name)
        rows.append(
            {
                "task": task,
                "article": name,
                "words": len(text.split()),
                "seconds_median": round(statistics.median(r["seconds"] for r in results), 2),
                "seconds_p95": round(p95([r["seconds"] for r in results]), 2),
                "runs": len(results),
                "seconds_runs": [round(r["seconds"], 1) for r in results][:5],
                "input_tokens": round(statistics.median(r["tokens"][0] for r in results)),
                "output_tokens": round(statistics.median(r["tokens"][1] for r in results)),
                "cached_tokens": round(statistics.median(r.get("cached", 0) for r in results)),
                "detail": results[-1]["detail"],
            }
        )
    return rows


def new_process_checks(path: Path, settings: Settings, repeat: int) -> dict[str, Any]:
    """``claimcheck check "..." --article ID`` as a user runs it, each in a new process, against
    an article that an earlier process checked: the wall time includes starting Python, loading
    the model and restoring the article's saved state (claimcheck.warm). In a fresh home (its
    own store and saved states), the packaged model file shared by path."""
    claims = check_claims(Article(id="x", text=path.read_text("utf-8"), ingested_at=_NOW))
    with tempfile.TemporaryDirectory(prefix="claimcheck-bench-") as home:
        env = {
            **os.environ,
            "CLAIMCHECK_HOME": home,
            "CLAIMCHECK_MODEL_PATH": str(llm.ensure_model_file(settings)),
        }
        cli = [str(Path(sys.executable).with_name("claimcheck"))]

        def run(*args: str) -> tuple[float, str]:
            started = time.perf_counter()
            done = subprocess.run(
                [*cli, *args], env=env, capture_output=True, text=True, check=True
            )
            return time.perf_counter() - started, done.stdout

        _, out = run("ingest", str(path), "--json")
        article = json.loads(out)["ingested"][0]["id"]
        first, _ = run("check", claims[0], "--article", article, "--json")  # reads, saves
        runs = []
        for claim in claims[1 : repeat + 1]:
            seconds, out = run("check", claim, "--article", article, "--json")
            verdict = json.loads(out)
            runs.append((seconds, verdict["input_tokens"], verdict["cached_tokens"]))
    return {
        "task": "check, new process (article saved by an earlier one)",
        "article": path.name,
        "words": len(path.read_text("utf-8").split()),
        "seconds_median": round(statistics.median(r[0] for r in runs), 2),
        "seconds_p95": round(p95([r[0] for r in runs]), 2),
        "runs": len(runs),
        "seconds_runs": [round(r[0], 1) for r in runs][:5],
        "input_tokens": round(statistics.median(r[1] for r in runs)),
        "output_tokens": 1,
        "cached_tokens": round(statistics.median(r[2] for r in runs)),
        "detail": f"the process that read it first: {first:.1f} s",
    }


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description="claims, summary and check speed")
    parser.add_argument("--article", type=Path, action="append", default=None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--only-checks", action="store_true", help="no claims or summary")
    args = parser.parse_args(argv)
    settings = Settings()
    model = llm.chat_model(settings, max_tokens=1024)
    paths = args.article or [p for p in (DEFAULT_ARTICLE, EXAMPLE) if p.exists()]
    model.invoke("Say OK.")  # start and warm the server before timing anything
    rows = bench(paths, model, settings, args.repeat, args.only_checks)
    if not settings.hosted:
        rows += [new_process_checks(path, settings, max(3, args.repeat)) for path in paths]
    speed = {}
    if not settings.hosted:
        server = llm.embedded_server(settings)
        speed = raw_speed(server.url, paths[0].read_text(encoding="utf-8")[:3000])
    print(f"model: {llm.model_id(settings)}, threads: {settings.threads}, {speed}")
    print(
        "| task | article | words | runs | seconds, median (p95; first runs) "
        "| tokens in (of them cached) / out, median | result |"
    )
    print("| --- | --- | --- | ---: | --- | --- | --- |")
    for r in rows:
        each = ", ".join(str(x) for x in r["seconds_runs"])
        print(
            f"| {r['task']} | {r['article'][:40]} | {r['words']} | {r['runs']} "
            f"| {r['seconds_median']} ({r['seconds_p95']}; {each}) "
            f"| {r['input_tokens']} ({r['cached_tokens']}) / {r['output_tokens']} "
            f"| {r['detail']} |"
        )
    if args.out:
        args.out.write_text(json.dumps({"speed": speed, "rows": rows}, indent=2))
    return rows


if __name__ == "__main__":
    main()
