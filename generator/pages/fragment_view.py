"""What a fragment's page shows, worked out from the table of fields: its chips, its
statement, its free-text sections and its Details, its citation, and its front matter's
values (templates/fragment.md.j2 lays them out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.fields import DETAILS, SECTION, Column, Field, FieldTable, labelled_values
from generator.model import Fragment, Term
from generator.normalise.values import Objective, in_language
from generator.pages.indexes import Listing
from generator.pages.labels import listing_name
from generator.pages.templating import paragraphs


@dataclass(frozen=True)
class Link:
    """One value as a page shows it: its text, the page it links to (a docs path), a note
    after it (a Results Framework label) and a tooltip."""

    text: str
    path: str | None = None
    note: str = ""
    title: str = ""
    filter: str = ""  # the search filter this value belongs to (Pagefind's data-pagefind-filter)
    as_written: bool = False  # text of the outcome's own, in its language (marked with it on a page of another)


@dataclass(frozen=True)
class TextLanguage:
    """The language of an outcome's text where it is not the page's: its code (the text's
    lang attribute), the mark beside its title in lists ("FR") and the mark's name for
    screen readers, in that language ("En français")."""

    code: str
    mark: str
    name: str


@dataclass(frozen=True)
class Citation:
    text: str  # "ID, “title”, harvest 2. Site name."
    url: str  # the page's public address, or ""


@dataclass(frozen=True)
class Section:
    """A free-text field as a section of the fragment page."""

    anchor: str  # the same in every language, so links to #significance work everywhere
    heading: str
    text: str


@dataclass(frozen=True)
class DetailRow:
    label: str
    values: tuple[Link, ...]


@dataclass(frozen=True)
class FragmentPage:
    """What the fragment template shows, computed once from the table of fields."""

    chips: tuple[Link, ...]  # country, year, outputs, objective, types of change: once, near the top
    statement: tuple[str, ...]  # the outcome description's paragraphs; the first is the heading
    sections: tuple[Section, ...]
    details: tuple[DetailRow, ...]


def _chips(listings: list[Listing], t: dict[str, Any], table: FieldTable) -> tuple[Link, ...]:
    """A chip per value of the fragment's chip facets (the field table's order), each
    linking to its listing and naming its search filter."""
    by_kind: dict[str, list[Listing]] = {}
    for listing in listings:
        by_kind.setdefault(listing.kind, []).append(listing)
    searched = {entry.facet.name for entry in table.facets("search") if entry.facet}
    chips: list[Link] = []
    for entry in table.facets("chip"):
        assert entry.facet is not None
        kind = entry.facet.name
        search_filter = t[entry.facet.label_key] if kind in searched else ""
        for listing in by_kind.get(kind, []):
            if entry.kind == "links":  # "Output 1.1.2", its label beside it (CSS may shorten it on a phone)
                chips.append(
                    Link(f"{t[kind]} {listing.name}", listing.path, note=listing.description, title=listing.description)
                )
            elif entry.kind == "objective":  # the code: Details gives the objective's whole name
                code = listing.name.split(":", 1)[0]
                # Search filters by the whole name, which Pagefind reads from the title ([title]).
                chips.append(Link(code, listing.path, title=listing.name, filter=f"{search_filter}[title]"))
            elif entry.facet.named_chip:  # "Significance: Large"
                text = f"{t[entry.facet.label_key]}{t['colon']}{listing_name(t, listing)}"
                chips.append(Link(text, listing.path, filter=search_filter))
            else:
                chips.append(Link(listing_name(t, listing), listing.path, filter=search_filter))
    return tuple(chips)


def _detail_values(
    entry: Field, fragment: Fragment, listings: list[Listing], t: dict[str, Any], language: str
) -> tuple[Link, ...]:
    value = fragment.value(entry.key)
    if entry.kind == "objective":
        return tuple(Link(listing.name, listing.path) for listing in listings if listing.kind == "objective")
    if entry.kind == "links":  # outcomes and outputs, each with its label in full (a chip may shorten it)
        return tuple(
            Link(
                f"{t[listing.kind]} {listing.name}"
                if listing.kind in ("outcome", "output")
                else listing_name(t, listing),
                listing.path,
                note=listing.description,
            )
            for listing in listings
            if listing.kind in ("outcome", "output", "not_linked")
        )
    if value is None or value == "" or value == ():
        return ()
    if entry.kind == "flag":
        return (Link(t["yes"] if value else t["no"]),)
    if isinstance(value, Term):  # a vocabulary's value (social actor, scale): its label in the page's language
        return (Link(value.label(language)),)
    if entry.kind == "rating":  # its label, as its chip and filter name it: "Large", "Partly substantiated"
        return tuple(Link(name) for _, name in labelled_values(entry, value, t, language))
    return (Link(str(value), as_written=isinstance(value, str) and entry.kind != "id"),)


def fragment_page(
    fragment: Fragment, listings: list[Listing], table: FieldTable, t: dict[str, Any], language: str = "en"
) -> FragmentPage:
    sections = tuple(
        Section(entry.key.replace("_", "-"), t[entry.label], str(fragment.value(entry.key)))
        for entry in table.where(SECTION)
        if entry.key != "description" and fragment.value(entry.key)
    )
    details = []
    for entry in table.where(DETAILS):
        values = _detail_values(entry, fragment, listings, t, language)
        if values:
            details.append(DetailRow(t[entry.label], values))
    statement = tuple("\n".join(lines) for lines in paragraphs(fragment.description)) or (fragment.title,)
    return FragmentPage(_chips(listings, t, table), statement, sections, tuple(details))


def front_matter_values(fragment: Fragment, table: FieldTable, language: str = "en") -> dict[str, Any]:
    """Front matter of a fragment page: tags (country, objective, types of change) and the
    published one-line fields, as YAML values, a country named in `language` (the site's).
    The texts are in the page itself."""
    meta: dict[str, Any] = {
        "tags": [
            tag
            for tag in (
                in_language(fragment.country, language),
                *([fragment.objective.name_in(language)] if fragment.objective else []),
                *in_language(fragment.change_types, language),
            )
            if tag
        ]
    }
    for entry in table.published:
        if entry.kind == "text":
            continue
        for column in entry.opendata:
            value = opendata_value(fragment.value(entry.key), column, language)
            meta[column.name] = list(value) if isinstance(value, tuple) else value
    return {key: value for key, value in meta.items() if value not in (None, [], "")}


def opendata_value(value: Any, column: Column, language: str = "en") -> Any:
    """A field's value as one open-data column gives it (a part of a composite value; a
    country by its name in `language`, the site's)."""
    if column.part is None or value is None:
        return in_language(value, language)
    if isinstance(value, Objective) and column.part == "label":  # in the site's language, as a country is
        return value.label_in(language) or None
    return getattr(value, column.part) or None if column.part in ("code", "label") else getattr(value, column.part)
