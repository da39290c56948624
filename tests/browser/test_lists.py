"""Long listings in Chromium: pages of a hundred linked by page links, the filter across
every page, and no layout shift when the filter starts. A synthetic export of 800 fragments
(~600 public: All outcomes in 6 pages, each objective in 2) built once for the module.
The `page` fixture refuses and reports any request to another host than 127.0.0.1."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from generator.pages.filters import FILTER_LIST_PATH
from generator.pages.paging import PAGE_SIZE
from support import kept_fixture_site, synthetic_export

from .conftest import ServedSite, guarded_context

SYNTHETIC = 800
FIRST_FACET = 4  # an item of the filter list: address, title, meta line, significance, then the facets
PHONE = {"width": 390, "height": 844}
# Sums the layout shifts not caused by the reader's input, as Lighthouse's CLS counts them
# (over the whole load here, not per session window: a stricter figure).
WATCH_LAYOUT_SHIFTS = """
window.okbShifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.okbShifts.push(entry.value);
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture(scope="module")
def long_site(site_cache, site_server) -> ServedSite:
    inputs = site_cache / "long-lists-input"
    inputs.mkdir(exist_ok=True)
    return site_server(kept_fixture_site(site_cache, "long-lists", synthetic_export(inputs, SYNTHETIC)))


def filter_list(site: ServedSite) -> dict:
    return json.loads((site.root / FILTER_LIST_PATH).read_text(encoding="utf-8"))


def item_slugs(page: Page, selector: str = "ul.okb-list:visible > li.okb-item:visible > a") -> list[str]:
    return [href.rstrip("/").split("/")[-1] for href in page.locator(selector).evaluate_all("a => a.map(x => x.href)")]


def test_page_links_reach_every_outcome_without_javascript(long_site, browser, request_log):
    context = guarded_context(browser, request_log, java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(long_site.url("fragments/"))
    total = int(re.match(r"(\d+) outcomes", page.locator(".okb-count").inner_text()).group(1))
    seen: list[str] = []
    pages = 0
    while True:
        pages += 1
        shown = item_slugs(page)
        assert 0 < len(shown) <= PAGE_SIZE
        seen += shown
        expect(page.locator(".okb-filter")).to_be_hidden()  # no script: no filter to offer
        following = page.locator("nav.okb-pager a[rel=next]")
        if following.count() == 0:
            break
        following.click()
        # The next page whole before its items are read: read while it was still arriving, a
        # page gave 66 of its 100 items on a loaded CI machine.
        page.wait_for_load_state("load")
    published = {p.name for p in (long_site.root / "fragments").iterdir() if (p / "index.html").is_file()} - {"page"}
    assert len(seen) == len(set(seen)) == total == len(published)
    assert set(seen) == published
    assert pages == -(-total // PAGE_SIZE) > 1
    # The numbered links: the last page is one tap from the first.
    page.goto(long_site.url("fragments/"))
    page.locator("nav.okb-pager a", has_text=str(pages)).click()
    assert page.locator("nav.okb-pager [aria-current=page]").inner_text() == str(pages)
    context.close()


def test_filter_finds_outcomes_on_later_pages_and_counts_them_all(long_site, page: Page):
    data = filter_list(long_site)
    column = FIRST_FACET + data["facets"].index("country")
    # The country of the last outcome of All outcomes: it is on the last page, not the first.
    last = data["items"][-1]
    wanted = [item for item in data["items"] if item[column] == last[column]]
    page.goto(long_site.url("fragments/"))
    page.locator("form.okb-filter[data-okb-ready]").wait_for()
    first_page = set(item_slugs(page))
    assert last[0].split("/")[1] not in first_page
    page.locator("select[name=country]").select_option(last[column])
    status = page.locator(".okb-shown")
    expect(status).to_have_text(f"{len(wanted)} of {len(data['items'])} outcomes shown")
    expect(page.locator("nav.okb-pager")).to_be_hidden()
    shown = item_slugs(page)
    while page.locator(".okb-more:visible").count():
        page.locator(".okb-more").click()
        shown = item_slugs(page)
    assert shown == [item[0].split("/")[1] for item in wanted]  # all of them, in the listing's order
    assert page.locator("ul.okb-results li.okb-item").first.get_attribute("data-country") == last[column]
    # Each found outcome as on the page: its link, its significance under it, its meta line.
    found = page.locator("ul.okb-results li.okb-item")
    assert found.evaluate_all("items => items.map(i => i.innerText)") == [
        "\n".join(part for part in (title, significance, meta) if part) for _, title, meta, significance, *_ in wanted
    ]
    # The link of a found outcome leads to its page.
    page.locator("ul.okb-results li.okb-item > a").last.click()
    expect(page).to_have_url(re.compile(re.escape(last[0]) + "$"))
    page.go_back()
    # Choosing nothing again brings the page back as built.
    page.locator("form.okb-filter[data-okb-ready]").wait_for()
    page.locator(".okb-reset").click()
    expect(page.locator("nav.okb-pager")).to_be_visible()
    assert set(item_slugs(page)) == first_page


def test_filter_of_a_paged_objective_covers_that_objective_only(long_site, page: Page):
    data = filter_list(long_site)
    key = next(key for key in data["lists"] if key.startswith("objectives/"))
    members = [data["items"][n] for n in data["lists"][key]]
    year_column = FIRST_FACET + data["facets"].index("year")
    year = members[-1][year_column]
    expected = [item for item in members if item[year_column] == year]
    page.goto(long_site.url(key + "/2/"))  # its second page
    page.locator("form.okb-filter[data-okb-ready]").wait_for()
    page.locator("select[name=year]").select_option(year)
    expect(page.locator(".okb-shown")).to_have_text(f"{len(expected)} of {len(members)} outcomes shown")
    assert f"year={year}" in page.url
    page.reload()  # a shared link opens filtered
    expect(page.locator(".okb-shown")).to_have_text(f"{len(expected)} of {len(members)} outcomes shown")


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "desktop"])
def test_no_layout_shift_when_the_filter_starts(long_site, browser, request_log, viewport):
    context = guarded_context(browser, request_log, viewport=viewport)
    context.add_init_script(WATCH_LAYOUT_SHIFTS)
    page = context.new_page()
    for path in ("fragments/", "fragments/page/2/", "objectives/civ/"):
        page.goto(long_site.url(path))
        page.locator("form.okb-filter[data-okb-ready]").wait_for()
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # shifts are reported after the frame that made them
        shifts = page.evaluate("window.okbShifts")
        assert sum(shifts) < 0.1, (path, shifts)
        expect(page.locator("form.okb-filter")).to_be_visible()
    context.close()


def test_page_links_are_big_enough_to_tap(long_site, browser, request_log):
    context = guarded_context(browser, request_log, viewport=PHONE)
    page = context.new_page()
    page.goto(long_site.url("fragments/page/3/"))
    boxes = page.locator("nav.okb-pager a").evaluate_all("a => a.map(x => x.getBoundingClientRect().toJSON())")
    assert len(boxes) >= 5
    assert all(box["width"] >= 24 and box["height"] >= 24 for box in boxes), boxes
    context.close()
