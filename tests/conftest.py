"""Shared helpers: build a site from fixture content into a temporary folder."""

from __future__ import annotations

import asyncio
import collections
import multiprocessing
import os
import sys
import tempfile
import threading
from pathlib import Path

import pytest


def _byte_code_kept_in_pytests_cache() -> None:
    """Where PYTHONDONTWRITEBYTECODE is set (as on some shared machines) and no
    PYTHONPYCACHEPREFIX is, the suite keeps byte code in pytest's own cache folder
    (.pytest_cache/pycache/, git-ignored, where pytest writes already) and never beside the
    sources: otherwise every worker, and every `python -m generator` or `mkdocs` process a
    test starts, compiles generator/ and rewrites every test module again (about 3.0 s of CPU
    to collect the suite in one process against 1.3 s, bench/README.md "Test suite speed,
    sixth round"). Set here, before generator/ is imported, so that this process, the
    workers it starts and their processes inherit it."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE") or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    prefix = str(Path(__file__).resolve().parent.parent / ".pytest_cache" / "pycache")
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    sys.dont_write_bytecode = False
    sys.pycache_prefix = prefix


_byte_code_kept_in_pytests_cache()

# Room to leave for the tests' temporary files (a whole run leaves ~300 MB, kept until the next
# run: tmp_path_retention_count in pyproject.toml) and what else runs: with less free in
# /dev/shm, they stay on disk.
MEMORY_ROOM_NEEDED = 2 * 1024**3


def _temporary_files_in_memory() -> None:
    """Where TMPDIR is not set and /dev/shm (Linux's shared memory, a tmpfs) is writable with
    room to spare, the tests' temporary files go there: tmp_path, every tempfile a test or the
    generator makes, a `mkdocs serve`'s site and Chromium's profile. The suite writes, copies
    and removes thousands of small files (sites built, copied, swapped): in memory the kernel's
    share is about half what it was on the development machine's ext4 (the non-browser part's
    system time 23 -> 12 s, bench/README.md "Test suite speed, eleventh round"). Set here, before anything asks tempfile for its folder,
    so that the workers and every process a test starts inherit it; a TMPDIR you set is left
    as it is."""
    memory = Path("/dev/shm")
    if os.environ.get("TMPDIR") or not memory.is_dir() or not os.access(memory, os.W_OK | os.X_OK):
        return
    room = os.statvfs(memory)
    if room.f_bavail * room.f_frsize < MEMORY_ROOM_NEEDED:
        return  # a container's 64 MB /dev/shm, say
    os.environ["TMPDIR"] = str(memory)
    tempfile.tempdir = None  # asked again, from TMPDIR


_temporary_files_in_memory()

from generator import forking  # noqa: E402 - after the byte code's place is set
from generator.preview.memo import VERIFY_VARIABLE  # noqa: E402
from support import (  # noqa: F401, E402 - re-exported for older test modules
    CAN_LOCK,
    CHROMIUM,
    CHROMIUM_ARGS,
    CONFIG,
    FIXTURES,
    PROJECT_LANGUAGES,
    ROOT,
    BuiltSite,
    build_site,
    engine_templates_compiled_once,
    entry_points_read_once,
    kept_build,
    readable_text,
    run_cli,
    templates_read_once,
    theme_files_listed_once,
    write_fragment,
)


@pytest.fixture(scope="session")
def fixture_site(site_cache) -> BuiltSite:
    """The fixture content of tests/fixtures/site with the project's configuration, in both
    its languages (English at the root, French under fr/): the kept site the browser tests
    serve (support.kept_build, "en"), built once for every worker and kept between runs
    while nothing it is made from changes. Tests only read it."""
    return kept_build(site_cache, "en", languages=PROJECT_LANGUAGES)


@pytest.fixture(scope="session")
def french_fixture_site(site_cache) -> BuiltSite:
    """The same content with theme.language: fr (the browser tests' french_site)."""
    return kept_build(site_cache, "fr", theme_language="fr")


@pytest.fixture(autouse=True)
def forking_as_in_a_fresh_process(monkeypatch):
    """A build forks its helpers only where no other thread runs (generator.forking.can_fork).
    The browser modules leave threads alive in their pytest worker for the session (Playwright's
    driver is waited on by an asyncio thread), so a build in a later test of the same worker
    would take the one-process path and the forked one would go untested (CI failed on it,
    2026-12-04). Here the threads alive before the test began are the harness's and do not
    count; a thread the test starts (a live `mkdocs serve`) still does. A test that patches
    can_fork itself overrides this."""
    harness = {thread.ident for thread in threading.enumerate()}

    def can_fork() -> bool:
        started_by_the_test = [thread for thread in threading.enumerate() if thread.ident not in harness]
        return "fork" in multiprocessing.get_all_start_methods() and not started_by_the_test

    monkeypatch.setattr(forking, "can_fork", can_fork)


@pytest.fixture
def verified_memos(monkeypatch):
    """Every result the preview's memos reuse is computed again and compared (generator/preview/memo.py,
    OKB_VERIFY_MEMO=1; `mkdocs serve` started by the test inherits it): a result whose inputs
    leave out what it is made from raises MemoMismatch instead of leaving a stale page.
    Tests that exercise the preview use it: `pytestmark = pytest.mark.usefixtures("verified_memos")`."""
    monkeypatch.setenv(VERIFY_VARIABLE, "1")


@pytest.fixture(scope="session")
def site_cache(request, tmp_path_factory) -> Path:
    """Where kept_fixture_site keeps the sites it builds: pytest's cache folder
    (.pytest_cache/, never committed), so that a second run reuses what the first built,
    or, with the cache turned off (-p no:cacheprovider), the run's temporary folder, shared
    by its workers. Where files cannot be locked, each worker has a folder of its own."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("okb-sites") if cache is not None else tmp_path_factory.getbasetemp().parent / "okb-sites"
    if not CAN_LOCK:
        folder = folder / os.environ.get("PYTEST_XDIST_WORKER", "main")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session", autouse=True)
def engine_entry_points_read_once():
    """Every test: the engine reads the installed themes and plugins once (support.entry_points_read_once)."""
    with entry_points_read_once():
        yield


@pytest.fixture(scope="session", autouse=True)
def engine_theme_compiled_once():
    """Every test: the engine's theme templates are compiled once per process, not once per
    build (support.engine_templates_compiled_once)."""
    with engine_templates_compiled_once():
        yield


@pytest.fixture(scope="session", autouse=True)
def engine_theme_listed_once():
    """Every test: the engine lists the theme's files once per state of the theme folders, not
    in every build (support.theme_files_listed_once)."""
    with theme_files_listed_once():
        yield


@pytest.fixture(scope="session", autouse=True)
def page_templates_compiled_once():
    """Every test: the generator's page templates are compiled and labels.yml parsed once per
    process, not in every generate() or build (support.templates_read_once: half the CPU of a
    small generation, 0.17 -> 0.085 s, bench/README.md "Test suite speed, ninth round"); each
    generation still reads, gates, renders and writes its own content, and a changed template
    or labels.yml is read again."""
    with templates_read_once():
        yield


# ------------------------------------------------------------------ the longest files first

# Each test file's seconds (setup + call + teardown of its tests) in the last run that ran
# it, kept in pytest's cache (.pytest_cache/, never committed).
SECONDS_PER_FILE = "okb/seconds-per-file"


def _file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _seconds_per_file(config: pytest.Config) -> dict[str, float]:
    """The last runs' seconds per file: in a worker, what the controller read for it
    (pytest_configure_node), so that every worker orders the files alike."""
    given = getattr(config, "workerinput", None)
    if given is not None:
        return given.get(SECONDS_PER_FILE, {})
    cache = getattr(config, "cache", None)
    return cache.get(SECONDS_PER_FILE, {}) if cache is not None else {}


class _FileSeconds:
    """Adds up each file's seconds as the reports come in (in the controller, from every
    worker) and keeps them for the next run, merged with what files this run left out."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.seconds: collections.Counter[str] = collections.Counter()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[_file_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self) -> None:
        cache = getattr(self.config, "cache", None)
        if cache is not None and self.seconds:
            kept = _seconds_per_file(self.config)
            cache.set(SECONDS_PER_FILE, {**kept, **{name: round(value, 2) for name, value in self.seconds.items()}})


