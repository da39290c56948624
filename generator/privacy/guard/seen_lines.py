"""Each distinct line of a walk is checked once.

A 5,000-fragment site is mostly the same theme markup on every page: a line already seen in
an earlier file was checked then, so only new lines are checked, each with enough of its
neighbours (at least SHINGLE - 1 words on each side) that a run crossing a line break is
still seen. What this misses: a run made only of lines that each appeared before in other
files, in a new order.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from itertools import compress

from generator.privacy.guard.decode import WordReader
from generator.privacy.guard.terms import SHINGLE


class SeenLines:
    """The lines of the files checked so far in one walk, and how many words each holds."""

    def __init__(self, reader: WordReader) -> None:
        self.lines: set[bytes] = set()
        self._word_counts: dict[bytes, int] = {}
        self._reader = reader

    def word_count(self, line: bytes) -> int:
        # Context lines are mostly theme markup, the same in every page: counted once.
        count = self._word_counts.get(line)
        if count is None:
            count = self._word_counts[line] = len(self._reader.readable_words(line))
        return count

    def known_word_counts(self) -> dict[bytes, int]:
        """The lines counted so far → their words (what word_count answers without counting)."""
        return self._word_counts


def unseen_chunks(data: bytes, seen: SeenLines | None) -> Iterator[bytes]:
    """The parts of data to check: all of it without `seen`, else the lines not seen yet
    (which are then added), each run with SHINGLE - 1 words of context on both sides."""
    if seen is None:
        yield data
        return
    lines = data.split(b"\n")
    unseen_at = list(compress(range(len(lines)), map(operator.not_, map(seen.lines.__contains__, lines))))
    seen.lines.update(map(lines.__getitem__, unseen_at))  # the others are in it: not looked up again
    if len(unseen_at) == len(lines):
        yield data
        return
    for start, end in _with_context(lines, _runs(unseen_at), seen):
        yield b"\n".join(lines[start:end])


def _runs(indexes: list[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive indexes, as (first, last + 1)."""
    start = previous = -2
    for index in indexes:
        if index != previous + 1:
            if start >= 0:
                yield start, previous + 1
            start = index
        previous = index
    if start >= 0:
        yield start, previous + 1


def _with_context(lines: list[bytes], runs: Iterable[tuple[int, int]], seen: SeenLines) -> Iterator[tuple[int, int]]:
    """Each run widened by lines holding at least SHINGLE - 1 words on each side; overlaps merged."""
    merged: tuple[int, int] | None = None
    for start, end in runs:
        start = _context_edge(lines, start - 1, -1, seen)
        end = _context_edge(lines, end, 1, seen)
        if merged and start <= merged[1]:
            merged = (merged[0], max(end, merged[1]))
            continue
        if merged:
            yield merged
        merged = (start, end)
    if merged:
        yield merged


def _context_edge(lines: list[bytes], index: int, step: int, seen: SeenLines) -> int:
    """Going from lines[index] in direction step, where the context of SHINGLE - 1 words ends
    (the first line index outside the context when step is 1, the first inside when -1)."""
    # The loop of a walk's every context line (1.4 million at 5,000 fragments in two languages):
    # the counts already known are looked up here, without a call per line.
    known = seen.known_word_counts()
    found, end = 0, len(lines)
    while 0 <= index < end and found < SHINGLE - 1:
        line = lines[index]
        count = known.get(line)
        found += seen.word_count(line) if count is None else count
        index += step
    return index if step == 1 else index + 1
