"""The site search (templates/assets/okb-search.js) as a reader meets it, in Chromium.

When its files are fetched (never while the page paints), its filters' counts, its keyboard
shortcuts, its names in English and French, and what a preview that has no index says.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, Route, expect

from support import kept_two_language_build

from .reading import (
    MARSABIT,
    RESULT_ITEM,
    RESULT_META,
    SEARCH_INPUT,
    pagefind_requests,
    search,
)

# Pagefind's start-up files: what a reader's browser fetches before any query.
START_FILES = ("pagefind.js", "pagefind-worker.js", ".pf_meta", ".pagefind")
# What the built script says about the index (generator/publish/search.py), and what it says unbuilt.
INDEX_LANGUAGES = re.compile(r"const INDEX_LANGUAGES = .*?;")
UNINDEXED = "const INDEX_LANGUAGES = null /* index languages: written by generator/publish/search.py */;"

# "defenders": three stories, in Mali (1) and Uganda (2), all of objective CIV.
DEFENDERS = {"Burkina Faso": 0, "Kenya": 0, "Mali": 1, "Niger": 0, "Uganda": 2}


def option_counts(page: Page, name: str) -> dict[str, tuple[str, bool]]:
    """A search filter's values: value → (text shown, can be chosen)."""
    return page.locator(f'.okb-search-filters select[name="{name}"]').evaluate(
        "select => Object.fromEntries([...select.options].slice(1).map(o => [o.value, [o.text, !o.disabled]]))"
    )


def expect_counts(page: Page, name: str, counts: dict[str, int]) -> None:
    """The filter shows each value with its count; a value with no result is disabled (unless chosen)."""
    select = page.locator(f'.okb-search-filters select[name="{name}"]')
    chosen = select.input_value()
    for value, n in counts.items():
        # the chosen value names its filter, so the closed select still says what it filters
        shown = f"{name}: {value} ({n})" if value == chosen else f"{value} ({n})"
        expect(select.locator(f'option[value="{value}"]')).to_have_text(shown)
    for value, (text, enabled) in option_counts(page, name).items():
        if value in counts:
            assert enabled == (counts[value] > 0 or value == chosen), (value, text, enabled)


def choose(page: Page, name: str, value: str) -> None:
    page.locator(f'.okb-search-filters select[name="{name}"]').select_option(value)


def results_shown(page: Page) -> int:
    """The number of results the count line gives, once the search has answered."""
    meta = page.locator(RESULT_META)
    expect(meta).to_have_text(re.compile(r"^(No matching documents|1 matching document|\d+ matching documents)$"))
    text = meta.inner_text()
    return 0 if text.startswith("No") else int(text.split()[0])


# ------------------------------------------------------------------ when files are fetched

# Marks in the page when its load event fired (performance.now()).
LOAD_TIME = "window.addEventListener('load', () => { window.__okbLoaded = performance.now(); });"
SEARCH_FILE_TIMES = """() => performance.getEntriesByType('resource')
  .filter((entry) => entry.name.includes('/pagefind/')).map((entry) => [entry.name, entry.startTime])"""


def test_search_files_wait_for_the_load_event_then_come_before_typing(page: Page, served_site, request_log):
    """Nothing of search competes with the page's own files and first paint (Lighthouse's
    largest paint); once the page has loaded and the browser is idle, Pagefind's start-up
    files come, so that search is ready before the reader types."""
    page.add_init_script(LOAD_TIME)
    page.goto(served_site.url(f"fragments/{MARSABIT[0]}/"))
    page.wait_for_load_state("networkidle")
    loaded = page.evaluate("window.__okbLoaded")
    asked = page.evaluate(SEARCH_FILE_TIMES)
    assert loaded is not None and asked, (loaded, asked)
    early = [(url, at) for url, at in asked if at < loaded]
    assert not early, f"search files asked before the load event ({loaded:.0f} ms): {early}"
    fetched = pagefind_requests(request_log)
    for name in START_FILES:
        assert any(name in url for url in fetched), (name, fetched)
    # ...but no index chunk or record: those only for a query
    assert not any(".pf_index" in url or ".pf_fragment" in url for url in fetched), fetched


