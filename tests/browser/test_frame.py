"""The frame around every page, as a reader meets it in Chromium: one site name, the interface
in the site's language, the section tab highlighted below its section, the footer, print, and
the fragment page's first screen on a phone and its cite line.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import ROOT, ServedSite
from .reading import (
    MARSABIT,
    PHONE,
)

SITE_NAME = re.search(r"(?m)^site_name:\s*(.+?)\s*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8")).group(1)
FRAGMENT = f"fragments/{MARSABIT[0]}/"
FRAGMENT_ID = "DEMO-EHA2201/PEA003"
SITE_URL = "https://example.github.io/outcome-knowledge-base/"  # mkdocs.yml's default site_url

# What the interface says, in each language (templates/labels.yml and Material's own).
WORDS = {
    "en": {
        "tabs": ["Home", "Dashboard", "Results Framework", "All outcomes", "Countries", "Objectives"],
        "about": ("About this site", "About this site"),  # (footer link, the page's heading)
        "footer": ["Feed of new outcomes", "Open data", "About this site"],
        "confidential": "Confidential outcomes are never published.",
        "cite": "Cite this outcome:",
        "search": "Search",
    },
    "fr": {
        "tabs": ["Accueil", "Tableau de bord", "Cadre de résultats", "Tous les effets", "Pays", "Objectifs"],
        "about": ("À propos de ce site", "À propos de ce site"),
        "footer": ["Flux des nouveaux effets", "Données ouvertes", "À propos de ce site"],
        "confidential": "Les effets confidentiels ne sont jamais publiés.",
        "cite": "Citer cet effet :",
        "search": "Rechercher",
    },
}


@pytest.fixture(params=["en", "fr"])
def site(request, served_site, french_site) -> tuple[str, ServedSite]:
    return request.param, (served_site if request.param == "en" else french_site)


def tabs(page: Page):
    return page.locator(".md-tabs__link")


# ------------------------------------------------------------------- names and languages


def test_the_site_name_is_the_one_heading_in_either_language(page: Page, site):
    """mkdocs.yml's site_name, as written, in the header, the browser tab and the home heading."""
    language, served = site
    page.goto(served.url())
    assert page.evaluate("document.documentElement.lang") == language
    expect(page).to_have_title(SITE_NAME)
    expect(page.locator("article h1")).to_have_text(SITE_NAME)
    expect(page.locator(".md-header__topic").first).to_have_text(SITE_NAME)
    page.goto(served.url("dashboard/"))
    expect(page).to_have_title(re.compile(rf" - {re.escape(SITE_NAME)}$"))


def test_the_interface_speaks_the_site_language(page: Page, site):
    language, served = site
    words = WORDS[language]
    page.goto(served.url(FRAGMENT))
    expect(tabs(page)).to_contain_text(words["tabs"])
    expect(page.locator("input.md-search__input")).to_have_attribute("placeholder", words["search"])
    expect(page.locator(".okb-footer__note")).to_have_text(words["confidential"])
    expect(page.locator(".okb-footer__nav a")).to_have_text(words["footer"])
    expect(page.locator(".okb-cite strong")).to_have_text(words["cite"])
    # the About page in the site's language (about.fr.md on a French site), named as its link
    page.locator(".okb-footer__nav a").last.click()
    expect(page.locator("article h1")).to_have_text(words["about"][1])
    page.goto(served.url())
    expect(page.locator("article a", has_text=words["about"][1])).to_have_count(1)


# ----------------------------------------------------------------------------- tabs

# A page below each section, and the tab that is highlighted there (its href ends so).
BELOW = {
    "fragments/demo-eha2201-pea003/": "fragments/",
    "countries/kenya/": "countries/",
    "objectives/pea/": "objectives/",
    "change-types/policy-change/": "change-types/",
    "years/2023/": "years/",
    "results-framework/outcome-2-1/": "results-framework/",
    "results-framework/output-2-1-1/": "results-framework/",
    "results-framework/not-linked/": "results-framework/",
    "fragments/": "fragments/",  # a section's own page, as the theme does it
    "dashboard/": "dashboard/",
}


