"""The cross-tabulations page: tables of published outcomes counted by two fields at once
(who changed × what kind of change, objective × country, when × what kind of change), and
a timeline of outcomes by year and by harvest period. Built at build time: the page needs
no script to read.

Which pairs of fields are tabulated is data (PAIRS, by field key). A field's values, their
names, slugs and order are the filters' own (pages/filters.py value_names, fields.py
value_order), so a count links to the All outcomes listing filtered to exactly the outcomes
it counts: the listing's filter (templates/assets/facets.js) reads its selects' values from
the query, by facet name. A count links only where both fields are filters of that listing
(the field table's facets("filter")) and the listing shows its filter at all.

Everything here reads the public fragments of the SiteIndex (the gate ran before): a value
or a count that only held-back outcomes carry never shows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from generator import folders
from generator.fields import Field, FieldTable, value_order
from generator.model import Fragment
from generator.pages.dashboard import Bar, Chart, chart
from generator.pages.filters import NOT_GIVEN, FragmentValueNames, has_filter, value_names
from generator.pages.indexes import UNKNOWN_YEAR, SiteIndex

PAGE_PATH = folders.CROSSTABS


@dataclass(frozen=True)
class Pair:
    """One table: its rows are the values of the first field of `rows` that any published
    outcome gives (a year, else a harvest period), its columns those of `columns`. Its
    title is the label crosstab_<rows field>_<columns field>."""

    rows: tuple[str, ...]
    columns: str


PAIRS: tuple[Pair, ...] = (
    Pair(("social_actor",), "change_types"),
    Pair(("objective",), "country"),
    Pair(("year", "harvest_period"), "change_types"),
)

# The timeline's charts, in page order: one per field that any published outcome gives.
TIMELINE: tuple[str, ...] = ("year", "harvest_period")


@dataclass(frozen=True)
class Cell:
    count: int
    query: str | None = None  # the All outcomes listing's query that shows these outcomes; None: no link


@dataclass(frozen=True)
class Line:
    """A row of a table (its name, a cell per column, its total), or a column (its name and total)."""

    name: str
    total: Cell
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Crosstab:
    anchor: str  # the id of its heading: field keys, the same in every language
    title: str
    row_heading: str  # the rows' field, e.g. "Social actor"
    column_heading: str  # the columns' field, e.g. "Type of change"
    columns: tuple[Line, ...]
    rows: tuple[Line, ...]
    total: Cell
    several: bool  # some outcome counts in several columns or rows: the totals count it once


# A field's (value, visible name) pairs for a fragment: filters.value_names, in the site's language.
Names = Callable[[Field, Fragment], list[tuple[str, str]]]


def names_in(labels: dict[str, Any], language: str, names_of: Callable[[Fragment], FragmentValueNames] | None) -> Names:
    """filters.value_names in `language`; a filter's through names_of (the Renderer's, which
    works each fragment's out once for every listing's filter) where it is given."""

    def names(entry: Field, fragment: Fragment) -> list[tuple[str, str]]:
        if names_of is not None and entry.facet is not None:
            found = names_of(fragment).get(entry.facet.name)
            if found is not None:
                return found
        return value_names(entry, fragment, labels, language)

    return names


def _has_values(entry: Field, fragments: list[Fragment], names: Names) -> bool:
    return any(slug != NOT_GIVEN for fragment in fragments for slug, _ in names(entry, fragment))


def _filter_name(entry: Field, table: FieldTable, linked: bool) -> str | None:
    """The query parameter of the field's select in the listing's filter; None if it has none."""
    if not linked or entry.facet is None or entry not in table.facets("filter"):
        return None
    return entry.facet.name


def _query(parts: dict[str | None, str]) -> str | None:
    """The query of the filter choices `parts` (select → value); None when a part has no select."""
    chosen = {name: value for name, value in parts.items() if name is not None}
    return urlencode(chosen) if len(chosen) == len(parts) else None


def crosstab(
    pair: Pair,
    fragments: list[Fragment],
    labels: dict[str, Any],
    table: FieldTable,
    linked: bool,
    language: str,
    names_of: Callable[[Fragment], FragmentValueNames] | None = None,
) -> Crosstab | None:
    """The table of `pair` over `fragments`, "not given" as the last row and column; None
    when one of its fields has no value in any of them. linked: whether the All outcomes
    listing shows its filter (its counts can link to it). names_of: as names_in's."""
    names = names_in(labels, language, names_of)
    row_entry = next((table[key] for key in pair.rows if _has_values(table[key], fragments, names)), None)
    column_entry = table[pair.columns]
    if row_entry is None or not _has_values(column_entry, fragments, names):
        return None
    row_param = _filter_name(row_entry, table, linked)
    column_param = _filter_name(column_entry, table, linked)
    row_names: dict[str, str] = {}
    column_names: dict[str, str] = {}
    cells: Counter[tuple[str, str]] = Counter()
    row_totals: Counter[str] = Counter()
    column_totals: Counter[str] = Counter()
    several = False
    for fragment in fragments:
        rows, columns = (
            names(row_entry, fragment),
            names(column_entry, fragment),
        )
        several = several or len(rows) > 1 or len(columns) > 1
        for row, name in rows:
            row_names.setdefault(row, name)
            row_totals[row] += 1
            for column, _ in columns:
                cells[row, column] += 1
        for column, name in columns:
            column_names.setdefault(column, name)
            column_totals[column] += 1
    row_key, column_key = value_order(row_entry), value_order(column_entry)
    row_order = sorted(row_names, key=lambda slug: row_key(slug, row_names[slug]))
    column_order = sorted(column_names, key=lambda slug: column_key(slug, column_names[slug]))

    def cell(count: int, parts: dict[str | None, str]) -> Cell:
        return Cell(count, _query(parts) if count else None)

    return Crosstab(
        anchor=f"{row_entry.key}-by-{column_entry.key}".replace("_", "-"),
        title=str(labels[f"crosstab_{row_entry.key}_{column_entry.key}"]),
        row_heading=str(labels[row_entry.label]),
        column_heading=str(labels[column_entry.label]),
        columns=tuple(
            Line(column_names[column], cell(column_totals[column], {column_param: column})) for column in column_order
        ),
        rows=tuple(
            Line(
                row_names[row],
                cell(row_totals[row], {row_param: row}),
                tuple(cell(cells[row, column], {row_param: row, column_param: column}) for column in column_order),
            )
            for row in row_order
        ),
        total=Cell(len(fragments), "" if linked else None),
        several=several,
    )


