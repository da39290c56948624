"""Search results show hostile fragment text as text: nothing from a fragment runs or becomes markup."""

import csv

import pytest

HOSTILE = '<img src=x onerror="window.__owned=1"> <script>window.__owned=2</script> <b>bold</b> owned'


@pytest.fixture(scope="module")
def hostile_content(site_cache):
    """Written where the built site is kept (the same bytes each run), so a later run reuses it."""
    content = site_cache / "hostile-search-input"
    content.mkdir(exist_ok=True)
    with open(content / "export.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["FragmentID", "Confidential", "Country", "Year", "Outcome description", "Significance of the outcome"]
        )
        writer.writerow(["X-1", "0", "Mali", "2023", f"Since 2023, zebrafinch {HOSTILE}", f"zebrafinch {HOSTILE}"])
        writer.writerow(["X-2", "0", "Niger", "2024", "Since 2024, nothing special happened here.", ""])
    return content


def test_hostile_text_in_search_results_is_shown_not_run(browser_page_for, hostile_content):
    page = browser_page_for(hostile_content)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").fill("zebrafinch")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    results = page.locator(".md-search-result__list")
    assert results.locator("img, script, b").count() == 0
    shown = results.inner_text()
    assert "<script>window.__owned=2</script> <b>bold</b> owned" in shown  # the characters typed
    assert page.evaluate("window.__owned === undefined")
