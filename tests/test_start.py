"""The command line's entry point starts the embedded model early only when it is asked."""

from __future__ import annotations

import subprocess
import sys

import pytest

from claimcheck.start import wants_model


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "The toll is $5.", "--article", "abc"], True),
        (["check-text", "summary.txt", "--article", "abc"], True),
        (["ask", "Who voted?"], True),
        (["check", "--help"], False),
        (["list"], False),
        (["summarize", "abc"], False),  # a stored summary needs no model
        ([], False),
    ],
)
def test_only_commands_that_ask_the_model_start_it(args: list[str], expected: bool) -> None:
    assert wants_model(args) is expected


def test_importing_the_package_does_not_import_the_pipeline() -> None:
    code = (
        "import sys, claimcheck, claimcheck.llm; "
        "print('claimcheck.api' in sys.modules, 'chromadb' in sys.modules); "
        "from claimcheck import ClaimCheck; print(ClaimCheck.__module__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False", "claimcheck.api"]
