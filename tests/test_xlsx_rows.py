"""generator/read/xlsx_rows.py gives the values openpyxl's own iter_rows gives, for workbooks
as openpyxl writes them and for sheets written by hand with the unusual forms of a cell."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from generator.read import xlsx_rows

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def both_ways(data: bytes) -> tuple[list, list]:
    """(openpyxl's iter_rows, xlsx_rows.sheet_values) of the workbook's first sheet, as read_xlsx reads it."""
    made = []
    for read in (lambda sheet: sheet.iter_rows(values_only=True), xlsx_rows.sheet_values):
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        made.append([tuple(row) for row in read(sheet)])
        workbook.close()
    return made[0], made[1]


def saved(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet(rows_xml: str) -> bytes:
    """A workbook whose first sheet's data is `rows_xml` (written by hand)."""
    original = saved(openpyxl.Workbook())
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, sheet.encode() if item.filename == SHEET else source.read(item.filename))
    return out.getvalue()


def test_the_pinned_openpyxl_is_the_one_the_plain_reader_follows():
    assert openpyxl.__version__ == xlsx_rows.OPENPYXL, "check xlsx_rows against the new openpyxl's parser"


def test_a_workbook_as_openpyxl_writes_it():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["FragmentID", "Outcome description", "Year", "Share", "Flag", "Date", "Empty"])
    sheet.append(["A/1", "Line one\nline two", 2023, 0.25, True, dt.datetime(2024, 5, 6, 7, 8), None])
    sheet.append(["  spaced  ", "", 7, -1.5e-7, False, dt.date(2021, 1, 2), "=1+1"])
    sheet.cell(row=6, column=9, value="far away: rows and columns left out")
    sheet.append(["Côte d’Ivoire", "العربية", "x" * 5000])
    sheet.cell(row=9, column=2).value = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold"), " end"])
    openpyxl_rows, plain_rows = both_ways(saved(workbook))
    assert plain_rows == openpyxl_rows
    assert plain_rows[1][:5] == ("A/1", "Line one\nline two", 2023, 0.25, True)


@pytest.mark.parametrize(
    "rows_xml",
    [
        '<row r="1"><c r="A1" t="inlineStr"><is><t>one</t></is></c><c r="C1" t="inlineStr"><is><t/></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>first</t><t>last wins</t></is></c></row>',
        '<row r="1"><c r="B1" t="inlineStr"><is><r><t>run </t></r><r><rPr><b/></rPr><t>two</t></r></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t>base</t><rPh sb="0" eb="1"><t>ph</t></rPh></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">  kept  </t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"></c><c r="B1" t="inlineStr"><v>ignored</v><is><t>is</t></is></c></row>',
        '<row r="1"><c r="A1" t="inlineStr" s="0"><f>1+1</f><is><t>formula</t></is></c></row>',
        '<row><c t="inlineStr"><is><t>no place</t></is></c><c t="n"><v>3</v></c></row><row><c t="inlineStr"><is><t>b</t></is></c></row>',
        '<row r="3"><c r="A3" t="inlineStr"><is><t>three</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>back</t></is></c></row>',
        '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="str"><v>text</v></c><c r="C1" t="e"><v>#N/A</v></c></row>',
        '<row r="2"></row><row r="4"><c r="D4" t="inlineStr"><is><t>x</t></is></c></row>',
    ],
)
def test_a_sheet_written_by_hand(rows_xml):
    openpyxl_rows, plain_rows = both_ways(with_sheet(rows_xml))
    assert plain_rows == openpyxl_rows


