"""Accessibility: axe-core finds no violation, of any impact, on any kind of page.

Every kind of page (home, a fragment, All outcomes, a country, the Results Framework and an
output, the dashboard, the open data, About, and the search panel open with results and a
filter chosen), in English and in French (the two-language site: English at the root, French
under fr/), at desktop size and on a 390×844 phone; and no page is wider than the screen, in
each of the four. axe checks every kind of page in both languages and at both sizes, though
not in every pairing of the two (AXE_CHECKED): what axe looks at (names, roles, contrast,
structure) comes from the language's labels or from the size's layout, each of which the two
pairings checked cover; the other two pairings would run the same rules on the same labels
and layouts again, at twice the cost. The pages a reader of either language meets first
(EVERY_PAIRING: home, an outcome, All outcomes with its filter, a country, the dashboard) are
checked in all four pairings (issue 22), each once. axe-core comes with the
axe-playwright-python package (the test extras) and runs inside the page: nothing is fetched
from another host.

The tests save pictures of the fragment page, the dashboard with its map and the search
with a filter chosen, in each language and size, to test-artifacts/screenshots/, for a person
to look at (before it asserts anything, so a failure has them too).
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS
from .reading import (
    BUILDS_ON,
    LED_TO,
    MARSABIT,
    PHONE,
    RESULT_ITEM,
    SEARCH_INPUT,
)

DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

# One page of each kind the site has.
PAGES = {
    "home": "",
    "fragment": f"fragments/{MARSABIT[0]}/",
    "fragment with Builds on and substantiation": f"fragments/{BUILDS_ON[0]}/",
    "fragment with Led to": f"fragments/{LED_TO[0]}/",
    "all outcomes": "fragments/",
    "country": "countries/kenya/",
    "results framework": "results-framework/",
    "output": "results-framework/output-2-1-1/",
    "dashboard": "dashboard/",
    "cross-tabulations": "cross-tabulations/",
    "open data": "open-data/",
    "about": "about/",
}
SEARCH = "search with results and a filter"

# The pairings of language and size in which axe runs on every kind of page: each language
# and each size once. The other two pairings load the same pages for the width check.
AXE_CHECKED = {("en", "desktop"), ("fr", "phone")}
# The kinds of page axe checks in every pairing of language and size.
EVERY_PAIRING = {"home", "fragment", "all outcomes", "country", "dashboard"}
LANGUAGES = {"en": "", "fr": "fr/"}  # a language → its tree's folder in the two-language site
# Pages saved as pictures for review, by kind.
SCREENSHOTS = {"fragment", "dashboard", "cross-tabulations"}
SEARCH_COUNT = re.compile(r"^\d+ (matching documents|documents correspondants)$")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def page(lent_context, request_log, request):
    """The worker's lent page (conftest.py), kept from one test to the next of the same
    language and size: they only navigate it and read it, and its renderer keeps axe-core
    compiled (~0.4 s a run in a new page). Reset when a test of another pairing, or any other
    test, borrows."""
    pairing = getattr(request.node, "callspec", None)
    reuse = ("test_a11y", pairing.params["language"], pairing.params["size"]) if pairing else None
    yield lent_context.lend(request_log, reuse=reuse)
    lent_context.take_back()


def open_search_with_a_filter(page: Page, url: str) -> None:
    """The search panel open on a query with results, its first filter set to a value it offers."""
    page.goto(url)
    page.keyboard.press("/")
    box = page.locator(SEARCH_INPUT)
    expect(box).to_be_focused()
    box.fill("sécurité")
    box.press("End")
    expect(page.locator(".md-search-result__meta")).to_have_text(SEARCH_COUNT)
    expect(page.locator(RESULT_ITEM).first).to_be_visible()
    select = page.locator(".okb-search-filters select").first
    value = select.evaluate("s => [...s.options].slice(1).find((o) => !o.disabled).value")
    select.select_option(value)
    expect(select).to_have_class(re.compile("okb-search-filter--set"))
    expect(page.locator(RESULT_ITEM).first).to_be_visible()


def violations(axe: Axe, page: Page) -> list[str]:
    """axe-core's violations on the page once its transitions are over (Material fades its
    tabs in one after another: a colour half-way is no contrast a reader sees), one line per
    rule and element."""
    page.evaluate("Promise.all(document.getAnimations().map((animation) => animation.finished))")
    found = axe.run(page).response["violations"]
    return [
        f"{rule['id']} ({rule['impact']}): {node['target']} {node.get('failureSummary', '')!r}"
        for rule in found
        for node in rule["nodes"]
    ]


@pytest.mark.parametrize("kind", [*PAGES, SEARCH])
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_no_axe_violation_on_any_kind_of_page(page: Page, axe, bilingual_site, language, size, kind):
    """One test per kind of page, language and size, each named by them: a failure says
    where, and the file's many tests send it to a worker early (pytest-xdist hands out the
    files with the most tests first; as five tests of ~35 s together it came last, and one
    worker ran it alone while the other had finished)."""
    url = bilingual_site.url(LANGUAGES[language] + ("" if kind == SEARCH else PAGES[kind]))
    pictures = ARTIFACTS / "screenshots"
    pictures.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(VIEWPORTS[size])
    if kind == SEARCH:
        open_search_with_a_filter(page, url)
        page.screenshot(path=str(pictures / f"search-{language}-{size}.png"))
        problems = violations(axe, page) if (language, size) in AXE_CHECKED else []
    else:
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("article h1").first).to_be_visible()
        if kind.startswith("fragment"):
            expect(page.locator("h1.okb-statement")).to_be_visible()
        if kind == "dashboard":
            expect(page.locator("#chart-map svg").first).to_be_visible()
        if kind in SCREENSHOTS:
            page.screenshot(path=str(pictures / f"{kind}-{language}-{size}.png"), full_page=True)
        checked = (language, size) in AXE_CHECKED or kind in EVERY_PAIRING
        problems = violations(axe, page) if checked else []
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[size]["width"]:  # reflow (WCAG 1.4.10): no sideways scrolling
            problems.append(f"the page is {width} px wide, wider than the screen")
    assert not problems, f"{kind} ({language}, {size}):\n  " + "\n  ".join(problems)


def test_axe_sees_what_it_is_asked_to_find(page: Page, axe, bilingual_site):
    """The check above could pass by checking nothing: on a page spoiled on purpose (grey on
    grey text, a link inside an image), axe reports both."""
    page.goto(bilingual_site.url(PAGES["home"]))
    page.evaluate(
        """() => document.querySelector('article').insertAdjacentHTML('beforeend',
          '<p style="color:#999;background:#aaa">faint</p>' +
          '<div role="img" aria-label="chart"><a href="#x">bar</a></div>')"""
    )
    rules = {line.split(" ", 1)[0] for line in violations(axe, page)}
    assert {"color-contrast", "nested-interactive"} <= rules, rules
