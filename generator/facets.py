"""The filter of listing pages (templates/assets/facets.js): its form, its data, and the
list of every listed outcome it filters on paged listings.

The form is rendered with the page (templates/listing.md.j2), so it takes its place before
the first paint and nothing below it moves when the script starts. The values of a select
are the data-* slugs of the list items (item_facets); "" stands for "not given".

A listing longer than a page (generator/paging.py) shows a hundred outcomes; its filter
must still cover all of them, so facets.js fetches FILTER_LIST_PATH when the reader first
uses it: one JSON file, the same for every listing, of every published outcome (address,
title, meta line, facet slugs) and, per paged listing, which of them it lists. It is built
from the public fragments only (the gate ran before), like every page, and the leak guard
reads it with every other file of the site.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from generator.indexes import Listing, SiteIndex, fragment_path
from generator.labels import count_word
from generator.model import Fragment
from generator.paging import PAGE_SIZE, ListingPage
from generator.site_config import Urls
from generator.vocabulary import CHANGE_TYPES, RATINGS_SIGNIFICANCE, slugify

FACETS = ("country", "objective", "change_type", "year", "significance")  # the form's order
FILTER_LIST_PATH = "fragments/filter-list.json"
NOT_GIVEN = ""
# Each facet's label in templates/labels.yml, and that of its "all" choice.
FACET_LABELS = {facet: "filter_significance" if facet == "significance" else facet for facet in FACETS}
_CHANGE_ORDER = {slugify(name): position for position, name in enumerate(CHANGE_TYPES)}
_RATING_ORDER = {name: position for position, name in enumerate(RATINGS_SIGNIFICANCE)}


@dataclass(frozen=True)
class FacetOption:
    value: str  # the slug the list items carry
    name: str  # what the reader sees
    count: int  # outcomes of the whole listing with this value


@dataclass(frozen=True)
class Facet:
    name: str  # the select's name, and the query parameter of a shared link
    label: str
    all_label: str
    options: tuple[FacetOption, ...]


def item_facets(fragment: Fragment) -> dict[str, str]:
    """The data-* attributes of a fragment's list item, which the filter reads: the values
    of the form's selects, by facet. A fragment's types of change are joined by spaces."""
    return {
        "year": str(fragment.year or ""),
        "country": slugify(fragment.country) if fragment.country else NOT_GIVEN,
        "objective": slugify(fragment.objective.code) if fragment.objective else NOT_GIVEN,
        "change_type": " ".join(slugify(change) for change in fragment.change_types),
        "significance": fragment.rating_significance or NOT_GIVEN,
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


# --- the form ---------------------------------------------------------------------------


def _value_names(fragment: Fragment, labels: dict[str, Any]) -> Iterable[tuple[str, str, str]]:
    """(facet, value, visible name) of each value a fragment has, "not given" included."""
    not_given = str(labels["filter_not_given"])
    yield "country", *((slugify(fragment.country), fragment.country) if fragment.country else (NOT_GIVEN, not_given))
    objective = fragment.objective
    yield "objective", *((slugify(objective.code), objective.name) if objective else (NOT_GIVEN, not_given))
    for change in fragment.change_types or (None,):
        yield "change_type", *((slugify(change), change) if change else (NOT_GIVEN, not_given))
    yield (
        "year",
        *((str(fragment.year), str(fragment.year)) if fragment.year else (NOT_GIVEN, labels["year_not_given"])),
    )
    rating = fragment.rating_significance
    rating_name = labels.get(f"significance_{rating}", str(rating).capitalize()) if rating else not_given
    yield "significance", rating or NOT_GIVEN, rating_name


def _display_order(facet: str, value: str) -> tuple[Any, ...]:
    """Sort key of a facet's values: "not given" last; years newest first; types of change
    in the vocabulary's order; significance largest first; the rest by slug."""
    if facet == "year":
        return (value == NOT_GIVEN, -int(value) if value else 0)
    if facet == "change_type":
        return (value == NOT_GIVEN, _CHANGE_ORDER.get(value, 99), value)
    if facet == "significance":
        return (value == NOT_GIVEN, -_RATING_ORDER.get(value, -1), value)
    return (value == NOT_GIVEN, value)


