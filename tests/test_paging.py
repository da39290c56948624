"""Long listings in pages (generator/pages/paging.py), the filter's list of every outcome
(generator/pages/filters.py filter_list) and the dashboard's bar order and labels: fast tests,
without MkDocs (the generator's docs folder only)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from generator.pages.dashboard import LABEL_LENGTH, Bar, by_count, shorten
from generator.pages.filters import FILTER_LIST_PATH
from generator.pages.indexes import Listing
from generator.pages.paging import PAGE_SIZE, listing_pages, page_path
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import Urls
from support import synthetic_export

SYNTHETIC = 800  # ~600 public: All outcomes in 6 pages, each objective in 2


def test_page_paths_follow_the_listing():
    assert page_path("countries/mali.md", 1) == "countries/mali.md"
    assert page_path("countries/mali.md", 2) == "countries/mali/2.md"
    assert page_path("fragments/index.md", 3) == "fragments/page/3.md"  # no fragment slug is "index"
    assert page_path("results-framework/not-linked.md", 2) == "results-framework/not-linked/2.md"
    for directory_urls, expected in ((True, "countries/mali/2/"), (False, "countries/mali/2.html")):
        assert Urls(directory_urls).url(page_path("countries/mali.md", 2)) == expected


def pages_of(n: int) -> list:
    return listing_pages(Listing("country", "mali", "Mali", "countries/mali.md", list(range(n))))  # type: ignore[arg-type]


@pytest.mark.parametrize("n, count", [(0, 1), (1, 1), (PAGE_SIZE, 1), (PAGE_SIZE + 1, 2), (3739, 38)])
def test_pages_hold_every_outcome_once_in_order(n, count):
    pages = pages_of(n)
    assert len(pages) == count
    assert [item for page in pages for item in page.fragments] == list(range(n))
    assert all(len(page.fragments) <= PAGE_SIZE for page in pages)
    assert [page.number for page in pages] == list(range(1, count + 1))
    assert pages[0].previous_path is None and pages[-1].next_path is None
    for page, following in zip(pages, pages[1:], strict=False):  # previous/next chain them all
        assert page.next_path == following.path and following.previous_path == page.path


def test_pager_shows_first_last_and_neighbours():
    pages = pages_of(3739)

    def numbers(page):
        return [None if link is None else link.number for link in page.pager()]

    assert numbers(pages[0]) == [1, 2, 3, None, 38]
    assert numbers(pages[9]) == [1, None, 8, 9, 10, 11, 12, None, 38]
    assert numbers(pages[-1]) == [1, None, 36, 37, 38]
    assert [link.current for link in pages[9].pager() if link] == [False, False, False, True, False, False, False]
    assert numbers(pages_of(250)[1]) == [1, 2, 3]


def test_bars_by_count_then_name_and_labels_cut_at_a_word():
    bars = by_count([Bar("mali", 3), Bar("Kenya", 5), Bar("Chad", 3), Bar("Benin", 5)])
    assert [bar.label for bar in bars] == ["Benin", "Kenya", "Chad", "mali"]
    assert shorten("Not linked to the Results Framework") == "Not linked to the Results Framework"
    long = "PEA: More effective efforts to transform conflict and pursue peace and human rights"
    short = shorten(long)
    assert short.endswith("…") and len(short) <= LABEL_LENGTH
    assert long.startswith(short[:-1]) and long[len(short) - 1] == " "  # cut where a word ends


@pytest.fixture(scope="module")
def synthetic_docs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("paging")
    export = synthetic_export(folder, SYNTHETIC)
    docs = folder / "docs"
    generate(Settings(contents=[export], docs_dir=docs))
    return docs


def count_of(page: Path) -> int:
    return int(re.search(r'<p class="okb-count">(\d+) ', page.read_text(encoding="utf-8")).group(1))


def test_filter_list_holds_the_published_outcomes_and_each_paged_listing(synthetic_docs):
    data = json.loads((synthetic_docs / FILTER_LIST_PATH).read_text(encoding="utf-8"))
    fragment_pages = {p.stem for p in (synthetic_docs / "fragments").glob("*.md") if p.stem != "index"}
    listed = [item[0] for item in data["items"]]
    assert {url.split("/")[1] for url in listed} == fragment_pages  # published ones only, each once
    assert len(listed) == len(fragment_pages) == count_of(synthetic_docs / "fragments" / "index.md")
    assert data["facets"] == [
        "country", "objective", "change_type", "year", "harvest", "social_actor", "scale", "significance",
        "contribution", "intent", "polarity", "substantiation",
    ]  # fmt: skip
    assert data["lists"], "no listing of the synthetic site is longer than a page"
    for key, positions in data["lists"].items():
        listing = synthetic_docs / f"{key}.md"
        assert len(positions) == count_of(listing) > PAGE_SIZE, key
        assert (synthetic_docs / key / "2.md").is_file(), key
        first_page = re.findall(r'<li class="okb-item".*?<a href="[^"]*/fragments/([^/"]+)/"', listing.read_text())
        assert first_page == [data["items"][n][0].split("/")[1] for n in positions[:PAGE_SIZE]], key
    text = (synthetic_docs / FILTER_LIST_PATH).read_text(encoding="utf-8")
    assert not set(text) & set("<>&'")  # written as \\u escapes: no markup in the file


def test_the_filter_list_gives_each_outcome_the_significance_its_list_item_shows(synthetic_docs):
    """facets.js builds the items of a filtered paged listing from the filter list: they show
    the same significance line under the link as the page's own items."""
    data = json.loads((synthetic_docs / FILTER_LIST_PATH).read_text(encoding="utf-8"))
    page = (synthetic_docs / "fragments" / "index.md").read_text(encoding="utf-8")
    items = re.findall(r'<li class="okb-item"[^>]*><a href="[^"]*/(fragments/[^/"]+/)">.*?</li>', page)
    shown = re.findall(r'<li class="okb-item"[^>]*><a [^>]*>.*?</a>(.*?)<br><span class="okb-meta">', page)
    significance = [html.unescape(re.sub(r'^<br><span class="okb-significance">|</span>$', "", s)) for s in shown]
    assert len(items) == len(significance) == PAGE_SIZE and any(significance)
    assert [item[:4:3] for item in data["items"][:PAGE_SIZE]] == [list(pair) for pair in zip(items, significance)]


