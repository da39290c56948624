"""The guard of a build in a process of its own, beside the engine: it reads the docs folder
while the engine builds, checks each page as the engine produces it, then whatever else the
finished site holds.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path

from generator import forking
from generator.privacy.guard.check import Guard
from generator.privacy.guard.seen_lines import SeenLines
from generator.privacy.guard.terms import Leak
from generator.privacy.guard.walk import DEFAULT_SKIP, Entry, in_every_tree, skipper, walk

# The most bytes of pages the guard's process holds, taken from its pipes while it reads the
# docs folders; beyond it, the oldest is checked at once. (Unbounded, the pages two engines
# made while the guard read both docs folders of 20,000 fragments took it up ~175 MiB.)
WAITING_BYTES = 32 << 20


class _ChecksOfABuild:
    """The guard's checks of one build in the guard's process, sharing the lines seen: the
    docs folder, then each page as MkDocs produces it, then whatever else the finished site
    holds. A page checked as produced (or a file of Pagefind's bundle, handed over when
    Pagefind is done) is remembered by its bytes' digest; the site's walk checks every name,
    and the content of every file that is not exactly such a file (a plugin that changed a
    page after it was produced, the sitemap, assets, a bundle file moved in changed)."""

    def __init__(self, guard: Guard, skip: Collection[str] = DEFAULT_SKIP) -> None:
        self.guard = guard
        self.skipped = skipper(skip)
        self.seen = SeenLines(guard._reader)
        self.leaks: list[Leak] = []  # the docs folders', then (site()) the pages', then the site's
        self._page_leaks: list[Leak] = []  # apart: a page may be checked while a docs folder is
        self.produced: dict[str, bytes] = {}  # path in the site → digest of the bytes checked

    def folder(self, root: Path, between: Callable[[], None] = lambda: None, prefix: str = "") -> None:
        """Every file and folder under root, named prefix + its path under root; between() is called before each."""
        entries = walk(root, self.skipped, prefix)
        self.leaks += self.guard._check_entries(_calling_between(entries, between), self.seen)

    def page(self, path: str, data: bytes) -> None:
        if not self.skipped(path):
            self._page_leaks += self.guard._content_leaks(path, data, self.seen)
        self.produced[path] = _digest(data)

    def site(self, root: Path) -> None:
        self.leaks += self._page_leaks
        self._page_leaks = []
        self.leaks += self.guard._check_entries(map(self._unless_checked, walk(root, self.skipped)), self.seen)

    def _unless_checked(self, entry: Entry) -> Entry:
        """The entry, its content not to be read again when it is a page checked as produced."""
        digest = self.produced.get(entry.path)
        if entry.read and digest is not None and _file_digest(entry.full) == digest:
            return Entry(entry.path, entry.name, entry.full)
        return entry


def _calling_between(entries: Iterable[Entry], between: Callable[[], None]) -> Iterator[Entry]:
    for entry in entries:
        between()
        yield entry


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _file_digest(path: str) -> bytes:
    with open(path, "rb") as handle:
        return _digest(handle.read())


class GuardProcess:
    """The guard of a build, in a forked process: it is made and reads `first` (the docs
    folder, final before MkDocs starts) while the build goes on, MkDocs using one core;
    page(path, data) hands it each page as MkDocs produces it (checked there at once);
    check(later) hands it the finished site, where it checks every name and every file
    that is not a page it checked (or no longer has the bytes it checked), and returns
    every leak found, `first`'s first. Without fork (Windows) all of it runs in check()."""

    def __init__(
        self,
        make_guard: Callable[[], Guard],
        first: Path,
        *more_first: Path,
        inlets: int = 0,
        trees: Sequence[str] = (),
    ) -> None:
        # more_first: the docs folders of the site's other languages, read after `first`;
        # a leak in one is named by the folder's own name and its path in it (.docs.fr/index.md),
        # one in `first` by its path in it, as always.
        # inlets: pipes of their own for the files of helper processes forked after this one
        # (the other languages' engine builds, each language's Pagefind bundle): inlet(i) in
        # the helper, inlets_handed() here.
        # trees: the site's folders that hold a language's own tree ('fr/'), where the files
        # not read at the root (the theme's and Pagefind's own) are not read either.
        self._make_guard, self._first = make_guard, (first, *more_first)
        self._skip = in_every_tree(DEFAULT_SKIP, trees)
        self._prefixes = ("", *(f"{folder.name}/" for folder in more_first))
        self._child: forking.Forked | None = None
        self._connection: Connection | None = None
        self._inlets: list[Connection] = []
        # This process's pages go by a one-way pipe of their own (forking.pipe: it holds ~30
        # pages, where the two-way connection held a few): the engine goes on while the guard
        # is off its core for a moment, instead of waiting for it.
        self._pages: Connection | None = None
        if forking.can_fork():
            # Not a daemon: it may share the site's check with a child of its own. It ends
            # when this process does (its pipe closes) if check() is never called.
            folders = tuple(zip(self._first, self._prefixes))
            pipes = [forking.pipe() for _ in range(inlets + 1)]
            receiving, senders = [end for end, _ in pipes], [end for _, end in pipes]
            self._inlets, self._pages = senders[:-1], senders[-1]
            self._child = forking.start(
                _guard_child, make_guard, folders, self._skip, receiving, senders, duplex=True, daemon=False
            )
            self._connection = self._child.connection
            for end in receiving:  # the guard's: closed here
                end.close()

    def page(self, path: str, data: bytes) -> None:
        """A file of the site as it is produced (path relative to the site, POSIX; its bytes
        as they will be written). Without a guard process, nothing: check() reads the file."""
        if self._pages is None:
            return
        try:
            self._pages.send(("page", path, data))
        except OSError:  # the process is gone: check() checks everything here
            self._pages.close()
            self._pages = None

    def inlet(self, index: int, prefix: str = "") -> Callable[[str, bytes], None] | None:
        """What hands the guard a page from a helper process forked after this one (as page()
        does, the path prefixed): None without a guard process or an inlet `index`."""
        if index >= len(self._inlets):
            return None
        connection = self._inlets[index]

        def page(path: str, data: bytes) -> None:
            with contextlib.suppress(OSError):  # the guard is gone: check() reads the file
                connection.send(("page", prefix + path, data))

        return page

    def inlets_handed(self) -> None:
        """The helpers that use the inlets are forked: this process's ends are closed, so that
        the guard reads each inlet to its end when the helpers have ended."""
        for end in self._inlets:
            end.close()
        self._inlets = []

    def _pages_sent(self) -> None:
        """No more pages from this process: its pipe is closed, so that the guard reads it to its end."""
        if self._pages is not None:
            self._pages.close()
            self._pages = None

    def check(self, later: Path) -> list[Leak]:
        found: list[Leak] | None = None
        self._pages_sent()  # the guard reads every page sent before it takes the site
        if self._child is not None and self._connection is not None:
            try:
                self._connection.send(("site", str(later), b""))
                found = self._connection.recv()
            except (EOFError, OSError):
                found = None
        if self._child is not None:
            self._child.process.join()
        if found is None:  # no fork, or the child failed: here, then
            guard = self._make_guard()
            found = guard.check_tree(*self._first, processes=1, prefixes=self._prefixes) + guard.check_tree(
                later, skip=self._skip
            )
        return found

    def close(self, at_once: bool = False) -> None:
        """End the child if the build stopped before check(): it would wait for a site forever.
        at_once: the build failed or was stopped, so the child's work is of no use: it is
        ended now rather than when it has read the docs folder."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._pages_sent()
        self.inlets_handed()
        if self._child is not None:
            self._child.end(wait=0 if at_once else 10)
            self._child = None

    def __enter__(self) -> GuardProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(at_once=exc_type is not None)


# What the build tells the guard's process: ("page", path in the site, its bytes) for each
# page MkDocs produces, then ("site", the finished site's folder, b"").
_Message = tuple[str, str, bytes]


def _guard_child(
    make_guard: Callable[[], Guard],
    first: tuple[tuple[Path, str], ...],
    skip: Collection[str],
    inlets: list[Connection],
    senders: list[Connection],
    connection: Connection,
) -> None:
    """The guard's process: the docs folders first (one per language of the site), then the pages, then the site. Pages
    that come while the docs folder is checked are taken in between two of its files, so
    that MkDocs does not wait long on a full pipe; beyond WAITING_BYTES of them, the oldest is
    checked at once (its leaks still named after the docs folders'). (No thread to take them in: a thread gets
    the interpreter only between the checker's 5 ms turns; handing the pages over costs
    MkDocs ~0.5 s of wall at 5,000 fragments either way.) Pages come on one-way pipes, the
    build's own and the inlets (helpers' engine builds, Pagefind's bundles); the site on the
    build's two-way connection, once every pipe is read to its end."""
    for end in senders:  # the helpers' ends, copied by the fork: closed, so that an inlet ends
        end.close()
    inbox = _Inbox(connection, inlets)
    try:
        checks = _ChecksOfABuild(make_guard(), skip)

        def between_files() -> None:
            inbox.take_waiting()
            while (page := inbox.page_over(WAITING_BYTES)) is not None:
                checks.page(page[1], page[2])

        for folder, prefix in first:
            checks.folder(folder, between=between_files, prefix=prefix)
        while (message := inbox.next()) is not None:
            kind, path, data = message
            if kind == "page":
                checks.page(path, data)
                continue
            checks.site(Path(path))
            connection.send(checks.leaks)
            break
    except BaseException:
        connection.send(None)  # the parent checks everything itself
        raise
    finally:
        connection.close()