def section_tab_problems(page: Page, served_site: ServedSite, path: str) -> list[str]:
    """What is wrong with the section tab on the page at `path` (nothing: an empty list)."""
    section = BELOW[path]
    problems = []
    # in the HTML as built: no script is needed to mark it
    html = (served_site.root / path / "index.html").read_text(encoding="utf-8")
    if html.count("md-tabs__item--active") != 1:
        problems.append(f"the built HTML marks {html.count('md-tabs__item--active')} tabs active, not 1")
    page.goto(served_site.url(path))
    active = page.locator(".md-tabs__item--active a")
    try:
        expect(active).to_have_count(1)
    except AssertionError as error:
        return [*problems, f"not one active tab in the page: {error}"]
    href = page.evaluate("(a) => a.href", active.element_handle())
    if href != served_site.url(section):
        problems.append(f"the active tab leads to {href}, not {served_site.url(section)}")
    # and it looks highlighted: full white and underlined, the others not underlined
    looks = {
        "active tab's text-decoration-line": (active, "textDecorationLine", "underline"),
        "active tab's opacity": (active, "opacity", "1"),
        "another tab's text-decoration-line": (
            page.locator(".md-tabs__item:not(.md-tabs__item--active) a").first,
            "textDecorationLine",
            "none",
        ),
    }
    for what, (link, style, wanted) in looks.items():
        value = link.evaluate("(a, style) => getComputedStyle(a)[style]", style)
        if value != wanted:
            problems.append(f"the {what} is {value!r}, not {wanted!r}")
    return problems


def test_the_section_tab_is_highlighted_on_every_page_below_it(page: Page, served_site):
    """Every page of BELOW, one after another in one browser page (a fresh page for each cost
    more than its check); a failure names each page that failed and what was wrong there."""
    problems = {path: section_tab_problems(page, served_site, path) for path in BELOW}
    found = {path: lines for path, lines in problems.items() if lines}
    assert not found, "\n".join(f"{path}:\n  " + "\n  ".join(lines) for path, lines in found.items())


def test_a_page_in_no_section_highlights_no_tab(page: Page, served_site):
    page.goto(served_site.url("about/"))
    expect(page.locator(".md-tabs__item--active")).to_have_count(0)


# --------------------------------------------------------------------------- footer


def test_every_footer_link_leads_somewhere(page: Page, served_site):
    page.goto(served_site.url(FRAGMENT))
    links = page.locator("footer .okb-footer__nav a")
    expect(links).to_have_count(3)
    for href in [links.nth(i).evaluate("(a) => a.href") for i in range(3)]:
        response = page.request.get(href)
        assert response.ok, href
        if href.endswith("feed.xml"):
            assert "<feed" in response.text()
    links.nth(1).click()
    expect(page).to_have_url(served_site.url("open-data/"))
    expect(page.locator("article h1")).to_have_text("Open data")


def test_the_footer_is_the_frames_only_band_and_holds_text(page: Page, served_site):
    """No empty dark band: the page's one footer has the confidentiality line and its links."""
    for path in ("", FRAGMENT, "404.html"):
        page.goto(served_site.url(path))
        footer = page.locator("footer.md-footer")
        expect(footer).to_have_count(1)
        expect(footer.locator(".okb-footer__note")).to_be_visible()
        expect(footer.locator("a").first).to_be_visible()


# ------------------------------------------------------------------------ fragment page


