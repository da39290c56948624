"""generator/preview/watching.py: MkDocs' polling watcher looks at no folder while a rebuild
holds it, and sees right after it a file saved during the rebuild; it looks at a small folder
more often than at a large one."""

from __future__ import annotations

import os
import threading
import time
import types

import watchdog.events
from watchdog.observers.polling import PollingObserver

from generator.preview.watching import (
    PREVIEW_POLL_SECONDS,
    QUICK_POLL_SECONDS,
    emitter_locks,
    files_under,
    held_still,
    poll_seconds,
    tune,
)

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


def test_a_small_folder_is_looked_at_more_often_than_a_large_one(tmp_path):
    small, large, other = tmp_path / "small", tmp_path / "large", tmp_path / "other"
    for folder, count in ((small, 3), (large, 2500), (other, 3)):
        folder.mkdir()
        for number in range(count):
            (folder / f"{number}.txt").write_bytes(b"")
    assert files_under(str(small), 100) == 3
    assert files_under(str(large), 100) == 100, "counting stops at the limit"
    assert files_under(str(small / "0.txt"), 100) == 1
    assert poll_seconds(3) == QUICK_POLL_SECONDS
    assert poll_seconds(2500) == PREVIEW_POLL_SECONDS
    assert QUICK_POLL_SECONDS < poll_seconds(1000) < PREVIEW_POLL_SECONDS
    observer = PollingObserver(timeout=PREVIEW_POLL_SECONDS)
    handler = watchdog.events.FileSystemEventHandler()
    for folder in (small, large, other):
        observer.schedule(handler, str(folder), recursive=True)
    tune(observer, str(small))
    tune(observer, str(large))
    intervals = {emitter.watch.path: emitter.timeout for emitter in observer.emitters}
    assert intervals == {
        str(small): QUICK_POLL_SECONDS,
        str(large): PREVIEW_POLL_SECONDS,
        str(other): PREVIEW_POLL_SECONDS,  # not paced: as the observer made it
    }
    tune(types.SimpleNamespace(), str(small))  # an observer without emitters is left as it is


def test_a_save_is_seen_within_a_quick_look_of_a_small_folder(tmp_path):
    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    observer = PollingObserver(timeout=PREVIEW_POLL_SECONDS)
    seen = threading.Event()
    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = lambda event: None if event.is_directory else seen.set()  # type: ignore[method-assign]
    observer.schedule(handler, str(tmp_path), recursive=True)
    tune(observer, str(tmp_path))
    observer.start()
    try:
        time.sleep(4 * QUICK_POLL_SECONDS)  # its first look is taken
        (tmp_path / "a.txt").write_text("two, longer", encoding="utf-8")
        started = time.monotonic()
        assert seen.wait(5)
        # A look every 0.05 s (the observer's own 0.2 s otherwise); generous for a loaded machine.
        assert time.monotonic() - started < PREVIEW_POLL_SECONDS + 0.5
    finally:
        observer.stop()
        observer.join()


def test_a_save_through_a_hidden_temporary_file_is_seen_once_at_its_rename(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("one", encoding="utf-8")
    observer = PollingObserver(timeout=PREVIEW_POLL_SECONDS)
    events = []
    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = lambda event: None if event.is_directory else events.append(event)  # type: ignore[method-assign]
    observer.schedule(handler, str(tmp_path), recursive=True)
    tune(observer, str(tmp_path))
    observer.start()
    try:
        time.sleep(4 * QUICK_POLL_SECONDS)  # its first look is taken
        temporary = tmp_path / ".export.csv.tmp"
        temporary.write_text("two, longer", encoding="utf-8")
        (tmp_path / ".swap").write_text("an editor's", encoding="utf-8")
        time.sleep(6 * QUICK_POLL_SECONDS)
        assert events == [], "a hidden file is never looked at"
        os.replace(temporary, export)
        deadline = time.monotonic() + 5
        while not events and time.monotonic() < deadline:
            time.sleep(0.01)
        assert events and all(os.path.basename(event.src_path) == "export.csv" for event in events), events
    finally:
        observer.stop()
        observer.join()
