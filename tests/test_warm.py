"""Saved slot states: keyed, checked before they are loaded, bounded on disk (a fake server)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from claimcheck.warm import SlotFiles, Warmth


class FakeSlots:
    """llama.cpp's slot endpoints on 127.0.0.1: ``save`` writes ``state`` into the directory
    under the name asked for, ``restore`` reads it back into ``state`` (a refusal when the
    file is missing or ``refuse`` is set)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.state = b"tokens of an article"
        self.refuse = False
        self.calls: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the http.server name)
                url = urlparse(self.path)
                action = parse_qs(url.query)["action"][0]
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                path = fake.directory / body["filename"]
                fake.calls.append((action, body["filename"]))
                if action == "save":
                    path.write_bytes(fake.state)
                    answer: dict[str, Any] = {"n_saved": len(fake.state)}
                elif fake.refuse or not path.exists():
                    self.send_response(400)
                    self.end_headers()
                    self.wfile.write(b'{"error": "failed to restore"}')
                    return
                else:
                    fake.state = path.read_bytes()
                    answer = {"n_restored": len(fake.state)}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slots(tmp_path: Path) -> Iterator[FakeSlots]:
    fake = FakeSlots(tmp_path / "kv")
    fake.directory.mkdir()
    yield fake
    fake.stop()


def files(slots: FakeSlots, max_bytes: int = 10_000, model: str = "m.gguf") -> SlotFiles:
    return SlotFiles(slots.url, slots.directory, max_bytes, model=model)


def test_a_saved_article_is_restored_by_the_next_process(slots: FakeSlots) -> None:
    first = Warmth(files(slots))
    key = first.before("prompt v1\nThe article.")
    assert slots.calls == [], "nothing saved yet: nothing to restore"
    first.after(key)
    (saved,) = slots.directory.glob("*.bin")
    assert saved.name.startswith(f"{key}-") and not list(slots.directory.glob("partial-*"))
    first.after(key)
    assert [a for a, _ in slots.calls] == ["save"], "saved once"
    # a new process (a new Warmth and server state) restores it before its first check
    slots.state = b""
    second = Warmth(files(slots))
    assert second.before("prompt v1\nThe article.") == key
    assert slots.calls[-1] == ("restore", saved.name) and slots.state == b"tokens of an article"
    second.before("prompt v1\nThe article.")
    assert len(slots.calls) == 2, "the slot holds it already: no second restore"
    # another model, prompt version or article is another key
    keys = {
        files(slots, model="other.gguf").key("prompt v1\nThe article."),
        files(slots).key("prompt v2\nThe article."),
        files(slots).key("prompt v1\nAnother article."),
    }
    assert key not in keys and len(keys) == 3


def test_a_corrupt_or_refused_file_is_deleted_and_rebuilt(slots: FakeSlots) -> None:
    store = files(slots)
    key = store.key("prefix")
    assert store.save(key) == len(slots.state)
    (saved,) = slots.directory.glob("*.bin")
    saved.write_bytes(b"tokens of an articlX")  # the same size, another content
    assert store.restore(key) == 0 and not saved.exists()
    assert [a for a, _ in slots.calls] == ["save"], "a file that fails its checksum is not loaded"
    warm = Warmth(store)
    warm.after(warm.before("prefix"))
    assert store.saved(key), "read afresh and saved again"
    slots.refuse = True
    assert store.restore(key) == 0 and not store.saved(key), "the server refused it: deleted"


def test_the_files_used_longest_ago_are_evicted(slots: FakeSlots) -> None:
    slots.state = b"x" * 400
    store = files(slots, max_bytes=1000)
    keys = [store.key(f"article {i}") for i in range(3)]
    store.save(keys[0])
    store.save(keys[1])
    store.restore(keys[0])  # used: now newer than keys[1]
    store.save(keys[2])
    assert [store.saved(k) for k in keys] == [True, False, True]
    assert sum(p.stat().st_size for p in slots.directory.glob("*.bin")) <= 1000
