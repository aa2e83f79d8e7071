"""What the routes depend on, handed to them with FastAPI's ``Depends``: one :class:`Service`
per app (the ClaimCheck, created on first use, its settings, the model gate and the jobs)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ..api import ClaimCheck
from ..settings import Settings
from .work import Job, JobTable, ModelGate


class Service:
    """The state one app shares between requests."""

    def __init__(self, settings: Settings, cc: ClaimCheck | None = None) -> None:
        self.settings = settings
        self.gate = ModelGate(settings.queue_size, settings.concurrency)
        self.jobs = JobTable(settings.home / "jobs")
        self._cc = cc
        self._lock = threading.Lock()

    @property
    def started(self) -> ClaimCheck | None:
        """The ClaimCheck if a request has made it already."""
        return self._cc

    def client(self) -> ClaimCheck:
        with self._lock:
            if self._cc is None:
                self._cc = ClaimCheck(settings=self.settings)
            return self._cc

    async def run_model_task(
        self, fn: Callable[[], BaseModel], run_async: bool, task: str | None = None
    ) -> Any:
        """Run a model-bound call behind the gate: now, or as a job (202 with its id)."""
        if not run_async:
            return await run_in_threadpool(self._gated(fn))
        job = self.start_job(fn, task)
        return JSONResponse(job.model_dump(mode="json"), status_code=202)

    def start_job(self, fn: Callable[[], BaseModel], task: str | None = None) -> Job:
        """Queue a model-bound call as a background job behind the gate."""
        self.gate.check_room()
        return self.jobs.start(self._gated(fn), task)

    def _gated(self, fn: Callable[[], BaseModel]) -> Callable[[], BaseModel]:
        def gated() -> BaseModel:
            with self.gate.hold():
                return fn()

        return gated


def service(request: Request) -> Service:
    svc: Service = request.app.state.service
    return svc


def client(svc: Annotated[Service, Depends(service)]) -> ClaimCheck:
    return svc.client()


ServiceDep = Annotated[Service, Depends(service)]
ClientDep = Annotated[ClaimCheck, Depends(client)]
