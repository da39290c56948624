"""The data of a listing page's filter (templates/assets/facets.js): values and their names."""

from __future__ import annotations

from typing import Any

from generator.model import Fragment
from generator.vocabulary import CHANGE_TYPES, RATINGS_SIGNIFICANCE, slugify


def facet_data(labels: dict[str, Any], fragments: list[Fragment]) -> dict[str, Any]:
    """What templates/assets/facets.js needs to build the filter of a list: the interface
    text and, per facet, the (value, visible name) pairs of the listed fragments, in display
    order. Values are the data-* slugs of the list items; "" stands for "not given"."""
    countries: dict[str, str] = {}
    objectives: dict[str, str] = {}
    changes: dict[str, str] = {}
    years: set[int | None] = set()
    significance: set[str] = set()
    for f in fragments:
        countries.setdefault(slugify(f.country) if f.country else "", f.country or labels["filter_not_given"])
        objectives.setdefault(
            slugify(f.objective.code) if f.objective else "",
            f.objective.name if f.objective else labels["filter_not_given"],
        )
        for change in f.change_types or ("",):
            changes.setdefault(slugify(change) if change else "", change or labels["filter_not_given"])
        years.add(f.year)
        significance.add(f.rating_significance or "")
    change_order = {slugify(name): position for position, name in enumerate(CHANGE_TYPES)}
    rating_order = {name: position for position, name in enumerate(RATINGS_SIGNIFICANCE)}

    def last(key: str) -> tuple[bool]:
        return (key == "",)  # "not given" goes last

    values = {
        "country": sorted(countries.items(), key=lambda kv: (*last(kv[0]), kv[0])),
        "objective": sorted(objectives.items(), key=lambda kv: (*last(kv[0]), kv[0])),
        "change_type": sorted(changes.items(), key=lambda kv: (*last(kv[0]), change_order.get(kv[0], 99), kv[0])),
        "year": [(str(y), str(y)) for y in sorted((y for y in years if y), reverse=True)]
        + ([("", labels["year_not_given"])] if None in years else []),
        "significance": [
            (s, labels.get(f"significance_{s}", s.capitalize()) if s else labels["filter_not_given"])
            for s in sorted(significance, key=lambda s: (s == "", -rating_order.get(s, -1), s))
        ],
    }
    text = {
        "form": labels["filter_form"],
        "country": labels["country"],
        "objective": labels["objective"],
        "change_type": labels["change_type"],
        "year": labels["year"],
        "significance": labels["filter_significance"],
        "reset": labels["filter_reset"],
        "one": labels["filter_shown_one"],
        "many": labels["filter_shown_many"],
        "zero_one": bool(labels.get("zero_is_singular")),
        **{f"all_{facet}": labels[f"filter_all_{facet}"] for facet in values},
    }
    return {"labels": text, "values": {facet: [list(pair) for pair in pairs] for facet, pairs in values.items()}}


def item_facets(fragment: Fragment) -> dict[str, str]:
    """The data-* attributes of a fragment's list item, which the filter of listing pages
    (templates/assets/facets.js) reads: the same slugs as facet_data's values, by facet."""
    return {
        "year": str(fragment.year or ""),
        "country": slugify(fragment.country) if fragment.country else "",
        "objective": slugify(fragment.objective.code) if fragment.objective else "",
        "change_type": " ".join(slugify(change) for change in fragment.change_types),
        "significance": fragment.rating_significance or "",
    }


def item_meta(fragment: Fragment, labels: dict[str, Any]) -> str:
    """The line under a fragment's title in lists: year · harvest · country · objective · types of change."""
    parts = [
        str(fragment.year) if fragment.year else str(labels["year_not_given"]),
        fragment.harvest_period or "",
        fragment.country or "",
        fragment.objective.code if fragment.objective else "",
        ", ".join(fragment.change_types),
    ]
    return " · ".join(part for part in parts if part)
