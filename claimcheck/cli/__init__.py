"""The ``claimcheck`` command: parse arguments, call :class:`claimcheck.ClaimCheck`, print.

Every command takes ``--json`` and then prints exactly one JSON document to stdout. Errors go to
stderr as ``error: ...`` (or, with ``--json``, as ``{"error": {"type", "message"}}`` on stdout).
Exit status: 0 success, 1 an error or a partly failed ingest, 2 bad usage or nothing ingested.

One module a command group, each registering its commands on the app of ``common.py`` (what
they share: the ``--json`` option, errors, opening the store, printing quotes and verdicts):
``articles.py`` ingest, list, show, delete, search; ``tasks.py`` summarize, claims, check,
check-text, ask; ``corpus.py`` quotes, speakers; ``service.py`` serve, eval, model.
"""

from __future__ import annotations

# each registers its commands; imported in the order `claimcheck --help` lists them
from . import articles, tasks  # noqa: F401

# isort: split
from . import corpus, service  # noqa: F401
from .common import app

__all__ = ["app", "main"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