@pytest.mark.parametrize("intent", ["hover", "focus", "shortcut"])
def test_a_reader_about_to_search_gets_the_files_before_the_load_event(page: Page, served_site, request_log, intent):
    """The load event held back by a slow image: pointer over the box, focus or the s key
    starts search at once, not after the load event."""
    held: list[Route] = []
    page.route("**/okb-slow.png", lambda route: held.append(route))  # answered at the end of the test
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " const image = new Image(); image.src = '/okb-slow.png'; document.body.append(image); });"
    )
    page.goto(served_site.url(), wait_until="domcontentloaded")
    box = page.locator(SEARCH_INPUT)
    expect(box).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("document.readyState") != "complete"
    assert pagefind_requests(request_log) == []
    if intent == "hover":
        box.hover()
    elif intent == "focus":
        box.focus()
    else:
        page.keyboard.press("s")
    missing = list(START_FILES)
    for _ in range(50):  # requests are reported to Python as they are sent
        missing = [name for name in START_FILES if not any(name in url for url in pagefind_requests(request_log))]
        if not missing:
            break
        page.wait_for_timeout(100)
    assert missing == [], pagefind_requests(request_log)
    assert page.evaluate("document.readyState") != "complete"
    for route in held:
        route.fulfill(status=204)


def test_with_data_saver_pointing_at_the_box_fetches_nothing(page: Page, served_site, request_log):
    page.context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    page.goto(served_site.url())
    page.wait_for_load_state("networkidle")
    page.locator(SEARCH_INPUT).hover()
    page.wait_for_timeout(500)
    assert pagefind_requests(request_log) == []
    search(page, "Marsabit")  # using the box does
    expect(page.locator(RESULT_ITEM).first).to_be_visible()
    assert pagefind_requests(request_log)


# ------------------------------------------------------------------------------ filters


def test_an_analytic_filter_counts_within_the_query_and_choosing_a_value_gives_its_count(page: Page, served_site):
    """Issue 21: significance, social actor, intended or not… are search filters too, with
    counts for the current query; each count is what choosing the value gives."""
    page.goto(served_site.url())
    search(page, "defenders")
    assert results_shown(page) == 3
    for name in ("Significance", "Social actor", "Positive or negative"):
        counts = {
            value: int(text.rsplit("(", 1)[1].rstrip(")")) for value, (text, _) in option_counts(page, name).items()
        }
        assert counts and sum(counts.values()) <= 3, (name, counts)
        for value, n in counts.items():
            if n:
                choose(page, name, value)
                expect(page.locator(RESULT_META)).to_have_text(f"{n} matching document{'s' if n != 1 else ''}")
        choose(page, name, "")
        expect(page.locator(RESULT_META)).to_have_text("3 matching documents")


def test_filter_counts_are_for_the_query_and_tell_what_choosing_gives(page: Page, served_site):
    page.goto(served_site.url())
    search(page, "defenders")
    assert results_shown(page) == 3
    # Kenya has 3 stories, none about defenders: 0, and it cannot be chosen
    expect_counts(page, "Country", DEFENDERS)
    expect_counts(page, "Objective", {"CIV: Less suppression of civic space": 3})
    # each count is what choosing the value gives
    for value, n in DEFENDERS.items():
        if not n:
            continue
        choose(page, "Country", value)
        expect(page.locator(RESULT_META)).to_have_text(f"{n} matching document{'s' if n != 1 else ''}")
        assert page.locator(RESULT_ITEM).count() == n
        # the chosen filter still offers the others, with what choosing them would give
        expect_counts(page, "Country", DEFENDERS)
    # the other filters count within the chosen country
    choose(page, "Country", "Uganda")
    expect(page.locator(RESULT_META)).to_have_text("2 matching documents")
    years = {value: int(text.rsplit("(", 1)[1].rstrip(")")) for value, (text, _) in option_counts(page, "Year").items()}
    assert sum(years.values()) == 2, years
    for value, n in years.items():
        if n:
            choose(page, "Year", value)
            expect(page.locator(RESULT_META)).to_have_text(f"{n} matching document{'s' if n != 1 else ''}")
    choose(page, "Year", "")


def test_filter_counts_follow_each_query_and_keep_the_chosen_value(page: Page, served_site):
    page.goto(served_site.url())
    search(page, "defenders")
    expect_counts(page, "Country", DEFENDERS)
    choose(page, "Country", "Uganda")
    expect(page.locator(RESULT_META)).to_have_text("2 matching documents")
    # "sécurité": Mali and Niger only; Uganda stays chosen, with its true count, 0
    box = page.locator(SEARCH_INPUT)
    box.fill("sécurité")
    box.press("End")
    expect(page.locator(RESULT_META)).to_have_text("No matching documents")
    expect(page.locator('.okb-search-filters select[name="Country"]')).to_have_value("Uganda")
    expect_counts(page, "Country", {"Uganda": 0, "Mali": 1, "Niger": 1, "Kenya": 0})
    choose(page, "Country", "Niger")
    expect(page.locator(RESULT_META)).to_have_text("1 matching document")
    # a query that finds nothing counts nothing anywhere
    box.fill("Atlantis")
    box.press("End")
    expect(page.locator(RESULT_META)).to_have_text("No matching documents")
    expect_counts(page, "Country", {value: 0 for value in DEFENDERS})
    # no query, no filter: every value with all its stories
    choose(page, "Country", "")
    box.fill("")
    box.press("End")
    expect(page.locator(RESULT_META)).to_have_text("Type to start searching")
    expect_counts(page, "Country", {"Burkina Faso": 1, "Kenya": 3, "Mali": 2, "Niger": 2, "Uganda": 2})


