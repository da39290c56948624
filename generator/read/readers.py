"""Readers: one function per input format, each giving RawRecords with their source location.

Readers know nothing about what values mean; they only find fields. Field names are
matched through the vocabulary, and fields it does not know are dropped here, with
their names kept for the report, so an unknown column can never be published.

Readers never guess where a row or a field ends: a CSV file that does not parse
cleanly, or a damaged workbook, stops the build; a text line that may be a field
name holds its fragment back. Messages name the file, row or line and field name,
never a value, since a value may be confidential.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import InputError, Location, Problem
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.model import RawRecord, RawValue, SourceSummary
from generator.privacy.scrub import IMAGE_FORMATS, SVG_SUFFIX

if TYPE_CHECKING:  # openpyxl itself is imported only when a workbook is read
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

SAVE_AS_UTF8 = "save or export the file again as UTF-8 ('CSV UTF-8' in Excel) and rebuild"
SAVE_TEXT_AS_UTF8 = "save it again with the encoding UTF-8 (in Notepad: Save as → Encoding: UTF-8) and rebuild"
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

# Longest cell we accept. Real values are a few thousand characters; a cell this long
# almost always means a quote that swallowed the rest of the file.
MAX_CELL_CHARACTERS = 2_000_000
# csv's own limit (131,072 by default) must stay above ours, so that our message (naming
# row and field) is the one users see. It is process-wide, so it is only ever raised.
CSV_FIELD_SIZE_LIMIT = 4 * MAX_CELL_CHARACTERS

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass
class SourceResult:
    records: list[RawRecord]
    summary: SourceSummary
    problems: list[Problem] = field(default_factory=list)


# --- decoding ---------------------------------------------------------------


def _binary_data_error(path: Path, kind: str) -> InputError:
    return InputError(
        Location(str(path)),
        f"this is not a {kind} text file (it contains binary data)",
        hint=f"check that the file really is a {kind} export",
    )


def _decode_text(path: Path, data: bytes, kind: str) -> str:
    """UTF-8 (with or without BOM) as text with '\\n' line ends; anything else is refused."""
    if b"\x00" in data:
        raise _binary_data_error(path, kind)
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
    return _unix_line_ends(text)


def _unix_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_utf16(data: bytes) -> bool:
    """Excel's 'Unicode Text' is UTF-16 with a byte order mark; without one we cannot tell."""
    return data.startswith(UTF16_BOMS)


def _decode_utf16(path: Path, data: bytes, kind: str) -> str:
    try:
        text = data.decode("utf-16")  # the BOM says which byte order, and is dropped
    except UnicodeDecodeError:
        raise InputError(
            Location(str(path)),
            "the file is UTF-16 text but it is cut short or damaged",
            hint=SAVE_AS_UTF8 if kind == "CSV" else SAVE_TEXT_AS_UTF8,
        ) from None
    if "\x00" in text:
        raise _binary_data_error(path, kind)
    return _unix_line_ends(text)


# --- text fragments ---------------------------------------------------------

