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

from generator.preview import watching
from generator.preview.watching import (
    FOLDER_TIMES_SECONDS,
    PREVIEW_POLL_SECONDS,
    QUICK_POLL_SECONDS,
    Looks,
    emitter_locks,
    files_under,
    folder_times,
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


def test_a_file_added_to_a_large_folder_is_seen_before_its_next_whole_look(tmp_path, monkeypatch):
    # A large folder (a whole look every 2 s here): an entry added, deleted or renamed changes its
    # folder's times, looked at every 0.05 s; a file written in place is still seen by a whole look.
    monkeypatch.setattr(watching, "POLL_SECONDS_PER_FILE", 0.1)  # 3 entries: the longest interval
    sub = tmp_path / "fragments"
    sub.mkdir()
    for name in ("a.txt", "b.txt"):
        (sub / name).write_text("one", encoding="utf-8")
    observer = PollingObserver(timeout=PREVIEW_POLL_SECONDS)
    events: list[str] = []
    seen = threading.Event()

    def noted(event):
        if not event.is_directory:
            events.append(os.path.basename(event.src_path))
            seen.set()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = noted  # type: ignore[method-assign]
    observer.schedule(handler, str(tmp_path), recursive=True)
    tune(observer, str(tmp_path))
    (emitter,) = observer.emitters
    assert emitter.timeout == PREVIEW_POLL_SECONDS
    emitter._timeout = 2.0  # whole looks far apart: the folder's times are what sees the new file
    observer.start()
    try:
        time.sleep(4 * FOLDER_TIMES_SECONDS)  # its first look is taken
        started = time.monotonic()
        (sub / "new.txt").write_text("added", encoding="utf-8")
        assert seen.wait(5)
        assert time.monotonic() - started < 1.5, "seen by its folder's times, not the next whole look"
        assert events == ["new.txt"]
        seen.clear()
        with (sub / "a.txt").open("r+", encoding="utf-8") as handle:  # in place: no folder's times change
            handle.write("two")
        assert seen.wait(5), "a file written in place is seen by the next whole look"
        assert events == ["new.txt", "a.txt"]
        seen.clear()
        (sub / "b.txt").unlink()
        assert seen.wait(1.5)
        assert events[-1] == "b.txt"
        seen.clear()
        with held_still(observer):  # a rebuild: a file written in place meanwhile is seen right after it
            time.sleep(4 * FOLDER_TIMES_SECONDS)
            (sub / "a.txt").write_text("three, longer", encoding="utf-8")
            time.sleep(4 * FOLDER_TIMES_SECONDS)
            assert not seen.is_set(), "the watcher looked during the rebuild"
        assert seen.wait(1.5), "the look right after the rebuild, not the next whole look"
        assert events[-1] == "a.txt"
    finally:
        observer.stop()
        observer.join()


def test_a_folders_times_change_with_its_entries_and_when_it_is_gone(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    looks = Looks(str(tmp_path), recursive=True)
    snapshot = looks.take()
    assert set(looks.listed) == {str(tmp_path), str(sub)}
    assert not looks.changed()
    (tmp_path / ".hidden.tmp").write_text("x", encoding="utf-8")
    assert looks.changed(), "any entry created changes its folder's times, a hidden one too"
    assert str(tmp_path / ".hidden.tmp") not in snapshot.paths
    looks.take()
    sub.rmdir()
    assert looks.changed()
    assert folder_times(str(sub)) is None
