"""The article store: Chroma, embedded on disk by default or a Chroma server. The only module
that talks to chromadb.

Two collections share a prefix: ``<prefix>_articles`` holds each article's full text and
metadata, ``<prefix>_chunks`` its sentence-aligned chunks with embeddings. Chroma has no
transactions, so a write is made all-or-nothing with a status on the article record:

1. the article record is written with ``status="pending"``;
2. its chunks are written;
3. the record is switched to ``status="ready"``.

Readers see only ready articles and drop chunks whose article is not ready. A pending record left
by a killed writer is rolled back (its chunks deleted) the next time a store is opened. Deletion
runs the other way: mark ``deleting``, drop the chunks, drop the record.
"""

from __future__ import annotations

import base64
import fcntl
import logging
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse, urlsplit, urlunsplit

from .embeddings import MODEL_ID, make_embedding_function
from .errors import NotFound, StoreError
from .models import Article, Chunk
from .settings import Settings

log = logging.getLogger(__name__)

READY, PENDING, DELETING = "ready", "pending", "deleting"
# A pending write from another machine is presumed dead after this long.
STALE_SECONDS = 3600.0


def redact(url: str) -> str:
    """A URL without the user and password it may carry: http://user:secret@host:8000 ->
    http://***@host:8000. Every message and log line that names the store uses this."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


_USERINFO = re.compile(r"(\w+://)[^/\s@]+@")


def redact_text(value: object) -> str:
    """Any text with the user and password of every URL in it replaced by ***."""
    return _USERINFO.sub(r"\1***@", str(value))


class _Lock:
    """An exclusive lock on the embedded store, shared by every Store of this process."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self.fd, self.users = path, fd, 1

    def release(self) -> None:
        with _LOCKS_GUARD:
            self.users -= 1
            if self.users == 0:
                del _LOCKS[self.path]
                fcntl.flock(self.fd, fcntl.LOCK_UN)
                os.close(self.fd)