# Indentation and a list bullet (-, *, +, 1.), which may come before a field name. In a
# field line the bullet may touch the name (-**Name**:); elsewhere it must be followed by
# a space, or the first * of **Name would be taken for a bullet.
# Indentation may be any Unicode space (a no-break space pasted from Word, say).
_FIELD_LINE_START = r"^[^\S\n]*(?:(?:[-*+]|\d{1,3}[.)])[^\S\n]*)?"
_LINE_START = r"^[^\S\n]*(?:(?:[-*+]|\d{1,3}[.)])[^\S\n]+)?"
# A line that starts a field: **Name**: value, also written **Name:**, __Name__:,
# ***Name***:, - **Name**:, **Name** : or with a full-width colon (：). A field name
# never holds a colon, so the first colon ends it.
FIELD_LINE = re.compile(
    _FIELD_LINE_START + r"[*_]?(?:\*\*(?P<starred>[^*\n:：]+?)|__(?P<underlined>(?:(?!__)[^\n:：])+?))"
    r"[ \t]*(?:[:：][ \t]*(?:\*\*|__)[*_]?|(?:\*\*|__)[*_]?[ \t]*[:：])"
    r"[ \t]?(?P<value>.*)$"
)
# A line starting with bold or underline that is not a field line (say `**Notes: x`,
# with no closing `**`): someone meant a field name, or maybe did.
_BOLD_START = re.compile(_LINE_START + r"[*_]?(?:\*\*|__)")
# A Markdown rule (***, ___, - - -) holds no label: not a field name.
_RULE_LINE = re.compile(r"[ \t*_-]*")
# A plain `Label: value` line: the label is the text before the first colon.
_PLAIN_LABEL = re.compile(_LINE_START + r"[*_]*(?P<label>[^:：\n]{1,60}?)[*_]*[ \t]*[:：]")
# Words that say a label heads something not meant for the public.
# Bounded by anything but a letter: "_Contact_" (underscores are word characters) counts.
_PRIVATE_WORDS = re.compile(
    r"(?<![^\W_])(?:internal|confidential\w*|private|contacts?|notes?|interne|confidentiel\w*|priv[ée]e?s?"
    r"|do not publish|ne pas publier)(?![^\W_])",
    re.IGNORECASE,
)

# Kinds of field whose value may run over several lines: free text, and lists (types of
# change, Results Framework links) written one item per line.
MULTI_LINE_KINDS = frozenset({"text", "list", "links"})

AMBIGUOUS_LINE = "a line looks like a field name but is not written as **Name**: value (line {line})"


def field_line_name(line: str) -> tuple[str, str] | None:
    """(name, value) when the line starts a field, otherwise None."""
    match = FIELD_LINE.match(line)
    if match is None:
        return None
    name = match.group("starred") or match.group("underlined")
    return name.strip(), match.group("value")


def looks_like_field_name(line: str, table: FieldTable = DEFAULT_TABLE) -> bool:
    """True for a line that is not a field line but may have been meant as one.

    Such a line would be glued onto the value before it, so the fragment is held
    back instead: a plain `Internal notes: ...` must never be published as part of a
    description.
    """
    if _RULE_LINE.fullmatch(line):
        return False
    if _BOLD_START.match(line):
        return True
    match = _PLAIN_LABEL.match(line)
    if match is None:
        return False
    label = match.group("label")
    return table.key_for(label) is not None or _PRIVATE_WORDS.search(label) is not None


@dataclass
class _OpenField:
    canonical: str | None  # None: a field the vocabulary does not know, dropped
    name: str
    line: int
    lines: list[str]


