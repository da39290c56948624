"""What a content folder may hold, decided by allow-lists: which files are fragment sources
(fragment_files), which hand-written pages may be published (check_pages_folder, page_files),
and the names of its settings files. Any other file stops the build, naming it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from generator.errors import InputError, Location
from generator.normalise import vocabulary
from generator.privacy.scrub import IMAGE_FORMATS, SVG_SUFFIX
from generator.read.decoding import is_utf16
from generator.read.formats import READERS
from generator.read.text_files import FIELD_LINE

# What a content folder holds besides fragments (read by generator/read/extras.py): its names.
FRAMEWORK_FILES = ("results-framework.yml", "results-framework.yaml")
REDACT_FILE = "redact.txt"
FIELDS_FILE = "fields.yml"
SITE_FILE = "site.yml"  # whose site this is (read/site_settings.py): the project's content/ only
VOCABULARIES_FILE = vocabulary.VOCABULARIES_FILE  # the vocabularies editors own
PAGES_FOLDER = "pages"
TEMPLATES_FOLDER = "templates"  # the editors' blank templates: never read, never published
RESERVED_NAMES = frozenset({REDACT_FILE, *FRAMEWORK_FILES})
# Read at the top of a content folder only.
SETTINGS_FILES = frozenset({FIELDS_FILE, SITE_FILE, VOCABULARIES_FILE, *FRAMEWORK_FILES})

# Every other file in a content folder (outside pages/ and templates/) stops the build,
# naming it: an editor who saved outcomes as .ods or .docx meant them to be published or
# held back, and a file skipped without a word does neither. Only these are left alone:
# notes for the editors (unless they hold **Field**: lines) and what Windows writes by itself.
NOTE_SUFFIXES = frozenset({".md", ".markdown"})
SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini"})
# Spreadsheets and tables in formats that are not read, and files that hold outcome records
# and so must never sit among the hand-written pages.
UNREAD_TABLE_SUFFIXES = frozenset(
    {".xls", ".xlsm", ".xlsb", ".xltx", ".xltm", ".xlt", ".ods", ".fods", ".ots", ".numbers", ".tsv", ".tab",
     ".json", ".xml", ".dbf", ".mdb", ".accdb", ".sqlite", ".sav", ".dta", ".parquet"}
)  # fmt: skip
DATA_SUFFIXES = frozenset({".csv", ".xlsx", *UNREAD_TABLE_SUFFIXES})
# What content/pages/ publishes: text the leak guard reads whole, and images and drawings
# written again without their metadata (generator/privacy/scrub.py). Nothing else: a container
# (.zip, .docx, .xlsx, .pdf, .odt…) would leave with whatever it holds.
PAGE_TEXT_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt", ".css"})
PUBLISHED_PAGE_SUFFIXES = PAGE_TEXT_SUFFIXES | {SVG_SUFFIX, *IMAGE_FORMATS}
PUBLISHED_PAGE_KINDS = (
    "pages (.md, .html, .txt), style sheets (.css), drawings (.svg) and images (.jpg, .png, .gif, .webp, .tif)"
)
# Images Pillow is not asked to read (so their metadata could not be removed).
UNREAD_IMAGE_SUFFIXES = frozenset(
    {".heic", ".heif", ".avif", ".bmp", ".ico", ".jxl", ".psd", ".raw", ".dng", ".cr2", ".nef"}
)
DOCUMENT_SUFFIXES = frozenset({".docx", ".doc", ".docm", ".odt", ".fodt", ".rtf", ".pdf", ".pages"})
SAVE_AS_TABLE = "save it as .xlsx or .csv (File → Save As), then move this copy out of content/"
# (message, what to do) for a file that is not read, by the kind of file it is.
UNREAD_FILE = {
    "table": ("'{suffix}' files are not read, so the outcomes in this file would be left out", SAVE_AS_TABLE),
    "document": (
        "'{suffix}' files are not read, so the outcomes in this file would be left out",
        "write each outcome into a .txt file (copy content/templates/outcome-template.txt), "
        "then move this file out of content/",
    ),
    "note with fields": (
        "this file has **Field**: lines like an outcome record, but '{suffix}' files are not read",
        "rename it to .txt to have it read, or move it out of content/",
    ),
    "setting": (
        "this file is not read: only the one at the top of the content folder is",
        "move it to the top of the content folder, or out of content/",
    ),
    "other": (
        "this file is not read: outcome records must be .xlsx, .csv or .txt files",
        "move it out of content/ (hand-written pages and the images they show go in content/pages/)",
    ),
}


def in_path_order(paths: Iterable[Path]) -> list[Path]:
    """The paths sorted as pathlib sorts them (part by part, case-folded where the system
    folds case), each path's key worked out once: sorting a folder of 5,000 fragment files
    with Path's own comparison cost ~0.1 s of every preview save, three times over."""
    if os.path.normcase("A") == "A":  # a system that does not fold case: the parts themselves (~2x quicker)
        return sorted(paths, key=lambda path: path.parts)
    return sorted(paths, key=lambda path: tuple(os.path.normcase(part) for part in path.parts))