_LOCKS: dict[Path, _Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_embedded(folder: Path) -> _Lock:
    """Hold the embedded store for this process. Embedded Chroma cannot be shared between
    processes (each keeps its own copy of the vector index: a delete made by one is still
    served by the other, and two writers can corrupt it), so a second process is refused with
    a message that says what to do instead."""
    folder.mkdir(parents=True, exist_ok=True)
    path = (folder / "claimcheck.lock").resolve()
    with _LOCKS_GUARD:
        held = _LOCKS.get(path)
        if held is not None:
            held.users += 1
            return held
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(fd)
            raise StoreError(
                f"the embedded store at {folder} is in use by another process ({holder}); "
                "embedded Chroma cannot be shared between processes. Stop that process, or "
                "run a Chroma server (`chroma run --path DIR`) and point every claimcheck "
                "process at it with CLAIMCHECK_CHROMA_URL."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {' '.join(sys.argv)[:150]}".encode(), 0)
        _LOCKS[path] = lock = _Lock(path, fd)
        return lock


def _writer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


CHUNK_KEYS = ("article_id", "index", "start", "end")


def _whole(meta: dict[str, Any] | None, doc: str | None = "") -> bool:
    """A chunk record that is all there: one deleted while this reader looked comes back
    without its metadata or text, and is skipped rather than failing the read."""
    return meta is not None and doc is not None and all(k in meta for k in CHUNK_KEYS)


def _and(conditions: Sequence[dict[str, Any] | None]) -> dict[str, Any] | None:
    present = [c for c in conditions if c]
    if not present:
        return None
    return present[0] if len(present) == 1 else {"$and": present}


def chunk_filter(
    article_ids: Sequence[str] | None = None,
    source: str | None = None,
    published_after: datetime | None = None,
    published_before: datetime | None = None,
) -> dict[str, Any] | None:
    """A Chroma filter on chunk metadata: some articles, one source, a publication window."""
    conditions: list[dict[str, Any] | None] = []
    if article_ids:
        conditions.append({"article_id": {"$in": list(article_ids)}})
    if source:
        conditions.append({"source": source})
    if published_after:
        conditions.append({"published_ts": {"$gte": _epoch(published_after)}})
    if published_before:
        conditions.append({"published_ts": {"$lte": _epoch(published_before)}})
    return _and(conditions)


def _epoch(value: datetime) -> float:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


class Store:
    """Articles and their chunks in Chroma."""

    def __init__(self, settings: Settings, embedding_function: Any | None = None) -> None:
        self.settings = settings
        self.embed_seconds = 0.0  # time spent embedding, for benchmarks
        self._ef = embedding_function or make_embedding_function(
            settings.home / "models" / MODEL_ID
        )
        self._lock = None if settings.chroma_url else _lock_embedded(settings.home / "chroma")
        try:
            self.client = self._connect(settings)
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
        try:
            self.articles = self.client.get_or_create_collection(
                f"{settings.collection_prefix}_articles",
                embedding_function=self._ef,
                configuration={"hnsw": {"space": "cosine"}},
            )
            self.chunks = self.client.get_or_create_collection(
                f"{settings.collection_prefix}_chunks",
                embedding_function=self._ef,
                configuration={"hnsw": {"space": "cosine"}},
            )
            # Results made from the articles (corpus.py): claim sets and summaries.
            self.claims = self.client.get_or_create_collection(
                f"{settings.collection_prefix}_claims",
                embedding_function=self._ef,
                configuration={"hnsw": {"space": "cosine"}},
            )
            self.summaries = self.client.get_or_create_collection(
                f"{settings.collection_prefix}_summaries",
                embedding_function=self._ef,
                configuration={"hnsw": {"space": "cosine"}},
            )
            self.batch = self.client.get_max_batch_size()
        except Exception as exc:  # chromadb raises many types; name the store in one error
            self.close()
            raise StoreError(
                f"cannot open the article store at {self.location}: {redact_text(exc)}"
            ) from exc
        self.repair()

    def close(self) -> None:
        """Release the Chroma client (database files, HTTP connections) and the embedded
        store's lock."""
        self.client.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def location(self) -> str:
        """Where the store is, safe to print: a server URL without its user and password."""
        return (
            redact(self.settings.chroma_url)
            if self.settings.chroma_url
            else str(self.settings.home / "chroma")
        )

    def heartbeat(self) -> None:
        """Raise :class:`StoreError` unless the store answers (for /healthz)."""
        try:
            self.client.heartbeat()
            self.articles.count()
        except Exception as exc:
            raise StoreError(
                f"the article store at {self.location} does not answer: {exc}"
            ) from exc

    @staticmethod
    def _connect(settings: Settings) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if settings.chroma_url:
                url = urlparse(settings.chroma_url)
                ssl = url.scheme == "https"
                headers = {}
                if url.username is not None:  # http://user:password@host: basic auth
                    pair = f"{unquote(url.username)}:{unquote(url.password or '')}"
                    headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
                return chromadb.HttpClient(
                    host=url.hostname or "localhost",
                    port=url.port or (443 if ssl else 8000),
                    ssl=ssl,
                    headers=headers,
                    settings=chroma_settings,
                )
            path = settings.home / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception as exc:
            where = redact(settings.chroma_url) if settings.chroma_url else settings.home / "chroma"
            raise StoreError(
                f"cannot open the article store at {where}: {redact_text(exc)}"
            ) from exc

    # -- embeddings -------------------------------------------------------------------------

    def embed(self, texts: Sequence[str]) -> list[Any]:
        started = time.perf_counter()
        vectors = list(self._ef(list(texts)))
        self.embed_seconds += time.perf_counter() - started
        return vectors

    # -- writes -----------------------------------------------------------------------------

    def put(self, article: Article, chunks: Sequence[Chunk]) -> Article:
        """Store an article and its chunks whole, or not at all. Returns the stored article."""
        vectors = self.embed([c.text for c in chunks] + [self._lead(article, chunks)])
        record = self._metadata(article, len(chunks))
        try:
            self.articles.upsert(
                ids=[article.id],
                documents=[article.text],
                embeddings=[vectors[-1]],
                metadatas=[{**record, "status": PENDING, "writer": _writer(), "t": time.time()}],
            )
            self.chunks.delete(where={"article_id": article.id})
            for first in range(0, len(chunks), self.batch):
                part = chunks[first : first + self.batch]
                self.chunks.add(
                    ids=[f"{c.article_id}:{c.index}" for c in part],
                    documents=[c.text for c in part],
                    embeddings=vectors[first : first + len(part)],
                    metadatas=[self._chunk_metadata(article, c) for c in part],
                )
            self.articles.update(ids=[article.id], metadatas=[{**record, "status": READY}])
        except BaseException as exc:
            # Interrupted or failed: leave nothing half-written (a kill is repaired on next open).
            self._rollback(article.id)
            if isinstance(exc, Exception):
                raise StoreError(f"could not store article {article.id}: {exc}") from exc
            raise
        return article.model_copy(update={"chunk_count": len(chunks)})

    def delete(self, article_id: str) -> None:
        found = self.articles.get(ids=[article_id], include=["metadatas"])
        if not found["ids"] or (found["metadatas"][0] or {}).get("status") != READY:
            raise NotFound("article", article_id)
        self.articles.update(ids=[article_id], metadatas=[{"status": DELETING}])
        self._rollback(article_id)

    def _rollback(self, article_id: str) -> None:
        """Remove every trace of an article: chunks and results first, the record last."""
        try:
            self.chunks.delete(where={"article_id": article_id})
            self.drop_results(article_id)
            self.articles.delete(ids=[article_id])
        except Exception as exc:
            raise StoreError(f"could not remove article {article_id}: {exc}") from exc

    def drop_results(self, article_id: str) -> None:
        """Remove the claims and summaries made from an article."""
        self.claims.delete(where={"article_id": article_id})
        self.summaries.delete(where={"article_id": article_id})

    def repair(self) -> list[str]:
        """Roll back writes and deletes that a killed process left half done; return their ids."""
        found = self.articles.get(where={"status": {"$ne": READY}}, include=["metadatas"])
        host = socket.gethostname()
        repaired = []
        for article_id, meta in zip(found["ids"], found["metadatas"], strict=True):
            meta = meta or {}
            if meta.get("status") == PENDING:
                writer_host, _, pid = str(meta.get("writer", "")).rpartition(":")
                mine = writer_host == host and pid.isdigit()
                alive = _pid_alive(int(pid)) if mine else True
                fresh = time.time() - float(meta.get("t", 0)) < STALE_SECONDS
                if alive and fresh:
                    continue  # another process is writing it right now
            log.warning("rolling back unfinished write of article %s", article_id)
            self._rollback(article_id)
            repaired.append(article_id)
        return repaired

    # -- reads ------------------------------------------------------------------------------

    def has(self, article_id: str) -> bool:
        return bool(self.ready_ids([article_id]))

    def get(self, article_id: str) -> Article:
        found = self.articles.get(ids=[article_id], include=["documents", "metadatas"])
        articles = self._articles(found)
        if not articles:
            raise NotFound("article", article_id)
        return articles[0]

    def with_url(self, url: str) -> Article | None:
        """The stored article published at ``url``, if any."""
        found = self.articles.get(where={"url": url}, include=["documents", "metadatas"])
        articles = self._articles(found)
        return articles[0] if articles else None

    def all_articles(self) -> list[Article]:
        found = self.articles.get(where={"status": READY}, include=["documents", "metadatas"])
        return sorted(self._articles(found), key=lambda a: (a.ingested_at, a.id))

    def count_chunks(self) -> int:
        return int(self.chunks.count())

    def article_chunks(self, article_id: str) -> list[Chunk]:
        if not self.has(article_id):
            raise NotFound("article", article_id)
        found = self.chunks.get(
            where={"article_id": article_id}, include=["documents", "metadatas"]
        )
        chunks = [
            self._chunk(doc, meta)
            for doc, meta in zip(found["documents"], found["metadatas"], strict=True)
            if _whole(meta, doc)
        ]
        return sorted(chunks, key=lambda c: c.index)

    def search(
        self,
        query: str,
        k: int = 5,
        article_id: str | None = None,
        where: dict[str, Any] | None = None,
    ) -> list[Chunk]:
        """The ``k`` chunks nearest to ``query``, best first, each with a score in [-1, 1].

        ``where`` is a Chroma metadata filter on chunks (see :func:`chunk_filter`).
        """
        if article_id is not None and not self.has(article_id):
            raise NotFound("article", article_id)
        vector = self.embed([query])[0]
        if article_id:
            where = _and([{"article_id": article_id}, where])
        n = k
        while True:
            found = self.chunks.query(
                query_embeddings=[vector],
                n_results=n,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
            docs, metas, dists = found["documents"][0], found["metadatas"][0], found["distances"][0]
            ready = self.ready_ids({str(m["article_id"]) for m in metas if _whole(m)})
            hits = [
                self._chunk(doc, meta, score=1.0 - float(dist))
                for doc, meta, dist in zip(docs, metas, dists, strict=True)
                if _whole(meta, doc) and meta["article_id"] in ready
            ]
            # Chunks of unfinished writes were skipped; ask for more until k or exhausted.
            if len(hits) >= k or len(docs) < n:
                return hits[:k]
            n *= 4

    def lexical(
        self, terms: Sequence[str], limit: int = 50, where: dict[str, Any] | None = None
    ) -> list[list[Chunk]]:
        """For each term, the chunks whose text contains it (Chroma's full-text filter)."""
        results = []
        for term in terms:
            found = self.chunks.get(
                where=where,
                where_document={"$contains": term},
                limit=limit,
                include=["documents", "metadatas"],
            )
            metas = found["metadatas"]
            ready = self.ready_ids({str(m["article_id"]) for m in metas if _whole(m)})
            results.append(
                [
                    self._chunk(doc, meta)
                    for doc, meta in zip(found["documents"], metas, strict=True)
                    if _whole(meta, doc) and meta["article_id"] in ready
                ]
            )
        return results

    # -- conversions ------------------------------------------------------------------------

    def ready_ids(self, ids: Sequence[str] | set[str]) -> set[str]:
        if not ids:
            return set()
        found = self.articles.get(ids=list(ids), include=["metadatas"])
        return {
            i
            for i, m in zip(found["ids"], found["metadatas"], strict=True)
            if (m or {}).get("status") == READY
        }

    def article_vector(self, article_id: str) -> list[float]:
        """The embedding the article's record was stored with."""
        found = self.articles.get(ids=[article_id], include=["embeddings"])
        if not found["ids"]:
            raise NotFound("article", article_id)
        return [float(x) for x in found["embeddings"][0]]

    @staticmethod
    def _lead(article: Article, chunks: Sequence[Chunk]) -> str:
        """What the article record is embedded from: its title and first chunk."""
        first = chunks[0].text if chunks else article.text[:800]
        return f"{article.title}\n\n{first}" if article.title else first

    @staticmethod
    def _metadata(article: Article, chunk_count: int) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "ingested_at": article.ingested_at.isoformat(),
            "chunk_count": chunk_count,
        }
        for field in ("title", "source", "url", "author", "site"):
            if (value := getattr(article, field)) is not None:
                meta[field] = value
        if article.published is not None:
            meta["published"] = article.published.isoformat()
            meta["published_ts"] = _epoch(article.published)
        return meta

    @staticmethod
    def _chunk_metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "article_id": chunk.article_id,
            "index": chunk.index,
            "start": chunk.start,
            "end": chunk.end,
        }
        if article.source is not None:
            meta["source"] = article.source
        if article.published is not None:
            meta["published_ts"] = _epoch(article.published)
        return meta

    @staticmethod
    def _chunk(doc: str, meta: dict[str, Any], score: float | None = None) -> Chunk:
        return Chunk(
            article_id=str(meta["article_id"]),
            index=int(meta["index"]),
            text=doc,
            start=int(meta["start"]),
            end=int(meta["end"]),
            score=score,
        )

    @staticmethod
    def _articles(found: dict[str, Any]) -> list[Article]:
        articles = []
        for article_id, doc, meta in zip(
            found["ids"], found["documents"], found["metadatas"], strict=True
        ):
            meta = meta or {}
            if meta.get("status") != READY or doc is None or "ingested_at" not in meta:
                continue  # unfinished, or vanished under us (another process deleted it)
            articles.append(
                Article(
                    id=article_id,
                    title=meta.get("title"),
                    source=meta.get("source"),
                    url=meta.get("url"),
                    published=meta.get("published"),
                    author=meta.get("author"),
                    site=meta.get("site"),
                    text=doc,
                    ingested_at=meta["ingested_at"],
                    chunk_count=int(meta.get("chunk_count", 0)),
                )
            )
        return articles
