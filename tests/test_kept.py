"""generator/preview/kept.py: what a preview keeps from one generation for the next. Each
test runs generate() as `mkdocs serve` does (kept=) with the memos in verify mode, and
holds the result against a fresh generation of the same content."""

from __future__ import annotations

import shutil
import time

import pytest

from generator.errors import InputError
from generator.fields import DEFAULT_TABLE
from generator.pages.renderer import Page
from generator.preview.kept import Kept
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import read_site_config
from support import CONFIG, ROOT, write_fragment

pytestmark = pytest.mark.usefixtures("verified_memos")

SITE = read_site_config(CONFIG)


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    (folder / "fragments").mkdir(parents=True)
    write_fragment(
        folder / "fragments", "one", Outcome_description="Since 2023, Ama Quarshie's network has met monthly."
    )
    write_fragment(folder / "fragments", "two", Outcome_description="Since 2023, Ama Quarshie has chaired the council.")
    write_fragment(folder / "fragments", "three")
    return folder


def settings_for(content, docs, templates=ROOT / "templates"):
    return Settings(
        contents=[content], docs_dir=docs, templates=templates, project_content=content, site=SITE, search=False
    )


def tree(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def fresh(content, tmp_path, name="fresh", templates=ROOT / "templates"):
    """A generation with nothing kept, into a folder of its own: its report and its files."""
    report = generate(settings_for(content, tmp_path / name, templates), reuse=False)
    return report, tree(tmp_path / name)


def test_a_file_whose_bytes_did_not_change_is_not_read_again(content, tmp_path):
    kept = Kept()
    sources = kept.read_sources([content], DEFAULT_TABLE)
    kept.finish()
    write_fragment(content / "fragments", "two", Outcome_description="Since 2024, the council has met.")
    kept.start()
    again = kept.read_sources([content], DEFAULT_TABLE)
    assert kept.sources.computed == 1
    assert [source is before for source, before in zip(again, sources)] == [True, True, False]  # one, three, two
    assert "Since 2024, the council has met." in [value.text for value in again[2].records[0].values.values()]


def test_only_the_changed_record_is_normalised_and_its_pages_rendered_again(content, tmp_path):
    kept = Kept()
    settings = settings_for(content, tmp_path / "docs")
    generate(settings, reuse=False, kept=kept)
    before = tree(tmp_path / "docs")
    write_fragment(content / "fragments", "three", Outcome_description="Since 2023, a third thing changed.")
    report = generate(settings, reuse=True, kept=kept)
    assert kept.fragments.computed == 1
    after = tree(tmp_path / "docs")
    assert after == fresh(content, tmp_path)[1]
    assert report.written is not None
    assert set(report.written.written_paths) == {path for path in after if after[path] != before.get(path)}
    assert "open-data.md" not in report.written.written_paths


def test_redaction_counts_are_those_of_a_fresh_generation_whatever_was_reused(content, tmp_path):
    """The masks in reused fragments are counted once, verify mode or not (it normalises a
    reused record again to compare it: that must not count its masks again)."""
    (content / "redact.txt").write_text("Ama Quarshie\n", encoding="utf-8")
    kept = Kept()
    settings = settings_for(content, tmp_path / "docs")
    assert generate(settings, reuse=False, kept=kept).redactions == 2
    write_fragment(content / "fragments", "three", Year="2021")
    report = generate(settings, reuse=True, kept=kept)
    assert report.redactions == fresh(content, tmp_path)[0].redactions == 2


def test_a_changed_redaction_list_normalises_every_record_again(content, tmp_path):
    kept = Kept()
    settings = settings_for(content, tmp_path / "docs")
    generate(settings, reuse=False, kept=kept)
    (content / "redact.txt").write_text("Ama Quarshie\n", encoding="utf-8")
    report = generate(settings, reuse=True, kept=kept)
    assert kept.fragments.computed == 3
    assert report.redactions == 2
    assert tree(tmp_path / "docs") == fresh(content, tmp_path)[1]
    assert "Ama Quarshie" not in "".join(data.decode() for data in tree(tmp_path / "docs").values())


def test_the_renderer_is_kept_while_the_templates_are_the_same_and_made_again_when_they_change(content, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    kept = Kept()
    settings = settings_for(content, tmp_path / "docs", templates)
    generate(settings, reuse=False, kept=kept)
    renderer = kept.renderer
    write_fragment(content / "fragments", "three", Year="2021")
    generate(settings, reuse=True, kept=kept)
    assert kept.renderer is renderer
    labels = templates / "labels.yml"
    labels.write_text(labels.read_text(encoding="utf-8").replace("All outcomes", "Every outcome", 1), "utf-8")
    generate(settings, reuse=True, kept=kept)
    assert kept.renderer is not renderer
    docs = tree(tmp_path / "docs")
    assert docs == fresh(content, tmp_path, templates=templates)[1]
    assert "Every outcome" in docs["fragments/index.md"].decode()


def test_a_generation_that_stops_leaves_what_was_kept_usable(content, tmp_path):
    kept = Kept()
    settings = settings_for(content, tmp_path / "docs")
    generate(settings, reuse=False, kept=kept)
    written = tree(tmp_path / "docs")
    write_fragment(content / "fragments", "three", Year="2021")
    twin = write_fragment(content / "fragments", "twin", FragmentID="ONE")  # an ID already taken
    with pytest.raises(InputError):
        generate(settings, reuse=True, kept=kept)
    assert tree(tmp_path / "docs") == written, "nothing written"
    twin.unlink()
    generate(settings, reuse=True, kept=kept)
    assert tree(tmp_path / "docs") == fresh(content, tmp_path)[1]


def test_a_page_equal_to_the_last_keeps_its_encoded_bytes():
    kept = Kept()
    first = kept.encode(Page("a.md", "é"))
    kept.finish()
    kept.start()
    assert kept.encode(Page("a.md", "é")) is first
    assert kept.encode(Page("a.md", "è")) == "è".encode()


def test_an_export_read_again_gives_each_row_read_the_same_its_record_and_a_moved_row_its_new_row(tmp_path):
    content = tmp_path / "content"
    (content / "fragments").mkdir(parents=True)
    export = content / "fragments" / "export.csv"
    header = "FragmentID,Outcome description,Outcome statements is CONFIDENTIAL\n"
    rows = [f"F-{n},Since 2023 change number {n} happened.,0\n" for n in range(1, 5)]
    export.write_text(header + "".join(rows), encoding="utf-8")
    kept = Kept()
    (before,) = kept.read_sources([content], DEFAULT_TABLE)
    kept.finish()
    # Row 3 (F-2) edited: every other row is given the record it had.
    rows[1] = "F-2,Since 2024 something else happened.,0\n"
    export.write_text(header + "".join(rows), encoding="utf-8")
    kept.start()
    (edited,) = kept.read_sources([content], DEFAULT_TABLE)
    kept.finish()
    assert [new is old for new, old in zip(edited.records, before.records)] == [True, False, True, True]
    assert edited.records[1].text("description") == "Since 2024 something else happened."
    # F-1 deleted: the rows below moved up one, and their records say where they are now.
    kept.start()
    export.write_text(header + "".join(rows[1:]), encoding="utf-8")
    (deleted,) = kept.read_sources([content], DEFAULT_TABLE)
    assert [str(record.location) for record in deleted.records] == [f"{export}, row {n}" for n in (2, 3, 4)]
    assert [record.text("fragment_id") for record in deleted.records] == ["F-2", "F-3", "F-4"]
    # A header changed (a column renamed to one the table does not know): no record is reused.
    kept.finish()
    kept.start()
    export.write_text(header.replace("Outcome description", "Notes") + "".join(rows[1:]), encoding="utf-8")
    (renamed,) = kept.read_sources([content], DEFAULT_TABLE)
    assert all(new is not old for new, old in zip(renamed.records, deleted.records))
    assert all(record.text("description") == "" for record in renamed.records)


def test_a_files_bytes_are_read_again_only_when_its_times_size_or_inode_change(tmp_path):
    kept = Kept()
    path = tmp_path / "one.txt"
    path.write_bytes(b"first")
    kept.start()
    assert kept.file_bytes(path) == b"first"
    assert kept.file_bytes(path) == b"first"
    kept.finish()
    kept.start()
    assert kept.file_bytes(path) == b"first"
    # The verify mode (this module's) reads again to check each reuse: count the misses only.
    assert kept.files.computed == 0
    replaced = tmp_path / ".one.txt.tmp"  # saved as an editor saves: same size, another inode
    replaced.write_bytes(b"again")
    replaced.replace(path)
    assert kept.file_bytes(path) == b"again"
    assert kept.files.computed == 1


def test_a_preview_save_forgets_the_docs_folders_stamp_so_a_later_generate_makes_all_again(content, tmp_path):
    from generator.publish.generate import generated_stamp

    docs = tmp_path / "docs"
    kept = Kept()
    generate(settings_for(content, docs), reuse=False, kept=kept)  # a preview's first generation stamps
    assert generated_stamp(docs).is_file()
    write_fragment(content / "fragments", "three", Outcome_description="Since 2024, the council has met.")
    generate(settings_for(content, docs), reuse=True, kept=kept)
    assert not generated_stamp(docs).exists(), "the stamp of the first generation no longer says what docs/ holds"
    again = generate(settings_for(content, docs))  # `python -m generator generate`: all made, stamped
    assert not again.unchanged and generated_stamp(docs).is_file()
    assert tree(docs) == fresh(content, tmp_path)[1]


def test_a_text_file_written_in_place_to_the_same_size_is_read_again(content):
    # The sources are kept by each file's inode, size and times (what MkDocs' watcher compares),
    # not by its bytes: a file written over in place, its size the same, has a new modification time.
    kept = Kept()
    kept.start()
    kept.read_sources([content], DEFAULT_TABLE)
    kept.finish()
    path = content / "fragments" / "two.txt"
    text = path.read_text(encoding="utf-8")
    assert "Since 2023" in text
    inode = path.stat().st_ino
    time.sleep(0.02)  # a file's times move by the system's clock tick (1-10 ms)
    with path.open("r+", encoding="utf-8") as handle:  # the same inode and size, other bytes
        handle.write(text.replace("Since 2023", "Since 2024"))
    assert (path.stat().st_ino, path.stat().st_size) == (inode, len(text.encode()))
    kept.start()
    again = kept.read_sources([content], DEFAULT_TABLE)
    assert kept.sources.computed == 1
    assert any("Since 2024" in value.text for source in again for value in source.records[0].values.values())


def test_the_preview_lists_the_files_a_build_reads_by_the_same_names(content, monkeypatch):
    from generator.read.content_folder import fragment_file_names, fragment_files

    (content / "fragments" / "deeper").mkdir()
    write_fragment(content / "fragments" / "deeper", "four")
    (content / "fragments" / ".hidden.txt").write_text("**FragmentID**: HIDDEN\n", encoding="utf-8")
    files = fragment_files(content)
    assert [path.relative_to(content).as_posix() for path in files] == [
        "fragments/deeper/four.txt",  # pathlib's order: a folder's files where its name falls
        "fragments/one.txt",
        "fragments/three.txt",
        "fragments/two.txt",
    ]
    assert fragment_file_names(content) == [str(path) for path in files]
    monkeypatch.chdir(content)  # the content folder given as "." (its paths are written without "./")
    here = fragment_files(type(content)("."))
    assert fragment_file_names(type(content)(".")) == [str(path) for path in here]
    assert str(here[0]).startswith("fragments")