class _Inbox:
    """The build's messages to the guard's process, in order; None once the build has ended
    without sending its site (its end of the pipe closed). The inlets' pages come in between,
    each inlet read to its end before the site is handed on."""

    def __init__(self, connection: Connection, inlets: Iterable[Connection] = ()) -> None:
        self._connection = connection
        self._inlets = list(inlets)
        self._waiting: collections.deque[_Message | None] = collections.deque()
        self._pages: collections.deque[_Message] = collections.deque()
        self._pages_bytes = 0  # of the pages in self._pages

    def take_waiting(self) -> None:
        """Take in what has come, without waiting."""
        while (not self._waiting or self._waiting[-1] is not None) and self._connection.poll():
            self._waiting.append(self._receive())
        for inlet in list(self._inlets):
            while inlet in self._inlets and inlet.poll():
                self._take(inlet)

    def page_over(self, most: int) -> _Message | None:
        """The oldest page taken in, when those taken in hold more than `most` bytes; else None."""
        if self._pages_bytes <= most:
            return None
        return self._oldest_page()

    def _oldest_page(self) -> _Message:
        page = self._pages.popleft()
        self._pages_bytes -= len(page[2])
        return page

    def next(self) -> _Message | None:
        while True:
            if self._pages:
                return self._oldest_page()
            if self._waiting:
                message = self._waiting[0]
                if message is not None and message[0] == "site" and self._inlets:  # the inlets first
                    for inlet in list(self._inlets):
                        while inlet in self._inlets:
                            self._take(inlet)
                    continue
                return self._waiting.popleft()
            for ready in wait([self._connection, *self._inlets]):
                if ready is self._connection:
                    self._waiting.append(self._receive())
                else:
                    self._take(ready)  # type: ignore[arg-type]

    def _take(self, inlet: Connection) -> None:
        """One page from an inlet; at its end, the inlet is done."""
        try:
            page: _Message = inlet.recv()
        except (EOFError, OSError):
            self._inlets.remove(inlet)
            inlet.close()
            return
        self._pages.append(page)
        self._pages_bytes += len(page[2])

    def _receive(self) -> _Message | None:
        try:
            message: _Message = self._connection.recv()
        except (EOFError, OSError):
            return None
        return message
