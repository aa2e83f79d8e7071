"""The real embedded model over the real OpenAI-compatible HTTP path (slow: about a minute)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck import ClaimCheck, llm
from claimcheck.cli import app

from .articles import ORCHARD

pytestmark = pytest.mark.model


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


def test_the_embedded_server_writes_structured_answers_without_layout(cc: ClaimCheck) -> None:
    """Held to the compact grammar, the 1.5B writes its JSON on one line (left to itself it
    pretty-prints, a token for each newline and indent)."""
    from langchain_core.messages import HumanMessage

    from claimcheck.ask import answer_model
    from claimcheck.structured import compact_grammar, json_schema

    model = llm.chat_model(cc.settings, max_tokens=120)
    ask = "Lines: [1] Cider sales rose 8%. [2] Quell said so. Answer as JSON with the sentences."
    message = model.bind(extra_body={"grammar": compact_grammar(json_schema(answer_model(2)))})
    text = str(message.invoke([HumanMessage(ask)]).content)
    assert "\n" not in text and text.startswith('{"sentences": [{"text": ')
    answer_model(2).model_validate_json(text)


def test_the_hosted_path_runs_the_same_code_against_an_openai_compatible_server(
    cc: ClaimCheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = cc.ingest(ORCHARD)
    server = llm.embedded_server(cc.settings)
    monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    with ClaimCheck(home=cc.settings.home, model="qwen2.5-coder-1.5b") as hosted:
        assert hosted.settings.hosted
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


def test_check_and_ask_with_the_embedded_model(cc: ClaimCheck) -> None:
    article = cc.ingest(ORCHARD)
    true = cc.check("A late frost cost Valdera growers up to a third of their blossom.", article.id)
    assert true.label == "supported", true.reason
    wrong = cc.check("The cooperative expects a harvest of about 150,000 tonnes.", article.id)
    assert wrong.label != "supported", wrong.reason
    for verdict in (true, wrong):
        assert verdict.evidence and all(q.verify(article) for q in verdict.evidence)
    answer = cc.ask("How big does the cooperative expect the harvest to be?")
    assert answer.answered and "110,000" in answer.answer
    assert all(q.verify(article) for q in answer.citations)


def test_a_dead_embedded_server_is_restarted_by_the_next_request(cc: ClaimCheck) -> None:
    article = cc.ingest(ORCHARD)
    cc.check("Cider makers warned that prices could rise.", article.id)
    assert llm.check_view(cc.settings) == "evidence"
    (saved,) = (cc.settings.home / "kv").rglob("*.bin")  # the instructions, not the article
    assert cc.model_state() == "ready"
    dead = llm.embedded_server(cc.settings)
    dead.stop()  # the server goes away under the running service
    assert cc.model_state() == "down"
    verdict = cc.check("Cider makers warned that prices could rise.", article.id)
    assert verdict.evidence and all(q.verify(article) for q in verdict.evidence)
    assert cc.model_state() == "ready"
    assert llm.embedded_server(cc.settings) is not dead
    assert verdict.cached_tokens >= 100, "the new server restored the saved instructions"
    assert list((cc.settings.home / "kv").rglob("*.bin")) == [saved], "not saved twice"


def test_a_new_server_restores_the_article_an_earlier_one_read(
    cc: ClaimCheck, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the article is kept when the check shows it whole (not in the packaged model's view)
    monkeypatch.setattr(cc, "settings", cc.settings.model_copy(update={"check_view": "article"}))
    article = cc.ingest(ORCHARD)
    first = cc.check("Cider makers warned that prices could rise.", article.id)
    assert first.cached_tokens < first.input_tokens / 2, "the article was read"
    (saved,) = (cc.settings.home / "kv").rglob("*.bin")
    llm._stop_servers()  # a new server, as a new process has, with nothing cached
    cc._runner.forget()
    verdict = cc.check("A late frost hit the Valdera valley.", article.id)
    assert verdict.cached_tokens > 0.8 * verdict.input_tokens, "the saved article was restored"
    assert verdict.evidence and all(q.verify(article) for q in verdict.evidence)
    assert list((cc.settings.home / "kv").rglob("*.bin")) == [saved], "not saved twice"
