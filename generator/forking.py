"""Forked helper processes: the one way the build starts a process of its own.

The guard's process, the guard's second checker of a large site (privacy/guard), the
second renderer of fragment pages (pages/render.py, FragmentPages) and Pagefind's indexer
(publish/search.py, Indexer) are forked, never spawned: a forked child gets the
parent's memory (the guard's terms, the index, the compiled templates) for free, where a
spawned one would have to rebuild or unpickle it. Each talks to its parent over one pipe.

This module sits at the top of generator/, beside model and errors, because the stages
that fork (privacy/, pages/) sit below publish/ (which calls them): here, none of them has
to import a later stage to start a helper.

Ctrl+C: the terminal sends it to the whole process group, children included. A child
ignores it and is ended by its parent (publish/stopping.py turns it into BuildStopped
there), so that no helper prints a traceback of its own. Ctrl+C and SIGTERM are held back
while a helper is forked and until it ignores them: one that came in between would have run
the parent's handler in the child, and its traceback would have been printed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from typing import Generic, TypeVar

from generator.errors import BuildError, InputError

try:
    import fcntl
except ImportError:  # Windows: no pipes of a chosen size
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

# What a helper ignores or ends on (in_forked_child), held back while it is forked.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def can_fork() -> bool:
    """Whether a helper can be forked. Not without fork (Windows), nor with other threads
    running (a fork copies only the calling thread, and their locks: `mkdocs serve`): the
    work is then done in this process."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def can_fork_beside_threads() -> bool:
    """Whether a helper can be forked from the main thread while other threads run (`mkdocs
    serve`'s server, watcher and timers: the preview's second renderer, preview/apply.py). A
    fork copies only the calling thread, and the others' locks as they are at that moment: a
    helper so forked must use nothing those threads use but the log (whose locks Python makes
    new in a child), and its parent waits for it a limited time (Call.result's `within`) and
    does the helper's work itself when it does not answer."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.current_thread() is threading.main_thread()


def spare_core() -> bool:
    """Whether a helper is likely to get a core of its own now: the last minute's load average
    is below the cores this process may use, less one (this process's), with half a core of
    margin. Forking costs CPU (the page tables, then the pages either process writes while
    both run): on a busy machine a helper that waits for a core makes its parent slower."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average (Windows): assume the cores are free
        return True
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores > 1 and load < cores - 0.5


def in_forked_child() -> None:
    """Called first in a forked helper process: Ctrl+C (which the terminal sends to the whole
    process group) is left to the parent, which ends its helpers; SIGTERM, what the parent
    ends them with, ends them at once and without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held back by start() until now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


@dataclass
class Forked:
    """A forked helper and this process's end of the pipe to it."""

    process: BaseProcess
    connection: Connection

    def end(self, wait: float | None = None) -> None:
        """Close this end of the pipe, give the helper `wait` seconds to finish (None: as
        long as it takes), then end it (SIGTERM) if it still runs."""
        self.connection.close()
        self.process.join(timeout=wait)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def start(target: Callable[..., None], *args: object, duplex: bool = False, daemon: bool = True) -> Forked:
    """Fork a helper that runs target(*args, connection), connection being its end of a new
    pipe; it ignores Ctrl+C (in_forked_child). duplex=False: the helper only sends. duplex=True:
    the parent sends too, and the helper closes its copy of the parent's end, so that the
    parent closing its end reaches the helper as EOF. daemon=False: the helper may fork
    helpers of its own (a daemon cannot)."""
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe(duplex=duplex)
    process = context.Process(
        target=_run_in_child, args=(target, args, child_end, parent_end if duplex else None), daemon=daemon
    )
    with stop_signals_held():
        process.start()
    child_end.close()
    return Forked(process, parent_end)


@contextlib.contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold Ctrl+C and SIGTERM back while the block runs; any that came meanwhile are
    delivered when it ends. Around a fork (start): the child inherits the held mask and lets
    them in once it ignores them (in_forked_child). Around two renames that must happen both
    or neither (publish/write.py). Where signals cannot be held back (Windows, a thread),
    the block just runs."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _run_in_child(
    target: Callable[..., None], args: tuple[object, ...], connection: Connection, parent_end: Connection | None
) -> None:
    in_forked_child()
    if parent_end is not None:
        parent_end.close()  # the fork copied it: closed here, the parent's close reaches us as EOF
    target(*args, connection)


