"""The dashboard's charts: counts of published outcomes, from the SiteIndex only.

Each chart is a list of bars (label, count, the listing page it links to) and the
geometry of a horizontal bar chart; templates/_chart.svg.j2 draws it as SVG and as
a table. Bars of values (countries, types of change, outputs) come most outcomes first;
years, a time line, oldest first. The text comes from templates/labels.yml in the site's language (the labels
dict of the Renderer, passed in). Nothing here reads a fragment the gate held back, so a value or a count
that only confidential fragments carry never shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator import folders
from generator.fields import NEWEST_FIRST, Field, FieldTable
from generator.normalise.places import places
from generator.pages.indexes import UNKNOWN_YEAR, Listing, SiteIndex
from generator.pages.labels import count_word, listing_name
from generator.pages.worldmap import WorldMap, world_map

PAGE_PATH = folders.DASHBOARD

# Geometry of a chart. The SVG has no viewBox: it is as wide as the page (at most
# MAX_WIDTH px) and its text is drawn at FONT_SIZE px whatever the screen, so a label reads
# as well on a 390 px phone as on a desktop. Across, bars and counts are placed in percent
# of the width; down, in px: each bar has its label on a line above it, the whole row one
# link ROW_TARGET px tall.
MAX_WIDTH = 640
FONT_SIZE = 13
LABEL_LINE = 18  # the label's line, above its bar
BAR_HEIGHT = 16
BAR_GAP = 10  # between a bar and the next label
ROW_TARGET = LABEL_LINE + BAR_HEIGHT  # the tappable height of a row: 34 px
BAR_ROOM = 86.0  # percent of the width the longest bar takes; the rest holds its count
LABEL_LENGTH = 46  # longer labels are shortened at a word in the chart (the tooltip and table show them whole)


@dataclass(frozen=True)
class Bar:
    label: str  # full label: the table and the tooltip
    count: int
    path: str | None = None  # docs path of the listing page, if there is one
    short_label: str = ""
    y: int = 0  # top of the row (the label's line)
    label_y: int = 0  # the label's baseline
    bar_y: int = 0  # top of the bar
    middle: float = 0.0  # vertical centre of the bar, where its count stands
    width: float = 0.0  # percent
    count_x: float = 0.0  # percent: where its count starts (right of the bar)


@dataclass(frozen=True)
class Chart:
    key: str  # HTML id
    anchor: str  # id of the chart's heading: the same in every language, like the paths
    title: str
    description: str
    label_heading: str  # heading of the table's first column
    bars: tuple[Bar, ...]
    height: int = 0
    max_width: int = MAX_WIDTH
    font_size: int = FONT_SIZE
    bar_height: int = BAR_HEIGHT
    row_target: int = ROW_TARGET

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)


def shorten(label: str) -> str:
    """A label that fits a phone's width: whole, or cut after its last whole word that fits."""
    if len(label) <= LABEL_LENGTH:
        return label
    cut = label[: LABEL_LENGTH - 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return words.rstrip(" ,;:·-–—") + "…"


def by_count(bars: Iterable[Bar]) -> list[Bar]:
    """Most outcomes first; equal counts by name, as a reader looks them up."""
    return sorted(bars, key=lambda bar: (-bar.count, bar.label.casefold(), bar.label))


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
    placed: list[Bar] = []
    for position, bar in enumerate(shown):
        top = position * (ROW_TARGET + BAR_GAP)
        width = round(BAR_ROOM * bar.count / longest, 2)
        placed.append(
            Bar(
                label=bar.label,
                count=bar.count,
                path=bar.path,
                short_label=shorten(bar.label),
                y=top,
                label_y=top + LABEL_LINE - 5,
                bar_y=top + LABEL_LINE,
                middle=top + LABEL_LINE + BAR_HEIGHT / 2,
                width=width,
                count_x=round(width + 1.5, 2),
            )
        )
    height = max(0, len(placed) * (ROW_TARGET + BAR_GAP) - BAR_GAP)
    name = key.replace("-", "_")
    what = labels[f"{name}_what"]
    return Chart(key, anchor, labels[name], _summary(labels, shown, what), label_heading, tuple(placed), height=height)


def _bars(listings: Iterable[Listing], labels: dict[str, Any], label_prefix: str = "") -> list[Bar]:
    return [
        Bar(label_prefix + listing_name(labels, listing), len(listing.fragments), listing.path) for listing in listings
    ]


def _has_values(index: SiteIndex, entry: Field) -> bool:
    """Whether some published outcome gives the facet a value ("year not given" and "not
    linked to the Results Framework" are not values): a chart of none is not shown."""
    assert entry.facet is not None
    if entry.kind == "links":
        return bool(index.outputs)
    return any(listing.key != UNKNOWN_YEAR for listing in index.browse.get(entry.facet.name, []))


def _facet_bars(index: SiteIndex, entry: Field, labels: dict[str, Any]) -> list[Bar]:
    """A facet's bars: its listings, most outcomes first; years as a time line, oldest
    first ("not given" last); ratings in their own order; the Results
    Framework's outputs with those not linked to it."""
    assert entry.facet is not None
    if entry.kind == "links":
        bars = _bars(index.outputs, labels, labels[entry.facet.name] + " ")
        bars.append(Bar(labels["not_linked"], len(index.not_linked.fragments), index.not_linked.path))
        return by_count(bars)
    listings = index.browse.get(entry.facet.name, [])
    if entry.facet.sort == NEWEST_FIRST:
        return _bars(sorted(listings, key=lambda listing: listing.key), labels)
    if entry.kind == "rating":  # a scale (large to small, substantiated to not yet): in its order
        return _bars(listings, labels)
    return by_count(_bars(listings, labels))


def charts(index: SiteIndex, labels: dict[str, Any], table: FieldTable) -> list[Chart]:
    """The dashboard's charts, in page order, with the text of `labels` (Renderer.t): one per
    facet the field table charts that some published outcome gives a value."""
    return [
        chart(
            labels,
            f"chart-{entry.facet.plural.replace('_', '-')}",
            entry.facet.chart.anchor,
            labels[entry.facet.chart.heading],
            _facet_bars(index, entry, labels),
        )
        for entry in table.facets("chart")
        if entry.facet is not None and entry.facet.chart is not None and _has_values(index, entry)
    ]


def country_map(index: SiteIndex, labels: dict[str, Any]) -> WorldMap:
    """The map of outcomes per country (generator/pages/worldmap.py), matched by ISO code:
    each country listing is one country (generator/normalise/places.py). Values that are
    not countries ("Sahel", a value published as written) are listed beside it."""
    countries = sorted(
        index.browse.get("country", []), key=lambda listing: (-len(listing.fragments), listing.name.casefold())
    )
    known = places()
    return world_map(
        [(listing_name(labels, listing), len(listing.fragments), listing.path) for listing in countries],
        codes=[
            known.country_code(listing.fragments[0].country) if listing.fragments else None for listing in countries
        ],
    )
