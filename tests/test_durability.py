"""What survives a process: persistence, reopening without claimcheck's help, and kills."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from claimcheck import ClaimCheck

from .articles import EXAMPLE, ORCHARD


def run_python(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(home), str(EXAMPLE)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_articles_persist_across_processes(home: Path) -> None:
    done = run_python(
        """
        import sys
        from pathlib import Path
        from claimcheck import ClaimCheck
        print(ClaimCheck(home=sys.argv[1]).ingest(Path(sys.argv[2])).id)
        """,
        home,
    )
    assert done.returncode == 0, done.stderr
    with ClaimCheck(home=home) as cc:
        article = cc.get(done.stdout.strip())
        assert article.text == EXAMPLE.read_text(encoding="utf-8")
        assert cc.search("tunnel toll", k=1)[0].article_id == article.id


def test_collection_reopens_in_a_new_process_without_passing_the_embedder(home: Path) -> None:
    """The embedding function is registered with Chroma, so plain chromadb can query the store."""
    with ClaimCheck(home=home) as cc:
        article = cc.ingest(EXAMPLE)
    done = run_python(
        """
        import sys, chromadb
        import claimcheck  # registers the embedding function by name
        client = chromadb.PersistentClient(path=sys.argv[1] + "/chroma")
        chunks = client.get_collection("claimcheck_chunks")
        print(type(chunks.configuration["embedding_function"]).__name__)
        found = chunks.query(query_texts=["How much is the toll per crossing?"], n_results=1)
        print(found["metadatas"][0][0]["article_id"])
        """,
        home,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["OfflineMiniLM", article.id]


@pytest.mark.parametrize(
    "die_in",
    [
        pytest.param("add", id="while-writing-chunks"),
        pytest.param("update", id="before-the-commit-mark"),
    ],
)
def test_a_process_killed_mid_ingest_leaves_no_half_written_article(
    home: Path, die_in: str
) -> None:
    with ClaimCheck(home=home) as cc:
        kept = cc.ingest(ORCHARD)
    # The child is SIGKILLed (no cleanup runs) when it first calls Collection.<die_in>.
    killed = run_python(
        f"""
        import os, signal, sys
        from pathlib import Path
        from chromadb.api.models.Collection import Collection
        from claimcheck import ClaimCheck

        def die(self, *args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        cc = ClaimCheck(home=sys.argv[1])
        Collection.{die_in} = die
        cc.ingest(Path(sys.argv[2]))
        print("not killed")
        """,
        home,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    with ClaimCheck(home=home) as cc:
        assert [a.id for a in cc.articles()] == [kept.id]
        assert cc.store.count_chunks() == kept.chunk_count, "the dead write was rolled back"
        assert {h.article_id for h in cc.search("harbor tunnel", k=10)} == {kept.id}
        article = cc.ingest(EXAMPLE)
        assert cc.get(article.id).text == EXAMPLE.read_text(encoding="utf-8")
        assert len(cc.chunks(article.id)) == article.chunk_count > 1
