"""The corpus index: claim sets and summaries kept as records in Chroma beside the articles,
so that every process and machine on one store sees the same results, and "who said what" can
be asked across all of them.

Two collections, ``<prefix>_claims`` and ``<prefix>_summaries``:

- one record per claim (document: the claim sentence, embedded; metadata: article, speaker,
  the speaker's key and its words, cue, kind, quote spans, the article's source and date, and
  the version that made it), and one *set* record per article naming the write its claims
  belong to. A claim set is written claims first, under a fresh set id, and made current by
  writing the set record last: readers only see the claims of the set the set record names, so
  a write cut off at any point leaves the previous set (or none) and invisible leftovers,
  which the next write of the article removes.
- one record per summary (article and number of sentences).

Every result carries a *version* (model id, prompt version, code version); one made by another
version is stale: it is not served as current and batch work makes it again.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .attribution.lexicon import TITLES
from .evidence import verify
from .models import Article, Claim, ClaimHit, ClaimSet, Speaker, Summary
from .store import Store, _and, _epoch

CLAIM, SET, SUMMARY = "claim", "set", "summary"
READ_BATCH = 1000  # ids per Chroma read
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_LEADING = frozenset({"the", "a", "an"})


# -- speaker keys ---------------------------------------------------------------------------


def speaker_words(name: str) -> list[str]:
    """The words that identify a speaker: lowercased, accents and punctuation gone, without a
    leading article or the titles before a name. "President Vladimir Putin" -> ["vladimir",
    "putin"]; "the White House" -> ["white", "house"]; "Secretary of State Antony Blinken" ->
    ["antony", "blinken"]. A possessive stays one ("Trump's aides" are not Trump)."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _WORD.findall(plain.casefold())
    while len(words) > 1 and words[0] in _LEADING:
        words.pop(0)
    while len(words) > 1 and words[0].rstrip(".") in TITLES:
        words.pop(0)
        if len(words) > 2 and words[0] == "of":  # "Secretary of State X", "Minister of Y X"
            words = words[2:]
    return words or [" ".join(name.casefold().split()) or "?"]


def speaker_key(name: str) -> str:
    """A normalized speaker name: "President Vladimir Putin" -> "vladimir putin"."""
    return " ".join(speaker_words(name))


def _joint(key: str) -> bool:
    return " and " in f" {key} " or "," in key


def group_keys(keys: Iterable[str]) -> dict[str, str]:
    """Each key mapped to the key of its group: a key whose words are all in exactly one longer
    key (not a joint one) joins it, so "putin" joins "vladimir putin" and "xi" joins "xi
    jinping"; a key two longer ones share ("smith" with "anna smith" and "john smith") stays
    apart."""
    distinct = sorted(set(keys), key=lambda k: (-len(k.split()), k))
    words = {k: set(k.split()) for k in distinct}
    group: dict[str, str] = {}
    for key in distinct:
        longer = {
            group[other]
            for other in distinct
            if other in group
            and len(words[other]) > len(words[key])
            and not _joint(other)
            and words[key] <= words[other]
        }
        group[key] = longer.pop() if len(longer) == 1 and not _joint(key) else key
    return group


def matches(query: str, key: str) -> bool:
    """Does a speaker ``query`` ("Putin") name the speaker of ``key`` ("vladimir putin")?"""
    return set(speaker_words(query)) <= set(key.split())


# -- the index ------------------------------------------------------------------------------


