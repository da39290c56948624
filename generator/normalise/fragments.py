"""Normalise public raw records into Fragments, collecting problems (warnings) as it goes.

The table of fields (generator/fields.py) says which normaliser each field gets; this
stage applies them, names the file, row and field of every problem, and masks the names
of the redaction list in every value first, so that nothing derived from a value (its
title, its page address, a warning quoting it) can carry a redacted name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from generator import forking
from generator.errors import InputError, Location, Problem
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.model import Fragment, RawRecord
from generator.normalise.personal_details import found_in, personal_detail, phone_regions
from generator.normalise.values import one_line, title_from_description
from generator.normalise.vocabulary import slugify

# Longer values are published, but probably pasted into the wrong cell: warn.
LONG_VALUE = 20_000


def _same_id_message(first: RawRecord, second: RawRecord, fragment_id: str, public: set[int]) -> str:
    where = first.where("fragment_id")
    if id(first) in public and id(second) in public:
        return f"fragment ID '{fragment_id}' is used twice; it is also at {where}"
    # A held-back fragment's ID is never printed: logs may be public.
    return f"this fragment has the same ID as the one at {where} (one of them is held back, so the ID is not shown)"


def check_unique_ids(records: Iterable[RawRecord], public: Iterable[RawRecord], id_name: str) -> None:
    """A fragment ID used twice stops the build, naming both places (and the ID only if
    both copies are public). Two held-back copies are nobody's business here."""
    public_ids = {id(record) for record in public}
    first_seen: dict[str, RawRecord] = {}
    for record in records:
        fragment_id = one_line(record.text("fragment_id"))
        if not fragment_id:
            continue
        first = first_seen.setdefault(fragment_id, record)
        if first is record or (id(first) not in public_ids and id(record) not in public_ids):
            continue
        raise InputError(
            record.where("fragment_id"),
            _same_id_message(first, record, fragment_id, public_ids),
            field=id_name,
            hint="give each fragment its own ID",
        )


@dataclass
class Normaliser:
    """Turns public raw records into Fragments with the table's normalisers."""

    table: FieldTable = DEFAULT_TABLE
    redact: Callable[[str], str] = lambda text: text
    known_outputs: frozenset[str] | None = None  # from results-framework.yml, to warn about unknown codes

    def __call__(self, record: RawRecord) -> tuple[Fragment, list[Problem]]:
        problems: list[Problem] = []

        def name_of(key: str) -> str:  # as the editor wrote it (the column's name)
            value = record.values.get(key)
            return value.name if value else self.table[key].name

        def problem(key: str, message: str) -> None:
            problems.append(Problem(record.where(key), name_of(key), message))

        values: dict[str, Any] = {}
        for entry in self.table.published:
            raw = self.redact(record.text(entry.key))
            value, message = entry.normalise(raw)
            values[entry.key] = value
            if message:
                problem(entry.key, message)
            if entry.kind == "text" and len(raw) > LONG_VALUE:
                problem(
                    entry.key,
                    f"the value is {len(raw):,} characters long; check that it was pasted into the right field",
                )
        # Text as published (redacted already), by place and kind only: personal_details.py.
        regions = phone_regions(values.get("country"))
        for entry in self.table.published:
            if entry.kind == "text" and values[entry.key]:
                kinds = found_in(str(values[entry.key]), regions)
                if kinds:
                    problems.append(personal_detail(record.where(entry.key), name_of(entry.key), kinds))
        fragment_id = str(values.get("fragment_id") or "")
        fragment = Fragment(
            fragment_id=fragment_id,
            slug=slugify(fragment_id),
            title=title_from_description(str(values.get("description") or ""), fragment_id),
            values=values,
        )
        if self.known_outputs is not None:
            for code in fragment.output_codes:
                if code not in self.known_outputs:
                    problem(
                        "results_framework", f"unrecognised output code '{code}': it is not in results-framework.yml"
                    )
        return fragment, problems


# From this many public records, normalise_all shares them with a forked helper (below, the
# fork costs more than the helper saves).
SHARED_FROM = 1_000


def normalise_all(
    records: list[RawRecord], normaliser: Normaliser, masks: Callable[[], int] = lambda: 0
) -> tuple[list[Fragment], list[Problem], int]:
    """The fragments of `records` in order, their problems in the records' order, and how
    many names the redaction list masked in another process (masks(): how many the
    normaliser's redactor has masked so far; those masked here it has counted itself).

    From SHARED_FROM records, where the machine can fork, a forked helper (forking.call)
    normalises the second half while this process does the first: ~0.3 s of the 0.65 s a
    build spent here at 5,000. What it gives back is what one process would have made; a
    failure is the first in the records' order (this half's, else the helper's)."""
    half = len(records) // 2 if len(records) >= SHARED_FROM and forking.can_fork() else len(records)
    helper = forking.call(_normalise_part, records[half:], normaliser, masks) if half < len(records) else None
    try:
        fragments, problems, _ = _normalise_part(records[:half], normaliser, masks)
        if helper is None:
            return fragments, problems, 0
        more, more_problems, masked = helper.result()
    finally:
        if helper is not None:
            helper.cancel()  # one that has answered has ended already
    return fragments + more, problems + more_problems, masked


def _normalise_part(
    records: list[RawRecord], normaliser: Normaliser, masks: Callable[[], int]
) -> tuple[list[Fragment], list[Problem], int]:
    """normalise_all of `records` in this process, and the names masked meanwhile."""
    before = masks()
    fragments: list[Fragment] = []
    problems: list[Problem] = []
    for record in records:
        fragment, found = normaliser(record)
        fragments.append(fragment)
        problems.extend(found)
    return fragments, problems, masks() - before


def check_unique_slugs(fragments: list[Fragment], locations: list[Location], id_name: str) -> None:
    """Two IDs that differ only in punctuation or case would share one page address.
    locations: where each fragment was read (its record's), in the same order."""
    by_slug: dict[str, tuple[Fragment, Location]] = {}
    for fragment, location in zip(fragments, locations, strict=True):
        other, other_location = by_slug.setdefault(fragment.slug, (fragment, location))
        if other is not fragment:
            raise InputError(
                location,
                f"fragment IDs '{fragment.fragment_id}' and '{other.fragment_id}' (at {other_location}) "
                "would get the same page address",
                field=id_name,
                hint="make the IDs differ in letters or digits, not only in punctuation or case",
            )