# ----------------------------------------------------------------------------- keyboard


@pytest.mark.parametrize("key", ["s", "f", "/"])
def test_shortcut_keys_open_search_and_escape_closes_it(page: Page, served_site, key):
    page.goto(served_site.url())
    box = page.locator(SEARCH_INPUT)
    toggle = page.locator("#__search")
    expect(box).to_be_visible()
    page.locator("article h1").first.click()  # focus in the page, not in a field
    page.keyboard.press(key)
    expect(box).to_be_focused()
    expect(toggle).to_be_checked()
    expect(box).to_have_value("")  # the key opens search, it is not typed into the box
    page.keyboard.press("Escape")
    expect(toggle).not_to_be_checked()
    expect(box).not_to_be_focused()


def test_shortcut_keys_do_nothing_while_typing_or_with_a_modifier(page: Page, served_site):
    page.goto(served_site.url())
    box = page.locator(SEARCH_INPUT)
    toggle = page.locator("#__search")
    expect(box).to_be_visible()
    page.locator("article h1").first.click()
    for chord in ("Alt+s", "Control+f", "Meta+s"):
        page.keyboard.press(chord)
        expect(toggle).not_to_be_checked()
    page.evaluate(
        "() => { const field = document.createElement('textarea'); field.id = 'okb-field';"
        " document.querySelector('article').prepend(field);"
        " const editable = document.createElement('div'); editable.id = 'okb-editable'; editable.contentEditable = 'true';"
        " editable.textContent = 'x'; document.querySelector('article').prepend(editable); }"
    )
    page.locator("#okb-field").click()
    page.keyboard.type("sf/")
    expect(page.locator("#okb-field")).to_have_value("sf/")
    page.locator("#okb-editable").click()
    page.keyboard.press("End")
    page.keyboard.type("s/")
    expect(page.locator("#okb-editable")).to_have_text("xs/")
    expect(toggle).not_to_be_checked()
    expect(box).not_to_be_focused()


# ------------------------------------------------------------------------ the preview