def test_a_cell_openpyxl_refuses_is_refused_the_same_way():
    bad = with_sheet('<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><sz val="big"/></rPr><t>x</t></r></is></c></row>')
    failures = []
    for read in (lambda sheet: sheet.iter_rows(values_only=True), xlsx_rows.sheet_values):
        workbook = openpyxl.load_workbook(io.BytesIO(bad), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        try:
            list(read(sheet))
        except Exception as error:  # read_xlsx calls the workbook damaged, whatever the type
            failures.append(type(error))
        workbook.close()
    assert len(failures) == 2 and failures[0] is failures[1]


def read_with(data: bytes, parsed_before: xlsx_rows.SheetRows, shared_strings: list[str] | None = None) -> list:
    """xlsx_rows.sheet_values of the workbook's first sheet, given the rows a last reading parsed."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    if shared_strings is not None:
        sheet._shared_strings = shared_strings
    rows = [tuple(row) for row in xlsx_rows.sheet_values(sheet, parsed_before)]
    workbook.close()
    return rows


@pytest.fixture
def parsed_rows(monkeypatch):
    """Counts the rows parsed (not reused) by the reading under way: list of counts, one per reading."""
    counts: list[int] = []
    whole = xlsx_rows._rows

    def counted(sheet, source):
        counts.append(0)
        for row in whole(sheet, source):
            counts[-1] += 1
            yield row

    monkeypatch.setattr(xlsx_rows, "_rows", counted)
    return counts


def export(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    return saved(workbook)


def test_a_sheet_read_again_parses_only_its_new_rows_and_gives_a_whole_readings_values(parsed_rows):
    rows = [["FragmentID", "Outcome description", "Year"]] + [[f"A/{n}", f"text {n}", 2000 + n] for n in range(1, 9)]
    kept = xlsx_rows.SheetRows(verify=True)  # every reading also compared with a whole one
    assert read_with(export(rows), kept) == both_ways(export(rows))[0]
    rows[4][1] = "edited"
    edited = export(rows)
    parsed_rows.clear()
    assert read_with(edited, kept) == both_ways(edited)[0]
    assert parsed_rows[0] == 1, "only the edited row is parsed; the verify mode's whole reading comes after"
    del rows[2]  # every later row moves up one: their numbers, so their bytes, change
    rows.insert(6, ["A/new", "added", 2030])
    changed = export(rows)
    parsed_rows.clear()
    assert read_with(changed, kept) == both_ways(changed)[0]
    assert parsed_rows[0] == 1, "the rows that moved keep their values, numbered where they are now"
    rows.append(list(rows[3]))  # a row the same as another: parsed once, under its own number
    again = export(rows)
    parsed_rows.clear()
    assert read_with(again, kept) == both_ways(again)[0]
    assert parsed_rows[0] == len(rows), "no row parsed but by the verify mode's whole reading"


@pytest.mark.parametrize(
    "rows_xml",
    [
        '<row><c t="inlineStr"><is><t>no number</t></is></c></row><row><c t="n"><v>3</v></c></row>',
        '<row spans="1:1" r="1"><c r="A1" t="n"><v>1</v></c></row>',
        '<!-- a comment --><row r="1"><c r="A1" t="n"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<row r="2">]]></t></is></c></row>',
        '<row r="1"><c r="A1" t="n"><v>1</v></c><row r="2"/></row>',
        '<row r="2"/><row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="1"><c r="A1" t="n"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="2"><c r="A0" t="n"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="0"><c r="A1" t="n"><v>2</v></c></row>',
    ],
)
def test_a_sheet_that_cannot_be_cut_into_rows_with_certainty_is_read_whole_and_right(rows_xml):
    data = with_sheet(rows_xml)
    kept = xlsx_rows.SheetRows(verify=True)
    try:
        expected = both_ways(data)[0]
    except Exception as error:  # a sheet openpyxl refuses is refused the same way
        with pytest.raises(type(error)):
            read_with(data, kept)
        return
    assert read_with(data, kept) == expected
    assert read_with(data, kept) == expected


def test_a_row_is_reused_only_with_the_same_shared_strings():
    data = with_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    kept = xlsx_rows.SheetRows()
    assert read_with(data, kept, ["first"]) == [("first",)]
    assert read_with(data, kept, ["second"]) == [("second",)]


def test_a_damaged_new_row_is_refused_as_a_whole_reading_refuses_it():
    good = with_sheet('<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="2"><c r="A2" t="n"><v>2</v></c></row>')
    bad = with_sheet('<row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="2"><c r="A2" t="b"><v>x</v></c></row>')
    kept = xlsx_rows.SheetRows()
    read_with(good, kept)
    with pytest.raises(ValueError):
        both_ways(bad)
    with pytest.raises(ValueError):
        read_with(bad, kept)


def test_read_xlsx_again_gives_the_records_a_fresh_reading_gives(tmp_path):
    from generator.read.rows import ReadRows
    from generator.read.xlsx_files import read_xlsx

    rows = [
        ["FragmentID", "Outcome description", "Year"],
        ["A/1", "one", 2021],
        ["A/2", True, 2022.0],
        ["A/3", 1, None],
    ]
    path = tmp_path / "export.xlsx"
    kept = ReadRows(sheet=xlsx_rows.SheetRows(verify=True))

    def values(result):
        return [{name: raw.text for name, raw in record.values.items()} for record in result.records]

    for change in (None, ("A/2", 1), ("A/3", True), ("A/1", 1.5)):
        if change is not None:
            next(row for row in rows if row[0] == change[0])[1] = change[1]
        path.write_bytes(export(rows))
        assert values(read_xlsx(path, read_before=kept)) == values(read_xlsx(path))


@pytest.mark.parametrize(
    ("piece", "unnumbered"),
    [
        (
            b'<row r="12"><c r="A12" t="n"><v>1</v></c><c r="AB12"/><c r="XFD12" s="1"/></row>',
            b'<row r=""><c r="A" t="n"><v>1</v></c><c r="AB"/><c r="XFD" s="1"/></row>',
        ),
        # whitespace before the place; a cell without one; a place's lookalike in a text
        (
            b'<row r="7" spans="1:2"><c\n r="C7"><is><t>r="A7" 7"</t></is></c><c t="s"><v>0</v></c></row>',
            b'<row r="" spans="1:2"><c\n r="C"><is><t>r="A7" 7"</t></is></c><c t="s"><v>0</v></c></row>',
        ),
        # a place that is not the cell's first attribute, or not a row number openpyxl takes, is kept
        (
            b'<row r="3"><c t="n" r="B3"/><c r="D03"/><c r="ABCD3"/></row>',
            b'<row r=""><c t="n" r="B3"/><c r="D03"/><c r="ABCD3"/></row>',
        ),
        (b'<row r="40"/>', b'<row r=""/>'),
    ],
)
def test_a_rows_xml_without_its_number_is_its_cells_without_their_rows(piece, unnumbered):
    number = int(piece.split(b'"')[1])
    assert xlsx_rows._unnumbered(piece) == (number, unnumbered)
