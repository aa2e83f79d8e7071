"""The summary chain with a scripted model: citations become exact spans."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claimcheck import summarize
from claimcheck.errors import ModelError
from claimcheck.furniture import dateline
from claimcheck.models import Article
from claimcheck.text import article_id, sentences

from .articles import EXAMPLE
from .fakes import ScriptedModel


def article(text: str) -> Article:
    return Article(id=article_id(text), text=text, ingested_at=datetime.now(UTC))


def test_each_sentence_cites_exact_article_sentences() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = sentences(text)[1:]  # not the headline
    wren = "Wren will ask the regional auditor to review the cost estimate."
    model = ScriptedModel(
        [
            {
                "sentences": [
                    {
                        "text": "The council voted 7–4 to build a $2.4 billion tunnel.",
                        "cites": [1, 3],
                    },
                    {"text": wren, "cites": [5]},
                ]
            },
        ]
    )
    result = summarize.summarize(article(text), model, n_sentences=3)
    assert [s.text for s in result] == [
        "The council voted 7–4 to build a $2.4 billion tunnel.",
        wren,
    ]
    # the first sentence without its dateline ("PORT MERROW — ")
    first = (spans[0].start + len("PORT MERROW — "), spans[0].end)
    assert [(q.start, q.end) for q in result[0].citations] == [first, tuple(spans[3])]
    assert result[1].citations[0].text == text[spans[7].start : spans[7].end]
    schema = model.response_schema()
    # short sentences, two per summary sentence, from one more line than that
    short = 3 * summarize.FACTS_PER_SENTENCE
    assert schema["properties"]["sentences"]["maxItems"] == short
    item = schema["properties"]["sentences"]["items"]["properties"]["cites"]["items"]
    assert item == {"type": "integer", "minimum": 1, "maximum": short + 1}
    shown = model.calls[0]["messages"][1].content
    assert "[1] The city council voted" in shown and "MERROW" not in shown
    assert "[2] Mayor Ana Ruiz called the vote" in shown and "[3] The project is expected" in shown
    assert "Port Merrow council approves" not in shown  # the headline is no summary sentence


def test_a_dateline_is_no_part_of_a_summary() -> None:
    openings = ("BRELIN — ", "WASHINGTON (Reuters) - ", "KYIV, Ukraine -- ", "CẦN THƠ — ")
    for opening in (*openings, "SÃO PAULO (Reuters) — ", "ĐÀ NẴNG, Vietnam — "):
        assert dateline(opening + "A district court ruled on Tuesday.") == len(opening)
    others = ("NATO — the alliance — met.", "The mayor — who spoke — left.", "I — I think.")
    for sentence in (
        *others,
        "KYIV, ukraine — A court.",
        "Cần Thơ — A bridge opened.",
        "G7 — Leaders met.",
    ):
        assert dateline(sentence) == 0


def test_a_citation_out_of_range_is_retried_then_fails() -> None:
    text = "The bridge opened in 1965. It carries 52,000 vehicles a day."
    bad = {"sentences": [{"text": "It opened in 1965.", "cites": [5]}]}
    good = {"sentences": [{"text": "The bridge opened in 1965.", "cites": [1]}]}
    result = summarize.summarize(article(text), ScriptedModel([bad, good]))
    assert result[0].citations[0].text == "The bridge opened in 1965."
    # the article's one paragraph gives both its sentences
    with pytest.raises(ModelError, match="cites.0: Input should be less than or equal to 2"):
        summarize.summarize(article(text), ScriptedModel([bad, bad]))


def test_the_summary_is_written_from_the_first_sentence_of_each_first_paragraph() -> None:
    def text(n: int) -> str:
        return "\n\n".join(
            f"Tunnel costs rose by {i} percent in year {i}. The board met {i} times."
            for i in range(1, n)
        )

    model = ScriptedModel(
        [{"sentences": [{"text": "Tunnel costs rose by 3 percent in year 3.", "cites": [3]}]}]
    )
    (sentence,) = summarize.summarize(article(text(200)), model, n_sentences=1)
    assert sentence.citations[0].text == "Tunnel costs rose by 3 percent in year 3."
    shown = model.calls[0]["messages"][1].content
    lines = [line for line in shown.splitlines() if line.startswith("[")]
    assert lines == [f"[{i}] Tunnel costs rose by {i} percent in year {i}." for i in (1, 2, 3)]
    # the prompt does not grow with the article
    short = ScriptedModel([{"sentences": [{"text": "Costs rose by 1 percent.", "cites": [1]}]}])
    summarize.summarize(article(text(6)), short, n_sentences=1)
    assert short.calls[0]["messages"][1].content == shown


def test_a_written_sentence_its_citations_do_not_hold_is_cited_again_or_replaced() -> None:
    lines = [
        "The ferry to Holm will run every hour from June.",
        "Tickets will cost 40 crowns, up from 32.",
        "The port board approved the timetable on Monday.",
    ]
    kept = summarize.grounded([("The ferry will run every hour from June.", [0])], lines)
    assert kept == [("The ferry will run every hour from June.", [0])]
    recited = summarize.grounded(
        [("The ferry will run every hour from June and cost 40 crowns.", [0])], lines
    )
    assert recited == [("The ferry will run every hour from June and cost 40 crowns.", [0, 1])]
    replaced = summarize.grounded(
        [("The ferry will not run in winter, Mayor Lund said.", [2])], lines
    )
    assert replaced == [("The port board approved the timetable on Monday.", [2])]
    problems = summarize.ungrounded("On Monday the port board approved 40 timetable.", [lines[2]])
    assert problems == ["40"]
    assert summarize.ungrounded("The port board never approved the timetable.", [lines[2]]) == [
        "a negation its citations do not have"
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
            },
        ]
    )
    result = summarize.summarize(article(text), model, n_sentences=3)
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


def test_short_sentences_are_joined_into_the_sentences_asked_for_in_article_order() -> None:
    text = "\n\n".join(
        [
            "The Holm ferry will run every hour from June, the port board said.",
            "Tickets will cost 40 crowns, up from 32.",
            "The board approved the timetable on Monday.",
            "Skipper Ola Berg said the crews were ready.",
            "Fares for children do not change.",
            "Holm has 900 residents, who buy tickets on board.",
            "A second boat joins in July.",
        ]
    )
    model = ScriptedModel(
        [
            {
                "sentences": [
                    {"text": "The ferry will run every hour from June.", "cites": [1]},
                    {"text": "The board approved it on Monday.", "cites": [3]},
                    {"text": "Tickets will cost 40 crowns.", "cites": [2]},
                    {"text": "Skipper Ola Berg said the crews were ready.", "cites": [4]},
                    {"text": "Fares for children do not change.", "cites": [5]},
                    {"text": "Tickets will cost 40 crowns from June.", "cites": [2]},  # repeat
                    {"text": "Holm has 900 residents.", "cites": [6]},
                ][:6]
            }
        ]
    )
    result = summarize.summarize(article(text), model, n_sentences=3)
    assert [s.text for s in result] == [
        "The ferry will run every hour from June; tickets will cost 40 crowns.",
        "The board approved it on Monday; Skipper Ola Berg said the crews were ready.",
        "Fares for children do not change.",
    ]  # in the article's order, the repeat left out, a name kept capitalized
    assert [q.text for q in result[0].citations] == [
        "The Holm ferry will run every hour from June, the port board said.",
        "Tickets will cost 40 crowns, up from 32.",
    ]
    shown = model.calls[0]["messages"][1].content
    assert "[7] A second boat joins in July." in shown  # 2 * 3 + 1 lines
    joined = summarize.joined([("A.", [0]), ("B.", [1]), ("C.", [2]), ("D.", [3])], 2)
    assert joined == [("A; B.", [0, 1]), ("C; D.", [2, 3])]  # "B" is not a word to lower
    words = summarize.common_words("a poll and i.e. nato")
    pairs = [("X rose.", [0]), ("A poll agrees.", [1]), ("Y fell.", [2]), ("NATO met.", [3])]
    assert [t for t, _ in summarize.joined(pairs, 2, words)] == [
        "X rose; a poll agrees.",
        "Y fell; NATO met.",
    ]  # an acronym keeps its capitals
    quoted = [("They called it \u201cthe best period.\u201d", [0]), ("Trade grew.", [1])]
    assert summarize.joined(quoted, 1) == [
        ("They called it \u201cthe best period\u201d; Trade grew.", [0, 1])
    ]  # no full stop before the semicolon, also inside closing quotation marks


def test_an_unfinished_sentence_is_no_summary_sentence() -> None:
    line = 'Judge Rita Okonkwo wrote that the company "knew, or should have known" it.'
    assert summarize.ungrounded("Judge Rita Okonkwo wrote that the company", [line]) == [
        "it is unfinished"
    ]
    assert summarize.ungrounded(line, [line]) == []
    assert summarize.grounded([("Judge Rita Okonkwo wrote that the company", [0])], [line]) == [
        (line, [0])
    ]


def test_an_interview_is_summarized_from_its_answers_not_its_questions_or_labels() -> None:
    text = (
        "The librarian who kept Tollin's library open\n\n"
        "Birgit Solheim moved the library into the fire station for the winter.\n\n"
        "QUESTION: Why not simply close, as the council planned?\n\n"
        "SOLHEIM: Because the people who need it most have nowhere warm to go.\n\n"
        "QUESTION: How many books could you take?\n\n"
        "SOLHEIM: About 3,000 of our 41,000.\n\n"
        "QUESTION: Is the station warm enough?\n\n"
        "SOLHEIM: Almost."
    )
    kept = [text[s.start : s.end] for s in summarize.article_sentences(text)]
    assert not any(k.endswith("?") or k.strip().endswith(":") for k in kept)
    assert "Almost." not in kept, "an answer of a word or two states nothing by itself"
    model = ScriptedModel([{"sentences": [{"text": "Solheim moved the library.", "cites": [1]}]}])
    summarize.summarize(article(text), model, n_sentences=1)
    lines = [x for x in model.calls[0]["messages"][1].content.splitlines() if x[:1] == "["]
    assert [x.split("] ", 1)[1] for x in lines] == [
        "Birgit Solheim moved the library into the fire station for the winter.",
        "Because the people who need it most have nowhere warm to go.",
        "About 3,000 of our 41,000.",
    ]  # the first sentence the summary may rest on in each paragraph


def test_an_article_of_one_paragraph_is_summarized_from_its_first_sentences() -> None:
    assert summarize.leads([0, 0, 0, 0, 0], 3) == [0, 1, 2]
    assert summarize.leads([0, 0, 1, 1, 2], 4) == [0, 1, 2, 4]
