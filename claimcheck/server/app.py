"""The app: routers, error handlers, the API key and the body limit; and a way to run it."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..api import ClaimCheck
from ..errors import (
    ClaimcheckError,
    InputError,
    ModelError,
    NotFound,
    QueueFull,
    StoreError,
    validation_message,
)
from ..settings import Settings
from . import articles, corpus, jobs, page, tasks
from .service import Service

log = logging.getLogger(__name__)

STATUS = {InputError: 400, NotFound: 404, QueueFull: 429, ModelError: 503, StoreError: 503}
OPEN_PATHS = ("/healthz", "/")  # served without the API key


def error_response(
    status: int, kind: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"type": kind, "message": message}}, status_code=status, headers=headers
    )


def create_app(cc: ClaimCheck | None = None, settings: Settings | None = None) -> FastAPI:
    """The app; pass a ready ClaimCheck (tests pass one with a scripted model)."""
    settings = settings or (cc.settings if cc is not None else Settings())
    app = FastAPI(
        title="claimcheck",
        version="0.1.0",
        description="Summaries, attributable claims, claim checks and answers for news "
        "articles; every quote an exact span of the stored text.",
        generate_unique_id_function=lambda route: route.name,  # operationId = function name
    )
    app.state.service = Service(settings, cc)
    for module in (page, articles, tasks, jobs, corpus):
        app.include_router(module.router)
    _add_error_handlers(app)
    _add_limits(app, settings)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    def _routes() -> list[APIRoute]:
        routers = [page.router, articles.router, tasks.router, jobs.router, corpus.router]
        return [r for router in routers for r in router.routes if isinstance(r, APIRoute)]

    @app.exception_handler(ClaimcheckError)
    async def _claimcheck_error(request: Request, exc: ClaimcheckError) -> Response:
        status = next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 500)
        headers = {"Retry-After": "5"} if status == 429 else None
        return error_response(status, type(exc).__name__, str(exc), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(
            422, "ValidationError", validation_message(exc.errors()) or "invalid request"
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        kind = "PayloadTooLarge" if exc.status_code == 413 else "HTTPError"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method the path allows, not only one route's
            path = request.url.path
            methods = {
                m
                for route in _routes()
                if route.path_regex.match(path)
                for m in route.methods or ()
            }
            headers["Allow"] = ", ".join(sorted(methods - {"HEAD"}))
        return error_response(exc.status_code, kind, str(exc.detail), headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "InternalError", "internal error; see the server log")


def _add_limits(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(Guard, settings=settings)


class Guard:
    """The checks every request passes, as plain ASGI (no task between the route and the
    body it reads): the API key, the body limit — from Content-Length when there is one, and
    by counting the bytes as they arrive when there is none, so a chunked upload stops at the
    limit with 413 instead of being read whole — and ``X-Content-Type-Options: nosniff`` on
    every response."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.settings.max_body_bytes
        key = self.settings.api_key
        if key and scope["path"] not in OPEN_PATHS:
            given = headers.get("authorization", "")
            if not secrets.compare_digest(given.encode(), f"Bearer {key}".encode()):
                answer = error_response(
                    401, "Unauthorized", "missing or wrong Authorization: Bearer key"
                )
                await self._send(answer, scope, receive, send)
                return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            answer = error_response(
                413,
                "PayloadTooLarge",
                f"request body of {int(length):,} bytes is over the limit of {limit:,} "
                "(CLAIMCHECK_MAX_BODY_BYTES)",
            )
            await self._send(answer, scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise StarletteHTTPException(
                        413,
                        f"request body over the limit of {limit:,} bytes "
                        "(CLAIMCHECK_MAX_BODY_BYTES)",
                    )
            return message

        async def with_nosniff(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [(b"x-content-type-options", b"nosniff")]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, counted, with_nosniff)

    @staticmethod
    async def _send(response: Response, scope: Scope, receive: Receive, send: Send) -> None:
        response.headers["X-Content-Type-Options"] = "nosniff"
        await response(scope, receive, send)


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
