"""Browser tests: the fixture site, built once, served on 127.0.0.1 and driven with Chromium.

- `served_site`: builds tests/fixtures/site with the CLI into a temporary folder and serves
  it with a threaded static HTTP server bound to 127.0.0.1 on a free port; `french_site`
  the same content built with theme.language: fr.
- `browser`: Debian's /usr/bin/chromium driven by Playwright (never `playwright install`).
  Missing chromium skips the browser tests, or fails them when the CI variable is set.
- `page`: a fresh page per test, in the worker's one browser context, lent to
  each test in turn and reset between them (see LentContext). Every request of the context
  is recorded in the test's `request_log`; any request to another host than 127.0.0.1 fails
  the test, and never leaves the machine: the browser resolves no other host
  (support.FOREIGN_HOSTS_UNRESOLVED). A test that needs other context options (no
  JavaScript, a script before every page) makes a context of its own with `guarded_context`.
- On failure a screenshot goes to test-artifacts/<test name>.png at the repository root.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support import PROJECT_LANGUAGES, kept_fixture_site

# Without Playwright (or axe for it) the browser tests are not collected, on a contributor's
# machine; CI installs both, and there a missing one fails the run instead.
_BROWSER_PACKAGES = ("playwright", "axe_playwright_python")
if not all(importlib.util.find_spec(name) for name in _BROWSER_PACKAGES):
    if os.environ.get("CI"):
        raise ImportError(f"the browser tests need {', '.join(_BROWSER_PACKAGES)}: pip install -e '.[test]'")
    collect_ignore_glob = ["test_*.py"]

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site"
ARTIFACTS = ROOT / "test-artifacts"
LOCAL_HOST = "127.0.0.1"
# Schemes that never reach the network (inline SVG icons, worker blobs, blank pages).
LOCAL_SCHEMES = {"data", "blob", "about"}
TIMEOUT_MS = 10_000
# How Chromium's request to another host fails: the browser resolves no host but 127.0.0.1
# (support.FOREIGN_HOSTS_UNRESOLVED), so the request stops before any connection.
UNRESOLVED = "net::ERR_NAME_NOT_RESOLVED"


def artifact_path(name: str) -> Path:
    """test-artifacts/<name>.png, with characters unsafe in file names replaced."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", name) + ".png")


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https") and parts.hostname == LOCAL_HOST


# --------------------------------------------------------------------------- site


class LocalServer(ThreadingHTTPServer):
    """The test sites' server: a browser that drops a connection mid-answer (a page left
    before its last file came) is no error worth a traceback in the test output."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the standard library's own class attribute, extended
        **SimpleHTTPRequestHandler.extensions_map,
        ".json": "application/json",
        ".xml": "application/xml",
        ".js": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".map": "application/json",
    }

    def log_message(self, format, *args):
        pass


@dataclass
class ServedSite:
    root: Path
    base_url: str  # ends with '/'

    def url(self, path: str = "") -> str:
        return self.base_url + path.lstrip("/")


@contextlib.contextmanager
def build_and_serve(content: Path, work: Path) -> Iterator[ServedSite]:
    """Build `content` with the CLI into `work` and serve the site on 127.0.0.1 while in use."""
    site, docs = work / "site", work / "docs"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--quiet",
            "--content",
            str(content),
            "--site-dir",
            str(site),
            "--docs-dir",
            str(docs),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 or not (site / "index.html").is_file():
        pytest.fail(f"building the site of {content} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    with serve(site) as served:
        yield served


@contextlib.contextmanager
def serve(site: Path) -> Iterator[ServedSite]:
    """Serve a built site on 127.0.0.1 while in use."""
    server = LocalServer((LOCAL_HOST, 0), functools.partial(_Handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="test-site-server", daemon=True)
    thread.start()
    try:
        yield ServedSite(site, f"http://{LOCAL_HOST}:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_server() -> Iterator[Callable[[Path], ServedSite]]:
    """Serves built sites on 127.0.0.1 for the whole session, each site once however many
    modules ask for it: call it with a site folder, get its address."""
    with contextlib.ExitStack() as servers:
        served: dict[Path, ServedSite] = {}

        def serve_site(site: Path) -> ServedSite:
            if site not in served:
                served[site] = servers.enter_context(serve(site))
            return served[site]

        yield serve_site


@pytest.fixture(scope="session")
def served_site(site_cache, site_server) -> ServedSite:
    """tests/fixtures/site in the project's two languages (English at the root, French under
    fr/), built once (kept between runs while nothing it reads changes), served."""
    return site_server(kept_fixture_site(site_cache, "en", languages=PROJECT_LANGUAGES))


@pytest.fixture(scope="session")
def french_site(served_site) -> ServedSite:
    """The French tree (fr/) of the shared two-language fixture site, served: a French site
    without a build of its own."""
    return ServedSite(served_site.root / "fr", served_site.url("fr/"))


@pytest.fixture(scope="session")
def bilingual_site(served_site) -> ServedSite:
    """The shared fixture site, in both of the project's languages (English at the root,
    French under fr/), by the name the language tests give it."""
    return served_site


@pytest.fixture
def browser_page_for(page, site_cache, site_server):
    """Build other content (kept by the name of its folder), serve it, and open its home page
    in the test's page."""

    def open_site(content: Path):
        served = site_server(kept_fixture_site(site_cache, f"content-{content.name}", content))
        page.goto(served.url())
        return page

    return open_site


