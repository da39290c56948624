"""The XLSX reader: the first visible sheet of a workbook, within size limits checked before
and while it is read (a small zip can expand to gigabytes of rows)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import InputError, Location
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.read import xlsx_rows
from generator.read.decoding import unix_line_ends
from generator.read.rows import ReadRows, Row, records_from_rows
from generator.read.source_result import SourceResult

if TYPE_CHECKING:  # openpyxl itself is imported only when a workbook is read
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

RESAVE_XLSX = "open it in Excel or LibreOffice and save it again as .xlsx"

# How far one workbook may expand. An export of 5,000 outcomes is about 15 MB of XML and
# 150,000 cells; a few MB of zip can expand to GBs of rows (a "zip bomb"). The sizes a
# workbook declares are checked before it is parsed (the zip module never gives more bytes
# than a part declares), and the cells are counted while the sheet is read, since the
# sheet's own <dimension> may be wrong.
MAX_WORKBOOK_BYTES = 200_000_000  # all the parts of the workbook, uncompressed
MAX_SHEET_CELLS = 1_000_000
SMALLER_WORKBOOK = (
    "keep only the outcomes in the workbook (delete empty rows and columns below and to the right of them), "
    "or split it into several files"
)


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
    return unix_line_ends(str(value))


def _damaged_workbook(path: Path, row: int | None = None) -> InputError:
    message = "this is not a readable .xlsx workbook"
    if row is not None:  # damage is found while reading ahead: at this row or a little after
        message += ": its first visible sheet is damaged, reading stopped at this row"
    return InputError(Location(str(path), row=row), message, hint=RESAVE_XLSX)


def _too_many_cells(path: Path, sheet: str, declared: int | None = None) -> InputError:
    """declared: the size the sheet's <dimension> gives; None when found by counting."""
    size = (
        f"{declared:,} cells, more than the {MAX_SHEET_CELLS:,}"
        if declared
        else f"more than the {MAX_SHEET_CELLS:,} cells"
    )
    return InputError(Location(str(path)), f"the sheet '{sheet}' has {size} allowed", hint=SMALLER_WORKBOOK)


# A cell and a row's number in a sheet's XML (any namespace prefix). Counted in the raw
# bytes before openpyxl parses anything: openpyxl reads every sheet that declares no size
# to its end when the workbook is opened, and a million cells cost it half a minute.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br\s*=\s*[\"'](\d{1,10})[\"']")
SCAN_CHUNK = 1 << 20
TAG_TAIL = 4096


def _check_expanded_size(path: Path) -> None:
    """Refuse a workbook that would expand past MAX_WORKBOOK_BYTES, or one of whose parts
    holds more than MAX_SHEET_CELLS cells or rows, before anything parses it."""
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(part.file_size for part in archive.infolist())
            if expanded > MAX_WORKBOOK_BYTES:
                raise InputError(
                    Location(str(path)),
                    f"the workbook expands to {expanded / 1e6:,.0f} MB when opened, "
                    f"more than the {MAX_WORKBOOK_BYTES / 1e6:,.0f} MB allowed",
                    hint=SMALLER_WORKBOOK,
                )
            for part in archive.infolist():
                if part.filename.lower().endswith(".xml") and _cells_at_least(archive, part) > MAX_SHEET_CELLS:
                    raise InputError(
                        Location(str(path)),
                        f"a sheet of the workbook has more than the {MAX_SHEET_CELLS:,} cells allowed",
                        hint=SMALLER_WORKBOOK,
                    )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged_workbook(path) from None


