"""The command line's entry point: a command that asks the model starts the embedded model
loading before the command line is imported and the store opened.

``import claimcheck`` itself loads the pipeline (and registers the embedding function with
Chroma, which plain ``chromadb`` needs to reopen the store), so the gain is small: llama.cpp
holds Python's lock while it loads, and what overlaps is Typer's and Rich's import and
opening the store. Only for the commands that always ask the model (a summary or claims
already stored are answered without it), and never for ``--help`` or a hosted model.
"""

from __future__ import annotations

import sys
import threading

MODEL_COMMANDS = frozenset({"check", "check-text", "ask"})


def _start_model() -> None:
    try:
        from . import llm
        from .settings import Settings

        settings = Settings()
        if not settings.hosted:
            llm.embedded_server(settings)
    except Exception:  # noqa: BLE001 - the command reports it when it asks the model
        return


def wants_model(args: list[str]) -> bool:
    """Whether the command line ``args`` (without the program) run a command that asks the
    embedded model."""
    return bool(args) and args[0] in MODEL_COMMANDS and not {"--help", "-h"} & set(args)


def main() -> None:
    if wants_model(sys.argv[1:]):
        threading.Thread(target=_start_model, name="claimcheck-model", daemon=True).start()
    from .cli import main as cli_main

    cli_main()
