"""Stopping and overlapping builds (issue 18, class 7), in real processes.

A build is held in the middle of MkDocs' work by a hook of the test's own mkdocs.yml: it
writes a marker file and waits while the marker is there. At that moment the guard's
process and Pagefind's are running and every temporary folder exists; the test then sends
Ctrl+C (SIGINT to the whole process group, as a terminal does), SIGTERM (to the build's
process only, as a service manager does) or SIGKILL, or starts a second build.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.publish.stopping import MEMORY_FOLDER, MEMORY_KIND
from support import FIXTURES, ROOT, run_cli_in_process, tree_digest, write_config, write_fragment

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and process groups")

HOOK = """
import os, time
from pathlib import Path

def on_page_markdown(markdown, **kwargs):
    marker = os.environ.get("OKB_TEST_PAUSE")
    if marker and not Path(marker).exists() and not Path(marker + ".done").exists():
        Path(marker + ".done").touch()
        Path(marker).touch()
        deadline = time.monotonic() + 120
        while Path(marker).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return markdown
"""
STOPPED = "Build stopped; the previous site is as it was.\n"
SECRET = "QUIBBLEFROST held back story"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """A project folder (mkdocs.yml with the pausing hook, the fixture content) whose site is
    built, once for the module and in this process: the build that is stopped is the
    subject, not this one. Each test starts from a copy (_project)."""
    folder = tmp_path_factory.mktemp("built")
    (folder / "pause_hook.py").write_text(HOOK, encoding="utf-8")
    # A copy git does not track: the fixture's own files would add the tracked-sources warning.
    shutil.copytree(FIXTURES / "site", folder / "content")
    config = write_config(folder, hooks=[str(folder / "pause_hook.py")])
    result = run_cli_in_process(*_build_command(folder, config, extra=False)[3:], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return folder


def _project(tmp_path: Path, built_once: Path) -> Path:
    """A project folder: mkdocs.yml with the pausing hook, a built site (a copy of
    built_once's), and an extra content folder with a public fragment and a held-back one
    (so the next build has work)."""
    shutil.copytree(built_once, tmp_path, symlinks=True, dirs_exist_ok=True)
    config = write_config(tmp_path, hooks=[str(tmp_path / "pause_hook.py")])
    extra = tmp_path / "extra"
    extra.mkdir()
    write_fragment(extra, "new-public")
    write_fragment(
        extra, "new-secret", Outcome_statements_is_CONFIDENTIAL="yes", Outcome_description=f"{SECRET}, never shown"
    )
    return config


def _build_command(folder: Path, config: Path, extra: bool = True) -> list[str]:
    contents = ["--content", str(folder / "content")] + (["--content", str(folder / "extra")] if extra else [])
    return [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--config",
        str(config),
        *contents,
        "--docs-dir",
        str(folder / "docs"),
        "--site-dir",
        str(folder / "site"),
        "--quiet",
    ]


def _start_paused(folder: Path, config: Path) -> tuple[subprocess.Popen[str], Path]:
    """A build in a session of its own, returned once it is held in MkDocs' work."""
    marker = folder / "paused"
    build = subprocess.Popen(
        _build_command(folder, config),
        cwd=ROOT,
        env={**os.environ, "OKB_TEST_PAUSE": str(marker)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the build never reached MkDocs"
        time.sleep(0.02)
    return build, marker


def _names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


# What a project folder holds between builds: nothing temporary.
AT_REST = {
    "mkdocs.yml",
    "pause_hook.py",
    "extra",
    "content",
    "docs",
    "site",
    ".site.okb-build.json",
    ".docs.okb-generated.json",
}


def _memory_folders(pid: int) -> list[Path]:
    """The memory work folders of the build process `pid` (stopping.memory_work_folder)."""
    if not MEMORY_FOLDER.is_dir():
        return []
    return sorted(MEMORY_FOLDER.glob(f"{MEMORY_KIND}-{pid}-*"))


def _session_processes(session: int) -> list[str]:
    """The processes still running in a session (Linux: /proc), e.g. Pagefind's or the guard's."""
    left = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            left.append(stat.parent.name)
    return left


@pytest.mark.parametrize("languages", [(), ("en", "fr")], ids=["one language", "two languages"])
@pytest.mark.parametrize(
    ("how", "code"),
    [("ctrl-c", 130), ("sigterm", 143)],
)
def test_a_stopped_build_says_one_line_and_leaves_the_site_and_no_litter(tmp_path, built_once, how, code, languages):
    """In two languages the French site is built by the engine in a helper process beside the
    English one: a stop ends it with the build, as it ends the guard's and Pagefind's."""
    config = _project(tmp_path, built_once)
    if languages:
        config = write_config(tmp_path, hooks=[str(tmp_path / "pause_hook.py")], languages=languages)
    before = tree_digest(tmp_path / "site")
    build, marker = _start_paused(tmp_path, config)
    if how == "ctrl-c":
        os.killpg(build.pid, signal.SIGINT)  # a terminal sends it to every process of the build
    else:
        os.kill(build.pid, signal.SIGTERM)
    out, err = build.communicate(timeout=120)
    assert (build.returncode, err, out) == (code, STOPPED, "")
    assert tree_digest(tmp_path / "site") == before
    assert _names(tmp_path) == (AT_REST - {".docs.okb-generated.json"}) | {"paused", "paused.done"}
    # The docs folder held this build's unchecked pages: emptied, its stamp gone.
    assert _names(tmp_path / "docs") == {".okb-generated"}
    written = [path for path in tmp_path.rglob("*") if path.is_file() and "extra" not in path.parts]
    assert not any(SECRET in path.read_text(errors="replace") for path in written)
    assert _memory_folders(build.pid) == []  # the search records' pages in memory, removed too
    if Path("/proc").is_dir():
        time.sleep(0.2)
        assert _session_processes(build.pid) == []
    marker.unlink()


def test_a_killed_builds_leftovers_are_removed_by_the_next_build_but_a_running_ones_are_not(tmp_path, built_once):
    config = _project(tmp_path, built_once)
    build, marker = _start_paused(tmp_path, config)
    os.killpg(build.pid, signal.SIGKILL)
    build.communicate(timeout=60)
    marker.unlink()
    left = _names(tmp_path) - AT_REST - {"paused.done"}
    assert {re.sub(r"-\d+-[a-z0-9_]+$", "", name) for name in left} == {
        ".site.okb-lock",  # released by the system, removed by the next build
        ".docs.okb-lock",
        ".site.building",
        ".site.okb-search",
        ".docs.okb-unchecked",
    }
    # The search records' pages it wrote in memory, where the system has a folder for it (its
    # Pagefind helper may have removed them already: one is made as the killed build left it).
    killed_in_memory = MEMORY_FOLDER / f"{MEMORY_KIND}-{build.pid}-abcd1234"
    if MEMORY_FOLDER.is_dir():
        killed_in_memory.mkdir(exist_ok=True)
        (killed_in_memory / "index.html").write_text("a record's page", encoding="utf-8")
    # A folder of a build that still runs (a process of this test, by its number) is not touched.
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    running_in_memory = MEMORY_FOLDER / f"{MEMORY_KIND}-{running.pid}-abcd1234"
    try:
        (tmp_path / f".site.building-{running.pid}-abcd1234").mkdir()
        if MEMORY_FOLDER.is_dir():
            running_in_memory.mkdir()
        result = run_cli_in_process(*_build_command(tmp_path, config)[3:], cwd=ROOT)
        assert result.returncode == 0, result.stderr
        assert _names(tmp_path) == AT_REST | {"paused.done", f".site.building-{running.pid}-abcd1234"}
        assert not killed_in_memory.exists()
        assert running_in_memory.is_dir() == MEMORY_FOLDER.is_dir()
    finally:
        running.kill()
        running.wait()
        shutil.rmtree(running_in_memory, ignore_errors=True)
    assert (tmp_path / "site" / "fragments" / "new-public" / "index.html").is_file()


def test_a_second_build_into_the_same_folders_waits_for_the_first(tmp_path, tmp_path_factory, built_once):
    config = _project(tmp_path, built_once)
    first, marker = _start_paused(tmp_path, config)
    said = tmp_path_factory.mktemp("second") / "stderr"  # outside the project folder, whose names are checked
    with open(said, "w", encoding="utf-8") as stderr:
        second = subprocess.Popen(
            _build_command(tmp_path, config)[:-1],  # not --quiet: it says that it waits
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    site = tmp_path / "site"
    waiting = f"Another build into {site}/ is under way: this one waits for it to finish…\n"
    # The second has started and is waiting for the lock, however long its start takes on a busy machine.
    deadline = time.monotonic() + 120
    while not said.read_text(encoding="utf-8"):
        assert second.poll() is None, second.communicate()
        assert time.monotonic() < deadline, "the second build never said that it waits"
        time.sleep(0.05)
    assert second.poll() is None
    marker.unlink()  # the first goes on
    out, err = first.communicate(timeout=120)
    assert (first.returncode, err) == (0, ""), err
    out, _ = second.communicate(timeout=120)
    assert (second.returncode, said.read_text(encoding="utf-8")) == (0, waiting)
    assert out.startswith("Nothing has changed since the last build")  # it found the first's site
    assert _names(tmp_path) == AT_REST | {"paused.done"}
