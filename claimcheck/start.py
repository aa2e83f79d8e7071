"""The command line's entry point: a command that asks the model starts the embedded model
loading before the rest of claimcheck is imported.

Importing the command line (LangChain's OpenAI client, Chroma, spaCy, Typer) takes about two
seconds on 2 cores, loading the embedded model about three more; ``claimcheck check "..."
--article ID`` needs both, so they run side by side. Only for the commands that always ask
the model (a summary or claims already stored are answered without it), and never for
``--help`` or a hosted model.
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
