"""The article viewer in a real browser: Playwright driving Debian's Chromium against the app
served by uvicorn on 127.0.0.1 (the model is scripted; the page, the HTTP API and the offsets
are real). A screenshot of the article view is saved under build/test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claimcheck import ClaimCheck
from claimcheck.server import create_app, running

from .articles import ORCHARD, SUMMIT
from .conftest import ROOT
from .fakes import ScriptedModel, claims_answer

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "build" / "test-artifacts"
# Chromium's own background traffic is refused on a closed network: switch it off.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is missing: `make test` installs it"
)


@pytest.fixture
def served(home: Path) -> Iterator[tuple[str, ClaimCheck, ScriptedModel]]:
    """The app under uvicorn on 127.0.0.1 and a free port, stopped after the test."""
    model = ScriptedModel([])
    with ClaimCheck(home=home, chat_model=model) as cc, running(create_app(cc)) as url:
        yield url, cc, model


@pytest.fixture
def page() -> Iterator[object]:
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=ARGS,  # Playwright gives it a fresh, empty profile
        )
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 800})
        finally:
            browser.close()


@pytest.mark.parametrize(
    ("text", "how"),
    [(ORCHARD, "paste"), (SUMMIT, "upload")],
    ids=["pasted-curly-quotes", "uploaded-crlf-non-latin"],
)
def test_clicking_a_claim_highlights_its_quote(served, page, text: str, how: str) -> None:
    url, cc, model = served
    model.enqueue(claims_answer(text))
    page.goto(url)
    if how == "paste":  # a textarea turns CRLF into LF; an upload keeps the bytes
        page.fill("#new-title", "Frost")
        page.fill("#new-text", text)
        page.click("#add")
    else:
        file = {"name": "summit.txt", "mimeType": "text/plain", "buffer": text.encode()}
        page.set_input_files("#upload", files=[file])
    page.wait_for_selector("#find-claims:not([disabled])")
    page.click("#find-claims")
    page.wait_for_selector("#claims li.claim")
    article = cc.articles()[0]
    assert article.text == text, "stored as sent"
    claims = cc.claims(article.id)
    items = page.locator("#claims li.claim")
    assert items.count() == len(claims) >= 2
    for n in (1, 0):  # the second claim, then back to the first
        items.nth(n).click()
        marks = page.locator("#text mark")
        assert marks.all_text_contents() == [q.text for q in claims[n].quote]
        assert page.locator("#text").text_content() == text, "the whole text, unchanged"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"article-view-{'crlf' if chr(13) in text else 'curly'}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_html_in_an_article_is_shown_as_text_never_run(served, page) -> None:
    url, cc, _ = served
    hostile = (
        '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">\n\n'
        "The council said on Monday that the bridge would reopen in May after repairs.\n"
    )
    page.goto(url)
    page.fill("#new-title", "<b onmouseover=alert(1)>title</b>")
    page.fill("#new-text", hostile)
    page.click("#add")
    # (a locator, not wait_for_function: the page's CSP refuses eval, Playwright's too)
    page.locator("#text").filter(has_text="window.pwned").wait_for()
    assert page.evaluate("window.pwned") is None
    assert page.locator("#text script, #text img, #articles b, #title b").count() == 0
    assert "<script>window.pwned = 1</script>" in page.locator("#text").text_content()
    assert page.locator("#title").text_content() == "<b onmouseover=alert(1)>title</b>"


def test_the_viewer_works_with_an_api_key(home: Path, page) -> None:
    """With CLAIMCHECK_API_KEY set the page asks for the key, keeps it in the tab's session
    storage and sends it as a bearer header; a wrong key is told apart from a missing one."""
    model = ScriptedModel([])
    with ClaimCheck(home=home, chat_model=model, api_key="k-73fa") as cc:
        cc.ingest(ORCHARD, title="Frost")
        with running(create_app(cc)) as url:
            page.goto(url)
            status = page.locator("#key-status")
            status.filter(has_text="needs an API key").wait_for()
            assert page.locator("#articles li").count() == 0
            page.fill("#api-key", "wrong")
            page.click("#use-key")
            status.filter(has_text="did not accept").wait_for()
            page.fill("#api-key", "k-73fa")
            page.click("#use-key")
            page.locator("#articles li", has_text="Frost").wait_for()
            assert page.evaluate("sessionStorage.getItem('claimcheck-api-key')") == "k-73fa"
            page.reload()  # the same tab keeps the key
            page.locator("#articles li", has_text="Frost").click()
            page.locator("#text").filter(has_text="Valdera").wait_for()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viewer-with-api-key.png"))


def test_a_quotes_search_across_articles_opens_the_article_at_the_quote(home: Path, page) -> None:
    from .fakes import SchemaModel
    from .test_corpus import PIPELINE, TALKS

    with ClaimCheck(home=home, chat_model=SchemaModel()) as cc:
        for text, title in ((PIPELINE, "Gas"), (TALKS, "Talks"), (ORCHARD, "Frost")):
            cc.ingest(text, title=title)
        cc.claims_all()
        putin = cc.quotes("trade office", speaker="Putin")
        with running(create_app(cc)) as url:
            page.goto(url)
            page.locator("#articles li", has_text="Frost").click()  # another article is open
            page.locator("#text").filter(has_text="Valdera").wait_for()
            page.fill("#quotes-q", "trade office")
            page.fill("#quotes-speaker", "Putin")
            page.click("#quotes-search")
            hits = page.locator("#quotes li.hit")
            hits.first.wait_for()
            assert hits.count() == len(putin) >= 2, "both articles' Putin claims"
            assert hits.first.text_content().startswith(putin[0].claim.claim)
            hits.first.click()
            page.locator("#title").filter(has_text=putin[0].title or "").wait_for()
            marks = page.locator("#text mark")
            marks.first.wait_for()
            assert marks.all_text_contents() == [q.text for q in putin[0].claim.quote]
            assert page.locator("#text").text_content() == cc.get(putin[0].article_id).text
            page.fill("#quotes-speaker", "Nobody Atall")
            page.click("#quotes-search")
            page.locator("#quotes-status").filter(has_text="No stored claims").wait_for()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "viewer-quotes-search.png"))


def test_a_page_fetched_by_url_opens_with_its_byline(
    home: Path, page, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The viewer's URL field: the service fetches the page (a loopback one, allowed here)
    and the article opens with the author and site the page names."""
    monkeypatch.setenv("CLAIMCHECK_FETCH_PRIVATE", "true")
    with (
        ClaimCheck(home=home, chat_model=ScriptedModel([])) as cc,
        running(create_app(cc)) as url,
    ):
        page.goto(url)
        page.fill("#new-url", f"{site}/news.html")
        page.click("#fetch")
        page.locator("#title").filter(has_text="Ferry fares to rise").wait_for()
        assert (
            page.locator("#byline").text_content() == "by Maren Holt · Harbour Gazette · 2026-04-09"
        )
        assert "Share on Facebook" not in page.locator("#text").text_content()
        page.fill("#new-url", f"{site}/index.html")
        page.click("#fetch")
        page.locator("#add-status").filter(has_text="no article on the page").wait_for()
