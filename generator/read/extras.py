"""Reading what a content folder holds besides outcome records: Results Framework labels,
the redaction list, the programme's own column names (fields.yml) and hand-written pages.

The redaction list and fields.yml belong to the project: the project's content/ folder's
copies apply whatever --content points at (a subfolder, one file), together with any in
the folders given. A file that looks like a redaction list but would not be applied
(redact.txt.txt, Redaction.txt, redact.csv) stops the build: a list that silently does
nothing is the worst kind of failure here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import fields
from generator.errors import InputError, Location
from generator.fields import FieldTable
from generator.model import FrameworkLabels
from generator.normalise.values import safe_label
from generator.privacy.redact import Redactor, read_phrases
from generator.privacy.scrub import scrubbed
from generator.read.readers import (
    FIELDS_FILE,
    FRAMEWORK_FILES,
    PAGES_FOLDER,
    REDACT_FILE,
    check_pages_folder,
    page_files,
)
from generator.read.yamlfile import line_of, read_yaml_nodes


@dataclass(frozen=True)
class ContentExtras:
    """What the content folders hold besides fragments."""

    labels: FrameworkLabels
    redact_phrases: tuple[str, ...]
    redact_files: tuple[Path, ...]
    table: FieldTable
    pages: dict[str, bytes]  # hand-written pages and their files, by docs path
    page_sources: dict[str, Path]  # where each of those came from, for messages
    # Each fields.yml read and the fields it gives names to (their keys): naming the
    # column of a field that is never published tells what the sources hold (exposure.py).
    field_files: dict[Path, frozenset[str]] = field(default_factory=dict)


def _folders(contents: Iterable[Path], project_content: Path | None) -> list[Path]:
    folders = [content for content in contents if content.is_dir()]
    if (
        project_content is not None
        and project_content.is_dir()
        and all(project_content.resolve() != folder.resolve() for folder in folders)
    ):
        folders.append(project_content)
    return folders


def _mapping_items(path: Path, node: yaml.Node | None, what: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise InputError(line_of(path, node), f"expected {what}")
    items = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise InputError(line_of(path, key), f"expected {what}")
        items.append((key, value))
    return items


def read_framework_labels(path: Path) -> FrameworkLabels:
    """outcomes: and outputs:, each mapping a code (as written: 1.10 stays 1.10) to its label."""
    sections: dict[str, dict[str, str]] = {"outcomes": {}, "outputs": {}}
    what = "two sections, 'outcomes:' and 'outputs:', each mapping a code to its label"
    for key, section in _mapping_items(path, read_yaml_nodes(path), what):
        if key.value not in sections:
            raise InputError(line_of(path, key), f"'{key.value}' is not a section of this file; expected {what}")
        labels = sections[key.value]
        for code, label in _mapping_items(path, section, "lines such as '\"1.1\": Label of the outcome'"):
            if not isinstance(label, yaml.ScalarNode) or not label.value.strip():
                raise InputError(
                    line_of(path, code), f"code '{code.value}' has no label", hint="write its label after the colon"
                )
            if code.value.strip() in labels:
                raise InputError(
                    line_of(path, code), f"code '{code.value}' is given twice", hint="keep one of the two lines"
                )
            labels[code.value.strip()] = safe_label(label.value)
    return FrameworkLabels(outcomes=sections["outcomes"], outputs=sections["outputs"])


def read_field_names(path: Path, table: FieldTable) -> FieldTable:
    """content/fields.yml: a field's name (standard or known) → the programme's column names.

    It can only rename: an unknown key, a column name claimed by two fields, or a file that
    is not such a mapping stops the build, naming the line."""
    return table.with_names(_field_names(path, table))


def _field_names(path: Path, table: FieldTable) -> dict[str, list[str]]:
    """The column names content/fields.yml gives each field, by the field's key."""
    hint = "write one line per field, such as 'Country: [Location of change]' (see python -m generator fields)"
    names: dict[str, list[str]] = {}
    claimed: dict[str, tuple[str, Location]] = {}
    for key, value in _mapping_items(path, read_yaml_nodes(path), "field names, each with a list of column names"):
        field_key = table.key_for(key.value)
        if field_key is None:
            suggestion = table.suggest(key.value)
            also = f"; did you mean '{suggestion}'?" if suggestion else ""
            raise InputError(line_of(path, key), f"'{key.value}' is not a known field{also}", hint=hint)
        columns = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for column in columns:
            if not isinstance(column, yaml.ScalarNode) or not column.value.strip():
                raise InputError(line_of(path, column), "expected a column name", hint=hint)
            if not fields.field_key(column.value):
                raise InputError(
                    line_of(path, column),
                    f"'{column.value}' has no letter or digit, so it cannot tell one column from another",
                    hint="write the column's name as it is in the export",
                )
            other = table.key_for(column.value)
            if other is not None and other != field_key:
                raise InputError(
                    line_of(path, column),
                    f"'{column.value}' is already the name of the field '{table[other].name}'",
                    hint="a column can mean one field only",
                )
            before = claimed.get(fields.field_key(column.value))
            if before is not None and before[0] != field_key:
                raise InputError(
                    line_of(path, column),
                    f"'{column.value}' is also given for '{table[before[0]].name}' at {before[1]}",
                    hint="a column can mean one field only",
                )
            claimed[fields.field_key(column.value)] = (field_key, line_of(path, column))
            names.setdefault(field_key, []).append(column.value.strip())
    return names


