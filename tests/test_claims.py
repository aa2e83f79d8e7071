"""The claims chain with a scripted model: what the code decides, what the model is asked, when
its rewrite is shown, and every quote exact."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claimcheck import claims
from claimcheck.attribution import find_candidates
from claimcheck.claimtext import code_sentence, content_text, garbled, unfaithful
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


def asked(model: ScriptedModel, call: int = 0) -> list[str]:
    """The attribution lines the model was shown in a call."""
    prompt = model.calls[call]["messages"][1].content
    return [line for line in prompt.splitlines() if line[:1].isdigit() and " | " in line]


def test_claims_carry_exact_quotes_speakers_and_sentences_built_from_them() -> None:
    a = article()
    model = ScriptedModel([{"claims": [{"speaker": "Ana Ruiz", "claim": "x"}]}])
    found, stats = claims.extract(a, model)
    assert stats.candidates == 3 and stats.questions == 1 and stats.kept == 2
    first, second = found
    assert first.speaker == "Ana Ruiz" and first.cue == "said", "a name, without its title"
    assert first.kind == "indirect" and [q.text for q in first.quote] == [
        "the tunnel would open in 2033"
    ]
    assert first.claim == f"{first.speaker} said the tunnel would open in 2033."
    assert second.kind == "direct" and second.speaker == "Ana Ruiz"
    assert second.claim == "“We have debated this for ten years,” Ana Ruiz said."
    assert {c.sentence_source for c in found} == {"code"}, "'x' is no sentence: not shown"
    for claim in found:
        assert all(q.verify(a) for q in claim.quote)
        assert claim.speaker_span is not None and claim.speaker_span.verify(a)
        assert garbled(claim.claim, claim.speaker) == []


def test_the_model_is_asked_only_what_the_code_cannot_decide() -> None:
    """The named speaker with no pronoun in its content needs nothing; the question is not a
    claim; only the pronoun speaker is listed, and only it is asked for a speaker."""
    model = ScriptedModel([{"claims": [{"speaker": "Ana Ruiz", "claim": "x"}]}])
    claims.extract(article(), model)
    assert asked(model) == ["1 | she? | said | “We have debated this for ten years,”"]
    items = model.response_schema()["properties"]["claims"]
    assert items["minItems"] == items["maxItems"] == len(items["prefixItems"]) == 1
    assert items["prefixItems"][0]["required"] == ["speaker", "claim"]
    prompt = model.calls[0]["messages"][1].content
    assert "“We have debated this for ten years,” she said." in prompt


def test_a_faithful_rewrite_is_shown_and_an_unfaithful_one_is_not() -> None:
    text = "Tomasz Wren, who led the review, spoke on Tuesday.\n\nHe said his survey stops short.\n"
    (cand,) = find_candidates(text)
    good = "Tomasz Wren said his survey stops short."
    for rewrite, shown in [
        (good, True),
        ("Tomasz Wren said the geological survey stops twelve metres short.", False),  # adds
        ("Ana Ruiz said his survey stops short.", False),  # names someone else
        ('Tomasz Wren said}, {"claim": his survey stops short.', False),  # structure
        ("his survey stops short", False),  # not a sentence, no speaker
    ]:
        answer = {"claims": [{"speaker": "Tomasz Wren", "claim": rewrite}]}
        (claim,), stats = claims.extract(article(text), ScriptedModel([answer]))
        assert claim.speaker == "Tomasz Wren"
        if shown:
            assert claim.claim == good and claim.sentence_source == "model"
            assert stats.rewrites == 1 and stats.code_sentences == 0
        else:
            assert claim.claim == code_sentence(text, cand, "Tomasz Wren"), rewrite
            assert claim.sentence_source == "code" and stats.code_sentences == 1


def test_unfaithful_names_what_is_wrong() -> None:
    built = "Tomasz Wren said the survey stops short."
    sources = "Tomasz Wren said He said the survey stops short."
    assert unfaithful(built, built, "Tomasz Wren", sources) is None
    assert "words not in" in (unfaithful("Wren said the survey cost $5.", built, "Tomasz Wren",
                                         sources) or "")  # fmt: skip
    assert unfaithful("The survey stops short.", built, "Tomasz Wren", sources) == (
        "does not name its speaker"
    )
    built = "Grace Obi accused him of selling off the city's future."
    sources = (
        "Grace Obi He called her plan unaffordable; she accused him of selling off the city's "
        "future."
    )
    assert unfaithful("Grace Obi called her plan unaffordable.", built, "Grace Obi", sources) == (
        "leaves out what was said"
    ), "a sentence next to the quote is not a rewrite of it"


def test_an_ungrounded_or_pronoun_speaker_from_the_model_is_not_used() -> None:
    text = "Olu Bankole runs the yard.\n\n“The vote was rushed,” he said.\n"
    for bad in ("she", "Vladimir Nabokov"):
        answer = {"claims": [{"speaker": bad, "claim": "The vote was rushed."}]}
        (claim,), stats = claims.extract(article(text), ScriptedModel([answer]))
        assert claim.speaker == "Olu Bankole", "the parser's proposal stays"
        assert stats.speakers_resolved == 0


def test_the_model_does_not_give_a_they_to_one_person_or_a_country() -> None:
    text = (
        "Mayor Ana Ruiz and Councillor Tomasz Wren said the ferry line would reopen in May.\n\n"
        "Ruiz said the harbour would be dredged. They added that the work would start soon.\n"
        "Lindau thanked the councillors.\n"
    )
    claim = "The work would start soon."
    for named, kept in (
        ("Ruiz", "Ana Ruiz and Tomasz Wren"),
        ("Lindau", "Ana Ruiz and Tomasz Wren"),
        ("the councillors", "the councillors"),
    ):
        script = [{"claims": [{"speaker": named, "claim": claim}]}]
        found, _ = claims.extract(article(text), ScriptedModel(script))
        # one person (Ruiz) or a town (Lindau) is an "it" or a "she"; a common noun can be them
        (they,) = [c for c in found if "start soon" in c.quote[0].text]
        assert they.speaker == kept, named


def test_a_claim_nobody_can_be_named_for_is_left_out() -> None:
    text = "The harbor is quiet.\n\n“The vote was rushed and the costs are unknown.”\n"
    model = ScriptedModel([{"claims": [{"speaker": None, "claim": "x"}]}])
    found, stats = claims.extract(article(text), model)
    assert found == [] and stats.no_speaker == 1 and stats.candidates == 1


def test_joint_speakers_stay_joint() -> None:
    text = (
        "Chinese leader Xi Jinping and Russian President Vladimir Putin pledged to deepen "
        "their strategic partnership in Beijing on Thursday.\n"
    )
    (claim,), _ = claims.extract(article(text), ScriptedModel([]))
    assert claim.speaker == "Xi Jinping and Vladimir Putin"
    assert claim.claim == (
        "Xi Jinping and Vladimir Putin pledged to deepen their strategic partnership in "
        "Beijing on Thursday."
    )


def test_page_furniture_never_becomes_a_claim_or_a_speaker() -> None:
    text = (
        "Harbor tunnel approved\n\n"
        "Mayor Ana Ruiz said the tunnel would open in 2033.\n\n"
        "READ MORE: Ferry operator says fares will double, union argues\n\n"
        "Share this article: Facebook Twitter Email\n\n"
        "Photo: Getty Images\n\n"
        "Sign up for our morning newsletter, the mayor urged readers\n\n"
        "Leave a Reply\n\n"
        "Your email address will not be published. Required fields are marked *\n"
    )
    found, stats = claims.extract(article(text), ScriptedModel([]))
    assert [c.claim for c in found] == ["Ana Ruiz said the tunnel would open in 2033."]
    assert stats.furniture_lines == 7


def test_invalid_output_is_retried_once_then_a_model_error() -> None:
    good = {"claims": [{"speaker": "Ana Ruiz", "claim": "x"}]}
    model = ScriptedModel(["not json", good])
    found, _ = claims.extract(article(), model)
    assert len(found) == 2 and len(model.calls) == 2
    too_many = {"claims": [{"speaker": "Ana Ruiz", "claim": "x"}] * 2}
    with pytest.raises(ModelError, match="invalid twice") as info:
        claims.extract(article(), ScriptedModel(["{broken", too_many]))
    assert "expected 1 answers, got 2" in str(info.value)
    assert info.value.raw is not None


def test_an_article_without_attributions_makes_no_model_call() -> None:
    model = ScriptedModel([])
    found, stats = claims.extract(article("The bridge opened in 1965.\n"), model)
    assert found == [] and stats.candidates == 0 and model.calls == []


def test_long_lists_are_sent_in_batches_that_keep_their_order() -> None:
    paragraphs = [
        f"Officer Dana Vale{i} spoke at the hearing.\n\nShe said her unit {i} would close.\n"
        for i in range(claims.BATCH + 3)
    ]
    text = "\n".join(paragraphs)
    responses = []
    for first in range(0, claims.BATCH + 3, claims.BATCH):
        size = min(claims.BATCH, claims.BATCH + 3 - first)
        responses.append(
            {
                "claims": [
                    {"speaker": f"Dana Vale{i}", "claim": f"Dana Vale{i} said her unit {i} "
                     "would close."}
                    for i in range(first, first + size)
                ]
            }
        )  # fmt: skip
    model = ScriptedModel(responses)
    found, stats = claims.extract(article(text), model)
    assert len(model.calls) == 2 and stats.kept == claims.BATCH + 3
    last = found[claims.BATCH + 1]
    assert last.speaker == f"Dana Vale{claims.BATCH + 1}"
    assert (
        last.claim == f"Dana Vale{claims.BATCH + 1} said her unit {claims.BATCH + 1} would close."
    )
    assert asked(model, 1)[0].startswith("1 | She? | said")


def test_the_example_article_makes_no_garbled_sentence() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for cand in find_candidates(text):
        if cand.speaker:
            sentence = code_sentence(text, cand, cand.speaker)
            assert garbled(sentence, cand.speaker) == [], sentence


def test_a_nested_claim_names_the_inner_speaker_and_who_reports_it() -> None:
    text = (
        "Dmitar Kovac told reporters that the first ships could pass the locks in late "
        "September, according to the Morsk state broadcaster.\n"
    )
    (claim,), _ = claims.extract(article(text), ScriptedModel([]))
    assert claim.speaker == "Dmitar Kovac" and claim.reported_by == "the Morsk state broadcaster"
    assert claim.claim == (
        "According to the Morsk state broadcaster, Dmitar Kovac told reporters that the first "
        "ships could pass the locks in late September."
    ), "the 'according to' report is not a second claim"
    text = "Alva Merrill says Jon Machado promised to keep supporting the mayor.\n"
    found, _ = claims.extract(article(text), ScriptedModel([]))
    by = {c.speaker: c for c in found}
    assert by["Jon Machado"].reported_by == "Alva Merrill"
    assert by["Jon Machado"].claim.startswith("According to Alva Merrill, Jon Machado promised")
    assert by["Alva Merrill"].reported_by is None


def test_a_nested_claim_of_a_nameless_source_stays_the_outer_speakers_claim() -> None:
    text = (
        "Lars Tveit of Nordbank said the budget assumed that oil would stay above 80 dollars, "
        'which was "optimistic at best."\n'
    )
    found, stats = claims.extract(article(text), ScriptedModel([]))
    assert [c.speaker for c in found] == ["Lars Tveit"], "the budget is nobody to hold to it"
    assert stats.nested == 1 and stats.candidates == 2
    (claim,) = found
    assert claim.quote[0].text.endswith('"optimistic at best."'), "the quotation is closed"
    assert garbled(claim.claim, claim.speaker) == []


def test_being_asked_is_not_asking_and_an_indirect_question_is_no_claim() -> None:
    text = (
        "Ruiz, asked whether she would put the tunnel to a referendum, said no.\n\n"
        "Councillor Ada Lind asked whether the tolls would ever be lifted.\n"
    )
    found, stats = claims.extract(article(text), ScriptedModel([]))
    assert found == [] and stats.asked_model == 0


def test_a_passive_cue_without_an_agent_has_no_speaker_of_its_own() -> None:
    text = "A spokeswoman, Lena Fischer, said no decision was expected before next spring.\n"
    (claim,), _ = claims.extract(article(text), ScriptedModel([]))
    assert claim.speaker == "Lena Fischer" and claim.reported_by is None
    assert claim.claim == "Lena Fischer said no decision was expected before next spring."


def test_a_title_before_a_name_is_not_the_speaker() -> None:
    text = "Chief financial officer Mikkel Strand told analysts that costs would fall.\n"
    (claim,), _ = claims.extract(article(text), ScriptedModel([]))
    assert claim.speaker == "Mikkel Strand"


def test_the_writers_own_clause_after_a_quotation_is_not_part_of_the_claim() -> None:
    text = (
        "The communique declared that the two ports have passed “the hardest test in their "
        "history,” the two mayors calling each other “old friends.”\n"
    )
    found, _ = claims.extract(article(text), ScriptedModel([]))
    first = next(c for c in found if c.speaker == "The communique")
    assert first.quote[0].text.endswith("history,”")
    assert first.claim.endswith("“the hardest test in their history.”")


def test_a_claim_sentence_reads_as_one_sentence() -> None:
    text = (
        "About 140 jobs will be cut, according to the company.\n\n"
        '"We moved early," Ingrid Sola told a news conference at the town hall.\n'
    )
    found, _ = claims.extract(article(text), ScriptedModel([]))
    assert [c.claim for c in found] == [
        "According to the company, about 140 jobs will be cut.",
        '"We moved early," Ingrid Sola told a news conference at the town hall.',
    ]


def test_a_cue_inside_a_quotation_is_not_the_quotations_cue() -> None:
    text = (
        "Nora Blake ran the count.\n\n"
        "“Turnout was the story of the night,” she said.\n\n"
        "“I think the plan will fail because nobody funded it,” the treasurer wrote.\n\n"
        "“I believe people listen when you knock on their doors.”\n"
    )
    found = find_candidates(text)
    cues = [text[c.cue.start : c.cue.end] for c in found if c.cue is not None]
    assert cues == ["said", "wrote"]  # not "think" or "believe", which the quotations hold
    last = found[-1]
    assert len(last.content) == 2  # the unattributed quotation continues the treasurer's
    assert last.source is not None and text[last.source.start : last.source.end] == "the treasurer"


def test_garbled_does_not_count_the_sources_own_repeats() -> None:
    assert garbled("Ruiz said the the plan failed.", "Ruiz") == ["a doubled word"]
    for sentence in (
        "Ruiz said it was a big, big problem.",  # set off by a comma
        "Ruiz said: “No, no no, we never agreed.”",  # inside a quotation
        "Ruiz said: “No.” No one believed her.",  # across a stop
        "Ruiz said that that plan had had its day.",  # English allows these
    ):
        assert garbled(sentence, "Ruiz") == [], sentence


def test_the_cue_verbs_own_conjunct_and_the_writers_comment_are_not_content() -> None:
    text = (
        "The ministry claims neutrality in the dispute and has published a short plan.\n\n"
        "The union said that it welcomed the offer and that “the hard part is still ahead,”"
        " in an apparent reference to the pension talks.\n\n"
        "Port director Lena Vik said the cranes will be replaced and the quay rebuilt.\n"
    )
    contents = [text[c.content[0].start : c.content[-1].end] for c in find_candidates(text)]
    assert contents == [
        "neutrality in the dispute",  # the ministry published the plan: the writer says so
        "that it welcomed the offer and that “the hard part is still ahead,”",
        "the cranes will be replaced and the quay rebuilt",  # a conjunct of what was said
    ]


def test_a_title_with_words_in_front_is_not_part_of_the_speaker() -> None:
    text = "Estonian Prime Minister Kadri Laas said the border crossing would reopen on Monday.\n"
    assert [c.speaker for c in find_candidates(text)] == ["Kadri Laas"]


def test_a_cue_noun_makes_a_sentence_that_reads() -> None:
    text = (
        "Harbour chief Lena Vik spoke on Monday. She repeated Vik's own view that the quay"
        " must be rebuilt first.\n\n"
        "Nobody read the plan by the council to double the ferry service.\n"
    )
    built = [code_sentence(text, c, c.speaker or "") for c in find_candidates(text)]
    assert "According to Lena Vik, the quay must be rebuilt first." in built
    assert "The plan by the council to double the ferry service." in built


def test_a_holders_possessive_mark_is_not_part_of_the_speaker() -> None:
    text = "Officials doubted Mr. Obama's announcement that the plant would stay open.\n"
    (noun,) = [c for c in find_candidates(text) if c.extra.get("noun")]
    assert noun.speaker == "Obama"
    assert code_sentence(text, noun, "Obama") == "According to Obama, the plant would stay open."


def test_garbled_knows_editorial_brackets_dotted_names_and_a_closing_mark_that_opens() -> None:
    assert garbled("“[W]e are reminded of the refugees,” Ruiz said.", "Ruiz") == []
    assert garbled("The U.N. called for calm in the region.", "The U.N.") == []
    assert garbled("Vik said: ”The quay must go. It is rotten.”", "Lena Vik") == []
    assert garbled("Vik said: “The quay must go.", "Lena Vik") == ["unbalanced quotation marks"]
    assert garbled("Xi welcomed READ MORE: x}, {.", "Xi") == ["structural characters"]


def test_a_long_quotation_is_shown_cut_and_an_unclosed_one_closed_its_quote_kept_whole() -> None:
    said = " ".join(f"The ferry number {i} will sail at dawn." for i in range(1, 31))
    text = f"Harbour chief Lena Vik said: “{said}”\n\nThe council called the plan “a good start.\n"
    long_one, unclosed = [c for c in find_candidates(text)]
    built = code_sentence(text, long_one, "Lena Vik")
    assert built.endswith("…”") and len(built.split()) <= 70 and not garbled(built, "Lena Vik")
    assert text[long_one.content[0].start : long_one.content[0].end].count("ferry") == 30
    built = code_sentence(text, unclosed, "The council")
    assert built.endswith("“a good start.”") and not garbled(built, "The council")


def test_a_cue_inside_brackets_reports_only_what_the_brackets_hold() -> None:
    from claimcheck.attribution.candidates import _in_brackets
    from claimcheck.attribution.parse import Candidate
    from claimcheck.text import Span

    text = (
        "Both candidates face questions about their health after a video showed Grace Obi"
        " stumbling (her campaign later disclosed that she has pneumonia).\n"
    )
    end = text.index(")")
    cue = Span(text.index("disclosed"), text.index("disclosed") + len("disclosed"))
    source = Span(text.index("her campaign"), text.index("her campaign") + len("her campaign"))
    # what a parse that hung the whole sentence on the bracketed verb would give
    whole = Candidate(
        content=(Span(0, end),), cue=cue, source=source, kind="indirect", sentence=Span(0, end + 2)
    )
    cand = _in_brackets(text, whole, whole.sentence)
    assert cand is not None and content_text(text, cand) == "that she has pneumonia"
    assert (
        code_sentence(text, cand, "Her campaign")
        == "Her campaign disclosed that she has pneumonia."
    )
    outside = Candidate(
        content=(Span(0, 20),), cue=cue, source=source, kind="indirect", sentence=whole.sentence
    )
    assert _in_brackets(text, outside, outside.sentence) is None, "nothing of it in the brackets"


def test_a_cue_inside_a_quotation_reports_no_further_than_the_quotation() -> None:
    text = (
        "Dock workers met on Friday.\n\n"
        "“If the crane breaks again we stop, and I would say, ‘Fix it first,’” the foreman"
        " told reporters.\n\n"
        "“Every time you say that,” Ruiz said, “you give the owners an excuse.”\n"
    )
    found = find_candidates(text)
    contents = [content_text(text, c) for c in found]
    assert not any("told reporters" in c or "Ruiz said" in c for c in contents)
    assert all(not garbled(code_sentence(text, c, "Ruiz"), None) for c in found)

    from claimcheck.attribution.candidates import _in_quotation
    from claimcheck.attribution.parse import Candidate
    from claimcheck.text import Span

    def span(phrase: str, end: str | None = None) -> Span:
        """The phrase, or from it to the first ``end`` inside or after it."""
        start = text.index(phrase)
        return Span(start, text.index(end, start) + len(end) if end else start + len(phrase))

    line = span("“If the crane", "reporters.")
    # what a parse that let "would say" run on past the quotation's end would give
    nested = Candidate(
        content=(span("‘Fix", "reporters"),),
        cue=span("would say"),
        source=span("I would say", "I"),
        kind="indirect",
        sentence=line,
    )
    cut = _in_quotation(text, nested, line)
    assert cut is not None and content_text(text, cut) == "‘Fix it first,’"
    line = span("“Every time", "excuse.”")
    you = Candidate(
        content=(span("that,” Ruiz", "excuse"),),
        cue=span("say that", "say"),
        source=span("you say", "you"),
        kind="indirect",
        sentence=line,
    )
    assert _in_quotation(text, you, line) is None  # "that": too little is left


def test_markup_left_in_a_pages_text_is_neither_speech_nor_part_of_a_name() -> None:
    text = (
        'The fact-checkers rated it. <blockquote data-note="the rate is low for young people,'
        ' so we rate it true.">Sanders said that the real rate is 51 percent for young people.\n'
    )
    found = find_candidates(text)
    assert [c.speaker for c in found] == ["Sanders"]
    assert not any("rate it true" in content_text(text, c) for c in found)


def test_a_claim_sentence_makes_good_the_sources_slips_of_print() -> None:
    text = (
        'Mayor Ana Ruiz said there was “no evidence" yet that the crane was at fault.\n\n'
        "Ruiz said the delay came from referring the the matter to the port board.\n\n"
        "The shipyard will pay. (Its owner has also promised to rebuild the pier, but on a"
        " smaller scale.)\n"
    )
    for cand in find_candidates(text):
        built = code_sentence(text, cand, cand.speaker or "Ruiz")
        assert not garbled(built, cand.speaker or "Ruiz"), built
        assert '"' not in built and "the the" not in built and not built.endswith(".).")


def test_garbled_allows_a_particle_before_its_preposition() -> None:
    assert garbled("Ruiz said the storm did the old pier in in 2012.", "Ruiz") == []
    assert garbled("Ruiz said: ”the list goes on, etc etc etc.”", "Ruiz") == []