@dataclass
class _TextFragment:
    """What read_text has found so far in one file."""

    path: Path
    table: FieldTable = DEFAULT_TABLE
    values: dict[str, RawValue] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ambiguous_line: int | None = None  # the first one: the fragment's hold-back reason
    current: _OpenField | None = None

    def start_field(self, number: int, name: str, value: str) -> None:
        self.finish_field()
        canonical = self.table.key_for(name)
        if canonical is None and name not in self.ignored:
            self.ignored.append(name)
        self.current = _OpenField(canonical, name, number, [value])

    def add_line(self, number: int, line: str) -> None:
        if self.current is None:
            if line.strip():
                self.problems.append(
                    Problem(
                        Location(str(self.path), line=number),
                        None,
                        "text before the first **Field**: line is ignored",
                        "start the file with a line such as **FragmentID**: ABC-123",
                    )
                )
            return
        # Only lines that join a kept value could be published, so only they are checked.
        # Only free text and lists run over several lines: a line after an ID, a country or
        # a flag belongs to no value anyone meant, so the reader cannot tell where it goes.
        kept = self.current.canonical
        if (
            kept is not None
            and line.strip()
            and (looks_like_field_name(line, self.table) or self.table[kept].kind not in MULTI_LINE_KINDS)
        ):
            self.hold_back_for(number, self.current.name)
        self.current.lines.append(line)

    def hold_back_for(self, number: int, field_name: str) -> None:
        if self.ambiguous_line is None:
            self.ambiguous_line = number
        self.problems.append(
            Problem(
                Location(str(self.path), line=number),
                field_name,
                "this line looks like a field name but is not written as **Name**: value, so the fragment is held back",
                "write the field as **Name**: value on a line of its own, "
                "or reword the line so that it does not start with a label and a colon",
            )
        )

    def finish_field(self) -> None:
        current, self.current = self.current, None
        if current is None or current.canonical is None:
            return
        if current.canonical in self.values:
            first = self.values[current.canonical].location.line
            raise InputError(
                Location(str(self.path), line=current.line),
                f"this field is given twice (first at line {first})",
                field=current.name,
                hint="keep one of the two lines",
            )
        text = "\n".join(current.lines).strip()
        self.values[current.canonical] = RawValue(current.name, text, Location(str(self.path), line=current.line))

    def result(self) -> SourceResult:
        self.finish_field()
        path = str(self.path)
        records = []
        if self.values:
            hold_back = AMBIGUOUS_LINE.format(line=self.ambiguous_line) if self.ambiguous_line else None
            records.append(RawRecord(Location(path, line=1), self.values, tuple(self.ignored), hold_back))
        else:
            no_fields = "no fragment found in this file (it has no **Field**: lines)"
            self.problems.append(Problem(Location(path), None, no_fields))
        return SourceResult(records, SourceSummary(path, len(records), tuple(self.ignored)), self.problems)


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    if not _is_utf16(data):
        return _decode_text(path, data, "text")
    text = _decode_utf16(path, data, "text")
    if "\t" in text and not any(FIELD_LINE.match(line) for line in text.splitlines()):
        raise InputError(
            Location(str(path)),
            "this is a table saved by Excel as 'Unicode Text' (UTF-16, tab-separated), not a text fragment",
            hint="in Excel, save it as 'CSV UTF-8', a .csv file, and use that file instead",
        )
    return text


def read_text(path: Path, table: FieldTable = DEFAULT_TABLE) -> SourceResult:
    """One fragment per file, in the `**Field**: value` form.

    A value runs over the following lines until the next field line (see FIELD_LINE).
    Such a line always starts a new field, even when the name is unknown, so that an
    unknown field (internal notes, say) is dropped, never appended to the published
    value before it. A line that may have been meant as a field line but is not one
    holds the fragment back (see looks_like_field_name).
    """
    fragment = _TextFragment(path, table)
    # splitlines: a line separator (U+2028) or form feed starts a new line too, as some
    # editors show it, so a field line after one is never glued onto the value before.
    for number, line in enumerate(_read_text_file(path).splitlines(), start=1):
        found = field_line_name(line)
        if found:
            fragment.start_field(number, *found)
        else:
            fragment.add_line(number, line)
    return fragment.result()


# --- rows: CSV and XLSX -----------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int  # the row as a spreadsheet shows it: the header is row 1
    line: int | None  # CSV: the line the row starts on
    cells: list[str]


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _column_name(header: list[str], index: int) -> str:
    """A column's name for messages: header names are about the file, never content."""
    name = header[index].strip() if index < len(header) else ""
    return name if name and "\n" not in name else f"column {index + 1}"


def _check_cell_lengths(path: Path, row: _Row, header: list[str]) -> None:
    for index, cell in enumerate(row.cells):
        if len(cell) > MAX_CELL_CHARACTERS:
            raise InputError(
                Location(str(path), row=row.number),
                f"the cell has {len(cell):,} characters, more than the {MAX_CELL_CHARACTERS:,} allowed",
                field=_column_name(header, index),
                hint="shorten it; if it should be short, a quote in this row or above is probably not closed",
            )


def _read_columns(path: Path, header: _Row, table: FieldTable) -> tuple[dict[int, tuple[str, str]], list[str]]:
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


