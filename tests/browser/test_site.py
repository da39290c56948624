"""What a reader of the built fixture site sees in Chromium: search, links, listings.

Every test runs in a fresh page whose requests are all recorded; a request
to any host other than 127.0.0.1 fails the test (see conftest.py).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from .conftest import UNRESOLVED, artifact_path
from .reading import (
    BUILDS_ON,
    LED_TO,
    MARSABIT,
    NIAMEY,
    PUBLIC_OUTPUTS,
    RESULT_ITEM,
    RESULT_META,
    SEGOU,
    assert_found,
    fragment_url,
    h1,
    open_result,
    pagefind_requests,
    search,
    search_started,
)

# --------------------------------------------------------------------------- search


def test_english_search_finds_the_fragment_and_opens_it(page: Page, served_site):
    slug, title = MARSABIT
    page.goto(served_site.url())
    search(page, "Marsabit")
    assert_found(page, "Marsabit", title)
    open_result(page, slug, title)
    # search.highlight marks the word on the landing page (the link carries ?h=marsabit)
    expect(page.locator("article mark").first).to_have_text(re.compile("Marsabit", re.I))

    # a word of the description only (not in the title), searched from another page
    page.goto(served_site.url("countries/"))
    search(page, "mediation")
    assert_found(page, "mediation", title)
    open_result(page, slug, title)


def test_french_search_finds_french_fragments(page: Page, served_site):
    page.goto(served_site.url())
    search(page, "défenseurs")
    assert_found(page, "défenseurs", NIAMEY[1])
    open_result(page, *NIAMEY)

    search(page, "sécurité")
    assert_found(page, "sécurité", SEGOU[1])
    assert_found(page, "sécurité", NIAMEY[1])
    open_result(page, *SEGOU)

    # singular for plural, no accents, a word being typed: all still find them
    for query, stories in (("défenseur", [NIAMEY]), ("securite", [SEGOU, NIAMEY]), ("défens", [NIAMEY])):
        search(page, query)
        for _, title in stories:
            assert_found(page, query, title)


def test_words_no_page_contains_find_nothing(page: Page, served_site):
    """Pagefind falls back to indexed words the query starts with ("a" for "apple"): not a match."""
    page.goto(served_site.url())
    for query in ("apple", "atlas", "Atlantis", "Marsabit apple"):
        search(page, query)
        assert_nothing_found(page, query)
    search(page, "Marsabit")  # and a real word still finds its page afterwards
    assert_found(page, "Marsabit", MARSABIT[1])


def assert_nothing_found(page: Page, query: str) -> None:
    items = page.locator(RESULT_ITEM)
    found = [t.replace("\n", " ")[:100] for t in items.all_inner_texts()]
    marked = sorted(set(page.locator(f"{RESULT_ITEM} mark").all_inner_texts()))
    assert page.locator(RESULT_META).inner_text() == "No matching documents" and not found, (
        f"search for {query!r} shows {page.locator(RESULT_META).inner_text()!r}, "
        f"words marked as matches: {marked}; results: {found}"
    )


def test_canary_words_find_nothing(page: Page, served_site):
    """Words that only confidential fragments contain (CANARY-FIXTURE markers, their IDs)."""
    page.goto(served_site.url())
    for query in ("CANARY-FIXTURE", "CANARY", "ZZZ099", "HIDDEN-ATL1999"):
        search(page, query)
        assert_nothing_found(page, query)
    # the search box's filters (if any) offer no value of the confidential fragment
    options = " | ".join(page.locator(".md-search select option").all_inner_texts())
    for secret in ("Atlantis", "1999", "ZZZ", "Hidden objective", "Secret change", "9.8.7"):
        assert secret not in options, f"search filter offers {secret!r}: {options}"


@pytest.mark.parametrize("query", ["Atlantis", "1999"])
def test_facets_of_the_confidential_fragment_find_nothing(page: Page, served_site, query):
    """Atlantis (country) and 1999 (year) belong to the confidential HIDDEN-ATL1999/ZZZ099 only."""
    page.goto(served_site.url())
    search(page, query)
    # whatever the search engine matches, nothing shown may come from the hidden fragment
    expect(page.locator(f"{RESULT_ITEM} a[href*='hidden-atl1999']")).to_have_count(0)
    for item in page.locator(RESULT_ITEM).all_inner_texts():
        assert "atlantis" not in item.lower() and "canary" not in item.lower(), item
    # Pagefind falls back to the longest indexed word the query starts with ("a", "à" for
    # "Atlantis"); okb-search.js drops such matches, so nothing at all is found.
    assert_nothing_found(page, query)


# ------------------------------------------------------------------------ links


def test_fragment_page_links_to_output_country_and_related(page: Page, served_site):
    slug, title = MARSABIT
    fragment = served_site.url(f"fragments/{slug}/")
    page.goto(fragment)
    expect(h1(page)).to_have_text(re.compile("^" + re.escape(title)))
    links = page.locator("ul.okb-chips")
    fragment_link = page.locator(f"article a[href$='/fragments/{slug}/']")

    # output page: its title, and it lists this fragment
    links.get_by_role("link", name="Output 2.1.1").click()
    expect(page).to_have_url(re.compile(r"/results-framework/output-2-1-1/$"))
    expect(h1(page)).to_have_text("Output 2.1.1")
    expect(page.locator("p.okb-lead")).to_have_text("Local mediators supported")
    expect(fragment_link).to_have_count(1)
    expect(fragment_link).to_have_text(re.compile("^" + re.escape(title)))
    page.go_back()
    expect(page).to_have_url(fragment_url(slug))

    # country page
    links.get_by_role("link", name="Kenya", exact=True).click()
    expect(page).to_have_url(re.compile(r"/countries/kenya/$"))
    expect(h1(page)).to_have_text("Kenya")
    expect(fragment_link).to_have_count(1)

    fragment_link.click()  # the country page links back to the fragment
    expect(page).to_have_url(fragment_url(slug))

    # related outcomes: each opens a fragment page titled as the link
    related_list = page.locator("xpath=//h2[@id='related-outcomes']/following-sibling::*[1]")
    related = related_list.locator("li.okb-item > a")
    expect(related.first).to_be_visible()
    items = [(a.inner_text(), a.get_attribute("href")) for a in related.all()]
    assert 1 <= len(items) <= 20, items
    for text, _href in items:
        if not page.url.endswith(f"/fragments/{slug}/"):
            page.go_back()
            expect(page).to_have_url(fragment_url(slug))
        related_list.get_by_role("link", name=text, exact=True).click()
        expect(page).to_have_url(re.compile(r"/fragments/[a-z0-9-]+/$"))
        assert not page.url.endswith(f"/fragments/{slug}/"), "a fragment is listed as related to itself"
        # The list shows the short title; the page opens with the whole statement it starts.
        expect(h1(page)).to_have_text(re.compile("^" + re.escape(text.rstrip("…"))))


def test_builds_on_and_led_to_link_two_outcomes_both_ways(page: Page, served_site):
    """CIV007 builds on CIV001 and on the held-back CIV009: its page links to CIV001 alone,
    says who substantiated it, and CIV001's page leads back to it under "Led to"."""
    later, earlier = BUILDS_ON, LED_TO
    page.goto(served_site.url(f"fragments/{later[0]}/"))
    expect(page.locator("ul.okb-chips").get_by_role("link", name="Substantiated", exact=True)).to_be_visible()
    details = page.locator("dl.okb-facets")
    expect(details.locator("dt", has_text="Substantiated by")).to_be_visible()
    expect(details.locator("dt:text-is('Substantiated by') + dd")).to_have_text("an independent journalist")
    builds_on = page.locator("section:has(h2#builds-on) li.okb-item > a")
    expect(builds_on).to_have_count(1)  # the held-back outcome leaves no link, no count
    expect(page.locator("h2#led-to")).to_have_count(0)
    builds_on.click()
    expect(page).to_have_url(fragment_url(earlier[0]))
    expect(h1(page)).to_have_text(re.compile("^" + re.escape(earlier[1])))
    led_to = page.locator("section:has(h2#led-to) li.okb-item > a")
    expect(led_to).to_have_count(1)
    expect(page.locator("h2#builds-on")).to_have_count(0)
    expect(led_to).to_have_text(re.compile("^" + re.escape(later[1])))
    led_to.click()
    expect(page).to_have_url(fragment_url(later[0]))
    expect(h1(page)).to_have_text(re.compile("^" + re.escape(later[1])))


