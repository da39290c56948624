"""The site engine (generator/engine.py): ProperDocs or MkDocs, chosen once per process,
and imported by no other module of the generator."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

import pytest

from generator import engine
from generator.engine import ENGINE, ENGINES, EngineError, choose
from support import ROOT

ENGINE_PACKAGES = {"mkdocs", "properdocs"}


def test_the_running_engine_wins_over_the_variable():
    """`properdocs serve` or `mkdocs serve` loaded the plugin: that engine is the one, whatever OKB_ENGINE says."""
    assert choose({"OKB_ENGINE": "mkdocs"}, frozenset({"properdocs", "mkdocs"})) is ENGINES["properdocs"]
    assert choose({"OKB_ENGINE": "properdocs"}, frozenset({"mkdocs"})) is ENGINES["mkdocs"]


def test_the_variable_chooses_when_no_engine_runs():
    assert choose({"OKB_ENGINE": "mkdocs"}, frozenset()) is ENGINES["mkdocs"]
    assert choose({"OKB_ENGINE": " ProperDocs "}, frozenset()) is ENGINES["properdocs"]


def test_properdocs_is_preferred_when_installed(monkeypatch):
    monkeypatch.setattr(engine, "_installed", lambda name: True)
    assert choose({}, frozenset()) is ENGINES["properdocs"]
    monkeypatch.setattr(engine, "_installed", lambda name: name == "mkdocs")
    assert choose({}, frozenset()) is ENGINES["mkdocs"]


def test_an_engine_that_is_not_installed_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(engine, "_installed", lambda name: name == "mkdocs")
    with pytest.raises(EngineError) as error:
        choose({"OKB_ENGINE": "properdocs"}, frozenset())
    assert str(error.value) == (
        "OKB_ENGINE asks for ProperDocs, which is not installed: "
        "run 'pip install properdocs' in the project's environment, or remove the variable"
    )


def test_an_unknown_engine_is_named_with_what_to_write():
    with pytest.raises(EngineError) as error:
        choose({"OKB_ENGINE": "zensical"}, frozenset())
    assert str(error.value) == (
        "OKB_ENGINE='zensical' is not an engine this project knows: write properdocs or mkdocs, or remove the variable"
    )


def test_an_unknown_engine_stops_the_build_with_a_plain_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env={**os.environ, "OKB_ENGINE": "mkdocs2"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "Error: OKB_ENGINE='mkdocs2' is not an engine this project knows: write properdocs or mkdocs, "
        "or remove the variable",
        "Nothing was published: the previous site is as it was.",
    ]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_one_engine_per_process():
    """Under ProperDocs every mkdocs.* import is ProperDocs' module (Material's too): the
    real MkDocs is never loaded beside it. Under MkDocs, ProperDocs is never loaded."""
    if ENGINE.name == "properdocs":
        assert sys.modules["mkdocs"] is sys.modules["properdocs"]
        assert engine.build.__module__ == "properdocs.commands.build"
    else:
        assert "properdocs" not in sys.modules
        assert engine.build.__module__ == "mkdocs.commands.build"


def test_the_site_is_built_by_the_chosen_engine(fixture_site):
    """The engine names itself in every page's generator tag (the only place the two differ)."""
    home = (fixture_site.site / "index.html").read_text(encoding="utf-8")
    tag = re.search(r'<meta name="generator" content="([^"]*)">', home)
    assert tag is not None
    expected = "mkdocs-ProperDocs 1.6.7" if ENGINE.name == "properdocs" else "mkdocs-1.6.1"
    assert tag.group(1) == f"{expected}, mkdocs-material-9.8.1"


def test_only_the_engine_module_imports_the_engine():
    """The rest of generator/ goes through generator/engine.py, the one place to change for
    another engine."""
    importers = []
    for path in sorted((ROOT / "generator").glob("*.py")):
        if path.name == "engine.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(name.split(".")[0] in ENGINE_PACKAGES for name in names):
                importers.append(f"{path.name}:{node.lineno}")
    assert importers == []
