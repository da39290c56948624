"""Readers: one function per input format, each giving RawRecords with their source location.

Readers know nothing about what values mean; they only find fields. Field names are
matched through the vocabulary, and fields it does not know are dropped here, with
their names kept for the report, so an unknown column can never be published.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from generator.errors import InputError, Location, Problem
from generator.model import RawRecord, RawValue, SourceSummary
from generator.vocabulary import FIELD_LABELS, canonical_field

SAVE_AS_UTF8 = "save or export the file again as UTF-8 ('CSV UTF-8' in Excel) and rebuild"
SAVE_TEXT_AS_UTF8 = "save it again with the encoding UTF-8 (in Notepad: Save as → Encoding: UTF-8) and rebuild"


@dataclass
class SourceResult:
    records: list[RawRecord]
    summary: SourceSummary
    problems: list[Problem] = field(default_factory=list)


def _decode_text(path: Path, data: bytes, kind: str) -> str:
    if b"\x00" in data:
        raise InputError(
            Location(str(path)),
            f"this is not a {kind} text file (it contains binary data)",
            hint=f"check that the file really is a {kind} export",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            Location(str(path), line=line),
            f"the text is not UTF-8 (byte 0x{data[error.start]:02x} cannot be read; "
            "the file was probably saved as Windows-1252 or Latin-1)",
            hint=SAVE_AS_UTF8 if kind == "CSV" else SAVE_TEXT_AS_UTF8,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A line that starts a field in a text fragment: **Field name**: value
FIELD_LINE = re.compile(r"^\*\*(?P<name>[^*\n]+?)\s*\*\*\s*:[ \t]?(?P<value>.*)$")


def read_text(path: Path) -> SourceResult:
    """One fragment per file, in the `**Field**: value` form.

    A value runs over the following lines until the next line that starts with
    `**Name**:`. Such a line always starts a new field, even when the name is
    unknown, so that an unknown field (internal notes, say) is dropped, never
    appended to the published value before it.
    """
    text = _decode_text(path, path.read_bytes(), "text")
    problems: list[Problem] = []
    values: dict[str, RawValue] = {}
    ignored: list[str] = []
    current: tuple[str | None, str, int, list[str]] | None = None  # canonical, name, line, lines

    def finish() -> None:
        if current is None:
            return
        canonical, name, line, lines = current
        if canonical is None:
            return
        if canonical in values:
            first = values[canonical].location.line
            raise InputError(
                Location(str(path), line=line),
                f"this field is given twice (first at line {first})",
                field=name,
                hint="keep one of the two lines",
            )
        values[canonical] = RawValue(name, "\n".join(lines).strip(), Location(str(path), line=line))

    for number, line in enumerate(text.split("\n"), start=1):
        match = FIELD_LINE.match(line)
        if match:
            finish()
            name = match.group("name").strip()
            canonical = canonical_field(name)
            if canonical is None and name not in ignored:
                ignored.append(name)
            current = (canonical, name, number, [match.group("value")])
        elif current is not None:
            current[3].append(line)
        elif line.strip():
            problems.append(
                Problem(
                    Location(str(path), line=number),
                    None,
                    "text before the first **Field**: line is ignored",
                    "start the file with a line such as **FragmentID**: ABC-123",
                )
            )
    finish()
    records = [RawRecord(Location(str(path), line=1), values, tuple(ignored))] if values else []
    if not values:
        problems.append(Problem(Location(str(path)), None, "no fragment found in this file (it has no **Field**: lines)"))
    return SourceResult(records, SourceSummary(str(path), len(records), tuple(ignored)), problems)


def _records_from_rows(path: Path, rows: Iterator[list[str]]) -> SourceResult:
    """Shared by the CSV and XLSX readers: a header row, then one fragment per row."""
    header = next(rows, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(rows, None)
    if header is None:
        return SourceResult(
            [], SourceSummary(str(path), 0), [Problem(Location(str(path)), None, "the file is empty: no fragments")]
        )
    columns: dict[int, tuple[str, str]] = {}  # column index → (canonical, header as typed)
    seen: dict[str, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        name = name.strip()
        if not name:
            continue
        canonical = canonical_field(name)
        if canonical is None:
            ignored.append(name)
            continue
        if canonical in seen:
            raise InputError(
                Location(str(path), row=1),
                f"two columns mean the same field: '{seen[canonical]}' and '{name}'",
                field=name,
                hint="delete or rename one of them",
            )
        seen[canonical] = name
        columns[index] = (canonical, name)
    if "fragment_id" not in seen:
        raise InputError(
            Location(str(path), row=1),
            "there is no fragment ID column",
            hint=f"add a column named '{FIELD_LABELS['fragment_id']}' to the header row",
        )
    records: list[RawRecord] = []
    for row_number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {}
        for index, (canonical, name) in columns.items():
            text = row[index].strip() if index < len(row) else ""
            values[canonical] = RawValue(name, text, Location(str(path), row=row_number))
        records.append(RawRecord(Location(str(path), row=row_number), values, tuple(ignored)))
    return SourceResult(records, SourceSummary(str(path), len(records), tuple(ignored)))


def _sniff_delimiter(first_line: str) -> str:
    """Excel in French locales writes ';'-separated CSV; pick what the header uses most."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_csv(path: Path) -> SourceResult:
    text = _decode_text(path, path.read_bytes(), "CSV")
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError(Location(str(path)), f"the CSV cannot be read: {error}", hint=SAVE_AS_UTF8) from None
    return _records_from_rows(path, iter(rows))


