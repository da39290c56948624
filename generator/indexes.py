"""Group public fragments into the listings the site shows. Deterministic: everything sorted.

Every grouping here is built from public fragments only (the gate ran before), so a
value that only confidential fragments carry never becomes a page, a count or a link.
Everything is one pass over the fragments: no step grows with N².
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from generator.model import Fragment
from generator.vocabulary import CHANGE_TYPES, slugify

RELATED_COUNT = 5


@dataclass(frozen=True)
class FrameworkLabels:
    """Optional labels for Results Framework codes, from content/results-framework.yml."""

    outcomes: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def known_outputs(self) -> frozenset[str] | None:
        return frozenset(self.outputs) if self.outputs else None


@dataclass
class Listing:
    """A page that lists fragments sharing one value (a country, an output, a year…)."""

    kind: str
    key: str
    name: str
    path: str
    fragments: list[Fragment] = field(default_factory=list)
    description: str = ""


@dataclass
class Outcome:
    """A Results Framework outcome, its outputs, and the fragments linked to it."""

    listing: Listing
    outputs: list[Listing] = field(default_factory=list)


def code_sort_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def fragment_path(fragment: Fragment) -> str:
    return f"fragments/{fragment.slug}.md"


@dataclass
class SiteIndex:
    fragments: list[Fragment]
    outcomes: list[Outcome]
    not_linked: Listing
    countries: list[Listing]
    objectives: list[Listing]
    change_types: list[Listing]
    years: list[Listing]
    listings_of: dict[str, list[Listing]]  # fragment ID → the listings it appears in
    output_listing: dict[str, Listing]
    related: dict[str, list[Fragment]]

    @property
    def outputs(self) -> list[Listing]:
        return [output for outcome in self.outcomes for output in outcome.outputs]

    def all_listings(self) -> Iterable[Listing]:
        for outcome in self.outcomes:
            yield outcome.listing
            yield from outcome.outputs
        yield self.not_linked
        yield from self.countries
        yield from self.objectives
        yield from self.change_types
        yield from self.years


def _group(
    fragments: list[Fragment],
    kind: str,
    folder: str,
    keys: Callable[[Fragment], Iterable[tuple[str, str]]],
) -> dict[str, Listing]:
    """Group by (slug, display name) pairs; the first spelling seen names the page."""
    groups: dict[str, Listing] = {}
    for fragment in fragments:
        for slug, name in keys(fragment):
            listing = groups.get(slug)
            if listing is None:
                listing = groups[slug] = Listing(kind, slug, name, f"{folder}/{slug}.md")
            listing.fragments.append(fragment)
    return groups


def build_index(fragments: list[Fragment], labels: FrameworkLabels | None = None) -> SiteIndex:
    labels = labels or FrameworkLabels()
    ordered = sorted(fragments, key=lambda f: f.newest_first_key)  # groups inherit this order

    countries = _group(
        ordered, "country", "countries", lambda f: [(slugify(f.country), f.country)] if f.country else []
    )
    objectives = _group(
        ordered,
        "objective",
        "objectives",
        lambda f: [(slugify(f.objective.code), f.objective.name)] if f.objective else [],
    )
    change_types = _group(ordered, "change_type", "change-types", lambda f: [(slugify(t), t) for t in f.change_types])
    years = _group(
        ordered, "year", "years", lambda f: [(str(f.year), str(f.year)) if f.year else ("unknown", "Year not given")]
    )
    outputs = _group(
        ordered,
        "output",
        "results-framework",
        lambda f: [("output-" + code.replace(".", "-"), code) for code in f.output_codes],
    )
    outcome_listings = _group(
        ordered,
        "outcome",
        "results-framework",
        lambda f: [("outcome-" + code.replace(".", "-"), code) for code in f.outcome_codes],
    )
    not_linked = Listing(
        "not_linked",
        "not-linked",
        "Not linked to the Results Framework",
        "results-framework/not-linked.md",
        [f for f in ordered if not f.outcome_codes],
    )

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

    listings_of: dict[str, list[Listing]] = defaultdict(list)
    groups = [outcome_listings, outputs, countries, objectives, change_types, years]
    for group in groups:
        for listing in group.values():
            for fragment in listing.fragments:
                listings_of[fragment.fragment_id].append(listing)
    for fragment in not_linked.fragments:
        listings_of[fragment.fragment_id].append(not_linked)

    output_listing = {listing.name: listing for listing in outputs.values()}
    related = {f.fragment_id: _related(f, output_listing, countries) for f in ordered}

    change_type_order = {name: position for position, name in enumerate(CHANGE_TYPES)}
    return SiteIndex(
        fragments=ordered,
        outcomes=sorted(outcomes.values(), key=lambda o: code_sort_key(o.listing.name)),
        not_linked=not_linked,
        countries=sorted(countries.values(), key=lambda listing: slugify(listing.name)),
        objectives=sorted(objectives.values(), key=lambda listing: listing.key),
        change_types=sorted(
            change_types.values(), key=lambda listing: (change_type_order.get(listing.name, 99), listing.key)
        ),
        years=sorted(
            years.values(), key=lambda listing: listing.key if listing.key != "unknown" else "0", reverse=True
        ),
        listings_of=dict(listings_of),
        output_listing=output_listing,
        related=related,
    )


def _related(fragment: Fragment, outputs: dict[str, Listing], countries: dict[str, Listing]) -> list[Fragment]:
    """A few neighbours: same output first, then same country. Looks at most a few per group."""
    chosen: list[Fragment] = []
    seen = {fragment.fragment_id}
    candidates: list[list[Fragment]] = [outputs[code].fragments for code in fragment.output_codes]
    if fragment.country:
        candidates.append(countries[slugify(fragment.country)].fragments)
    for group in candidates:
        for other in group[: RELATED_COUNT + len(chosen) + 1]:
            if other.fragment_id not in seen:
                chosen.append(other)
                seen.add(other.fragment_id)
            if len(chosen) == RELATED_COUNT:
                return chosen
    return chosen
