"""generator/pages/tally.py: a listing's filter counts brought up to date from the outcomes that
changed give exactly what counting them all gives (filters.facet_options), whatever changed:
outcomes gone, come, edited (a new object), moved, values of two spellings and of equal rank."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.fields import DEFAULT_TABLE
from generator.pages import tally
from generator.pages.filters import facet_options, filter_fields

FACETS = [name for name, _ in filter_fields(DEFAULT_TABLE)]
# A few values per facet: "" (not given), slugs that sort as numbers (years) and ones that tie
# in the year facet's order (not digits), and one value written in two spellings.
VALUES = [("", "Not given"), ("2021", "2021"), ("2024", "2024"), ("mali", "Mali"), ("mali", "MALI"), ("x", "X")]


class Outcome:
    """Stands for a Fragment: the tally only counts what names_of gives for it, by identity
    or, for an outcome of the same ID, by equality (a Fragment moved to another row)."""

    def __init__(self, names: dict[str, list[tuple[str, str]]], fragment_id: str = "") -> None:
        self.names = names
        self.fragment_id = fragment_id or f"id-{id(self)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Outcome) and (self.fragment_id, self.names) == (other.fragment_id, other.names)

    def __hash__(self) -> int:
        return hash(self.fragment_id)


def names_of(outcome: Outcome) -> dict[str, list[tuple[str, str]]]:
    return outcome.names


outcomes = st.builds(
    Outcome,
    st.fixed_dictionaries({facet: st.lists(st.sampled_from(VALUES), min_size=1, max_size=2) for facet in FACETS}),
)


def counted(listing: list[Outcome]) -> dict:
    return facet_options({}, listing, DEFAULT_TABLE, names_of=names_of)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(outcomes, min_size=0, max_size=25),
    st.lists(
        st.tuples(st.sampled_from(["delete", "add", "edit", "move", "reread"]), st.integers(0, 30), outcomes),
        max_size=6,
    ),
)
def test_an_updated_tally_gives_what_counting_gives(listing, changes):
    last = tally.count(listing, DEFAULT_TABLE, names_of)  # type: ignore[arg-type]
    assert last.options == counted(listing)
    for kind, at, outcome in changes:
        listing = list(listing)
        where = at % (len(listing) or 1)
        if kind == "add" or not listing:
            listing.insert(where, outcome)
        elif kind == "delete":
            del listing[where]
        elif kind == "edit":
            listing[where] = outcome
        elif kind == "move":
            listing.append(listing.pop(where))
        else:  # read again on another row: a new object, equal to the one it was
            listing[where] = Outcome(listing[where].names, listing[where].fragment_id)
        last = last.updated(listing, DEFAULT_TABLE, names_of)  # type: ignore[arg-type]
        assert last.options == counted(listing)
        assert last == tally.count(listing, DEFAULT_TABLE, names_of)  # type: ignore[arg-type]


def test_one_edited_outcome_among_many_is_the_only_one_counted_again():
    listing = [Outcome({facet: [VALUES[1 + n % 2]] for facet in FACETS}) for n in range(200)]
    last = tally.count(listing, DEFAULT_TABLE, names_of)  # type: ignore[arg-type]
    asked: list[Outcome] = []

    def counting(outcome: Outcome) -> dict[str, list[tuple[str, str]]]:
        asked.append(outcome)
        return outcome.names

    edited = Outcome({facet: [VALUES[3]] for facet in FACETS})
    now = listing[:50] + [edited] + listing[51:]
    updated = last.updated(now, DEFAULT_TABLE, counting)  # type: ignore[arg-type]
    assert asked == [edited]
    assert updated.options == counted(now)


def test_outcomes_read_again_on_other_rows_are_not_counted_again():
    """A row deleted near the top: every outcome below it is read again on another row (a new,
    equal object). Only the deleted one is taken off; none is counted again."""
    listing = [Outcome({facet: [VALUES[1 + n % 2]] for facet in FACETS}, f"F{n}") for n in range(200)]
    last = tally.count(listing, DEFAULT_TABLE, names_of)  # type: ignore[arg-type]
    asked: list[Outcome] = []

    def counting(outcome: Outcome) -> dict[str, list[tuple[str, str]]]:
        asked.append(outcome)
        return outcome.names

    now = listing[:10] + [Outcome(dict(outcome.names), outcome.fragment_id) for outcome in listing[11:]]
    updated = last.updated(now, DEFAULT_TABLE, counting)  # type: ignore[arg-type]
    assert asked == []
    assert updated.options == counted(now)
    assert updated == tally.count(now, DEFAULT_TABLE, names_of)  # type: ignore[arg-type]
