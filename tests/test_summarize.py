"""The summary chain with a scripted model: citations become exact spans."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claimcheck import summarize
from claimcheck.errors import ModelError
from claimcheck.models import Article
from claimcheck.text import article_id, sentences

from .articles import EXAMPLE
from .fakes import ScriptedModel


def article(text: str) -> Article:
    return Article(id=article_id(text), text=text, ingested_at=datetime.now(UTC))


def test_each_sentence_cites_exact_article_sentences() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = sentences(text)[1:]  # not the headline
    model = ScriptedModel(
        [
            {
                "sentences": [
                    {"text": "The council approved a $2.4 billion tunnel.", "cites": [1, 2]},
                    {"text": "Wren doubts the estimate.", "cites": [7]},
                ]
            }
        ]
    )
    result, map_reduce = summarize.summarize(article(text), model, n_sentences=3)
    assert not map_reduce
    assert [s.text for s in result] == [
        "The council approved a $2.4 billion tunnel.",
        "Wren doubts the estimate.",
    ]
    assert [(q.start, q.end) for q in result[0].citations] == [tuple(spans[0]), tuple(spans[1])]
    assert result[1].citations[0].text == text[spans[6].start : spans[6].end]
    schema = model.response_schema()
    assert schema["properties"]["sentences"]["maxItems"] == 3
    item = schema["properties"]["sentences"]["items"]["properties"]["cites"]["items"]
    assert item == {"type": "integer", "minimum": 1, "maximum": len(spans)}
    shown = model.calls[0]["messages"][1].content
    assert "[1] PORT MERROW — The city council voted" in shown
    assert "Port Merrow council approves" not in shown  # the headline is no summary sentence


def test_a_citation_out_of_range_is_retried_then_fails() -> None:
    text = "The bridge opened in 1965. It carries 52,000 vehicles a day."
    bad = {"sentences": [{"text": "It opened in 1965.", "cites": [5]}]}
    good = {"sentences": [{"text": "It opened in 1965.", "cites": [1]}]}
    result, _ = summarize.summarize(article(text), ScriptedModel([bad, good]))
    assert result[0].citations[0].text == "The bridge opened in 1965."
    with pytest.raises(ModelError, match="cites.0: Input should be less than or equal to 2"):
        summarize.summarize(article(text), ScriptedModel([bad, bad]))


def test_long_articles_are_mapped_then_reduced_with_citations_kept() -> None:
    text = "\n\n".join(
        f"Paragraph {i} reports that the harbor tunnel costs rose by {i} percent this year."
        for i in range(1, 200)
    )
    spans = sentences(text)
    n_windows = len(summarize.windows(spans, 1200, 1))
    assert n_windows > 1

    def note(cites: list[int]) -> dict:
        return {"sentences": [{"text": "A note.", "cites": cites}]}

    # Every map call cites its window's first two sentences; the reduce cites note 2.
    responses = [note([1, 2])] * n_windows + [
        {"sentences": [{"text": "Costs rose all year.", "cites": [2]}]}
    ]
    model = ScriptedModel(responses)
    result, map_reduce = summarize.summarize(
        article(text), model, n_sentences=1, context_tokens=1200
    )
    assert map_reduce
    assert len(model.calls) == n_windows + 1
    (sentence,) = result
    assert sentence.text == "Costs rose all year."
    # Note 2 came from the second window and cited that window's first two sentences.
    second = summarize.windows(spans, 1200, 1)[1]
    assert [q.text for q in sentence.citations] == [
        text[spans[second[0]].start : spans[second[0]].end],
        text[spans[second[1]].start : spans[second[1]].end],
    ]


def test_page_furniture_is_never_shown_and_a_repeat_is_left_out() -> None:
    text = (
        "Ferry fares to rise by a fifth\n\n"
        "By Maren Holt\n\n"
        "Ferry fares will rise by about 20 percent in June, the port authority said.\n\n"
        "READ MORE: Bridge to the islands would cost twice the estimate\n\n"
        "Ferry fares to rise by a fifth\n\n"
        "A single adult ticket will go from 42 to 50 crowns.\n"
    )
    model = ScriptedModel(
        [
            {
                "sentences": [
                    {"text": "Fares will rise by 20 percent in June.", "cites": [1]},
                    {"text": "Fares will rise by 20 percent in June, it said.", "cites": [1]},
                    {"text": "A ticket will cost 50 crowns.", "cites": [2, 2]},
                ]
            }
        ]
    )
    result, _ = summarize.summarize(article(text), model, n_sentences=3)
    numbered = [
        line for line in model.calls[0]["messages"][1].content.splitlines() if line[:1] == "["
    ]
    assert [line.split("] ", 1)[1] for line in numbered] == [
        "Ferry fares will rise by about 20 percent in June, the port authority said.",
        "A single adult ticket will go from 42 to 50 crowns.",
    ]  # no headline (twice), byline or teaser
    assert [s.text for s in result] == [
        "Fares will rise by 20 percent in June.",
        "A ticket will cost 50 crowns.",
    ]  # the second sentence only repeated the first
    assert len(result[1].citations) == 1
