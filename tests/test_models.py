from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from claimcheck import Article, Chunk, Quote

TEXT = "Mayor Ana Ruiz called the vote “the most important decision” — twice.\r\nDone."


def article() -> Article:
    return Article(id="abc", text=TEXT, ingested_at=datetime.now(UTC))


def test_quote_from_span_is_verbatim() -> None:
    start = TEXT.index("“")
    end = TEXT.index("”") + 1
    quote = Quote.from_span(article(), start, end)
    assert quote.text == "“the most important decision”"
    assert quote.verify(article())


def test_quote_that_is_not_verbatim_is_rejected_with_the_article_text() -> None:
    start = TEXT.index("the vote")
    data = {"article_id": "abc", "text": "the VOTE", "start": start, "end": start + 8}
    Quote.model_validate(data)  # without the source only the length can be checked
    with pytest.raises(ValidationError, match="not verbatim"):
        Quote.model_validate(data, context={"article_text": TEXT})


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 3, "before its start"), (0, 4, "is 4 characters"), (len(TEXT), len(TEXT) + 3, "past")],
)
def test_quote_spans_are_checked(start: int, end: int, message: str) -> None:
    data = {"article_id": "abc", "text": "abc", "start": start, "end": end}
    with pytest.raises(ValidationError, match=message):
        Quote.model_validate(data, context={"article_text": TEXT})


def test_verify_rejects_a_quote_of_another_article() -> None:
    quote = Quote.from_span(article(), 0, 5)
    other = article().model_copy(update={"id": "other"})
    assert not quote.verify(other)


def test_chunk_length_must_match_its_span() -> None:
    with pytest.raises(ValidationError):
        Chunk(article_id="abc", index=0, text="abcd", start=0, end=3)


def test_all_is_every_public_name_the_package_exposes() -> None:
    """``claimcheck.__all__`` is exactly the package's public names, sorted (httpx's
    test_exported_members): nothing exposed is missing from it, nothing in it is missing."""
    import types

    import claimcheck
    from claimcheck import errors, models

    exposed = {
        name
        for name, value in vars(claimcheck).items()
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert claimcheck.__all__ == sorted(exposed)
    # and every public class of the models and errors modules is exposed
    defined = {
        name
        for module in (models, errors)
        for name, value in vars(module).items()
        if isinstance(value, type) and value.__module__ == module.__name__ and name[0].isupper()
    }
    assert defined <= exposed, defined - exposed