def cell_text(value: object) -> str:
    """A spreadsheet cell as text, numbers as the spreadsheet stores them (1.0, 2023)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def read_xlsx(path: Path) -> SourceResult:
    import openpyxl  # imported here: only XLSX builds pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(
            Location(str(path)),
            f"this is not a readable .xlsx workbook ({type(error).__name__})",
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from None
    except Exception as error:  # openpyxl raises its own types for damaged files
        if type(error).__module__.startswith("openpyxl"):
            raise InputError(
                Location(str(path)),
                "this is not a readable .xlsx workbook",
                hint="open it in Excel or LibreOffice and save it again as .xlsx",
            ) from None
        raise
    try:
        if not workbook.worksheets:
            raise InputError(Location(str(path)), "the workbook has no sheet")
        sheet = workbook.worksheets[0]
        rows = ([cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
        result = _records_from_rows(path, rows)
    finally:
        workbook.close()
    if not result.records and result.problems:
        raise InputError(
            Location(str(path)),
            f"the first sheet ('{sheet.title}') is empty",
            hint="put the fragments on the first sheet, with the field names in row 1",
        )
    return result


READERS: dict[str, Callable[[Path], SourceResult]] = {
    ".txt": read_text,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
}

# What a content folder holds besides fragments (read by pipeline.read_extras).
FRAMEWORK_FILES = ("results-framework.yml", "results-framework.yaml")
REDACT_FILE = "redact.txt"
PAGES_FOLDER = "pages"
RESERVED_NAMES = frozenset({REDACT_FILE, *FRAMEWORK_FILES})


def fragment_files(content: Path) -> list[Path]:
    """The fragment sources a --content path stands for, in a stable order."""
    if content.is_file():
        if content.suffix.lower() not in READERS:
            raise InputError(
                Location(str(content)),
                f"'{content.suffix}' files cannot be read",
                hint="give a folder, or a .txt, .csv or .xlsx file",
            )
        return [content]
    if not content.is_dir():
        raise InputError(Location(str(content)), "no such file or folder", hint="check the --content path")
    found = []
    for path in sorted(content.rglob("*")):
        relative = path.relative_to(content)
        if relative.parts[0] == PAGES_FOLDER or any(part.startswith((".", "~$")) for part in relative.parts):
            continue
        if path.is_file() and path.suffix.lower() in READERS and path.name.lower() not in RESERVED_NAMES:
            found.append(path)
    return found


def read_sources(contents: Iterable[Path]) -> list[SourceResult]:
    return [READERS[path.suffix.lower()](path) for content in contents for path in fragment_files(content)]
