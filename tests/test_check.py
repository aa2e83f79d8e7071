"""Claim checking with a scripted model: every branch, evidence always verbatim."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimcheck import ClaimCheck, InputError, ModelError
from claimcheck.check import BESIDE, another_value
from claimcheck.evidence import (
    fact_anchors,
    fact_found,
    find_facts,
    kinds_and_lemmas,
    normalize_words,
)
from claimcheck.furniture import evidence_sentences

from .articles import EXAMPLE, ORCHARD
from .fakes import JudgeModel, ScriptedModel


def judged(label: str, reason: str = "Compared the claim with the evidence.") -> dict:
    return {"reason": reason, "label": label}


@pytest.fixture
def store(home: Path) -> Iterator[tuple[ClaimCheck, ScriptedModel, str, str]]:
    model = ScriptedModel([])
    # a threshold set: the plain rule, the contradiction question deciding refuted or not; the
    # whole article shown (the evidence view has its own test)
    with ClaimCheck(home=home, chat_model=model, support_threshold=0.5, check_view="article") as cc:
        orchard = cc.ingest(ORCHARD).id
        harbor = cc.ingest(EXAMPLE).id
        yield cc, model, orchard, harbor


def test_supported_with_exact_evidence(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("yes")
    verdict = cc.check("A late frost hit apple blossom in the Valdera valley.", article_id=orchard)
    assert verdict.label == "supported" and verdict.model_label is None
    assert verdict.support == 1.0 and verdict.score == 1.0
    article = cc.get(orchard)
    assert verdict.evidence and all(q.verify(article) for q in verdict.evidence)
    assert any("frost" in q.text for q in verdict.evidence)
    # one call: one token with log-probabilities, the article then the claim then the question
    (support_call,) = model.calls
    asked = support_call["messages"][1].content
    assert asked.startswith("Article:\n") and "Claim: A late frost hit apple blossom" in asked
    assert asked.rstrip().endswith("Answer yes or no.") and "response_format" not in support_call
    # the whole article, then its best sentence again (BESIDE of them), then the claim
    assert asked.count("\n[") == BESIDE and asked.index("\n[") > len(cc.get(orchard).text)
    assert support_call["max_tokens"] == 1 and support_call["logprobs"] is True
    # the reason is written in code from what decided it: the evidence and the probability
    assert verdict.reason.startswith("The article says “") and "support probability 1.00" in (
        verdict.reason
    )
    assert verdict.explanation is None


def test_explain_asks_for_the_models_written_reason_on_the_same_prefix(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("yes", judged("refuted", "The article says the frost hit in April."))
    verdict = cc.check(FROST, article_id=orchard, explain=True)
    assert verdict.label == "supported", "the written label decides nothing"
    assert verdict.model_label == "refuted"
    assert verdict.explanation == "The article says the frost hit in April."
    support_call, reason_call = model.calls
    schema = model.response_schema(1)
    assert schema["properties"]["label"]["enum"] == ["supported", "refuted", "not_enough_info"]
    assert list(schema["properties"]) == ["reason", "label"], "the reason comes first"
    asked, reason = (str(c["messages"][1].content) for c in (support_call, reason_call))
    assert asked[: asked.index("Does the")] == reason[: reason.index("First write")]
    assert support_call["messages"][0].content == reason_call["messages"][0].content


def test_a_number_the_article_never_mentions_overrules_the_model(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("yes", "no")
    verdict = cc.check("The cooperative expects a harvest of 150,000 tonnes.", article_id=orchard)
    assert verdict.support == 1.0 and verdict.contradiction == 0.0
    assert verdict.label == "refuted", "the evidence gives other tonnages"
    assert any("150,000" in f for f in verdict.findings)
    assert "the article gives another value for 150,000" in verdict.reason
    assert verdict.reason.startswith("Refuted (the code's findings): the closest")
    assert verdict.score < 0.5


def test_a_fact_outside_the_top_sentences_is_added_to_the_evidence(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("yes")
    verdict = cc.check("Marta Quell runs a 60-hectare orchard.", article_id=orchard)
    assert verdict.label == "supported" and verdict.findings == []
    assert any("60-hectare" in q.text for q in verdict.evidence)


def test_refuted_by_the_model(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("no", "yes")
    verdict = cc.check("The cooperative expects the apple harvest to rise.", article_id=orchard)
    assert verdict.label == "refuted" and verdict.reason.startswith("Refuted (the article contr")
    assert verdict.support == 0.0 and verdict.score == 0.0 and verdict.contradiction == 1.0
    support, contradict = (str(c["messages"][1].content) for c in model.calls)
    assert "contradicts the claim" in contradict and model.calls[-1]["max_tokens"] == 1
    shared = support[: support.index("Does the")]
    assert contradict.startswith(shared) and "Claim: The cooperative expects" in shared, (
        "one prefix"
    )


def test_not_supported_and_not_contradicted_is_not_enough_info(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("no", "no")
    verdict = cc.check("The cooperative expects the apple harvest to rise.", article_id=orchard)
    assert verdict.label == "not_enough_info" and verdict.contradiction == 0.0
    assert verdict.reason.startswith("The article does not state it: closest is “")


def test_a_flipped_negation_is_refuted(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("yes", "no")
    verdict = cc.check(
        "Cider makers did not warn that prices could rise by the autumn.", article_id=orchard
    )
    assert verdict.label == "refuted"
    assert any("negated" in f for f in verdict.findings)


def test_a_negation_is_held_against_its_own_clause_of_a_joined_claim(store) -> None:
    cc, model, orchard, _ = store
    copied = (
        "Cider makers warned that prices could rise by the autumn; we have not seen "
        "temperatures like this in April for forty years."
    )
    model.enqueue("yes")
    assert cc.check(copied, article_id=orchard).label == "supported"
    # and a joined sentence as the evidence: the claim is held against its own clause
    model.enqueue("yes")
    warned = "Cider makers warned that prices could rise by the autumn."
    assert cc.check(warned, text=copied).label == "supported"
    flipped = (
        "Cider makers warned that prices could rise by the autumn; the cooperative does not "
        "expect the harvest to fall to about 110,000 tonnes."
    )
    model.enqueue("yes", "no")
    verdict = cc.check(flipped, article_id=orchard)
    assert verdict.label == "refuted"
    assert any("the clause is negated" in f and "cooperative" in f for f in verdict.findings)


def test_nothing_relevant_stored_is_not_enough_info_without_asking(store) -> None:
    cc, model, _, _ = store
    model.enqueue()
    verdict = cc.check("Quantum chromodynamics explains quark confinement.")
    assert verdict.label == "not_enough_info" and verdict.evidence == []
    assert verdict.score == 0.0 and model.calls == []


def test_without_an_article_the_evidence_comes_from_the_right_one(store) -> None:
    cc, model, orchard, harbor = store
    model.enqueue("yes")
    verdict = cc.check("The harbor tunnel will cost $2.4 billion.")
    assert {q.article_id for q in verdict.evidence} == {harbor}
    assert verdict.label == "supported"
    # the evidence is of one article: it is shown whole, as for a check against it
    asked = str(model.calls[0]["messages"][1].content)
    assert asked.startswith("Article:\nPort Merrow council") and asked.count("\n[") == BESIDE


def test_an_invalid_explanation_is_a_model_error(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("yes", "no json", {"label": "maybe"})
    with pytest.raises(ModelError, match="invalid twice"):
        cc.check("A late frost hit the Valdera valley.", article_id=orchard, explain=True)


def test_check_text_reports_each_sentence(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("yes", "no", "yes")
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


FROST = "A late frost hit apple blossom in the Valdera valley."


def judge_store(
    home: Path, yes: float, contradicts: float = 0.0, label: str = "supported", **settings: Any
) -> tuple[ClaimCheck, str]:
    model = JudgeModel(judgement=judged(label), yes=yes, contradicts=contradicts)
    cc = ClaimCheck(home=home, chat_model=model, **settings)
    return cc, cc.ingest(ORCHARD).id


@pytest.mark.parametrize(
    ("yes", "contradicts", "expected"),
    [
        (0.8, 0.9, "supported"),  # supported: the contradiction question is not asked
        (0.95, 0.0, "supported"),
        (0.3, 0.2, "not_enough_info"),  # not supported, not contradicted, nothing found wrong
        (0.3, 0.7, "refuted"),  # the contradiction probability tells refuted from absent
        (0.1, 0.5, "refuted"),
    ],
)
def test_the_support_probability_decides_whether_a_claim_is_supported(
    home: Path, yes: float, contradicts: float, expected: str
) -> None:
    cc, orchard = judge_store(home, yes, contradicts, support_threshold=0.5)
    with cc:
        verdict = cc.check(FROST, article_id=orchard)
    assert verdict.support == pytest.approx(yes)
    assert verdict.label == expected and verdict.model_label is None
    assert verdict.score == pytest.approx(yes, abs=1e-3)
    if expected == "supported":
        assert verdict.contradiction is None, "asked only when not supported"
        assert "contradiction" not in verdict.signals
    else:
        assert verdict.contradiction == pytest.approx(contradicts), "recorded"
        assert verdict.signals["contradiction"] == pytest.approx(
            math.log(contradicts / (1 - contradicts)), abs=1e-3
        )


def test_the_threshold_is_a_setting(home: Path) -> None:
    for threshold, expected in [(0.6, "supported"), (0.7, "not_enough_info")]:
        cc, orchard = judge_store(home, 0.65, support_threshold=threshold)
        with cc:
            assert cc.check(FROST, article_id=orchard).label == expected


def test_a_likely_claim_is_still_refuted_by_the_codes_findings(home: Path) -> None:
    cc, orchard = judge_store(home, 0.95, support_threshold=0.5)
    with cc:
        verdict = cc.check("The cooperative expects a harvest of 150,000 tonnes.", orchard)
    assert verdict.label == "refuted" and verdict.support == pytest.approx(0.95)
    assert verdict.score == pytest.approx(0.5 / 2, abs=1e-3), "half the threshold: one finding"
    assert verdict.contradiction is not None, "recorded for calibration"


def test_with_the_packaged_model_a_finding_is_reported_but_does_not_overrule(home: Path) -> None:
    claim = "A late frost hit apple blossom in the Valdera valley, Greenpeace said."
    cc, orchard = judge_store(home, 0.95, 0.3)  # no threshold set: the packaged model's rule
    with cc:
        verdict = cc.check(claim, orchard)
        assert verdict.label == "supported" and verdict.score == pytest.approx(0.95, abs=1e-3)
        assert any("Greenpeace" in f for f in verdict.findings)
        assert "The code found: not in the article: Greenpeace" in verdict.reason
    # a claim the model does not support is still refuted by another value for it
    cc, orchard = judge_store(home, 0.2, 0.1)
    with cc:
        verdict = cc.check("The cooperative expects a harvest of 150,000 tonnes.", orchard)
    assert verdict.label == "refuted" and "another value" in verdict.reason


def test_an_answer_neither_yes_nor_no_is_not_supported(store) -> None:
    cc, model, orchard, _ = store
    model.enqueue("Perhaps", "Perhaps")
    verdict = cc.check(FROST, article_id=orchard)
    assert verdict.support is None and verdict.contradiction is None
    assert verdict.label == "not_enough_info" and verdict.score == 0.0
    assert "the model answered neither yes nor no" in verdict.reason


def test_a_name_the_article_lacks_is_not_supported_and_not_refuted(home: Path) -> None:
    claim = "A late frost hit apple blossom in the Valdera valley, Greenpeace said."
    cc, orchard = judge_store(home, 0.95, 0.3, support_threshold=0.5)
    with cc:
        verdict = cc.check(claim, orchard)
    assert verdict.label == "not_enough_info" and any("Greenpeace" in f for f in verdict.findings)
    assert "not in the article: Greenpeace" in verdict.reason


def test_the_article_comes_first_whole_then_the_claim(home: Path) -> None:
    model = JudgeModel(judgement=judged("supported"), yes=0.9)
    with ClaimCheck(home=home, chat_model=model, support_threshold=0.5, check_view="article") as cc:
        orchard = cc.ingest(ORCHARD)
        cc.check(FROST, orchard.id)
        cc.check("Cider makers warned that prices could rise.", orchard.id)
        cc.check("Growers expect a record harvest.", orchard.id, explain=True)
    prompts = [str(call["messages"][1].content) for call in model.calls]
    first = " ".join(orchard.text.split()[:12])
    for prompt in prompts:
        assert prompt.startswith("Article:\n") and first in " ".join(prompt.split())
    # every call on the article shares the article as its prefix: the server's cache
    shown = f"Article:\n{orchard.text.strip()}\n\n"
    assert all(p.startswith(shown) for p in prompts) and len(prompts) == 4


def test_the_evidence_view_shows_the_best_sentences_and_never_the_article(home: Path) -> None:
    model = JudgeModel(judgement=judged("supported"), yes=0.9)
    with ClaimCheck(home=home, chat_model=model, check_view="evidence") as cc:
        orchard = cc.ingest(ORCHARD)
        verdict = cc.check(FROST, orchard.id)
    (prompt,) = [str(call["messages"][1].content) for call in model.calls]
    assert prompt.startswith("Article (sentences of the stored articles):\n[1] ")
    assert "Article:\n" not in prompt and len(prompt) < len(orchard.text)
    assert all(q.text in prompt for q in verdict.evidence), "every evidence sentence is shown"
    assert prompt.index("[1] ") < prompt.index(f"Claim: {FROST}")


def test_a_long_article_is_shown_by_the_paragraphs_around_the_evidence() -> None:
    from claimcheck.check import Asking, document
    from claimcheck.evidence import Evidence
    from claimcheck.models import Article
    from claimcheck.structured import Usage
    from claimcheck.text import Span

    filler = "\n\n".join(f"Paragraph {i} is about the weather in the hills." for i in range(400))
    text = filler + "\n\nThe frost hit the blossom in April.\n\nThe end of the story."
    article = Article(id="a" * 16, text=text, ingested_at="2026-01-01T00:00:00Z")
    start = text.index("The frost")
    evidence = [Evidence(article, Span(start, start + 35), 0.9, 0.5)]
    shown, whole = document(evidence, budget=2000)
    assert "The frost hit the blossom in April." in shown and "Paragraph 3 " not in shown
    assert len(shown) < 2000 and not whole
    other = Article(id="b" * 16, text="The frost came.", ingested_at="2026-01-01T00:00:00Z")
    corpus = [*evidence, Evidence(other, Span(0, 15), 0.5, 0.5)]
    assert document(corpus) == ("", False)
    # without the whole article the numbered evidence is shown, first in the prompt
    asked = Asking(ScriptedModel(), "The frost came in April.", corpus, Usage())
    prompt = str(asked.messages("support")[1].content)
    assert prompt.startswith("Article (sentences of the stored articles):\n[1] The frost hit")
    assert "[2] The frost came." in prompt
    # beside a part of the article, every evidence sentence; beside a whole one, the best
    part = str(Asking(ScriptedModel(), "x", evidence[:1], Usage()).messages("support")[1].content)
    assert part.index("Article (the paragraphs") < part.index("Evidence:\n[1] The frost")
    short = Article(
        id="c" * 16, text="The frost came. It hit apples.", ingested_at=article.ingested_at
    )
    two = [Evidence(short, Span(0, 15), 0.2, 0.5), Evidence(short, Span(16, 30), 0.9, 0.5)]
    for beside, shown in [(0, ""), (1, "Evidence:\n[1] It hit apples.\n\n"), (2, "[2] It hit")]:
        prompt = str(
            Asking(ScriptedModel(), "x", two, Usage(), beside).messages("support")[1].content
        )
        assert prompt.startswith("Article:\nThe frost came. It hit apples.\n\n")
        assert shown in prompt and ("Evidence" in prompt) == bool(beside)


class NoLogprobs(JudgeModel):
    """A chat model that rejects the log-probability parameters, as some servers do."""

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any):
        if "logprobs" in kwargs:
            raise ValueError("unsupported parameter: logprobs")
        return super()._generate(messages, stop, run_manager, **kwargs)


def test_a_model_that_refuses_logprobs_is_asked_plainly(home: Path) -> None:
    model = NoLogprobs(judgement=judged("refuted"), yes=0.9)  # its written label is not asked
    with ClaimCheck(home=home, chat_model=model, support_threshold=0.5) as cc:
        verdict = cc.check(FROST, article_id=cc.ingest(ORCHARD).id)
    assert verdict.support == 1.0 and verdict.label == "supported", "from the answer's text"
    assert "logprobs" not in model.calls[-1]


def test_a_detail_the_article_never_gives_is_missing_not_another_value(home: Path) -> None:
    # the article gives dates ("on Tuesday night", "last year"), but none for a founding
    cc, orchard = judge_store(home, 0.2, 0.3, support_threshold=0.5)
    with cc:
        verdict = cc.check("The regional farmers' cooperative was founded in 1952.", orchard)
    assert any("1952" in f for f in verdict.findings)
    assert verdict.label == "not_enough_info", "not the same thing as any dated sentence"


@pytest.mark.parametrize(
    ("claim", "another"),
    [
        # the same thing (the harvest the cooperative expects), another value: refuted
        ("The cooperative expects a harvest of about 150,000 tonnes.", True),
        # the same words, but the number is of something the sentence does not speak of
        ("The cooperative expects to hire 150,000 pickers.", False),
        # the same thing, but the sentence gives no value of that kind
        ("Cider makers warned in 2019 that prices could rise.", False),
    ],
)
def test_another_value_needs_the_same_thing(claim: str, another: bool) -> None:
    evidence = [
        "The cooperative expects the harvest to fall to about 110,000 tonnes.",
        "Cider makers warned that prices could rise by the autumn.",
    ]
    shown = kinds_and_lemmas(evidence)
    facts, _ = find_facts(claim)
    fact, label = facts[0]
    anchor = fact_anchors(claim).get(fact)
    assert another_value(claim, facts, label, shown, anchor) is another


@pytest.mark.parametrize(
    ("fact", "label", "found"),
    [
        ("6 million euros", "MONEY", False),  # not the 6 of "11 to 6"
        ("4 million euros", "MONEY", True),
        ("9 percent", "PERCENT", True),
        ("35 years ago", "DATE", False),
        ("11", "CARDINAL", True),
        ("last week", "DATE", True),  # no digits: not a fact to look for
        ("Nordvind's", "ORG", True),  # the possessive is not part of the name
        ("Nordvind’s", "ORG", True),
    ],
)
def test_a_number_is_found_with_its_magnitude(fact: str, label: str, found: bool) -> None:
    haystack = normalize_words(
        "The council voted 11 to 6 in favour. Nordvind will pay 4 million euros, 9 percent more."
    )
    assert fact_found(fact, label, haystack) is found


def test_a_fact_tells_about_its_nearest_content_word() -> None:
    assert fact_anchors("The cooperative expects a harvest of about 150,000 tonnes.") == {
        "about 150,000 tonnes": "harvest"
    }
    assert fact_anchors("The company was founded in 1952.") == {"1952": "found"}
    assert fact_anchors("The last strike was in 2015.") == {}, "be is no anchor; the root ends"


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        # not supported, and the article speaks of the same thing: refuted
        (
            "Growers in the Valdera valley lost half of their apple blossom to a late frost.",
            "refuted",
        ),
        # not supported, and the article does not speak of it: not enough info
        ("The cooperative's chairman resigned after the frost.", "not_enough_info"),
    ],
)
def test_the_packaged_models_rule(home: Path, claim: str, expected: str) -> None:
    model = ScriptedModel(["no", "no"])  # not supported, not contradicted
    with ClaimCheck(home=home, chat_model=model) as cc:  # the packaged 1.5B's chosen rule
        orchard = cc.ingest(ORCHARD).id
        verdict = cc.check(claim, orchard)
    assert len(model.calls) == 2, "the contradiction question is asked of a claim not supported"
    assert "Article:\n" not in str(model.calls[0]["messages"][1].content), "the evidence view"
    assert verdict.contradiction == 0.0 and verdict.label == expected
    if expected == "refuted":
        assert verdict.signals["similarity"] >= 0.7
        assert "speaks of the same thing" in verdict.reason


@pytest.mark.parametrize(
    ("fact", "found"),
    [("$2 billion", True), ("US$2 billion", True), ("$40", True), ("$3 billion", False)],
)
def test_a_dollar_sign_with_a_countrys_letters_is_a_dollar_sign(fact: str, found: bool) -> None:
    haystack = normalize_words("Blinken pledged $2.5b ($US2 billion); a fare costs A$40.")
    assert fact_found(fact, "MONEY", haystack) is found
    assert normalize_words("the US economy") == "the us economy", "letters alone stay"


def test_covering_adds_the_sentence_that_names_the_speaker() -> None:
    from claimcheck.evidence import Evidence, covering
    from claimcheck.models import Article
    from claimcheck.text import Span

    text = (
        "“Two hot summers did the work of a decade,” said the lead author, Lukas Maier. "
        "He said the losses were twice as fast as before 2020. "
        "The team measured 38 glaciers."
    )
    article = Article(id="c" * 16, text=text, ingested_at="2026-01-01T00:00:00Z")
    starts = [0, text.index("He said"), text.index("The team"), len(text) + 1]
    spans = [Span(a, b - 1) for a, b in zip(starts, starts[1:], strict=False)]
    named, quoted, measured = (
        Evidence(article, s, sim, 0.3) for s, sim in zip(spans, (0.4, 0.9, 0.2), strict=True)
    )
    claim = "Lukas Maier said the ice was lost twice as fast as before 2020."
    assert covering(claim, [named, quoted, measured], 1) == [quoted, named]
    # a claim whose facts the best sentence holds gets that sentence alone
    assert covering(
        "The losses were twice as fast as before 2020.", [named, quoted, measured], 1
    ) == [quoted]
    assert covering(claim, [named, quoted, measured], 2) == [quoted, named]


def test_a_link_teaser_or_the_comment_form_is_never_evidence(home: Path) -> None:
    page = (
        ORCHARD
        + "\nREAD MORE: Warren Buffett finally reveals the company he's invested $10 billion in\n"
        + "\nLeave a Reply\n\nYour email address will not be published.\n"
    )
    model = JudgeModel(judgement=judged("supported"), yes=0.9)
    with ClaimCheck(home=home, chat_model=model, check_view="evidence") as cc:
        article = cc.ingest(page)
        verdict = cc.check("Warren Buffett invested $10 billion in a company.", article.id)
    prompts = [str(call["messages"][1].content) for call in model.calls]
    assert not any("Buffett" in p or "email" in p for p in prompts)
    assert not any("Buffett" in q.text for q in verdict.evidence)
    assert verdict.label != "supported"
    # the headline stays: it is the outlet's statement of the story
    kept = [page[s.start : s.end] for s in evidence_sentences(page)]
    assert kept[0] == "Late frost threatens Valdera apple harvest"
    assert not any("READ MORE" in k or "Buffett" in k or "Leave a Reply" in k for k in kept)


def test_a_fact_only_a_teaser_holds_is_not_found_in_the_article(home: Path) -> None:
    page = ORCHARD + "\nREAD MORE: Buffett reveals the company he put $10 billion in\n"
    model = JudgeModel(judgement=judged("supported"), yes=0.9, contradicts=0.1)
    with ClaimCheck(home=home, chat_model=model, support_threshold=0.5) as cc:
        article = cc.ingest(page)
        verdict = cc.check("Growers in the Valdera valley lost $10 billion.", article.id)
    assert not any("Buffett" in q.text for q in verdict.evidence)
    assert any("10 billion" in f for f in verdict.findings), "not in the article's own text"
    assert verdict.label != "supported"
