"""The app: routers, error handlers, the API key and the body limit; and a way to run it."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

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
from . import articles, jobs, page, tasks
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
    )
    app.state.service = Service(settings, cc)
    for module in (page, articles, tasks, jobs):
        app.include_router(module.router)
    _add_error_handlers(app)
    _add_limits(app, settings)
    return app


def _add_error_handlers(app: FastAPI) -> None:
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
        return error_response(exc.status_code, "HTTPError", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "InternalError", "internal error; see the server log")


def _add_limits(app: FastAPI, settings: Settings) -> None:
    @app.middleware("http")
    async def _limits(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if settings.api_key and request.url.path not in OPEN_PATHS:
            given = request.headers.get("authorization", "")
            expected = f"Bearer {settings.api_key}"
            if not secrets.compare_digest(given.encode(), expected.encode()):
                return error_response(
                    401, "Unauthorized", "missing or wrong Authorization: Bearer key"
                )
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            return error_response(
                413,
                "PayloadTooLarge",
                f"request body of {int(length):,} bytes is over the limit of "
                f"{settings.max_body_bytes:,} (CLAIMCHECK_MAX_BODY_BYTES)",
            )
        try:
            return await call_next(request)
        except Exception:  # errors raised outside the route handlers
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            return error_response(500, "InternalError", "internal error; see the server log")


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
