"""How fast does search answer on a slow phone? A benchmark script, not a test.

    python bench/search_speed.py SITE_DIR [SITE_DIR ...] [--query sécurité] [--runs 3]
        [--typing tap|open-and-type|locator] [--json FILE]

For each built site: serves it on 127.0.0.1 from a small threaded server that gzips
text responses when the client accepts gzip (as GitHub Pages does), opens Debian's
Chromium through Playwright with Chromium's own emulation of a slow phone (CDP
Network.emulateNetworkConditions: 150 ms latency, 1.6 Mbit/s = 200,000 bytes/s both
ways; Emulation.setCPUThrottlingRate 4), opens the home page with an empty cache,
taps the search box as soon as it can take a query and types the query (see TYPING),
and measures the time from navigation start to the first search result being visible
(median of --runs runs, each in a fresh browser context), with when the box was shown
and when the query was typed ("typed → first result" is the search's own answer time),
the page's load event and when the page first asked for a search file (pagefind/; files
asked before the load event compete with the page's own files and its first paint).
"Tap → first result" is the reader's wait from the tap on the box (issue 23: ≤ 2.0 s);
with --typing open-and-type the robot types the query key by key the moment the box shows,
and "first result" (from opening the page) is the answer to the whole query (≤ 3.0 s).
Bytes are counted by the server (headers and bodies, whether a document or a web
worker asked). A repeat visit is measured too, without emulation: a search on the home
page, then a search on another page of the same visit, and the search files the second
page's search downloads again (with the server's Cache-Control: max-age=600, as GitHub
Pages sends; none when the browser's cache serves them). Also measured, without emulation: the bytes a first visit to a
fragment page transfers (files fetched after load, e.g. search files prefetched
when the page is idle, included), and the bytes of the search index per public
fragment (on disk and gzipped).

The search kind is detected from the site: Material's built-in search
(search/search_index.json) or Pagefind (pagefind/). Note: Chromium's CPU
throttling applies to the page's main thread only, not to web workers, so
Material's index building (done in a worker) is not slowed 4x; nor is Pagefind's
search (its worker), but its pagefind.js and the result display are.

With --json FILE (one SITE_DIR) it also writes the figures as JSON, for bench/run.py's
table (see `json_summary`): {"median_s": …, "runs_s": [...]} of the typing mode's own
measure (tap → first result; with --typing open-and-type, opening the page → first result
of the whole query), and each measure by name.

Needs Playwright (Python) and Chromium at /usr/bin/chromium (or --chromium PATH).
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import math
import mimetypes
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

LATENCY_MS = 150
THROUGHPUT = 1_600_000 // 8  # bytes per second
CPU_RATE = 4
TEXT_TYPES = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map", ".webmanifest")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]

# Per search kind: the search box, and what a visible first result looks like.
KINDS = {
    "material": {
        "input": "input.md-search__input",
        "result": ".md-search-result__item",
        "ready": "document.documentElement.classList.contains('js')",
    },
    "pagefind": {
        # templates/assets/okb-search.js: Material's markup, answered by Pagefind
        "input": "input.md-search__input",
        "result": ".md-search-result__item",
        "ready": "true",
    },
}

# Runs in every document before its own scripts: records when the search box and the
# first result become visible, and when the query was typed (last input event), all
# measured from navigation start (performance.now()).
FIRST_RESULT_PROBE = """
(() => {
  const selector = %r;
  const box = %r;
  window.__firstResult = null;
  window.__boxShown = null;
  window.__typed = null;
  window.__answered = null; // the first result shown after the last input event
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  document.addEventListener('input', () => { window.__typed = performance.now(); window.__answered = null; }, true);
  window.__tapped = null;
  document.addEventListener('pointerdown', () => { if (window.__tapped === null) window.__tapped = performance.now(); }, true);
  window.__loaded = null;
  window.addEventListener('load', () => { window.__loaded = performance.now(); });
  let seen = new Set();
  const check = () => {
    if (window.__boxShown === null && [...document.querySelectorAll(box)].some(shown)) window.__boxShown = performance.now();
    const now = [...document.querySelectorAll(selector)].filter(shown);
    if (window.__typed !== null && window.__answered === null && now.some((el) => !seen.has(el))) window.__answered = performance.now();
    seen = new Set(now);
    if (window.__firstResult !== null) return;
    for (const el of document.querySelectorAll(selector)) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden') {
        window.__firstResult = performance.now();
        return;
      }
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
})();
"""


# ---------------------------------------------------------------- the server


class GzipHandler(http.server.BaseHTTPRequestHandler):
    """Static files; text gzipped (level 6) when the client accepts it. Directory URLs need the slash."""

    protocol_version = "HTTP/1.1"
    root: Path
    cache: dict
    sent: list  # [bytes]: headers and bodies sent, whichever document or worker asked
    paths: list  # the paths asked for (a test clears it)

    def _count(self, n: int) -> None:
        with _COUNT_LOCK:
            self.sent[0] += n

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        url_path = unquote(urlsplit(self.path).path)
        with _COUNT_LOCK:
            self.paths.append(self.path)
        path = (self.root / url_path.lstrip("/")).resolve()
        if self.root not in path.parents and path != self.root:
            return self._send(404, b"not found", "text/plain", head)
        if path.is_dir():
            if not url_path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            missing = self.root / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"not found"
            return self._send(404, body, "text/html", head)
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        gz = path.suffix in TEXT_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")
        key = (path, gz)
        body = self.cache.get(key)
        if body is None:
            body = path.read_bytes()
            if gz:
                body = gzip.compress(body, 6, mtime=0)
            self.cache[key] = body
        self._send(200, body, ctype, head, gz)

    def _send(self, status: int, body: bytes, ctype: str, head: bool, gz: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if gz:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        if not head:
            self.wfile.write(body)
            self._count(len(body))

    def end_headers(self) -> None:
        self._count(sum(len(line) for line in getattr(self, "_headers_buffer", [])) + 2)
        super().end_headers()


_COUNT_LOCK = threading.Lock()


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (GzipHandler,), {"root": site.resolve(), "cache": {}, "sent": [0], "paths": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---------------------------------------------------------------- measurements


@dataclass
class Result:
    site: Path
    kind: str
    fragments: int
    index_raw: int
    index_gz: int
    times: list[float] = field(default_factory=list)
    search_bytes: list[int] = field(default_factory=list)  # transferred from navigation to first result
    box_times: list[float] = field(default_factory=list)  # the search box shown
    load_times: list[float] = field(default_factory=list)  # the page's load event
    asked_times: list[float] = field(default_factory=list)  # the first request for a search file (inf: none)
    typed_times: list[float] = field(default_factory=list)  # the query typed (its input event)
    tap_times: list[float] = field(default_factory=list)  # the tap on the box
    fragment_visit_bytes: int = 0
    repeat_paths: list[str] = field(default_factory=list)  # search files a second page's search downloaded


def search_kind(site: Path) -> str:
    if (site / "pagefind").is_dir():
        return "pagefind"
    if (site / "search" / "search_index.json").is_file():
        return "material"
    raise SystemExit(f"{site}: no search index found (neither search/search_index.json nor pagefind/)")


def fragment_pages(site: Path) -> list[Path]:
    return sorted(p.parent for p in (site / "fragments").glob("*/index.html"))


def index_size(site: Path, kind: str) -> tuple[int, int]:
    """Bytes of the search index on disk, and gzipped as served (Pagefind's index files are already compressed)."""
    if kind == "material":
        data = (site / "search" / "search_index.json").read_bytes()
        return len(data), len(gzip.compress(data, 6))
    raw = served = 0
    for path in (site / "pagefind").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            raw += len(data)
            served += len(gzip.compress(data, 6)) if path.suffix in TEXT_TYPES else len(data)
    return raw, served


# How the robot reader types the query, as soon as the box can take it:
#   tap: a tap (mouse click) at the middle of the box, then the whole query typed at
#        once, as input events: what a reader's browser receives (the default);
#   locator: Playwright's own click() and fill() on the box, as measured before
#        2026-11-24. Each of those first checks, in round trips to the page, that the box
#        is visible, stable over two frames, enabled and editable; on the throttled page,
#        whose main thread is busy starting up, that adds 0.5-0.8 s no reader spends.
#   open-and-type: the tap the moment the box shows, then the query key by key
#        (KEY_DELAY_MS apart, a quick thumb), as a reader who searches straight away;
#        the time is to the first result of the whole query.
TYPING = ("tap", "open-and-type", "locator")
KEY_DELAY_MS = 100

# The middle of the first visible search box, once the box is shown and can take a query.
BOX_MIDDLE = """() => {
  if (window.__boxShown === null || !(%s)) return null;
  for (const el of document.querySelectorAll(%r)) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) return [r.x + r.width / 2, r.y + r.height / 2];
  }
  return null;
}"""


# When the page (not its workers) first asked for a search file, from navigation start.
FIRST_SEARCH_FILE = """() => {
  const asked = performance.getEntriesByType('resource').filter((e) => /\\/(pagefind|search)\\//.test(e.name));
  return asked.length ? Math.min(...asked.map((e) => e.startTime)) : null;
}"""


@dataclass
class Run:
    first: float  # seconds to the first result
    sent: int  # bytes the server sent meanwhile (to the page and its workers)
    shown: float  # the box shown
    typed: float  # the query typed
    loaded: float  # the load event (inf: not yet)
    asked: float  # the first search file asked for (inf: none)
    tapped: float  # the tap on the box (its first pointer event)


def time_to_first_result(
    browser, base: str, kind: str, query: str, timeout_s: float, sent: list, typing: str = "tap"
) -> Run:
    """One run on a fresh context: the times are seconds from navigation start."""
    selectors = KINDS[kind]
    timeout_ms = timeout_s * 1000
    # bypass_csp: the site's CSP forbids eval, which Playwright's timed polling of the probe
    # needs; the page's own scripts and requests are the same either way.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    try:
        context.add_init_script(FIRST_RESULT_PROBE % (selectors["result"], selectors["input"]))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": LATENCY_MS, "downloadThroughput": THROUGHPUT, "uploadThroughput": THROUGHPUT},
        )
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_RATE})
        sent[0] = 0
        page.goto(base, wait_until="commit", timeout=timeout_ms)
        # The whole query at once, then a key (Material searches on keyup): this times the
        # search, not the robot's per-key round trips on a throttled page (~0.1 s a key).
        if typing in ("tap", "open-and-type"):
            middle = page.wait_for_function(
                BOX_MIDDLE % (selectors["ready"], selectors["input"]), timeout=timeout_ms, polling=50
            ).json_value()
            page.mouse.click(*middle)
            if typing == "tap":
                page.keyboard.insert_text(query)
            else:
                page.keyboard.type(query, delay=KEY_DELAY_MS)
            page.keyboard.press("End")
        else:
            box = page.locator(selectors["input"]).first
            box.wait_for(state="visible", timeout=timeout_ms)
            page.wait_for_function(selectors["ready"], timeout=timeout_ms, polling=50)
            box.click()
            box.fill(query)
            box.press("End")
        done = "window.__answered" if typing == "open-and-type" else "window.__firstResult"
        page.wait_for_function(f"{done} !== null", timeout=timeout_ms, polling=100)
        transferred = sent[0]
        first, shown, typed, loaded, tapped = page.evaluate(
            f"[{done}, window.__boxShown, window.__typed, window.__loaded, window.__tapped]"
        )
        asked = page.evaluate(FIRST_SEARCH_FILE)
        seconds = lambda ms: float("inf") if ms is None else ms / 1000  # noqa: E731
        return Run(
            first / 1000,
            transferred,
            (shown or 0) / 1000,
            (typed or 0) / 1000,
            seconds(loaded),
            seconds(asked),
            (tapped or 0) / 1000,
        )
    finally:
        context.close()


