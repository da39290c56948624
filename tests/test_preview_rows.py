"""A preview after deleting or adding a row of an export: a row's place is not its identity.

Deleting row 3 moves every row below it up one. The preview (generator/preview/identity.py)
keeps each normalised fragment by its file and ID, so the moved rows are not normalised
again, their pages are not made again, and only the files whose text changed are written;
the warnings still name each row where it is now. Every step is compared with a fresh
generation of the same content, byte for byte, with the memos checking every reuse.
"""

from __future__ import annotations

import csv
import io

import pytest

from generator.pages.indexes import build_index
from generator.preview.kept import Kept
from generator.publish import generate as generate_module
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import read_site_config
from support import CONFIG

pytestmark = pytest.mark.usefixtures("verified_memos")

SITE = read_site_config(CONFIG)
COLUMNS = ("FragmentID", "Outcome description", "coutnry", "Year", "Outcome statements is CONFIDENTIAL")
COUNTRIES = ("Mali", "Niger", "Kenya")


def row(number: int, flag: str = "0", year: str = "2023") -> dict[str, str]:
    return dict(
        zip(
            COLUMNS,
            (
                f"TEST-{number:03d}",
                f"Since {year}, network {number} has published its budget.",
                COUNTRIES[number % len(COUNTRIES)],
                year,
                flag,
            ),
        )
    )


class Preview:
    """One export and the kept state of a preview generating it after every save."""

    def __init__(self, root, rows):
        self.root, self.rows = root, rows
        self.content = root / "content"
        (self.content / "fragments").mkdir(parents=True)
        self.kept = Kept()
        self.generations = 0
        self.save()
        self.generate()

    def settings(self, docs):
        return Settings(contents=[self.content], docs_dir=docs, project_content=self.content, site=SITE, search=False)

    def save(self):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        (self.content / "fragments" / "export.csv").write_text(out.getvalue(), encoding="utf-8")

    def generate(self):
        """The preview's generation, checked against a fresh one; its report."""
        report = generate(self.settings(self.root / "docs"), reuse=self.generations > 0, kept=self.kept)
        self.generations += 1
        fresh_docs = self.root / f"fresh-{self.generations}"
        fresh = generate(self.settings(fresh_docs), reuse=False)
        assert tree(self.root / "docs") == tree(fresh_docs), "the preview's docs differ from a fresh generation's"
        assert [str(p) for p in report.problems] == [str(p) for p in fresh.problems]
        return report

    def docs(self):
        return tree(self.root / "docs")


def tree(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def changed_files(before, after):
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def test_deleting_a_row_normalises_no_row_again_and_writes_only_what_changed(tmp_path):
    preview = Preview(tmp_path, [row(number) for number in range(1, 9)])
    before = preview.docs()
    del preview.rows[2]  # TEST-003: the five rows below it (rows 5 to 9 of the sheet) move up one
    preview.save()
    report = preview.generate()
    assert preview.kept.fragments.computed == 0, "no row normalised again"
    # The five rows below moved, but none has a problem naming its row: nothing to place again.
    assert preview.kept.placed.computed == 0, "a moved row without problems placed again"
    after = preview.docs()
    changed = changed_files(before, after)
    assert report.written.removed_paths == ("fragments/test-003.md",)
    assert set(report.written.written_paths) | {"fragments/test-003.md"} == changed
    # The pages of the rows that moved show nothing of their place: only those that showed
    # TEST-003 (a neighbour in its country) are written again.
    moved = {f"fragments/test-{number:03d}.md" for number in range(4, 9)}
    assert changed & moved == {path for path in moved if b"test-003/" in before[path]} == {"fragments/test-006.md"}
    assert "countries/kenya.md" not in changed, "TEST-003 was in Mali; Kenya's page shows nothing of it"
    assert "countries/mali.md" in changed


def test_adding_a_row_in_the_middle_normalises_that_row_only(tmp_path):
    preview = Preview(tmp_path, [row(number) for number in range(1, 9)])
    before = preview.docs()
    preview.rows.insert(1, row(20))  # every row below it moves down one
    preview.save()
    report = preview.generate()
    assert preview.kept.fragments.computed == 1, "only the new row normalised"
    changed = changed_files(before, preview.docs())
    assert set(report.written.written_paths) == changed
    assert "fragments/test-020.md" in changed
    moved = {f"fragments/test-{number:03d}.md" for number in range(2, 9)}
    assert not changed & moved - {path for path in moved if b"test-020/" in preview.docs()[path]}


def normalised_fragments(preview):
    """The fragments each later generation of `preview` normalises (Kept.normalise), in order."""
    made = []
    normalise = preview.kept.normalise

    def recorded(*args):
        result = normalise(*args)
        made.append(result[0])
        return result

    preview.kept.normalise = recorded
    return made


def test_a_moved_row_gives_back_the_very_same_fragment(tmp_path):
    """A fragment has no place (model.Fragment): the rows below a deleted or added one give back
    the objects of last time, so every page made from them compares by identity. A confidential
    row deleted then writes nothing (its public neighbours were new, equal objects before:
    comparing the home page's inputs, the whole index, looked inside each, 20-100 s at 5,000)."""
    rows = [row(number, flag="1" if number == 3 else "0") for number in range(1, 9)]
    preview = Preview(tmp_path, rows)
    made = normalised_fragments(preview)
    preview.generate()  # nothing changed
    del preview.rows[2]  # TEST-003, confidential: the five rows below it move up one
    preview.save()
    report = preview.generate()
    assert report.written.written_paths == () and report.written.removed_paths == ()
    assert [fragment.fragment_id for fragment in made[1]] == [f"TEST-{n:03d}" for n in (1, 2, 4, 5, 6, 7, 8)]
    assert all(new is old for new, old in zip(made[1], made[0])), "a moved row gave a new object"
    preview.rows.insert(1, row(20))  # a public row added: the rows below move down one
    preview.save()
    preview.generate()
    assert [new is old for new, old in zip(made[2][2:], made[1][1:])] == [True] * 6


class RelatedPreview(Preview):
    """The same, with a column of related outcomes."""

    def save(self):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=(*COLUMNS, "Related outcome IDs"), lineterminator="\n")
        writer.writeheader()
        writer.writerows({"Related outcome IDs": "", **values} for values in self.rows)
        (self.content / "fragments" / "export.csv").write_text(out.getvalue(), encoding="utf-8")