def _cells_at_least(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """How many rows _sheet_rows would count at least in this part: its cells, or its last
    row's number (openpyxl gives every empty row before it), whichever is more."""
    cells = last_row = 0
    unfinished = b""
    with archive.open(part) as stream:
        while chunk := stream.read(SCAN_CHUNK):
            data = unfinished + chunk
            # A tag never holds '<': every tag before the last one is whole. Past a few kB a
            # tag cannot be a cell or a row, so no more is kept (the scan stays linear).
            end = data.rfind(b"<")
            end = len(data) if end < 0 else max(end, len(data) - TAG_TAIL)
            whole, unfinished = data[:end], data[end:]
            cells += len(_CELL_TAG.findall(whole))
            last_row = max([last_row, *map(int, _ROW_NUMBER.findall(whole))])
    cells += len(_CELL_TAG.findall(unfinished + b" "))
    return max(cells, last_row)


def _check_declared_cells(path: Path, sheet: ReadOnlyWorksheet) -> None:
    """The sheet's <dimension> (read by openpyxl at load, before the rows): refused when it
    declares more than MAX_SHEET_CELLS. A sheet without one is only counted while read."""
    if sheet.max_row is None or sheet.max_column is None:
        return
    declared = (sheet.max_row - sheet.min_row + 1) * (sheet.max_column - sheet.min_column + 1)
    if declared > MAX_SHEET_CELLS:
        raise _too_many_cells(path, sheet.title, declared)


def _sheet_rows(path: Path, sheet: ReadOnlyWorksheet, parsed_before: xlsx_rows.SheetRows | None) -> Iterator[Row]:
    """The sheet's rows, numbered as the sheet numbers them; stops past MAX_SHEET_CELLS.
    parsed_before: the rows the last reading of this file parsed (xlsx_rows.SheetRows), reused."""
    # The stored size (<dimension ref="A1:C9"/>) may be wrong, and read-only mode would
    # then cut rows and columns off: forget it, so that every stored cell is read.
    sheet.reset_dimensions()
    rows = xlsx_rows.sheet_values(sheet, parsed_before)
    texts = parsed_before.texts if parsed_before is not None else {}
    texts_now: dict[int, tuple[tuple[object, ...], list[str]]] = {}
    number = 0
    cells = 0
    while True:
        try:
            values = next(rows, None)
        except Exception:  # see read_xlsx: damaged input, named with its row
            raise _damaged_workbook(path, number + 1) from None
        if values is None:
            if parsed_before is not None:  # only a reading that got to the end
                parsed_before.texts = texts_now
            return
        number += 1
        cells += max(len(values), 1)  # an empty row costs time to read too
        if cells > MAX_SHEET_CELLS:
            raise _too_many_cells(path, sheet.title)
        kept = texts.get(id(values))
        if kept is None or kept[0] is not values:
            kept = (values, [cell_text(value) for value in values])
        if parsed_before is not None:
            texts_now[id(values)] = kept
        yield Row(number, None, kept[1])


def _visible_sheet(path: Path, workbook: Workbook) -> tuple[ReadOnlyWorksheet, int]:
    """The first sheet an editor sees, and how many hidden sheets were passed over.

    A hidden (or 'very hidden') sheet is never read, even when it comes first: it may be an
    old archive tab whose rows the editor cannot see, flag or correct."""
    sheets = workbook.worksheets
    visible = [sheet for sheet in sheets if sheet.sheet_state == "visible"]
    if not visible:
        message = "the workbook has no sheet" if not sheets else "every sheet of the workbook is hidden"
        raise InputError(
            Location(str(path)), message, hint="put the fragments on a visible sheet, then save it again as .xlsx"
        )
    return visible[0], len(sheets) - len(visible)


def _read_visible_sheet(
    path: Path, workbook: Workbook, table: FieldTable, read_before: ReadRows | None = None
) -> SourceResult:
    sheet, hidden = _visible_sheet(path, workbook)
    _check_declared_cells(path, sheet)
    parsed_before = read_before.sheet if read_before is not None else None
    result = records_from_rows(path, _sheet_rows(path, sheet, parsed_before), table, read_before)
    if not result.records and result.problems:
        raise InputError(
            Location(str(path)),
            f"the first visible sheet ('{sheet.title}') is empty",
            hint="put the fragments on the first visible sheet, with the field names in row 1",
        )
    result.summary = replace(result.summary, sheet=sheet.title, hidden_sheets=hidden)
    return result


def read_xlsx(path: Path, table: FieldTable = DEFAULT_TABLE, read_before: ReadRows | None = None) -> SourceResult:
    """The first visible sheet of a workbook (see _visible_sheet), within the size limits.
    read_before: the rows' records of the last reading of this file (rows.ReadRows), reused."""
    import openpyxl  # imported here: only XLSX builds pay for it

    _check_expanded_size(path)
    # A damaged workbook makes openpyxl (and the zip and XML parsers under it) raise
    # almost any exception type, at load or only later while rows are read lazily. It
    # is bad input, not a bug of ours, so every exception from the whole read becomes
    # one message naming the file (our own InputErrors pass as they are).
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise _damaged_workbook(path) from None
    try:
        return _read_visible_sheet(path, workbook, table, read_before)
    except InputError:
        raise
    except Exception:
        raise _damaged_workbook(path) from None
    finally:
        workbook.close()
