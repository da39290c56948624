"""Write the generated docs folder (only what changed) and swap in a finished site.

The docs folder belongs to the generator: files it no longer produces are removed,
so a fragment that stops being public leaves no page behind. Files whose bytes did
not change are not touched, so `mkdocs serve` has nothing to reload.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import BuildError, InputError, Location
from generator.forking import stop_signals_held
from generator.publish.stopping import work_folder_prefix

MARKER = ".okb-generated"


@dataclass(frozen=True)
class WriteSummary:
    written: int
    unchanged: int
    removed: int
    # What changed in the docs folder (relative POSIX paths): a preview rebuilds these only.
    written_paths: tuple[str, ...] = ()
    removed_paths: tuple[str, ...] = ()


@dataclass
class DocsState:
    """What write_docs last wrote into a docs folder, so that the next call (a preview's
    next generation) need not read a file to know it is up to date: a file whose bytes
    are the same and whose size and modification time are still those it was written
    with holds them. Without a state, every file is read and compared."""

    files: dict[str, tuple[bytes, int, int]] = field(default_factory=dict)  # path → bytes, mtime_ns, size


def add_pages(
    files: dict[str, bytes], pages: dict[str, bytes], sources: dict[str, Path], taken: Collection[str] = ()
) -> None:
    """Add hand-written pages to the generated files; one that would take a generated page's
    path (in files, or taken: written early) stops the build, naming the hand-written file
    (two pages on one path: never)."""
    for path, data in pages.items():
        if path in files or path in taken:
            raise InputError(
                Location(str(sources.get(path, path))),
                f"this hand-written page would replace the generated page '{path}'",
                hint="rename it",
            )
        files[path] = data


def add_assets(files: dict[str, bytes], assets_dir: Path, prefix: str) -> None:
    """Add the site's own style sheets and scripts (templates/assets/) under `prefix`."""
    if assets_dir.is_dir():
        for asset in sorted(assets_dir.rglob("*")):
            if asset.is_file():
                files[f"{prefix}/{asset.relative_to(assets_dir).as_posix()}"] = asset.read_bytes()


def _claim(docs_dir: Path) -> None:
    """Refuse to manage a folder that holds files someone else put there."""
    if docs_dir.exists() and not (docs_dir / MARKER).exists():
        foreign = [p.name for p in docs_dir.iterdir() if not p.name.startswith(".")]
        if foreign:
            raise BuildError(
                f"{docs_dir}: this folder holds files the generator did not write ({', '.join(sorted(foreign)[:3])}…); "
                "the generator replaces everything in it. Move hand-written pages to content/pages/ "
                "or choose another --docs-dir"
            )
    docs_dir.mkdir(parents=True, exist_ok=True)
    marker = docs_dir / MARKER
    if not marker.exists():  # written once: a rewrite would wake `mkdocs serve` again
        marker.write_text("Written by `python -m generator`. Do not edit: changes are overwritten.\n")


class EarlyWrites:
    """Pages of a build written into the docs folder while the rest is still being made: the
    fragment pages' second process writes those it renders (pages/render.py, FragmentPages),
    on its own core, instead of sending them to this process to be written after all the
    others (at 5,000 outcomes ~1,900 files, and their text through the pipe); the build's
    process writes the pages it renders too, each as soon as it is made, while the other
    still renders. Made before that process starts: the folder is claimed and listed once,
    for both; write_docs then writes the rest (hand-written pages, assets, open data, the
    feed) from the same listing, and keeps (never removes) what was placed here."""

    def __init__(self, docs_dir: Path) -> None:
        _claim(docs_dir)
        self.docs_dir = docs_dir
        self.present, self.folders = _listing(docs_dir)
        self.placed: dict[str, bool] = {}  # path → whether it was written (else it held these bytes)

    def write(self, files: list[tuple[str, bytes]]) -> list[tuple[str, bool]]:
        """Write these files (in the process that made them); each path, and whether it was written."""
        return [
            (relative, _place(self.docs_dir, relative, data, self.present, self.folders)) for relative, data in files
        ]

    def add(self, placed: list[tuple[str, bool]]) -> None:
        """Count files another process wrote with write()."""
        self.placed.update(placed)


