"""The two-language site in Chromium (issue 22): the header's language switch leads from a
page to its twin in the other language and back, on a desktop and on a phone; the filter
above a list of outcomes offers its filters in the same order in both languages, writes the
counts it redraws in the page's language, and shows its French choices whole on a phone.

The site is the fixture content built once with English at the root and French under fr/
(conftest.py's bilingual_site). The `page` fixture refuses and reports any request to
another host than 127.0.0.1.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, Route, expect

from generator.pages.language_forms import number_filter

from .conftest import ServedSite
from .reading import MARSABIT

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}  # the narrowest phone the site is made for
SIZES = {"desktop": DESKTOP, "phone": PHONE}
LANGUAGES = {"en": "", "fr": "fr/"}  # a language → its tree's folder in the site
NAMES = {"en": "English", "fr": "Français"}  # as the switch names them

# A page of each kind the switch was asked for, and a heading on it in each language (an
# outcome's own statement is in the outcome's language on both: its sections' headings are not).
TWINS = {
    "outcome": (
        f"fragments/{MARSABIT[0]}/",
        "h2#contribution",
        "Contribution of the programme",
        "Contribution du programme",
    ),
    "country": ("countries/kenya/", "article h1", "Kenya", "Kenya"),
    "country's chart": ("countries/kenya/", "article h2 >> nth=0", "Types of change", "Types de changement"),
    "dashboard": ("dashboard/", "article h1", "Dashboard", "Tableau de bord"),
}
PAGES = {kind: twin for kind, twin in TWINS.items() if kind != "country's chart"}

# The filter's status line once Kenya is chosen.
SHOWN = {"en": "{n} of {m} outcomes shown", "fr": "{n} effets affichés sur {m}"}


def switch_to(page: Page, language: str) -> None:
    """Open the header's language switch and choose `language`, as a reader does: a click (a
    tap on a phone) on the switch's button, then on the language's name."""
    button = page.locator(".md-header__option .md-select > button")
    expect(button).to_be_visible()
    button.click()
    choice = page.locator(f".md-header__option a.md-select__link[hreflang={language}]")
    expect(choice).to_be_visible()
    expect(choice).to_have_text(NAMES[language])
    choice.click()


def expect_page(page: Page, site: ServedSite, language: str, path: str, selector: str, heading: str) -> None:
    expect(page).to_have_url(site.url(LANGUAGES[language] + path))
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(selector).first).to_have_text(heading)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("kind", list(PAGES))
def test_language_switch_leads_to_the_same_page_and_back(page: Page, bilingual_site, kind, size):
    path, selector, english, french = PAGES[kind]
    page.set_viewport_size(SIZES[size])
    page.goto(bilingual_site.url(path))
    expect_page(page, bilingual_site, "en", path, selector, english)
    switch_to(page, "fr")
    expect_page(page, bilingual_site, "fr", path, selector, french)
    switch_to(page, "en")
    expect_page(page, bilingual_site, "en", path, selector, english)


def test_country_page_twin_has_its_chart_in_french(page: Page, bilingual_site):
    path, selector, english, french = TWINS["country's chart"]
    page.goto(bilingual_site.url(path))
    expect(page.locator(selector)).to_have_text(english)
    switch_to(page, "fr")
    expect(page.locator(selector)).to_have_text(french)


def filter_names(page: Page) -> list[str]:
    return page.locator("form.okb-filter select").evaluate_all("selects => selects.map((s) => s.name)")


def test_filters_come_in_the_same_order_in_both_languages(page: Page, bilingual_site):
    order = {}
    for language, prefix in LANGUAGES.items():
        page.goto(bilingual_site.url(prefix + "fragments/"))
        expect(page.locator("form.okb-filter[data-okb-ready]")).to_be_attached()
        order[language] = filter_names(page)
    assert order["en"] == order["fr"]
    assert order["en"][:4] == ["country", "objective", "change_type", "year"], order["en"]


def search_filter_names(page: Page, url: str) -> list[str]:
    """The search panel's filters, in order, once a query has results."""
    page.goto(url)
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.fill("sécurité")
    box.press("End")
    expect(page.locator(".okb-search-filters select").first).to_be_attached()
    return page.locator(".okb-search-filters select").evaluate_all("selects => selects.map((s) => s.name)")


def test_search_filters_come_in_the_same_order_in_both_languages(page: Page, bilingual_site):
    english = search_filter_names(page, bilingual_site.url())
    french = search_filter_names(page, bilingual_site.url("fr/"))
    assert english[:4] == ["Country", "Objective", "Type of change", "Year"], english
    assert french[:4] == ["Pays", "Objectif", "Type de changement", "Année"], french


