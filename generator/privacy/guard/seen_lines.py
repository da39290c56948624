"""Each distinct line of a walk is checked once.

A 5,000-fragment site is mostly the same theme markup on every page: a line already seen in
an earlier file was checked then, so only new lines are checked, each with enough of its
neighbours (at least SHINGLE - 1 words on each side) that a run crossing a line break is
still seen. What this misses: a run made only of lines that each appeared before in other
files, in a new order.

What is checked of a large file is cut, at line breaks, into pieces of about PIECE_BYTES,
each with enough of its neighbours that a term or run crossing a cut is still seen whole in
one piece: its words, held at once, take ~10 times its size.
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate, compress

from generator.privacy.guard.decode import WordReader
from generator.privacy.guard.terms import SHINGLE

# The most of a file checked at once, in bytes of whole lines: the 20 MB open data of a site
# of 20,000 fragments in two languages, checked whole, took the guard's process up ~240 MiB.
PIECE_BYTES = 1 << 20


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


def unseen_chunks(data: bytes, seen: SeenLines | None, longest_term: int = SHINGLE) -> Iterator[bytes]:
    """The parts of data to check: all of it without `seen`, else the lines not seen yet
    (which are then added), each run with SHINGLE - 1 words of context on both sides; a part
    over PIECE_BYTES in pieces (_in_pieces) that overlap by longest_term - 1 words or more."""
    if seen is None:
        yield data
        return
    lines = data.split(b"\n")
    unseen_at = list(compress(range(len(lines)), map(operator.not_, map(seen.lines.__contains__, lines))))
    seen.lines.update(map(lines.__getitem__, unseen_at))  # the others are in it: not looked up again
    if len(unseen_at) == len(lines) and len(data) <= PIECE_BYTES:
        yield data
        return
    parts = _with_context(lines, _runs(unseen_at), seen)
    if len(data) > PIECE_BYTES:  # else no part can be over it
        parts = _in_pieces(lines, parts, seen, max(SHINGLE, longest_term) - 1)
    for start, end in parts:
        yield b"\n".join(lines[start:end])


def _in_pieces(
    lines: list[bytes], parts: Iterable[tuple[int, int]], seen: SeenLines, context: int
) -> Iterator[tuple[int, int]]:
    """Each part over PIECE_BYTES cut at line breaks into pieces of about PIECE_BYTES (one line
    at least), each widened within its part by lines holding at least `context` words on each
    side: a term of up to context + 1 words that crosses a cut is whole in the piece where it
    starts, as it was in the part."""
    for start, end in parts:
        ends = list(accumulate(len(line) + 1 for line in lines[start:end]))  # byte offset after each line
        if ends[-1] <= PIECE_BYTES:
            yield start, end
            continue
        cut = start
        while cut < end:
            before = ends[cut - start - 1] if cut > start else 0
            next_cut = max(cut + 1, start + bisect_right(ends, before + PIECE_BYTES))
            first = max(start, _context_edge(lines, cut - 1, -1, seen, context)) if cut > start else start
            last = min(end, _context_edge(lines, next_cut, 1, seen, context))
            yield first, last
            cut = next_cut


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


def _context_edge(lines: list[bytes], index: int, step: int, seen: SeenLines, words: int = SHINGLE - 1) -> int:
    """Going from lines[index] in direction step, where the context of `words` words ends
    (the first line index outside the context when step is 1, the first inside when -1)."""
    # The loop of a walk's every context line (1.4 million at 5,000 fragments in two languages):
    # the counts already known are looked up here, without a call per line.
    known = seen.known_word_counts()
    found, end = 0, len(lines)
    while 0 <= index < end and found < words:
        line = lines[index]
        count = known.get(line)
        found += seen.word_count(line) if count is None else count
        index += step
    return index if step == 1 else index + 1