def test_a_fragment_whose_related_outcome_is_held_back_is_the_same_object_while_it_is_equal(tmp_path, monkeypatch):
    """TEST-001 lists TEST-003, which is held back: the list it is published with is resolved
    again on every save (a new object); the preview gives the pages last time's while equal."""
    rows = [row(number, flag="1" if number == 3 else "0") for number in range(1, 7)]
    rows[0]["Related outcome IDs"] = "TEST-003; TEST-002"
    preview = RelatedPreview(tmp_path, rows)
    made = normalised_fragments(preview)
    indexed = []  # what the pages are made from: each preview generation's, then its fresh twin's

    def index_of(fragments, *args):
        indexed.append(fragments)
        return build_index(fragments, *args)

    monkeypatch.setattr(generate_module, "build_index", index_of)
    preview.generate()
    del preview.rows[2]  # TEST-003 deleted: the rows below move up one, TEST-001 still lists it
    preview.save()
    report = preview.generate()
    assert report.written.written_paths == () and report.written.removed_paths == ()
    assert made[1][0] is made[0][0], "normalised again, though not changed"
    first, second = indexed[0], indexed[2]
    assert second[0].value("related_outcomes") == ("TEST-002",)
    assert all(new is old for new, old in zip(second, first)), "an equal fragment as a new object"
    preview.rows[0]["Related outcome IDs"] = "TEST-004"
    preview.save()
    preview.generate()
    third = indexed[4]
    assert third[0] is not second[0] and third[0].value("related_outcomes") == ("TEST-004",)


def test_a_warning_names_the_row_where_it_is_now(tmp_path):
    rows = [row(number) for number in range(1, 6)]
    rows[3] = row(4, year="20x4")  # row 5 of the sheet: a year that is no year
    preview = Preview(tmp_path, rows)
    first = [str(problem) for problem in generate(preview.settings(tmp_path / "docs"), reuse=False).problems]
    assert any("export.csv, row 5, field 'Year'" in line for line in first), first
    del preview.rows[0]
    preview.save()
    report = preview.generate()  # its problems are a fresh generation's (checked there)
    assert preview.kept.fragments.computed == 0, "the warning's row reused, placed on its new row"
    lines = [str(problem) for problem in report.problems]
    assert any("export.csv, row 4, field 'Year'" in line for line in lines), lines
    assert not any("row 5" in line for line in lines)


