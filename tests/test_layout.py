"""The code's arrangement as a test: no import cycle inside an app, no module a reader cannot
hold in their head, and a ``partnerships`` top level of concept packages, each saying what it
is for. The layers between apps are the import-linter contract in ``pyproject.toml``."""

import ast
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "actors", "api_base", "demo", "partnerships", "portal", "reminders"]
APPS += ["reports", "risks"]
MAX_LINES = 600
# Beside the concept packages, the modules Django and Celery look for, the leaf of choices,
# the permission layer every app asks, and the path the migrations name.
TOP_LEVEL_MODULES = {
    "__init__.py",
    "admin.py",
    "apps.py",
    "choices.py",
    "permissions.py",
    "phase_models.py",
    "signals.py",
    "tasks.py",
    "urls.py",
}


def _cycles(graph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


@pytest.mark.parametrize("app", APPS)
def test_no_import_cycle_inside_an_app(app, monkeypatch):
    # Function-level imports count: a cycle hidden in a function is still a cycle.
    monkeypatch.syspath_prepend(str(ROOT))
    graph = grimp.build_graph(app, include_external_packages=False, cache_dir=None)
    modules = {m for m in graph.modules if ".migrations" not in m}
    assert _cycles(graph, modules) == []


def test_no_module_is_over_600_lines():
    long = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "node_modules", "var"} or "migrations" in parts:
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_LINES:
            long[str(path.relative_to(ROOT))] = lines
    assert long == {}


def test_the_partnerships_top_level_is_concept_packages():
    top = ROOT / "partnerships"
    modules = {p.name for p in top.glob("*.py")}
    assert modules - TOP_LEVEL_MODULES == set()
    packages = [p for p in top.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert len(packages) >= 8
    undocumented = []
    for package in packages:
        tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
        docstring = ast.get_docstring(tree) or ""
        if len(docstring.split()) < 10 and not (package / "README.md").exists():
            undocumented.append(package.name)
    assert undocumented == []
