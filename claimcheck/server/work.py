"""The model gate (one model call at a time, a bounded queue) and the job table (long work run
in the background, polled by id)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from pydantic import BaseModel

from ..errors import ClaimcheckError, QueueFull

log = logging.getLogger(__name__)

MAX_JOBS = 1000  # finished jobs kept for polling; the oldest go first


class ModelGate:
    """One model call at a time; at most ``size`` callers wait, the rest are turned away."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._count = threading.Lock()
        self.waiting = 0
        self.busy = False

    def check_room(self) -> None:
        """Raise :class:`QueueFull` when no further caller may wait."""
        if self.waiting >= self.size + 1:
            raise QueueFull(f"{self.waiting} requests are waiting for the model; try later")

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._count:
            self.check_room()
            self.waiting += 1
        try:
            with self._lock:
                self.busy = True
                try:
                    yield
                finally:
                    self.busy = False
        finally:
            with self._count:
                self.waiting -= 1


class Job(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    result: Any | None = None
    error: dict[str, str] | None = None


class JobTable:
    """Jobs by id, in the order they were made; at most ``keep`` finished ones are kept."""

    def __init__(self, keep: int = MAX_JOBS) -> None:
        self.keep = keep
        self._jobs: dict[str, Job] = {}

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def start(self, work: Callable[[], BaseModel]) -> Job:
        """Run ``work`` in a background thread as a new job; its result is stored as JSON."""
        job = Job(id=uuid.uuid4().hex, state="queued")
        self._jobs[job.id] = job
        finished = [k for k, j in self._jobs.items() if j.state in ("done", "failed")]
        for old in finished[: max(0, len(self._jobs) - self.keep)]:  # oldest first
            del self._jobs[old]

        def run() -> None:
            job.state = "running"
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

        threading.Thread(target=run, name=f"job-{job.id[:8]}", daemon=True).start()
        return job
