"""The command line's entry point starts the embedded model early only when it is asked."""

from __future__ import annotations

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