def _records_from_rows(path: Path, rows: Iterator[_Row], table: FieldTable) -> SourceResult:
    """Shared by the CSV and XLSX readers: a header row, then one fragment per row.

    Rows come from a generator that raises on input it cannot read; the records are
    only returned once every row has been read, so a bad file gives nothing at all.
    """
    header = next((row for row in rows if not _is_blank(row.cells)), None)
    if header is None:
        return SourceResult(
            [], SourceSummary(str(path), 0), [Problem(Location(str(path)), None, "the file is empty: no fragments")]
        )
    _check_cell_lengths(path, header, header.cells)
    columns, ignored = _read_columns(path, header, table)
    records: list[RawRecord] = []
    for row in rows:
        if _is_blank(row.cells):
            continue
        _check_cell_lengths(path, row, header.cells)
        where = Location(str(path), row=row.number)
        values = {
            canonical: RawValue(name, row.cells[index].strip() if index < len(row.cells) else "", where)
            for index, (canonical, name) in columns.items()
        }
        records.append(RawRecord(where, values, tuple(ignored)))
    return SourceResult(records, SourceSummary(str(path), len(records), tuple(ignored)))


# --- CSV --------------------------------------------------------------------

# What Excel may put before the header: blank lines, and a `sep=;` line naming the
# delimiter (Excel hides that line and so must we).
_CSV_PREAMBLE = re.compile(r'(?:[ \t]*\n)*(?:sep=(?P<sep>[^\n"])[ \t]*\n(?:[ \t]*\n)*)?', re.IGNORECASE)


@dataclass(frozen=True)
class _CsvText:
    body: str  # from the header on
    first_line: int  # the line number of the body's first line
    delimiter: str


def _sniff_delimiter(first_line: str) -> str:
    """Excel in French locales writes ';'-separated CSV; pick what the header uses most."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _split_preamble(text: str) -> _CsvText:
    preamble = _CSV_PREAMBLE.match(text)
    assert preamble is not None  # the pattern matches the empty string
    body = text[preamble.end() :]
    first_line = text.count("\n", 0, preamble.end()) + 1
    header_line = body[: body.find("\n")] if "\n" in body else body
    delimiter = preamble.group("sep") or _sniff_delimiter(header_line)
    return _CsvText(body, first_line, delimiter)


def _csv_error(path: Path, error: csv.Error, row: int, start_line: int, error_line: int) -> InputError:
    """csv's own errors, said for a person. Its messages never quote the data."""
    reason = str(error)
    if reason == "unexpected end of data":
        return InputError(
            Location(str(path), line=start_line),
            f"row {row} has a quote that is never closed: the file ends inside a quoted cell",
            hint='a cell that starts with " must end with "; write a quote inside a cell as ""',
        )
    if reason.endswith("expected after '\"'"):
        return InputError(
            Location(str(path), line=error_line),
            f"row {row} has text right after the closing quote of a cell",
            hint='a quoted cell must end with " just before the separator; write a quote inside a cell as ""',
        )
    if reason.startswith("field larger than field limit"):
        return InputError(
            Location(str(path), line=start_line),
            f"row {row} has a cell longer than {CSV_FIELD_SIZE_LIMIT:,} characters",
            hint="a quote in this row or above is probably not closed; check the quotes",
        )
    return InputError(Location(str(path), line=error_line), f"row {row} cannot be read ({reason})", hint=SAVE_AS_UTF8)


def _check_cell_count(path: Path, row: _Row, header: list[str]) -> None:
    if len(row.cells) != len(header):
        raise InputError(
            Location(str(path), line=row.line),
            f"row {row.number} has {len(row.cells)} cells but the header row has {len(header)}",
            hint="check this row for a missing or extra separator, or a quote that is not closed, "
            "then save the file again",
        )


def _looks_like_rows(line: str, delimiter: str, header_width: int) -> bool:
    """True for a line of a multi-line cell that looks like (part of) a CSV row.

    A quote opened in one row and closed in a later one turns the rows between into
    one cell, and the cell count may still match by chance. A line of prose has a few
    commas, but rarely a quoted cell's edges (","  or ,"..",) or half the header's
    separators.
    """
    quote = '"'
    if f"{quote}{delimiter}{quote}" in line:
        return True
    opened = line.find(delimiter + quote)
    if opened >= 0 and line.find(quote + delimiter, opened + 2) >= 0:
        return True
    separators = line.count(delimiter)
    return separators > 0 and 2 * separators >= header_width - 1


