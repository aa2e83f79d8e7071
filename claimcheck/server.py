"""The HTTP API: FastAPI over :class:`claimcheck.ClaimCheck`. Thin: parse, call, serialize.

Errors are JSON, ``{"error": {"type", "message"}}``, never a stack trace: 400/422 bad input,
401 missing or wrong API key, 404 unknown id, 413 body too large, 429 model queue full (with
Retry-After), 503 model or store unavailable. The embedded model runs one generation at a time;
requests that need it wait in a bounded queue. Long operations can run as jobs (``?async=true``
answers 202 with a job id; ``GET /jobs/{id}`` tells the state and the result).
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import resources
from typing import Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .api import ClaimCheck
from .errors import ClaimcheckError, InputError, ModelError, NotFound, StoreError
from .models import Answer, Article, Chunk, ClaimSet, Report, Summary, Verdict
from .settings import Settings
from .sources import HTML_SUFFIXES, decode, html_to_text

log = logging.getLogger(__name__)


class ArticleIn(BaseModel):
    text: str = Field(description="The article's full text.")
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: datetime | None = None


class ArticleInfo(BaseModel):
    """An article without its text, for listings."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    published: datetime | None
    ingested_at: datetime
    chunk_count: int


class CheckIn(BaseModel):
    claim: str
    article_id: str | None = None
    k: int = Field(default=8, ge=1, le=50)


class CheckTextIn(BaseModel):
    text: str
    article_id: str


class AskIn(BaseModel):
    question: str
    article_ids: list[str] | None = None
    k: int = Field(default=8, ge=1, le=50)
    source: str | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None