def repeat_visit_downloads(browser, base: str, kind: str, query: str, timeout_s: float, paths: list) -> list[str]:
    """A search on the home page, then on a second page of the same visit: the search files
    the second search asked the server for (none: the browser's cache served them all)."""
    selectors = KINDS[kind]
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    try:
        context.add_init_script(FIRST_RESULT_PROBE % (selectors["result"], selectors["input"]))
        page = context.new_page()
        asked: list[str] = []
        for url in (base, base + "fragments/"):
            page.goto(url, wait_until="load", timeout=timeout_s * 1000)
            paths.clear()
            page.locator(selectors["input"]).first.click()
            page.keyboard.insert_text(query)
            page.keyboard.press("End")
            page.wait_for_function("window.__firstResult !== null", timeout=timeout_s * 1000, polling=100)
            page.wait_for_load_state("networkidle")
            asked = [path for path in paths if "/pagefind/" in path or "/search/" in path]
        return asked
    finally:
        context.close()


def first_visit_bytes(browser, url: str, sent: list) -> int:
    context = browser.new_context()
    try:
        page = context.new_page()
        sent[0] = 0
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(2000)  # late requests (e.g. search files fetched when the page is idle)
        page.wait_for_load_state("networkidle")
        return sent[0]
    finally:
        context.close()