def _entries(folder: Path, skip: Callable[[str, bool], bool]) -> Iterator[Path]:
    """Everything under folder, in a stable order. Linked folders are listed, not entered:
    what they hold is read where it really is, or not at all. skip(name, at the top)."""
    return (Path(path) for path, _, _ in _listed(os.fspath(folder), skip))


def _listed(
    folder: str, skip: Callable[[str, bool], bool], at_top: bool = True
) -> Iterator[tuple[str, os.DirEntry[str], bool]]:
    """_entries as text, with what listing the folder says of each entry (a link? a folder? a
    file?) and whether it is at the top, so that most entries need no look of their own: with
    one .txt per fragment, a preview save looked at each of 5,000 files three times (~10 % of
    the save's CPU). In in_path_order's order (the paths of one folder differ only in their
    names), without a Path per entry: making 5,000 Paths and their text was ~30 ms a save."""
    with os.scandir(folder) as listing:
        entries = [entry for entry in listing if not skip(entry.name, at_top)]
    entries.sort(key=lambda entry: os.path.normcase(entry.name))
    for entry in entries:
        path = entry.name if folder == os.curdir else entry.path  # as str(Path(".") / name) gives it
        yield path, entry, at_top
        if entry.is_dir() and not entry.is_symlink():
            yield from _listed(path, skip, at_top=False)


