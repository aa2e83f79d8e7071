"""The gold of the project's own test set is itself checked, so bad gold cannot slip in."""

from __future__ import annotations

import re

import pytest

from claimcheck.evidence import content_words
from evals.cases import LABELS, build, load_cases

CASES = load_cases()


def test_there_are_cases() -> None:
    assert CASES, "evals/cases holds no case"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_gold_offsets_match_the_text(case) -> None:
    text = case.text
    assert 250 <= len(text.split()) <= 900, "articles are 250 to 900 words"
    for a in case.data["attributions"]:
        assert a["kind"] in ("direct", "indirect")
        assert a["content"], "an attribution has content"
        for c in a["content"]:
            start, end = c["span"]
            assert text[start:end] == c["text"]
        if a.get("source"):
            start, end = a["source"]["span"]
            assert text[start:end] == a["source"]["text"]
    for claim in case.data["claims"]:
        assert claim["label"] in LABELS and claim["claim"].strip()
    assert {c["label"] for c in case.data["claims"]} <= set(LABELS)
    names = {c.name for c in CASES}
    for q in case.data["questions"]:
        if q["article"] is None:  # no stored article answers it: the right answer is a refusal
            assert q["answer_facts"] == []
        else:
            assert q["article"] in names
            assert q["answer_facts"] and all(f in text for f in q["answer_facts"])
    assert case.data["summary"].strip()
    # the facts a summary must carry, in words mostly the article's own, numbers all its own
    facts = case.data["key_facts"]
    assert 3 <= len(facts) <= 5 and len(set(facts)) == len(facts)
    for fact in facts:
        words = content_words(fact)
        assert len(words & content_words(text)) >= 0.6 * len(words), fact
        assert all(n in text for n in re.findall(r"\d[\d,.:]*\d|\d", fact)), fact


def test_build_refuses_missing_and_ambiguous_snippets() -> None:
    spec = {"attributions": [{"content": ["said no"], "source": "[He] said no"}]}
    built = build(spec, "He said no. She agreed.")
    assert built["attributions"][0]["source"] == {"text": "He", "span": [0, 2]}
    with pytest.raises(ValueError, match="not in the text"):
        build({"attributions": [{"content": ["nothing"]}]}, "He said no.")
    with pytest.raises(ValueError, match="more than once"):
        build({"attributions": [{"content": ["no"]}]}, "no and no")
