"""A small on-disk cache of model results under ``CLAIMCHECK_HOME/cache``.

Keys name everything the result depends on (article id, model id, prompt version, options), so
a changed prompt or model never serves a stale answer. Files are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, kind: str, key: dict[str, Any]) -> Path:
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
        return self.root / kind / f"{digest}.json"

    def get(self, kind: str, key: dict[str, Any]) -> Any | None:
        path = self._path(kind, key)
        try:
            stored = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return stored.get("value") if stored.get("key") == key else None

    def put(self, kind: str, key: dict[str, Any], value: Any) -> None:
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "value": value}, fh, ensure_ascii=False)
        os.replace(tmp, path)

    def drop_article(self, article_id: str) -> None:
        """Forget every cached result of an article (after it is deleted)."""
        if not self.root.exists():
            return
        for path in self.root.glob("*/*.json"):
            try:
                if json.loads(path.read_text("utf-8")).get("key", {}).get("article") == article_id:
                    path.unlink()
            except (OSError, ValueError):
                continue
