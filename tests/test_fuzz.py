"""Schemathesis against the app's own OpenAPI: no generated request, valid or not, gets a 5xx.
The model answers every call with the smallest valid answer, so the pipeline runs end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from claimcheck import ClaimCheck
from claimcheck.server import create_app

from .articles import ORCHARD
from .fakes import SchemaModel

EXAMPLES = 40  # per operation and mode


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_server_error(home: Path, mode: GenerationMode) -> None:
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        cc.ingest(ORCHARD, title="Frost")  # so ids and searches can hit something
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
                response = case.call()
                seen.append(response.status_code)
                where = f"{case.method} {case.formatted_path} {case.body!r:.200}"
                assert response.status_code < 500, f"{where}: {response.text[:500]}"
                if response.status_code >= 400:
                    assert set(response.json()["error"]) == {"type", "message"}, where

            try:
                call()
            except Unsatisfiable:  # nothing to break: an operation without parameters or body
                assert mode == GenerationMode.NEGATIVE
        assert len(seen) >= 5 * len(operations), len(seen)
        print(f"{mode.value}: {len(seen)} requests, statuses {sorted(set(seen))}")
