"""The package's rooms: its modules import each other without a circle (a module a newcomer
opens need not be read together with the one that imports it back), and none is too long to
hold in one's head (600 lines a module, 80 a function)."""

from __future__ import annotations

import ast
from pathlib import Path

import claimcheck

PACKAGE = Path(claimcheck.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        out[name] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports, at the top or inside a
    function (``from . import prompts`` imports ``claimcheck.prompts``, not the package)."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                subs = [f"{target}.{a.name}" for a in node.names]
                found = [s for s in subs if s in modules]
                targets = found if len(found) == len(subs) else [target, *found]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or through others."""
    reach = {name: set(targets) for name, targets in graph.items()}
    changed = True
    while changed:
        changed = False
        for name in reach:
            more = set().union(*(reach[t] for t in reach[name])) - reach[name]
            if more:
                reach[name] |= more
                changed = True
    groups = {frozenset({n, *(m for m in reach[n] if n in reach[m])}) for n in reach}
    return sorted(sorted(g) for g in groups if len(g) > 1)


def test_no_module_of_the_package_imports_itself_back() -> None:
    graph = import_graph()
    assert "claimcheck.web" in graph["claimcheck.sources"], "the graph sees imports"
    assert circles(graph) == []


def test_a_circle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def sizes() -> tuple[dict[str, int], dict[str, int]]:
    """Lines of each module of the package, and of each function or method in it."""
    modules, functions = {}, {}
    for name, path in _modules().items():
        source = path.read_text(encoding="utf-8")
        modules[name] = len(source.splitlines())
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                functions[f"{name}:{node.lineno} {node.name}"] = lines
    return modules, functions


def test_every_room_fits_in_a_head() -> None:
    modules, functions = sizes()
    assert modules["claimcheck.api"] > 100 and functions, "the sizes are read"
    assert {n: s for n, s in modules.items() if s > MAX_MODULE_LINES} == {}
    assert {n: s for n, s in functions.items() if s > MAX_FUNCTION_LINES} == {}