def pytest_configure(config: pytest.Config) -> None:
    """xdist hands out whole files (--dist loadfile) in the order collected, not reordered by
    their number of tests (its default, which put files of few but long tests last: the
    stopped builds, the preview's state machine, the live `mkdocs serve`, one worker still
    busy with them while the other had finished); the order is pytest_collection_modifyitems'."""
    config.option.loadscopereorder = False
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_FileSeconds(config), "okb-file-seconds")


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist's controller, for each worker it starts: the seconds the workers order by."""
    node.workerinput[SECONDS_PER_FILE] = _seconds_per_file(node.config)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The files that took longest in the last run first, then those with the most tests (all
    of them in a first run, as in CI): a long file handed out last decides when the run ends.
    Each file's tests keep their order."""
    seconds = _seconds_per_file(config)
    tests = collections.Counter(_file_of(item.nodeid) for item in items)
    items.sort(key=lambda item: (-seconds.get(_file_of(item.nodeid), 0.0), -tests[_file_of(item.nodeid)]))


# ------------------------------------------------------------------ browser (shared by all browser tests)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(
            f"{reason}. In CI the browser tests must run: chromium must be installed "
            f"(apt-get install chromium) at {CHROMIUM}, with the playwright Python package.",
            pytrace=False,
        )
    pytest.skip(f"{reason}; browser tests skipped (apt-get install chromium to run them)")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Playwright's sync API, once the browser tests have started it in this worker, leaves its
    event loop marked as running in this thread (it switches greenlets in the middle of the
    loop): a later test of the same worker that starts a loop of its own (`asyncio.run`) was
    refused ("cannot be called from a running event loop"), depending on which files the worker
    had run before. Tests that do not drive the browser run with no loop marked, as they would
    alone; the mark is put back for the browser tests after them."""
    playwright_loop = asyncio._get_running_loop()
    if playwright_loop is None or "browser" in item.fixturenames:
        return (yield)
    asyncio._set_running_loop(None)
    try:
        return (yield)
    finally:
        asyncio._set_running_loop(playwright_loop)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
