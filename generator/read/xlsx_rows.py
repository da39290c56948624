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

This uses openpyxl's private parser (openpyxl.worksheet._reader.WorkSheetParser) and the
read-only sheet's private attributes, as they are in the pinned openpyxl (OPENPYXL); with
any other version the sheet is read by `iter_rows` as before. tests/test_xlsx_rows.py holds
both ways against each other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

OPENPYXL = "3.1.5"  # the version whose private parser this follows (pyproject.toml pins it)


def sheet_values(sheet: ReadOnlyWorksheet) -> Iterator[Any]:
    """The sheet's rows of values, as sheet.iter_rows(values_only=True) gives them after
    sheet.reset_dimensions() (every stored cell, no fixed width)."""
    import openpyxl

    if openpyxl.__version__ != OPENPYXL or sheet.max_row is not None or sheet.max_column is not None:
        rows: Iterator[Any] = sheet.iter_rows(values_only=True)
        return rows
    return _values(sheet)


def _values(sheet: Any) -> Iterator[Any]:
    """ReadOnlyWorksheet._cells_by_row(1, 1, None, None, values_only=True) with the plain parser."""
    counter = 1
    with sheet._get_source() as source:
        parser = _plain_text_parser()(
            source,
            sheet._shared_strings,
            data_only=sheet.parent.data_only,
            epoch=sheet.parent.epoch,
            date_formats=sheet.parent._date_formats,
            timedelta_formats=sheet.parent._timedelta_formats,
        )
        for number, cells in parser.parse():
            while counter < number:  # rows the sheet leaves out
                counter += 1
                yield []
            if counter <= number:
                counter += 1
                yield _row(cells)


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