def write_docs(
    files: dict[str, bytes], docs_dir: Path, state: DocsState | None = None, early: EarlyWrites | None = None
) -> WriteSummary:
    """Make docs_dir hold exactly `files` (relative POSIX path → bytes) and what `early` placed.

    state: what the last call wrote into docs_dir (a preview's); it is brought up to date.
    With it, a file it knows is compared without reading it, and the files it knew that
    `files` no longer holds are removed without walking the folder (_write_known). Without
    it, one listing of the folder says what is there (_write_listed). A file that is there
    is replaced through a temporary file (os.replace), never left half-written under its name."""
    if early is not None:
        assert state is None, "a preview renders in one process: nothing is written early"
        return _write_listed(files, docs_dir, None, early)
    _claim(docs_dir)
    if state is not None and state.files:
        return _write_known(files, docs_dir, state)
    return _write_listed(files, docs_dir, state)


def _write_known(files: dict[str, bytes], docs_dir: Path, state: DocsState) -> WriteSummary:
    now: dict[str, tuple[bytes, int, int]] = {}
    written: list[str] = []
    root = os.path.join(docs_dir, "")  # joined as text: a Path per file was ~0.1 s of a preview's save at 5,000
    for relative, data in files.items():
        held = _held(root + relative, data, state.files.get(relative))
        if held is None:
            target = docs_dir / relative
            if not overwritten(root + relative, data):
                _replace(target, data)
            written.append(relative)
            stat = target.stat()
            held = (stat.st_mtime_ns, stat.st_size)
        now[relative] = (data, *held)
    removed = sorted(set(state.files) - set(files))
    for relative in removed:
        (docs_dir / relative).unlink(missing_ok=True)
        _remove_empty_folders((docs_dir / relative).parent, docs_dir)
    state.files = now
    return WriteSummary(len(written), len(files) - len(written), len(removed), tuple(written), tuple(removed))


def _write_listed(
    files: dict[str, bytes], docs_dir: Path, state: DocsState | None, early: EarlyWrites | None = None
) -> WriteSummary:
    """One listing of the folder first says what is there (and its size), so that a new file
    is written with one open and no attempt to read it, a file of another size is replaced
    without being read, and each folder is made once: on a fresh folder of 3,850 pages
    that was 2 s of system calls of 2.5 s. early: the listing taken before, and the files
    another process placed since (kept, counted)."""
    present, folders = (early.present, early.folders) if early is not None else _listing(docs_dir)
    placed = early.placed if early is not None else {}
    written = [relative for relative, data in files.items() if _place(docs_dir, relative, data, present, folders)]
    written += [relative for relative, was_written in placed.items() if was_written]
    removed = _remove_others(docs_dir, present, folders, files.keys() | placed.keys())
    if state is not None:  # a preview's first generation: what the next one compares with
        state.files = {relative: (data, *_time_and_size(docs_dir / relative)) for relative, data in files.items()}
    kept = len(files) + len(placed)
    return WriteSummary(len(written), kept - len(written), len(removed), tuple(written), tuple(removed))


def _place(docs_dir: Path, relative: str, data: bytes, present: dict[str, int], folders: set[Path]) -> bool:
    """Make the file hold data, given the folder's listing; whether it was written."""
    target = docs_dir / relative
    size = present.get(relative)
    if size is None:
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        with open(target, "wb") as handle:
            handle.write(data)
    elif size == len(data) and target.read_bytes() == data:
        return False
    else:
        _replace(target, data)
    return True