def measure(browser, site: Path, query: str, runs: int, timeout_s: float, typing: str = "tap") -> Result:
    kind = search_kind(site)
    pages = fragment_pages(site)
    raw, gz = index_size(site, kind)
    result = Result(site, kind, len(pages), raw, gz)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        if pages:
            result.fragment_visit_bytes = first_visit_bytes(
                browser,
                base + pages[len(pages) // 2].relative_to(site).as_posix() + "/",
                server.RequestHandlerClass.sent,
            )
        result.repeat_paths = repeat_visit_downloads(
            browser, base, kind, query, timeout_s, server.RequestHandlerClass.paths
        )
        for run in range(runs):
            one = time_to_first_result(browser, base, kind, query, timeout_s, server.RequestHandlerClass.sent, typing)
            result.times.append(one.first)
            result.search_bytes.append(one.sent)
            result.box_times.append(one.shown)
            result.typed_times.append(one.typed)
            result.load_times.append(one.loaded)
            result.asked_times.append(one.asked)
            result.tap_times.append(one.tapped)
            print(
                f"  {site}: run {run + 1}: box shown {one.shown:.2f} s, search files asked {one.asked:.2f} s, "
                f"query typed {one.typed:.2f} s, load event {one.loaded:.2f} s, "
                f"first result {one.first:.2f} s ({one.first - one.typed:.2f} s after typing, "
                f"{one.first - one.tapped:.2f} s after the tap), {one.sent:,} bytes",
                file=sys.stderr,
            )
    finally:
        server.shutdown()
        server.server_close()
    return result


def kb(n: float) -> str:
    return f"{n / 1000:,.1f} kB"


def print_table(results: list[Result], query: str, typing: str = "tap", out=sys.stdout) -> None:
    print(
        f"\nQuery {query!r}, typing: {typing}; emulation: {LATENCY_MS} ms latency, {THROUGHPUT * 8 / 1e6:.1f} Mbit/s, CPU x{CPU_RATE}; "
        f"median of {len(results[0].times) if results else 0} runs\n",
        file=out,
    )
    head = (
        "| Site | Search | Public fragments | First result (median) | Runs | Box shown | Search files asked "
        "| Query typed | Load event | Typed → first result | Tap → first result | Bytes until first result "
        "| Fragment page first visit | Index on disk | Index gzipped | Index gz per fragment "
        "| Second page's search downloads |"
    )
    print(head, file=out)
    print("|" + "---|" * (head.count("|") - 1), file=out)
    for r in results:
        n = max(r.fragments, 1)
        print(
            f"| {r.site} | {r.kind} | {r.fragments} | **{statistics.median(r.times):.2f} s** "
            f"| {', '.join(f'{t:.2f}' for t in r.times)} | {statistics.median(r.box_times):.2f} s "
            f"| {statistics.median(r.asked_times):.2f} s "
            f"| {statistics.median(r.typed_times):.2f} s | {statistics.median(r.load_times):.2f} s "
            f"| {statistics.median(t - typed for t, typed in zip(r.times, r.typed_times)):.2f} s "
            f"| **{statistics.median(t - tap for t, tap in zip(r.times, r.tap_times)):.2f} s** "
            f"| {kb(statistics.median(r.search_bytes))} "
            f"| {kb(r.fragment_visit_bytes)} | {kb(r.index_raw)} ({r.index_raw / n:,.0f} B/fragment) "
            f"| {kb(r.index_gz)} | {r.index_gz / n:,.0f} B "
            f"| {len(r.repeat_paths)} files{': ' + ', '.join(r.repeat_paths) if r.repeat_paths else ''} |",
            file=out,
        )


def _seconds(values: list[float]) -> dict:
    """{"median_s": …, "runs_s": [...]}; a time never reached (inf) is null, and left out of the median."""
    reached = [v for v in values if math.isfinite(v)]
    return {
        "median_s": statistics.median(reached) if reached else None,
        "runs_s": [v if math.isfinite(v) else None for v in values],
    }


# The measure each typing mode is about (issue 23 point 4): its "median_s" in the JSON.
MAIN_MEASURE = {"tap": "tap_to_result", "locator": "tap_to_result", "open-and-type": "open_to_result"}


def json_summary(result: Result, query: str, typing: str) -> dict:
    """The figures bench/run.py puts in its table: the typing mode's own measure as
    "median_s"/"runs_s", and every measure by name (seconds from navigation start unless
    named "…_to_result")."""
    measures = {
        "tap_to_result": _seconds([t - tap for t, tap in zip(result.times, result.tap_times)]),
        "open_to_result": _seconds(result.times),
        "typed_to_result": _seconds([t - typed for t, typed in zip(result.times, result.typed_times)]),
        "box_shown": _seconds(result.box_times),
        "load_event": _seconds(result.load_times),
        "search_files_asked": _seconds(result.asked_times),
    }
    return {
        **measures[MAIN_MEASURE[typing]],
        "measure": MAIN_MEASURE[typing],
        "typing": typing,
        "query": query,
        **measures,
        "search": result.kind,
        "public_fragments": result.fragments,
        "bytes_until_result": statistics.median(result.search_bytes) if result.search_bytes else None,
        "fragment_visit_bytes": result.fragment_visit_bytes,
        "index_bytes": result.index_raw,
        "index_gz_bytes": result.index_gz,
        "second_page_downloads": len(result.repeat_paths),
        "load_average": os.getloadavg()[0],
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "sites", nargs="+", type=Path, help="built site folders (python -m generator build --site-dir …)"
    )
    parser.add_argument("--query", default="sécurité")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120, help="seconds per step before giving up")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--typing", choices=TYPING, default="tap", help="how the robot types (see TYPING)")
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="also write the figures as JSON here (one SITE_DIR; for bench/run.py)"
    )
    args = parser.parse_args(argv)
    if args.json and len(args.sites) != 1:
        parser.error(f"--json writes the figures of one site: give one SITE_DIR, not {len(args.sites)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        try:
            for site in args.sites:
                started = time.perf_counter()
                results.append(measure(browser, site, args.query, args.runs, args.timeout, args.typing))
                print(f"  {site}: measured in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        finally:
            browser.close()
    print_table(results, args.query, args.typing)
    if args.json:
        args.json.write_text(json.dumps(json_summary(results[0], args.query, args.typing), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