def _check_no_swallowed_rows(path: Path, row: _Row, header: list[str], delimiter: str) -> None:
    """Refuse a row whose multi-line cell may hold other rows.

    Every line of such a cell is checked, the first one too: when a quote opened in
    column k of one row closes in column k of the next, the cell count still matches,
    and either the rest of the first row (first line) or the start of the next one
    (last line) holds at least half the header's separators.
    """
    line = row.line or 0  # the physical line each cell's text starts on
    for index, cell in enumerate(row.cells):
        if "\n" not in cell:
            continue
        for offset, cell_line in enumerate(cell.split("\n")):
            if _looks_like_rows(cell_line, delimiter, len(header)):
                raise InputError(
                    Location(str(path), line=row.line),
                    f"a quoted cell in row {row.number} seems to contain other rows",
                    field=_column_name(header, index),
                    hint=f"check the quotes around line {line + offset}",
                )
        line += cell.count("\n")


def _csv_rows(path: Path, text: _CsvText) -> Iterator[_Row]:
    """The rows of a CSV text, each checked; raises InputError at the first bad one."""
    reader = csv.reader(io.StringIO(text.body, newline=""), delimiter=text.delimiter, strict=True)
    header: list[str] | None = None
    number = 0
    while True:
        start_line = text.first_line + reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_error(path, error, number + 1, start_line, text.first_line + reader.line_num - 1) from None
        number += 1
        row = _Row(number, start_line, cells)
        if _is_blank(cells):  # blank lines and rows of empty cells hold nothing
            continue
        if header is None:
            header = cells
            _check_one_line_header(path, row)
        _check_cell_count(path, row, header)
        _check_no_swallowed_rows(path, row, header, text.delimiter)
        yield row


def _check_one_line_header(path: Path, header: _Row) -> None:
    """A CSV header cell over several lines is a quote left open above or in the header:
    what follows it may be other rows, held-back ones included, so the file is refused
    and the cell is named by its number, never by its text."""
    for index, cell in enumerate(header.cells):
        if "\n" in cell:
            raise InputError(
                Location(str(path), line=header.line),
                f"column {index + 1} of the header row runs over several lines: a quote is probably not closed",
                hint=f"check the quotes from line {header.line} on; a column name must be on one line",
            )


def _raise_csv_field_size_limit() -> None:
    # csv.field_size_limit is process-wide; it is only ever raised, to a fixed value, so
    # other users of csv in this process can only gain from it.
    if csv.field_size_limit() < CSV_FIELD_SIZE_LIMIT:
        csv.field_size_limit(CSV_FIELD_SIZE_LIMIT)


def read_csv(path: Path, table: FieldTable = DEFAULT_TABLE) -> SourceResult:
    """One fragment per row under a header row; a file that does not parse cleanly is refused."""
    data = path.read_bytes()
    problems: list[Problem] = []
    if _is_utf16(data):
        text = _decode_utf16(path, data, "CSV")
        problems.append(
            Problem(
                Location(str(path)),
                None,
                "the file is UTF-16 text (Excel's 'Unicode Text'); it was read, "
                "but other programs may read it differently",
                "in Excel, save it as 'CSV UTF-8' instead",
            )
        )
    else:
        text = _decode_text(path, data, "CSV")
    _raise_csv_field_size_limit()
    result = _records_from_rows(path, _csv_rows(path, _split_preamble(text)), table)
    result.problems[:0] = problems
    return result


# --- XLSX -------------------------------------------------------------------


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
    return _unix_line_ends(str(value))


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


