"""A tree's check shared between processes (check_tree on a machine with two cores).

The files are cut into consecutive blocks; block 0 is checked in this process and each other
block in a forked child, which first reads the lines of the files before its block, so that
every process skips exactly the lines one process would, and the leaks, put together in block
order, are the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection

from generator import forking
from generator.privacy.guard.decode import WordReader, decompressed
from generator.privacy.guard.seen_lines import SeenLines
from generator.privacy.guard.terms import Leak
from generator.privacy.guard.walk import Entry

# Below this many bytes to read, starting a second process costs more than it saves.
PARALLEL_MIN_BYTES = 8_000_000
# The blocks after the first also read the files before them (to know their lines): they
# get less to check. Tuned on a 5,000-fragment site and docs folder.
LATER_BLOCK_SHARE = 0.95

# Guard._check_entries: the leaks of entries, given the lines checked before them.
CheckEntries = Callable[[Iterable[Entry], SeenLines], list[Leak]]


def default_processes(entries: list[Entry]) -> int:
    if sum(entry.size for entry in entries) < PARALLEL_MIN_BYTES:
        return 1
    return min(2, os.cpu_count() or 1)


def in_blocks(entries: list[Entry], count: int) -> list[list[Entry]]:
    """entries cut into count consecutive blocks, the later ones with fewer bytes to read."""
    weights = [1.0] + [LATER_BLOCK_SHARE] * (count - 1)
    total = sum(entry.size for entry in entries)
    blocks: list[list[Entry]] = [[] for _ in range(count)]
    block, filled, target = 0, 0, total * weights[0] / sum(weights)
    for entry in entries:
        if filled >= target and block < count - 1:
            block += 1
            target += total * weights[block] / sum(weights)
        blocks[block].append(entry)
        filled += entry.size
    return blocks


def check_in_parallel(check_entries: CheckEntries, reader: WordReader, blocks: list[list[Entry]]) -> list[Leak]:
    """The leaks of check_tree, the blocks checked side by side: block 0 in this process,
    each other one in a forked child, which first reads the files of the blocks before it
    to know their lines. So every process skips the same lines as one process would, and
    the leaks, put together in block order, are the same. A child that fails is redone here."""
    children = [
        forking.start(_child, check_entries, reader, blocks[:index], blocks[index]) for index in range(1, len(blocks))
    ]
    leaks = check_entries(blocks[0], SeenLines(reader))
    for index, child in enumerate(children, start=1):
        try:
            found: list[Leak] | None = child.connection.recv()
        except (EOFError, OSError):
            found = None
        child.process.join()
        if found is None:
            found = check_entries(blocks[index], _seen_after(reader, blocks[:index]))
        leaks += found
    return leaks


def _child(
    check_entries: CheckEntries, reader: WordReader, before: list[list[Entry]], block: list[Entry], sender: Connection
) -> None:
    try:
        sender.send(check_entries(block, _seen_after(reader, before)))
    except BaseException:
        sender.send(None)  # the parent checks the block itself
        raise
    finally:
        sender.close()


def _seen_after(reader: WordReader, blocks: list[list[Entry]]) -> SeenLines:
    """The lines check_tree has seen once it has checked the files of blocks."""
    seen = SeenLines(reader)
    for block in blocks:
        for entry in block:
            if entry.read:
                with open(entry.full, "rb") as handle:
                    seen.lines.update(decompressed(handle.read()).split(b"\n"))
    return seen
