"""The claims chain with a scripted model: every branch, every quote exact."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claimcheck import claims
from claimcheck.attribution import find_candidates
from claimcheck.errors import ModelError
from claimcheck.models import Article
from claimcheck.text import article_id

from .articles import EXAMPLE
from .fakes import ScriptedModel

TEXT = (
    "Mayor Ana Ruiz said the tunnel would open in 2033.\n\n"
    "“We have debated this for ten years,” she said.\n\n"
    "Asked about a referendum, she said: “Why would we?”\n"
)


def article(text: str = TEXT) -> Article:
    return Article(id=article_id(text), text=text, ingested_at=datetime.now(UTC))


def answers_for(text: str, **overrides: dict) -> dict:
    """A well-formed answer: a claim for every candidate, with overrides by id."""
    out = []
    for i, cand in enumerate(find_candidates(text), 1):
        item: dict[str, str | None] = {"claim": f"Claim number {i} by Ruiz."}
        if cand.speaker is None:
            item["speaker"] = None
        item.update(overrides.get(str(i), {}))
        out.append(item)
    return {"claims": out}


def test_claims_carry_exact_quotes_speakers_and_cues() -> None:
    a = article()
    model = ScriptedModel([answers_for(TEXT, **{"3": {"claim": ""}})])
    found, stats = claims.extract(a, model)
    assert stats.candidates == 3 and stats.kept == 2 and stats.dropped_by_model == 1
    first, second = found
    assert first.speaker == "Ana Ruiz" or first.speaker == "Mayor Ana Ruiz"
    assert first.kind == "indirect" and first.cue == "said"
    assert [q.text for q in first.quote] == ["the tunnel would open in 2033"]
    assert second.kind == "direct" and second.speaker == first.speaker, "she -> Ruiz"
    for claim in found:
        for quote in claim.quote:
            assert quote.verify(a)
        assert claim.speaker_span is not None and claim.speaker_span.verify(a)


def test_the_schema_binds_each_answer_to_its_attribution() -> None:
    model = ScriptedModel([answers_for(TEXT)])
    claims.extract(article(), model)
    schema = model.response_schema()
    items = schema["properties"]["claims"]
    assert items["minItems"] == items["maxItems"] == len(items["prefixItems"]) == 3
    assert all(i["required"][-1] == "claim" for i in items["prefixItems"])
    # Only attributions the parser could not name ask the model for a speaker.
    asks = ["speaker" in i["properties"] for i in items["prefixItems"]]
    assert asks == [c.speaker is None for c in find_candidates(TEXT)]
    prompt = model.calls[0]["messages"][1].content
    assert "Mayor Ana Ruiz said the tunnel" in prompt and "1 | " in prompt


def test_a_claim_without_its_speaker_is_made_to_name_it() -> None:
    answer = answers_for(TEXT, **{"1": {"claim": "The tunnel would open in 2033."}})
    found, _ = claims.extract(article(), ScriptedModel([answer]))
    assert found[0].claim.endswith("said the tunnel would open in 2033.")
    assert "Ruiz" in found[0].claim


def test_an_ungrounded_or_pronoun_speaker_from_the_model_is_not_used() -> None:
    text = "“The vote was rushed,” an official said.\n"
    cands = find_candidates(text)
    assert len(cands) == 1
    for bad in ("she", "Vladimir Nabokov"):
        answer = {"claims": [{"speaker": bad, "claim": "The vote was rushed."}]}
        if cands[0].speaker is not None:
            answer["claims"][0].pop("speaker")
        (claim,), _ = claims.extract(article(text), ScriptedModel([answer]))
        assert claim.speaker in (None, "an official")


def test_invalid_output_is_retried_once_then_a_model_error() -> None:
    good = answers_for(TEXT)
    model = ScriptedModel(["not json", good])
    found, stats = claims.extract(article(), model)
    assert len(found) == 3 and len(model.calls) == 2
    too_few = {"claims": [{"claim": "x"}] * 2}
    with pytest.raises(ModelError, match="invalid twice") as info:
        claims.extract(article(), ScriptedModel(["{broken", too_few]))
    assert "expected 3 answers, got 2" in str(info.value)
    assert info.value.raw is not None


def test_an_article_without_attributions_makes_no_model_call() -> None:
    model = ScriptedModel([])
    found, stats = claims.extract(article("The bridge opened in 1965.\n"), model)
    assert found == [] and stats.candidates == 0 and model.calls == []


def test_long_lists_are_sent_in_batches_that_keep_their_order() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    cands = find_candidates(text)
    assert len(cands) > claims.BATCH
    responses = []
    for first in range(0, len(cands), claims.BATCH):
        batch = cands[first : first + claims.BATCH]
        items = []
        for i, cand in enumerate(batch, first + 1):
            item: dict[str, str | None] = {"claim": f"Claim {i}."}
            if cand.speaker is None:
                item["speaker"] = None
            items.append(item)
        responses.append({"claims": items})
    model = ScriptedModel(responses)
    found, stats = claims.extract(article(text), model)
    assert len(model.calls) == len(responses) and stats.kept == len(cands)
    # Each answer lands on its own attribution, across batches.
    assert found[claims.BATCH].claim.lower().endswith(f"claim {claims.BATCH + 1}.")
    assert [(q.start, q.end) for q in found[claims.BATCH].quote] == [
        (s.start, s.end) for s in cands[claims.BATCH].content
    ]
    second_prompt = model.calls[1]["messages"][1].content
    assert f"\n{claims.BATCH + 1} | " in second_prompt
