"""The plain objects that flow between stages."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.errors import Location
from generator.normalise.values import FrameworkLinks, Objective, Term

__all__ = [
    "Fragment",
    "FrameworkLabels",
    "FrameworkLinks",
    "NoColumn",
    "Objective",
    "RawRecord",
    "RawValue",
    "SourceSummary",
    "Term",
]


@dataclass(frozen=True)
class RawValue:
    """One value as read, with the name the export gave its field and where it stood."""

    name: str
    text: str
    location: Location


@dataclass
class RawRecord:
    """One fragment as a reader found it: field values by canonical field name.

    Fields whose names the vocabulary does not know are not kept here at all, only
    their names (in `ignored_fields`), so their values can never be published.
    """

    location: Location
    values: dict[str, RawValue] = field(default_factory=dict)
    ignored_fields: tuple[str, ...] = ()
    # Set by a reader that could not tell for sure where a value ends (a line that looks
    # like a field line but is not written as one): the gate then holds the fragment back
    # with this reason, whatever its flag says. Never content: it is printed.
    hold_back: str | None = None

    def text(self, name: str) -> str:
        value = self.values.get(name)
        return value.text if value else ""

    def where(self, name: str) -> Location:
        value = self.values.get(name)
        return value.location if value else self.location


@dataclass(frozen=True)
class FrameworkLabels:
    """Optional labels for Results Framework codes, from content/results-framework.yml."""

    outcomes: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    # Where the file gives a code's label per language ("1.1": {en: …, fr: …}): language → code →
    # label, outcomes then outputs; outcomes and outputs above hold the first language it gives.
    outcomes_in: dict[str, dict[str, str]] = field(default_factory=dict)
    outputs_in: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def known_outputs(self) -> frozenset[str] | None:
        return frozenset(self.outputs) if self.outputs else None

    def in_language(self, language: str) -> FrameworkLabels:
        """The labels a site in `language` shows: each code's label in that language where the
        file gives it, else the one it gives."""
        code = language.replace("_", "-").split("-")[0].lower()
        outcomes, outputs = self.outcomes_in.get(code, {}), self.outputs_in.get(code, {})
        return FrameworkLabels(
            {key: outcomes.get(key, label) for key, label in self.outcomes.items()},
            {key: outputs.get(key, label) for key, label in self.outputs.items()},
        )

    def every_label(self) -> list[str]:
        """Every label, in every language the file gives."""
        translated = [
            label for each in (self.outcomes_in, self.outputs_in) for by in each.values() for label in by.values()
        ]
        return [*self.outcomes.values(), *self.outputs.values(), *translated]


@dataclass(frozen=True)
class SourceSummary:
    """What one input file gave: for the report."""

    path: str
    records: int
    ignored_fields: tuple[str, ...] = ()
    sheet: str | None = None  # a workbook: the sheet that was read (the first visible one)
    hidden_sheets: int = 0  # a workbook: hidden sheets passed over, never read
    columns: tuple[str, ...] | None = None  # a spreadsheet: the keys of the fields it has a column for


@dataclass(frozen=True)
class NoColumn:
    """A spreadsheet with no column for a field the review asks for: the file, the field's
    standard name and the file's unknown columns that look like it (their names only)."""

    path: str
    field: str
    has: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fragment:
    """A public outcome record, normalised. Only fields of the table (generator/fields.py)
    are in `values`, so only they can be published.

    `values` maps a field key to its normalised value: a string, a number, a flag, a tuple
    of names, an Objective or FrameworkLinks; None (or an empty string or tuple) when not
    given. The properties name the values the site is organised by."""

    # Where it was read is not part of it (the messages that name a fragment's row take the
    # record's location, generate._normalised): a row that moves (a row above it deleted)
    # is the very same fragment object in a preview, so its pages compare without a look inside.
    fragment_id: str
    slug: str
    title: str
    values: Mapping[str, Any]

    def value(self, key: str) -> Any:
        return self.values.get(key)

    @property
    def description(self) -> str:
        return str(self.values.get("description") or "")

    @property
    def country(self) -> Term | None:
        return self.values.get("country")

    @property
    def language(self) -> str | None:
        """The language its text is written in ("en", "fr"); None: the site's."""
        return self.values.get("language")

    @property
    def year(self) -> int | None:
        return self.values.get("year")

    @property
    def harvest_period(self) -> str | None:
        return self.values.get("harvest_period")

    @property
    def objective(self) -> Objective | None:
        return self.values.get("objective")

    @property
    def change_types(self) -> tuple[Term, ...]:
        return self.values.get("change_types") or ()

    @property
    def links(self) -> FrameworkLinks:
        return self.values.get("results_framework") or FrameworkLinks()

    @property
    def outcome_codes(self) -> tuple[str, ...]:
        return self.links.outcomes

    @property
    def output_codes(self) -> tuple[str, ...]:
        return self.links.outputs

    @property
    def rating_significance(self) -> str | None:
        return self.values.get("rating_significance")

    @property
    def negative(self) -> bool | None:
        return self.values.get("negative")

    @property
    def harvest_number(self) -> int:
        digits = "".join(ch for ch in (self.harvest_period or "") if ch.isdigit())
        return int(digits) if digits else 0

    @functools.cached_property
    def newest_first_key(self) -> tuple[int, int, str]:
        """Sort key: newest year, then latest harvest, then ID (stable, deterministic). Worked
        out once per fragment: a preview sorts the same fragments again after every save."""
        return (-(self.year or 0), -self.harvest_number, self.fragment_id)
