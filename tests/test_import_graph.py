"""The generator's import graph: no cycle anywhere, no module imports the MkDocs plugin, and
the stages import only downwards (reading knows nothing of pages, pages nothing of the
preview). Built from the source with ast, function-level imports included: an import
inside a function is a dependency all the same."""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

PACKAGE = ROOT / "generator"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the generator modules it imports (packages' faces resolved to modules)."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and modules[target].name != "__init__.py":
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_in_the_generator():
    assert cycles(import_graph()) == []


def test_nothing_imports_the_plugin():
    graph = import_graph()
    assert sorted(name for name, imported in graph.items() if "generator.plugin" in imported) == []


def _reaches(graph: dict[str, set[str]], start: str, prefix: str) -> list[str]:
    return sorted(target for target in graph[start] if target.startswith(prefix))


def test_the_stages_import_only_downwards():
    """Reading knows nothing of pages or publishing; pages nothing of the preview."""
    graph = import_graph()
    wrong = {
        name: _reaches(graph, name, forbidden)
        for name in graph
        for stage, forbidden in (
            ("generator.read", "generator.pages"),
            ("generator.read", "generator.publish"),
            ("generator.pages", "generator.preview"),
            ("generator.privacy", "generator.pages"),
        )
        if name.startswith(stage + ".") and _reaches(graph, name, forbidden)
    }
    assert wrong == {}


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
