"""Python's cycle collector held off while a preview rebuilds, and until the editor has the page.

A preview keeps millions of objects from build to build (MkDocs' pages, the kept
generation), and the collector walks them again and again while a rebuild makes new ones:
0.5-1 s of a 1 s rebuild at 5,000 fragments, so it is off while a rebuild runs. Turned on
again at the rebuild's end, it collected at once: a collection of the young objects the
rebuild made (hundreds of thousands: 0.05-0.15 s of CPU at 5,000, a tenth of a deleted
row's rebuild), before MkDocs told the browser and served the page. It now waits until
COLLECT_AFTER_SECONDS after the rebuild, when the browser has reloaded the page; a save
within that time keeps it off through its own rebuild. A rebuild makes few cycles, and at
most MAX_DEFERRED rebuilds in a row leave their objects to a later collection: after those,
a rebuild turns the collector on at its end, as before.

What a rebuild stopped keeping (the last generation's results its memos let go of, ~20 ms of
freeing at 5,000) is handed over (`release_later`) and let go of with the collection, after
the page is shown; at the rebuild's end where the collector is turned on there.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

COLLECT_AFTER_SECONDS = 1.0  # after a rebuild: MkDocs has told the browser, which has reloaded the page
MAX_DEFERRED = 5  # rebuilds in a row whose young objects wait for a later collection
TIMER_NAME = "okb-preview-collector"  # the thread that turns the collector on again


class Collector:
    """The cycle collector, off while a rebuild runs and for a while after (`paused`)."""

    def __init__(self, after: float = COLLECT_AFTER_SECONDS, max_deferred: int = MAX_DEFERRED) -> None:
        self.after = after
        self.max_deferred = max_deferred
        self._lock = threading.Lock()
        self._was_on: bool | None = None  # as it was before the first of the rebuilds in a row
        self._deferred = 0  # rebuilds in a row ended without a collection since
        self._pending: threading.Timer | None = None
        self._held: list[object] = []  # let go of when the collector is turned on again

    def release_later(self, garbage: object) -> None:
        """Hold `garbage` (the last reference to it) until the collector is turned on again."""
        with self._lock:
            self._held.append(garbage)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """The collector off while the body runs (a rebuild), and on again a while after it."""
        with self._lock:
            if self._pending is not None:
                self._pending.cancel()
                self._pending = None
            if self._was_on is None:
                self._was_on = gc.isenabled()
            gc.disable()
        try:
            yield
        finally:
            with self._lock:
                self._deferred += 1
                if not self._was_on:
                    self._was_on, self._deferred = None, 0
                    released = self._release_locked()
                elif self._deferred > self.max_deferred:
                    released = self._resume_locked()
                else:
                    released = []
                    self._pending = threading.Timer(self.after, self._resume)
                    self._pending.name = TIMER_NAME
                    self._pending.daemon = True  # never keeps the server from stopping
                    self._pending.start()
            del released  # freed here, outside the lock

    def _resume(self) -> None:
        """In the timer's own thread: on again, unless a rebuild started since (it was cancelled)."""
        with self._lock:
            if self._pending is not threading.current_thread():
                return
            self._pending = None
            released = self._resume_locked()
        del released  # freed here, outside the lock

    def _resume_locked(self) -> list[object]:
        """On again; what was held, for the caller to let go of."""
        self._was_on, self._deferred = None, 0
        gc.enable()
        return self._release_locked()

    def _release_locked(self) -> list[object]:
        released, self._held = self._held, []
        return released
