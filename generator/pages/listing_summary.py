"""The summary at the top of a country's, an objective's and a Results Framework output's
page: which years its outcomes were seen in, and its types of change in a small bar chart
(the dashboard's, generator/pages/dashboard.py), before the list itself.

Made from the listing's outcomes only, which are public (the gate ran before)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from generator.fields import FieldTable, facet_values
from generator.pages.dashboard import Bar, Chart, by_count, chart
from generator.pages.indexes import Listing

SUMMARISED = ("country", "objective", "output")  # the kinds of listing with a summary
CHART_FIELD = "change_types"  # the field its chart counts


@dataclass(frozen=True)
class Summary:
    first_year: int | None  # None: no outcome of the listing gives a year
    last_year: int | None
    chart: Chart | None  # None: no outcome of the listing gives a type of change


def summary(listing: Listing, labels: dict[str, Any], table: FieldTable, language: str = "en") -> Summary | None:
    """The summary of a listing of a SUMMARISED kind, named in `language`; None for the others."""
    if listing.kind not in SUMMARISED:
        return None
    years = sorted({fragment.year for fragment in listing.fragments if fragment.year})
    entry = table[CHART_FIELD]
    names: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for fragment in listing.fragments:
        for slug, name in facet_values(entry, fragment.value(entry.key), language):
            names.setdefault(slug, name)
            counts[slug] += 1
    bars = by_count(Bar(names[slug], counts[slug]) for slug in names)
    made = chart(labels, "chart-change-types", "types-of-change", str(labels[entry.label]), bars) if bars else None
    return Summary(years[0] if years else None, years[-1] if years else None, made)