def test_every_outcome_of_a_listing_is_on_exactly_one_of_its_pages(synthetic_docs):
    listed: list[str] = []
    page = synthetic_docs / "fragments" / "index.md"
    for number in range(2, 100):
        listed += re.findall(r'<a href="[^"]*/fragments/([^/"]+)/">', page.read_text(encoding="utf-8"))
        page = synthetic_docs / "fragments" / "page" / f"{number}.md"
        if not page.is_file():
            break
    assert len(listed) == len(set(listed)) == count_of(synthetic_docs / "fragments" / "index.md")


def test_page_links_and_list_addresses_without_directory_urls(tmp_path):
    from support import write_config

    config = write_config(tmp_path, use_directory_urls=False)
    # Enough public outcomes for All outcomes to have a second page (~150 of 200), no more:
    # the addresses are the subject, not the module's 800.
    export = synthetic_export(tmp_path, 200)
    docs = tmp_path / "docs"
    generate(Settings(contents=[export], docs_dir=docs, config_file=config))
    first = (docs / "fragments" / "index.md").read_text(encoding="utf-8")
    assert '<a class="okb-pager-step" href="../fragments/page/2.html" rel="next">' in first
    second = (docs / "fragments" / "page" / "2.md").read_text(encoding="utf-8")
    assert 'href="../../fragments/index.html" rel="prev"' in second
    data = json.loads((docs / FILTER_LIST_PATH).read_text(encoding="utf-8"))
    assert all(re.fullmatch(r"fragments/[a-z0-9-]+\.html", item[0]) for item in data["items"])
    script = json.loads(re.search(r'class="okb-facet-data">(.*?)</script>', second, re.S).group(1))
    assert script["source"] == "../../fragments/filter-list.json" and script["root"] == "../../"


def test_the_leak_guard_reads_the_filter_list(synthetic_docs):
    from generator.privacy.guard.check import Guard
    from generator.privacy.guard.terms import HELD_BACK_ID, HELD_BACK_VALUE

    held_back = [{"fragment_id": "SCC-ZZZ9999/CIV99999", "country": "Freedonia", "description": "Short."}]
    guard = Guard(held_back=held_back, public=[], redacted=[])
    text = (synthetic_docs / FILTER_LIST_PATH).read_text(encoding="utf-8")
    assert guard.check_file(FILTER_LIST_PATH, text.encode()) == []
    tampered = text.replace('"items":[', '"items":[["fragments/scc-zzz9999-civ99999/","x","y","freedonia"],', 1)
    assert {leak.kind for leak in guard.check_file(FILTER_LIST_PATH, tampered.encode())} >= {HELD_BACK_ID}
    tampered = text.replace('"items":[', '"items":[["a/","x","2024 \\u00b7 Freedonia"],', 1)
    assert {leak.kind for leak in guard.check_file(FILTER_LIST_PATH, tampered.encode())} == {HELD_BACK_VALUE}
