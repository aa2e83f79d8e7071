"""The model gate (at most ``CLAIMCHECK_MODEL_CONCURRENCY`` model calls at once, a bounded
queue) and the job table (long work run in the background, polled by id, kept on disk so that
a job id the service gave out never becomes unknown)."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from ..errors import ClaimcheckError, QueueFull

log = logging.getLogger(__name__)

MAX_JOBS = 1000  # finished jobs kept for polling; the oldest go first


class ModelGate:
    """At most ``concurrency`` model calls at once; at most ``size`` callers wait beyond
    them, the rest are turned away."""

    def __init__(self, size: int, concurrency: int = 1) -> None:
        self.size = size
        self.concurrency = concurrency
        self._slots = threading.BoundedSemaphore(concurrency)
        self._count = threading.Lock()
        self.waiting = 0  # holding a slot or waiting for one
        self.running = 0

    @property
    def busy(self) -> bool:
        return self.running > 0

    def check_room(self) -> None:
        """Raise :class:`QueueFull` when no further caller may wait."""
        if self.waiting >= self.size + self.concurrency:
            raise QueueFull(f"{self.waiting} requests are waiting for the model; try later")

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._count:
            self.check_room()
            self.waiting += 1
        try:
            with self._slots:
                with self._count:
                    self.running += 1
                try:
                    yield
                finally:
                    with self._count:
                        self.running -= 1
        finally:
            with self._count:
                self.waiting -= 1


class Job(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    task: str | None = None
    result: Any | None = None
    error: dict[str, str] | None = None


INTERRUPTED = {
    "type": "Interrupted",
    "message": "the service stopped before this job finished; start it again",
}


class JobTable:
    """Jobs by id, in the order they were made; at most ``keep`` finished ones are kept.

    With a ``folder``, every job is also a JSON file there, written on each change: after a
    restart finished jobs are still served, and those that were queued or running are
    reported failed (``Interrupted``) rather than forgotten."""

    def __init__(self, folder: Path | None = None, keep: int = MAX_JOBS) -> None:
        self.keep = keep
        self.folder = folder
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self._load(folder)

    def _load(self, folder: Path) -> None:
        files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for path in files:
            try:
                job = Job.model_validate_json(path.read_bytes())
            except (OSError, ValidationError):
                log.warning("ignoring unreadable job file %s", path)
                continue
            if job.state in ("queued", "running"):
                job.state, job.error = "failed", dict(INTERRUPTED)
                self._save(job)
            self._jobs[job.id] = job

    def _save(self, job: Job) -> None:
        if self.folder is None:
            return
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(job.model_dump_json())
        os.replace(tmp, self.folder / f"{job.id}.json")

    def _forget(self, job_id: str) -> None:
        del self._jobs[job_id]
        if self.folder is not None:
            (self.folder / f"{job_id}.json").unlink(missing_ok=True)

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def start(self, work: Callable[[], BaseModel], task: str | None = None) -> Job:
        """Run ``work`` in a background thread as a new job; its result is stored as JSON."""
        job = Job(id=uuid.uuid4().hex, state="queued", task=task)
        with self._lock:
            self._jobs[job.id] = job
            self._save(job)
            finished = [k for k, j in self._jobs.items() if j.state in ("done", "failed")]
            for old in finished[: max(0, len(self._jobs) - self.keep)]:  # oldest first
                self._forget(old)

        def run() -> None:
            job.state = "running"
            self._save(job)
            try:
                job.result = work().model_dump(mode="json")
                job.state = "done"
            except ClaimcheckError as exc:
                job.error = {"type": type(exc).__name__, "message": str(exc)}
                job.state = "failed"
            except Exception:
                log.exception("job %s failed", job.id)
                job.error = {"type": "InternalError", "message": "internal error"}
                job.state = "failed"
            try:
                self._save(job)
            except OSError:
                log.exception("could not save job %s", job.id)

        threading.Thread(target=run, name=f"job-{job.id[:8]}", daemon=True).start()
        return job