def test_a_phones_first_screen_shows_the_outcome_statement_once_in_full(page: Page, served_site):
    page.set_viewport_size(PHONE)
    page.goto(served_site.url(FRAGMENT))
    statement = page.locator("h1.okb-statement")
    box = statement.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    text = statement.inner_text()
    assert text.startswith(MARSABIT[1]) and not text.endswith("…")
    # nothing else on the first screen repeats it, whole or shortened
    on_screen = page.evaluate(
        """(height) => [...document.querySelectorAll('body *')].filter((e) => {
            const r = e.getBoundingClientRect(), s = getComputedStyle(e);
            return e.children.length === 0 && r.bottom > 0 && r.top < height && r.width > 0
                && s.visibility !== 'hidden' && s.display !== 'none' && e.closest('h1.okb-statement') === null;
        }).map((e) => e.textContent)""",
        PHONE["height"],
    )
    assert not [t for t in on_screen if MARSABIT[1][:30] in t], on_screen
    # country, year and output once near the top, above the statement
    chips = page.locator(".okb-chips a")
    expect(chips.first).to_be_in_viewport()
    for value in ("Kenya", "2022", "Output 2.1.1: Local mediators supported"):
        expect(page.locator(".okb-chips a", has_text=re.compile(f"^{re.escape(value)}$"))).to_have_count(1)
    # nor does the header once the statement scrolls away (Material shows the page's title there)
    page.mouse.wheel(0, 1200)
    expect(page.locator(".md-header__title--active")).to_have_count(1)
    expect(page.locator(".md-header__topic").first).to_be_visible()
    expect(page.locator(".md-header__topic", has_text=MARSABIT[1][:30])).to_be_hidden()


def test_the_cite_line_names_id_title_harvest_and_address(page: Page, site):
    language, served = site
    page.goto(served.url(FRAGMENT))
    cite = page.locator("p.okb-cite")
    expect(cite).to_contain_text(FRAGMENT_ID)
    expect(cite).to_contain_text(MARSABIT[1])
    expect(cite).to_contain_text("harvest 2")
    expect(cite).to_contain_text(SITE_NAME)
    address = SITE_URL + ("fr/" if language == "fr" else "") + FRAGMENT  # the French tree is under fr/
    expect(cite.locator("a")).to_have_attribute("href", address)
    expect(cite.locator("a")).to_have_text(address)


# ---------------------------------------------------------------------------- print

FRAME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".md-search"]


def hidden_in_print(page: Page, selector: str) -> bool:
    return page.evaluate(
        "(s) => [...document.querySelectorAll(s)].every((e) => e.offsetParent === null && e.getClientRects().length === 0)",
        selector,
    )


@pytest.mark.parametrize("path", [FRAGMENT, "fragments/", "countries/kenya/"])
def test_printing_gives_the_content_alone(page: Page, served_site, path):
    page.goto(served_site.url(path))
    if path == "fragments/":
        expect(page.locator(".okb-filter").first).to_be_visible()  # on screen…
    page.emulate_media(media="print")
    for selector in [*FRAME, ".okb-filter", ".okb-search-filters"]:
        assert hidden_in_print(page, selector), selector  # …not on paper
    expect(page.locator("article h1").first).to_be_visible()
    if path == FRAGMENT:
        expect(page.locator(".okb-cite")).to_be_visible()
        for section in page.locator(".okb-section").all():
            assert section.evaluate("(e) => getComputedStyle(e).breakInside") == "avoid"
    else:
        item = page.locator(".okb-list > li.okb-item").first
        assert item.evaluate("(e) => getComputedStyle(e).breakInside") == "avoid"


def test_printed_links_to_other_sites_show_their_address(page: Page, served_site):
    page.goto(served_site.url(FRAGMENT))
    page.evaluate(
        """() => document.querySelector('article').insertAdjacentHTML('beforeend',
            '<p>See <a id="elsewhere" href="https://example.org/report">the report</a>.</p>')"""
    )
    after = "(a) => getComputedStyle(a, '::after').content"
    page.emulate_media(media="print")
    assert page.locator("#elsewhere").evaluate(after) == '" (https://example.org/report)"'
    # the cite line's address is its text already; links inside the site are not spelled out
    assert page.locator(".okb-cite a").evaluate(after) == "none"
    assert page.locator(".okb-chips a").first.evaluate(after) == "none"
    page.emulate_media(media="screen")
    assert page.locator("#elsewhere").evaluate(after) == "none"
