"""`mkdocs serve`'s watcher: how often it looks at each watched folder, how long it waits for
a save to end, and held still while a save is rebuilt.

MkDocs watches with watchdog's polling observer (it works on network and container mounts,
where the system's change notices do not): every few tenths of a second it lists each
watched folder and compares each file's times and size with the last look. A save is seen,
on average, half an interval after it is made, so the interval is as short as the folder
allows (`poll_seconds`): a look at a folder costs ~9 µs of CPU per file, so a folder of a few
hundred files (an export, the templates) is looked at every 0.05 s for less than a twentieth
of a core, and a folder of 5,000 `.txt` files (~45 ms a look) every 0.2 s, as before.

Once a look has seen a change, MkDocs waits until no change has come for `build_delay`
(0.1 s) before it rebuilds. With a polling watcher every change one look sees arrives at
once, and the next look comes an interval later: the 0.1 s merged nothing and delayed every
save by 0.1 s. SETTLE_SECONDS leaves time for the rest of one look's changes only.

With one `.txt` per fragment a look at 5,000 files runs in a thread beside the rebuild,
taking the interpreter from it. The rebuild holds each polling emitter's lock, which the
emitter takes around each look: the watcher waits for the rebuild to end, then looks once
and compares with its look from before, so a file saved during the rebuild is still seen
(and rebuilt after it), exactly as before.

Between two looks at a large folder its folders' own times are looked at every 0.05 s
(`Looks`, a few `stat` calls): a file created, deleted or renamed there (a save through a
temporary file renamed over the old one, as most editors and Excel save; a fragment's `.txt`
added or deleted) changes the times of the folder that holds it, and the look comes at once
instead of up to 0.2 s later (~75 ms of a `.txt` save's wait at 5,000, on average). A file
written in place changes no folder's times: the look every 0.2 s sees it, as before, so
nothing is seen later than it was.

The emitters' lock, interval, look and wait are watchdog's private attributes
(PollingEmitter._lock, _take_snapshot and queue_events, EventEmitter._timeout and
stopped_event, watchdog 2 to 7): an observer without them is left to look as it did, which
is only slower.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator

from watchdog.utils.dirsnapshot import DirectorySnapshot

PREVIEW_POLL_SECONDS = 0.2  # the longest interval between two looks at a watched folder
QUICK_POLL_SECONDS = 0.05  # the shortest: a folder of up to 500 files
POLL_SECONDS_PER_FILE = 0.0001  # ~10x a file's share of a look: the watcher takes < 1/10 of a core
SETTLE_SECONDS = 0.02  # after a look saw a change: time for that look's other changes to arrive
FOLDER_TIMES_SECONDS = QUICK_POLL_SECONDS  # between two looks at a large folder: its folders' own times

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


def files_under(path: str, at_most: int) -> int:
    """How many files a look at `path` lists (a file: 1), counted up to `at_most`."""
    if not os.path.isdir(path):
        return 1
    count = 0
    for _, folders, files in os.walk(path):
        count += len(files) + len(folders)
        if count >= at_most:
            return at_most
    return count


def poll_seconds(files: int) -> float:
    """The interval between two looks at a folder of `files` files."""
    return min(PREVIEW_POLL_SECONDS, max(QUICK_POLL_SECONDS, files * POLL_SECONDS_PER_FILE))


def visible_entries(folder: str | None) -> Iterator[os.DirEntry[str]]:
    """A folder's entries but the hidden ones (a name that starts with '.')."""
    with os.scandir(folder) as listing:
        return iter([entry for entry in listing if not entry.name.startswith(".")])


def folder_times(folder: str) -> tuple[int, int, int, int] | None:
    """What changes when an entry of `folder` is created, deleted or renamed (None: it is gone)."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_mtime_ns, found.st_ctime_ns)


class Looks:
    """The looks at one watched folder (each a DirectorySnapshot without hidden files), and
    each folder's times as the last look listed it: a folder whose times changed since has an
    entry created, deleted or renamed that the last look has not seen."""

    def __init__(self, path: str, recursive: bool) -> None:
        self.path = path
        self.recursive = recursive
        self.listed: dict[str, tuple[int, int, int, int] | None] = {}  # the last look's folders

    def take(self) -> DirectorySnapshot:
        listing: dict[str, tuple[int, int, int, int] | None] = {}

        def listdir(folder: str | None) -> Iterator[os.DirEntry[str]]:
            name = os.fspath(folder or ".")
            listing[name] = folder_times(name)  # before the listing: a change during it is seen next time
            return visible_entries(folder)

        snapshot = DirectorySnapshot(self.path, recursive=self.recursive, listdir=listdir)
        self.listed = listing
        return snapshot

    def changed(self) -> bool:
        """Whether a folder the last look listed has other times now (or none)."""
        return any(folder_times(folder) != times for folder, times in self.listed.items())

    def waited(self, stopped: threading.Event, lock: threading.Lock, seconds: float) -> None:
        """Wait up to `seconds` for the next look: less when a folder's times change, when a
        rebuild holds the emitter's lock (the look then waits for it and comes right after,
        as it did), or when the emitter is stopped."""
        until = time.monotonic() + seconds
        while (left := until - time.monotonic()) > 0:
            if stopped.wait(min(FOLDER_TIMES_SECONDS, left)) or lock.locked() or self.changed():
                return


def _looked_at_between(emitter: object, looks: Looks) -> Callable[[float], None] | None:
    """The emitter's queue_events (wait `timeout`, then look), waiting through `looks` instead;
    None when the emitter lacks what that needs (another watchdog)."""
    queue_events = getattr(emitter, "queue_events", None)
    stopped = getattr(emitter, "stopped_event", None)
    lock = getattr(emitter, "_lock", None)
    if not callable(queue_events) or not isinstance(stopped, threading.Event) or not isinstance(lock, _LOCK_TYPE):
        return None

    def queue_events_sooner(timeout: float) -> None:
        looks.waited(stopped, lock, timeout)
        queue_events(0)

    return queue_events_sooner


def tune(observer: object, path: str) -> None:
    """Look at `path` (watched by the observer) as often as its size allows (poll_seconds), at
    once when one of its folders' times changes (Looks), and never at its hidden files. The
    generator reads no hidden file of a content folder, and an
    editor saves through one (a temporary `.name.tmp`, then renamed over the file): a look
    between the two steps started a rebuild that could read the file before its new bytes,
    then a second, empty one (~0.3 s of CPU at 5,000) after the rename. Seen no more, the
    temporary file starts nothing; the rename changes the file, which is seen. An editor's
    swap file (`.name.swp`) starts no rebuild either."""
    seconds = poll_seconds(files_under(path, round(PREVIEW_POLL_SECONDS / POLL_SECONDS_PER_FILE)))
    for emitter in getattr(observer, "emitters", ()):
        watch = getattr(emitter, "watch", None)
        if os.path.abspath(str(getattr(watch, "path", ""))) != os.path.abspath(path):
            continue
        if isinstance(getattr(emitter, "_timeout", None), float):
            emitter._timeout = seconds
        if not callable(getattr(emitter, "_take_snapshot", None)) or emitter.is_alive():  # only before its first look
            continue
        looks = Looks(path, recursive=getattr(watch, "is_recursive", True))
        emitter._take_snapshot = looks.take
        sooner = _looked_at_between(emitter, looks) if seconds > FOLDER_TIMES_SECONDS else None
        if sooner is not None:
            emitter.queue_events = sooner
