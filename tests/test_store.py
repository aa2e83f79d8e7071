"""The store, run against the embedded Chroma and against a real `chroma run` server."""

from __future__ import annotations

import itertools
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from claimcheck import ClaimCheck, InputError, NotFound
from claimcheck.text import article_id

from .articles import EXAMPLE, ORCHARD, SUMMIT

_prefixes = itertools.count()


@pytest.fixture(params=["embedded", "http"])
def cc(request: pytest.FixtureRequest, home: Path) -> Iterator[ClaimCheck]:
    if request.param == "embedded":
        client = ClaimCheck(home=home)
    else:
        url = request.getfixturevalue("chroma_server")
        # One server for the session: each test gets collections of its own.
        client = ClaimCheck(home=home, chroma_url=url, collection_prefix=f"t{next(_prefixes)}")
    with client:
        yield client


def test_ingest_stores_the_exact_text_and_exact_chunks(cc: ClaimCheck) -> None:
    article = cc.ingest(SUMMIT, title="Summit", source="Wire", published="2026-05-02T10:00:00Z")
    assert article.id == article_id(SUMMIT)
    stored = cc.get(article.id)
    assert stored.text == SUMMIT, "CRLF, curly quotes and non-Latin text come back unchanged"
    assert (stored.title, stored.source) == ("Summit", "Wire")
    assert stored.published is not None and stored.published.year == 2026
    chunks = cc.chunks(article.id)
    assert len(chunks) == stored.chunk_count >= 1
    for chunk in chunks:
        assert SUMMIT[chunk.start : chunk.end] == chunk.text


def test_ingesting_the_same_article_twice_stores_it_once(cc: ClaimCheck) -> None:
    first = cc.ingest(EXAMPLE)
    again = cc.ingest(EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n"))
    assert again.id == first.id
    assert [a.id for a in cc.articles()] == [first.id]
    assert cc.store.count_chunks() == first.chunk_count
    assert cc.get(first.id).text == EXAMPLE.read_text(encoding="utf-8"), "first text is kept"


def test_delete_removes_the_article_and_its_chunks(cc: ClaimCheck) -> None:
    keep = cc.ingest(ORCHARD)
    gone = cc.ingest(EXAMPLE)
    cc.delete(gone.id)
    assert [a.id for a in cc.articles()] == [keep.id]
    assert cc.store.count_chunks() == keep.chunk_count
    with pytest.raises(NotFound):
        cc.get(gone.id)
    with pytest.raises(NotFound):
        cc.delete(gone.id)
    assert all(hit.article_id == keep.id for hit in cc.search("harbor tunnel cost", k=10))


def test_search_ranks_the_relevant_article_first_and_filters(cc: ClaimCheck) -> None:
    harbor = cc.ingest(EXAMPLE)
    orchard = cc.ingest(ORCHARD)
    cc.ingest(SUMMIT)
    hits = cc.search("How much will the harbor tunnel cost?", k=3)
    assert hits[0].article_id == harbor.id
    scores = [h.score for h in hits if h.score is not None]
    assert len(scores) == len(hits) and scores == sorted(scores, reverse=True)
    frost = cc.search("frost damage to apple blossom", k=1)
    assert frost[0].article_id == orchard.id and "frost" in frost[0].text
    only = cc.search("tunnel", k=5, article_id=orchard.id)
    assert only and {h.article_id for h in only} == {orchard.id}
    with pytest.raises(NotFound):
        cc.search("tunnel", article_id="0000000000000000")
    with pytest.raises(InputError, match="empty"):
        cc.search("   ")


@pytest.mark.parametrize("bad", ["", "   \n\t  \r\n"])
def test_empty_text_is_refused_and_nothing_changes(cc: ClaimCheck, bad: str) -> None:
    kept = cc.ingest(ORCHARD)
    with pytest.raises(InputError, match="empty"):
        cc.ingest(bad)
    assert [a.id for a in cc.articles()] == [kept.id]
    assert cc.store.count_chunks() == kept.chunk_count


def test_too_long_text_names_the_setting(home: Path) -> None:
    with ClaimCheck(home=home, max_article_chars=1000) as cc:
        with pytest.raises(InputError, match="CLAIMCHECK_MAX_ARTICLE_CHARS"):
            cc.ingest("word " * 300)
        assert cc.articles() == []


def test_unfinished_writes_are_invisible_and_repaired_only_when_dead(cc: ClaimCheck) -> None:
    """A pending record (a write in progress) hides its chunks; a stale one is rolled back."""
    import claimcheck.store as store_module

    done = cc.ingest(ORCHARD)
    store = cc.store
    article = cc.get(done.id)
    chunks = cc.chunks(done.id)
    # Simulate another writer in the middle of ingesting the harbor article, this process alive.
    harbor = cc.ingest(EXAMPLE)
    store.articles.update(
        ids=[harbor.id],
        metadatas=[{"status": "pending", "writer": store_module._writer(), "t": time.time()}],
    )
    assert [a.id for a in cc.articles()] == [article.id]
    assert all(h.article_id == article.id for h in cc.search("harbor tunnel", k=5))
    with pytest.raises(NotFound):
        cc.get(harbor.id)
    assert store.repair() == [], "a live writer's record is left alone"
    assert store.count_chunks() == len(chunks) + harbor.chunk_count
    # The same record long after: the writer is presumed dead and the write rolled back.
    store.articles.update(ids=[harbor.id], metadatas=[{"t": time.time() - 2 * 3600}])
    assert store.repair() == [harbor.id]
    assert store.count_chunks() == len(chunks)
    assert cc.ingest(EXAMPLE).chunk_count == harbor.chunk_count, "it can be ingested again"


def test_stores_share_one_embedding_session(home: Path) -> None:
    """A ClaimCheck per request or per test must not load a model of its own: each used to
    hold its own ONNX session (~140 MB that closing did not free)."""
    sessions = set()
    for n in range(3):
        other = home.parent / f"home{n}"
        shutil.copytree(home, other)
        with ClaimCheck(home=other) as cc:
            cc.ingest(f"Article {n}: the harbor tunnel opens in 2033, the mayor said.")
            assert cc.search("harbor tunnel")
            sessions.add(id(cc.store._ef.model))
    assert len(sessions) == 1