def test_preview_without_index_says_so_and_fetches_nothing(page: Page, served_site, request_log):
    """Under `mkdocs serve` the site is not indexed: the script's index placeholder stays null."""

    def unindexed(route: Route) -> None:
        response = route.fetch()
        body, found = INDEX_LANGUAGES.subn(lambda _: UNINDEXED, response.text(), count=1)
        assert found == 1
        route.fulfill(response=response, body=body)

    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on(
        "response",
        lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    page.route("**/assets/okb-search.js", unindexed)
    page.goto(served_site.url())
    box = page.locator(SEARCH_INPUT)
    meta = page.locator(RESULT_META)
    preview = "Search works on the built site: run python -m generator build"
    box.click()
    expect(meta).to_have_text(preview)
    box.fill("Marsabit")
    box.press("End")
    page.wait_for_timeout(500)
    expect(meta).to_have_text(preview)
    expect(page.locator(RESULT_ITEM)).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert pagefind_requests(request_log) == []
    assert problems == []


# ------------------------------------------------------------------- names and languages


def test_search_dialog_is_named(page: Page, served_site):
    page.goto(served_site.url())
    dialog = page.get_by_role("dialog", name="Search this site")
    expect(dialog).to_have_count(1)
    expect(dialog.get_by_role("textbox", name="Search")).to_be_visible()


def test_search_speaks_the_site_language(page: Page, french_site):
    """On a site built in French (theme.language: fr), everything the search box says is French."""
    page.goto(french_site.url())
    assert page.evaluate("document.documentElement.lang") == "fr"
    box = page.locator(SEARCH_INPUT)
    expect(page.get_by_role("dialog", name="Rechercher dans le site")).to_have_count(1)
    expect(box).to_have_attribute("placeholder", "Rechercher")
    box.click()
    box.fill("Atlantis")
    box.press("End")
    expect(page.locator(RESULT_META)).to_have_text("Aucun document correspondant")
    box.fill("sécurité")
    box.press("End")
    # (stemmed in French here, so not necessarily the English site's count)
    expect(page.locator(RESULT_META)).to_have_text(re.compile(r"^\d+ documents correspondants$"))
    # each filter says "all" with the agreement of its name; names come from the index
    first = lambda name: page.locator(f'.okb-search-filters select[name="{name}"] option').first  # noqa: E731
    expect(first("Pays")).to_have_text("Pays : tous")
    expect(first("Année")).to_have_text("Année : toutes")
    expect(first("Objectif")).to_have_text("Objectif : tous")
    expect(first("Type de changement")).to_have_text("Type de changement : tous")
    expect(page.locator('.okb-search-filters select[name="Pays"] option[value="Kenya"]')).to_have_text(
        re.compile(r"^Kenya \(\d+\)$")
    )
    expect(page.locator(".okb-search-filters")).to_have_attribute("aria-label", "Filtres")


@pytest.fixture(scope="module")
def two_language_site(site_cache, site_server):
    """tests/fixtures/search-languages (an outcome written in French, one in English) built as
    one site in English and French (kept, shared with tests/test_search_index.py), served."""
    return site_server(kept_two_language_build(site_cache).site)


@pytest.mark.parametrize(
    ("path", "query", "title", "mark", "name", "count"),
    [
        ("", "défenseurs", "En 2024, les défenseurs", "FR", "En français", "1 matching document"),
        ("fr/", "defenders", "Since 2024, the county council", "EN", "In English", "1 document correspondant"),
    ],
)
def test_an_outcome_is_found_by_its_own_words_from_either_site_and_marked_with_its_language(
    page: Page, two_language_site, path, query, title, mark, name, count
):
    """Issue 22, 3: each site language has its own index, and an outcome written in the other
    language is found there by its own words, shown with its language's mark (read by a
    screen reader in that language), its text marked with its lang; the box speaks the page's."""
    page.goto(two_language_site.url(path))
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.fill(query)
    box.press("End")
    expect(page.locator(RESULT_META)).to_have_text(count)
    heading = page.locator(f"{RESULT_ITEM} h1").first
    expect(heading).to_contain_text(title)
    other = "fr" if mark == "FR" else "en"
    expect(heading).to_have_attribute("lang", other)
    expect(page.locator(f"{RESULT_ITEM} .okb-search-excerpt").first).to_have_attribute("lang", other)
    language_mark = heading.locator(".okb-lang")
    expect(language_mark).to_have_attribute("lang", other)
    expect(language_mark.locator("[aria-hidden=true]")).to_have_text(mark)
    expect(language_mark.locator(".okb-visually-hidden")).to_have_text(name)
    # a screen reader reads the mark's name, in its language, not its letters
    expect(page.get_by_role("heading", name=re.compile("^" + re.escape(f"{name} {title}")))).to_have_count(1)


@pytest.mark.parametrize(("path", "query"), [("", "defenders"), ("fr/", "défenseurs")])
def test_an_outcome_in_the_page_language_has_no_mark(page: Page, two_language_site, path, query):
    page.goto(two_language_site.url(path))
    box = page.locator(SEARCH_INPUT)
    box.click()
    box.fill(query)
    box.press("End")
    expect(page.locator(f"{RESULT_ITEM} h1").first).to_be_visible()
    # "defenders" is the English outcome's own word; the French one says "défenseurs"
    expect(page.locator(f"{RESULT_ITEM} h1")).to_have_count(1)
    expect(page.locator(f"{RESULT_ITEM} .okb-lang")).to_have_count(0)
    expect(page.locator(f"{RESULT_ITEM} h1").first).not_to_have_attribute("lang", re.compile("."))


def test_the_second_page_of_a_visit_asks_for_the_same_index_entry(page: Page, two_language_site, request_log):
    """Pagefind's entry file is asked for with a cache tag made from the index, not the time
    of each page load (Pagefind's default), so a later page of the visit can take it, and so
    every start-up file, from the browser's cache (bench/search_speed.py --repeat measures the
    bytes with GitHub Pages' caching)."""
    page.goto(two_language_site.url())
    search(page, "défenseurs")
    page.goto(two_language_site.url("fragments/"))
    search(page, "défenseurs")
    entries = {url for url in request_log.urls if "pagefind-entry.json" in url}
    assert len(entries) == 1, entries
    (entry,) = entries
    hashes = json.loads((two_language_site.root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry.endswith("?ts=" + ".".join(sorted(index["hash"] for index in hashes["languages"].values())))
