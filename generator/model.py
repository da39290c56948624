"""The plain objects that flow between stages."""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import Location


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
class SourceSummary:
    """What one input file gave: for the report."""

    path: str
    records: int
    ignored_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Objective:
    code: str
    label: str

    @property
    def name(self) -> str:
        return f"{self.code}: {self.label}" if self.label else self.code


@dataclass(frozen=True)
class Fragment:
    """A public outcome record, normalised. Only fields named here can be published."""

    fragment_id: str
    slug: str
    location: Location
    title: str
    description: str
    significance: str = ""
    contribution: str = ""
    other_actors: str = ""
    evidence: str = ""
    additional_info: str = ""
    country: str | None = None
    year: int | None = None
    harvest_period: str | None = None
    status: str | None = None
    objective: Objective | None = None
    outcome_codes: tuple[str, ...] = ()
    output_codes: tuple[str, ...] = ()
    change_types: tuple[str, ...] = ()
    change_cluster: str | None = None
    rating_significance: str | None = None
    rating_contribution: str | None = None
    social_actor: str | None = None
    scale: str | None = None
    unintended: bool | None = None
    negative: bool | None = None

    @property
    def harvest_number(self) -> int:
        digits = "".join(ch for ch in (self.harvest_period or "") if ch.isdigit())
        return int(digits) if digits else 0

    @property
    def newest_first_key(self) -> tuple:
        """Sort key: newest year, then latest harvest, then ID (stable, deterministic)."""
        return (-(self.year or 0), -self.harvest_number, self.fragment_id)
