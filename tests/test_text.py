from __future__ import annotations

import pytest

from claimcheck import text as T

MIXED = (
    "Ruiz said the tunnel is “the most important decision” in a generation — and she meant it.\r\n"
    "\r\n"
    "Wren disagreed. He called the estimate ‘a number chosen to win a vote’, not a plan.\r\n"
    "\r\n"
    "习近平说，中俄关系经受住了考验。Путин сказал, что визит прошёл успешно. "
    "قال المتحدث إن الاجتماع كان مثمرا.\n"
    "\n"
    'A straight "quote" and a curly “quote” sit side by side. Costs rose 38% to $2.4bn.'
)


def test_sentences_are_exact_spans_of_the_original_text() -> None:
    spans = T.sentences(MIXED)
    assert len(spans) >= 6
    for span in spans:
        piece = MIXED[span.start : span.end]
        assert piece == piece.strip(), "sentences are trimmed of white space"
        assert piece, "no empty sentence"
    assert [MIXED[s.start : s.end] for s in spans][:2] == [
        "Ruiz said the tunnel is “the most important decision” in a generation — and she meant it.",
        "Wren disagreed.",
    ]
    # Spans are ordered and do not overlap.
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_sentences_never_cross_a_paragraph_break() -> None:
    text = "Headline without a full stop\n\nThe body starts here. It goes on."
    spans = T.sentences(text)
    assert [text[s.start : s.end] for s in spans] == [
        "Headline without a full stop",
        "The body starts here.",
        "It goes on.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\n\nb", ["a", "b"]),
        ("a\r\n\r\nb", ["a", "b"]),
        ("a\n  \t\nb", ["a", "b"]),
        ("a\nb", ["a\nb"]),
        ("  a  \n\n\n\n  b  ", ["a", "b"]),
        ("a\u2029b", ["a", "b"]),
        ("\n\n", []),
    ],
)
def test_paragraphs(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in T.paragraphs(text)] == expected


def test_chunks_are_sentence_aligned_sized_and_overlapping() -> None:
    sentences = [f"Sentence number {i} says something about the harbor tunnel." for i in range(60)]
    text = " ".join(sentences)
    spans = T.sentences(text)
    chunks = T.chunks(text, spans, size=300, overlap=120)
    starts = {s.start for s in spans}
    ends = {s.end for s in spans}
    assert len(chunks) > 5
    for chunk in chunks:
        assert chunk.start in starts and chunk.end in ends, "chunks start and end on sentences"
        assert len(chunk) <= 300
    # Consecutive chunks share whole sentences, but never more than the overlap.
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.start < a.end, "consecutive chunks overlap"
        assert a.end - b.start <= 120
        assert b.start > a.start, "every chunk moves forward"
    # Together they cover every sentence.
    covered = set()
    for c in chunks:
        covered |= {s for s in spans if c.start <= s.start and s.end <= c.end}
    assert covered == set(spans)


def test_a_sentence_longer_than_a_chunk_is_cut_at_white_space() -> None:
    text = "word " * 500 + "end."
    chunks = T.chunks(text, T.sentences(text), size=200, overlap=0)
    assert all(len(c) <= 200 for c in chunks)
    assert all(text[c.start : c.end] == text[c.start : c.end].strip() for c in chunks)
    assert "".join(text[c.start : c.end] + " " for c in chunks).split() == text.split()


def test_chunks_of_non_latin_and_crlf_text_keep_exact_offsets() -> None:
    text = MIXED * 5
    chunks = T.chunks(text, T.sentences(text), size=250, overlap=80)
    assert chunks[0].start == 0
    assert chunks[-1].end == len(text.rstrip())
    covered = [False] * len(text)
    for chunk in chunks:
        covered[chunk.start : chunk.end] = [True] * len(chunk)
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert missing == [], "every character outside white space is in some chunk"


def test_article_id_ignores_white_space_and_line_endings_only() -> None:
    base = T.article_id("Ruiz said yes.\n\nWren said no.")
    assert T.article_id("Ruiz said yes.\r\n\r\nWren said no.  ") == base
    assert T.article_id("  Ruiz  said yes. Wren said no.") == base
    assert T.article_id("Ruiz said no.\n\nWren said yes.") != base
    # Composed and decomposed accents are the same text.
    assert T.article_id("Bankolé") == T.article_id("Bankole\u0301")
    assert len(base) == 16


def test_trim() -> None:
    assert T.trim("  ab  ", 0, 6) == (2, 4)
    assert T.trim("   ", 0, 3) is None