def test_results_framework_lists_outputs_with_counts(page: Page, served_site):
    page.goto(served_site.url())
    page.locator(".md-tabs").get_by_role("link", name="Results Framework").click()
    expect(page).to_have_url(re.compile(r"/results-framework/$"))
    expect(h1(page)).to_have_text("Results Framework")

    rows = page.locator("article ul.okb-children li")
    expect(rows.first).to_be_visible()
    counts: dict[str, tuple[int, str]] = {}
    for row in rows.all():
        text = row.inner_text()
        match = re.fullmatch(r"Output (\S+)(?: — (.+))? \((\d+) outcomes?\)", text)
        assert match, f"unexpected output line on the Results Framework page: {text!r}"
        counts[match[1]] = (int(match[3]), row.locator("a").get_attribute("href"))
    assert set(counts) == PUBLIC_OUTPUTS, counts
    assert counts["2.1.1"][0] == 2
    assert all(n >= 1 for n, _ in counts.values()), counts
    body = page.locator("article").inner_text()
    assert "9.8.7" not in body and "9.8" not in body

    # each output page lists as many fragments as the Results Framework says
    for code, (n, href) in sorted(counts.items()):
        page.goto(served_site.url(f"results-framework/{href}"))
        expect(h1(page)).to_have_text(f"Output {code}")
        expect(page.locator("p.okb-count")).to_have_text(f"{n} outcome{'s' if n != 1 else ''}, newest first.")
        expect(page.locator("article li.okb-item")).to_have_count(n)
        expect(page.locator("article li.okb-item > a[href*='/fragments/']")).to_have_count(n)
    page.goto(served_site.url("results-framework/output-2-1-1/"))
    expect(page.locator(f"article a[href$='/fragments/{MARSABIT[0]}/']")).to_have_text(
        re.compile("^" + re.escape(MARSABIT[1]))
    )


