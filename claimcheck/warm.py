"""Articles kept warm across processes: the embedded server's read of an article saved to disk.

Reading a 1,000-word article costs the embedded model about 30 s on 2 cores; once read, a
check on it costs about a second, because llama.cpp keeps the prompt's KV state and reads
only what follows the longest prefix it has seen (in its slot, and in its RAM prompt cache,
``CLAIMCHECK_PROMPT_CACHE_MIB``). That state dies with the process. This module saves the
slot after a process has read an article (llama.cpp's ``POST /slots/0?action=save``) into
``CLAIMCHECK_HOME/kv/``, and a later process restores it (``action=restore``) before its
first check of that article, so it reads only the claim and the question.

- **Keyed by what was read**: the model file, and the prompt prefix the article's checks
  share (the check prompt's system text and the article), hashed; another model, an edited
  prompt or another article is another key, never a stale file.
- **Never trusted blindly**: the file's name carries the SHA-256 of its content, checked
  before the server is asked to load it; a file that does not match, or that the server
  refuses, is deleted, and the article is read afresh (and saved again). llama.cpp itself
  reuses a restored state only as far as its tokens equal the new prompt's.
- **Bounded**: at most ``CLAIMCHECK_KV_CACHE_MIB`` on disk (about 29 KB a token: a 1,000-word
  article is about 40 MB); the files used longest ago are removed first. A restore counts
  as a use.
- Only for the embedded server with one slot (a hosted server's cache is its own business).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class SlotFiles:
    """Saved slot states of one model in ``directory`` (which llama.cpp writes into, as its
    ``slot_save_path``), at most ``max_bytes`` of them."""

    server_url: str
    directory: Path
    max_bytes: int
    model: str  # names the model file: part of every key
    timeout: float = 60.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _verified: set[tuple[str, int, float]] = field(default_factory=set)  # name, size, mtime

    def key(self, prefix: str) -> str:
        """The file key of a prompt prefix read by this model."""
        return hashlib.sha256(f"{self.model}\n{prefix}".encode()).hexdigest()[:32]

    def _files(self, key: str) -> list[Path]:
        return sorted(self.directory.glob(f"{key}-*.bin"))

    def saved(self, key: str) -> bool:
        return bool(self._files(key))

    def restore(self, key: str) -> int:
        """Load the saved state of ``key`` into slot 0; the tokens restored, 0 when there is
        no good file (a bad one is deleted)."""
        with self._lock:
            for path in self._files(key):
                stat = path.stat()
                seen = (path.name, stat.st_size, stat.st_mtime)
                expected = path.stem.rsplit("-", 1)[-1]
                if seen not in self._verified and _sha256(path) != expected:
                    log.warning("deleting %s: its content does not match its checksum", path.name)
                    path.unlink(missing_ok=True)
                    continue
                try:
                    answer = self._post("restore", path.name)
                except OSError as exc:
                    log.warning("the model server could not restore %s (%s): deleted", path, exc)
                    path.unlink(missing_ok=True)
                    continue
                now = time.time()
                os.utime(path, (now, now))  # used: the last to be evicted
                self._verified.add((path.name, stat.st_size, now))
                return int(str(answer.get("n_restored", 0)))
        return 0

    def save(self, key: str) -> int:
        """Save slot 0 under ``key``; the tokens saved (0 when the server refused)."""
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial = f"partial-{os.getpid()}-{key}.bin"
            try:
                answer = self._post("save", partial)
            except OSError as exc:
                log.warning("the model server could not save its slot (%s)", exc)
                (self.directory / partial).unlink(missing_ok=True)
                return 0
            source = self.directory / partial
            for old in self._files(key):
                old.unlink(missing_ok=True)
            os.replace(source, self.directory / f"{key}-{_sha256(source)}.bin")
            self._evict()
            return int(str(answer.get("n_saved", 0)))

    def _evict(self) -> None:
        files = sorted(self.directory.glob("*.bin"), key=lambda p: p.stat().st_mtime)
        total = sum(p.stat().st_size for p in files)
        for path in files[:-1]:  # the newest file stays, whatever its size
            if total <= self.max_bytes:
                break
            total -= path.stat().st_size
            path.unlink(missing_ok=True)

    def _post(self, action: str, filename: str) -> dict[str, object]:
        request = urllib.request.Request(
            f"{self.server_url}/slots/0?action={action}",
            data=json.dumps({"filename": filename}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer: dict[str, object] = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise OSError(f"HTTP {exc.code}: {exc.read()[:200]!r}") from exc
        return answer


@dataclass
class Warmth:
    """The slot's article across calls: before a check on an article other than the last one
    checked, its saved state is restored (the server's RAM cache may hold it too, but a restore
    is sure and costs a tenth of a second); after a check that read an article no file holds,
    the slot is saved."""

    files: SlotFiles
    last: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def before(self, prefix: str) -> str:
        """Call before asking on ``prefix``; returns its key for :meth:`after`."""
        key = self.files.key(prefix)
        with self._lock:
            if key != self.last and self.files.saved(key):
                self.files.restore(key)
            self.last = key
        return key

    def after(self, key: str) -> None:
        """Call after asking on the prefix of ``key``: saves it if no file holds it."""
        with self._lock:
            if not self.files.saved(key):
                self.files.save(key)
