"""What one generation computed, reused by the next when its inputs are equal.

`mkdocs serve` regenerates after every saved edit, and one edited fragment changes a few
dozen of ~4,000 pages. A Memo keeps each result (a normalised fragment, a rendered page)
under a name (a row, a page path) with the inputs it was computed from; the next
generation compares the new inputs with the kept ones and computes again only when they
differ. Inputs are compared by value (==), so a result is reused only when everything it
was computed from is the same: there is no list of dependencies to keep up to date.
Comparisons are quick because unchanged fragments are the very same objects from one
generation to the next (the normalised fragments are reused first), and Python compares
an object with itself without looking inside.

Only results used by the last complete generation are kept: a page that is no longer
generated is forgotten, so memory does not grow over a long preview session. A memo
asked only while another kept result is made (a list entry, asked while a listing's page is
rendered) keeps what it is not asked for too (`forget_unused=False`): a generation that
reuses the page does not ask for its entries, yet the next one that renders the page again
needs them (deleting a row renders ~200 later pages of the paged listings again: their
~3,800 list entries were made again, ~2 s at 5,000). It keeps one result per name (a
fragment's ID and a page depth), so it grows only with the names ever seen.

The one way this goes wrong is a result whose given inputs leave out something it reads
(pages/renderer.py's `shows=` names what a listing's page shows by hand). With OKB_VERIFY_MEMO=1
in the environment (the preview's tests set it), every reused result is computed again
and compared with the kept one; a difference raises MemoMismatch naming the memo and the
name, so a missing input fails a test instead of leaving a stale page in a preview.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")

VERIFY_VARIABLE = "OKB_VERIFY_MEMO"  # set to 1: every reused result is checked (slow; for tests)


def verify_requested() -> bool:
    """OKB_VERIFY_MEMO is set to anything but empty or 0."""
    return os.environ.get(VERIFY_VARIABLE, "").strip() not in ("", "0")


class MemoMismatch(AssertionError):
    """A kept result differs from the one its equal inputs give now: the inputs given to
    Memo.get leave out something the result is computed from. A fault in the generator."""

    def __init__(self, memo: str, name: Hashable) -> None:
        # The name is a file, a row or a page path, or a published fragment's ID; never a
        # value (a kept result may hold what a later edit made confidential).
        super().__init__(
            f"The preview's memo '{memo}' reused a result for {name!r} that is not what its inputs give "
            f"now: the inputs it is given leave out something the result is made from ({VERIFY_VARIABLE} check)"
        )
        self.memo, self.name = memo, name


class Memo(Generic[Value]):
    """Results by name, each with the inputs it was computed from."""

    def __init__(self, label: str, verify: bool | None = None, forget_unused: bool = True) -> None:
        self.label = label  # what it keeps, for MemoMismatch's message ("pages")
        self.verify = verify_requested() if verify is None else verify
        self.forget_unused = forget_unused  # finish() forgets what the generation did not ask for
        self._kept: dict[Hashable, tuple[object, Value]] = {}  # of the last complete generation
        self._used: dict[Hashable, tuple[object, Value]] = {}  # by the generation under way
        self.computed = 0  # results computed (not reused) in the generation under way

    def get(self, name: Hashable, inputs: object, compute: Callable[[], Value]) -> Value:
        """The result kept under `name` if it was computed from inputs equal to `inputs`;
        otherwise compute() (kept for the next generation). (Asked ~80,000 times a save at
        5,000: update calls it, never the other way round.)"""
        kept = self._used.get(name) or self._kept.get(name)
        if kept is not None and (kept[0] is inputs or kept[0] == inputs):
            if self.verify and compute() != kept[1]:
                raise MemoMismatch(self.label, name)
            # The kept pair itself when its inputs are these very ones: no new pair per reuse
            # (~80,000 a save). Equal, other inputs are kept instead, so that the next generation,
            # which is given these objects again, compares them by identity.
            self._used[name] = kept if kept[0] is inputs else (inputs, kept[1])
            return kept[1]
        value = compute()
        self.computed += 1
        self._used[name] = (inputs, value)
        return value

    def update(
        self,
        name: Hashable,
        inputs: object,
        compute: Callable[[], Value],
        from_last: Callable[[object, Value], Value],
    ) -> Value:
        """As get, but a result kept under `name` from other inputs is brought up to date by
        from_last(its inputs, it) instead of compute() (verify mode checks it against compute())."""
        kept = self._used.get(name) or self._kept.get(name)
        if kept is None or kept[0] is inputs or kept[0] == inputs:
            return self.get(name, inputs, compute)
        value = from_last(*kept)
        self.computed += 1
        if self.verify and compute() != value:
            raise MemoMismatch(self.label, name)
        self._used[name] = (inputs, value)
        return value

    def start(self) -> None:
        """A new generation begins. Results of one that stopped half-way stay usable."""
        self._kept.update(self._used)
        self._used = {}
        self.computed = 0

    def finish(self) -> object:
        """The generation under way is complete: keep only what it used (what it did not ask
        for too, unless forget_unused). Gives back what is no longer kept, for the caller to
        let go of when it chooses (Kept.finish: freeing ~4,000 results was ~20 ms of a save)."""
        dropped: object = None
        if self.forget_unused:
            dropped, self._kept = self._kept, self._used
        else:
            self._kept.update(self._used)
        self._used = {}
        return dropped

    def __len__(self) -> int:
        return len(self._kept) + len(self._used)