def crosstabs(
    index: SiteIndex,
    labels: dict[str, Any],
    table: FieldTable,
    language: str = "en",
    names_of: Callable[[Fragment], FragmentValueNames] | None = None,
) -> list[Crosstab]:
    """The page's tables, in PAIRS order, leaving out those with a field no outcome gives.
    names_of: as names_in's."""
    linked = has_filter(len(index.fragments))
    made = (crosstab(pair, index.fragments, labels, table, linked, language, names_of) for pair in PAIRS)
    return [one for one in made if one is not None]


def _in_time_order(entry: Field) -> Callable[[str], tuple[Any, ...]]:
    """Oldest first, "not given" last: years by number, harvest periods by the numbers in
    their name ("harvest 2" before "harvest 10"), then by name."""

    def order(slug: str) -> tuple[Any, ...]:
        numbers = tuple(int(part) for part in re.findall(r"\d+", slug))
        return (slug == NOT_GIVEN, numbers, slug)

    return order


def timeline(
    index: SiteIndex,
    labels: dict[str, Any],
    table: FieldTable,
    language: str = "en",
    names_of: Callable[[Fragment], FragmentValueNames] | None = None,
) -> list[Chart]:
    """Outcomes per year and per harvest period, oldest first, as the dashboard's bar charts
    (with their tables); a bar links to its value's page where the value has one. A field
    that no published outcome gives has no chart. names_of: as names_in's."""
    charts = []
    names_of_field = names_in(labels, language, names_of)
    for key in TIMELINE:
        entry = table[key]
        if not _has_values(entry, index.fragments, names_of_field):
            continue
        names: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for fragment in index.fragments:
            for slug, name in names_of_field(entry, fragment):
                names.setdefault(slug, name)
                counts[slug] += 1
        pages = {}
        if entry.facet is not None:
            pages = {listing.key: listing.path for listing in index.browse.get(entry.facet.name, [])}
            pages[NOT_GIVEN] = pages.pop(UNKNOWN_YEAR, "")  # the page of the outcomes that give no year
        bars = [
            Bar(names[slug], counts[slug], pages.get(slug) or None) for slug in sorted(names, key=_in_time_order(entry))
        ]
        name = f"timeline-{key}".replace("_", "-")
        charts.append(chart(labels, f"chart-{name}", name, str(labels[entry.label]), bars))
    return charts
