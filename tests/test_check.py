"""Claim checking with a scripted model: every branch, evidence always verbatim."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claimcheck import ClaimCheck, InputError, ModelError

from .articles import EXAMPLE, ORCHARD
from .fakes import ScriptedModel


def judged(label: str, reason: str = "Compared the claim with the evidence.") -> dict:
    return {"reason": reason, "label": label}


@pytest.fixture
def store(home: Path) -> Iterator[tuple[ClaimCheck, ScriptedModel, str, str]]:
    model = ScriptedModel([])
    with ClaimCheck(home=home, chat_model=model) as cc:
        orchard = cc.ingest(ORCHARD).id
        harbor = cc.ingest(EXAMPLE).id
        yield cc, model, orchard, harbor


def script(model: ScriptedModel, *answers: object) -> None:
    model.responses = [a if isinstance(a, str) else __import__("json").dumps(a) for a in answers]
    model.i = 0


def test_supported_with_exact_evidence(store) -> None:
    cc, model, orchard, _ = store
    script(model, judged("supported"))
    verdict = cc.check("A late frost hit apple blossom in the Valdera valley.", article_id=orchard)
    assert verdict.label == "supported" and verdict.model_label == "supported"
    assert verdict.score > 0.5
    article = cc.get(orchard)
    assert verdict.evidence and all(q.verify(article) for q in verdict.evidence)
    assert any("frost" in q.text for q in verdict.evidence)
    prompt = model.calls[-1]["messages"][1].content
    assert "Claim: A late frost hit apple blossom" in prompt and "[1] " in prompt
    schema = model.schema()
    assert schema["properties"]["label"]["enum"] == ["supported", "refuted", "not_enough_info"]
    assert list(schema["properties"]) == ["reason", "label"], "the reason comes first"


def test_a_number_the_article_never_mentions_overrules_the_model(store) -> None:
    cc, model, orchard, _ = store
    script(model, judged("supported"))
    verdict = cc.check("The cooperative expects a harvest of 150,000 tonnes.", article_id=orchard)
    assert verdict.model_label == "supported"
    assert verdict.label == "refuted", "the evidence gives other tonnages"
    assert any("150,000" in f for f in verdict.findings)
    assert "not in the article: 150,000" in verdict.reason
    assert verdict.score < 0.5


def test_a_fact_outside_the_top_sentences_is_added_to_the_evidence(store) -> None:
    cc, model, orchard, _ = store
    script(model, judged("supported"))
    verdict = cc.check("Marta Quell runs a 60-hectare orchard.", article_id=orchard)
    assert verdict.label == "supported" and verdict.findings == []
    assert any("60-hectare" in q.text for q in verdict.evidence)


def test_refuted_by_the_model(store) -> None:
    cc, model, orchard, _ = store
    script(model, judged("refuted", "The evidence says the harvest will fall."))
    verdict = cc.check("The cooperative expects the apple harvest to rise.", article_id=orchard)
    assert verdict.label == "refuted" and verdict.reason.startswith("The evidence says")


def test_a_flipped_negation_is_refuted(store) -> None:
    cc, model, orchard, _ = store
    script(model, judged("supported"))
    verdict = cc.check(
        "Cider makers did not warn that prices could rise by the autumn.", article_id=orchard
    )
    assert verdict.label == "refuted"
    assert any("negated" in f for f in verdict.findings)


def test_nothing_relevant_stored_is_not_enough_info_without_asking(store) -> None:
    cc, model, _, _ = store
    script(model)
    verdict = cc.check("Quantum chromodynamics explains quark confinement.")
    assert verdict.label == "not_enough_info" and verdict.evidence == []
    assert verdict.score == 0.0 and model.calls == []


def test_without_an_article_the_evidence_comes_from_the_right_one(store) -> None:
    cc, model, orchard, harbor = store
    script(model, judged("supported"))
    verdict = cc.check("The harbor tunnel will cost $2.4 billion.")
    assert {q.article_id for q in verdict.evidence} == {harbor}
    assert verdict.label == "supported"


def test_invalid_model_output_is_a_model_error(store) -> None:
    cc, model, orchard, _ = store
    script(model, "no json", {"label": "maybe"})
    with pytest.raises(ModelError, match="invalid twice"):
        cc.check("A late frost hit the Valdera valley.", article_id=orchard)


def test_check_text_reports_each_sentence(store) -> None:
    cc, model, orchard, _ = store
    script(model, judged("supported"), judged("refuted"))
    report = cc.check_text(
        "A late frost hit the Valdera valley. Growers expect a record harvest.", orchard
    )
    assert [v.label for v in report.verdicts] == ["supported", "refuted"]
    assert report.faithfulness == 0.5
    assert report.model_dump()["faithfulness"] == 0.5


@pytest.mark.parametrize(("claim", "message"), [("   ", "empty"), ("x" * 5000, "at most 2,000")])
def test_bad_claims_are_input_errors(store, claim: str, message: str) -> None:
    cc, _, orchard, _ = store
    with pytest.raises(InputError, match=message):
        cc.check(claim, article_id=orchard)
