"""Finding and reading the redaction lists (redact.txt) that apply to a build.

The redaction list belongs to the project: the project's content/ folder's copy applies
whatever --content points at (a subfolder, one file), together with any in the folders
given. A file that looks like a redaction list but would not be applied (redact.txt.txt,
Redaction.txt, redact.csv) stops the build: a list that silently does nothing is the
worst kind of failure here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.errors import InputError, Location
from generator.privacy.redact import read_phrases
from generator.read.content_folder import REDACT_FILE, in_path_order, settings_folders


def read_redaction_list(path: Path) -> tuple[str, ...]:
    """One name or phrase per line; blank lines and lines starting with # are left out."""
    try:
        return read_phrases(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(Location(str(path)), "the file is not UTF-8 text", hint="save it as UTF-8") from None


def _redaction_files(folder: Path) -> list[Path]:
    """redact.txt (in any case) at the top of the folder; anything else named like a
    redaction list, anywhere in it, is an error."""
    found = []
    for path in in_path_order(_named_like_a_list(folder)):
        name = path.name.lower()
        if name == REDACT_FILE and path.is_file() and path.parent == folder:
            found.append(path)
        elif name.startswith("redact") and not path.name.startswith("."):
            if name == REDACT_FILE:
                raise InputError(
                    Location(str(path)),
                    f"only the redaction list at the top of the content folder ({folder / REDACT_FILE}) is applied",
                    hint="move its names into that file",
                )
            raise InputError(
                Location(str(path)),
                "this looks like a redaction list, but only a file named redact.txt is applied",
                hint="rename it to redact.txt (check that Windows did not hide a second .txt)",
            )
    return found


def _named_like_a_list(folder: Path) -> Iterator[Path]:
    """What folder.rglob("*") gives (linked folders listed, not entered) whose name starts like
    "redact": the names looked at first, a Path made only for those (with one .txt per fragment,
    5,000 Paths made and sorted on every preview save for none)."""
    for top, folders, files in os.walk(folder):
        for name in (*folders, *files):
            if name.lower().startswith("redact"):
                yield Path(top, name)


def redaction_lists(
    contents: list[Path], project_content: Path | None = None, redact_file: Path | None = None
) -> list[Path]:
    """Every redaction list that applies: --redact's, each content folder's redact.txt and
    the project's, and the one beside a --content folder or file outside the project (the
    folder that holds it: an editor who keeps an export and its list side by side, outside
    the project, means the list for it). A file there that is named like a list but would
    not be applied stops the build, as one in content/ does. Applied rather than refused:
    masking more never publishes anything, and refusing would make the editor move a list
    that is where it belongs; the report names every list applied."""
    lists: list[Path] = [redact_file] if redact_file is not None else []
    for folder in settings_folders(contents, project_content):
        lists += [path for path in _redaction_files(folder) if path not in lists]
    for beside in _folders_beside(contents, project_content):
        lists += [path for path in _redaction_files_beside(beside) if path not in lists]
    return lists


def _folders_beside(contents: Iterable[Path], project_content: Path | None) -> list[Path]:
    """The folders that hold a --content folder or file, those outside the project only (in
    the project, its content/ folder's list is the one that applies)."""
    project = project_content.resolve().parent if project_content is not None else None
    folders: list[Path] = []
    for content in contents:
        beside = content.resolve().parent
        inside = project is not None and (beside == project or project in beside.parents)
        if not inside and beside not in folders:
            folders.append(beside)
    return folders


def _redaction_files_beside(folder: Path) -> list[Path]:
    """redact.txt in the folder itself (not below: it may be a home folder); a file there
    named like a redaction list that would not be applied is an error."""
    found = []
    for path in sorted(folder.iterdir()):
        name = path.name.lower()
        if not name.startswith("redact") or path.name.startswith(".") or not path.is_file():
            continue
        if name != REDACT_FILE:
            raise InputError(
                Location(str(path)),
                "this looks like a redaction list beside the content given to --content, but only a file "
                "named redact.txt is applied",
                hint="rename it to redact.txt (check that Windows did not hide a second .txt)",
            )
        found.append(path)
    return found


def redaction_phrases_for_messages(
    contents: list[Path], project_content: Path | None = None, redact_file: Path | None = None
) -> tuple[str, ...]:
    """The names to mask in what the command line prints (a file named after a person is
    named in the report and in errors). What cannot be read gives none: the build then stops
    on that list itself, with a message about it."""
    try:
        return tuple(
            phrase
            for path in redaction_lists(contents, project_content, redact_file)
            if path.is_file()
            for phrase in read_redaction_list(path)
        )
    except (InputError, OSError):
        return ()