# ------------------------------------------------------------------------ browser


@dataclass
class RequestLog:
    """What a test's pages asked for: every request (`urls`) and, of those to another host,
    the ones the browser stopped at its resolver (`blocked`: they reached the network stack,
    not the network)."""

    urls: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        return [url for url in self.urls + self.blocked if not is_local(url)]


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture(scope="session", autouse=True)
def assertions_wait_as_long_as_actions() -> None:
    """expect() waits TIMEOUT_MS, as clicks and typing do, not Playwright's 5 s: on a loaded CI
    machine a search result's page took longer than 5 s to open, and the test failed though
    the site was right."""
    from playwright.sync_api import expect  # imported here: without Playwright no test is collected

    expect.set_options(timeout=TIMEOUT_MS)


def record_requests(ctx, log_of: Callable[[], RequestLog | None]) -> None:
    """Record every request of the context's pages (their workers' included) in the log that
    `log_of()` gives at the time (none: not recorded), and each one to another host that the
    browser's resolver stopped also as `blocked`. Listeners only, no route: Playwright turns
    the HTTP cache off while any route is set, and the browser itself keeps the requests
    in (support.FOREIGN_HOSTS_UNRESOLVED)."""

    def requested(request) -> None:
        log = log_of()
        if log is not None:
            log.urls.append(request.url)

    def failed(request) -> None:
        log = log_of()
        if log is not None and not is_local(request.url) and request.failure == UNRESOLVED:
            log.blocked.append(request.url)

    ctx.on("request", requested)
    ctx.on("page", lambda page: page.on("request", requested))
    ctx.on("requestfailed", failed)


def guarded_context(browser, request_log: RequestLog, **options):
    """A browser context of a test's own (`options` as Playwright's new_context takes them)
    whose requests are recorded in `request_log` (one to another host fails the test; the
    browser sends none). The caller closes it."""
    ctx = browser.new_context(**options)
    ctx.set_default_timeout(TIMEOUT_MS)
    record_requests(ctx, lambda: request_log)
    return ctx


