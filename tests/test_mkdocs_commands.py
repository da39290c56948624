"""Plain `mkdocs build --strict` and `mkdocs serve` on a copy of the project, as an editor runs them."""

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from support import ROOT

MKDOCS = [sys.executable, "-m", "mkdocs"]


@pytest.fixture
def project(tmp_path):
    """A copy of the project as a fresh checkout has it: no generated docs yet."""
    for name in ("mkdocs.yml", "content", "templates", "generator"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "docs").mkdir()
    return tmp_path


def test_plain_mkdocs_build_strict_passes_on_shipped_content(project):
    result = subprocess.run([*MKDOCS, "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^WARNING", result.stderr, re.M), result.stderr
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "published outcomes" in home
    assert not list((project / "site").rglob("*.csv")) or (project / "site" / "outcomes.csv").exists()
    assert not (project / "site" / "fragments" / "harvest-export.csv").exists()
    assert list((project / "site" / "pagefind").glob("pagefind*.js")), "plain mkdocs build indexes the site for search"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_mkdocs_serve_follows_an_edit_with_exactly_one_rebuild(project):
    port = free_port()
    log = project / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [*MKDOCS, "serve", "-a", f"127.0.0.1:{port}"], cwd=project, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{port}/outcome-knowledge-base/"
        page = base + "fragments/demo-eha2201-pea003/"
        assert wait_for(lambda: "Marsabit" in fetch(page), 90), log.read_text()
        export = project / "content" / "fragments" / "harvest-export.csv"
        export.write_text(export.read_text(encoding="utf-8").replace("Marsabit", "Marsabit-Edited"), encoding="utf-8")
        assert wait_for(lambda: "Marsabit-Edited" in fetch(page), 90), log.read_text()
        # One saved edit, one rebuild: the generator's own writes into docs/ start none.
        # (The watcher polls every 0.5 s; 3 s leaves room for a second build to show.)
        time.sleep(3)
        assert log.read_text().count("Building documentation") == 2, log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=20)
