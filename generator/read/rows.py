"""Rows to records, shared by the CSV and XLSX readers: a header row names the fields, then
one fragment per row. Columns the field table does not know are dropped, their names kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import InputError, Location, Problem
from generator.fields import FieldTable
from generator.model import RawRecord, RawValue, SourceSummary
from generator.read.source_result import SourceResult
from generator.read.xlsx_rows import SheetRows

# Longest cell we accept. Real values are a few thousand characters; a cell this long
# almost always means a quote that swallowed the rest of the file.
MAX_CELL_CHARACTERS = 2_000_000


@dataclass(frozen=True)
class Row:
    number: int  # the row as a spreadsheet shows it: the header is row 1
    line: int | None  # CSV: the line the row starts on
    cells: list[str]


def is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def column_name(header: list[str], index: int) -> str:
    """A column's name for messages: header names are about the file, never content."""
    name = header[index].strip() if index < len(header) else ""
    return name if name and "\n" not in name else f"column {index + 1}"


def _check_cell_lengths(path: Path, row: Row, header: list[str]) -> None:
    for index, cell in enumerate(row.cells):
        if len(cell) > MAX_CELL_CHARACTERS:
            raise InputError(
                Location(str(path), row=row.number),
                f"the cell has {len(cell):,} characters, more than the {MAX_CELL_CHARACTERS:,} allowed",
                field=column_name(header, index),
                hint="shorten it; if it should be short, a quote in this row or above is probably not closed",
            )


def _read_columns(path: Path, header: Row, table: FieldTable) -> tuple[dict[int, tuple[str, str]], list[str]]:
    """Column index → (canonical field, name as typed), and the ignored column names."""
    columns: dict[int, tuple[str, str]] = {}
    seen: dict[str, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(cell.strip() for cell in header.cells):
        if not name:
            continue
        canonical = table.key_for(name)
        if canonical is None:
            ignored.append(name)
            continue
        if canonical in seen:
            raise InputError(
                Location(str(path), row=header.number),
                f"two columns mean the same field: '{seen[canonical]}' and '{name}'",
                field=name,
                hint="delete or rename one of them",
            )
        seen[canonical] = name
        columns[index] = (canonical, name)
    if "fragment_id" not in seen:
        raise InputError(
            Location(str(path), row=header.number),
            "there is no fragment ID column",
            hint=f"add a column named '{table['fragment_id'].name}' to the header row",
        )
    return columns, ignored


@dataclass
class ReadRows:
    """The records a reading of one file made from its rows, for the next reading of that
    file with the same table (a preview's: generator/preview/kept.py): a row with the same
    header and cells is given the record it had, not a new one; on another row (a row above it
    deleted or added), a copy placed on its row now, without reading its cells again. After
    one edit of a 5,000-row export, making every row's record again was ~15 % of a preview's
    save; after a deleted row, making the ~2,500 moved rows' records was ~7 %."""

    made_with: object = None  # the file, its columns as read (the table's names) and the header
    records: dict[tuple[str, ...], RawRecord] = field(default_factory=dict)  # by cells (its row: its location)
    sheet: SheetRows = field(default_factory=SheetRows)  # XLSX: the sheet's rows as parsed (xlsx_rows.py)


def _record(
    path: Path, row: Row, header: list[str], columns: dict[int, tuple[str, str]], ignored: list[str]
) -> RawRecord:
    _check_cell_lengths(path, row, header)
    where = Location(str(path), row=row.number)
    values = {
        canonical: RawValue(name, row.cells[index].strip() if index < len(row.cells) else "", where)
        for index, (canonical, name) in columns.items()
    }
    return RawRecord(where, values, tuple(ignored))


def _moved(record: RawRecord, where: Location) -> RawRecord:
    """A record read from equal cells on another row, placed on its row now: the same as
    _record makes from them (every value of a row's record stands where the record does)."""
    values = {canonical: RawValue(value.name, value.text, where) for canonical, value in record.values.items()}
    return RawRecord(where, values, record.ignored_fields, record.hold_back)


def records_from_rows(
    path: Path, rows: Iterator[Row], table: FieldTable, read_before: ReadRows | None = None
) -> SourceResult:
    """Shared by the CSV and XLSX readers: a header row, then one fragment per row.

    Rows come from a generator that raises on input it cannot read; the records are
    only returned once every row has been read, so a bad file gives nothing at all.
    read_before: what the last reading of this file with this table made, reused for equal rows.
    """
    header = next((row for row in rows if not is_blank(row.cells)), None)
    if header is None:
        return SourceResult(
            [], SourceSummary(str(path), 0), [Problem(Location(str(path)), None, "the file is empty: no fragments")]
        )
    _check_cell_lengths(path, header, header.cells)
    columns, ignored = _read_columns(path, header, table)
    records: list[RawRecord] = []
    made_with = (str(path), tuple(columns.items()), tuple(ignored), tuple(header.cells))
    last = read_before.records if read_before is not None and read_before.made_with == made_with else {}
    now: dict[tuple[str, ...], RawRecord] = {}
    for row in rows:
        if is_blank(row.cells):
            continue
        cells = tuple(row.cells)  # with made_with and its row's number, all a row's record is made from
        record = last.get(cells)
        if record is None:
            record = _record(path, row, header.cells, columns, ignored)
        elif record.location.row != row.number:
            record = _moved(record, Location(str(path), row=row.number))
        now[cells] = record
        records.append(record)
    if read_before is not None:  # only a reading that got to the end: a bad file changes nothing
        read_before.made_with, read_before.records = made_with, now
    known = tuple(canonical for canonical, _ in columns.values())
    return SourceResult(records, SourceSummary(str(path), len(records), tuple(ignored), columns=known))
