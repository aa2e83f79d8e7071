"""The article viewer page at ``/`` and the health check at ``/healthz``."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from .service import ServiceDep

router = APIRouter()


@router.get("/", include_in_schema=False)
def page() -> Response:
    """The article viewer: plain HTML and a little JavaScript, no build step."""
    html = resources.files("claimcheck").joinpath("static/index.html").read_text("utf-8")
    return Response(html, media_type="text/html; charset=utf-8")


@router.get("/healthz")
def healthz(svc: ServiceDep) -> dict[str, Any]:
    cc = svc.started
    # not started (it starts on the first request), ready, down (restarted on the next
    # request) or external (a hosted or given model)
    model_state = cc.model_state() if cc is not None else "not started"
    return {
        "status": "ok",
        "model": {"state": model_state, "busy": svc.gate.busy, "waiting": svc.gate.waiting},
        "store": svc.settings.chroma_url or "embedded",
    }
