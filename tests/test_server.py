"""The HTTP API with a scripted model: endpoints, errors, auth, limits, queue, jobs."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from claimcheck import ClaimCheck
from claimcheck.server import ModelGate, QueueFull, create_app

from .articles import ORCHARD
from .fakes import ScriptedModel

SUMMARY = {"sentences": [{"text": "A late frost hit the Valdera valley.", "cites": [2]}]}
JUDGED = {"reason": "The evidence says so.", "label": "supported"}


@pytest.fixture
def api(home: Path) -> Iterator[tuple[TestClient, ClaimCheck, ScriptedModel]]:
    model = ScriptedModel([])
    with ClaimCheck(home=home, chat_model=model) as cc, TestClient(create_app(cc)) as http:
        yield http, cc, model


def test_articles_crud(api) -> None:
    http, cc, _ = api
    created = http.post("/articles", json={"text": ORCHARD, "source": "Courier"})
    assert created.status_code == 201
    article = created.json()
    assert article["text"] == ORCHARD and article["source"] == "Courier"
    listed = http.get("/articles").json()
    assert [a["id"] for a in listed] == [article["id"]] and "text" not in listed[0]
    assert http.get(f"/articles/{article['id']}").json()["text"] == ORCHARD
    assert http.delete(f"/articles/{article['id']}").status_code == 204
    missing = http.get(f"/articles/{article['id']}")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFound"


def test_upload_html_strips_scripts(api) -> None:
    http, _, _ = api
    html = "<html><head><title>Frost</title><script>alert(1)</script></head><body>"
    html += "".join(f"<p>{p}</p>" for p in ORCHARD.split("\n\n")) + "</body></html>"
    response = http.post(
        "/articles",
        files={"file": ("frost.html", html.encode(), "text/html")},
        data={"source": "Courier"},
    )
    assert response.status_code == 201, response.text
    article = response.json()
    assert article["title"] == "Frost" and "alert" not in article["text"]


def test_an_upload_is_read_as_the_cli_reads_that_file(api, tmp_path: Path) -> None:
    """One suffix table and one set of messages for uploads and files: a .pdf (even one that is
    text) is refused over HTTP exactly as `claimcheck ingest` refuses it, and nothing is kept."""
    from claimcheck.sources import read_file

    http, cc, _ = api
    pdf = tmp_path / "story.pdf"
    pdf.write_bytes(b"%PDF-1.4 a story in plain words")
    with pytest.raises(Exception) as cli_error:
        list(read_file(pdf))
    response = http.post("/articles", files={"file": ("story.pdf", pdf.read_bytes())})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message == str(cli_error.value).replace(str(pdf), "story.pdf")
    assert "unknown extension '.pdf'" in message and cc.articles() == []
    lines = b'{"text": "One."}\n{"text": "Two."}\n'
    several = http.post("/articles", files={"file": ("two.jsonl", lines)})
    assert several.status_code == 400 and "upload one article" in several.json()["error"]["message"]
    named = http.post("/articles", files={"file": ("frost.txt", ORCHARD.encode())})
    assert named.status_code == 201 and named.json()["title"] == ORCHARD.split("\n")[0]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"", 400),
        (b"{not json", 400),
        (json.dumps({"text": "   "}).encode(), 400),
        (json.dumps({"title": "no text"}).encode(), 400),
    ],
)
def test_bad_articles_are_clear_errors_and_store_nothing(api, body: bytes, status: int) -> None:
    http, cc, _ = api
    response = http.post("/articles", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert set(response.json()["error"]) == {"type", "message"}
    assert "Traceback" not in response.text
    assert cc.articles() == []


def test_binary_upload_and_oversized_bodies(api) -> None:
    http, cc, _ = api
    binary = http.post("/articles", files={"file": ("x.txt", b"\x00\x01\x02" * 10, "text/plain")})
    assert binary.status_code == 400 and "binary" in binary.json()["error"]["message"]
    big = http.post("/articles", content=b"x" * 2_100_000, headers={"content-type": "text/plain"})
    assert big.status_code == 413 and "CLAIMCHECK_MAX_BODY_BYTES" in big.json()["error"]["message"]
    assert cc.articles() == []


def test_model_endpoints(api) -> None:
    http, cc, model = api
    article_id = cc.ingest(ORCHARD).id
    model.enqueue(SUMMARY)
    summary = http.get(f"/articles/{article_id}/summary", params={"sentences": 2})
    assert summary.status_code == 200
    quote = summary.json()["sentences"][0]["citations"][0]
    assert ORCHARD[quote["start"] : quote["end"]] == quote["text"]
    model.enqueue("yes")  # the one-token support question
    verdict = http.post("/check", json={"claim": "A late frost hit the valley.",
                                        "article_id": article_id})  # fmt: skip
    assert verdict.status_code == 200 and verdict.json()["label"] == "supported"
    assert verdict.json()["explanation"] is None
    model.enqueue("yes", JUDGED)  # and with "explain", the model's written reason after it
    verdict = http.post("/check", json={"claim": "A late frost hit the valley.",
                                        "article_id": article_id, "explain": True})  # fmt: skip
    assert verdict.json()["explanation"] == "The evidence says so."
    assert verdict.json()["model_label"] == "supported"
    model.enqueue("yes", JUDGED)
    report = http.post(
        "/check-text", json={"text": "A frost hit.", "article_id": article_id, "explain": True}
    )
    assert report.status_code == 200 and report.json()["faithfulness"] == 1.0
    assert report.json()["verdicts"][0]["explanation"] == "The evidence says so."
    model.enqueue({"sentences": []})
    answer = http.post("/ask", json={"question": "Who won the 1998 Tour de France?"})
    assert answer.status_code == 200 and answer.json()["answered"] is False
    bad = http.post("/check", json={"claim": "x" * 5000})
    assert bad.status_code == 422 and "claim" in bad.json()["error"]["message"]
    assert http.post("/check", json={"claim": 3}).status_code == 422
    assert http.get(f"/articles/{article_id}/summary", params={"sentences": 0}).status_code == 422


def test_model_unavailable_is_503(api) -> None:
    http, cc, model = api
    article_id = cc.ingest(ORCHARD).id
    model.enqueue("broken", "still broken")
    response = http.get(f"/articles/{article_id}/summary")
    assert response.status_code == 503 and response.json()["error"]["type"] == "ModelError"


def test_jobs(api) -> None:
    http, cc, model = api
    article_id = cc.ingest(ORCHARD).id
    model.enqueue(SUMMARY)
    accepted = http.get(f"/articles/{article_id}/summary", params={"async": "true"})
    assert accepted.status_code == 202
    job_id = accepted.json()["id"]
    for _ in range(100):
        job = http.get(f"/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert job["state"] == "done" and job["result"]["sentences"]
    assert http.get("/jobs/nope").status_code == 404


def test_api_key(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMCHECK_API_KEY", "s3cret")
    with ClaimCheck(home=home, chat_model=ScriptedModel([])) as cc:
        http = TestClient(
            create_app(cc, settings=cc.settings.model_copy(update={"api_key": "s3cret"}))
        )
        assert http.get("/healthz").status_code == 200
        assert http.get("/articles").status_code == 401
        assert http.get("/articles", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = http.get("/articles", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200


def test_the_gate_bounds_the_queue() -> None:
    gate = ModelGate(size=1)
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with gate.hold():
            inside.set()
            release.wait(5)

    first = threading.Thread(target=hold)
    first.start()
    inside.wait(5)
    second = threading.Thread(target=lambda: gate.hold().__enter__())
    second.start()
    time.sleep(0.1)
    with pytest.raises(QueueFull):
        with gate.hold():
            pass
    release.set()
    first.join(5)


def test_openapi_and_health(api) -> None:
    http, _, _ = api
    spec = http.get("/openapi.json").json()
    assert {"/articles", "/check", "/ask", "/jobs/{job_id}"} <= set(spec["paths"])
    health = http.get("/healthz").json()
    assert health["status"] == "ok" and health["model"]["state"] == "external"
    assert health["model"]["busy"] is False and health["model"]["waiting"] == 0


def test_the_page_is_served_and_never_builds_html_from_data(api) -> None:
    http, _, _ = api
    page = http.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    script = page.text
    assert "innerHTML" not in script and "outerHTML" not in script
    assert "textContent" in script


def test_claimcheck_serve_runs_uvicorn_on_loopback(home: Path) -> None:
    """The real command, on 127.0.0.1 and a free port, stopped by the test."""
    import os
    import subprocess
    import sys
    import urllib.request

    from claimcheck.server import free_port

    port = free_port()
    command = [str(Path(sys.executable).parent / "claimcheck"), "serve", "--port", str(port)]
    proc = subprocess.Popen(
        command,
        env={**os.environ, "CLAIMCHECK_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.loads(r.read())
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.3)
        assert health["status"] == "ok" and health["model"]["state"] == "not started"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles", timeout=5) as r:
            assert json.loads(r.read()) == []
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stderr:
            proc.stderr.close()


def test_every_bad_input_is_a_clear_error_and_the_store_is_untouched(api) -> None:
    http, cc, _ = api
    kept = cc.ingest(ORCHARD)
    chunks_before = [c.model_dump() for c in cc.chunks(kept.id)]
    json_headers = {"content-type": "application/json"}
    bad = {
        "10 MB of text": http.post(
            "/articles", content=json.dumps({"text": "word " * 2_000_000}), headers=json_headers
        ),
        "invalid UTF-8 upload": http.post(
            "/articles", files={"file": ("x.txt", "café".encode("latin-1") * 50, "text/plain")}
        ),
        "invalid UTF-8 body": http.post(
            "/articles", content=b'{"text": "caf\xe9 au lait"}', headers=json_headers
        ),
        "whitespace text": http.post("/articles", json={"text": " \n\t "}),
        "malformed JSON": http.post("/check", content=b'{"claim": ', headers=json_headers),
        "empty claim": http.post("/check", json={"claim": ""}),
        "5,000-character claim": http.post("/check", json={"claim": "tunnel " * 715}),
        "unknown article": http.get("/articles/0123456789abcdef"),
        "unknown article check": http.post(
            "/check", json={"claim": "A frost hit.", "article_id": "0123456789abcdef"}
        ),
        "unknown summary": http.get("/articles/0123456789abcdef/summary"),
        "unknown delete": http.delete("/articles/0123456789abcdef"),
        "unknown job": http.get("/jobs/nope"),
        "empty question": http.post("/ask", json={"question": "  "}),
    }
    for what, response in bad.items():
        assert 400 <= response.status_code < 500, (what, response.status_code, response.text)
        error = response.json()["error"]
        assert error["message"] and "Traceback" not in response.text, what
    assert bad["10 MB of text"].status_code == 413
    assert "UTF-8" in bad["invalid UTF-8 upload"].json()["error"]["message"]
    assert "0123456789abcdef" in bad["unknown article"].json()["error"]["message"]
    assert [a.id for a in cc.articles()] == [kept.id]
    assert [c.model_dump() for c in cc.chunks(kept.id)] == chunks_before


def test_old_finished_jobs_are_forgotten(api) -> None:
    http, cc, model = api
    http.app.state.service.jobs.keep = 2
    article_id = cc.ingest(ORCHARD).id
    ids = []
    for _ in range(4):
        model.enqueue("yes")
        body = {"claim": "A late frost hit the valley.", "article_id": article_id}
        job = http.post("/check?async=true", json=body).json()
        ids.append(job["id"])
        deadline = time.monotonic() + 20
        while http.get(f"/jobs/{job['id']}").json()["state"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert http.get(f"/jobs/{ids[0]}").status_code == 404
    assert http.get(f"/jobs/{ids[-1]}").json()["result"]["label"] == "supported"


def test_a_flag_must_be_a_boolean(api) -> None:
    """The schema says boolean: 0.0 or "yes" is a 422, not read as false or true (found by the
    schema fuzz test)."""
    http, cc, _ = api
    article_id = cc.ingest(ORCHARD).id
    for value in (0.0, "yes"):
        body = {"claim": "A late frost hit the valley.", "article_id": article_id, "explain": value}
        response = http.post("/check", json=body, params={"async": "true"})
        assert response.status_code == 422, value
        assert "explain" in response.text