def _sheet_rows(path: Path, sheet: ReadOnlyWorksheet) -> Iterator[_Row]:
    """The sheet's rows, numbered as the sheet numbers them; stops past MAX_SHEET_CELLS."""
    # The stored size (<dimension ref="A1:C9"/>) may be wrong, and read-only mode would
    # then cut rows and columns off: forget it, so that every stored cell is read.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    number = 0
    cells = 0
    while True:
        try:
            values = next(rows, None)
        except Exception:  # see read_xlsx: damaged input, named with its row
            raise _damaged_workbook(path, number + 1) from None
        if values is None:
            return
        number += 1
        cells += max(len(values), 1)  # an empty row costs time to read too
        if cells > MAX_SHEET_CELLS:
            raise _too_many_cells(path, sheet.title)
        yield _Row(number, None, [cell_text(value) for value in values])


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


def _read_visible_sheet(path: Path, workbook: Workbook, table: FieldTable) -> SourceResult:
    sheet, hidden = _visible_sheet(path, workbook)
    _check_declared_cells(path, sheet)
    result = _records_from_rows(path, _sheet_rows(path, sheet), table)
    if not result.records and result.problems:
        raise InputError(
            Location(str(path)),
            f"the first visible sheet ('{sheet.title}') is empty",
            hint="put the fragments on the first visible sheet, with the field names in row 1",
        )
    result.summary = replace(result.summary, sheet=sheet.title, hidden_sheets=hidden)
    return result


def read_xlsx(path: Path, table: FieldTable = DEFAULT_TABLE) -> SourceResult:
    """The first visible sheet of a workbook (see _visible_sheet), within the size limits."""
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
        return _read_visible_sheet(path, workbook, table)
    except InputError:
        raise
    except Exception:
        raise _damaged_workbook(path) from None
    finally:
        workbook.close()


READERS: dict[str, Callable[[Path, FieldTable], SourceResult]] = {
    ".txt": read_text,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
}

# What a content folder holds besides fragments (read by generator/read/extras.py): its names.
FRAMEWORK_FILES = ("results-framework.yml", "results-framework.yaml")
REDACT_FILE = "redact.txt"
FIELDS_FILE = "fields.yml"
PAGES_FOLDER = "pages"
TEMPLATES_FOLDER = "templates"  # the editors' blank templates: never read, never published
RESERVED_NAMES = frozenset({REDACT_FILE, *FRAMEWORK_FILES})
SETTINGS_FILES = frozenset({FIELDS_FILE, *FRAMEWORK_FILES})  # read at the top of a content folder only

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


# --- content folders --------------------------------------------------------


def _entries(folder: Path, skip: Callable[[Path], bool]) -> Iterator[Path]:
    """Everything under folder, in a stable order. Linked folders are listed, not entered:
    what they hold is read where it really is, or not at all."""
    for entry in sorted(folder.iterdir()):
        if skip(entry):
            continue
        yield entry
        if entry.is_dir() and not entry.is_symlink():
            yield from _entries(entry, skip)


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
    root = content.resolve()

    def skip(path: Path) -> bool:
        relative = path.relative_to(content)
        return relative.parts[0] in (PAGES_FOLDER, TEMPLATES_FOLDER) or any(
            part.startswith((".", "~$")) for part in relative.parts
        )

    found = []
    for path in _entries(content, skip):
        if path.is_symlink():
            _refuse_link_outside(path, root)
        if not path.is_file():
            continue
        if path.suffix.lower() in READERS and path.name.lower() not in RESERVED_NAMES:
            found.append(path)
            continue
        kind = _unread_kind(path, at_top=path.parent == content)
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
    text = data.decode("utf-16", "replace") if _is_utf16(data) else data.decode("utf-8", "replace")
    return any(FIELD_LINE.match(line) for line in text.splitlines())


def _is_fragment_data(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in DATA_SUFFIXES or (suffix in (".txt", *NOTE_SUFFIXES) and _holds_field_lines(path))


def _is_hidden(entry: Path) -> bool:
    return entry.name.startswith(".")


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


def read_sources(contents: Iterable[Path], table: FieldTable = DEFAULT_TABLE) -> list[SourceResult]:
    """Every fragment source of the --content paths, read with the field names of `table`."""
    return [READERS[path.suffix.lower()](path, table) for content in contents for path in fragment_files(content)]
