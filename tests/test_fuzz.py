"""Schemathesis against the app's own OpenAPI, with every check it has: no generated request,
valid or not, gets a 5xx, an undocumented status or a response off its schema; then the
stateful phase follows the documented links (an article's id to its summary, claims and
deletion; a job's id to its state). The model answers every call with the smallest valid
answer, so the pipeline runs end to end; articles are seeded so ids and searches hit something.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import FlakyStrategyDefinition, Unsatisfiable
from schemathesis import checks
from schemathesis.generation import GenerationMode

from claimcheck import ClaimCheck
from claimcheck.server import create_app

from .articles import ORCHARD, SUMMIT
from .fakes import SchemaModel

EXAMPLES = 30  # per operation and mode
# Every check but one, for the one operation it cannot hold on: POST /articles takes an upload
# whose file name must end in a known extension, which OpenAPI cannot say, so a generated
# "file.png" is rightly refused with 400 (the CLI refuses it the same way).
UNSAYABLE = {("POST", "/articles"): [checks.positive_data_acceptance]}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_check_holds_on_every_operation(
    home: Path, mode: GenerationMode, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMCHECK_ALLOW_FETCH", "false")  # a generated {"url"} fetches nothing
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        cc.ingest(ORCHARD, title="Frost")
        cc.ingest(SUMMIT, title="Summit")
        schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(cc))
        operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
        assert len(operations) >= 12
        seen = []
        for operation in operations:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def call(case) -> None:
                skip = UNSAYABLE.get((case.operation.method.upper(), case.operation.path), [])
                response = case.call_and_validate(excluded_checks=skip)
                seen.append(response.status_code)
                if response.status_code >= 400:
                    assert set(response.json()["error"]) == {"type", "message"}

            try:
                call()
            except Unsatisfiable:  # nothing to break: an operation without parameters or body
                assert mode == GenerationMode.NEGATIVE
        assert len(seen) >= 5 * len(operations), len(seen)
        print(f"{mode.value}: {len(seen)} requests, statuses {sorted(set(seen))}")


def test_the_stateful_phase_follows_the_links(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMCHECK_ALLOW_FETCH", "false")
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        cc.ingest(ORCHARD, title="Frost")
        schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(cc))
        machine = schema.as_state_machine()
        links = [t for t in machine.bundles]  # the link targets the machine can walk
        assert links, "the schema declares links"

        class Machine(machine):  # type: ignore[misc, valid-type]
            def validate_response(self, response, case, **kwargs):
                excluded = UNSAYABLE.get((case.operation.method.upper(), case.operation.path), [])
                case.validate_response(response, excluded_checks=excluded)

        for attempt in range(3):
            try:
                Machine.run(
                    settings=settings(
                        # generate only: replaying a sequence to shrink it trips over
                        # schemathesis' strategy caches (a failure is reported unshrunk)
                        phases=[Phase.explicit, Phase.generate],
                        max_examples=25,
                        stateful_step_count=6,
                        deadline=None,
                        database=None,
                        suppress_health_check=list(HealthCheck),
                    )
                )
                break
            except FlakyStrategyDefinition:
                # hypothesis saw the generated data change between runs of one sequence: the
                # app's state changed under it (an article deleted by an earlier step). Not a
                # finding; a real one (a failed check) is raised as itself and fails the test.
                if attempt == 2:
                    raise
