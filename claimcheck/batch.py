"""Batches over the corpus: every stored article's claims or summary made, several at a time,
one failure reported and the rest going on, an interrupted run losing nothing done; and shards,
so that n workers split a corpus without a coordinator."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from .errors import ClaimcheckError, InputError, NotFound
from .models import Article, BatchFailure, BatchReport

Progress = Callable[[str], None]


def in_shard(article_id: str, shard: tuple[int, int] | None) -> bool:
    """Whether an article falls in shard ``i`` of ``n`` (1-based), by a stable hash of its id:
    every article in exactly one shard, the same one on every machine."""
    if shard is None:
        return True
    i, n = shard
    if not 1 <= i <= n:
        raise InputError(f"shard must be I/N with 1 <= I <= N, got {i}/{n}")
    return int(hashlib.sha256(article_id.encode()).hexdigest()[:12], 16) % n == i - 1


def run(
    articles: Iterable[Article],
    state: Callable[[list[str]], dict[str, str]],
    make: Callable[[str], bool],
    workers: int,
    shard: tuple[int, int] | None,
    refresh: bool,
    progress: Progress | None,
    total: Callable[[int], None] | None,
) -> BatchReport:
    """Make what ``make`` makes for every article (of ``shard``) whose ``state`` is not
    "current" (all of them with ``refresh``), ``workers`` at a time: one failure is reported
    and the rest go on; ``make`` returns True when it found the result made meanwhile. On an
    interrupt nothing more is started; what is done is stored, the rest left for the next run."""
    started = time.perf_counter()
    if workers < 1:
        raise InputError(f"concurrency must be at least 1, got {workers}")
    ids = [a.id for a in articles if in_shard(a.id, shard)]
    states = state(ids) if not refresh else dict.fromkeys(ids, "stale")
    todo = [a for a in ids if states.get(a) != "current"]
    report = BatchReport(skipped=len(ids) - len(todo))
    if total is not None:
        total(len(todo))

    lock = threading.Lock()
    stop = threading.Event()

    def one(article_id: str) -> None:
        if stop.is_set():
            return  # interrupted: start nothing more
        outcome: str | BatchFailure = "processed"
        try:
            if make(article_id):
                outcome = "skipped"  # another worker made it meanwhile
        except NotFound:
            outcome = "skipped"  # deleted meanwhile
        except ClaimcheckError as exc:
            outcome = BatchFailure(article_id=article_id, error=str(exc))
        with lock:
            if isinstance(outcome, BatchFailure):
                report.failed.append(outcome)
            elif outcome == "processed":
                report.processed += 1
            else:
                report.skipped += 1
        if progress is not None:
            progress(article_id)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch")
    try:
        for future in [pool.submit(one, a) for a in todo]:
            future.result()
    except BaseException:
        stop.set()
        raise
    finally:
        # On an interrupt, start nothing more; what is done is stored, the rest is left
        # for the next run.
        pool.shutdown(wait=True, cancel_futures=True)
    report.seconds = round(time.perf_counter() - started, 2)
    return report