def _read_phrases(path: Path) -> tuple[str, ...]:
    """One name or phrase per line; blank lines and lines starting with # are left out."""
    try:
        return read_phrases(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(Location(str(path)), "the file is not UTF-8 text", hint="save it as UTF-8") from None


def _redaction_files(folder: Path) -> list[Path]:
    """redact.txt (in any case) at the top of the folder; anything else named like a
    redaction list, anywhere in it, is an error."""
    found = []
    for path in sorted(folder.rglob("*")):
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
    for folder in _folders(contents, project_content):
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


def read_extras(
    contents: list[Path], table: FieldTable, project_content: Path | None = None, redact_file: Path | None = None
) -> ContentExtras:
    outcomes: dict[str, str] = {}
    outputs: dict[str, str] = {}
    pages: dict[str, bytes] = {}
    page_sources: dict[str, Path] = {}
    field_files: dict[Path, frozenset[str]] = {}
    for folder in _folders(contents, project_content):
        for name in FRAMEWORK_FILES:
            if (folder / name).is_file():
                labels = read_framework_labels(folder / name)
                outcomes.update(labels.outcomes)
                outputs.update(labels.outputs)
        if (folder / FIELDS_FILE).is_file():
            names = _field_names(folder / FIELDS_FILE, table)
            table = table.with_names(names)
            field_files[folder / FIELDS_FILE] = frozenset(names)
    redact_files = redaction_lists(contents, project_content, redact_file)
    for folder in (content for content in contents if content.is_dir()):
        pages_dir = folder / PAGES_FOLDER
        check_pages_folder(pages_dir, folder)  # no link out of the folder, no outcome records
        for path in page_files(pages_dir):  # images and drawings without their metadata
            docs_path = path.relative_to(pages_dir).as_posix()
            pages[docs_path] = scrubbed(path, path.read_bytes())
            page_sources[docs_path] = path
    if redact_file is not None and not redact_file.is_file():
        raise InputError(Location(str(redact_file)), "no such file", hint="check the --redact path")
    phrases = tuple(phrase for path in redact_files for phrase in _read_phrases(path))
    return ContentExtras(
        FrameworkLabels(outcomes, outputs), phrases, tuple(redact_files), table, pages, page_sources, field_files
    )


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
            for phrase in _read_phrases(path)
        )
    except (InputError, OSError):
        return ()


PATH_MASK = "redacted"  # a redacted name in a file or folder name: no brackets in an address


def redacted_pages(
    pages: dict[str, bytes], sources: dict[str, Path], phrases: Iterable[str]
) -> tuple[dict[str, bytes], dict[str, Path]]:
    """The hand-written pages under names with the listed names masked in every folder and
    file name ('people/Amina-Diallo.md' → 'people/redacted.md'): a page's name is its
    address on the site, in the nav and in the sitemap. Two pages that would take one name
    stop the build. Their text is masked apart (publish/generate.py, _redacted_page)."""
    masker, in_messages = Redactor(phrases, mask=PATH_MASK), Redactor(phrases)
    if masker.empty:
        return pages, sources
    masked_pages: dict[str, bytes] = {}
    masked_sources: dict[str, Path] = {}
    for path, data in pages.items():
        masked = "/".join(masker(part) for part in path.split("/"))
        source = Path(in_messages(str(sources[path])))  # for messages only: the file is not opened again
        if masked in masked_pages:
            raise InputError(
                Location(str(source)),
                "once the names of the redaction list are masked in file names, this page and another one "
                f"would both be published as '{masked}'",
                hint="rename one of them; keep names of people out of file and folder names",
            )
        masked_pages[masked], masked_sources[masked] = data, source
    return masked_pages, masked_sources


def pages_in_language(pages: dict[str, bytes], language: str) -> dict[str, bytes]:
    """Hand-written pages for the site's language: 'about.fr.md' is published as 'about.md'
    on a French site (replacing 'about.md'), and left out on any other."""
    chosen: dict[str, bytes] = {}
    for path, data in pages.items():
        stem, _dot, suffix = path.rpartition(".")
        base, _, code = stem.rpartition(".")
        if suffix == "md" and base and len(code) == 2 and code.isalpha():
            if code.lower() == language.split("-")[0].lower():
                chosen[f"{base}.md"] = data
            continue
        chosen.setdefault(path, data)
    return chosen
