"""Write the generated docs folder (only what changed) and swap in a finished site.

The docs folder belongs to the generator: files it no longer produces are removed,
so a fragment that stops being public leaves no page behind. Files whose bytes did
not change are not touched, so `mkdocs serve` has nothing to reload.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError, InputError, Location

MARKER = ".okb-generated"


@dataclass(frozen=True)
class WriteSummary:
    written: int
    unchanged: int
    removed: int


def add_pages(files: dict[str, bytes], pages: dict[str, bytes], sources: dict[str, Path]) -> None:
    """Add hand-written pages to the generated files; one that would take a generated page's
    path stops the build, naming the hand-written file (two pages on one path: never)."""
    for path, data in pages.items():
        if path in files:
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


def write_docs(files: dict[str, bytes], docs_dir: Path) -> WriteSummary:
    """Make docs_dir hold exactly `files` (relative POSIX path → bytes).

    One listing of the folder first says what is there (and its size), so that a new file
    is written with one open and no attempt to read it, a file of another size is replaced
    without being read, and each folder is made once: on a fresh folder of 3,850 pages
    that was 2 s of system calls of 2.5 s. A file that is there is replaced through a
    temporary file (os.replace), never left half-written under its name."""
    _claim(docs_dir)
    present, folders = _listing(docs_dir)
    written = unchanged = 0
    for relative, data in files.items():
        target = docs_dir / relative
        size = present.get(relative)
        if size is None:
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            with open(target, "wb") as handle:
                handle.write(data)
        elif size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        else:
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        written += 1
    removed = _remove_others(docs_dir, present, folders, files)
    return WriteSummary(written, unchanged, removed)


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


def _remove_others(docs_dir: Path, present: dict[str, int], folders: set[Path], files: dict[str, bytes]) -> int:
    """Remove the files that were there and are not in `files`, then the folders left empty."""
    removed = 0
    for relative in present:
        if relative not in files:
            (docs_dir / relative).unlink()
            removed += 1
    for folder in sorted(folders - {docs_dir}, key=lambda path: len(path.parts), reverse=True):
        if not any(folder.iterdir()):  # children come before their folders
            folder.rmdir()
    return removed


def staging_dir(site_dir: Path) -> Path:
    """A new, empty folder beside site_dir to build the next site in."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))


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
    """Replace site_dir by the finished staging folder (two renames on one file system)."""
    site_dir = site_dir.resolve()
    staging.chmod(0o755)
    previous = None
    if site_dir.exists():
        previous = site_dir.parent / f".{site_dir.name}.previous-{os.getpid()}"
        os.rename(site_dir, previous)
    os.rename(staging, site_dir)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
