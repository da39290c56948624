"""`mkdocs serve`'s watcher held still while a save is rebuilt.

MkDocs watches with watchdog's polling observer (it works on network and container mounts,
where the system's change notices do not): every PREVIEW_POLL_SECONDS it lists the watched
folders and compares each file's times and size with the last look. With one `.txt` per
fragment a look at 5,000 files costs ~65 ms of CPU, a third of a core at 0.2 s, and it runs
in a thread beside the rebuild, taking the interpreter from it. The rebuild holds each
polling emitter's lock, which the emitter takes around each look: the watcher waits for the
rebuild to end, then looks once and compares with its look from before, so a file saved
during the rebuild is still seen (and rebuilt after it), exactly as before.

The emitter's lock is watchdog's private attribute (PollingEmitter._lock, watchdog 2 to 6):
an observer without it is left to look as it did, which is only slower.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

PREVIEW_POLL_SECONDS = 0.2  # how often `mkdocs serve` looks for saved changes in content/ and templates/

_LOCK_TYPE = type(threading.Lock())


def emitter_locks(observer: object) -> list[contextlib.AbstractContextManager[object]]:
    """The locks the observer's polling emitters take around each look at their folder."""
    emitters = getattr(observer, "emitters", ())
    locks = [getattr(emitter, "_lock", None) for emitter in emitters]
    return [lock for lock in locks if isinstance(lock, _LOCK_TYPE)]


@contextlib.contextmanager
def held_still(observer: object) -> Iterator[None]:
    """No look at the watched folders while the body runs (a rebuild); one right after it."""
    with contextlib.ExitStack() as stack:
        for lock in emitter_locks(observer):
            stack.enter_context(lock)
        yield
