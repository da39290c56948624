"""Where page code keeps what it made, to give it again when asked with equal inputs.

The page code asks for a result by name with the inputs it is made from (Reuse.get) and
never decides how long a result is kept. A build passes nothing and gets what is below;
a preview keeps results from one generation for the next by passing its own
(generator/preview/kept.py), which the page code does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, Protocol, TypeVar

Value = TypeVar("Value")


class Reuse(Protocol[Value]):
    def get(self, name: Hashable, inputs: object, compute: Callable[[], Value]) -> Value:
        """The result kept under `name` if it was computed from inputs equal to `inputs`;
        otherwise compute()."""
        ...

    def update(
        self, name: Hashable, inputs: object, compute: Callable[[], Value], from_last: Callable[[object, Value], Value]
    ) -> Value:
        """As get, but when the result kept under `name` was made from other inputs, from_last(its
        inputs, it) instead of compute(): a result cheaper to bring up to date than to make (a
        listing's filter counts after one of its 3,739 outcomes changed). from_last must give
        what compute() would."""
        ...


class ReuseMaker(Protocol):
    def __call__(self, label: str, within: bool = False) -> Reuse[Any]:
        """The Reuse of one cache, from its label ("pages"): a preview's keeps it for the next
        generation. within: the cache is asked only while another reused result is made (a
        list entry while a page is rendered), so a generation that reuses that result does
        not ask for it, though the next one may."""
        ...


class Compute(Generic[Value]):
    """Keeps nothing: what a build asks for once (a page, a fragment's parts) is made each time."""

    def get(self, name: Hashable, inputs: object, compute: Callable[[], Value]) -> Value:
        return compute()

    def update(
        self, name: Hashable, inputs: object, compute: Callable[[], Value], from_last: Callable[[object, Value], Value]
    ) -> Value:
        return compute()


class Remember(Generic[Value]):
    """Keeps the last result under each name, for what one build asks for many times with
    equal inputs (a fragment's list entry is on many lists, a listing's filter on each of
    its pages)."""

    def __init__(self) -> None:
        self._made: dict[Hashable, tuple[object, Value]] = {}

    def get(self, name: Hashable, inputs: object, compute: Callable[[], Value]) -> Value:
        made = self._made.get(name)
        if made is not None and (made[0] is inputs or made[0] == inputs):
            return made[1]
        value = compute()
        self._made[name] = (inputs, value)
        return value

    def update(
        self, name: Hashable, inputs: object, compute: Callable[[], Value], from_last: Callable[[object, Value], Value]
    ) -> Value:
        made = self._made.get(name)
        if made is not None and not (made[0] is inputs or made[0] == inputs):
            value = from_last(*made)
            self._made[name] = (inputs, value)
            return value
        return self.get(name, inputs, compute)
