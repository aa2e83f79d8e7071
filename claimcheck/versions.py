"""The version of the code that made a stored result: with the model id and the prompt
version it decides whether a stored claim set or summary is current (see ``corpus.py``), so a
changed prompt, model or module never serves a stale answer."""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType


def code_version(module: ModuleType) -> str:
    """A short hash of a module's source and of every claimcheck module it imports, directly or
    not: a result depends on all the code that made it, not only on its task's module."""
    return _code_version(module.__name__)


@cache
def _code_version(root: str) -> str:
    """Hashed once a process: the version of the code this process has loaded."""
    digest = hashlib.sha256()
    for name in sorted(_imports(root)):
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
