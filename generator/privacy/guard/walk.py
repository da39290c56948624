"""The files and folders of a built site (or docs folder), in the order the guard reports
them, and which of them are read: every name is checked, the content of a file unless a
skip pattern matches it or it is a symbolic link.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Files whose content is not read (their names still are), as fnmatch patterns on the path
# relative to the site ('*' also matches '/'). They cannot carry text from fragments:
# images and fonts; Pagefind's own program (pagefind*.js/.css, its WebAssembly); Material's
# theme assets, the same in every build. Pagefind's index (*.pf_*) and the site's own
# assets (assets/*.js, *.css written by the project) are read.
DEFAULT_SKIP: tuple[str, ...] = (
    "*.png", "*.jpg", "*.jpeg", "*.gif", "*.webp", "*.avif", "*.ico", "*.bmp",
    "*.woff", "*.woff2", "*.ttf", "*.otf", "*.eot", "*.wasm",
    "pagefind/wasm.*.pagefind", "pagefind/pagefind*.js", "pagefind/pagefind*.css",
    "assets/javascripts/*", "assets/stylesheets/*",
)  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """A file or folder of a walk: its name is checked, and its content when read is true."""

    path: str  # relative to the walk's root, POSIX
    name: str
    full: str  # the path to open
    read: bool = False  # a file not skipped, not a symbolic link
    size: int = 0  # bytes to read


def walk(root: Path, skipped: Callable[[str], object], prefix: str = "") -> Iterator[Entry]:
    """Every folder and file under root in the order os.walk (top-down, folders sorted) and
    check_tree have always reported them: a folder's subfolders, then its files, then what
    each subfolder holds. Links to folders are listed, not entered."""
    folders: list[os.DirEntry[str]] = []
    files: list[os.DirEntry[str]] = []
    try:
        with os.scandir(root) as listing:
            for item in listing:
                (folders if item.is_dir() else files).append(item)
    except OSError:
        return  # as os.walk: a folder that cannot be listed holds nothing
    folders.sort(key=lambda item: item.name)
    files.sort(key=lambda item: item.name)
    for item in folders:
        yield Entry(prefix + item.name, item.name, item.path)
    for item in files:
        path = prefix + item.name
        read = not skipped(path) and not item.is_symlink()
        yield Entry(path, item.name, item.path, read, item.stat(follow_symlinks=False).st_size if read else 0)
    for item in folders:
        if not item.is_symlink():
            yield from walk(Path(item.path), skipped, prefix + item.name + "/")


def in_every_tree(patterns: Collection[str], trees: Iterable[str]) -> tuple[str, ...]:
    """The patterns, and each again under every folder of the site that holds a tree of its own
    (a language's, 'fr/'): the engine copies the theme's assets and Pagefind its program into
    each, the same files as at the root, whose content the guard does not read there either."""
    return (*patterns, *(tree + pattern for tree in trees for pattern in patterns))


def skipper(patterns: Collection[str]) -> Callable[[str], object]:
    """A test of whether a path matches one of the fnmatch patterns, one regex for all."""
    if not patterns:
        return lambda path: False
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns)).match
