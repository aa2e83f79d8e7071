"""The parser's attribution candidates, on sentences written for these tests."""

from __future__ import annotations

from claimcheck.attribution import Candidate, find_candidates


def spans(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """(content, speaker, cue, kind) of each candidate, content spans joined by ' | '."""
    out: list[tuple[str, str | None, str | None, str]] = []
    for c in find_candidates(text):
        content = " | ".join(text[s.start : s.end] for s in c.content)
        cue = text[c.cue.start : c.cue.end] if c.cue else None
        out.append((content, c.speaker, cue, c.kind))
    return out


def check_exact(text: str, cands: list[Candidate]) -> None:
    for c in cands:
        for s in (*c.content, c.cue, c.source):
            if s is not None:
                assert 0 <= s.start < s.end <= len(text)
                assert text[s.start : s.end] == text[s.start : s.end].strip()


def test_indirect_speech_with_subject_and_complement() -> None:
    text = "Councillor Tomasz Wren, who led the opposition, said the estimate was too low."
    assert spans(text) == [("the estimate was too low", "Tomasz Wren", "said", "indirect")]


def test_according_to() -> None:
    text = "The project will cost $2.4 billion, according to the city’s finance office."
    assert spans(text) == [
        ("The project will cost $2.4 billion", "the city’s finance office", "according to",
         "indirect")
    ]  # fmt: skip


def test_direct_quote_before_the_cue_with_pronoun_resolved_to_the_last_speaker() -> None:
    text = (
        "Priya Natarajan, a retired engineer, spoke during the public comment period.\n\n"
        "“You are building on a survey that stops twelve metres short of the rock,” she told "
        "the council."
    )
    cands = find_candidates(text)
    check_exact(text, cands)
    (quote,) = [c for c in cands if c.kind == "direct"]
    assert text[quote.content[0].start : quote.content[0].end] == (
        "“You are building on a survey that stops twelve metres short of the rock,”"
    )
    assert quote.speaker == "Priya Natarajan"
    assert quote.source_is_pronoun


def test_a_quotation_over_several_sentences_is_one_span() -> None:
    text = (
        "Mayor Ana Ruiz said the vote was historic.\n\n"
        "“We have debated this for ten years. The people elected us to decide,” Ruiz said."
    )
    direct = [c for c in spans(text) if c[3] == "direct"]
    check_exact(text, find_candidates(text))
    assert direct == [
        (
            "“We have debated this for ten years. The people elected us to decide,”",
            "Ana Ruiz",  # the bare surname is expanded to the fuller name used before (untitled)
            "said",
            "direct",
        )
    ]


def test_a_continued_quotation_becomes_a_second_span_of_the_same_claim() -> None:
    text = "“The vote was rushed,” Wren said. “Nobody has read the survey.”"
    cands = find_candidates(text)
    check_exact(text, cands)
    (cand,) = cands
    assert [text[s.start : s.end] for s in cand.content] == [
        "“The vote was rushed,”",
        "“Nobody has read the survey.”",
    ]
    assert cand.speaker == "Wren"


def test_straight_quotes_and_dash_bylines_and_transcripts() -> None:
    text = (
        '"It was the least bad outcome for the valley," Marta Quell said.\n\n'
        "“Growers lost a third of the blossom in one night.” ― Jo Park\n\n"
        "QUELL: We lit straw fires between the rows until dawn.\n"
    )
    found = spans(text)
    assert ('"It was the least bad outcome for the valley,"', "Marta Quell", "said", "direct") in (
        found
    )
    assert ("“Growers lost a third of the blossom in one night.”", "Jo Park", None, "direct") in (
        found
    )
    assert ("We lit straw fires between the rows until dawn.", "QUELL", None, "direct") in found


def test_an_apostrophe_is_not_a_quotation_mark() -> None:
    text = "The growers’ cooperative said the harvest’s size would fall to 110,000 tonnes."
    assert spans(text) == [
        ("the harvest’s size would fall to 110,000 tonnes", "The growers’ cooperative", "said",
         "indirect")
    ]  # fmt: skip


def test_text_without_attributions_has_no_candidates() -> None:
    text = "The bridge opened in 1965. It carries 52,000 vehicles a day.\n\nTolls start in March."
    assert find_candidates(text) == []


def test_a_name_of_several_compounds_is_whole() -> None:
    text = "The New Holland Gazette reports that the orchard co-operative will close in May.\n"
    assert [c.speaker for c in find_candidates(text)] == ["New Holland Gazette"]


def test_a_negated_cue_verb_reports_nothing() -> None:
    text = (
        "The council has never condemned the closure of the ferry line.\n\n"
        "Mayor Ana Ruiz did not say that the tolls would return.\n\n"
        "The ministry would not say whether it would support an appeal.\n\n"
        "Ruiz said the tolls would not return.\n\n"
        "Her deputy does not think the ferry line can be saved.\n"
    )
    assert [(content, cue) for content, _, cue, _ in spans(text)] == [
        ("the tolls would not return", "said"),  # a negation in what was said is said
        ("the ferry line can be saved", "does not think"),  # believes it cannot
    ]


def test_who_after_a_place_refers_to_the_people_before_it() -> None:
    text = (
        "The plan is likely to calm worried growers in the Valdera valley, who have argued that"
        " the frost fund is too small.\n"
    )
    assert [c.speaker for c in find_candidates(text)] == ["worried growers"]


def test_they_refers_to_people_together_not_to_one_country_or_person() -> None:
    text = (
        "Mayor Ana Ruiz and Councillor Tomasz Wren said the ferry line would reopen in May.\n\n"
        "Lindau said in a joint statement that the tolls would stay, in an allusion to their "
        "view that the bridge is too costly to maintain.\n\n"
        "Ruiz said the harbour would be dredged. They added that the work would start soon.\n"
    )
    speakers = {content: speaker for content, speaker, _, _ in spans(text)}
    assert speakers["that the bridge is too costly to maintain"] == "Ana Ruiz and Tomasz Wren"
    # Ruiz is one person and Lindau a town: "they" is the pair named together before them
    assert speakers["that the work would start soon"] == "Ana Ruiz and Tomasz Wren"