def _replace(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def overwritten(target: str, data: bytes) -> bool:
    """Write data over the file that is there, in place (a preview's save: its docs files here,
    _write_known, and the engine's rebuilt pages, preview/apply.py): whether it was (not when
    there is none, a link there, or it has another name). A temporary file
    renamed over the old one (_replace) made ext4 write each file's new blocks out at once (its
    rename heuristic, as for a file cut to nothing then written): ~0.35 ms of system time a file,
    50-60 ms of a preview's delete or add at 5,000 (~230 shifted pages); written over, then cut
    to its length, it is not. Never half-written for long: a preview's save removes the docs
    folder's stamp before its first write (generate.py), so the next generation that is not a
    save compares every file, as does the next save one whose time and size are not those
    written (_held); the engine's pages are in the preview's own site folder, which `mkdocs
    serve` builds anew when it starts."""
    try:
        handle = os.open(target, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    if os.fstat(handle).st_nlink != 1:  # a file with another name too: replaced, never written through
        os.close(handle)
        return False
    with os.fdopen(handle, "r+b") as file:
        file.write(data)
        file.truncate()
    return True


def _time_and_size(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _held(target: str, data: bytes, known: tuple[bytes, int, int] | None) -> tuple[int, int] | None:
    """The modification time and size of `target` if it holds `data`, else None. Known
    without reading when it was written with these bytes and still has that time and size."""
    try:
        stat = os.stat(target)
        if (
            known is not None
            and (known[0] is data or known[0] == data)
            and (stat.st_mtime_ns, stat.st_size) == known[1:]
        ):
            return known[1], known[2]
        if stat.st_size != len(data) or Path(target).read_bytes() != data:
            return None
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _remove_empty_folders(folder: Path, docs_dir: Path) -> None:
    while folder != docs_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _listing(docs_dir: Path) -> tuple[dict[str, int], set[Path]]:
    """The files under docs_dir (relative POSIX path → size) and its folders, docs_dir
    included; names starting with '.' (the marker, temporary files) are left out."""
    files: dict[str, int] = {}
    folders = {docs_dir}
    pending = [(docs_dir, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name.startswith("."):
                    continue
                if item.is_dir(follow_symlinks=False):
                    folders.add(Path(item.path))
                    pending.append((Path(item.path), prefix + item.name + "/"))
                else:
                    files[prefix + item.name] = item.stat(follow_symlinks=False).st_size
    return files, folders


def _remove_others(docs_dir: Path, present: dict[str, int], folders: set[Path], files: Collection[str]) -> list[str]:
    """Remove the files that were there and are not in `files`, then the folders left empty."""
    removed = sorted(relative for relative in present if relative not in files)
    for relative in removed:
        (docs_dir / relative).unlink()
    for folder in sorted(folders - {docs_dir}, key=lambda path: len(path.parts), reverse=True):
        if not any(folder.iterdir()):  # children come before their folders
            folder.rmdir()
    return removed


def empty_docs(docs_dir: Path) -> None:
    """Remove everything from the docs folder but its marker (the folder stays: `mkdocs serve`
    and MkDocs' loader want it to exist), temporary files included."""
    if not docs_dir.is_dir():
        return
    for item in docs_dir.iterdir():
        if item.name == MARKER:
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()


def remove_emptied_docs(docs_dir: Path) -> None:
    """Remove a docs folder that holds nothing but its marker (a failed build that made it)."""
    if docs_dir.is_dir() and all(item.name == MARKER for item in docs_dir.iterdir()):
        shutil.rmtree(docs_dir)


def staging_dir(site_dir: Path) -> Path:
    """A new, empty folder beside site_dir to build the next site in (named so that a later
    build can tell it is a killed build's leftover: stopping.remove_leftovers)."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=work_folder_prefix(site_dir, "building"), dir=site_dir.parent))


def publish_site(build_into: Callable[[Path], None], site_dir: Path) -> None:
    """Build into a temporary folder beside site_dir; swap it in only when complete.

    A build that fails anywhere leaves the previous site exactly as it was.
    """
    staging = staging_dir(site_dir)
    try:
        build_into(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, site_dir)


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by the finished staging folder (two renames on one file system, with
    Ctrl+C held back between them: a stop never leaves no site at all)."""
    site_dir = site_dir.resolve()
    staging.chmod(0o755)
    previous = None
    with stop_signals_held():
        if site_dir.exists():
            previous = site_dir.parent / work_folder_prefix(site_dir, "previous").rstrip("-")
            os.rename(site_dir, previous)
        os.rename(staging, site_dir)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
