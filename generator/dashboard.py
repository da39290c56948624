"""The dashboard's charts: counts of published outcomes, from the SiteIndex only.

Each chart is a list of bars (label, count, the listing page it links to) and the
geometry of a horizontal bar chart; templates/_chart.svg.j2 draws it as SVG and as
a table. The text comes from templates/labels.yml in the site's language (the labels
dict of the Renderer, passed in). Nothing here reads a fragment the gate held back, so a value or a count
that only confidential fragments carry never shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.indexes import Listing, SiteIndex
from generator.labels import count_word, listing_name
from generator.worldmap import WorldMap, world_map

PAGE_PATH = "dashboard.md"

# Geometry of a chart, in SVG user units (the SVG scales to the page width).
WIDTH = 640
LABEL_WIDTH = 210  # room for the labels left of the bars
COUNT_WIDTH = 40  # room for the count right of the longest bar
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_LENGTH = 30  # longer labels are shortened in the chart (the table shows them whole)


@dataclass(frozen=True)
class Bar:
    label: str  # full label: the table and the tooltip
    count: int
    path: str | None = None  # docs path of the listing page, if there is one
    short_label: str = ""
    y: int = 0  # top of the bar
    width: float = 0.0
    middle: float = 0.0  # where its labels stand (vertical centre)
    count_x: float = 0.0  # where its count starts (right of the bar)


@dataclass(frozen=True)
class Chart:
    key: str  # HTML id
    anchor: str  # id of the chart's heading: the same in every language, like the paths
    title: str
    description: str
    label_heading: str  # heading of the table's first column
    bars: tuple[Bar, ...]
    width: int = WIDTH
    height: int = 0
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def shorten(label: str) -> str:
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def _summary(labels: dict[str, Any], bars: list[Bar], what: str) -> str:
    if not bars:
        return str(labels["chart_empty"]).format(what=what)
    top = max(bars, key=lambda bar: bar.count)  # first of the highest, in chart order
    n_bars = f"{len(bars)} {count_word(labels, len(bars), labels['n_bar'], labels['n_bars'])}"
    n_outcomes = f"{top.count} {count_word(labels, top.count, labels['n_outcome'], labels['n_outcomes'])}"
    return str(labels["chart_summary"]).format(what=what, bars=n_bars, label=top.label, count=n_outcomes)


def chart(labels: dict[str, Any], key: str, anchor: str, label_heading: str, bars: Iterable[Bar]) -> Chart:
    """Lay out the bars (kept in the given order; bars with no outcome are left out).
    The title is the label named like the key (chart-years → chart_years); what the bars
    count, for the description, the label of that name with _what (chart_years_what)."""
    shown = [bar for bar in bars if bar.count > 0]
    longest = max((bar.count for bar in shown), default=1)
    room = WIDTH - LABEL_WIDTH - COUNT_WIDTH
    placed: list[Bar] = []
    for position, bar in enumerate(shown):
        top = BAR_GAP + position * (BAR_HEIGHT + BAR_GAP)
        width = round(room * bar.count / longest, 1)
        placed.append(
            Bar(
                label=bar.label,
                count=bar.count,
                path=bar.path,
                short_label=shorten(bar.label),
                y=top,
                width=width,
                middle=top + BAR_HEIGHT / 2,
                count_x=round(LABEL_WIDTH + width + 6, 1),
            )
        )
    height = BAR_GAP + len(placed) * (BAR_HEIGHT + BAR_GAP)
    name = key.replace("-", "_")
    what = labels[f"{name}_what"]
    return Chart(key, anchor, labels[name], _summary(labels, shown, what), label_heading, tuple(placed), height=height)


def _bars(listings: Iterable[Listing], labels: dict[str, Any], label_prefix: str = "") -> list[Bar]:
    return [
        Bar(label_prefix + listing_name(labels, listing), len(listing.fragments), listing.path) for listing in listings
    ]


def charts(index: SiteIndex, labels: dict[str, Any]) -> list[Chart]:
    """The dashboard's charts, in page order, with the text of `labels` (Renderer.t)."""
    years = sorted(index.years, key=lambda listing: listing.key)  # oldest first; "unknown" sorts last
    countries = sorted(index.countries, key=lambda listing: (-len(listing.fragments), listing.name.casefold()))
    outputs = _bars(index.outputs, labels, labels["output"] + " ")
    outputs.append(Bar(labels["not_linked"], len(index.not_linked.fragments), index.not_linked.path))
    negative = [fragment.negative for fragment in index.fragments]
    return [
        chart(labels, "chart-years", "outcomes-per-year", labels["year"], _bars(years, labels)),
        chart(labels, "chart-countries", "outcomes-per-country", labels["country_or_region"], _bars(countries, labels)),
        chart(
            labels,
            "chart-change-types",
            "outcomes-per-type-of-change",
            labels["change_type"],
            _bars(index.change_types, labels),
        ),
        chart(labels, "chart-outputs", "outcomes-per-results-framework-output", labels["output"], outputs),
        chart(
            labels,
            "chart-negative",
            "positive-and-negative-outcomes",
            labels["outcome"],
            [
                Bar(labels["chart_positive_bar"], negative.count(False)),
                Bar(labels["chart_negative_bar"], negative.count(True)),
                Bar(labels["chart_not_stated_bar"], negative.count(None)),
            ],
        ),
    ]


def country_map(index: SiteIndex, labels: dict[str, Any]) -> WorldMap:
    """The map of outcomes per country (generator/worldmap.py); values that are not
    countries ("Sahel") are listed beside it."""
    countries = sorted(index.countries, key=lambda listing: (-len(listing.fragments), listing.name.casefold()))
    return world_map([(listing_name(labels, listing), len(listing.fragments), listing.path) for listing in countries])
