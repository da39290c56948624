"""Group public fragments into the listings the site shows. Deterministic: everything sorted.

Every grouping here is built from public fragments only (the gate ran before), so a
value that only confidential fragments carry never becomes a page, a count or a link.
Everything is one pass over the fragments: no step grows with N².
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from generator import folders
from generator.fields import DEFAULT_TABLE, KINDS, LINKS, Field, FieldTable, facet_values, label_key, value_order
from generator.model import Fragment, FrameworkLabels

RELATED_COUNT = 5


@dataclass
class Listing:
    """A page that lists fragments sharing one value (a country, an output, a year…).

    The generator names two listings itself ("Not linked to the Results Framework", "Year
    not given"): their name_label is the key of their name in templates/labels.yml, in the
    site's language (generator/pages/labels.py listing_name), and their name is empty."""

    kind: str
    key: str
    name: str
    path: str
    fragments: list[Fragment] = field(default_factory=list)
    description: str = ""
    name_label: str = ""


@dataclass
class Outcome:
    """A Results Framework outcome, its outputs, and the fragments linked to it."""

    listing: Listing
    outputs: list[Listing] = field(default_factory=list)


def code_sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def fragment_path(fragment: Fragment) -> str:
    return folders.fragment_page(fragment.slug)


@dataclass
class SiteIndex:
    fragments: list[Fragment]
    outcomes: list[Outcome]
    not_linked: Listing
    # Facet name → its browse pages' listings in the facet's order (the field table's facets
    # with a folder: country, objective, type of change, year…).
    browse: dict[str, list[Listing]]
    listings_of: dict[str, list[Listing]]  # fragment ID → the listings it appears in
    output_listing: dict[str, Listing]
    related: dict[str, list[Fragment]]
    # Fragment ID → the published outcomes it builds on (as its links field lists them) and
    # those that list it ("Led to", newest first). Empty lists are left out.
    builds_on: dict[str, list[Fragment]] = field(default_factory=dict)
    led_to: dict[str, list[Fragment]] = field(default_factory=dict)

    @property
    def outputs(self) -> list[Listing]:
        return [output for outcome in self.outcomes for output in outcome.outputs]

    def all_listings(self) -> Iterable[Listing]:
        for outcome in self.outcomes:
            yield outcome.listing
            yield from outcome.outputs
        yield self.not_linked
        for listings in self.browse.values():
            yield from listings


def _group(
    keyed: Iterable[tuple[Fragment, Iterable[tuple[str, str]]]],
    kind: str,
    folder: str,
    name_label: Callable[[str], str] = lambda slug: "",
) -> dict[str, Listing]:
    """Group fragments by their (slug, display name) pairs; the first spelling seen names the
    page (or the label name_label gives a slug, in the site's language)."""
    groups: dict[str, Listing] = {}
    for fragment, keys in keyed:
        for slug, name in keys:
            listing = groups.get(slug)
            if listing is None:
                listing = groups[slug] = Listing(kind, slug, name, f"{folder}/{slug}.md", name_label=name_label(slug))
            listing.fragments.append(fragment)
    return groups


UNKNOWN_YEAR = "unknown"  # the key (and page) of the outcomes that give no year
NOT_LINKED_PATH = folders.NOT_LINKED


# A fragment's (slug, visible name) pairs in each browse facet, by facet name (facet_keys).
FacetKeys = dict[str, list[tuple[str, str]]]


def facet_keys(fragment: Fragment, table: FieldTable, language: str) -> FacetKeys:
    """The listings of each browse facet a fragment is on: fields.facet_values of its values."""
    return {
        entry.facet.name: facet_values(entry, fragment.value(entry.key), language)
        for entry in table.facets("browse")
        if entry.facet is not None
    }


def _framework_keys(prefix: str, codes: Iterable[str]) -> list[tuple[str, str]]:
    return [(prefix + code.replace(".", "-"), code) for code in codes]


def _name_label(entry: Field) -> Callable[[str], str]:
    """The label key that names a value's listing, for a kind labels name ("significance_large":
    "Large", fields.labelled_values); "" (the value as written) for the others."""
    if KINDS[entry.kind].labelled:
        return lambda slug: label_key(entry, slug)
    return lambda slug: ""


def _group_by_value(
    ordered: list[Fragment], table: FieldTable, keys_of: Callable[[Fragment], FacetKeys]
) -> dict[str, dict[str, Listing]]:
    """Every grouping of the site, by kind: slug → listing, in the fragments' order. The
    browse facets of the field table (named in the site's language: keys_of), and the
    Results Framework's outputs and outcomes."""
    groups: dict[str, dict[str, Listing]] = {}
    keys = [keys_of(fragment) for fragment in ordered]
    for entry in table.facets("browse"):
        assert entry.facet is not None
        name = entry.facet.name
        keyed = [(fragment, fragment_keys[name]) for fragment, fragment_keys in zip(ordered, keys)]
        groups[name] = _group(keyed, name, entry.facet.folder, _name_label(entry))
    if "year" in groups:  # the outcomes that give no year have a page of their own
        no_year = [fragment for fragment in ordered if not fragment.year]
        if no_year:
            groups["year"][UNKNOWN_YEAR] = Listing(
                "year", UNKNOWN_YEAR, "", f"{folders.YEARS}/{UNKNOWN_YEAR}.md", no_year, name_label="year_not_given"
            )
    groups["output"] = _group(
        ((f, _framework_keys("output-", f.output_codes)) for f in ordered), "output", folders.RESULTS_FRAMEWORK
    )
    groups["outcome"] = _group(
        ((f, _framework_keys("outcome-", f.outcome_codes)) for f in ordered), "outcome", folders.RESULTS_FRAMEWORK
    )
    return groups


def _browse(groups: dict[str, dict[str, Listing]], table: FieldTable) -> dict[str, list[Listing]]:
    """Each browse facet's listings in its order ("not given" last)."""
    browse: dict[str, list[Listing]] = {}
    for entry in table.facets("browse"):
        assert entry.facet is not None
        order = value_order(entry)
        browse[entry.facet.name] = sorted(
            groups[entry.facet.name].values(),
            key=lambda listing: order("" if listing.key == UNKNOWN_YEAR else listing.key, listing.name),
        )
    return browse


def _framework_tree(
    outcome_listings: dict[str, Listing], outputs: dict[str, Listing], labels: FrameworkLabels
) -> list[Outcome]:
    """The Results Framework's outcomes in code order, each with its outputs and labels."""
    outcomes: dict[str, Outcome] = {}
    for listing in outcome_listings.values():
        listing.description = labels.outcomes.get(listing.name, "")
        outcomes[listing.name] = Outcome(listing)
    for listing in outputs.values():
        listing.description = labels.outputs.get(listing.name, "")
        parent = ".".join(listing.name.split(".")[:2])
        outcomes[parent].outputs.append(listing)
    for outcome in outcomes.values():
        outcome.outputs.sort(key=lambda o: code_sort_key(o.name))
    return sorted(outcomes.values(), key=lambda o: code_sort_key(o.listing.name))


def _listings_of(groups: Iterable[Listing]) -> dict[str, list[Listing]]:
    """Fragment ID → the listings it appears in, in the order of `groups`."""
    listings_of: dict[str, list[Listing]] = defaultdict(list)
    for listing in groups:
        for fragment in listing.fragments:
            listings_of[fragment.fragment_id].append(listing)
    return dict(listings_of)


def build_index(
    fragments: list[Fragment],
    labels: FrameworkLabels | None = None,
    table: FieldTable = DEFAULT_TABLE,
    language: str = "en",
    keys_of: Callable[[Fragment], FacetKeys] | None = None,
) -> SiteIndex:
    """The site's listings; values a vocabulary knows (a country) are named in `language`,
    the site's (theme.language). keys_of: facet_keys of a fragment in `language` (a
    preview's Renderer keeps each unchanged fragment's from one generation to the next)."""
    ordered = sorted(fragments, key=lambda f: f.newest_first_key)  # groups inherit this order
    if keys_of is None:
        keys_of = functools.partial(facet_keys, table=table, language=language)
    groups = _group_by_value(ordered, table, keys_of)
    not_linked = Listing(
        "not_linked",
        "not-linked",
        "",
        NOT_LINKED_PATH,
        [f for f in ordered if not f.outcome_codes],
        name_label="not_linked",
    )
    kinds = ("outcome", "output", *(name for name in groups if name not in ("outcome", "output")))
    grouped = [listing for kind in kinds for listing in groups[kind].values()]
    output_listing = {listing.name: listing for listing in groups["output"].values()}
    builds_on, led_to = _links(ordered, table)
    return SiteIndex(
        fragments=ordered,
        outcomes=_framework_tree(groups["outcome"], groups["output"], labels or FrameworkLabels()),
        not_linked=not_linked,
        browse=_browse(groups, table),
        listings_of=_listings_of([*grouped, not_linked]),
        output_listing=output_listing,
        related={
            f.fragment_id: _related(
                f,
                output_listing,
                groups.get("country", {}),
                [*builds_on.get(f.fragment_id, ()), *led_to.get(f.fragment_id, ())],
                table,
            )
            for f in ordered
        },
        builds_on=builds_on,
        led_to=led_to,
    )


def _links(ordered: list[Fragment], table: FieldTable) -> tuple[dict[str, list[Fragment]], dict[str, list[Fragment]]]:
    """Both directions of the links between outcomes: builds_on and led_to (SiteIndex). The
    links fields hold published IDs only (generator/normalise/related.py); an ID that is not
    among these fragments is passed over all the same."""
    by_id = {fragment.fragment_id: fragment for fragment in ordered}
    builds_on: dict[str, list[Fragment]] = {}
    led_to: dict[str, list[Fragment]] = defaultdict(list)
    links = table.where(LINKS)  # a pass over the table's fields: once, not once per outcome
    for fragment in ordered:
        for entry in links:
            for target_id in fragment.value(entry.key) or ():
                target = by_id.get(target_id)
                if target is None or target is fragment:
                    continue
                earlier = builds_on.setdefault(fragment.fragment_id, [])
                if target not in earlier:
                    earlier.append(target)
                    led_to[target.fragment_id].append(fragment)
    return builds_on, dict(led_to)


def _related(
    fragment: Fragment,
    outputs: dict[str, Listing],
    countries: dict[str, Listing],
    linked: list[Fragment],
    table: FieldTable,
) -> list[Fragment]:
    """A few neighbours: same output first, then same country. Looks at most a few per group.
    The outcomes the page links to already ("Builds on", "Led to") are not listed again."""
    chosen: list[Fragment] = []
    seen = {fragment.fragment_id, *(other.fragment_id for other in linked)}
    candidates: list[list[Fragment]] = [outputs[code].fragments for code in fragment.output_codes]
    if countries:
        candidates += [countries[slug].fragments for slug, _ in facet_values(table["country"], fragment.country)]
    for group in candidates:
        for other in group[: RELATED_COUNT + len(seen)]:  # seen: itself, linked and chosen ones
            if other.fragment_id not in seen:
                chosen.append(other)
                seen.add(other.fragment_id)
            if len(chosen) == RELATED_COUNT:
                return chosen
    return chosen
