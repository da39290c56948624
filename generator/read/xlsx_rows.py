"""A sheet's values as openpyxl's read-only `iter_rows(values_only=True)` gives them, with its
plain inline strings read without openpyxl's rich-text objects.

A workbook saved by openpyxl (and by many exports) writes every text cell as an inline
string (`<c t="inlineStr"><is><t>…</t></is></c>`). openpyxl makes each one a `Text` object
through its descriptors to take its text back out: ~45 % of reading a 5,000-row workbook, which a
preview reads again after every save (~1 s). A plain one (an `<is>` without attributes whose
children are all `<t>`) is read here directly: its text is what `Text.content` gives, the
last `<t>`'s text or "". Every other cell (numbers, dates, shared strings, rich text runs,
phonetic text, anything unusual) goes through openpyxl's own parse_cell, unchanged, and the
rows are put together as its `_cells_by_row` and `_get_row` do.

A preview reads the workbook again after every save, and one edit changes one row of
5,000: parsing the whole sheet's XML again was ~half of an XLSX edit's CPU. Given the rows
parsed last time (`SheetRows`, kept by the preview with the file's records), the sheet's
XML is cut into its `<row>` elements as bytes, and only the rows whose bytes are new are
parsed, together in one small document with the sheet's own head and tail; a row whose
bytes, but for its row's number, were parsed last time under the same head, shared strings
and date formats gets its values back (deleting a row numbers every later row again). Where
the bytes cannot be cut with certainty (a CDATA section, a comment, a namespace prefix, a
row without its number first, formulas read as formulas) the whole sheet is parsed.

This uses openpyxl's private parser (openpyxl.worksheet._reader.WorkSheetParser) and the
read-only sheet's private attributes, as they are in the pinned openpyxl (OPENPYXL); with
any other version the sheet is read by `iter_rows` as before. tests/test_xlsx_rows.py holds
both ways against each other.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

OPENPYXL = "3.1.5"  # the version whose private parser this follows (pyproject.toml pins it)


NumberedRow = tuple[int, tuple[Any, ...]]  # a row's number in the sheet and its values


@dataclass
class SheetRows:
    """The rows a reading of one sheet parsed, by their XML bytes, for the next reading of the
    same file (a preview's: read/rows.py's ReadRows holds it). verify: parse the whole sheet as
    well and compare (OKB_VERIFY_MEMO, set by the preview)."""

    made_with: object = None  # the sheet's head without its size, the shared strings, the date formats
    by_xml: dict[bytes, tuple[Any, ...]] = field(default_factory=dict)  # values, by the row's XML unnumbered
    verify: bool = False
    # A row's values as text (xlsx_files.py), by the identity of its values: a reused row's
    # values are the same tuple from reading to reading. (Not by equality: 1, 1.0 and True
    # are equal and read "1", "1.0" and "TRUE".) The tuple is kept with its text, so its id
    # cannot be another's.
    texts: dict[int, tuple[tuple[Any, ...], list[str]]] = field(default_factory=dict)


def sheet_values(sheet: ReadOnlyWorksheet, parsed_before: SheetRows | None = None) -> Iterator[Any]:
    """The sheet's rows of values, as sheet.iter_rows(values_only=True) gives them after
    sheet.reset_dimensions() (every stored cell, no fixed width). parsed_before: the rows of the
    last reading of this sheet, whose unchanged rows are not parsed again (brought up to date)."""
    import openpyxl

    if openpyxl.__version__ != OPENPYXL or sheet.max_row is not None or sheet.max_column is not None:
        rows: Iterator[Any] = sheet.iter_rows(values_only=True)
        return rows
    return _values(sheet, parsed_before)


def _values(sheet: Any, parsed_before: SheetRows | None) -> Iterator[Any]:
    """ReadOnlyWorksheet._cells_by_row(1, 1, None, None, values_only=True) with the plain parser."""
    counter = 1
    with sheet._get_source() as source:
        rows = _rows(sheet, source) if parsed_before is None else _rows_reusing(sheet, source.read(), parsed_before)
        for number, values in rows:
            while counter < number:  # rows the sheet leaves out
                counter += 1
                yield []
            if counter <= number:
                counter += 1
                yield values


def _rows(sheet: Any, source: Any) -> Iterator[NumberedRow]:
    """Every row of the sheet's XML (a file or bytes), parsed."""
    parser = _plain_text_parser()(
        source,
        sheet._shared_strings,
        data_only=sheet.parent.data_only,
        epoch=sheet.parent.epoch,
        date_formats=sheet.parent._date_formats,
        timedelta_formats=sheet.parent._timedelta_formats,
    )
    for number, cells in parser.parse():
        yield number, _row(cells)


# The start of a row element, unprefixed (the prefixed form makes the sheet parsed whole).
_ROW_START = re.compile(rb"<row[\s/>]")
_ROW_NUMBERED = re.compile(rb"<row\s+r=\"(\d{1,10})\"")  # its number first, as Excel and openpyxl write it
# A cell's place when it is its first attribute, its row part a number openpyxl takes (the
# quote after it left in place). Only the column of a cell's place goes into the row's values
# (_row), never its row. Split on it, the row's XML comes in pieces that leave the row part out,
# the column part kept (the group): joined again, it is the XML without the rows' numbers, two
# calls in C per row (a substitution's template, `\1`, costs a Python call per cell: ~0.05 s of
# an XLSX preview's save at 5,000 rows).
_CELL_ROW = re.compile(rb"(<c\s+r=\"[A-Z]{1,3})[1-9][0-9]{0,9}(?=\")")
_SIZE = re.compile(rb"<dimension\s[^<>]*/>")  # the sheet's declared size: no part of a row's parse
_SHEET_DATA, _SHEET_DATA_END = b"<sheetData>", b"</sheetData>"


