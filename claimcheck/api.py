"""``ClaimCheck``: the one object users call. The CLI and the HTTP server are thin layers on it."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel

from . import ask as ask_module
from . import batch, evidence, llm, prompts
from . import check as check_module
from . import claims as claims_module
from . import summarize as summarize_module
from . import text as textlib
from .corpus import Index
from .errors import InputError
from .ingest import Ingest, Progress
from .models import (
    Answer,
    Article,
    BatchReport,
    Chunk,
    Claim,
    ClaimHit,
    ClaimSet,
    IngestReport,
    Report,
    Speaker,
    Summary,
    Verdict,
    published_window,
    valid_claim,
)
from .reading import Reading
from .runner import ModelRunner
from .settings import Settings
from .store import Store, chunk_filter
from .structured import Usage
from .versions import code_version

T = TypeVar("T")
log = logging.getLogger(__name__)


class ClaimCheck:
    """Ingest news articles, then search them (summaries, claims and checks build on this).

        cc = ClaimCheck(home="/tmp/cc")
        article = cc.ingest(Path("story.txt"), source="Harbor Gazette")
        hits = cc.search("tunnel cost", k=3)

    Settings come from the arguments, then ``CLAIMCHECK_*`` environment variables, then defaults.
    """

    def __init__(
        self,
        home: str | Path | None = None,
        *,
        chroma_url: str | None = None,
        settings: Settings | None = None,
        chat_model: BaseChatModel | None = None,
        **overrides: Any,
    ) -> None:
        explicit: dict[str, Any] = {
            k: v for k, v in {"home": home, "chroma_url": chroma_url}.items() if v
        }
        if settings is None:
            settings = Settings(**explicit, **overrides)
        elif explicit or overrides:
            settings = settings.model_copy(update={**explicit, **overrides})
        self.settings = settings
        self.store = Store(settings)
        self.index = Index(self.store)
        self._ingest = Ingest(self.store, settings)
        self._runner = ModelRunner(settings, chat_model)
        self._making: dict[tuple[str, ...], threading.Lock] = {}  # one per result ever made
        self._making_guard = threading.Lock()
        self._reading = Reading(self.store)

    def close(self) -> None:
        """Release the store; the object is unusable afterwards."""
        self.store.close()

    def __enter__(self) -> ClaimCheck:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- ingest -----------------------------------------------------------------------------

    def ingest(
        self,
        text_or_path: str | os.PathLike[str],
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: datetime | str | None = None,
    ) -> Article:
        """Store one article and return it; ingesting the same text again returns the stored one.

        ``text_or_path`` is a :class:`~pathlib.Path` (read as .txt/.md/.html), an http(s) URL
        (fetched, and read as a web page), a ``str`` of one line that names an existing file,
        or the article text itself. What the page says of itself (title, author, date, site,
        canonical URL) is kept unless given here. JSON Lines files and
        folders hold several articles: use :meth:`ingest_files`.
        """
        return self._ingest.one(
            text_or_path, title=title, source=source, url=url, published=published
        )

    def ingest_files(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: datetime | str | None = None,
        progress: Progress | None = None,
        total: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Store every article in the given files and folders (recursively); ``-`` is stdin.

        One bad file or line does not stop the batch: it is reported in ``failed`` and every
        good article is still stored. ``total`` is told the number of files once they are
        listed and ``progress`` is called with each file's name as it is done. ``title``,
        ``source``, ``url`` and ``published``, when given, replace what the files say.
        """
        return self._ingest.files(
            paths,
            title=title,
            source=source,
            url=url,
            published=published,
            progress=progress,
            total=total,
        )

    def ingest_text(
        self,
        text: str,
        *,
        title: str | None = None,
        source: str | None = None,
        url: str | None = None,
        published: datetime | str | None = None,
        author: str | None = None,
        site: str | None = None,
    ) -> Article:
        """Store ``text`` as an article, never reading it as a path or a URL (what a service
        does with the text a client sends)."""
        return self._ingest.text(
            text,
            title=title,
            source=source,
            url=url,
            published=published,
            author=author,
            site=site,
        )

    def ingest_url(
        self,
        url: str,
        *,
        title: str | None = None,
        source: str | None = None,
        published: datetime | str | None = None,
    ) -> Article:
        """Fetch a web page (within ``CLAIMCHECK_FETCH_*`` limits) and store its article, with
        what the page says of itself unless given here."""
        return self._ingest.page(url, title=title, source=source, published=published)

    def ingest_urls(
        self,
        urls: Iterable[str],
        *,
        title: str | None = None,
        source: str | None = None,
        published: datetime | str | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Fetch and store every page; one that fails is reported in ``failed`` with its URL
        and the reason, and the rest go on."""
        return self._ingest.pages(
            urls, title=title, source=source, published=published, progress=progress
        )

    def ingest_feed(
        self,
        url: str,
        *,
        limit: int | None = None,
        source: str | None = None,
        progress: Progress | None = None,
        total: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Read an RSS or Atom feed and store the page of each item (its first ``limit``),
        with the item's title, link and date where the page gives none. An item whose link is
        stored already is skipped without a fetch (and one whose text is, by its text id)."""
        return self._ingest.feed(url, limit=limit, source=source, progress=progress, total=total)

    # -- read -------------------------------------------------------------------------------

    def articles(self) -> list[Article]:
        """Every stored article, oldest first."""
        return self.store.all_articles()

    def get(self, article_id: str) -> Article:
        """The stored article with its full text; :class:`~claimcheck.errors.NotFound` if none."""
        return self.store.get(article_id)

    def chunks(self, article_id: str) -> list[Chunk]:
        """The article's chunks in order."""
        return self.store.article_chunks(article_id)

    def delete(self, article_id: str) -> None:
        """Remove the article with its chunks, claims and summaries;
        :class:`~claimcheck.errors.NotFound` if none."""
        self.store.delete(article_id)

    # -- model tasks ------------------------------------------------------------------------

    @property
    def chat_model(self) -> BaseChatModel:
        """The chat model every task uses (embedded llama.cpp unless configured otherwise)."""
        return self._runner.model

    def model_state(self) -> str:
        """``not started``, ``ready``, ``down`` (embedded, restarted on the next request) or
        ``external`` (a hosted or given model, not probed)."""
        return self._runner.state()

    def model_ready(self) -> bool:
        """True once the chat model exists (the embedded server starts on first use)."""
        return self._runner.ready

    @property
    def model_id(self) -> str:
        """Names the model in caches and reports: ``local:``, ``openai:`` or ``custom:...``."""
        return self._runner.id

    def summarize(self, article_id: str, sentences: int = 3, *, refresh: bool = False) -> Summary:
        """A summary of at most ``sentences`` sentences, each citing the article verbatim.

        Kept in the store by article, model and prompt version (``cached`` is True when it is
        served from there); ``refresh=True`` makes a new one.
        """
        if not 1 <= sentences <= 10:
            raise InputError(f"sentences must be between 1 and 10, got {sentences}")
        article = self.get(article_id)
        version = self._summary_version()
        with self._one_at_a_time("summary", article.id, str(sentences)):
            if not refresh and (hit := self.index.get_summary(article.id, sentences, version)):
                return hit
            return self._make_summary(article, sentences, version)

    def _make_summary(self, article: Article, sentences: int, version: str) -> Summary:
        summary = self._runner.run(
            lambda model: summarize_module.run(
                article,
                model,
                model_id=self.model_id,
                n_sentences=sentences,
            )
        )
        evidence.verify(article, [q for s in summary.sentences for q in s.citations])
        self.index.put_summary(article, summary, sentences, version)
        return summary

    def claims(self, article_id: str, *, refresh: bool = False) -> list[Claim]:
        """The article's attributable claims: who asserted what, with verbatim quotes."""
        return self.claim_set(article_id, refresh=refresh).claims

    def claim_set(self, article_id: str, *, refresh: bool = False) -> ClaimSet:
        """The claims with how they were found (candidates, drops, tokens, seconds); kept in
        the store like summaries, where :meth:`quotes` searches them."""
        article = self.get(article_id)
        version = self._claims_version()
        with self._one_at_a_time("claims", article.id):
            if not refresh and (hit := self.index.get_claims(article.id, version)) is not None:
                return hit
            return self._make_claims(article, version)

    @contextmanager
    def _one_at_a_time(self, *key: str) -> Iterator[None]:
        """One thread at a time makes a given result; the others wait, then find it stored."""
        with self._making_guard:
            lock = self._making.setdefault(key, threading.Lock())
        with lock:
            yield

    def _make_claims(self, article: Article, version: str) -> ClaimSet:
        found, stats = self._runner.run(
            lambda model: claims_module.extract(
                article, model, context_tokens=self.settings.context_tokens
            )
        )
        evidence.verify(article, [q for c in found for q in c.quote])
        result = ClaimSet(
            article_id=article.id,
            claims=found,
            model=self.model_id,
            prompt_version=prompts.load("claims").version,
            stats=stats,
        )
        self.index.put_claims(article, result, version)
        return result

    def _claims_version(self) -> str:
        """What a stored claim set must have been made with to be current."""
        return f"{self.model_id}|{prompts.load('claims').version}|{code_version(claims_module)}"

    def _summary_version(self) -> str:
        return f"{self.model_id}|{prompts.load('summary').version}|{code_version(summarize_module)}"

    # -- the corpus -------------------------------------------------------------------------

    def quotes(
        self,
        query: str | None = None,
        *,
        speaker: str | None = None,
        article_ids: Sequence[str] | None = None,
        source: str | None = None,
        published_after: datetime | str | None = None,
        published_before: datetime | str | None = None,
        k: int = 20,
    ) -> list[ClaimHit]:
        """Who said what across every stored article: current claims nearest to ``query``
        (newest first without one), optionally of one ``speaker`` ("Putin" finds "President
        Vladimir Putin"), some articles, one source or a publication window. Only articles
        whose claims were made (``claims --all``) are searched."""
        if query is not None and not textlib.has_text(query):
            query = None
        if speaker is not None and not textlib.has_text(speaker):
            raise InputError("the speaker is empty")
        if k < 1:
            raise InputError(f"k must be at least 1, got {k}")
        where = chunk_filter(
            article_ids, source, *published_window(published_after, published_before)
        )
        return self.index.hits(
            query, self._claims_version(), self._reading.article, speaker=speaker, where=where, k=k
        )

    def speakers(self) -> list[Speaker]:
        """Everyone with current claims, spellings of one name grouped, most claims first."""
        return self.index.speakers(self._claims_version())

    def claims_all(
        self,
        *,
        concurrency: int | None = None,
        shard: tuple[int, int] | None = None,
        refresh: bool = False,
        progress: Progress | None = None,
        total: Callable[[int], None] | None = None,
    ) -> BatchReport:
        """Make the claims of every stored article that has none or only stale ones (all of
        them with ``refresh``), ``concurrency`` at a time. ``shard=(i, n)`` takes only the
        articles in shard i of n (1-based, by a stable hash of the id), so n workers split a
        corpus with no coordinator. One failure is reported and the rest go on; an
        interrupted run loses nothing done so far."""
        version = self._claims_version()
        return batch.run(
            self.store.all_articles(),
            lambda ids: self.index.claims_state(ids, version),
            lambda article_id: self.claim_set(article_id, refresh=refresh).cached,
            concurrency or self.settings.concurrency,
            shard,
            refresh,
            progress,
            total,
        )

    def summarize_all(
        self,
        sentences: int = 3,
        *,
        concurrency: int | None = None,
        shard: tuple[int, int] | None = None,
        refresh: bool = False,
        progress: Progress | None = None,
        total: Callable[[int], None] | None = None,
    ) -> BatchReport:
        """:meth:`claims_all` for summaries of ``sentences`` sentences."""
        if not 1 <= sentences <= 10:
            raise InputError(f"sentences must be between 1 and 10, got {sentences}")
        version = self._summary_version()
        return batch.run(
            self.store.all_articles(),
            lambda ids: self.index.summary_state(ids, sentences, version),
            lambda article_id: self.summarize(article_id, sentences, refresh=refresh).cached,
            concurrency or self.settings.concurrency,
            shard,
            refresh,
            progress,
            total,
        )

    def check(
        self,
        claim: str,
        article_id: str | None = None,
        k: int = 8,
        *,
        text: str | None = None,
        explain: bool = False,
    ) -> Verdict:
        """Is ``claim`` supported by the stored articles (or by one, or by a ``text`` given
        here and not stored)? With verbatim evidence: for ``text``, its quotes index ``text``
        and carry the article id it would have.

        Decided from one-token answers over the cached article (about a second once its
        article was read); ``explain=True`` also asks the model for its written reason
        (``explanation``, ``model_label``), which costs about 5 s more on 2 cores and decides
        nothing. ``not_enough_info`` when nothing relevant is stored: the model is not asked.
        """
        claim = valid_claim(claim)
        if k < 1:
            raise InputError(f"k must be at least 1, got {k}")
        if text is not None:
            if article_id is not None:
                raise InputError("give an article id or a text to check against, not both")
            if not textlib.has_text(text):
                raise InputError("the text to check against is empty")
            given = Article(id=textlib.article_id(text), text=text, ingested_at=datetime.now(UTC))
            self._reading.hold(given)
            return self._verdict(claim, [(given, s) for s in textlib.sentences(text)], explain)
        if article_id is not None:
            article = self.get(article_id)
            candidates = self._reading.candidates(article)
        else:
            candidates = self._reading.chunk_sentences(self.store.search(claim, k=k))
        return self._verdict(claim, candidates, explain)

    def check_text(self, text: str, article_id: str, *, explain: bool = False) -> Report:
        """Check every sentence of ``text`` (a summary, say) against one stored article."""
        if not textlib.has_text(text):
            raise InputError("the text to check is empty")
        article = self.get(article_id)
        candidates = self._reading.candidates(article)
        verdicts = [
            self._verdict(valid_claim(text[s.start : s.end]), candidates, explain)
            for s in textlib.sentences(text)
        ]
        return Report(article_id=article.id, verdicts=verdicts)

    def ask(
        self,
        question: str,
        article_ids: Sequence[str] | None = None,
        k: int = 8,
        *,
        source: str | None = None,
        published_after: datetime | str | None = None,
        published_before: datetime | str | None = None,
    ) -> Answer:
        """Answer from the stored articles only, every sentence citing them verbatim.

        Filters: some articles, one source, a publication window. ``answered`` is False, with
        "The stored articles do not say.", when retrieval finds nothing relevant.
        """
        started = time.perf_counter()
        question = valid_claim(question, what="question")
        if k < 1:
            raise InputError(f"k must be at least 1, got {k}")
        for article_id in article_ids or []:
            self.get(article_id)
        where = chunk_filter(
            article_ids, source, *published_window(published_after, published_before)
        )
        speaker = ask_module.asked_speaker(question)
        said = (
            self.index.search(question, self._claims_version(), speaker=speaker, where=where, k=k)
            if speaker
            else []
        )
        if said:  # what someone said: from their stored claims, cited to where they said it
            candidates = [(self._reading.article(a), ask_module.claim_span(c)) for c, a, _ in said]
        else:
            speaker = None
            chunks = ask_module.retrieve(self.store, question, k, where)
            candidates = self._reading.chunk_sentences(chunks)
        usage = Usage()
        kept, _, removed = self._runner.run(
            lambda model: ask_module.answer(question, candidates, model, self._reading.embed, usage)
        )
        return ask_module.to_answer(
            question,
            kept,
            removed,
            usage,
            model=self.model_id,
            seconds=time.perf_counter() - started,
            speaker=speaker,
            article_of=self._reading.article,
        )

    def _verdict(
        self, claim: str, candidates: list[tuple[Article, textlib.Span]], explain: bool = False
    ) -> Verdict:
        started = time.perf_counter()
        usage = Usage()
        threshold = llm.support_threshold(self.settings)
        weights = llm.decision_weights(self.settings)
        refute = check_module.RefuteRule(*llm.refute_rule(self.settings))
        overrule = llm.findings_overrule(self.settings)
        view = llm.check_view(self.settings)

        # a new process: the model server starts while the evidence is gathered (the article's
        # sentences embedded and parsed), a second or two sooner to the answer
        self._runner.start_soon()
        gathered = check_module.gather(claim, candidates, self._reading.embed)
        if gathered is None:
            return self._to_verdict(claim, check_module.nothing_relevant(), usage, started)

        def run(model: BaseChatModel) -> check_module.Outcome:
            # the read prefix every check shares is kept and saved for the next process: the
            # article in the article view, the instructions in the evidence view
            warmth = None if self._runner.given else llm.warmth(self.settings)
            prefix = check_module.shared_prefix(candidates, view) if warmth else None
            key = warmth.before(prefix) if warmth and prefix else None
            outcome = check_module.check_claim(
                claim,
                candidates,
                model,
                self._reading.embed,
                usage,
                threshold,
                weights,
                refute=refute,
                explain=explain,
                view=view,
                gathered=gathered,
                overrule=overrule,
            )
            if warmth and key:
                warmth.after(key)
            return outcome

        return self._to_verdict(claim, self._runner.run(run), usage, started)

    def _to_verdict(
        self, claim: str, outcome: check_module.Outcome, usage: Usage, started: float
    ) -> Verdict:
        seconds = time.perf_counter() - started
        return outcome.verdict(claim, usage, seconds, self.model_id, self._reading.article)

    def search(self, query: str, k: int = 5, article_id: str | None = None) -> list[Chunk]:
        """The ``k`` chunks most similar to ``query``, best first, optionally in one article."""
        if not textlib.has_text(query):
            raise InputError("the search query is empty")
        if k < 1:
            raise InputError(f"k must be at least 1, got {k}")
        return self.store.search(query, k=k, article_id=article_id)
