"""The suite's own rules: test modules share code through tests/support.py and conftest.py only."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Known and to be fixed on the branches that own tests/browser/ (move the shared helpers of
# browser/test_site.py into browser/conftest.py or support.py); then empty this.
KNOWN = {"browser/test_csp.py imports .test_site", "browser/test_search.py imports .test_site"}


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, relative imports written with their leading dots."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names += [base] if node.module else [f"{base}{alias.name}" for alias in node.names]
    return names


def test_no_test_module_imports_another_test_module():
    offenders = [
        f"{path.relative_to(TESTS)} imports {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for name in imported_modules(path)
        if name.rsplit(".", 1)[-1].startswith("test_")
    ]
    new = sorted(set(offenders) - KNOWN)
    assert not new, "move what is shared into tests/support.py (or a fixture in conftest.py): " + "; ".join(new)
    assert not KNOWN - set(offenders), f"fixed, so take it out of KNOWN: {sorted(KNOWN - set(offenders))}"
