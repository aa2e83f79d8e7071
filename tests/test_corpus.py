"""The corpus index: claims and summaries stored as data, who said what across articles,
batch work (stale results, shards, failures, interrupts) and how many model calls run at
once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimcheck import ClaimCheck, InputError
from claimcheck.batch import in_shard
from claimcheck.cli import app
from claimcheck.corpus import group_keys, matches, speaker_key, speaker_words
from claimcheck.server import create_app
from evals.fake_openai import FakeOpenAI

from .articles import ORCHARD, SUMMIT
from .fakes import SchemaModel

PIPELINE = (
    "Putin promises gas for China\n\n"
    "President Vladimir Putin said on Tuesday that Russia would double its gas exports to "
    "China within five years.\n\n"
    "Analysts said the plan depended on a pipeline that has not been built.\n"
)
TALKS = (
    "Kremlin hails talks\n\n"
    "Vladimir Putin told reporters in Beijing that the talks had been warm and useful.\n\n"
    "Putin said a new trade office would open in Harbin next year.\n"
)
ARTICLES = {"pipeline": PIPELINE, "talks": TALKS, "orchard": ORCHARD, "summit": SUMMIT}


class OtherModel(SchemaModel):
    """The same answers under another model id: results made by SchemaModel are stale."""


def _ingest(cc: ClaimCheck) -> dict[str, str]:
    dates = {"pipeline": "2026-05-01", "talks": "2026-05-20"}
    return {
        name: cc.ingest(text, title=name, published=dates.get(name)).id
        for name, text in ARTICLES.items()
    }


# -- speaker keys ---------------------------------------------------------------------------


def test_speaker_keys_drop_titles_articles_and_accents_but_keep_possessives() -> None:
    assert speaker_key("President Vladimir Putin") == "vladimir putin"
    assert speaker_key("Mr. O’Brien") == "o'brien"
    assert speaker_key("the White House") == "white house"
    assert speaker_key("Secretary of State Antony Blinken") == "antony blinken"
    assert speaker_key("José Martí") == "jose marti"
    assert speaker_key("Ерлан Карин") == "ерлан карин"
    assert speaker_words("Trump's aides") == ["trump's", "aides"]
    assert not matches("Trump", speaker_key("Trump's aides"))
    assert matches("Putin", "vladimir putin") and matches("putin", "xi jinping and vladimir putin")
    assert not matches("Vladimir Putin", "putin")


def test_a_short_key_joins_the_one_longer_key_that_holds_it() -> None:
    keys = ["putin", "vladimir putin", "xi", "xi jinping", "xi jinping and vladimir putin"]
    keys += ["smith", "anna smith", "john smith"]
    group = group_keys(keys)
    assert group["putin"] == "vladimir putin" and group["xi"] == "xi jinping"
    assert group["smith"] == "smith", "two Smiths: ambiguous, kept apart"
    assert group["xi jinping and vladimir putin"] == "xi jinping and vladimir putin"


# -- stored results -------------------------------------------------------------------------


class Counting(SchemaModel):
    """SchemaModel that counts its calls."""

    calls: int = 0

    def _call(self, *args, **kwargs):
        self.calls += 1
        return super()._call(*args, **kwargs)


def test_claims_and_summaries_are_stored_in_chroma_and_seen_by_the_next_process(
    home: Path,
) -> None:
    with ClaimCheck(home=home, chat_model=Counting()) as cc:
        ids = _ingest(cc)
        made = cc.claim_set(ids["pipeline"])
        assert made.claims and not made.cached
        cc.summarize(ids["pipeline"], sentences=2)
    assert not (home / "cache").exists(), "no file cache any more"
    model = Counting()
    with ClaimCheck(home=home, chat_model=model) as cc:  # the same model: results are current
        stored = cc.claim_set(ids["pipeline"])
        assert stored.cached and stored.claims == made.claims
        assert stored.stats == made.stats
        assert cc.summarize(ids["pipeline"], sentences=2).cached
        assert model.calls == 0, "everything came from the store"
        assert not cc.summarize(ids["pipeline"], sentences=3).cached, "other options"


def test_a_result_of_another_model_is_stale_and_batch_work_makes_it_again(home: Path) -> None:
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        ids = _ingest(cc)
        first = cc.claims_all()
        assert (first.processed, first.skipped, first.failed) == (len(ids), 0, [])
        again = cc.claims_all()
        assert (again.processed, again.skipped) == (0, len(ids)), "nothing left to do"
        assert cc.quotes(speaker="Putin")
    with ClaimCheck(home=home, chat_model=OtherModel()) as cc:
        assert cc.quotes(speaker="Putin") == [], "stale claims are not served as current"
        assert cc.speakers() == []
        assert not cc.claim_set(ids["talks"]).cached
        redone = cc.claims_all()
        assert (redone.processed, redone.skipped) == (len(ids) - 1, 1)
        assert cc.quotes(speaker="Putin")
        assert cc.claims_all(refresh=True).processed == len(ids)


def test_deleting_an_article_deletes_its_claims_and_summaries(home: Path) -> None:
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        ids = _ingest(cc)
        cc.claims_all()
        cc.summarize(ids["talks"])
        cc.delete(ids["talks"])
        for collection in (cc.store.claims, cc.store.summaries):
            assert collection.get(where={"article_id": ids["talks"]})["ids"] == []
        assert all(h.article_id != ids["talks"] for h in cc.quotes(k=100))
        assert cc.store.claims.get(where={"article_id": ids["pipeline"]})["ids"]


def test_a_claim_write_cut_off_leaves_the_previous_set_and_nothing_visible(home: Path) -> None:
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        article_id = cc.ingest(TALKS).id
        before = cc.claim_set(article_id)
    # A process killed after writing the new claims and before the set record names them.
    script = (
        "import os, sys\n"
        "from claimcheck import ClaimCheck\n"
        "from tests.fakes import SchemaModel\n"
        "with ClaimCheck(home=sys.argv[1], chat_model=SchemaModel()) as cc:\n"
        "    real = cc.store.claims.upsert\n"
        "    cc.store.claims.upsert = lambda **kw: os._exit(9)\n"
        "    cc.claim_set(sys.argv[2], refresh=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(home), article_id], env=env, timeout=300
    )
    assert done.returncode == 9
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        records = cc.store.claims.get(where={"article_id": article_id})["ids"]
        assert len(records) > len(before.claims) + 1, "the cut-off write left records behind"
        kept = cc.claim_set(article_id)
        assert kept.cached and kept.claims == before.claims, "the previous set is still current"
        assert len(cc.quotes(article_ids=[article_id], k=100)) == len(before.claims)
        cc.claim_set(article_id, refresh=True)  # the next write clears the leftovers
        records = cc.store.claims.get(where={"article_id": article_id})["ids"]
        assert len(records) == len(before.claims) + 1


# -- who said what --------------------------------------------------------------------------


def test_quotes_by_speaker_topic_and_date_across_articles(home: Path) -> None:
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        ids = _ingest(cc)
        cc.claims_all()
        putin = cc.quotes(speaker="Putin", k=100)
        assert {h.article_id for h in putin} == {ids["pipeline"], ids["talks"]}
        assert {h.claim.speaker for h in putin} >= {"Vladimir Putin"}
        for hit in putin:
            article = cc.get(hit.article_id)
            assert hit.title == article.title and hit.claim.quote
            assert all(q.verify(article) for q in hit.claim.quote), "every quote exact"
        assert cc.quotes(speaker="President Vladimir Putin", k=100) == putin
        gas = cc.quotes("gas exports to China", k=1)
        assert gas[0].article_id == ids["pipeline"] and gas[0].score is not None
        late = cc.quotes(speaker="Putin", published_after="2026-05-10", k=100)
        assert late and {h.article_id for h in late} == {ids["talks"]}
        assert cc.quotes(speaker="Marta Quell", article_ids=[ids["talks"]]) == []
        with pytest.raises(InputError, match="speaker is empty"):
            cc.quotes(speaker="  ")
        people = {s.key: s for s in cc.speakers()}
        assert people["vladimir putin"].articles == 2
        assert people["vladimir putin"].claims == len(putin)


# -- batches --------------------------------------------------------------------------------


def test_shards_split_the_articles_with_none_twice_and_none_missed(home: Path) -> None:
    ids = [f"{i:016x}" for i in range(200)]
    for n in (1, 2, 3, 7):
        owners = [[i for i in range(1, n + 1) if in_shard(a, (i, n))] for a in ids]
        assert all(len(o) == 1 for o in owners)
    with pytest.raises(InputError, match="shard"):
        in_shard(ids[0], (3, 2))
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        _ingest(cc)
        one, two = cc.claims_all(shard=(1, 2)), cc.claims_all(shard=(2, 2))
        assert one.processed + two.processed == len(ARTICLES)
        assert cc.claims_all().processed == 0


class FailsOn(SchemaModel):
    """Fails every call whose prompt holds ``marker``."""

    marker: str = ""

    def _call(self, messages, stop=None, run_manager=None, **kwargs):
        from claimcheck.errors import ModelError

        if any(self.marker in str(m.content) for m in messages):
            raise ModelError("the model broke on this one")
        return super()._call(messages, stop, run_manager, **kwargs)


def fails_on(marker: str) -> FailsOn:
    model = FailsOn()
    model.marker = marker
    return model


def test_one_failing_article_is_reported_and_the_rest_go_on(home: Path) -> None:
    with ClaimCheck(home=home, chat_model=fails_on("Osterby")) as cc:
        ids = _ingest(cc)
        report = cc.summarize_all(sentences=1)
        assert report.processed == len(ids) - 1
        assert [f.article_id for f in report.failed] == [ids["orchard"]]
        assert "broke" in report.failed[0].error
    with ClaimCheck(home=home, chat_model=fails_on("no such text")) as cc:
        redo = cc.summarize_all(sentences=1)
        assert (redo.processed, redo.skipped, redo.failed) == (1, len(ids) - 1, [])


def test_an_interrupted_batch_keeps_what_it_did_and_the_next_run_does_the_rest(
    home: Path,
) -> None:
    calls = 0
    seen = threading.Event()

    def ctrl_c(signum: int, frame: object) -> None:
        seen.set()  # as Python's own handler, but the test knows when the main thread has it
        raise KeyboardInterrupt

    class Interrupted(SchemaModel):
        """Ctrl-C while the third article is being summarized."""

        def _call(self, *args, **kwargs):
            nonlocal calls
            calls += 1
            if calls == 3:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C: the main thread gets it
                assert seen.wait(30)  # the article in hand is finished and stored after it
            return super()._call(*args, **kwargs)

    previous = signal.signal(signal.SIGINT, ctrl_c)
    try:
        with ClaimCheck(home=home, chat_model=Interrupted(), model_concurrency=1) as cc:
            ids = _ingest(cc)
            with pytest.raises(KeyboardInterrupt):
                cc.summarize_all(sentences=1, concurrency=1)
            done = cc.index.summary_state(list(ids.values()), 1, cc._summary_version())
            assert list(done.values()).count("current") == 3, "nothing after the interrupt"
            assert calls == 3
            rest = cc.summarize_all(sentences=1)
            assert (rest.processed, rest.skipped) == (len(ids) - 3, 3)
    finally:
        signal.signal(signal.SIGINT, previous)


# -- concurrency ----------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 3])
def test_model_concurrency_puts_that_many_calls_in_flight_and_never_more(
    home: Path, limit: int
) -> None:
    with FakeOpenAI(delay=0.4) as fake:
        with ClaimCheck(
            home=home,
            openai_base_url=fake.url,
            openai_api_key="fake",
            model="fake-model",
            model_concurrency=limit,
        ) as cc:
            assert cc.settings.concurrency == limit
            ids = _ingest(cc)
            fake.reset()
            report = cc.summarize_all(sentences=1, concurrency=8)  # more workers than slots
            assert report.processed == len(ids) and not report.failed
    assert fake.requests >= len(ids)
    assert fake.peak == limit


def test_an_openai_compatible_server_defaults_to_eight_at_once(home: Path) -> None:
    with ClaimCheck(home=home, openai_base_url="http://127.0.0.1:9/v1") as cc:
        assert cc.settings.concurrency == 8
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        assert cc.settings.concurrency == 1
    from claimcheck.settings import Settings

    assert Settings(home=home, model_slots=3).concurrency == 3, "one call per embedded slot"
    assert Settings(home=home, model_slots=3, model_concurrency=2).concurrency == 2


# -- the CLI --------------------------------------------------------------------------------


def test_cli_claims_all_quotes_and_speakers(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMCHECK_HOME", str(home))
    model = SchemaModel()
    monkeypatch.setattr("claimcheck.cli.common._open", lambda: ClaimCheck(chat_model=model))
    with ClaimCheck(chat_model=model) as cc:
        ids = _ingest(cc)
    runner = CliRunner()
    done = runner.invoke(app, ["claims", "--all", "--concurrency", "2", "--json"])
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    assert set(report) == {"processed", "skipped", "failed", "seconds"}
    assert report["processed"] == len(ids)
    found = runner.invoke(app, ["quotes", "--speaker", "Putin", "--json"])
    hits = json.loads(found.stdout)
    assert hits and all(h["claim"]["speaker"].endswith("Putin") for h in hits)
    text = runner.invoke(app, ["quotes", "gas", "--speaker", "putin", "-k", "1"]).stdout
    assert "quote [" in text and ids["pipeline"] in text
    people = json.loads(runner.invoke(app, ["speakers", "--json"]).stdout)
    assert people[0]["key"] == "vladimir putin"
    bad = runner.invoke(app, ["claims", "--all", "--shard", "3/2"])
    assert bad.exit_code == 2 and "--shard" in bad.stderr
    both = runner.invoke(app, ["claims", ids["talks"], "--all"])
    assert both.exit_code == 2 and "--all" in both.stderr


def test_batch_work_in_threads_shares_one_model_safely(home: Path) -> None:
    """Many threads, one ClaimCheck: every article done once, every quote exact."""
    with ClaimCheck(home=home, chat_model=SchemaModel(), model_concurrency=4) as cc:
        ids = _ingest(cc)
        barrier = threading.Barrier(2)

        def run() -> None:
            barrier.wait()
            cc.claims_all(concurrency=4)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for article_id in ids.values():
            result = cc.claim_set(article_id)
            assert result.cached
            assert all(q.verify(cc.get(article_id)) for c in result.claims for q in c.quote)


# -- HTTP -----------------------------------------------------------------------------------


def _poll(http: TestClient, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = http.get(f"/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return dict(job)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def test_http_quotes_speakers_and_claims_made_on_upload(home: Path) -> None:
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc, TestClient(create_app(cc)) as http:
        made = http.post("/articles?claims=true", json={"text": PIPELINE, "title": "Gas"})
        assert made.status_code == 201, made.text
        article = made.json()
        assert article["claims_job"] and _poll(http, article["claims_job"])["state"] == "done"
        plain = http.post("/articles", json={"text": TALKS}).json()
        assert plain["claims_job"] is None
        assert {h["article_id"] for h in http.get("/quotes?speaker=Putin").json()} == {
            article["id"]
        }, "only articles whose claims were made are searched"
        http.get(f"/articles/{plain['id']}/claims")
        hits = http.get("/quotes", params={"q": "gas exports", "speaker": "putin", "k": 5}).json()
        assert {h["article_id"] for h in hits} == {article["id"], plain["id"]}
        for hit in hits:
            text = cc.get(hit["article_id"]).text
            for quote in hit["claim"]["quote"]:
                assert text[quote["start"] : quote["end"]] == quote["text"]
        assert hits[0]["score"] >= hits[-1]["score"]
        people = http.get("/speakers").json()
        assert people[0]["key"] == "vladimir putin" and people[0]["articles"] == 2
        assert http.get("/quotes?k=0").status_code == 422
        assert http.get("/quotes?speaker=%20").status_code == 422


def test_jobs_survive_a_restart(home: Path) -> None:
    """A finished job is still served after a restart; one cut off is failed, never 404."""
    release = threading.Event()

    class Slow(SchemaModel):
        def _call(self, *args, **kwargs):
            release.wait(30)
            return super()._call(*args, **kwargs)

    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc, TestClient(create_app(cc)) as http:
        article_id = http.post("/articles", json={"text": ORCHARD}).json()["id"]
        done = http.get(f"/articles/{article_id}/summary?async=true&sentences=1").json()["id"]
        assert _poll(http, done)["state"] == "done"
    with ClaimCheck(home=home, chat_model=Slow()) as cc, TestClient(create_app(cc)) as http:
        assert http.get(f"/jobs/{done}").json()["state"] == "done"
        cut = http.get(f"/articles/{article_id}/summary?async=true&sentences=2").json()["id"]
        assert http.get(f"/jobs/{cut}").json()["state"] in ("queued", "running")
        # the service stops here with the job unfinished (as on SIGTERM past the grace period)
        restarted = create_app(settings=cc.settings)  # a new service on the same home
        with TestClient(restarted) as again:
            job = again.get(f"/jobs/{cut}").json()
            assert job["state"] == "failed" and job["error"]["type"] == "Interrupted"
            assert again.get(f"/jobs/{done}").json()["result"]["sentences"]
        release.set()


def test_a_question_about_what_someone_said_is_answered_from_their_claims(home: Path) -> None:
    from claimcheck.ask import asked_speaker

    assert asked_speaker("What did Blinken say about aid to Ukraine?") == "Blinken"
    assert asked_speaker("How did Putin describe the talks?") == "Putin"
    assert asked_speaker("What did the council decide?") is None
    assert asked_speaker("Who runs an orchard?") is None
    model = Answering()
    with ClaimCheck(home=home, chat_model=model) as cc:
        ids = _ingest(cc)
        cc.claims_all()
        model.prompts.clear()
        answer = cc.ask("What did Putin say about the talks?")
        shown = " ".join(model.prompts)
        assert "warm and useful" in shown and "Osterby" not in shown
        assert answer.speaker == "Putin" and answer.answered, answer
        for quote in answer.citations:
            assert quote.article_id in (ids["talks"], ids["pipeline"])
            assert quote.verify(cc.get(quote.article_id))
        plain = cc.ask("What did Marta Quell's neighbours say?")
        assert plain.speaker is None, "nobody of that name has claims: the usual retrieval"


class Answering(SchemaModel):
    """SchemaModel that records its prompts and answers a question with a fixed sentence."""

    prompts: list[str] = []

    def _call(self, messages, stop=None, run_manager=None, **kwargs):
        fmt = kwargs.get("response_format") or {}
        if fmt.get("json_schema", {}).get("name") == "answer":
            self.prompts.append(" ".join(str(m.content) for m in messages))
            text = "Putin said the talks had been warm and useful."
            return json.dumps({"sentences": [{"text": text, "cites": [1]}]})
        return super()._call(messages, stop, run_manager, **kwargs)


def test_states_of_many_articles_are_read_in_parts(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("claimcheck.corpus.READ_BATCH", 3)
    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        ids = list(_ingest(cc).values())
        cc.claims_all()
        cc.summarize_all(sentences=1)
        unknown = ["0" * 16, "1" * 16]
        claims = cc.index.claims_state(ids + unknown, cc._claims_version())
        assert [claims[a] for a in ids] == ["current"] * len(ids)
        assert [claims[a] for a in unknown] == ["missing"] * 2
        summaries = cc.index.summary_state(ids + unknown, 1, cc._summary_version())
        assert [summaries[a] for a in ids + unknown] == ["current"] * len(ids) + ["missing"] * 2
        assert len(cc.quotes(k=100)) == sum(len(cc.claims(a)) for a in ids)
