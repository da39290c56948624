"""Shared helpers: build a site from fixture content into a temporary folder."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.pipeline import BuildReport, Settings, build

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium, driven by Playwright (never `playwright install`: no browser downloads here).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFIG = ROOT / "mkdocs.yml"


@dataclass
class BuiltSite:
    site: Path
    docs: Path
    report: BuildReport

    def page(self, url_path: str) -> str:
        """The HTML of a page by its URL path, e.g. 'countries/mali/'."""
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")

    def all_text(self, except_data: bool = False) -> str:
        """Every file of the site (HTML, search index, sitemap, tags.json…) as one string, plus file names.

        except_data leaves out the files that hold the published text exactly as typed
        (markup included) as data, never rendered as a page: outcomes.csv, for spreadsheets,
        and Pagefind's records, which the search script shows as text."""
        parts = []
        for path in sorted(self.site.rglob("*")):
            if except_data and (path.name == "outcomes.csv" or path.suffix == ".pf_fragment"):
                continue
            parts.append(str(path.relative_to(self.site)))
            if path.is_file() and path.suffix not in {".png", ".ico", ".woff2"}:
                parts.append(readable_text(path.read_bytes()))
        return "\n".join(parts)


def readable_text(data: bytes) -> str:
    """A file's text, gunzipped first where it is compressed (sitemap.xml.gz, Pagefind's index)."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def build_site(tmp_path: Path, *contents: Path, site_name: str = "site") -> BuiltSite:
    docs = tmp_path / "docs"
    site = tmp_path / site_name
    report = build(Settings(contents=list(contents), docs_dir=docs), CONFIG, site)
    return BuiltSite(site, docs, report)


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> BuiltSite:
    """The fixture content of tests/fixtures/site, built once for the session."""
    return build_site(tmp_path_factory.mktemp("fixture-site"), FIXTURES / "site")


def write_fragment(folder: Path, name: str, **fields: str) -> Path:
    """Write a text fragment; keyword names use '_' for spaces (Outcome_description=…)."""
    defaults = {
        "FragmentID": name.upper(),
        "Outcome description": f"Since 2023, something changed for {name}.",
        "Outcome statements is CONFIDENTIAL": "0",
        "coutnry": "Mali",
        "Year": "2023",
    }
    values = {**defaults, **{key.replace("_", " "): value for key, value in fields.items()}}
    path = folder / f"{name}.txt"
    path.write_text("".join(f"**{key}**: {value}\n" for key, value in values.items()), encoding="utf-8")
    return path


# ------------------------------------------------------------------ browser (shared by all browser tests)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}. In CI the browser tests must run: chromium must be installed "
                    f"(apt-get install chromium) at {CHROMIUM}, with the playwright Python package.",
                    pytrace=False)
    pytest.skip(f"{reason}; browser tests skipped (apt-get install chromium to run them)")


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
