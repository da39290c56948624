"""Stopping a build (Ctrl+C, SIGTERM), one build at a time into a folder, and what a
killed build left behind.

A stop is an exception (BuildStopped) raised in the build's main thread, so that every
`finally` and context manager on the way out removes what the build made: the staging
site folder, Pagefind's work folder, the guard's and the render pool's processes. Those
forked processes ignore Ctrl+C (the terminal sends it to all of them; generator/forking.py):
their parent ends them, so none of them prints a traceback of its own.

A build holds a lock file beside the site folder (and one beside the docs folder) for its
whole run. A second build into the same folders waits for the first to finish, saying so,
then finds the site up to date or builds it again. Holding the lock, a build removes what a
killed build (SIGKILL, power cut) left behind: folders named after the site folder with the
process number of a build that no longer runs, and the search records' pages it wrote in
memory (MEMORY_FOLDER, where the system has one: memory_work_folder).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import IO

from generator.forking import STOP_SIGNALS

LOCK_SUFFIX = ".okb-lock"
# The temporary folders a build makes beside its site folder, each named
# .<site>.<kind>-<process number>-<random> (write.work_folder).
WORK_KINDS = ("building", "okb-search", "previous")
# A folder held in memory (Linux's tmpfs), where a build writes what it only makes to be
# read back at once by another process (the search records' pages Pagefind reads): 3,739
# pages at 5,000 fragments, a folder and a file each, cost 1.4-2.5 s of system time to
# write on a disk and ~0.1 s there (bench/README.md, "Full build speed, eighth round").
# Named okb-pages-<process number>-<random>: every build removes those of a process that
# no longer runs, whichever site they were for (their pages are public text only).
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_KIND = "okb-pages"


class BuildStopped(BaseException):
    """Ctrl+C or SIGTERM: the build stops and removes what it made. A BaseException, like
    KeyboardInterrupt, so that no `except Exception` on the way takes it for a failure."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn Ctrl+C and SIGTERM into BuildStopped while the block runs (main thread only).
    After the first, further ones are ignored: the removal of temporary folders is not cut
    short by a second Ctrl+C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for each in STOP_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        raise BuildStopped(signum)

    previous = {each: signal.signal(each, stop) for each in STOP_SIGNALS}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)


def sigterm_as_ctrl_c() -> None:
    """From now on SIGTERM stops this process as Ctrl+C does (KeyboardInterrupt), so that what
    cleans up after Ctrl+C runs then too: `mkdocs serve` removes its temporary copy of the site
    only on Ctrl+C, and a `kill`, a service manager or a test's terminate() left one in the
    system's temporary folder each time. Main thread only (elsewhere nothing changes)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def lock_file(folder: Path) -> Path:
    """Beside the folder, never in it (the site holds only what is published)."""
    folder = folder.resolve()
    return folder.parent / f".{folder.name}{LOCK_SUFFIX}"


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _lock(handle: IO[bytes]) -> None:
        while not _try_lock(handle):
            time.sleep(0.2)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # a stop while waiting raises BuildStopped

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def one_build_at_a_time(folders: list[Path], waiting: Callable[[Path], None]) -> Iterator[None]:
    """Hold the lock of each folder, in the order given (the site's first: every build takes
    them in that order, so two never wait for each other); waiting(folder) is called when
    another build holds one. The lock is the operating system's: a build that is killed
    releases it. A lock file is removed when its build ends (nothing is left beside the
    folders); a build that got the lock of a file removed meanwhile takes it again."""
    with contextlib.ExitStack() as held:
        for folder in dict.fromkeys(folder.resolve() for folder in folders):
            path = lock_file(folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = _locked(path, folder, waiting)
            held.callback(_release, handle, path)
        yield


def _locked(path: Path, folder: Path, waiting: Callable[[Path], None]) -> IO[bytes]:
    """The open lock file, locked; waiting(folder) is called once if another build holds it."""
    told = False
    while True:
        handle = open(path, "a+b")  # noqa: SIM115 - held open until the build ends (_release)
        try:
            if not _try_lock(handle):
                if not told:
                    waiting(folder)
                    told = True
                _lock(handle)
            if _is_still(handle, path):
                return handle
        except BaseException:
            handle.close()
            raise
        handle.close()  # the build before removed this file as it ended: the lock is on the new one


def _is_still(handle: IO[bytes], path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except FileNotFoundError:
        return False


def _release(handle: IO[bytes], path: Path) -> None:
    if sys.platform != "win32":  # an open file cannot be removed there: the lock file stays
        path.unlink(missing_ok=True)
    _unlock(handle)
    handle.close()


def work_folder_prefix(site_dir: Path, kind: str) -> str:
    """The name of a temporary folder beside site_dir, up to its random part: it says which
    site and which process it belongs to, so a later build can tell a leftover."""
    assert kind in WORK_KINDS
    return f".{site_dir.resolve().name}.{kind}-{os.getpid()}-"


def memory_work_folder() -> Path | None:
    """A new folder in MEMORY_FOLDER for this process (removing it is the caller's), or None
    where the system has none this process may write (macOS, Windows, a locked-down host):
    the caller then works on the disk."""
    if not (MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK)):
        return None
    try:
        return Path(tempfile.mkdtemp(prefix=f"{MEMORY_KIND}-{os.getpid()}-", dir=MEMORY_FOLDER))
    except OSError:
        return None


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would stop it: the lock alone decides
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_leftovers(site_dir: Path) -> None:
    """Remove the temporary folders of builds of site_dir that no longer run (killed ones).
    Called with the site's lock held. A '.previous' site left by a build killed between its
    two renames is put back when there is no site."""
    site_dir = site_dir.resolve()
    if not site_dir.parent.is_dir():
        return
    pattern = re.compile(rf"\.{re.escape(site_dir.name)}\.({'|'.join(WORK_KINDS)})-(\d+)(?:-.*)?")
    for path in sorted(site_dir.parent.iterdir()):
        match = pattern.fullmatch(path.name)
        if match is None or _running(int(match.group(2))) or path.is_symlink():
            continue
        if match.group(1) == "previous" and not site_dir.exists():
            os.rename(path, site_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)
    _remove_memory_leftovers()


def _remove_memory_leftovers() -> None:
    """The memory work folders (memory_work_folder) of processes that no longer run."""
    if not MEMORY_FOLDER.is_dir():
        return
    pattern = re.compile(rf"{re.escape(MEMORY_KIND)}-(\d+)-.*")
    with contextlib.suppress(OSError):  # a folder this process may not list: nothing of ours
        for path in sorted(MEMORY_FOLDER.iterdir()):
            match = pattern.fullmatch(path.name)
            if match is not None and not _running(int(match.group(1))) and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
