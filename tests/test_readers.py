"""Reading the three input forms: text fragments, CSV and XLSX exports."""

from pathlib import Path

import openpyxl
import pytest

from generator.errors import InputError
from generator.read.content_folder import fragment_files, in_path_order
from generator.read.csv_files import read_csv
from generator.read.text_files import read_text
from generator.read.xlsx_files import read_xlsx

HEADER = "FragmentID,coutnry,Year,Outcome statements is CONFIDENTIAL,Outcome description,Internal notes"


def test_text_value_runs_over_lines_until_next_field(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "**FragmentID**: A-1\n"
        "**Outcome description**: First line\n"
        "second line with **bold** words\n"
        "\n"
        "new paragraph\n"
        "**Additional information (use if needed) **: extra\n",
        encoding="utf-8",
    )
    (record,) = read_text(path).records
    assert record.text("description") == "First line\nsecond line with **bold** words\n\nnew paragraph"
    assert record.text("additional_info") == "extra"
    assert str(record.where("additional_info")) == f"{path}, line 6"


def test_text_unknown_field_is_dropped_not_appended(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("**FragmentID**: A-1\n**Outcome description**: Story\n**Internal notes**: call Ali on +1 555\n")
    result = read_text(path)
    (record,) = result.records
    assert record.text("description") == "Story"
    assert "555" not in repr(record.values)
    assert result.summary.ignored_fields == ("Internal notes",)


def test_text_field_given_twice_names_both_lines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("**FragmentID**: A-1\n**Year**: 2020\n**Year**: 2021\n")
    with pytest.raises(
        InputError, match=r"a\.txt, line 3, field 'Year': this field is given twice \(first at line 2\)"
    ):
        read_text(path)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_csv_utf8_with_or_without_bom_and_any_line_ending(tmp_path, newline, bom):
    text = newline.join([HEADER, 'X-1,Côte d\'Ivoire,2023,0,"Two\nlines",secret note', ""])
    path = tmp_path / "e.csv"
    path.write_bytes(bom + text.encode("utf-8"))
    result = read_csv(path)
    (record,) = result.records
    assert record.text("fragment_id") == "X-1"
    assert record.text("country") == "Côte d'Ivoire"
    assert record.text("description") == "Two\nlines"
    assert str(record.location) == f"{path}, row 2"
    assert result.summary.ignored_fields == ("Internal notes",)
    assert "secret note" not in repr(record.values)


def test_csv_any_column_order_and_forgiving_names(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(" outcome   DESCRIPTION ,CONFIDENTIAL,Country , Fragment ID\nStory,no,Mali,Y-2\n")
    (record,) = read_csv(path).records
    assert (record.text("fragment_id"), record.text("country"), record.text("confidential")) == ("Y-2", "Mali", "no")


def test_csv_semicolon_separated_as_french_excel_writes_it(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("FragmentID;Country;Outcome description\nZ-1;Niger;Une phrase, avec virgule\n")
    (record,) = read_csv(path).records
    assert record.text("description") == "Une phrase, avec virgule"


def test_csv_without_fragment_id_column_is_refused(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("Country,Year\nMali,2023\n")
    with pytest.raises(InputError) as error:
        read_csv(path)
    assert (
        str(error.value)
        == f"{path}, row 1: there is no fragment ID column (add a column named 'FragmentID' to the header row)"
    )


def test_csv_in_windows_1252_is_refused_clearly(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes("FragmentID,Country\nA,Côte d'Ivoire\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"e\.csv, line 2: the text is not UTF-8 .*Windows-1252.*CSV UTF-8"):
        read_csv(path)


def test_binary_file_named_csv_is_refused(tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match="not a CSV text file"):
        read_csv(path)


def test_empty_csv_gives_a_warning_and_no_fragments(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("")
    result = read_csv(path)
    assert result.records == []
    assert [str(p) for p in result.problems] == [f"{path}: the file is empty: no fragments"]


def test_xlsx_first_sheet_numbers_as_stored(tmp_path):
    path = tmp_path / "e.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Fragment ID", "Year", "Confidential", "Outcome description", "Phone"])
    sheet.append(["X-1", 2023, 0.0, "Story", "+254 700"])
    sheet.append(["X-3", 2022.5, 1.5, "Fractional numbers stay as stored", None])
    sheet.append([None, None, None, None, None])
    sheet.append(["X-2", 2024.0, False, "Other", None])
    workbook.create_sheet("Second").append(["ignored"])
    workbook.save(path)
    result = read_xlsx(path)
    assert [(r.text("fragment_id"), r.text("year"), r.text("confidential")) for r in result.records] == [
        ("X-1", "2023", "0"),  # the file stores 0.0 as 0 and 2024.0 as 2024
        ("X-3", "2022.5", "1.5"),
        ("X-2", "2024", "FALSE"),
    ]
    assert [str(r.location) for r in result.records] == [f"{path}, row 2", f"{path}, row 3", f"{path}, row 5"]
    assert result.summary.ignored_fields == ("Phone",)


def test_xlsx_with_empty_first_sheet_is_refused(tmp_path):
    path = tmp_path / "e.xlsx"
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Data").append(["FragmentID"])
    workbook.save(path)
    with pytest.raises(InputError, match=r"the first visible sheet \('Sheet'\) is empty"):
        read_xlsx(path)


def test_damaged_xlsx_is_refused(tmp_path):
    path = tmp_path / "e.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"not a readable \.xlsx workbook"):
        read_xlsx(path)


def test_content_folder_skips_pages_and_settings_files(tmp_path):
    for name in (
        "a.txt",
        "b.csv",
        "redact.txt",
        "pages/about.md",
        "pages/x.txt",
        "~$b.xlsx",
        ".hidden.csv",
        "notes.md",
    ):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("")
    assert [p.name for p in fragment_files(tmp_path)] == ["a.txt", "b.csv"]


def test_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "export.ods"
    path.write_text("")
    with pytest.raises(InputError, match=r"'\.ods' files cannot be read"):
        fragment_files(path)


def test_paths_are_put_in_the_order_pathlib_sorts_them():
    paths = [Path(p) for p in ("b/a.txt", "a/b/c.txt", "a/B.txt", "a.txt", "a/b.txt", "a-b/x.txt", "a/b", "A/z.txt")]
    assert in_path_order(paths) == sorted(paths)
