"""The HTTP API: FastAPI over :class:`claimcheck.ClaimCheck`. Thin: parse, call, serialize.

Errors are JSON, ``{"error": {"type", "message"}}``, never a stack trace: 400/422 bad input,
401 missing or wrong API key, 404 unknown id, 413 body too large, 429 model queue full (with
Retry-After), 503 model or store unavailable. The embedded model runs one generation at a time;
requests that need it wait in a bounded queue. Long operations can run as jobs (``?async=true``
answers 202 with a job id; ``GET /jobs/{id}`` tells the state and the result).

    app.py       create_app: the routers, error handlers, auth and body limit; running()
    service.py   what every route depends on: the ClaimCheck, the settings, the model gate
    work.py      the model gate and the job table
    schemas.py   request and listing bodies
    articles.py  /articles, /search          tasks.py  summary, claims, check, check-text, ask
    jobs.py      /jobs/{id}                  page.py   the viewer page and /healthz
"""

from ..errors import QueueFull
from .app import create_app, free_port, running
from .work import Job, JobTable, ModelGate

__all__ = ["Job", "JobTable", "ModelGate", "QueueFull", "create_app", "free_port", "running"]
