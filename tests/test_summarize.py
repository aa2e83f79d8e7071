"""The summary chain with a scripted model: citations become exact spans."""

from __future__ import annotations

from datetime import UTC, datetime

from claimcheck import summarize
from claimcheck.furniture import dateline
from claimcheck.models import Article
from claimcheck.text import article_id, sentences

from .articles import EXAMPLE
from .fakes import ScriptedModel


def article(text: str) -> Article:
    return Article(id=article_id(text), text=text, ingested_at=datetime.now(UTC))


def shown_lines(call: dict) -> list[str]:
    """The numbered lines a summary call showed the model, without their numbers."""
    content = call["messages"][1].content
    return [line.split("] ", 1)[1] for line in content.splitlines() if line[:1] == "["]


def test_each_sentence_cites_exact_article_sentences() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = sentences(text)[1:]  # not the headline
    written = "Mayor Ana Ruiz hailed the vote; the tunnel is expected to cost $2.4 billion."
    wren = "Wren will ask the regional auditor to review the cost estimate."
    model = ScriptedModel([written.replace(";", ",") + "\nMore text.", wren])
    result = summarize.summarize(article(text), model, n_sentences=3)
    # the first sentence is short enough as it is: the article's own, without its dateline
    first = (spans[0].start + len("PORT MERROW — "), spans[0].end)
    assert result[0].text == text[first[0] : first[1]]
    assert [(q.start, q.end) for q in result[0].citations] == [first]
    assert len(model.calls) == 2  # one call for each other sentence, plain text
    assert "response_format" not in model.calls[0]
    assert shown_lines(model.calls[0]) == [text[spans[i].start : spans[i].end] for i in (1, 3, 5)]
    assert shown_lines(model.calls[1])[0] == text[spans[7].start : spans[7].end]
    assert result[1].text == written.replace(";", ",")  # the model's first line only
    # cited with the fewest lines that hold it: Ruiz's and the cost's, not Wren's
    assert [(q.start, q.end) for q in result[1].citations] == [tuple(spans[1]), tuple(spans[3])]
    assert result[2].text == wren
    assert [q.text for q in result[2].citations] == [text[spans[7].start : spans[7].end]]
    assert "Port Merrow council approves" not in str(model.calls)  # the headline is no line


def test_a_dateline_is_no_part_of_a_summary() -> None:
    for opening in ("BRELIN — ", "WASHINGTON (Reuters) - ", "KYIV, Ukraine -- "):
        assert dateline(opening + "A district court ruled on Tuesday.") == len(opening)
    for sentence in ("NATO — the alliance — met.", "The mayor — who spoke — left.", "I — I think."):
        assert dateline(sentence) == 0


def test_a_sentence_written_too_long_is_written_again_from_fewer_lines() -> None:
    text = "\n\n".join(
        [
            "The Holm ferry will run every hour from June, the port board said.",
            "Tickets will cost 40 crowns, up from 32.",
            "The board approved the timetable on Monday.",
            "Skipper Ola Berg said the crews were ready.",
        ]
    )
    long = "Tickets will cost 40 crowns, " + "and the board " * 12 + "approved it on Monday."
    model = ScriptedModel([long, "Tickets will cost 40 crowns, the board approved on Monday."])
    result = summarize.summarize(article(text), model, n_sentences=2)
    assert len(long.split()) > summarize.MAX_WORDS
    assert [len(shown_lines(call)) for call in model.calls] == [3, 2]  # the last line left out
    assert result[1].text == "Tickets will cost 40 crowns, the board approved on Monday."
    assert [q.text for q in result[1].citations] == [
        "Tickets will cost 40 crowns, up from 32.",
        "The board approved the timetable on Monday.",
    ]
    # still too long: the group's first line, word for word
    model = ScriptedModel([long, long])
    result = summarize.summarize(article(text), model, n_sentences=2)
    assert result[1].text == "Tickets will cost 40 crowns, up from 32."


def test_the_summary_is_written_from_the_first_sentence_of_each_first_paragraph() -> None:
    def text(n: int) -> str:
        return "\n\n".join(
            f"Zone{i} costs rose by {i} percent in Area{i}. The board met {i} times."
            for i in range(1, n)
        )

    model = ScriptedModel(["Zone3 costs rose by 3 percent in Area3."])
    first, second = summarize.summarize(article(text(200)), model, n_sentences=2)
    assert first.text == "Zone1 costs rose by 1 percent in Area1."  # no call: short enough
    assert second.citations[0].text == "Zone3 costs rose by 3 percent in Area3."
    assert shown_lines(model.calls[0]) == [
        f"Zone{i} costs rose by {i} percent in Area{i}." for i in (2, 3, 4)
    ]
    assert summarize.groups(7, 3) == [[0], [1, 2, 3], [4, 5, 6]]
    assert summarize.groups(3, 3) == [[0], [1, 2]]
    assert summarize.groups(9, 1) == [[0]]
    assert summarize.groups(0, 3) == []


def test_a_written_sentence_its_lines_do_not_hold_is_cited_otherwise_or_replaced() -> None:
    lines = [
        "The ferry to Holm will run every hour from June.",
        "Tickets will cost 40 crowns, up from 32.",
        "The port board approved the timetable on Monday.",
    ]
    kept = summarize.grounded([("The ferry will run every hour from June.", [0, 1])], lines)
    assert kept == [("The ferry will run every hour from June.", [0])]  # the fewest lines
    recited = summarize.grounded(
        [("The ferry will run every hour from June and cost 40 crowns.", [2])], lines
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
        "A single adult ticket will go from 42 to 50 crowns.\n\n"
        "Ferry fares will rise by about 20 percent in June.\n"
    )
    model = ScriptedModel(["Ferry fares will rise by 20 percent in June, the port authority said."])
    result = summarize.summarize(article(text), model, n_sentences=2)
    assert shown_lines(model.calls[0]) == [
        "A single adult ticket will go from 42 to 50 crowns.",
        "Ferry fares will rise by about 20 percent in June.",
    ]  # no headline (twice), byline or teaser
    assert [s.text for s in result] == [
        "Ferry fares will rise by about 20 percent in June, the port authority said."
    ]  # the second sentence only repeated the first
    assert len(result[0].citations) == 1


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
        "SOLHEIM: About 3,000 of our 41,000."
    )
    kept = [text[s.start : s.end] for s in summarize.article_sentences(text)]
    assert not any(k.endswith("?") or k.strip().endswith(":") for k in kept)
    model = ScriptedModel(["People who need it most have nowhere warm to go."])
    summarize.summarize(article(text), model, n_sentences=2)
    assert shown_lines(model.calls[0]) == [
        "Because the people who need it most have nowhere warm to go.",
        "About 3,000 of our 41,000.",
    ]  # the first sentence the summary may rest on in each paragraph


def test_an_article_of_one_paragraph_is_summarized_from_its_first_sentences() -> None:
    assert summarize.leads([0, 0, 0, 0, 0], 3) == [0, 1, 2]
    assert summarize.leads([0, 0, 1, 1, 2], 4) == [0, 1, 2, 4]
