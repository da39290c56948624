"""Reading what a content folder holds besides outcome records, all at once: Results
Framework labels, the redaction lists, the programme's own column names (fields.yml), the
vocabularies editors own (vocabularies.yml) and the hand-written pages (their files, with images and drawings scrubbed of metadata).

The redaction list and fields.yml belong to the project: the project's content/ folder's
copies apply whatever --content points at (a subfolder, one file), together with any in
the folders given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import InputError, Location
from generator.fields import FieldTable
from generator.model import FrameworkLabels
from generator.privacy.scrub import scrubbed
from generator.read.content_folder import (
    FIELDS_FILE,
    FRAMEWORK_FILES,
    PAGES_FOLDER,
    VOCABULARIES_FILE,
    check_pages_folder,
    page_files,
    settings_folders,
)
from generator.read.field_names import column_names
from generator.read.framework_labels import read_framework_labels
from generator.read.redaction_lists import read_redaction_list, redaction_lists
from generator.read.vocabularies import read_vocabularies


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


def read_extras(
    contents: list[Path], table: FieldTable, project_content: Path | None = None, redact_file: Path | None = None
) -> ContentExtras:
    outcomes: dict[str, str] = {}
    outputs: dict[str, str] = {}
    outcomes_in: dict[str, dict[str, str]] = {}
    outputs_in: dict[str, dict[str, str]] = {}
    pages: dict[str, bytes] = {}
    page_sources: dict[str, Path] = {}
    field_files: dict[Path, frozenset[str]] = {}
    for folder in settings_folders(contents, project_content):
        for name in FRAMEWORK_FILES:
            if (folder / name).is_file():
                labels = read_framework_labels(folder / name)
                outcomes.update(labels.outcomes)
                outputs.update(labels.outputs)
                for language, by_code in labels.outcomes_in.items():
                    outcomes_in.setdefault(language, {}).update(by_code)
                for language, by_code in labels.outputs_in.items():
                    outputs_in.setdefault(language, {}).update(by_code)
        if (folder / FIELDS_FILE).is_file():
            names = column_names(folder / FIELDS_FILE, table)
            table = table.with_names(names)
            field_files[folder / FIELDS_FILE] = frozenset(names)
    # The vocabularies of the folders given win over the project's (settings_folders lists it last).
    for folder in reversed(settings_folders(contents, project_content)):
        if (folder / VOCABULARIES_FILE).is_file():
            table = table.with_vocabularies(read_vocabularies(folder / VOCABULARIES_FILE))
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
    phrases = tuple(phrase for path in redact_files for phrase in read_redaction_list(path))
    return ContentExtras(
        FrameworkLabels(outcomes, outputs, outcomes_in, outputs_in),
        phrases,
        tuple(redact_files),
        table,
        pages,
        page_sources,
        field_files,
    )
