"""A listing's filter counts (filters.facet_options) brought up to date from the outcomes that
changed, instead of counted again over all of them.

All outcomes' filter counts every value of its 3,739 outcomes (at 5,000) in each of its
facets, and a preview counted it again after every save (~15 % of an edit's CPU). A Tally
keeps the counts with the outcomes they were counted from; given the listing's outcomes
after a save, it takes off the values of the outcomes that left (by identity: an outcome
read the same is the same object from one generation to the next; one moved to another row,
a new object, is the same as the equal one of its ID) and adds those of the outcomes that came, then orders each facet whose counts changed. The options are exactly
what filters.facet_options gives: where that depends on the outcomes' order (a value
written in two spellings shows the first one seen; values of equal rank stay in the order
first seen), the facet is counted again in the listing's order. The Renderer asks for
a listing's Tally through its Reuse (`update`): a build counts each listing once; a
preview brings the last one up to date, and OKB_VERIFY_MEMO checks it against a count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from generator.fields import Field, FieldTable, value_order
from generator.model import Fragment
from generator.pages.filters import FacetOption, FragmentValueNames, filter_fields, ordered_options

NamesOf = Callable[[Fragment], FragmentValueNames]

# Above this share of a listing's outcomes changed, counting again costs less than the changes.
RECOUNT_SHARE = 0.5


@dataclass(frozen=True)
class Tally:
    """A listing's filter options and what they were counted from."""

    fragments: tuple[Fragment, ...]  # the listing's outcomes, in its order
    names: tuple[FragmentValueNames, ...]  # each one's value names (filters.fragment_value_names)
    counts: dict[str, Counter[str]]  # by facet: how many outcomes give each value
    spellings: dict[str, dict[str, Counter[str]]]  # by facet and value: its names, how often each
    options: dict[str, tuple[FacetOption, ...]]  # by facet, as filters.facet_options gives them
    in_order: frozenset[str]  # the facets whose options depend on the outcomes' order (_ordered)

    def updated(self, fragments: list[Fragment], table: FieldTable, names_of: NamesOf) -> Tally:
        """The tally of `fragments`, from this one: only the outcomes not in both are counted."""
        before = {id(fragment): names for fragment, names in zip(self.fragments, self.names)}
        same = self._same(fragments)
        left = Counter(map(id, self.fragments))
        left.subtract(map(id, same))  # > 0: left the listing; < 0: came
        if sum(map(abs, left.values())) > RECOUNT_SHARE * max(len(fragments), 1):
            return count(fragments, table, names_of)
        names = tuple(
            before[id(kept)] if id(kept) in before else names_of(fragment) for fragment, kept in zip(fragments, same)
        )
        now = {id(kept): entry for kept, entry in zip(same, names)}
        counts = {facet: Counter(values) for facet, values in self.counts.items()}
        spellings = {facet: dict(by_value) for facet, by_value in self.spellings.items()}
        changed: set[str] = set()
        for key, times in left.items():
            if times == 0:
                continue
            value_names = before[key] if times > 0 else now[key]
            for facet, pairs in value_names.items():
                for value, name in pairs:
                    counts[facet][value] -= times
                    by_name = spellings[facet][value] = Counter(spellings[facet].get(value, ()))
                    by_name[name] -= times
                    if not by_name[name]:
                        del by_name[name]
                    if not counts[facet][value]:
                        del counts[facet][value], spellings[facet][value]
                    changed.add(facet)
        options = dict(self.options)
        in_order = set(self.in_order)
        for facet, entry in filter_fields(table):
            # A facet in order is counted again on any change: a move alone may change it.
            if facet in changed or facet in in_order:
                made = _ordered(entry, counts[facet], spellings[facet])
                if made is None:
                    in_order.add(facet)
                    made = ordered_options(entry, list(names))
                else:
                    in_order.discard(facet)
                options[facet] = made
        return Tally(tuple(fragments), names, counts, spellings, options, frozenset(in_order))

    def _same(self, fragments: list[Fragment]) -> list[Fragment]:
        """Each outcome, or the equal one of this tally with its ID: a row deleted or added above
        an outcome makes it a new object (read on another row) that shows the same (its location
        is not compared). Counted by identity, every outcome after a deleted row would leave and
        come again, and All outcomes would be counted again on every delete or add."""
        previous = {fragment.fragment_id: fragment for fragment in self.fragments}
        same = []
        for fragment in fragments:
            last = previous.get(fragment.fragment_id)
            same.append(last if last is not None and (last is fragment or last == fragment) else fragment)
        return same


def count(fragments: list[Fragment], table: FieldTable, names_of: NamesOf) -> Tally:
    """The tally of a listing's outcomes, counted."""
    names = tuple(names_of(fragment) for fragment in fragments)
    counts: dict[str, Counter[str]] = {}
    spellings: dict[str, dict[str, Counter[str]]] = {}
    for facet, _ in filter_fields(table):
        pairs = [pair for entry in names for pair in entry[facet]]
        counts[facet] = Counter(value for value, _ in pairs)
        by_value: dict[str, Counter[str]] = {}
        # Each (value, name) counted in C, then grouped: the same counts in the same order
        # as one pass over the pairs, without a Counter made per pair (~700,000 at 5,000).
        for (value, name), times in Counter(pairs).items():
            if value not in by_value:
                by_value[value] = Counter()
            by_value[value][name] = times
        spellings[facet] = by_value
    # Each facet's options from its counts, as `updated` makes them; counted again in the
    # listing's order only where that order decides them (a build counts 130 listings at 5,000:
    # counting every facet twice was ~40 % of it).
    options: dict[str, tuple[FacetOption, ...]] = {}
    in_order: set[str] = set()
    for facet, entry in filter_fields(table):
        made = _ordered(entry, counts[facet], spellings[facet])
        if made is None:
            in_order.add(facet)
            made = ordered_options(entry, list(names))
        options[facet] = made
    return Tally(tuple(fragments), names, counts, spellings, options, frozenset(in_order))


def _ordered(entry: Field, counts: Counter[str], spellings: dict[str, Counter[str]]) -> tuple[FacetOption, ...] | None:
    """One facet's options from its counts, or None where they depend on the listing's order
    (a value of two spellings, or two values of equal rank): those are counted again in order."""
    if any(len(by_name) != 1 for by_name in spellings.values()):
        return None
    names = {value: next(iter(by_name)) for value, by_name in spellings.items()}
    order = value_order(entry)
    keyed = sorted((order(value, names[value]), value) for value in counts)
    if any(a[0] == b[0] for a, b in zip(keyed, keyed[1:])):
        return None
    return tuple(FacetOption(value, names[value], counts[value]) for _, value in keyed)
