"""The evaluation's own code: the brat reader and the attribution score."""

from __future__ import annotations

import pytest

from evals.loaders import GoldAttribution, parse_brat
from evals.metrics import SystemAttribution, score_attributions, speaker_matches

TEXT = "Wren said the vote was rushed. “It was,” he added. The survey is short, experts say."
ANN = (
    "T1\tSource 0 4\tWren\n"
    "T2\tCue 5 9\tsaid\n"
    "T3\tContent 10 29\tthe vote was rushed\n"
    "T4\tAttribution 5 9\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tContent 31 39;41 43\t“It was,” he\n"
    "T6\tDiscard 0 4\tWren\n"
    "E2\tAttribution:T4 Content:T5\n"
    "T7\tContent 51 70\tThe survey is short\n"
    "T8\tSource 72 79\texperts\n"
    "E3\tAttribution:T4 Content:T7 Source:T8 Cue:T6\n"
)


def test_parse_brat_reads_relations_discontinuous_spans_and_skips_discards() -> None:
    gold = parse_brat(ANN, TEXT)
    assert [g.content for g in gold] == [((10, 29),), ((31, 39), (41, 43)), ((51, 70),)]
    assert [g.source_text for g in gold] == ["Wren", "", "experts"]
    assert gold[2].cue == (), "a Discard span is not a cue"


@pytest.mark.parametrize(
    ("system", "gold", "ok"),
    [
        ("Tomasz Wren", "Wren", True),  # shared last token
        ("Mike Pence", "Gov. Mike Pence (R-IN)", True),  # parentheses dropped
        ("Michael Mulgrew", "Michael Mulgrew, president of the union,", True),  # apposition
        ("the New York Post", "The New York Post", True),
        ("An exhaustive study", "An exhaustive study released by researchers", True),
        ("study", "An exhaustive study released by researchers", False),
        ("Anyone", "he", True),  # gold pronoun: any speaker
        (None, "he", False),
        (None, "", True),  # both the author
        ("Wren", "", False),
        ("Ruiz", "Wren", False),
    ],
)
def test_speaker_matches(system: str | None, gold: str, ok: bool) -> None:
    assert speaker_matches(system, gold) is ok


def test_score_is_one_to_one_with_half_overlap() -> None:
    gold = [
        GoldAttribution(content=((0, 100),), source_text="Wren"),
        GoldAttribution(content=((200, 300),), source_text="Ruiz"),
    ]
    system = [
        SystemAttribution(((0, 60),), "Tomasz Wren"),  # 60% of gold 1, right speaker
        SystemAttribution(((0, 100),), "Ruiz"),  # 100% of gold 1, wrong speaker
        SystemAttribution(((200, 240),), "Ruiz"),  # 40% of gold 2: no match
    ]
    span, speaker = score_attributions(system, gold)
    # Gold 1 pairs with the larger overlap (the wrong speaker); nothing else matches.
    assert (span.tp, span.system, span.gold) == (1, 3, 2)
    assert speaker.tp == 0
    assert span.precision == pytest.approx(1 / 3) and span.recall == pytest.approx(1 / 2)


def test_the_salience_picker_takes_central_early_sentences_and_not_the_same_thing_twice() -> None:
    from evals import salience

    # a hand-made embedding: the article mostly about the tunnel, which it says twice
    texts = [
        "The council approved the tunnel.",
        "The council approved the tunnel, it said again.",
        "The weather was mild.",
    ]
    vectors = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    paragraph_of = [0, 0, 1]
    scores = salience.scores(texts, vectors, paragraph_of)
    assert scores[0] > scores[1] > scores[2], "central, then a paragraph's first sentence"
    assert salience.pick(texts, vectors, paragraph_of, 2) == [0, 2], "not the same thing again"
    no_redundancy = salience.Weights(redundancy=0.0)
    assert salience.pick(texts, vectors, paragraph_of, 2, None, no_redundancy) == [0, 1]
    assert salience.pick(texts, vectors, paragraph_of, 9) == [0, 1, 2], "at most all, in order"
    assert salience.pick([], [], [], 3) == []
    assert salience.fact_counts(["The tunnel costs $2.4 billion and opens in 2031."]) == [2]


def test_decomposition_puts_back_one_modifier_a_part_and_keeps_the_reporting_frame() -> None:
    from evals.decompose import parts

    assert parts("A report found that Binance secretly moved the funds on Tuesday.") == [
        "A report found that Binance secretly moved the funds.",
        "A report found that Binance moved the funds on Tuesday.",
    ]
    assert parts("Lee said that the plan would cost $4 million, and that work would begin.") == [
        "Lee said that the plan would cost $4 million.",
        "Lee said that work would begin.",
    ]
    assert parts("Putin met Xi.") == ["Putin met Xi."], "nothing to split: the sentence itself"
