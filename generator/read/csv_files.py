"""The CSV reader: one fragment per row under a header row, in UTF-8 (or Excel's UTF-16),
separated by ',', ';' or tabs. A file that does not parse cleanly is refused, never guessed."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.errors import InputError, Location, Problem
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.read.decoding import SAVE_AS_UTF8, decode_text, decode_utf16, is_utf16
from generator.read.rows import MAX_CELL_CHARACTERS, ReadRows, Row, column_name, is_blank, records_from_rows
from generator.read.source_result import SourceResult

# csv's own limit (131,072 by default) must stay above ours, so that our message (naming
# row and field) is the one users see. It is process-wide, so it is only ever raised.
CSV_FIELD_SIZE_LIMIT = 4 * MAX_CELL_CHARACTERS


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


def _check_cell_count(path: Path, row: Row, header: list[str]) -> None:
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


def _check_no_swallowed_rows(path: Path, row: Row, header: list[str], delimiter: str) -> None:
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
                    field=column_name(header, index),
                    hint=f"check the quotes around line {line + offset}",
                )
        line += cell.count("\n")


def _csv_rows(path: Path, text: _CsvText) -> Iterator[Row]:
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
        row = Row(number, start_line, cells)
        if is_blank(cells):  # blank lines and rows of empty cells hold nothing
            continue
        if header is None:
            header = cells
            _check_one_line_header(path, row)
        _check_cell_count(path, row, header)
        _check_no_swallowed_rows(path, row, header, text.delimiter)
        yield row


def _check_one_line_header(path: Path, header: Row) -> None:
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


def read_csv(path: Path, table: FieldTable = DEFAULT_TABLE, read_before: ReadRows | None = None) -> SourceResult:
    """One fragment per row under a header row; a file that does not parse cleanly is refused.
    read_before: the rows' records of the last reading of this file (rows.ReadRows), reused."""
    data = path.read_bytes()
    problems: list[Problem] = []
    if is_utf16(data):
        text = decode_utf16(path, data, "CSV")
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
        text = decode_text(path, data, "CSV")
    _raise_csv_field_size_limit()
    result = records_from_rows(path, _csv_rows(path, _split_preamble(text)), table, read_before)
    result.problems[:0] = problems
    return result
