"""The ``claimcheck`` command: parse arguments, call :class:`claimcheck.ClaimCheck`, print.

Every command takes ``--json`` and then prints exactly one JSON document to stdout. Errors go to
stderr as ``error: ...`` (or, with ``--json``, as ``{"error": {"type", "message"}}`` on stdout).
Exit status: 0 success, 1 an error or a partly failed ingest, 2 bad usage or nothing ingested.
"""

from __future__ import annotations

from . import articles, corpus, service, tasks  # noqa: F401 - each registers its commands
from .common import app

__all__ = ["app", "main"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