def _cut(xml: bytes) -> tuple[bytes, list[bytes], bytes] | None:
    """The sheet's XML as its head (to `<sheetData>`), its `<row>` elements and its tail, when
    each piece is certainly one whole row element: each starts a row that carries its number,
    holds no other row's start or end, and ends with its own end tag (or is one empty tag). In
    a well-formed document such a piece is the row element whole, and its number is its first
    attribute (so no other attribute's text can pass for it). None otherwise."""
    start, end = xml.find(_SHEET_DATA), xml.rfind(_SHEET_DATA_END)
    if start < 0 or end < start or xml.count(_SHEET_DATA) != 1 or b"<!" in xml or b"<?" in xml[start:]:
        return None
    body_start = start + len(_SHEET_DATA)
    body = xml[body_start:end]
    starts = [found.start() for found in _ROW_START.finditer(body)]
    if not starts or body[: starts[0]].strip():
        return None
    pieces = [body[at:until] for at, until in zip(starts, [*starts[1:], len(body)])]
    for piece in pieces:
        whole = piece.rstrip()
        closed = whole.endswith(b"</row>") and whole.count(b"</row>") == 1
        empty = whole.endswith(b"/>") and whole.count(b"<") == 1
        if not (closed or empty) or not _ROW_NUMBERED.match(piece):
            return None
    return xml[:body_start], pieces, xml[end:]


def _unnumbered(piece: bytes) -> tuple[int, bytes]:
    """A row's number and its XML without it (in the row's tag and its cells' places): after a
    row is deleted or added every later row is numbered again, with the same values."""
    found = _ROW_NUMBERED.match(piece)
    assert found is not None, "_cut gives numbered rows only"
    start, end = found.span(1)
    return int(found[1]), b"".join(_CELL_ROW.split(piece[:start] + piece[end:]))


def _rows_reusing(sheet: Any, xml: bytes, parsed_before: SheetRows) -> list[NumberedRow]:
    """The sheet's rows, the values of those whose XML (but for its row's number) was parsed last
    time with the same head, shared strings and date formats taken from then; parsed_before is
    brought up to date. A sheet that cannot be cut with certainty, or whose new rows do not parse
    one by one as numbered, is parsed whole (and reading it raises where a whole reading raises)."""
    cut = _cut(xml) if sheet.parent.data_only else None  # (formulas: a shared one spans rows)
    if cut is None:
        parsed_before.made_with, parsed_before.by_xml = None, {}
        return list(_rows(sheet, io.BytesIO(xml)))
    head, pieces, tail = cut
    workbook = sheet.parent
    made_with = (
        _SIZE.sub(b"", head),
        list(sheet._shared_strings),
        frozenset(workbook._date_formats),
        frozenset(workbook._timedelta_formats),
        workbook.epoch,
        workbook.data_only,
    )
    last = parsed_before.by_xml if parsed_before.made_with == made_with else {}
    numbered = [_unnumbered(piece) for piece in pieces]
    new = {key: piece for piece, (_, key) in zip(pieces, numbered) if key not in last}  # one piece per key
    try:
        parsed = list(_rows(sheet, io.BytesIO(b"".join([head, *new.values(), tail])))) if new else []
    except Exception:  # damaged: the whole reading raises, naming its row
        parsed = []
    if [number for number, _ in parsed] != [_unnumbered(piece)[0] for piece in new.values()]:
        parsed_before.made_with, parsed_before.by_xml = None, {}
        return list(_rows(sheet, io.BytesIO(xml)))
    now = {
        **{key: last[key] for _, key in numbered if key in last},
        **{key: values for key, (_, values) in zip(new, parsed)},
    }
    rows = [(number, now[key]) for number, key in numbered]
    if parsed_before.verify and rows != list(_rows(sheet, io.BytesIO(xml))):
        raise AssertionError(f"rows of {sheet.title!r} reused from the last reading differ from a whole reading's")
    parsed_before.made_with, parsed_before.by_xml = made_with, now
    return rows


def _row(cells: list[dict[str, Any]]) -> tuple[Any, ...]:
    """ReadOnlyWorksheet._get_row(cells, 1, None, values_only=True)."""
    if not cells:
        return ()
    values: list[Any] = [None] * cells[-1]["column"]
    for cell in cells:
        column = cell["column"]
        if 1 <= column <= len(values):
            values[column - 1] = cell["value"]
    return tuple(values)


def _plain_text_parser() -> type:
    """openpyxl's sheet parser, reading a plain inline string itself (imported when a workbook is read)."""
    from openpyxl.utils import coordinate_to_tuple
    from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
    from openpyxl.xml.functions import localname

    def plain_text(element: Any) -> str | None:
        """The text openpyxl's Text.content gives of a plain `<is>`; None when it is not plain."""
        inline = element.find(INLINE_STRING)
        if inline is None or inline.attrib or len(element) != 1:
            return None
        text: str | None = None
        for child in inline:
            if localname(child) != "t":
                return None
            text = child.text
        return text or ""

    class PlainTextParser(WorkSheetParser):  # type: ignore[misc]  # openpyxl is untyped
        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") != "inlineStr" or self.rich_text or not self.data_only:
                return super().parse_cell(element)  # type: ignore[no-any-return]
            text = plain_text(element)
            if text is None:
                return super().parse_cell(element)  # type: ignore[no-any-return]
            # What WorkSheetParser.parse_cell does for every cell: its style, row and column.
            coordinate = element.get("r")
            style_id = element.get("s", 0)
            if style_id:
                style_id = int(style_id)
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            return {"row": row, "column": column, "value": text, "data_type": "s", "style_id": style_id}

    return PlainTextParser
