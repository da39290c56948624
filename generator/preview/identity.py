"""A record's identity in a preview is its file and its fragment ID, never its place.

Deleting row 10 of an export moves every row below it up one: were a row's place part of
what a normalised fragment is reused for, every later fragment would be normalised and its
pages made again (1.2-3.5 s at 5,000, issue 23). So the preview's memo of normalised
fragments (kept.py) is keyed by (file, ID as written) and given what the record says
without where it says it (`unplaced_inputs`); its problems are kept unplaced too (each
location replaced by its slot among the record's places), and placed again on the
record's current places (`placed`), so the messages still name the row as it is now.
A Fragment has no location (model.Fragment; the messages that name a fragment's row take
its record's): a moved row gives back the very same Fragment object, so every page, list
entry and count made from it compares by identity, without a look inside. (Before, each
moved fragment was a new, equal object: comparing a page's inputs that hold the whole index,
the home page's, looked inside every listing's fragments, ~20-100 s of CPU at 5,000 when a
confidential row was deleted or added and every public one compared equal.)
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from generator.errors import Location, Problem
from generator.model import Fragment, RawRecord

Normalised = tuple[Fragment, list[Problem], int]  # a fragment, its problems, the masks redaction wrote in it
Places = tuple[Location, ...]  # a record's own place, then each value's, in the record's order

NOWHERE = ""  # the path of a slot: Location(NOWHERE, row=slot) stands for places[slot]


def identity(record: RawRecord) -> Hashable:
    """What names a record from one generation to the next: its file and its ID as written.
    Two rows with one ID (refused later, check_unique_ids) only share a name: each is still
    reused only for equal inputs."""
    return (record.location.path, record.text("fragment_id"))


def unplaced_inputs(record: RawRecord) -> object:
    """What the record says (each value's field, its column's name and its text, the
    ignored columns and a reader's reason to hold it back), without where."""
    values = tuple((key, value.name, value.text) for key, value in record.values.items())
    return (values, record.ignored_fields, record.hold_back)


def places(record: RawRecord) -> Places:
    return (record.location, *(value.location for value in record.values.values()))


def unplaced(result: Normalised, where: Places) -> Normalised:
    """The result with each of its problems' locations that is one of `where` replaced by
    its slot (the fragment itself has none: the same object)."""
    fragment, problems, masks = result
    if not problems:
        return result
    slots: dict[Location, int] = {}
    for slot, location in enumerate(where):
        slots.setdefault(location, slot)
    return (fragment, [replace(problem, location=_slot(problem.location, slots)) for problem in problems], masks)


def placed(result: Normalised, where: Places) -> Normalised:
    """An unplaced result on the record's current places: the inverse of `unplaced`. The
    fragment is the one kept, whatever its row: only its problems name a place."""
    fragment, problems, masks = result
    if not problems:
        return result
    return (fragment, [replace(problem, location=_place(problem.location, where)) for problem in problems], masks)


def _slot(location: Location, slots: dict[Location, int]) -> Location:
    slot = slots.get(location)
    return location if slot is None else Location(NOWHERE, row=slot)


def _place(location: Location, where: Places) -> Location:
    if location.path == NOWHERE and location.row is not None and location.row < len(where):
        return where[location.row]
    return location
