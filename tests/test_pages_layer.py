"""The page code knows nothing of the preview: what a preview keeps from one generation
for the next reaches it only through generator/pages/reuse.py's Reuse."""

from __future__ import annotations

import ast

from support import ROOT


def imported(module: ast.Module) -> set[str]:
    """The modules a module imports, by full name (from generator import preview → generator.preview)."""
    names: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_under_generator_pages_imports_the_preview():
    offending = {
        path.name: sorted(
            name
            for name in imported(ast.parse(path.read_text(encoding="utf-8")))
            if name == "generator.preview" or name.startswith("generator.preview.")
        )
        for path in sorted((ROOT / "generator" / "pages").glob("*.py"))
    }
    assert {name: found for name, found in offending.items() if found} == {}
