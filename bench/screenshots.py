"""Pictures of a two-language site for a person to look at (issue 22): the home page, an
outcome page, a country page and the dashboard, in English and in French, at desktop
(1280×900) and phone (360×780) size, whole pages, as PNG files in the folder given.

    .venv/bin/python bench/screenshots.py /work/notes/shots22                # builds content/
    .venv/bin/python bench/screenshots.py shots --content tests/fixtures/site
    .venv/bin/python bench/screenshots.py shots --site path/to/built/site     # takes a site

Builds the content with `python -m generator build` and the plugin's `languages: [en, fr]`
(bench/languages.py's configuration) into a temporary folder, unless --site names a site
built in both languages already; serves it on 127.0.0.1 and opens it in Debian's Chromium
through Playwright. A request to another host is refused, and listed at the end with an
exit status of 1 (the pictures are saved all the same). Each
picture is named <page>-<language>-<size>.png; the outcome and the country are the first
of the site's (sorted by address) unless --outcome or --country name one.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from languages import config  # noqa: E402

LANGUAGES = {"en": "", "fr": "fr/"}  # the language → its tree's folder in the site
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 780}}
CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"
LOCAL = f"http://{HOST}:"
SETTLE_MS = 1_000


def build(work: Path, content: Path) -> Path:
    """The content built in English and French into work/site."""
    site = work / "site"
    command = [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--quiet",
        "--config",
        str(config(work, content, ["en", "fr"])),
    ]
    command += ["--content", str(content), "--site-dir", str(site), "--docs-dir", str(work / "docs")]
    subprocess.run(command, cwd=ROOT, check=True)
    return site


def first_page(site: Path, folder: str) -> str:
    """The address of the first page under `folder` (fragments, countries), e.g. "countries/chad/"."""
    for path in sorted((site / folder).iterdir()):
        if path.name != "page" and (path / "index.html").is_file():
            return f"{folder}/{path.name}/"
    raise SystemExit(f"{site / folder}: no page in it; is this a built site of the knowledge base?")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site served on 127.0.0.1 while in use: its address, ending with '/'."""
    server = ThreadingHTTPServer((HOST, 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{LOCAL}{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def foreign(url: str) -> bool:
    """A request to another host (data:, blob: and this machine's addresses are not)."""
    return url.startswith(("http://", "https://")) and not url.startswith(LOCAL)


def shoot(site: Path, folder: Path, pages: dict[str, str]) -> list[str]:
    """Save every page in every language and size; returns the refused requests to other hosts."""
    folder.mkdir(parents=True, exist_ok=True)
    refused: list[str] = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, service_workers="block")
            context.route(foreign, lambda route: (refused.append(route.request.url), route.abort()))
            # A request the page's own policy stops before it is routed still counts.
            context.on("request", lambda request: refused.append(request.url) if foreign(request.url) else None)
            page = context.new_page()
            for language, prefix in LANGUAGES.items():
                for name, path in pages.items():
                    page.goto(base + prefix + path)
                    page.wait_for_load_state("networkidle")
                    # Material fades its tabs in one after another: the picture shows them as
                    # a reader sees them once that is over.
                    page.wait_for_timeout(SETTLE_MS)
                    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
                    picture = folder / f"{name}-{language}-{size}.png"
                    page.screenshot(path=str(picture), full_page=True)
                    print(picture)
            context.close()
        browser.close()
    return refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where the pictures go (made if missing)")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="content to build (default: content/)")
    parser.add_argument("--site", type=Path, help="a site built in English and French already: no build")
    parser.add_argument("--outcome", help='an outcome page\'s address, e.g. "fragments/demo-eha2201-pea003/"')
    parser.add_argument("--country", help='a country page\'s address, e.g. "countries/kenya/"')
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okb-screenshots-") as name:
        site = arguments.site.resolve() if arguments.site else build(Path(name), arguments.content.resolve())
        if not (site / "fr" / "index.html").is_file():
            raise SystemExit(f"{site}: no fr/index.html; build the site with the plugin's languages: [en, fr]")
        pages = {
            "home": "",
            "outcome": arguments.outcome or first_page(site, "fragments"),
            "country": arguments.country or first_page(site, "countries"),
            "dashboard": "dashboard/",
        }
        refused = shoot(site, arguments.folder, pages)
        if not arguments.site:
            shutil.rmtree(site, ignore_errors=True)
    if refused:
        raise SystemExit("requests to another host, refused:\n  " + "\n  ".join(sorted(set(refused))))


if __name__ == "__main__":
    main()