class LentContext:
    """One browser context per worker, lent to each test in turn: a fresh context costs a
    test ~0.3 s before its first page (a new page in a context already up, ~0.1 s), on ~150
    tests. The log it records into is the borrowing test's. What a test may leave in it is
    reset when the test ends: every page of the test closed (with them their routes,
    listeners, bindings, init scripts, viewport, emulated media and CDP overrides such as
    Data Saver), then everything stored for every origin the test's pages asked anything of
    (cookies, local and session storage, IndexedDB, cache storage: the CDP's "all"; no other
    origin is reached), through a blank page the context keeps for that and never lends. The
    HTTP cache is kept from test to test (the theme's files, Pagefind's start-up: fetched
    once a worker, not at every page load): the sites served never change during a session,
    and a page with a route of its own (a test that rewrites an answer) does not use the
    cache (Playwright turns it off for that page). A test must not change the context itself
    (its options, permissions, a route, an init script or binding of the context): one that
    needs that makes its own (`guarded_context`). If the reset fails, the context is closed
    and the next test gets a new one.

    Tests that borrow with the same `reuse` key, one after another, share their page: the
    reset waits until a test with another key (or none) borrows. For tests that only
    navigate the page and read it (test_a11y.py's pairings of language and size): its
    renderer keeps axe-core's 570 KB compiled, ~0.4 s a run in a new page."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self._context = None
        self._keeper = None  # the blank page the storage is cleared through
        self._session = None
        self._log: RequestLog | None = None
        self._kept: tuple[object, object] | None = None  # (reuse key, page)
        self._origins_to_clear: set[str] = set()

    def lend(self, log: RequestLog, reuse: object = None):
        """A page for the test whose requests go to `log`: new, or the one the last test
        left under the same `reuse` key."""
        if self._context is None:
            self._open()
        self._log = log
        if self._kept is not None:
            key, page = self._kept
            if reuse is not None and key == reuse and not page.is_closed():
                return page
            self._kept = None
            self._reset()
        page = self._context.new_page()
        if reuse is not None:
            self._kept = (reuse, page)
        return page

    def _open(self) -> None:
        ctx = self._browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", service_workers="block"
        )
        ctx.set_default_timeout(TIMEOUT_MS)
        record_requests(ctx, lambda: self._log)
        self._context, self._keeper = ctx, ctx.new_page()
        self._session = ctx.new_cdp_session(self._keeper)

    def take_back(self) -> None:
        """Reset what the borrowing test left (see the class), unless its page is kept."""
        log, self._log = self._log, None
        if self._context is None or log is None:
            return
        self._origins_to_clear |= {
            f"{parts.scheme}://{parts.netloc}"
            for parts in map(urlsplit, log.urls)
            if parts.scheme in ("http", "https") and parts.hostname == LOCAL_HOST
        }
        if self._kept is None:
            self._reset()

    def _reset(self) -> None:
        ctx = self._context
        try:
            for page in ctx.pages:
                if page != self._keeper:
                    page.close()  # first: its scripts stop, nothing more is stored
            for origin in sorted(self._origins_to_clear):
                self._session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            self._origins_to_clear.clear()
        except Exception:
            self.close()  # the next test gets a new context rather than this one's leftovers

    def close(self) -> None:
        if self._context is not None:
            with contextlib.suppress(Exception):
                self._context.close()
            self._context = self._keeper = self._session = self._kept = None
            self._origins_to_clear.clear()


@pytest.fixture(scope="session")
def lent_context(browser) -> Iterator[LentContext]:
    """The worker's one browser context, lent to each test (see LentContext)."""
    lent = LentContext(browser)
    yield lent
    lent.close()


@pytest.fixture
def page(lent_context, request_log):
    """A fresh page, in the worker's browser context lent to this test (reset when the test
    ends), whose requests (and those of every other page of the context) are recorded."""
    yield lent_context.lend(request_log)
    lent_context.take_back()


# -------------------------------------------------------------------------- hooks


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail any test whose pages sent a request to another host than 127.0.0.1."""
    result = yield
    log = item.funcargs.get("request_log")
    if log is not None:
        foreign = sorted(set(log.foreign()))
        if foreign:
            raise AssertionError("request(s) to another host than 127.0.0.1:\n  " + "\n  ".join(foreign))
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, save a screenshot of the test's page to test-artifacts/<test name>.png."""
    report = yield
    if report.when == "setup":  # a screenshot of an earlier failure would mislead
        stale = ARTIFACTS / (re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name) + ".png")
        stale.unlink(missing_ok=True)
    if report.failed and report.when in ("setup", "call"):
        page = item.funcargs.get("page")
        if page is not None and not page.is_closed():
            try:
                path = artifact_path(item.name)
                page.screenshot(path=str(path), full_page=True, timeout=5_000)
                report.sections.append(("screenshot", str(path)))
            except Exception as error:  # the report matters more than the picture
                report.sections.append(("screenshot", f"could not take a screenshot: {error}"))
    return report
