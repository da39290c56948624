"""Every link of the built site leads somewhere, with either of MkDocs' URL styles.

The generator writes its links into raw HTML, which MkDocs can neither check nor rewrite,
so it takes page addresses from MkDocs' own rules (use_directory_urls). This crawls the
built fixture site from the home page, as a reader would, with each setting.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.pipeline import Settings, build
from support import FIXTURES, links_of, write_config


def crawl(site: Path, start: str) -> tuple[set[str], list[tuple[str, str]]]:
    """Follow every local link from `start` (a file path under site); (pages seen, broken links)."""
    seen: set[str] = set()
    broken: list[tuple[str, str]] = []
    queue = [start]
    while queue:
        page = queue.pop()
        if page in seen:
            continue
        seen.add(page)
        for href in links_of((site / page).read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or a place on this page
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
            if href.endswith("/") or (site / target).is_dir():
                target = posixpath.join(target, "index.html")
            if not (site / target).is_file():
                broken.append((page, href))
            elif target.endswith(".html"):
                queue.append(target)
    return seen, broken


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory URLs", "file URLs"])
def test_every_link_of_the_site_leads_to_a_page(tmp_path, directory_urls):
    site = tmp_path / "site"
    build(
        Settings(contents=[FIXTURES / "site"], docs_dir=tmp_path / "docs"),
        write_config(tmp_path, use_directory_urls=directory_urls),
        site,
    )
    pages, broken = crawl(site, "index.html")
    assert broken == []
    fragments = [page for page in pages if page.startswith("fragments/") and page != "fragments/index.html"]
    assert len(fragments) == 10  # every public outcome is reached from the home page
    dashboard = "dashboard/index.html" if directory_urls else "dashboard.html"
    assert dashboard in pages and "countries/index.html" in pages
