"""Web input against a small HTTP server on 127.0.0.1 that these tests start and stop: pages
read with trafilatura (article text without the page around it, the page's own metadata),
fetch limits and their messages, feeds, the CLI, the HTTP API and the SSRF guard."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimcheck import ClaimCheck
from claimcheck.errors import InputError
from claimcheck.server import create_app
from claimcheck.settings import Settings
from claimcheck.web import check_address, decode_html, feed_items, fetch, page_article

from .fakes import ScriptedModel
from .pages_server import PAGES

GOLD = json.loads((PAGES / "gold.json").read_text(encoding="utf-8"))


@pytest.fixture
def loopback_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server is on loopback: allow it, as a user's own setting would."""
    monkeypatch.setenv("CLAIMCHECK_FETCH_PRIVATE", "true")


def words(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.parametrize("name", ["news.html", "opengraph.html", "latin.html"])
def test_a_page_keeps_its_article_and_none_of_the_page_around_it(name: str) -> None:
    gold = GOLD[name]
    item = page_article(decode_html((PAGES / name).read_bytes(), name), name)
    assert item.text.rstrip("\n").split("\n\n") == gold["article"]
    assert item.text.count("\n\n") == len(gold["article"]) - 1  # paragraphs stay paragraphs
    for phrase in gold["boilerplate"]:
        assert phrase not in item.text, phrase
    for field in ("title", "author", "site", "url"):
        assert getattr(item, field) == gold.get(field), field
    published = item.published.date().isoformat() if item.published else None
    assert published == gold.get("published")


def test_a_page_without_an_article_is_refused() -> None:
    html = (PAGES / "index.html").read_text(encoding="utf-8")
    with pytest.raises(InputError, match="no article on the page"):
        page_article(html, "index.html")


def test_fetching_a_page_stores_it_with_its_metadata(home: Path, site: str, loopback_ok) -> None:
    with ClaimCheck(home=home, chat_model=ScriptedModel([])) as cc:
        article = cc.ingest(f"{site}/moved", title=None, source="Gazette wire")
        assert article.title == GOLD["news.html"]["title"]
        assert article.author == "Maren Holt" and article.site == "Harbour Gazette"
        assert article.source == "Gazette wire"  # given, so it wins
        assert article.url == GOLD["news.html"]["url"]  # the page's canonical URL
        assert "Share on Facebook" not in article.text and "Typical." not in article.text
        stored = cc.get(article.id)  # and it survives the store
        assert (stored.author, stored.site) == ("Maren Holt", "Harbour Gazette")
        given = cc.ingest(f"{site}/opengraph.html", title="My title", published="2026-06-01")
        assert given.title == "My title" and given.published is not None
        assert given.published.date().isoformat() == "2026-06-01"
        assert given.author == "Jonas Eide"


def test_every_fetch_failure_names_the_url_and_the_reason(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(fetch_private=True, fetch_timeout=0.5, max_fetch_bytes=50_000)
    cases = {
        "missing.html": "the server answered 404",
        "image.png": "not a page claimcheck reads: image/png",
        "big.html": "too large: 100,007 bytes, the limit is 50,000",
        "loop-a": "redirect loop",
        "slow.html": "timed out after 0.5 s",
        "drip.html": "timed out: the whole fetch took over 1.5 s",
    }
    for name, reason in cases.items():
        with pytest.raises(InputError) as caught:
            fetch(f"{site}/{name}", settings)
        assert caught.value.source == f"{site}/{name}"
        assert reason in caught.value.reason, (name, caught.value.reason)
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()  # nothing listens there now
    with pytest.raises(InputError, match="cannot connect: connection refused"):
        fetch(f"http://127.0.0.1:{port}/x.html", settings)

    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(InputError, match="DNS lookup failed for news.example"):
        check_address("https://news.example/story", allow_private=False)
    with pytest.raises(InputError, match="not an http"):
        fetch("ftp://127.0.0.1/file", settings)
    with pytest.raises(InputError, match="not a valid URL: Port could not be cast"):
        fetch("http://127.0.0.1:port/", settings)


def test_private_addresses_are_refused_unless_allowed(site: str) -> None:
    for url in (
        f"{site}/news.html",
        "http://10.0.0.8/",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://0.0.0.0/",
    ):
        with pytest.raises(InputError, match="refused: .* address"):
            fetch(url, Settings())
    assert fetch(f"{site}/news.html", Settings(fetch_private=True)).media_type == "text/html"


def test_feeds_rss_and_atom(site: str) -> None:
    settings = Settings(fetch_private=True)
    got = fetch(f"{site}/rss.xml", settings, accept=("application/rss+xml",))
    items = feed_items(got.data, got.url)
    assert [i.link for i in items] == [
        f"{site}/news.html",
        f"{site}/opengraph.html",
        f"{site}/index.html",
        f"{site}/latin.html",
    ]
    assert items[0].published == datetime(2026, 4, 9, 5, 30, tzinfo=UTC)
    got = fetch(f"{site}/atom.xml", settings, accept=("application/atom+xml",))
    assert [i.title for i in feed_items(got.data, got.url)] == ["Library reopens", "Terrace fees"]
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        feed_items(b"<p>just a page</p>", "page.html")


def test_a_feed_is_ingested_item_by_item_and_again_without_refetching(
    home: Path, site: str, loopback_ok
) -> None:
    with ClaimCheck(home=home, chat_model=ScriptedModel([])) as cc:
        seen: list[str] = []
        report = cc.ingest_feed(f"{site}/rss.xml", progress=seen.append)
        assert [a.title for a in report.ingested] == [
            GOLD["news.html"]["title"],
            "Library reopens after two-year renovation",  # the page's own title wins
            "Café owners protest new terrace fees",
        ]
        latin = report.ingested[2]
        assert latin.url == f"{site}/latin.html"  # the item's link, the page gives none
        assert latin.published == datetime(2026, 5, 11, 8, 0, tzinfo=UTC)  # the item's date
        (failure,) = report.failed  # the index page, and the rest went on
        assert failure.source == f"{site}/index.html" and "no article" in failure.reason
        assert len(seen) == 4
        again = cc.ingest_feed(f"{site}/atom.xml", limit=1)
        assert again.ingested == [] and again.skipped == [f"{site}/opengraph.html"]


def test_cli_ingest_urls_and_feeds(run, site: str, loopback_ok) -> None:
    code, report, _ = run("ingest", f"{site}/news.html", f"{site}/missing.html", "--json")
    assert code == 1  # one stored, one failed
    assert [a["author"] for a in report["ingested"]] == ["Maren Holt"]
    assert report["failed"] == [
        {"source": f"{site}/missing.html", "reason": "the server answered 404 Not Found"}
    ]
    code, report, _ = run("ingest", "--feed", f"{site}/rss.xml", "--limit", "2", "--json")
    assert code == 0 and report["skipped"] == [f"{site}/news.html"]
    assert [a["site"] for a in report["ingested"]] == ["Valley Courier"]
    code, out, _ = run("show", report["ingested"][0]["id"])
    assert "author:      Jonas Eide" in out and "site:        Valley Courier" in out
    code, _, err = run("ingest", "--limit", "2")
    assert code == 2 and "--limit needs --feed" in err


def test_http_api_fetches_a_url_only_when_allowed(
    home: Path, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def post(settings: dict[str, str], body: dict) -> tuple[int, dict]:
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        with (
            ClaimCheck(home=home, chat_model=ScriptedModel([])) as cc,
            TestClient(create_app(cc)) as http,
        ):
            response = http.post("/articles", json=body)
            return response.status_code, response.json()

    status, body = post({}, {"url": f"{site}/news.html"})
    assert status == 400 and "refused: 127.0.0.1 is a loopback address" in body["error"]["message"]
    status, body = post({"CLAIMCHECK_FETCH_PRIVATE": "true"}, {"url": f"{site}/news.html"})
    assert status == 201 and body["author"] == "Maren Holt"
    status, body = post({"CLAIMCHECK_ALLOW_FETCH": "false"}, {"url": f"{site}/opengraph.html"})
    assert status == 400 and "fetching URLs is off" in body["error"]["message"]
    status, body = post({}, {"title": "no text"})
    assert status == 400 and "give the article's text, or a url" in body["error"]["message"]
    # text is the article, never a path or a URL to read
    status, body = post({}, {"text": f"{site}/news.html"})
    assert status == 201 and body["text"] == f"{site}/news.html"


def test_every_redirect_hop_is_checked_like_the_first(
    site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A public page that redirects to an internal address must not get there."""
    from claimcheck import web

    checked: list[str] = []
    real = web.check_address

    def recording(url: str, allow_private: bool) -> None:
        checked.append(url)
        real(url, allow_private=len(checked) == 1)  # the first hop passes, as a public one would

    monkeypatch.setattr(web, "check_address", recording)
    with pytest.raises(InputError, match="refused: 127.0.0.1 is a loopback address"):
        fetch(f"{site}/moved", Settings())
    assert checked == [f"{site}/moved", f"{site}/news.html"]
