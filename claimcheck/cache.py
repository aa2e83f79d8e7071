"""A small on-disk cache of model results under ``CLAIMCHECK_HOME/cache``.

Keys name everything the result depends on (article id, model id, prompt version, the version
of the code that made it, options), so a changed prompt, model or module never serves a stale
answer. Files are written atomically.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from types import ModuleType
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


def code_version(module: ModuleType) -> str:
    """A short hash of a module's source and of every claimcheck module it imports, directly or
    not: a result depends on all the code that made it, not only on its task's module."""
    digest = hashlib.sha256()
    for name in sorted(_imports(module.__name__)):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            digest.update(name.encode() + b"\0" + Path(spec.origin).read_bytes())
    return digest.hexdigest()[:12]


@cache
def _imports(root: str) -> frozenset[str]:
    """``root`` and the claimcheck modules it imports, transitively."""
    package = root.split(".")[0]
    seen: set[str] = set()
    todo = [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            continue
        is_package = spec.submodule_search_locations is not None
        here = name if is_package else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(Path(spec.origin).read_bytes())):
            found: list[str] = []
            if isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = importlib.util.resolve_name("." * node.level + base, here)
                # "from . import prompts" names a module; "from .models import Article" a name
                found = [f"{base}.{alias.name}" for alias in node.names]
                if not all(_is_module(f) for f in found):
                    found = [base]
            todo += [f for f in found if f.split(".")[0] == package and _is_module(f)]
    return frozenset(seen)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # "claimcheck.models.Article" is a name, not a module
        return False
