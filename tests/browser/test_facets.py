"""The filter above a list of outcomes, in English and French, with and without JavaScript
and with Material's instant navigation. Same harness as every browser test: the `page`
fixture refuses and reports any request to another host than 127.0.0.1."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from support import kept_fixture_site

from .conftest import ServedSite, guarded_context
from .reading import BUILDS_ON, PHONE

KENYA_STORIES = 3  # tests/fixtures/site: Marsabit, Kisumu and the Ministry of Interior
ALL_STORIES = 10


INSTANT = ["navigation.tabs", "navigation.top", "navigation.instant"]


@pytest.fixture(scope="module")
def sites(served_site, french_site) -> dict[str, ServedSite]:
    return {"en": served_site, "fr": french_site}


def visible_items(browser_page: Page) -> int:
    return browser_page.locator(".okb-list .okb-item:visible").count()


@pytest.mark.parametrize(
    "language, all_shown, kenya_shown",
    [
        ("en", "10 of 10 outcomes shown", "3 of 10 outcomes shown"),
        ("fr", "10 effets affichés sur 10", "3 effets affichés sur 10"),
    ],
)
def test_filter_by_country_shows_matching_outcomes_and_count(sites, page: Page, language, all_shown, kenya_shown):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    base = sites[language].url()
    page.goto(base + "fragments/")
    status = page.locator(".okb-shown")
    assert status.text_content() == all_shown
    assert visible_items(page) == ALL_STORIES
    country = page.locator("select[name=country]")
    assert "Kenya (3)" in country.locator("option").all_text_contents()
    country.select_option(label="Kenya (3)")
    assert status.text_content() == kenya_shown
    assert visible_items(page) == KENYA_STORIES
    shown = page.locator(".okb-list .okb-item:visible")
    assert {shown.nth(i).get_attribute("data-country") for i in range(shown.count())} == {"kenya"}
    assert "country=kenya" in page.url  # a filtered view can be shared as a link
    page.locator(".okb-reset").click()
    assert visible_items(page) == ALL_STORIES
    page.goto(base + "fragments/?country=kenya&year=2022")  # … and opened again
    assert status.text_content() == kenya_shown.replace("3", "2", 1)
    assert visible_items(page) == 2
    assert errors == []


def test_without_javascript_full_list_and_no_filter(sites, browser, request_log):
    context = guarded_context(browser, request_log, java_script_enabled=False)
    no_script = context.new_page()
    no_script.goto(sites["en"].url("fragments/"))
    assert visible_items(no_script) == ALL_STORIES
    # The form is in the page (it holds its place from the first paint), shown only with scripting.
    assert no_script.locator("form.okb-filter:visible, select:visible, .okb-shown:visible").count() == 0
    context.close()


def test_filter_with_material_instant_navigation(site_cache, site_server, page: Page):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    base = site_server(kept_fixture_site(site_cache, "en-instant", theme_features=INSTANT)).url()
    page.goto(base)
    page.locator("a.md-tabs__link", has_text="All outcomes").click()  # no page load
    page.locator("form.okb-filter[data-okb-ready]").wait_for()  # the page's form, wired by the script
    page.locator("select[name=country]").select_option("mali")
    assert page.locator(".okb-shown").text_content() == "2 of 10 outcomes shown"
    assert page.locator("form.okb-filter").count() == 1
    page.locator("a.md-tabs__link", has_text="Countries").click()
    page.locator("article a", has_text="Kenya").first.click()
    page.locator("article h1", has_text="Kenya").wait_for()
    # The Kenya page lists 3 outcomes: too few for a filter.
    assert page.locator("form.okb-filter").count() == 0
    page.locator("a.md-tabs__link", has_text="All outcomes").click()
    page.locator("form.okb-filter").wait_for()
    assert page.locator("form.okb-filter").count() == 1
    assert page.locator(".okb-shown").text_content() == "10 of 10 outcomes shown"
    assert errors == []


def test_the_analytic_filters_wait_under_more_filters_and_a_shared_link_opens_them(served_site, page: Page):
    """On a phone the first screen holds country, objective, type of change and year; the
    analytic filters (social actor, scale, ratings, substantiation…) are under "More filters",
    closed, one tap away; a link that sets one of them shows them open with its value chosen."""
    page.set_viewport_size(PHONE)
    page.goto(served_site.url("fragments/"))
    more = page.locator("form.okb-filter details.okb-more-filters")
    outside = page.locator("form.okb-filter > label > select")
    assert outside.evaluate_all("s => s.map(x => x.name)") == ["country", "objective", "change_type", "year"]
    substantiation = page.locator("select[name=substantiation]")
    expect(substantiation).to_be_hidden()
    more.locator("summary").click()
    expect(substantiation).to_be_visible()
    substantiation.select_option(label="Substantiated (1)")
    expect(page.locator(".okb-shown")).to_have_text(f"1 of {ALL_STORIES} outcomes shown")
    expect(page.locator(".okb-list .okb-item:visible > a")).to_have_text(re.compile("^" + BUILDS_ON[1]))
    page.goto(served_site.url("fragments/?substantiation=substantiated"))
    expect(more).to_have_attribute("open", "")
    expect(substantiation).to_have_value("substantiated")
    expect(page.locator(".okb-shown")).to_have_text(f"1 of {ALL_STORIES} outcomes shown")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
