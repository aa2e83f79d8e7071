"""The article viewer page at ``/`` and the health check at ``/healthz``."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib import resources
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from ..errors import ClaimcheckError
from ..store import redact_text
from .service import ServiceDep

router = APIRouter()


@cache
def _page() -> tuple[str, str]:
    """The viewer's HTML and its Content-Security-Policy: only the page's own inline script
    and style (by hash) run, it talks only to this origin, nothing may frame it."""
    html = resources.files("claimcheck").joinpath("static/index.html").read_text("utf-8")

    def hashes(tag: str) -> str:
        bodies = re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.DOTALL)
        return " ".join(
            f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'"
            for b in bodies
        )

    policy = (
        f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    )
    return html, policy


@router.get("/", include_in_schema=False)
def page() -> Response:
    """The article viewer: plain HTML and a little JavaScript, no build step."""
    html, policy = _page()
    return Response(
        html, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": policy}
    )


@router.get(
    "/healthz",
    responses={503: {"description": "The store is unreachable: every data route would fail."}},
)
def healthz(svc: ServiceDep) -> JSONResponse:
    """The service's real state. ``status`` is ``ok``, or ``degraded`` with ``down`` naming
    what is not working (``store``, ``model``); the status code is 503 when the store is
    unreachable. Credentials in the store's URL are never shown."""
    down = []
    store: dict[str, Any] = {"kind": "server" if svc.settings.chroma_url else "embedded"}
    try:
        cc = svc.client()
        cc.store.heartbeat()
        store |= {"state": "ok", "location": cc.store.location}
    except ClaimcheckError as exc:
        cc = None
        store |= {"state": "down", "error": redact_text(exc)}
        down.append("store")
    # not started (it starts on the first request), ready, down (restarted on the next
    # request) or external (a hosted or given model)
    model_state = cc.model_state() if cc is not None and svc.started else "not started"
    if model_state == "down":
        down.append("model")
    body = {
        "status": "degraded" if down else "ok",
        "down": down,
        "model": {"state": model_state, "busy": svc.gate.busy, "waiting": svc.gate.waiting},
        "store": store,
    }
    return JSONResponse(body, status_code=503 if "store" in down else 200)
