"""What the browser tests share: the fixture site's known fragments, Material's search box
and result selectors, and the steps of a search as a reader does it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}

# Public fragments of tests/fixtures/site, by page slug, with the start of their title.
MARSABIT = ("demo-eha2201-pea003", "Since 2022, county peace committees in Marsabit")
NIAMEY = ("demo-sah2302-civ002", "En 2023, les défenseurs des droits humains de Niamey")
SEGOU = ("demo-sah2407-gen008", "En 2024, des femmes journalistes de Ségou")
# CIV007 builds on CIV001 (and on the held-back CIV009) and is substantiated.
BUILDS_ON = ("demo-eha2406-civ007", "Since 2024, a district council in northern Uganda")
LED_TO = ("demo-sah2301-civ001", "Since 2023, the national coalition of human rights defenders in Mali")
PUBLIC_OUTPUTS = {"1.1.1", "1.1.2", "2.1.1", "3.1.1", "3.1.2", "4.1.1", "4.1.2"}

SEARCH_INPUT = "input.md-search__input"
RESULT_META = ".md-search-result__meta"
RESULT_ITEM = ".md-search-result__item"
SEARCH_DONE = re.compile(r"(No|\d+) matching documents?")
# What the box says once Pagefind has started (templates/labels.yml's search_ready).
SEARCH_READY = re.compile(r"^(Type to start searching|Saisissez un mot pour rechercher)$")


def h1(page: Page):
    return page.locator("article.md-content__inner h1").first


def fragment_url(slug: str) -> re.Pattern:
    return re.compile(rf"/fragments/{re.escape(slug)}/(\?.*)?(#.*)?$")


def search_started(page: Page) -> None:
    """Wait until the page's search has started on its own (okb-search.js: after the load
    event, when the browser is idle): the page's own files and scripts have run, and so has
    Pagefind's start-up in the page. Only its worker may still be fetching the index's
    start-up files; where a test must see that nothing more is fetched or reported, it
    waits for the network to be idle instead."""
    expect(page.locator(RESULT_META)).to_have_text(SEARCH_READY)


def search(page: Page, query: str) -> None:
    """Open Material's search box, wait for its index, type the query, wait for the answer."""
    box = page.locator(SEARCH_INPUT)
    meta = page.locator(RESULT_META)
    box.click()
    expect(meta).not_to_have_text(re.compile("Initializing"))  # the index is loaded
    if box.input_value():  # clear an earlier query the way a user does
        box.press("Control+a")
        box.press("Backspace")
        expect(meta).to_have_text("Type to start searching")
    # Put the whole text in at once, then press a key: the site's search answers on input
    # (okb-search.js) or keyup (Material's own), so it answers this query only, not each
    # prefix of it, whose answers could arrive after the last one's.
    box.fill(query)
    box.press("End")
    expect(box).to_have_value(query)
    expect(meta).to_have_text(SEARCH_DONE)


def result_titles(page: Page) -> list[str]:
    return page.locator(f"{RESULT_ITEM} h1").all_inner_texts()


def assert_found(page: Page, query: str, title: str) -> None:
    """The result titled `title…` shows up (results may be drawn a moment after the count)."""
    result = page.locator(f"{RESULT_ITEM} h1").filter(has_text=re.compile("^" + re.escape(title)))
    expect(page.locator(RESULT_META), f"search for {query!r}").not_to_have_text("No matching documents")
    try:
        expect(result.first).to_be_visible()
    except AssertionError:
        raise AssertionError(f"{title!r} not among the results for {query!r}: {result_titles(page)}") from None


def open_result(page: Page, slug: str, title: str) -> None:
    """Click the search result titled `title` and check the fragment page it opens."""
    page.locator(f"{RESULT_ITEM} a.md-search-result__link").filter(has=page.locator("h1", has_text=title)).first.click()
    expect(page).to_have_url(fragment_url(slug))
    expect(h1(page)).to_have_text(re.compile("^" + re.escape(title)))


def pagefind_requests(request_log) -> list[str]:
    return [url for url in request_log.urls if "/pagefind/" in url]
