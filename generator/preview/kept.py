"""What a preview keeps from one generation for the next, so that one edited fragment
costs a fraction of a second at 5,000 (`mkdocs serve`: generator/plugin.py).

Each stage that costs much reuses what the last generation made from equal inputs
(generator/preview/memo.py): a record read the same normalises to the same Fragment object;
the Renderer (templates, labels, configuration) stays while none of them changed, and
reuses a page made from equal values; the open data reuses each unchanged fragment's
lines; the docs folder is compared with what was written last time instead of being
read. Every page is still generated, in the same order, from the whole of this
generation's data: only the work of making a page equal to the last one is skipped,
so every page that shows the edited fragment (its own, the listings, counts, related
outcomes, the dashboard) is made again and written, and no other is touched.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.fields import FieldTable
from generator.model import Fragment, RawRecord
from generator.normalise.fragments import Normaliser
from generator.pages.opendata import Lines
from generator.pages.renderer import Page, Renderer
from generator.preview import identity
from generator.preview.identity import Normalised
from generator.preview.memo import Memo, verify_requested
from generator.privacy.redact import Redactor
from generator.publish.stamp import input_stamp
from generator.publish.write import DocsState
from generator.read.content_folder import fragment_file_names
from generator.read.formats import READERS, ROW_READERS
from generator.read.rows import ReadRows
from generator.read.source_result import SourceResult
from generator.read.xlsx_rows import SheetRows
from generator.site_config import SiteConfig


@dataclass
class Kept:
    # By file: its bytes while its inode, size and times are as they were (what the watcher compares).
    files: Memo[bytes] = field(default_factory=lambda: Memo("file bytes"))
    sources: Memo[SourceResult] = field(default_factory=lambda: Memo("files read"))  # by file: same times, table
    rows: dict[str, ReadRows] = field(default_factory=dict)  # an export's rows' records, by file (read/rows.py)
    # By file and ID, not by place (identity.py): unplaced, then placed on the rows as they are now;
    # asked only for a record that is not the one of last time (`records`), so kept when unused.
    fragments: Memo[Normalised] = field(default_factory=lambda: Memo("normalised fragments", forget_unused=False))
    placed: Memo[Normalised] = field(default_factory=lambda: Memo("placed fragments", forget_unused=False))
    # By file and ID: the record read (the same object when its file or row is read the same).
    records: Memo[Normalised] = field(default_factory=lambda: Memo("records normalised"))
    # By ID: the fragment as the pages get it, the last generation's object while it is equal.
    resolved: Memo[Fragment] = field(default_factory=lambda: Memo("fragments as published"))
    # By ID: the substantive fields a published fragment leaves blank (the quality review's).
    blanks: Memo[tuple[str, ...]] = field(default_factory=lambda: Memo("blank fields"))
    normalised_with: object = None  # the table, redaction list and known outputs of `fragments`
    renderer: Renderer | None = None
    renderer_memos: list[Memo[Any]] = field(default_factory=list)  # what `renderer` reuses (its pages…)
    renderer_inputs: object = None  # the templates' stamp, the configuration and the table of `renderer`
    open_data: Memo[Lines] = field(default_factory=lambda: Memo("open data lines"))  # with the renderer's site, table
    encoded: Memo[bytes] = field(default_factory=lambda: Memo("encoded pages"))  # each page's text as UTF-8
    docs: DocsState = field(default_factory=DocsState)
    reported: str | None = None  # the summary of check the preview printed last (commands/report.py)
    # What the memos stopped keeping at the last finish(), let go of once the page is shown (released()).
    dropped: list[object] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing generated yet (the first generation of a preview makes everything)."""
        return self.renderer is None

    def _memos(self) -> list[Memo[Any]]:
        return [
            self.files,
            self.sources,
            self.records,
            self.fragments,
            self.placed,
            self.resolved,
            self.blanks,
            self.open_data,
            self.encoded,
            *self.renderer_memos,
        ]

    def start(self) -> None:
        for memo in self._memos():
            memo.start()

    def finish(self) -> None:
        """The generation is complete (its files are written). What the memos no longer keep
        is held in `dropped` until released() is asked for it: freed after the save's page is
        shown (the plugin gives it to the collector), not on the way to it; what no one asked
        for (a whole build's generation) is let go of at the next finish()."""
        self.dropped = [memo.finish() for memo in self._memos()]

    def released(self) -> list[object]:
        """What the memos stopped keeping since the last call, no longer held here."""
        dropped, self.dropped = self.dropped, []
        return dropped

    def read_sources(self, contents: Iterable[Path], table: FieldTable) -> list[SourceResult]:
        """sources.read_sources, but a file whose inode, size and times (and the table) are as
        last time is not read or parsed again: with one text file per fragment, an edit parses
        one file. An export read again gives each row read the same the record it had
        (read/rows.py, ReadRows). MkDocs' watcher sees a save by the same times, inode and
        size; a file changed without changing them starts no rebuild either."""
        names = [name for content in contents for name in fragment_file_names(content)]
        self.rows = {
            name: self.rows.get(name) or self._read_rows()
            for name in names
            if os.path.splitext(name)[1].lower() in ROW_READERS
        }
        # Kept by the path as text, made a Path only to be read: 5,000 Paths, each hashed and compared
        # through its parts as a memo's key, were ~30 ms a save with 5,000 `.txt` files. By the file's
        # times, not its bytes: one look-up a file, not two (~15 ms a save at 5,000).
        return [
            self.sources.get(name, (file_times(name), table), functools.partial(self._read, name, table))
            for name in names
        ]

    @staticmethod
    def _read_rows() -> ReadRows:
        """What a reading of an export keeps for the next; its sheet's rows checked against a
        whole reading with OKB_VERIFY_MEMO, as every memo's reuse is."""
        return ReadRows(sheet=SheetRows(verify=verify_requested()))

    def file_bytes(self, path: Path) -> bytes:
        """The file's bytes, read again only when its inode, size, modification or change time
        differ from the last reading (file_times), for the input stamp and the templates."""
        name = os.fspath(path)  # the memo's key: see read_sources
        return self.files.get(name, file_times(name), path.read_bytes)

    def _read(self, name: str, table: FieldTable) -> SourceResult:
        path = Path(name)
        suffix = path.suffix.lower()
        if suffix in ROW_READERS:
            return ROW_READERS[suffix](path, table, self.rows[name])
        return READERS[suffix](path, table)

    def normalise(
        self, records: list[RawRecord], normaliser: Normaliser, redactor: Redactor, phrases: tuple[str, ...]
    ) -> tuple[list[Fragment], list[Problem], int]:
        """The fragments of `records` in order, their problems, and the masks redaction
        wrote in them, reused or not (redactor.count is left as it was: a result computed
        again only to be checked, OKB_VERIFY_MEMO, would count its masks twice)."""
        inputs = (normaliser.table, phrases, normaliser.known_outputs)
        if inputs != self.normalised_with:
            self.fragments = Memo("normalised fragments", forget_unused=False)
            self.placed = Memo("placed fragments", forget_unused=False)
            self.records = Memo("records normalised")
            self.normalised_with = inputs

        def normalised(record: RawRecord, where: identity.Places) -> Normalised:
            before = redactor.count
            fragment, problems = normaliser(record)
            masks = redactor.count - before
            redactor.count = before
            return identity.unplaced((fragment, problems, masks), where)

        fragments: list[Fragment] = []
        problems: list[Problem] = []
        masks = 0

        def placed(record: RawRecord, name: Hashable) -> Normalised:
            where = identity.places(record)
            unplaced = self.fragments.get(
                name, identity.unplaced_inputs(record), functools.partial(normalised, record, where)
            )
            if not unplaced[1]:  # no problem names a place: the result is the same on any row
                return unplaced
            return self.placed.get(name, (unplaced, where), functools.partial(identity.placed, unplaced, where))

        for record in records:
            # A record read the same (its file's bytes, or its row, unchanged: the very same
            # object) gives what it gave; another is normalised by what it says, then placed.
            name = identity.identity(record)
            fragment, found, written = self.records.get(name, record, functools.partial(placed, record, name))
            fragments.append(fragment)
            problems.extend(found)
            masks += written
        return fragments, problems, masks

    def same_as_last(self, fragments: list[Fragment]) -> list[Fragment]:
        """Each fragment equal to the last generation's of its ID as that very object. A
        fragment whose related outcomes list one that is not published is made again on every
        save (normalise/related.py): a new, equal object, whose every listing and page a memo
        would then compare by looking inside (a page whose inputs hold the whole index
        compares every listing's outcomes). Only equal ones are swapped: the same site."""
        return [
            self.resolved.get(fragment.fragment_id, fragment, functools.partial(_itself, fragment))
            for fragment in fragments
        ]

    def blank_fields(self, blank_fields: Callable[[Fragment], tuple[str, ...]], fragment: Fragment) -> tuple[str, ...]:
        """blank_fields(fragment) (publish/generate.py), the last generation's while the fragment is
        the same: the quality review looked at 7 fields of every outcome on each save."""
        return self.blanks.get(fragment.fragment_id, fragment, functools.partial(blank_fields, fragment))

    def renderer_for(self, templates: Path, site: SiteConfig, table: FieldTable) -> Renderer:
        """The Renderer of the last generation while the templates, the configuration and the
        table are the same; a new one (and new open data lines) otherwise."""
        inputs = (input_stamp([templates], {}, self.file_bytes), site, table)
        if self.renderer is None or inputs != self.renderer_inputs:
            memos: list[Memo[Any]] = []

            def memo(label: str, within: bool = False) -> Memo[Any]:  # each the Renderer asks for (pages/reuse.py)
                made: Memo[Any] = Memo(label, forget_unused=not within)
                memos.append(made)
                return made

            self.renderer = Renderer(templates, site, table, reuse=memo)
            self.renderer_memos = memos
            self.renderer_inputs = inputs
            self.open_data = Memo("open data lines")
        return self.renderer

    def encode(self, page: Page) -> bytes:
        return self.encoded.get(page.path, page, lambda: page.text.encode("utf-8"))


def _itself(fragment: Fragment) -> Fragment:
    return fragment


def file_times(name: str) -> tuple[int, int, int, int]:
    """A file's inode, size, modification and change times: what MkDocs' watcher compares to see
    a save (with one text file per fragment a save read 5,000 files twice, for the stamp and the
    sources, before their bytes were kept by these)."""
    found = os.stat(name)
    return (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
