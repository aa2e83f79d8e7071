"""ClaimCheck's model tasks with a scripted model: caching, refresh, errors, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck import ClaimCheck, InputError, NotFound

from .articles import ORCHARD
from .fakes import ScriptedModel, claims_answer

SUMMARY = {"sentences": [{"text": "A late frost hit the Valdera valley.", "cites": [2]}]}


def test_summaries_are_cached_until_refresh_or_delete(home: Path) -> None:
    model = ScriptedModel([SUMMARY] * 3)  # the first call, other options, refresh
    with ClaimCheck(home=home, chat_model=model) as cc:
        article = cc.ingest(ORCHARD)
        first = cc.summarize(article.id, sentences=2)
        assert not first.cached and first.model == "custom:ScriptedModel"
        assert first.sentences[0].citations[0].verify(article)
        again = cc.summarize(article.id, sentences=2)
        assert again.cached and again.sentences == first.sentences
        assert len(model.calls) == 1
        assert not cc.summarize(article.id, sentences=1).cached, "other options, other key"
        assert not cc.summarize(article.id, sentences=2, refresh=True).cached
        assert len(model.calls) == 3
        cc.delete(article.id)
        with pytest.raises(NotFound):
            cc.summarize(article.id)
        assert list((home / "cache").glob("*/*.json")) == []


def test_claims_are_cached_and_every_quote_is_exact(home: Path) -> None:
    model = ScriptedModel([claims_answer(ORCHARD)])
    with ClaimCheck(home=home, chat_model=model) as cc:
        article = cc.ingest(ORCHARD)
        result = cc.claim_set(article.id)
        assert result.claims and not result.cached
        assert all(q.verify(article) for c in result.claims for q in c.quote)
        assert cc.claims(article.id) == result.claims
        assert len(model.calls) == 1


def test_bad_requests_are_input_errors(home: Path) -> None:
    with ClaimCheck(home=home, chat_model=ScriptedModel([])) as cc:
        article = cc.ingest(ORCHARD)
        with pytest.raises(InputError, match="between 1 and 10"):
            cc.summarize(article.id, sentences=0)
        with pytest.raises(NotFound):
            cc.claims("0000000000000000")


def test_cli_summarize_and_claims(home: Path, monkeypatch, tmp_path: Path) -> None:
    import claimcheck.cli as cli

    responses = [SUMMARY, claims_answer(ORCHARD)]
    monkeypatch.setattr(
        cli.common, "_open", lambda: ClaimCheck(home=home, chat_model=ScriptedModel(responses))
    )
    path = tmp_path / "orchard.txt"
    path.write_text(ORCHARD, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli.app, ["summarize", "--file", str(path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    quote = summary["sentences"][0]["citations"][0]
    assert ORCHARD[quote["start"] : quote["end"]] == quote["text"]
    result = runner.invoke(cli.app, ["claims", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert "quote [" in result.stdout and "speaker: Marta Quell" in result.stdout
    result = runner.invoke(cli.app, ["claims", "--json"])
    assert result.exit_code == 2 and "ID or --file" in result.stdout + result.stderr


def test_cli_check_and_check_text(home: Path, monkeypatch, tmp_path: Path) -> None:
    import claimcheck.cli as cli

    judged = {"reason": "The evidence says so.", "label": "supported"}
    model = ScriptedModel(["yes"] * 3)  # a check, then two sentences checked: one token each
    monkeypatch.setattr(cli.common, "_open", lambda: ClaimCheck(home=home, chat_model=model))
    path = tmp_path / "orchard.txt"
    path.write_text(ORCHARD, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        cli.app, ["check", "A late frost hit the Valdera valley.", "--file", str(path), "--json"]
    )
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout)
    assert verdict["label"] == "supported"
    assert all(ORCHARD[q["start"] : q["end"]] == q["text"] for q in verdict["evidence"])
    article_id = verdict["evidence"][0]["article_id"]
    summary = tmp_path / "summary.txt"
    summary.write_text("A late frost hit the valley. Growers lit straw fires.", encoding="utf-8")
    result = runner.invoke(cli.app, ["check-text", str(summary), "--article", article_id])
    assert result.exit_code == 0, result.output
    assert "faithfulness: 1.00" in result.stdout
    # --explain adds the model's written reason and label, on the same prefix
    model.enqueue("yes", judged)
    claim = "A late frost hit the Valdera valley."
    result = runner.invoke(cli.app, ["check", claim, "--article", article_id, "--explain"])
    assert result.exit_code == 0, result.output
    assert "   reason: The article says “" in result.stdout
    assert "   the model: supported: The evidence says so." in result.stdout
    result = runner.invoke(cli.app, ["check", " ", "--article", article_id, "--json"])
    assert result.exit_code == 2 and json.loads(result.stdout)["error"]["type"] == "InputError"