def facet_options(labels: dict[str, Any], fragments: list[Fragment]) -> dict[str, tuple[FacetOption, ...]]:
    """Per facet, its values among `fragments` in display order, each with its name (the
    first spelling seen) and how many of the fragments have it."""
    names: dict[str, dict[str, str]] = {facet: {} for facet in FACETS}
    counts: dict[str, Counter[str]] = {facet: Counter() for facet in FACETS}
    for fragment in fragments:
        for facet, value, name in _value_names(fragment, labels):
            names[facet].setdefault(value, str(name))
            counts[facet][value] += 1
    return {
        facet: tuple(
            FacetOption(value, names[facet][value], counts[facet][value])
            for value in sorted(names[facet], key=functools.partial(_display_order, facet))
        )
        for facet in FACETS
    }


def filter_form(labels: dict[str, Any], fragments: list[Fragment]) -> tuple[Facet, ...]:
    """The selects of a listing's filter, for the whole listing (every page of it). A facet
    with one value offers nothing to choose and is left out."""
    return tuple(
        Facet(facet, str(labels[FACET_LABELS[facet]]), str(labels[f"filter_all_{facet}"]), options)
        for facet, options in facet_options(labels, fragments).items()
        if len(options) > 1
    )


def shown_text(labels: dict[str, Any], shown: int, total: int) -> str:
    """The filter's status line, "100 of 3739 outcomes shown" (facets.js writes the same)."""
    word = count_word(labels, shown, "filter_shown_one", "filter_shown_many")
    return str(labels[word]).replace("{n}", str(shown)).replace("{m}", str(total))


def facet_data(labels: dict[str, Any], page: ListingPage, list_href: str, root: str) -> dict[str, Any]:
    """What facets.js needs besides the form, as the JSON of <script class="okb-facet-data">:
    the text it writes, and on a paged listing where to fetch the whole list (list_href,
    relative to the page), which list of it this listing is, and the page's way up to the
    site root (the list's addresses are relative to the root)."""
    text = {
        "one": labels["filter_shown_one"],
        "many": labels["filter_shown_many"],
        "zero_one": bool(labels.get("zero_is_singular")),
        "loading": labels["filter_loading"],
        "failed": labels["filter_failed"],
        "more": labels["filter_show_more"],
    }
    data: dict[str, Any] = {"labels": text, "total": len(page.listing.fragments)}
    if page.paged:
        data.update(source=list_href, list=list_key(page.listing), root=root, page_size=len(page.fragments))
    return data


# --- the list of every outcome, for paged listings --------------------------------------


def list_key(listing: Listing) -> str | None:
    """A paged listing's name in the filter list: its docs path without .md; None for All
    outcomes, which lists every item."""
    return None if listing.kind == "all" else listing.path.removesuffix(".md")


def script_safe_json(data: Any) -> str:
    """Compact JSON with <, >, & and ' as \\u escapes: harmless inside HTML too, and no
    markup for a reader of the file to mistake for the page's own."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def filter_list_item(fragment: Fragment, urls: Urls, labels: dict[str, Any]) -> list[str]:
    """One outcome in FILTER_LIST_PATH: address, title, meta line, then its FACETS' values."""
    facets = item_facets(fragment)
    return [urls.url(fragment_path(fragment)), fragment.title, item_meta(fragment, labels)] + [
        facets[facet] for facet in FACETS
    ]


def filter_list(index: SiteIndex, item: Callable[[Fragment], list[str]]) -> str:
    """The JSON of FILTER_LIST_PATH: "facets" names the columns after address, title and
    meta line in each of "items" (every published outcome, newest first, as item() makes
    them: filter_list_item); "lists" gives, per listing longer than a page, the positions
    in "items" of its outcomes."""
    position = {fragment.fragment_id: number for number, fragment in enumerate(index.fragments)}
    items = [item(fragment) for fragment in index.fragments]
    lists = {
        key: [position[fragment.fragment_id] for fragment in listing.fragments]
        for listing in index.all_listings()
        if len(listing.fragments) > PAGE_SIZE and (key := list_key(listing)) is not None
    }
    return script_safe_json({"facets": list(FACETS), "items": items, "lists": lists})