# ------------------------------------------------------------------ requests, screenshots


def test_no_request_leaves_127_0_0_1(page: Page, served_site, request_log):
    page.goto(served_site.url())
    page.goto(served_site.url(f"fragments/{MARSABIT[0]}/"))
    search(page, "Marsabit")
    expect(page.locator(RESULT_ITEM).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    urls = list(request_log.urls)
    # the log really holds what the pages fetched, the search worker's fetches included
    assert any(u.endswith("/pagefind/pagefind.js") for u in urls), urls
    assert any(".pf_fragment" in u for u in urls), urls
    assert any(u.endswith(".css") for u in urls), urls
    assert request_log.foreign() == [], request_log.foreign()

    # every page of the top navigation (dashboard, open data… as the site grows) too
    tabs = page.locator("a.md-tabs__link")
    hrefs = [href for href in (a.get_attribute("href") for a in tabs.all()) if href]
    assert len(hrefs) >= 5, hrefs
    for href in hrefs:
        response = page.goto(urljoin(page.url, href))
        assert response is not None and response.ok, f"{href}: {response and response.status}"
        # Each page's own search start-up recorded too, not cut short by the next page (once,
        # at load 11-13, with pages left at their load event, the last one's network did not
        # go idle within 10 s; the cause was not found).
        search_started(page)
    page.wait_for_load_state("networkidle")  # nothing more fetched: the assertion below
    assert request_log.foreign() == [], request_log.foreign()


# When search files come (after the load event, or when the reader is about to search):
# tests/browser/test_search.py.


def test_with_data_saver_search_files_wait_for_the_search_box(page: Page, served_site, request_log):
    # A reader who asked the browser to save data gets no search file until they search.
    page.context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    page.goto(served_site.url(f"fragments/{MARSABIT[0]}/"))
    assert page.evaluate("navigator.connection.saveData") is True
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert pagefind_requests(request_log) == []
    search(page, "Marsabit")
    assert_found(page, "Marsabit", MARSABIT[1])
    assert pagefind_requests(request_log)


def test_request_guard_sees_and_blocks_foreign_hosts(page: Page, served_site, request_log):
    """Self-test of the guard: a request to another host is recorded, and stopped at the
    browser's resolver (never sent: support.FOREIGN_HOSTS_UNRESOLVED), an IP address too."""
    page.goto(served_site.url())
    page.goto("about:blank")  # the site's pages have a Content-Security-Policy that stops this first
    with page.expect_event("requestfailed") as failed:
        page.evaluate(
            "() => { const i = new Image(); i.src = 'http://192.0.2.1/okb-guard-test.png'; document.body.append(i); }"
        )
    assert failed.value.url == "http://192.0.2.1/okb-guard-test.png"
    assert failed.value.failure == UNRESOLVED
    assert "http://192.0.2.1/okb-guard-test.png" in request_log.foreign()
    assert "http://192.0.2.1/okb-guard-test.png" in request_log.blocked
    request_log.urls.clear()  # expected here: do not fail this test for it
    request_log.blocked.clear()


def test_screenshots_for_review(page: Page, served_site):
    """Always saved, for a person to look at: test-artifacts/screenshot-*.png."""
    page.goto(served_site.url())
    expect(h1(page)).to_be_visible()
    page.screenshot(path=str(artifact_path("screenshot-home")), full_page=True)

    page.goto(served_site.url(f"fragments/{MARSABIT[0]}/"))
    expect(h1(page)).to_be_visible()
    page.screenshot(path=str(artifact_path("screenshot-fragment")), full_page=True)

    page.goto(served_site.url("results-framework/output-2-1-1/"))
    expect(h1(page)).to_have_text("Output 2.1.1")
    page.screenshot(path=str(artifact_path("screenshot-output")), full_page=True)

    page.goto(served_site.url("results-framework/"))
    expect(h1(page)).to_have_text("Results Framework")
    page.screenshot(path=str(artifact_path("screenshot-results-framework")), full_page=True)

    page.goto(served_site.url())
    search(page, "sécurité")
    expect(page.locator(RESULT_ITEM).first).to_be_visible()
    page.screenshot(path=str(artifact_path("screenshot-search")))
