"""The load script against the real app on loopback, with a model that answers at once."""

from __future__ import annotations

from evals.load import run_load


def test_concurrent_mixed_requests_lose_nothing_and_never_fail_with_5xx() -> None:
    result = run_load(requests=30, model="fake", queue_size=2)
    assert result["errors_5xx"] == 0
    assert result["nothing_lost"] and result["articles_created"] > 0
    statuses = {k: set(v["statuses"]) for k, v in result["per_kind"].items()}
    assert statuses["list"] == statuses["get"] == statuses["search"] == {200}
    assert statuses["check"] <= {200, 429}, "checks wait for the model or are turned away"
