"""Every link of the built site leads somewhere, with either of MkDocs' URL styles.

The generator writes its links into raw HTML, which MkDocs can neither check nor rewrite,
so it takes page addresses from MkDocs' own rules (use_directory_urls). This crawls the
built fixture site from the home page, as a reader would, with each setting: the
project's own (directory URLs, the session's fixture site) and file URLs.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from support import CONFIG, kept_build, links_of


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


@pytest.fixture(params=[True, False], ids=["directory URLs", "file URLs"])
def built(request, site_cache, fixture_site) -> tuple[Path, bool]:
    """The fixture site built with use_directory_urls true (mkdocs.yml's own setting) or false
    (a kept site of its own: support.kept_build)."""
    if request.param:
        assert fixture_site.report.pages and "use_directory_urls: true" in CONFIG.read_text(encoding="utf-8")
        return fixture_site.site, True
    return kept_build(site_cache, "file-urls", use_directory_urls=False).site, False


def test_every_link_of_the_site_leads_to_a_page(built):
    site, directory_urls = built
    pages, broken = crawl(site, "index.html")
    assert broken == []
    fragments = [page for page in pages if page.startswith("fragments/") and page != "fragments/index.html"]
    assert len(fragments) == 10  # every public outcome is reached from the home page
    dashboard = "dashboard/index.html" if directory_urls else "dashboard.html"
    assert dashboard in pages and "countries/index.html" in pages
