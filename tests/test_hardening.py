"""What an outside probe found, each reproduced on loopback with real processes where it takes
them: a second process on an embedded store, chunked bodies past the limit, credentials and
the store's state in /healthz, security headers, capped metadata, a bounded shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from claimcheck import ClaimCheck, StoreError
from claimcheck.server import create_app, free_port, running
from claimcheck.settings import Settings

from .articles import ORCHARD, SUMMIT
from .conftest import stop, wait_until_up
from .fakes import ScriptedModel

CLI = str(Path(sys.executable).parent / "claimcheck")


@contextmanager
def serving(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`claimcheck serve` on 127.0.0.1 and a free port, in its own process; stopped after."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [CLI, "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"

    def why() -> str:
        log.seek(0)
        return f"serve did not start: {log.read()[-2000:]!r}"

    try:
        wait_until_up(f"{url}/", proc, why)
        yield url, proc
    finally:
        stop(proc)
        log.close()


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120
    )


def test_a_second_process_on_an_embedded_store_is_refused_and_the_server_keeps_working(
    home: Path,
) -> None:
    """Embedded Chroma cannot be shared between processes (a delete made by one is still served
    by the other's index: the server's searches failed with 500). The second process now says
    so, names the way out, and changes nothing."""
    env = {"CLAIMCHECK_HOME": str(home)}
    with serving(env) as (url, _):
        article = httpx.post(f"{url}/articles", json={"text": ORCHARD}, timeout=60).json()
        done = cli(env, "delete", article["id"])
        assert done.returncode == 1
        assert "in use by another process" in done.stderr
        assert "CLAIMCHECK_CHROMA_URL" in done.stderr and "pid" in done.stderr
        hits = httpx.get(f"{url}/search", params={"q": "frost on the apple blossom"}, timeout=60)
        assert hits.status_code == 200 and hits.json()[0]["article_id"] == article["id"]
        assert httpx.get(f"{url}/articles/{article['id']}", timeout=30).status_code == 200
    # once the server is gone the CLI has the store to itself
    assert cli(env, "delete", article["id"]).returncode == 0


def test_with_a_chroma_server_the_cli_and_the_service_share_the_store(
    home: Path, chroma_server: str
) -> None:
    env = {
        "CLAIMCHECK_HOME": str(home),
        "CLAIMCHECK_CHROMA_URL": chroma_server,
        "CLAIMCHECK_COLLECTION_PREFIX": f"shared{os.getpid()}",
    }
    with serving(env) as (url, _):
        kept = httpx.post(f"{url}/articles", json={"text": SUMMIT}, timeout=60).json()
        gone = httpx.post(f"{url}/articles", json={"text": ORCHARD}, timeout=60).json()
        assert httpx.get(f"{url}/search", params={"q": "frost"}, timeout=60).status_code == 200
        done = cli(env, "delete", gone["id"])
        assert done.returncode == 0, done.stderr
        hits = httpx.get(f"{url}/search", params={"q": "frost on the apple blossom"}, timeout=60)
        assert hits.status_code == 200
        assert gone["id"] not in {h["article_id"] for h in hits.json()}
        assert httpx.get(f"{url}/articles/{gone['id']}", timeout=30).status_code == 404
        assert httpx.get(f"{url}/articles/{kept['id']}", timeout=30).status_code == 200


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _chunks(total: int, size: int = 1 << 20, head: bytes = b"") -> Iterator[bytes]:
    yield head
    sent = 0
    while sent < total:
        yield b"a" * size
        sent += size


@pytest.mark.parametrize("kind", ["json", "multipart"])
def test_a_chunked_body_over_the_limit_is_413_without_being_read_whole(
    home: Path, kind: str
) -> None:
    """No Content-Length: the body arrives in pieces and is counted as it comes."""
    with ClaimCheck(home=home, chat_model=ScriptedModel()) as cc:
        with running(create_app(cc)) as url:
            before = _rss_mb()
            head = b""
            if kind == "json":
                headers = {"Content-Type": "application/json"}
            else:  # a well-formed multipart upload of one enormous file
                headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
                head = (
                    b'--xyz\r\nContent-Disposition: form-data; name="file"; '
                    b'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
                )
            try:
                response = httpx.post(
                    f"{url}/articles",
                    content=_chunks(50 << 20, head=head),
                    headers=headers,
                    timeout=60,
                )
                status, body = response.status_code, response.json()
            except httpx.HTTPError:  # the server may close before the client stops sending
                status, body = 413, {"error": {"type": "PayloadTooLarge"}}
            grown = _rss_mb() - before
            assert status == 413 and body["error"]["type"] == "PayloadTooLarge"
            assert grown < 30, f"the server grew by {grown:.0f} MB reading a 50 MB body"
            assert cc.articles() == []


def test_healthz_tells_the_store_state_and_never_its_credentials(home: Path) -> None:
    port = free_port()  # nothing listens there: the store is down
    secret_url = f"http://reader:s3cret-pw@127.0.0.1:{port}"
    app = create_app(settings=Settings(home=home, chroma_url=secret_url))
    from fastapi.testclient import TestClient

    with TestClient(app) as http:
        health = http.get("/healthz")
        assert health.status_code == 503
        body = health.json()
        assert body["status"] == "degraded" and body["down"] == ["store"]
        assert "s3cret-pw" not in health.text and "reader" not in health.text
        listing = http.get("/articles")
        assert listing.status_code == 503 and "s3cret-pw" not in listing.text
    with pytest.raises(StoreError) as info:
        ClaimCheck(home=home, chroma_url=secret_url)
    assert "s3cret-pw" not in str(info.value) and "***@127.0.0.1" in str(info.value)
    with (
        ClaimCheck(home=home, chat_model=ScriptedModel()) as cc,
        TestClient(create_app(cc)) as http,
    ):
        health = http.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert health.json()["store"]["state"] == "ok"


def test_security_headers_and_allow_on_405(home: Path) -> None:
    from fastapi.testclient import TestClient

    with (
        ClaimCheck(home=home, chat_model=ScriptedModel()) as cc,
        TestClient(create_app(cc)) as http,
    ):
        for response in (http.get("/articles"), http.get("/"), http.get("/nope")):
            assert response.headers["x-content-type-options"] == "nosniff"
        policy = http.get("/").headers["content-security-policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src 'sha256-" in policy and "unsafe-inline" not in policy
        wrong = http.put("/articles")
        assert wrong.status_code == 405 and set(wrong.headers["allow"].split(", ")) == {
            "GET",
            "POST",
        }
        spec = http.get("/openapi.json").json()
        body = spec["paths"]["/articles"]["post"]["requestBody"]["content"]
        assert {"application/json", "multipart/form-data"} <= set(body)
        assert {"400", "404", "413", "422"} <= set(spec["paths"]["/check"]["post"]["responses"])


def test_metadata_fields_are_capped(home: Path) -> None:
    from fastapi.testclient import TestClient

    with (
        ClaimCheck(home=home, chat_model=ScriptedModel()) as cc,
        TestClient(create_app(cc)) as http,
    ):
        response = http.post("/articles", json={"text": ORCHARD, "title": "t" * 600_000})
        assert response.status_code == 400 and "title" in response.json()["error"]["message"]
        form = http.post(
            "/articles",
            files={"file": ("frost.txt", ORCHARD.encode())},
            data={"source": "s" * 5000},
        )
        assert form.status_code == 400 and "source" in form.json()["error"]["message"]
        assert cc.articles() == []
        with pytest.raises(Exception, match="title"):
            cc.ingest(ORCHARD, title="t" * 501)


def test_sigterm_stops_within_the_grace_period_and_leaves_no_half_article(home: Path) -> None:
    """An ingest that takes longer than the grace period is cut off: the service stops in
    time, and the article it was writing is not left half-stored."""
    env = {"CLAIMCHECK_HOME": str(home), "CLAIMCHECK_SHUTDOWN_SECONDS": "2"}
    big = "\n\n".join(f"{ORCHARD.strip()} Paragraph {i}." for i in range(400))  # ~450 KB
    with serving(env) as (url, proc):

        def post() -> None:
            try:
                httpx.post(f"{url}/articles", json={"text": big}, timeout=120)
            except httpx.HTTPError:
                pass  # cut off, as it should be

        import threading

        sender = threading.Thread(target=post, daemon=True)
        sender.start()
        time.sleep(3)  # well into the ingest (embedding ~450 KB takes far longer)
        stopped_at = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        took = time.monotonic() - stopped_at
        assert took < 20, f"SIGTERM took {took:.0f} s"
    with ClaimCheck(home=home, chat_model=ScriptedModel()) as cc:
        assert cc.articles() == [], "nothing half-written survives"


def test_a_job_cut_off_by_sigterm_is_failed_after_the_restart_never_404(home: Path) -> None:
    """A real `claimcheck serve`, a claims job waiting on a slow model server, SIGTERM: the
    restarted service still knows the job, as failed with a reason."""
    from evals.bench_corpus import article
    from evals.fake_openai import FakeOpenAI

    with FakeOpenAI(delay=60) as slow:  # the model answers long after the grace period
        env = {
            "CLAIMCHECK_HOME": str(home),
            "CLAIMCHECK_SHUTDOWN_SECONDS": "1",
            "OPENAI_BASE_URL": slow.url,
            "OPENAI_API_KEY": "fake",
            "CLAIMCHECK_MODEL": "fake-model",
        }
        with serving(env) as (url, proc):
            made = httpx.post(f"{url}/articles?claims=true", json={"text": article(1)}, timeout=60)
            assert made.status_code == 201, made.text
            job_id = made.json()["claims_job"]
            deadline = time.monotonic() + 30
            while slow.requests == 0 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert httpx.get(f"{url}/jobs/{job_id}").json()["state"] == "running"
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        with serving(env) as (url, _):
            job = httpx.get(f"{url}/jobs/{job_id}")
            assert job.status_code == 200
            assert job.json()["state"] == "failed"
            assert job.json()["error"]["type"] == "Interrupted"
