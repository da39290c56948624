"""The filter of listing pages (templates/assets/facets.js): its form, its data, and the
list of every listed outcome it filters on paged listings.

The form is rendered with the page (templates/listing.md.j2), so it takes its place before
the first paint and nothing below it moves when the script starts. The values of a select
are the data-* slugs of the list items (item_facets); "" stands for "not given".

A listing longer than a page (generator/pages/paging.py) shows a hundred outcomes; its filter
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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator import folders
from generator.fields import Field, FieldTable, facet_values, labelled_values, value_order
from generator.model import Fragment
from generator.normalise.values import in_language, summary_sentence
from generator.pages.indexes import Listing, SiteIndex, fragment_path
from generator.pages.labels import count_word
from generator.pages.paging import PAGE_SIZE, ListingPage
from generator.site_config import Urls

FILTER_LIST_PATH = folders.FILTER_LIST
NOT_GIVEN = ""
FILTER_FROM = 6  # a listing of fewer outcomes shows no filter: they are all in sight


def has_filter(outcomes: int) -> bool:
    """Whether a listing of that many outcomes shows the filter (templates/listing.md.j2):
    links that choose the filter's values through the query (the cross-tabulations) need it."""
    return outcomes >= FILTER_FROM


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
    more: bool = False  # under "More filters": a facet whose section is no tab of the site (the analytic ones)


def filter_fields(table: FieldTable) -> tuple[tuple[str, Field], ...]:
    """(facet name, field) of the filter's selects, in the form's order (the field table's)."""
    return tuple((entry.facet.name, entry) for entry in table.facets("filter") if entry.facet is not None)


def item_facets(fragment: Fragment, table: FieldTable) -> dict[str, str]:
    """The data-* attributes of a fragment's list item, which the filter reads: the values
    of the form's selects, by facet. Several values (types of change) are joined by spaces."""
    return {
        name: " ".join(slug for slug, _ in facet_values(entry, fragment.value(entry.key)))
        for name, entry in filter_fields(table)
    }


def item_meta(fragment: Fragment, labels: dict[str, Any], language: str = "en") -> str:
    """The line under a fragment's title in lists: year · harvest · country · objective · types
    of change; a country in the site's language."""
    parts = [
        str(fragment.year) if fragment.year else str(labels["year_not_given"]),
        fragment.harvest_period or "",
        str(in_language(fragment.country, language) or ""),
        fragment.objective.code if fragment.objective else "",
        ", ".join(map(str, in_language(fragment.change_types, language))),
    ]
    return " · ".join(part for part in parts if part)


# --- the form ---------------------------------------------------------------------------