# What a one-way pipe holds before its sender waits (where the system lets a pipe be sized:
# Linux, up to /proc/sys/fs/pipe-max-size, 1 MiB by default). The system's 64 KiB is two
# pages of a built site: the build's process, handing the guard each page as the engine
# makes it, waited on a full pipe whenever the guard was off its core for a few milliseconds.
PIPE_BYTES = 1 << 20


def pipe() -> tuple[Connection, Connection]:
    """A one-way pipe (its receiving end, its sending end) that helpers forked after it inherit,
    holding up to PIPE_BYTES where the system allows it (else the system's own size)."""
    receiving, sending = multiprocessing.get_context("fork").Pipe(duplex=False)
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is not None:
        with contextlib.suppress(OSError):  # above the system's limit: its own size stays
            fcntl.fcntl(sending.fileno(), set_size, PIPE_BYTES)
    return receiving, sending


class Turns:
    """The numbers 0 to `count` - 1, each handed out once, in order, to whichever of this process
    and the helpers forked after it asks first (take()): work shared item by item, so that a
    helper that gets no core leaves its part to the others instead of being waited for."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._next: Synchronized[int] = multiprocessing.get_context("fork").Value("i", 0)

    def take(self, wait: float | None = None) -> int | None:
        """The next number nobody has taken, or None when all are taken, or when the lock was not
        had within `wait` seconds (a helper forked beside threads may hold it as it is ended)."""
        lock = self._next.get_lock()
        if not lock.acquire(True, wait):  # wait None: as long as it takes
            return None
        try:
            number = int(self._next.value)
            self._next.value = number + 1
        finally:
            lock.release()
        return number if number < self.count else None


@dataclass
class Call(Generic[T]):
    """A function running in a forked helper (call()): result() waits for what it returns."""

    forked: Forked

    def result(self, within: float | None = None) -> T:
        """What the function returned; what it raised, raised here (a BuildError as it was, a
        failure of another kind as a BuildError: its traceback is the helper's, on stderr).
        Raises BuildError if the helper ended without an answer (killed, out of memory), or
        gave none `within` seconds (then it is ended)."""
        if within is not None and not self.forked.connection.poll(within):
            self.forked.end(wait=0)
            raise BuildError(f"A helper process of the build gave no answer in {within:g} seconds")
        try:
            returned, value = self.forked.connection.recv()
        except (EOFError, OSError):
            self.forked.end(wait=0)
            raise BuildError(
                "A helper process of the build stopped before it finished (the machine may be short "
                "of memory): nothing was published; build again"
            ) from None
        self.forked.end()
        if not returned:
            raise value if isinstance(value, BaseException) else BuildError(value)
        result: T = value
        return result

    def cancel(self) -> None:
        """The build stopped or failed: end the helper now."""
        self.forked.end(wait=0)


def call(function: Callable[..., T], *args: object) -> Call[T]:
    """Run function(*args) in a forked helper, beside this process's own work (the second
    language's engine build beside the first's). Only where can_fork(). The helper may fork
    helpers of its own."""
    return Call(start(_call_in_child, function, args, daemon=False))


def _passable(error: Exception) -> Exception | str:
    """The error as the parent will get it: itself where it crosses the pipe whole (an
    InputError, whose message names file, row and field), else its message (a BuildError)."""
    try:
        copy = pickle.loads(pickle.dumps(error))
    except Exception:
        return str(error)
    return copy if isinstance(copy, Exception) and str(copy) == str(error) else str(error)


def _call_in_child(function: Callable[..., object], args: tuple[object, ...], connection: Connection) -> None:
    try:
        value = function(*args)
    except (BuildError, InputError) as error:
        connection.send((False, _passable(error)))
    except BaseException:
        connection.send(
            (False, "A helper process of the build failed (its error is printed above): nothing was published")
        )
        raise
    else:
        connection.send((True, value))
    finally:
        connection.close()