class Index:
    """Claim sets and summaries as Chroma records (see the module's docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.claims = store.claims
        self.summaries = store.summaries

    # claims

    def put_claims(self, article: Article, result: ClaimSet, version: str) -> None:
        """Store an article's claim set as current, replacing the one before."""
        set_id = uuid.uuid4().hex[:12]
        keys = group_keys(speaker_key(c.speaker) for c in result.claims if c.speaker)
        common: dict[str, Any] = {"article_id": article.id, "set": set_id, "version": version}
        if article.source is not None:
            common["source"] = article.source
        if article.published is not None:
            common["published_ts"] = _epoch(article.published)
        if result.claims:
            records = [
                self._claim_metadata(c, i, common, keys) for i, c in enumerate(result.claims)
            ]
            vectors = self.store.embed([c.claim for c in result.claims])
            for first in range(0, len(records), self.store.batch):
                part = slice(first, first + self.store.batch)
                self.claims.add(
                    ids=[f"{article.id}:{set_id}:{i}" for i in range(len(records))][part],
                    documents=[c.claim for c in result.claims][part],
                    embeddings=vectors[part],
                    metadatas=records[part],
                )
        header = result.model_copy(update={"claims": [], "cached": False})
        self.claims.upsert(
            ids=[f"set:{article.id}"],
            documents=[article.title or article.id],
            embeddings=[self.store.article_vector(article.id)],
            metadatas=[
                {
                    **common,
                    "record": SET,
                    "count": len(result.claims),
                    "model": result.model,
                    "prompt_version": result.prompt_version,
                    "json": header.model_dump_json(),
                }
            ],
        )
        # The set is current: what earlier writes left is garbage now.
        self.claims.delete(where={"$and": [{"article_id": article.id}, {"set": {"$ne": set_id}}]})
        if not self.store.has(article.id):  # deleted while its claims were made
            self.drop_article(article.id)

    @staticmethod
    def _claim_metadata(
        claim: Claim, index: int, common: dict[str, Any], keys: dict[str, str]
    ) -> dict[str, Any]:
        speaker = claim.speaker or ""
        key = keys.get(speaker_key(speaker), speaker_key(speaker)) if speaker else ""
        meta: dict[str, Any] = {
            **common,
            "record": CLAIM,
            "index": index,
            "speaker": speaker,
            "speaker_key": key,
            "kind": claim.kind,
            "quotes": json.dumps([[q.start, q.end] for q in claim.quote]),
            "json": claim.model_dump_json(),
        }
        if key:
            meta["speaker_words"] = key.split()
        if claim.cue:
            meta["cue"] = claim.cue
        return meta

    def _sets(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The set records of some articles, by article id."""
        ids = [f"set:{a}" for a in dict.fromkeys(article_ids)]
        sets: dict[str, dict[str, Any]] = {}
        for first in range(0, len(ids), READ_BATCH):  # a corpus of many thousands: in parts
            found = self.claims.get(ids=ids[first : first + READ_BATCH], include=["metadatas"])
            sets |= {
                str(m["article_id"]): m
                for m in found["metadatas"]
                if m is not None and m.get("record") == SET and "json" in m
            }
        return sets

    def get_claims(self, article_id: str, version: str) -> ClaimSet | None:
        """The article's current claim set, or None when it has none or only a stale one."""
        header = self._sets([article_id]).get(article_id)
        if header is None or header.get("version") != version:
            return None
        found = self.claims.get(
            where={"$and": [{"article_id": article_id}, {"set": header["set"]}, {"record": CLAIM}]},
            include=["metadatas"],
        )
        metas = sorted((m for m in found["metadatas"] if m), key=lambda m: int(m["index"]))
        if len(metas) != int(header["count"]):
            return None  # a write overtook this one: make it again
        claims = [Claim.model_validate_json(str(m["json"])) for m in metas]
        result = ClaimSet.model_validate_json(str(header["json"]))
        return result.model_copy(update={"claims": claims, "cached": True})

    def claims_state(self, article_ids: Sequence[str], version: str) -> dict[str, str]:
        """``current``, ``stale`` or ``missing`` for each article's claims."""
        sets = self._sets(article_ids)
        return {
            a: "missing"
            if a not in sets
            else "current"
            if sets[a]["version"] == version
            else "stale"
            for a in article_ids
        }

    def search(
        self,
        query: str | None,
        version: str,
        *,
        speaker: str | None = None,
        where: dict[str, Any] | None = None,
        k: int = 20,
    ) -> list[tuple[Claim, str, float | None]]:
        """Current claims, nearest to ``query`` first (or in article order without one): each
        with its article id and a score in [-1, 1]."""
        conditions: list[dict[str, Any] | None] = [{"record": CLAIM}, {"version": version}, where]
        if speaker is not None:
            conditions += [{"speaker_words": {"$contains": w}} for w in speaker_words(speaker)]
        filters = _and(conditions)
        vector = self.store.embed([query])[0] if query else None
        n = k
        while True:
            scores: list[float | None]
            if vector is not None:
                found = self.claims.query(
                    query_embeddings=[vector],
                    n_results=n,
                    where=filters,
                    include=["metadatas", "distances"],
                )
                metas, scores = (
                    found["metadatas"][0],
                    [1.0 - float(d) for d in found["distances"][0]],
                )
            else:
                got = self.claims.get(where=filters, include=["metadatas"], limit=n)
                metas = sorted(
                    (m for m in got["metadatas"] if m),
                    key=lambda m: (
                        -float(m.get("published_ts", 0)),
                        m["article_id"],
                        int(m["index"]),
                    ),
                )
                scores = [None] * len(metas)
            live = self._live(metas)
            hits = [
                (Claim.model_validate_json(str(m["json"])), str(m["article_id"]), score)
                for m, score in zip(metas, scores, strict=True)
                if m and (m["article_id"], m["set"]) in live
            ]
            if len(hits) >= k or len(metas) < n:
                return hits[:k]
            n *= 4

    def hits(
        self,
        query: str | None,
        version: str,
        article_of: Callable[[str], Article],
        *,
        speaker: str | None = None,
        where: dict[str, Any] | None = None,
        k: int = 20,
    ) -> list[ClaimHit]:
        """:meth:`search`'s claims as the user sees them, with their article's title, date and
        source, every quote verified verbatim in its article."""
        hits = []
        for claim, article_id, score in self.search(
            query, version, speaker=speaker, where=where, k=k
        ):
            article = article_of(article_id)
            verify(article, claim.quote)
            hits.append(
                ClaimHit(
                    claim=claim,
                    article_id=article_id,
                    title=article.title,
                    published=article.published,
                    source=article.source,
                    score=None if score is None else round(score, 4),
                )
            )
        return hits

    def _live(self, metas: Sequence[dict[str, Any] | None]) -> set[tuple[str, str]]:
        """(article, set) pairs that are current: the set its record names, of a stored article."""
        ids = {str(m["article_id"]) for m in metas if m}
        ready = self.store.ready_ids(ids)
        return {(a, str(h["set"])) for a, h in self._sets(ready).items()}

    def speakers(self, version: str) -> list[Speaker]:
        """Every speaker of the current claims, grouped by key, most claims first."""
        found = self.claims.get(
            where={"$and": [{"record": CLAIM}, {"version": version}]}, include=["metadatas"]
        )
        metas = [m for m in found["metadatas"] if m and m.get("speaker_key")]
        live = self._live(metas)
        metas = [m for m in metas if (m["article_id"], m["set"]) in live]
        group = group_keys(str(m["speaker_key"]) for m in metas)
        claims: Counter[str] = Counter()
        articles: defaultdict[str, set[str]] = defaultdict(set)
        names: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for m in metas:
            key = group[str(m["speaker_key"])]
            claims[key] += 1
            articles[key].add(str(m["article_id"]))
            names[key][str(m["speaker"])] += 1
        return [
            Speaker(
                name=max(names[key].items(), key=lambda kv: (kv[1], len(kv[0])))[0],
                key=key,
                claims=n,
                articles=len(articles[key]),
            )
            for key, n in sorted(claims.items(), key=lambda kv: (-kv[1], kv[0]))
        ]

    # summaries

    def put_summary(self, article: Article, summary: Summary, sentences: int, version: str) -> None:
        """Store the summary of at most ``sentences`` sentences, replacing the one before."""
        self.summaries.upsert(
            ids=[f"summary:{article.id}:{sentences}"],
            documents=[" ".join(s.text for s in summary.sentences) or article.id],
            metadatas=[
                {
                    "record": SUMMARY,
                    "article_id": article.id,
                    "sentences": sentences,
                    "version": version,
                    "model": summary.model,
                    "prompt_version": summary.prompt_version,
                    "json": summary.model_copy(update={"cached": False}).model_dump_json(),
                }
            ],
        )
        if not self.store.has(article.id):
            self.drop_article(article.id)

    def get_summary(self, article_id: str, sentences: int, version: str) -> Summary | None:
        found = self.summaries.get(ids=[f"summary:{article_id}:{sentences}"], include=["metadatas"])
        meta = found["metadatas"][0] if found["metadatas"] else None
        if not meta or meta.get("version") != version or "json" not in meta:
            return None
        return Summary.model_validate_json(str(meta["json"])).model_copy(update={"cached": True})

    def summary_state(
        self, article_ids: Sequence[str], sentences: int, version: str
    ) -> dict[str, str]:
        ids = [f"summary:{a}:{sentences}" for a in article_ids]
        seen: dict[str, dict[str, Any]] = {}
        for first in range(0, len(ids), READ_BATCH):
            found = self.summaries.get(ids=ids[first : first + READ_BATCH], include=["metadatas"])
            seen |= {str(m["article_id"]): m for m in found["metadatas"] if m}
        return {
            a: "missing"
            if a not in seen
            else "current"
            if seen[a].get("version") == version
            else "stale"
            for a in article_ids
        }

    def drop_article(self, article_id: str) -> None:
        self.store.drop_results(article_id)
