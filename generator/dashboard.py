"""The dashboard's charts: counts of published outcomes, from the SiteIndex only.

Each chart is a list of bars (label, count, the listing page it links to) and the
geometry of a horizontal bar chart; templates/_chart.svg.j2 draws it as SVG and as
a table. Nothing here reads a fragment the gate held back, so a value or a count
that only confidential fragments carry never shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from generator.indexes import Listing, SiteIndex

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


def _summary(bars: list[Bar], what: str) -> str:
    if not bars:
        return f"No published outcome gives a {what}."
    top = max(bars, key=lambda bar: bar.count)  # first of the highest, in chart order
    one = "outcome" if top.count == 1 else "outcomes"
    return f"Horizontal bar chart of published outcomes per {what}, {len(bars)} bars. Highest: {top.label}, {top.count} {one}."


def chart(key: str, title: str, what: str, label_heading: str, bars: Iterable[Bar]) -> Chart:
    """Lay out the bars (kept in the given order; bars with no outcome are left out)."""
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
    return Chart(key, title, _summary(shown, what), label_heading, tuple(placed), height=height)


def _bars(listings: Iterable[Listing], label_prefix: str = "") -> list[Bar]:
    return [Bar(label_prefix + listing.name, len(listing.fragments), listing.path) for listing in listings]


def charts(index: SiteIndex) -> list[Chart]:
    """The dashboard's charts, in page order."""
    years = sorted(index.years, key=lambda listing: listing.key)  # oldest first; "unknown" sorts last
    countries = sorted(index.countries, key=lambda listing: (-len(listing.fragments), listing.name.casefold()))
    outputs = _bars(index.outputs, "Output ")
    outputs.append(Bar(index.not_linked.name, len(index.not_linked.fragments), index.not_linked.path))
    negative = [fragment.negative for fragment in index.fragments]
    return [
        chart("chart-years", "Outcomes per year", "year", "Year", _bars(years)),
        chart("chart-countries", "Outcomes per country", "country or region", "Country or region", _bars(countries)),
        chart("chart-change-types", "Outcomes per type of change", "type of change", "Type of change", _bars(index.change_types)),
        chart("chart-outputs", "Outcomes per Results Framework output", "Results Framework output", "Output", outputs),
        chart(
            "chart-negative",
            "Positive and negative outcomes",
            "kind of outcome",
            "Outcome",
            [
                Bar("Positive", negative.count(False)),
                Bar("Negative (a setback)", negative.count(True)),
                Bar("Not stated", negative.count(None)),
            ],
        ),
    ]