def test_a_row_made_confidential_leaves_every_file_of_the_preview_at_once(tmp_path):
    preview = Preview(tmp_path, [row(number) for number in range(1, 7)])
    assert any(b"TEST-004" in data for data in preview.docs().values())
    preview.rows[3]["Outcome statements is CONFIDENTIAL"] = "yes"
    preview.save()
    report = preview.generate()
    assert "fragments/test-004.md" in report.written.removed_paths
    shown = [path for path, data in preview.docs().items() if b"TEST-004" in data or b"test-004" in data]
    assert not shown, f"the confidential row is still in {shown}"
    text = b"network 4 has published"
    assert not [path for path, data in preview.docs().items() if text in data]
    # Made public again, then a row above it deleted: back, from what was kept, on its new row.
    preview.rows[3]["Outcome statements is CONFIDENTIAL"] = "0"
    del preview.rows[0]
    preview.save()
    preview.generate()
    assert "fragments/test-004.md" in preview.docs()


class WorkbookPreview(Preview):
    """The same, from one workbook: a save reads again only the sheet's rows whose XML changed
    (read/xlsx_rows.py, SheetRows), checked against a whole reading in the verify mode."""

    def save(self):
        import openpyxl

        workbook = openpyxl.Workbook()
        workbook.active.append(COLUMNS)
        for values in self.rows:
            workbook.active.append([values[column] for column in COLUMNS])
        workbook.save(self.content / "fragments" / "export.xlsx")


def test_a_workbook_edited_deleted_added_and_flagged_gives_a_fresh_generations_docs(tmp_path):
    preview = WorkbookPreview(tmp_path, [row(number) for number in range(1, 9)])
    (kept_rows,) = preview.kept.rows.values()
    assert kept_rows.sheet.verify, "the preview's tests check every reused row against a whole reading"
    preview.rows[4]["Outcome description"] = "Since 2023, network 5 has opened its accounts."
    preview.save()
    preview.generate()  # each step compared with a fresh generation (Preview.generate)
    assert "network 5 has opened" in preview.docs()["fragments/test-005.md"].decode()
    del preview.rows[2]
    preview.save()
    preview.generate()
    preview.rows.insert(1, row(20))
    preview.save()
    preview.generate()
    edited = next(values for values in preview.rows if values["FragmentID"] == "TEST-005")
    edited["Outcome statements is CONFIDENTIAL"] = "yes"
    preview.save()
    preview.generate()
    assert not any(b"network 5 has opened" in data for data in preview.docs().values())
    assert len(kept_rows.sheet.by_xml) == 1 + len(preview.rows)


def test_a_moved_row_is_read_as_a_fresh_reading_reads_it_without_its_cells_read_again(tmp_path, monkeypatch):
    """read/rows.py: a row of equal cells on another row (one above it deleted) gets its last
    record placed on its row now, equal to what reading it afresh gives, without `_record`."""
    from generator.read import rows as rows_module
    from generator.read.csv_files import read_csv
    from generator.read.rows import ReadRows

    path = tmp_path / "export.csv"

    def write(numbers):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row(number) for number in numbers)
        path.write_text(out.getvalue(), encoding="utf-8")

    write(range(1, 7))
    kept = ReadRows()
    read_csv(path, read_before=kept)
    write([1, 2, 4, 5, 6])  # row 4 of the sheet deleted: three rows move up one
    made = []
    real = rows_module._record
    monkeypatch.setattr(rows_module, "_record", lambda *args: made.append(args[1].number) or real(*args))
    again = read_csv(path, read_before=kept).records
    assert made == [], "a moved row's cells were read again"
    monkeypatch.setattr(rows_module, "_record", real)
    assert again == read_csv(path).records
    assert [record.location.row for record in again] == [2, 3, 4, 5, 6]
    assert all(value.location.row == record.location.row for record in again for value in record.values.values())


def test_a_held_back_row_deleted_compares_what_the_home_and_results_framework_pages_show(tmp_path, monkeypatch):
    """The home page and the Results Framework are given the whole index; a preview compares
    what they show of it (pages/render.py's `shows=`), never the index: with nothing public
    changed, comparing it looked inside every listing to the end."""
    from generator.pages.indexes import SiteIndex

    rows = [row(number, flag="1" if number == 3 else "0") for number in range(1, 8)]
    preview = Preview(tmp_path, rows)

    def no_comparing(self, other):
        raise AssertionError("a page's inputs compared the whole index")

    monkeypatch.setattr(SiteIndex, "__eq__", no_comparing)
    del preview.rows[2]  # TEST-003, held back: the rows below it move up one, nothing public changes
    preview.save()
    report = preview.generate()
    assert report.written.written_paths == () and report.written.removed_paths == ()
