"""``/jobs/{id}``: the state of work started with ``?async=true``, and its result."""

from __future__ import annotations

from fastapi import APIRouter

from ..errors import NotFound
from .schemas import ERRORS
from .service import ServiceDep
from .work import Job

router = APIRouter(responses=ERRORS)


@router.get("/jobs/{job_id}", response_model=Job)
def get_job(job_id: str, svc: ServiceDep) -> Job:
    job = svc.jobs.get(job_id)
    if job is None:
        raise NotFound("job", job_id)
    return job
