"""Commands that run things: the HTTP service, the evaluation, the embedded model."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ClaimcheckError
from .common import (
    _fail,
    app,
)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Run the HTTP API (and the article viewer) under uvicorn."""
    import uvicorn

    from ..server import create_app
    from ..settings import Settings

    settings = Settings()
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.api_key:
        typer.echo(
            f"warning: serving on {host} without CLAIMCHECK_API_KEY: anyone who can reach it "
            "can read and change the store",
            err=True,
        )
    uvicorn.run(
        create_app(settings=settings),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=settings.shutdown_seconds,
    )
    _exit_without_waiting()


def _exit_without_waiting() -> None:
    """After the grace period, do not wait for work still running in threads (an ingest of a
    long article can take minutes): leave now. The store's all-or-nothing writes make this
    safe — an article cut off mid-write is rolled back when the store is next opened — and a
    request cut off gets no answer, so its client knows it failed."""
    import os
    import threading

    running = [
        t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon
    ]
    if running:
        typer.echo(
            f"stopped with {len(running)} request(s) still running: they are cut off, and what "
            "they were writing is rolled back when the store is next opened",
            err=True,
        )
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(0)


@app.command(
    "eval",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def eval_(ctx: typer.Context) -> None:
    """Score every capability against the test sets, beside baselines (`eval --help`)."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "evals" / "run.py").is_file() and str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    try:
        from evals.run import main as run_eval
    except ImportError:
        typer.echo(
            "error: `claimcheck eval` runs from a project checkout (the evals/ folder and its "
            "test set are not part of the installed package)",
            err=True,
        )
        raise typer.Exit(2) from None
    raise typer.Exit(run_eval(ctx.args))


model_app = typer.Typer(help="The embedded model.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("serve")
def model_serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 8080,
) -> None:
    """Run the embedded model's OpenAI-compatible server in the foreground.

    Other processes use it with OPENAI_BASE_URL=http://HOST:PORT/v1.
    """
    import signal
    import threading

    from .. import llm
    from ..settings import Settings

    settings = Settings()
    try:
        path = llm.ensure_model_file(settings)
        server = llm.EmbeddedServer(
            path,
            threads=settings.threads,
            context_tokens=settings.context_tokens,
            host=host,
            port=port,
        )
    except ClaimcheckError as exc:
        raise _fail(exc, False) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: serving on {host} without authentication", err=True)
    typer.echo(f"serving {path.name} at {server.url}/v1 (Ctrl-C to stop)", err=True)
    sys.stdout.write(f"{server.url}/v1\n")
    sys.stdout.flush()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    server.stop()


@model_app.command("path")
def model_path() -> None:
    """Prepare the embedded model file (join and verify it) and print its path."""
    from .. import llm
    from ..settings import Settings

    try:
        sys.stdout.write(f"{llm.ensure_model_file(Settings())}\n")
    except ClaimcheckError as exc:
        raise _fail(exc, False) from None