def _refuse_link_outside(link: Path, root: Path) -> None:
    """A link under a content folder may only lead to somewhere in it (root: resolved)."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a link that loops back on itself
        raise InputError(Location(str(link)), "this link cannot be followed", hint="put the file itself here") from None
    if target.is_relative_to(root):
        return
    kind = "folder" if target.is_dir() else "file"
    raise InputError(
        Location(str(link)),
        f"this is a link to a {kind} outside the content folder",
        hint="copy the file in instead" if kind == "file" else "copy its files in instead",
    )


def fragment_files(content: Path) -> list[Path]:
    """The fragment sources a --content path stands for, in a stable order. Any other file
    of a content folder (see UNREAD_FILE) stops the build, naming it."""
    return [Path(name) for name in fragment_file_names(content)]


def fragment_file_names(content: Path) -> list[str]:
    """fragment_files as text (each `str(path)`): a preview lists 5,000 `.txt` files on every
    save and makes a Path only of a file it reads again (preview/kept.py)."""
    if content.is_file():
        if content.suffix.lower() not in READERS:
            raise InputError(
                Location(str(content)),
                f"'{content.suffix}' files cannot be read",
                hint="give a folder, or a .txt, .csv or .xlsx file",
            )
        return [os.fspath(content)]
    if not content.is_dir():
        raise InputError(Location(str(content)), "no such file or folder", hint="check the --content path")
    root = content.resolve()

    def skip(name: str, at_top: bool) -> bool:
        """pages/ and templates/ at the top, and anything hidden (a folder skipped is not entered,
        so a path's own name is the one left to look at)."""
        return name.startswith((".", "~$")) or (at_top and name in (PAGES_FOLDER, TEMPLATES_FOLDER))

    found = []
    for name, entry, at_top in _listed(os.fspath(content), skip):
        if entry.is_symlink():
            _refuse_link_outside(Path(name), root)
        if not entry.is_file():
            continue
        # The suffix as Path.suffix gives it where it matters: a name ending in "." has none
        # (splitext gives "."), and hidden names are skipped above.
        if os.path.splitext(entry.name)[1].lower() in READERS and entry.name.lower() not in RESERVED_NAMES:
            found.append(name)
            continue
        path = Path(name)
        kind = _unread_kind(path, at_top=at_top)
        if kind is not None:
            message, hint = UNREAD_FILE[kind]
            raise InputError(Location(str(path)), message.format(suffix=path.suffix.lower()), hint=hint)
    return found


def _unread_kind(path: Path, at_top: bool) -> str | None:
    """What kind of unread file `path` is (a key of UNREAD_FILE), or None when it may stay."""
    name, suffix = path.name.lower(), path.suffix.lower()
    if name in SYSTEM_FILES or name == REDACT_FILE or (at_top and name in SETTINGS_FILES):
        return None  # the settings are read by generator/read/extras.py (a misplaced redact.txt stops it)
    if name in SETTINGS_FILES:
        return "setting"
    if suffix in NOTE_SUFFIXES:
        return "note with fields" if _holds_field_lines(path) else None
    if suffix in UNREAD_TABLE_SUFFIXES:
        return "table"
    if suffix in DOCUMENT_SUFFIXES:
        return "document"
    return "other"


def _holds_field_lines(path: Path) -> bool:
    data = path.read_bytes()
    text = data.decode("utf-16", "replace") if is_utf16(data) else data.decode("utf-8", "replace")
    return any(FIELD_LINE.match(line) for line in text.splitlines())


def _is_fragment_data(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in DATA_SUFFIXES or (suffix in (".txt", *NOTE_SUFFIXES) and _holds_field_lines(path))


def _is_hidden(name: str, at_top: bool) -> bool:
    return name.startswith(".")


def page_files(pages_dir: Path) -> list[Path]:
    """The files of the hand-written pages folder that are published, in a stable order:
    all but hidden ones (a name starting with '.', or in a folder whose name does).
    check_pages_folder has refused the folder if any of them may not be published."""
    if not pages_dir.is_dir():
        return []
    return [path for path in _entries(pages_dir, _is_hidden) if path.is_file()]


SCRIPT_SUFFIXES = frozenset({".js", ".mjs", ".cjs"})  # refused in content/pages/ with a message of their own


def check_pages_folder(pages_dir: Path, content_root: Path) -> None:
    """Refuse what the hand-written pages folder must not publish: links to anything outside
    the content folder, outcome records (which would skip the gate), and every file the
    leak guard cannot read whole (anything not in PUBLISHED_PAGE_SUFFIXES: a .zip, .docx
    or .pdf would leave with whatever it holds)."""
    root = content_root.resolve()
    if pages_dir.is_symlink():
        _refuse_link_outside(pages_dir, root)
    if not pages_dir.is_dir():
        return
    for path in _entries(pages_dir, _is_hidden):
        if path.is_symlink():
            _refuse_link_outside(path, root)
        if not path.is_file():
            continue
        if _is_fragment_data(path):
            raise InputError(
                Location(str(path)),
                "outcome records belong in content/fragments/, not content/pages/",
                hint="files there are published as they are",
            )
        if path.suffix.lower() in SCRIPT_SUFFIXES:
            raise InputError(
                Location(str(path)),
                "this is a script; the site runs no script of a hand-written page",
                hint="remove the file from content/pages/",
            )
        if path.suffix.lower() not in PUBLISHED_PAGE_SUFFIXES:
            unread_image = path.suffix.lower() in UNREAD_IMAGE_SUFFIXES
            raise InputError(
                Location(str(path)),
                f"'{path.suffix.lower() or path.name}' files are not published: the leak check cannot read inside "
                f"them. Only {PUBLISHED_PAGE_KINDS} are published from content/pages/",
                hint="save it as .jpg or .png"
                if unread_image
                else "publish what it says as a page (.md), or move it out of content/pages/",
            )


def settings_folders(contents: Iterable[Path], project_content: Path | None) -> list[Path]:
    """The folders whose settings apply: the content folders given, and the project's content/."""
    folders = [content for content in contents if content.is_dir()]
    if (
        project_content is not None
        and project_content.is_dir()
        and all(project_content.resolve() != folder.resolve() for folder in folders)
    ):
        folders.append(project_content)
    return folders
