"""generator/preview/watching.py: MkDocs' polling watcher looks at no folder while a rebuild
holds it, and sees right after it a file saved during the rebuild."""

from __future__ import annotations

import threading
import time
import types

import watchdog.events
from watchdog.observers.polling import PollingObserver

from generator.preview.watching import emitter_locks, held_still

POLL = 0.05


def watched(folder):
    observer = PollingObserver(timeout=POLL)
    seen = threading.Event()
    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = lambda event: None if event.is_directory else seen.set()  # type: ignore[method-assign]
    observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    return observer, seen


def test_a_file_saved_during_a_rebuild_is_seen_after_it_and_not_before(tmp_path):
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    observer, seen = watched(tmp_path)
    try:
        assert emitter_locks(observer), "watchdog's polling emitter has the lock the rebuild holds"
        time.sleep(4 * POLL)  # its first look is taken
        with held_still(observer):
            (tmp_path / "a.txt").write_text("two, longer", encoding="utf-8")
            assert not seen.wait(10 * POLL), "the watcher looked during the rebuild"
        assert seen.wait(5), "the save during the rebuild was not seen after it"
    finally:
        observer.stop()
        observer.join()


def test_an_observer_without_polling_emitters_is_left_as_it_is():
    other = types.SimpleNamespace(emitters=[types.SimpleNamespace()])
    assert emitter_locks(other) == []
    with held_still(types.SimpleNamespace()):
        pass