class Job(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    result: Any | None = None
    error: dict[str, str] | None = None


class QueueFull(ClaimcheckError):
    """Too many requests are already waiting for the model."""


class ModelGate:
    """One model call at a time; at most ``size`` callers wait, the rest are turned away."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._count = threading.Lock()
        self.waiting = 0
        self.busy = False

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._count:
            if self.waiting >= self.size + 1:
                raise QueueFull(f"{self.waiting} requests are waiting for the model; try later")
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


MAX_JOBS = 1000  # finished jobs kept for polling; the oldest go first
STATUS = {InputError: 400, NotFound: 404, QueueFull: 429, ModelError: 503, StoreError: 503}


def _error(status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> Any:
    return JSONResponse(
        {"error": {"type": kind, "message": message}}, status_code=status, headers=headers
    )


def create_app(cc: ClaimCheck | None = None, settings: Settings | None = None) -> FastAPI:
    """The app; pass a ready ClaimCheck (tests pass one with a scripted model)."""
    settings = settings or (cc.settings if cc is not None else Settings())
    state: dict[str, Any] = {"cc": cc}
    gate = ModelGate(settings.queue_size)
    jobs: dict[str, Job] = {}
    app = FastAPI(
        title="claimcheck",
        version="0.1.0",
        description="Summaries, attributable claims, claim checks and answers for news "
        "articles; every quote an exact span of the stored text.",
    )

    def client() -> ClaimCheck:
        if state["cc"] is None:
            state["cc"] = ClaimCheck(settings=settings)
        return state["cc"]

    @app.exception_handler(ClaimcheckError)
    async def _claimcheck_error(request: Request, exc: ClaimcheckError) -> Any:
        status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 500)
        headers = {"Retry-After": "5"} if status == 429 else None
        return _error(status, type(exc).__name__, str(exc), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Any:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return _error(422, "ValidationError", problems or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Any:
        return _error(exc.status_code, "HTTPError", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Any:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(500, "InternalError", "internal error; see the server log")

    @app.middleware("http")
    async def _limits(request: Request, call_next: Callable[[Request], Any]) -> Any:
        if settings.api_key and request.url.path not in ("/healthz", "/"):
            given = request.headers.get("authorization", "")
            expected = f"Bearer {settings.api_key}"
            if not secrets.compare_digest(given.encode(), expected.encode()):
                return _error(401, "Unauthorized", "missing or wrong Authorization: Bearer key")
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            return _error(
                413,
                "PayloadTooLarge",
                f"request body of {int(length):,} bytes is over the limit of "
                f"{settings.max_body_bytes:,} (CLAIMCHECK_MAX_BODY_BYTES)",
            )
        try:
            return await call_next(request)
        except Exception as exc:  # errors raised outside the route handlers
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            del exc
            return _error(500, "InternalError", "internal error; see the server log")

    async def _body(request: Request) -> bytes:
        body = await request.body()
        if len(body) > settings.max_body_bytes:
            raise InputError(f"request body over the limit of {settings.max_body_bytes:,} bytes")
        return body

    async def run_model_task(fn: Callable[[], Any], run_async: bool) -> Any:
        """Run a model-bound call behind the gate, now or as a job."""

        def gated() -> Any:
            with gate.hold():
                return fn()

        if not run_async:
            return await run_in_threadpool(gated)
        if gate.waiting >= gate.size + 1:
            raise QueueFull(f"{gate.waiting} requests are waiting for the model; try later")
        job = Job(id=uuid.uuid4().hex, state="queued")
        jobs[job.id] = job
        finished = [k for k, j in jobs.items() if j.state in ("done", "failed")]
        for old in finished[: max(0, len(jobs) - MAX_JOBS)]:  # oldest first (insertion order)
            del jobs[old]

        def work() -> None:
            job.state = "running"
            try:
                result = gated()
                job.result = result.model_dump(mode="json")
                job.state = "done"
            except ClaimcheckError as exc:
                job.error = {"type": type(exc).__name__, "message": str(exc)}
                job.state = "failed"
            except Exception:
                log.exception("job %s failed", job.id)
                job.error = {"type": "InternalError", "message": "internal error"}
                job.state = "failed"

        threading.Thread(target=work, name=f"job-{job.id[:8]}", daemon=True).start()
        return JSONResponse(job.model_dump(mode="json"), status_code=202)

    @app.get("/", include_in_schema=False)
    def page() -> Response:
        """The article viewer: plain HTML and a little JavaScript, no build step."""
        html = resources.files("claimcheck").joinpath("static/index.html").read_text("utf-8")
        return Response(html, media_type="text/html; charset=utf-8")

    @app.get("/healthz")
    def healthz() -> dict[str, Any]:
        cc_now = state["cc"]
        # not started (it starts on the first request), ready, down (restarted on the next
        # request) or external (a hosted or given model)
        model_state = cc_now.model_state() if cc_now is not None else "not started"
        return {
            "status": "ok",
            "model": {"state": model_state, "busy": gate.busy, "waiting": gate.waiting},
            "store": settings.chroma_url or "embedded",
        }

    @app.post("/articles", status_code=201, response_model=Article)
    async def add_article(request: Request) -> Article:
        """Store an article: a JSON body ``{text, title, source, url, published}`` or a
        multipart upload (field ``file``; .txt, .md or .html) with optional form fields."""
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("multipart/form-data"):
            async with request.form() as form:  # closes the uploaded files afterwards
                upload = form.get("file")
                if upload is None or isinstance(upload, str):
                    raise InputError("multipart upload needs a file field named 'file'")
                raw = await upload.read()
                name = upload.filename or "upload"
                fields = {k: v for k, v in form.items() if k != "file" and isinstance(v, str)}
            if len(raw) > settings.max_body_bytes:
                raise InputError(f"{name}: over the limit of {settings.max_body_bytes:,} bytes")
            text = decode(raw, name)
            title = None
            if any(name.lower().endswith(s) for s in HTML_SUFFIXES):
                text, title = html_to_text(text)
            try:
                item = ArticleIn.model_validate({"text": text, "title": title, **fields})
            except ValidationError as exc:
                raise InputError(str(exc.errors()[0]["msg"]), name) from exc
        else:
            try:
                item = ArticleIn.model_validate_json(await _body(request))
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                    for e in exc.errors()
                )
                raise InputError(problems) from exc
        return await run_in_threadpool(
            client().ingest,
            item.text,
            title=item.title,
            source=item.source,
            url=item.url,
            published=item.published,
        )

    @app.get("/articles", response_model=list[ArticleInfo])
    def list_articles() -> list[ArticleInfo]:
        return [ArticleInfo.model_validate(a.model_dump()) for a in client().articles()]

    @app.get("/articles/{article_id}", response_model=Article)
    def get_article(article_id: str) -> Article:
        return client().get(article_id)

    @app.delete("/articles/{article_id}", status_code=204)
    def delete_article(article_id: str) -> Response:
        client().delete(article_id)
        return Response(status_code=204)

    @app.get("/search", response_model=list[Chunk])
    def search(
        q: str = Query(..., min_length=1, max_length=2000, description="What to look for."),
        k: int = Query(5, ge=1, le=100),
        article_id: str | None = None,
    ) -> list[Chunk]:
        """The stored chunks closest in meaning to ``q`` (no model involved)."""
        return client().search(q, k=k, article_id=article_id)

    @app.get("/articles/{article_id}/summary", response_model=Summary)
    async def summary(
        article_id: str,
        sentences: int = Query(3, ge=1, le=10),
        refresh: bool = False,
        run_async: bool = Query(False, alias="async"),
    ) -> Any:
        client().get(article_id)
        return await run_model_task(
            lambda: client().summarize(article_id, sentences, refresh=refresh), run_async
        )

    @app.get("/articles/{article_id}/claims", response_model=ClaimSet)
    async def claims(
        article_id: str, refresh: bool = False, run_async: bool = Query(False, alias="async")
    ) -> Any:
        client().get(article_id)
        return await run_model_task(
            lambda: client().claim_set(article_id, refresh=refresh), run_async
        )

    @app.post("/check", response_model=Verdict)
    async def check(body: CheckIn, run_async: bool = Query(False, alias="async")) -> Any:
        return await run_model_task(
            lambda: client().check(body.claim, article_id=body.article_id, k=body.k), run_async
        )

    @app.post("/check-text", response_model=Report)
    async def check_text(body: CheckTextIn, run_async: bool = Query(False, alias="async")) -> Any:
        return await run_model_task(
            lambda: client().check_text(body.text, body.article_id), run_async
        )

    @app.post("/ask", response_model=Answer)
    async def ask(body: AskIn, run_async: bool = Query(False, alias="async")) -> Any:
        return await run_model_task(
            lambda: client().ask(
                body.question,
                body.article_ids,
                body.k,
                source=body.source,
                published_after=body.published_after,
                published_before=body.published_before,
            ),
            run_async,
        )

    @app.get("/jobs/{job_id}", response_model=Job)
    def get_job(job_id: str) -> Job:
        job = jobs.get(job_id)
        if job is None:
            raise NotFoundJob(job_id)
        return job

    return app


class NotFoundJob(NotFound):
    def __str__(self) -> str:
        return f"no job has id {self.article_id!r}"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now."""
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` under uvicorn in a background thread; yields its base URL and stops it on
    exit (port 0: a free port). For tests, benchmarks and scripts; `claimcheck serve` runs
    uvicorn in the foreground instead."""
    import uvicorn

    if port == 0:
        port = free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"uvicorn did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
