"""What the tasks read again and again, remembered in memory: stored articles by id, their
sentences, and the embeddings of sentences and claims. Bounded: a full table is cleared."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import text as textlib
from .furniture import evidence_sentences
from .models import Article, Chunk
from .store import Store

MAX_SENTENCE_LISTS = 10_000
MAX_VECTORS = 50_000


class Reading:
    """The articles of one store as the tasks read them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._articles: dict[str, Article] = {}
        self._sentences: dict[str, list[textlib.Span]] = {}
        self._vectors: dict[str, Any] = {}

    def article(self, article_id: str) -> Article:
        """The stored article; :class:`~claimcheck.errors.NotFound` if none."""
        cached = self._articles.get(article_id)
        if cached is None:
            cached = self._articles[article_id] = self.store.get(article_id)
        return cached

    def hold(self, article: Article) -> None:
        """Remember an article that is not stored (a text checked against), by its id."""
        self._articles.setdefault(article.id, article)

    def sentences(self, article: Article) -> list[textlib.Span]:
        """The article's sentences that may be evidence (no link teaser or comment form)."""
        if article.id not in self._sentences:
            if len(self._sentences) > MAX_SENTENCE_LISTS:
                self._sentences.clear()
            self._sentences[article.id] = evidence_sentences(article.text)
        return self._sentences[article.id]

    def candidates(self, article: Article) -> list[tuple[Article, textlib.Span]]:
        """Every sentence of the article, as (article, span)."""
        return [(article, s) for s in self.sentences(article)]

    def chunk_sentences(self, chunks: Iterable[Chunk]) -> list[tuple[Article, textlib.Span]]:
        """The sentences inside the given chunks, each once, as (article, span)."""
        out = []
        seen: set[tuple[str, int]] = set()
        for chunk in chunks:
            article = self.article(chunk.article_id)
            for span in self.sentences(article):
                inside = chunk.start <= span.start and span.end <= chunk.end
                if inside and (article.id, span.start) not in seen:
                    seen.add((article.id, span.start))
                    out.append((article, span))
        return out

    def embed(self, texts: list[str]) -> list[Any]:
        """Embeddings, remembered for the sentences that come up again and again."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if len(self._vectors) + len(missing) > MAX_VECTORS:
            self._vectors.clear()
        if missing:
            for text, vector in zip(missing, self.store.embed(missing), strict=True):
                self._vectors[text] = vector
        return [self._vectors[t] for t in texts]
