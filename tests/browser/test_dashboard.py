"""The dashboard on a 390 px phone, in Chromium: text at 12 px or more as rendered, bar
links at least 24 px, bars in order, no label cut or clipped, a table icon on the tables.
The fixture site; the `page` fixture refuses any request to another host than 127.0.0.1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}
NOT_LINKED = "Not linked to the Results Framework"

# Every piece of text in the article, with the size it is drawn at: its font size times the
# scale of the SVG it may sit in (a viewBox shrinks text with the drawing).
RENDERED_TEXT = """
() => {
  const sizes = [];
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!node.textContent.trim() || element.closest("title, desc, script, style, details:not([open]) > :not(summary)")) continue;
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(element).visibility === "hidden") continue;
    const matrix = element.getScreenCTM ? element.getScreenCTM() : null;
    const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
    sizes.push({text: node.textContent.trim().slice(0, 40), px: parseFloat(getComputedStyle(element).fontSize) * scale});
  }
  return sizes;
}
"""

CHART_BARS = """
chart => [...chart.querySelectorAll("svg g.okb-bar")].map(bar => {
  const [label, count] = bar.querySelector("title").textContent.split(/: (?=\\d+$)/);
  const text = bar.querySelector("text");
  const svg = bar.ownerSVGElement.getBoundingClientRect(), box = text.getBoundingClientRect();
  const link = bar.querySelector("a");
  return {label, count: +count, shown: text.textContent, inside: box.left >= svg.left - 0.5 && box.right <= svg.right + 0.5,
          link: link ? link.getBoundingClientRect().toJSON() : null};
})
"""


@pytest.fixture
def phone_dashboard(page: Page, served_site) -> Page:
    page.set_viewport_size(PHONE)
    page.goto(served_site.url("dashboard/"))
    return page


def test_dashboard_text_is_at_least_12px_on_a_phone(phone_dashboard: Page):
    sizes = phone_dashboard.evaluate(RENDERED_TEXT)
    assert any(size["text"] == NOT_LINKED for size in sizes)  # chart labels are among them
    small = [size for size in sizes if size["px"] < 12 - 0.01]
    assert small == [], small


def test_bar_links_are_at_least_24px_and_labels_whole_or_cut_at_a_word(phone_dashboard: Page):
    for chart in phone_dashboard.locator("article .okb-chart:not(.okb-map)").all():
        for bar in chart.evaluate(CHART_BARS):
            assert bar["inside"], bar  # drawn inside the chart, not clipped at its edge
            shown, label = bar["shown"], bar["label"]
            assert shown == label or (
                shown.endswith("…") and label.startswith(shown[:-1]) and label[len(shown) - 1] == " "
            ), bar
            if bar["link"]:
                assert bar["link"]["width"] >= 24 and bar["link"]["height"] >= 24, bar
    outputs = phone_dashboard.locator("#chart-outputs").evaluate(CHART_BARS)
    assert any(bar["shown"] == NOT_LINKED for bar in outputs)  # whole, not cut off


def test_bars_by_count_then_name_and_years_in_time_order(phone_dashboard: Page):
    for key in ("chart-countries", "chart-change-types", "chart-outputs"):
        bars = phone_dashboard.locator(f"#{key}").evaluate(CHART_BARS)
        order = [(-bar["count"], bar["label"].casefold()) for bar in bars]
        assert order == sorted(order), key
    years = [bar["label"] for bar in phone_dashboard.locator("#chart-years").evaluate(CHART_BARS)]
    assert years == sorted(years)


def test_tables_have_a_table_icon_not_a_pencil(phone_dashboard: Page):
    icons = phone_dashboard.locator("article .okb-chart > details > summary").evaluate_all(
        "summaries => summaries.map(s => getComputedStyle(s, '::before').maskImage || getComputedStyle(s, '::before').webkitMaskImage)"
    )
    assert len(icons) == 13  # twelve charts (each facet the fixture gives a value: issue 21) and the map
    assert all("data:image/svg+xml" in icon and "M5 4h14" in icon for icon in icons), icons
