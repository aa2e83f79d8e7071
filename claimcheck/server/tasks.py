"""The model's work: summary, claims, check, check-text and ask, each now or as a job
(``?async=true``), all behind the one model gate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..models import Answer, ClaimSet, Report, Summary, Verdict
from .schemas import ERRORS, AskIn, CheckIn, CheckTextIn
from .service import ClientDep, ServiceDep
from .work import Job

ACCEPTED: dict[int | str, dict[str, object]] = {
    202: {
        "model": Job,
        "description": "With ?async=true: the job's id; poll /jobs/{id}.",
        "links": {
            "get_job": {"operationId": "get_job", "parameters": {"job_id": "$response.body#/id"}}
        },
    }
}
router = APIRouter(responses={**ERRORS, **ACCEPTED})
Async = Annotated[bool, Query(alias="async", description="Run as a job: 202 with its id.")]


@router.get("/articles/{article_id}/summary", response_model=Summary)
async def summary(
    article_id: str,
    svc: ServiceDep,
    cc: ClientDep,
    sentences: Annotated[int, Query(ge=1, le=10)] = 3,
    refresh: bool = False,
    run_async: Async = False,
) -> Any:
    cc.get(article_id)
    return await svc.run_model_task(
        lambda: cc.summarize(article_id, sentences, refresh=refresh), run_async
    )


@router.get("/articles/{article_id}/claims", response_model=ClaimSet)
async def claims(
    article_id: str, svc: ServiceDep, cc: ClientDep, refresh: bool = False, run_async: Async = False
) -> Any:
    cc.get(article_id)
    return await svc.run_model_task(lambda: cc.claim_set(article_id, refresh=refresh), run_async)


@router.post("/check", response_model=Verdict)
async def check(body: CheckIn, svc: ServiceDep, cc: ClientDep, run_async: Async = False) -> Any:
    return await svc.run_model_task(
        lambda: cc.check(body.claim, article_id=body.article_id, k=body.k, explain=body.explain),
        run_async,
    )


@router.post("/check-text", response_model=Report)
async def check_text(
    body: CheckTextIn, svc: ServiceDep, cc: ClientDep, run_async: Async = False
) -> Any:
    return await svc.run_model_task(
        lambda: cc.check_text(body.text, body.article_id, explain=body.explain), run_async
    )


@router.post("/ask", response_model=Answer)
async def ask(body: AskIn, svc: ServiceDep, cc: ClientDep, run_async: Async = False) -> Any:
    return await svc.run_model_task(
        lambda: cc.ask(
            body.question,
            body.article_ids,
            body.k,
            source=body.source,
            published_after=body.published_after,
            published_before=body.published_before,
        ),
        run_async,
    )
