"""The cross-tabulations page in Chromium, on the shared fixture site: a count leads to All
outcomes showing exactly that many outcomes, and on a 390 px phone each table scrolls in its
own box while the page itself does not. (Every link's count is checked against the built
listing in tests/test_crosstab.py; axe checks the page in tests/browser/test_a11y.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}


def visible_items(page: Page) -> int:
    return page.locator(".okb-list .okb-item:visible").count()


@pytest.mark.parametrize(
    "table, row, column, count",
    [
        ("Outcomes by objective and country", "CIV: Less suppression of civic space", 5, 2),  # Uganda
        ("Outcomes by year and type of change", "2023", 8, 2),  # Safety and Security
    ],
)
def test_a_count_leads_to_exactly_its_outcomes(page: Page, served_site, table, row, column, count):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(served_site.url("cross-tabulations/"))
    cell = page.get_by_role("region", name=table).locator("tbody tr", has_text=row).locator("td").nth(column - 1)
    expect(cell).to_have_text(str(count))
    cell.locator("a").click()
    page.wait_for_url("**/fragments/?*")
    expect(page.locator(".okb-shown")).to_have_text(f"{count} of 10 outcomes shown")
    assert visible_items(page) == count
    assert errors == []


def test_on_a_phone_a_wide_table_scrolls_in_its_own_box(page: Page, served_site):
    page.set_viewport_size(PHONE)
    page.goto(served_site.url("cross-tabulations/"))
    box = page.get_by_role("region", name="Outcomes by year and type of change")
    sizes = box.evaluate("b => ({scroll: b.scrollWidth, client: b.clientWidth})")
    assert sizes["scroll"] > sizes["client"]  # eight types of change do not fit 390 px…
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # …the page does not scroll
    box.focus()  # a keyboard reaches the box and scrolls it
    page.keyboard.press("ArrowRight")
    expect(box).to_be_focused()
    # Chromium animates a keyboard scroll, so the box has moved only once a frame or two has run.
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle(), timeout=5000)
    # The row names stay in sight while the table scrolls.
    name = box.locator("tbody th", has_text="2023")
    assert name.bounding_box()["x"] >= box.bounding_box()["x"] - 1