COPIES = 124  # the fixture's 10 outcomes listed 124 times over: 1,240, Kenya's 372
# The page's outcomes as rows of the filter list (generator/pages/filters.py's filter_list:
# address, title, meta line, significance, then the value of each facet), addresses relative
# to the page.
ROWS_OF_PAGE = """form => {
  const facets = [...form.querySelectorAll("select")].map((select) => select.name);
  const items = [...document.querySelectorAll("ul.okb-list > li.okb-item")].map((item) => [
    item.querySelector("a").getAttribute("href"),
    item.querySelector("a").textContent,
    item.querySelector(".okb-meta")?.textContent ?? "",
    "",
    ...facets.map((facet) => item.getAttribute(`data-${facet}`) ?? ""),
  ]);
  return { facets, items };
}"""


def as_paged(route: Route) -> None:
    """Serve a listing page as built, but with the filter's data of a paged listing (its whole
    list fetched from filter-list.json beside it): counts of four digits without building a
    listing that long."""
    response = route.fetch()
    html = response.text()
    data = re.search(r'(<script type="application/json" class="okb-facet-data">)(.*?)(</script>)', html, re.S)
    assert data, "no filter data on the page"
    spec = json.loads(data.group(2))
    spec.update(source="filter-list.json", list=None, root="", page_size=10, total=10 * COPIES)
    route.fulfill(response=response, body=html[: data.start(2)] + json.dumps(spec) + html[data.end(2) :])


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_counts_the_filter_redraws_are_in_the_pages_number_form(page: Page, bilingual_site, language):
    url = bilingual_site.url(LANGUAGES[language] + "fragments/")
    page.route(url, as_paged)
    page.goto(url)
    form = page.locator("form.okb-filter[data-okb-ready]")
    expect(form).to_be_attached()
    rows = form.evaluate(ROWS_OF_PAGE)
    assert len(rows["items"]) == 10
    whole = {"facets": rows["facets"], "items": rows["items"] * COPIES, "lists": {}}
    page.route(url + "filter-list.json", lambda route: route.fulfill(json=whole))
    page.locator("select[name=country]").select_option("kenya")
    number = number_filter(language)  # as the generator writes counts: "1,240", "1 240"
    assert number(10 * COPIES) == {"en": "1,240", "fr": "1\u202f240"}[language]
    shown = SHOWN[language].format(n=number(3 * COPIES), m=number(10 * COPIES))
    expect(page.locator(".okb-shown")).to_have_text(shown)
    expect(page.locator("select[name=country] option[value=kenya]")).to_have_text(f"Kenya ({number(3 * COPIES)})")


# A select's chosen text against the room it has: its width inside, less its padding and the
# arrow Chromium draws (about 1.2 em), against the text's own width in the select's font.
CUT_CHOICES = """form => [...form.querySelectorAll("select")].flatMap((select) => {
  const style = getComputedStyle(select);
  const probe = document.createElement("span");
  probe.style.font = style.font;
  probe.style.cssText += "position: absolute; visibility: hidden; white-space: pre;";
  probe.textContent = select.selectedOptions[0].textContent;
  document.body.append(probe);
  const needed = probe.getBoundingClientRect().width;
  probe.remove();
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
    - 1.2 * parseFloat(style.fontSize);
  return needed > room ? [`${select.name}: "${probe.textContent}" needs ${needed} px, has ${room}`] : [];
})"""


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_filter_choices_are_shown_whole_on_a_phone(page: Page, bilingual_site, language):
    page.set_viewport_size(PHONE)
    page.goto(bilingual_site.url(LANGUAGES[language] + "fragments/"))
    form = page.locator("form.okb-filter")
    expect(form).to_be_visible()
    form.locator("details.okb-more-filters > summary").click()  # the filters under "More filters" too
    assert form.evaluate(CUT_CHOICES) == []
    if language == "fr":
        expect(form.locator("select[name=change_type] option").first).to_have_text("Tous les types de changement")


def test_a_page_fetches_no_sitemap_beside_itself(page: Page, bilingual_site, request_log):
    path = f"fragments/{MARSABIT[0]}/"
    page.goto(bilingual_site.url(path))
    page.wait_for_load_state("networkidle")
    beside = [url for url in request_log.urls if url.endswith(f"/{path}sitemap.xml")]
    assert beside == []