def value_names(entry: Field, fragment: Fragment, labels: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """(value, visible name) of each value a fragment gives a filter, "not given" included."""
    values = labelled_values(entry, fragment.value(entry.key), labels, language)  # a rating's label: "Large", "Grande"
    if values:
        return values
    return [(NOT_GIVEN, str(labels["year_not_given" if entry.kind == "year" else "filter_not_given"]))]


# (value, visible name) of each value a fragment gives each filter, by facet (fragment_value_names)
FragmentValueNames = dict[str, list[tuple[str, str]]]


def fragment_value_names(
    fragment: Fragment, table: FieldTable, labels: dict[str, Any], language: str
) -> FragmentValueNames:
    """value_names() of a fragment for every filter of the form, by facet: a fragment is on
    many listings, each of which counts its values (the Renderer works this out once per fragment)."""
    return {name: value_names(entry, fragment, labels, language) for name, entry in filter_fields(table)}


def facet_options(
    labels: dict[str, Any],
    fragments: list[Fragment],
    table: FieldTable,
    language: str = "en",
    names_of: Callable[[Fragment], FragmentValueNames] | None = None,
) -> dict[str, tuple[FacetOption, ...]]:
    """Per facet, its values among `fragments` in display order, each with its name (in
    `language`, the site's, for a value a vocabulary knows; else the first spelling seen)
    and how many of the fragments have it. names_of: fragment_value_names of a fragment
    (by default worked out here)."""
    if names_of is None:
        names_of = functools.partial(fragment_value_names, table=table, labels=labels, language=language)
    per_fragment = [names_of(fragment) for fragment in fragments]
    return {name: ordered_options(entry, per_fragment) for name, entry in filter_fields(table)}


def ordered_options(entry: Field, per_fragment: list[FragmentValueNames]) -> tuple[FacetOption, ...]:
    """One facet's options among fragments whose value names are `per_fragment` (in the
    listing's order): each value once, with its first name seen and its count, in the
    facet's order (values of equal rank in the order first seen)."""
    assert entry.facet is not None
    name = entry.facet.name
    # Counted in C (All outcomes counts every outcome's values again after each preview edit).
    pairs = [pair for fragment_names in per_fragment for pair in fragment_names[name]]
    counts = Counter(value for value, _ in pairs)  # in the order values are first seen
    names = dict(reversed(pairs))  # each value's first name seen
    order = value_order(entry)
    return tuple(
        FacetOption(value, names[value], counts[value])
        for value in sorted(counts, key=lambda value: order(value, names[value]))
    )


def filter_form(
    labels: dict[str, Any],
    fragments: list[Fragment],
    table: FieldTable,
    language: str = "en",
    names_of: Callable[[Fragment], FragmentValueNames] | None = None,
) -> tuple[Facet, ...]:
    """The selects of a listing's filter, for the whole listing (every page of it)."""
    return form_of(labels, table, facet_options(labels, fragments, table, language, names_of))


def form_of(
    labels: dict[str, Any], table: FieldTable, options: dict[str, tuple[FacetOption, ...]]
) -> tuple[Facet, ...]:
    """The selects of a listing's filter from its facets' options (facet_options). A facet
    with one value offers nothing to choose and is left out. The facets whose section is a
    tab of the site (country, objective, type of change, year) come first; the others wait
    under "More filters", so that a phone's first screen is not a wall of selects."""
    facets = {name: entry.facet for name, entry in filter_fields(table) if entry.facet is not None}
    return tuple(
        Facet(
            name,
            str(labels[facets[name].label_key]),
            str(labels[f"filter_all_{name}"]),
            facet_options,
            more=not facets[name].tab,
        )
        for name, facet_options in options.items()
        if len(facet_options) > 1
    )


def shown_text(labels: dict[str, Any], shown: int, total: int, number: Callable[[object], str] = str) -> str:
    """The filter's status line, "100 of 3,739 outcomes shown", its counts written by `number`
    (the language's number filter: "3 739" in French); facets.js writes the same."""
    word = count_word(labels, shown, "filter_shown_one", "filter_shown_many")
    return str(labels[word]).replace("{n}", number(shown)).replace("{m}", number(total))


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


def filter_list_item(fragment: Fragment, urls: Urls, meta: str, facets: dict[str, str]) -> list[str]:
    """One outcome in FILTER_LIST_PATH: address, title, meta line (item_meta), the
    significance's first sentence ("" for none), then its filters' values (item_facets): what
    templates/_list_item.md.j2 shows. The Renderer gives the meta line and values its list
    entries have (each worked out once per fragment)."""
    return [
        urls.url(fragment_path(fragment)),
        fragment.title,
        meta,
        summary_sentence(fragment.value("significance")),
        *facets.values(),
    ]


def filter_list(index: SiteIndex, item: Callable[[Fragment], list[str]], table: FieldTable) -> str:
    """The JSON of FILTER_LIST_PATH: "facets" names the columns after address, title, meta
    line and significance in each of "items" (every published outcome, newest first, as item() makes
    them: filter_list_item); "lists" gives, per listing longer than a page, the positions
    in "items" of its outcomes."""
    position = {fragment.fragment_id: number for number, fragment in enumerate(index.fragments)}
    items = [item(fragment) for fragment in index.fragments]
    lists = {
        key: [position[fragment.fragment_id] for fragment in listing.fragments]
        for listing in index.all_listings()
        if len(listing.fragments) > PAGE_SIZE and (key := list_key(listing)) is not None
    }
    facets = [name for name, _ in filter_fields(table)]
    return script_safe_json({"facets": facets, "items": items, "lists": lists})
