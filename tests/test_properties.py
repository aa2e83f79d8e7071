"""Property tests: for arbitrary Unicode text, every span the code returns is a real, trimmed
piece of the text, and every quote built from one equals ``text[start:end]``."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimcheck.attribution import find_candidates
from claimcheck.models import Article, Quote
from claimcheck.text import article_id, chunks, paragraphs, sentences, trim

# News-like pieces (quotes of every style, dashes, CRLF, non-Latin scripts, combining marks,
# emoji, paragraph separators) mixed with arbitrary characters.
PIECES = st.sampled_from(
    [
        "“We will rebuild,” she said.",
        '"No comment," a spokesman said.',
        "The minister said that talks had failed.",
        "According to the report, 12% of homes flooded.",
        "Ерлан Карин said the deal was close.",
        "王毅 did not comment.",
        "e\u0301te\u0301 — ",
        "🚢 ",
        "\r\n",
        "\n\n",
        "\u2029",
        "‘single’ and ‘nested “double”’ ",
        "Mr. Smith, 54, said: ",
    ]
)
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), min_size=1, max_size=14).map("".join)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _article(text: str) -> Article:
    return Article(id=article_id(text), text=text, ingested_at=datetime.now(UTC))


def _is_trimmed(text: str, start: int, end: int) -> bool:
    piece = text[start:end]
    return 0 <= start < end <= len(text) and piece == piece.strip()


@SLOW
@given(TEXTS)
def test_paragraphs_and_sentences_are_ordered_trimmed_spans(text: str) -> None:
    paras = paragraphs(text)
    sents = sentences(text)
    for spans in (paras, sents):
        assert all(_is_trimmed(text, s.start, s.end) for s in spans)
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    # every sentence lies inside one paragraph
    assert all(any(p.start <= s.start and s.end <= p.end for p in paras) for s in sents)
    # nothing but white space is left out
    covered: set[int] = set()
    for s in sents:
        covered.update(range(s.start, s.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@SLOW
@given(TEXTS, st.integers(200, 1200), st.integers(0, 300))
@example("“We will rebuild,” she said." * 8, 200, 0)  # one 224-char sentence (found by CI)
def test_chunks_are_spans_that_cover_every_sentence(text: str, size: int, overlap: int) -> None:
    sents = sentences(text)
    spans = chunks(text, sents, size=size, overlap=overlap)
    assert all(_is_trimmed(text, c.start, c.end) for c in spans)
    covered: set[int] = set()
    for c in spans:
        covered.update(range(c.start, c.end))
    for s in sents:
        if s.end - s.start <= size:  # a sentence that fits a chunk lies whole in one
            assert any(c.start <= s.start and s.end <= c.end for c in spans)
        else:  # a longer one is cut at white space (or hard), nothing of it lost
            assert all(text[i].isspace() or i in covered for i in range(s.start, s.end))


@SLOW
@given(TEXTS)
@example("000\rÁTüЕрлан Карин said the deal was close.")  # a carriage return inside a token
def test_every_attribution_span_makes_an_exact_quote(text: str) -> None:
    article = _article(text)
    for cand in find_candidates(text):
        spans = [*cand.content, *(s for s in (cand.source, cand.cue) if s is not None)]
        for span in spans:
            assert _is_trimmed(text, span.start, span.end)
            quote = Quote.from_span(article, span.start, span.end)
            assert quote.verify(article) and text[quote.start : quote.end] == quote.text


@given(st.text(), st.integers(-5, 40), st.integers(-5, 40))
def test_trim_returns_a_stripped_sub_span_or_none(text: str, start: int, end: int) -> None:
    start, end = max(0, start), max(0, end)
    span = trim(text, start, end)
    if span is None:
        assert text[start:end].strip() == ""
    else:
        assert text[span.start : span.end] == text[start:end].strip()


@given(st.text(min_size=1), st.data())
def test_a_quote_is_valid_exactly_when_it_is_the_text_at_its_offsets(text: str, data) -> None:
    article = _article(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = Quote.from_span(article, start, end)
    assert quote.verify(article)
    other = data.draw(st.text(min_size=end - start, max_size=end - start))
    forged = {"article_id": article.id, "text": other, "start": start, "end": end}
    if other == text[start:end]:
        assert Quote.model_validate(forged, context={"article_text": text}).verify(article)
    else:
        try:
            Quote.model_validate(forged, context={"article_text": text})
        except ValueError as exc:
            assert "not verbatim" in str(exc)
        else:
            raise AssertionError("a forged quote passed validation")
