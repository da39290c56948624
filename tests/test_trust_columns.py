"""Data an editor can trust (issue 20, points 1 and 2): an outcome without a description is
held back, never an empty page; a field with no column is said once per file; "did you
mean" finds the column from the field's common wordings, which never map a column.

These run `check` or generate() (no MkDocs build), so they are quick."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from generator.commands.summary import Outcome, job_summary
from generator.fields import DEFAULT_TABLE, field_key
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import run_cli_in_process

# The export of the issue, as an M&E officer has it: the programme's own column names.
HEADER = [
    "Outcome ID",
    "What changed",
    "Why it matters",
    "How we contributed",
    "Country",
    "Year",
    "Confidential?",
    "Output",
    "Type of change",
]
ROWS = [
    ["CSP-BF-001", "Des villages partagent un puits.", "Water for 200 families.", "Training.", "Burkina Faso", "2023", "No", "1.1.1", "Changement de pratique"],
    ["CSP-BF-002", "A district budget line for wells.", "Lasting funds.", "Advocacy.", "Mali", "2024", "No", "1.2.1", "Policy"],
    ["CSP-BF-003", "Secret Zanzibar-Quokka change.", "Hidden.", "Hidden.", "Chad", "2024", "Yes", "1.1.2", "Policy"],
]  # fmt: skip
MAPPING = """\
Outcome description: [What changed]
Significance of the outcome: [Why it matters]
Contribution of the programme: [How we contributed]
Link to Outcomes in Results Framework: [Output]
"""


def export(folder: Path, header: list[str] = HEADER, rows: list[list[str]] = ROWS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "export.csv", "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    return folder


def check(*contents: Path) -> str:
    args = ["check"] + [arg for content in contents for arg in ("--content", str(content))]
    result = run_cli_in_process(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def settings(tmp_path: Path, content: Path) -> Settings:
    return Settings(contents=[content], docs_dir=tmp_path / "docs", project_content=tmp_path / "no-project-content")


# --- 2. suggestions that find the column ------------------------------------------------------


def test_check_suggests_every_mapping_of_the_renamed_export(tmp_path):
    content = export(tmp_path / "content")
    out = check(content).splitlines()
    where = content / "export.csv"
    for column, field in [
        ("How we contributed", "Contribution of the programme"),
        ("Output", "Link to Outcomes in Results Framework"),
        ("What changed", "Outcome description"),
        ("Why it matters", "Significance of the outcome"),
    ]:
        assert (
            f"  '{column}' is not a known field; did you mean '{field}'? "
            f"(add it to content/fields.yml): in 1 file(s), e.g. {where}"
        ) in out
    # The other columns are names the table knows: read, so never "not a known field".
    assert sum("is not a known field" in line for line in out) == 4


@pytest.mark.parametrize(
    ("wording", "field"),
    [
        ("What changed", "Outcome description"),
        ("Description du changement", "Outcome description"),
        ("Why it matters", "Significance of the outcome"),
        ("Importance", "Significance of the outcome"),
        ("How we contributed", "Contribution of the programme"),
        ("Contribution du programme", "Contribution of the programme"),
        ("Output", "Link to Outcomes in Results Framework"),
        ("Location", "Country"),
        ("Confidentiel", "Outcome statements is CONFIDENTIAL"),
        ("Type de changement", "MCQType of change"),
    ],
)
def test_a_common_wording_suggests_its_field(wording, field):
    assert DEFAULT_TABLE.suggest(wording) == field


def test_a_wording_never_maps_a_column():
    """A wording only suggests: an unmapped column is never published, by design."""
    for entry in DEFAULT_TABLE:
        for wording in entry.wordings:
            assert DEFAULT_TABLE.key_for(wording) is None, (entry.key, wording)
            assert DEFAULT_TABLE.suggest(wording) == entry.name, (entry.key, wording)
    keys = [field_key(wording) for entry in DEFAULT_TABLE for wording in entry.wordings]
    assert len(keys) == len(set(keys)), "a wording suggests one field only"


def test_the_wordings_are_not_read_as_columns(tmp_path):
    content = export(tmp_path / "content")
    report = generate(settings(tmp_path, content), write=False)
    assert report.published == 0 and sum(report.held_back.values()) == 3
    assert not (tmp_path / "docs").exists()


# --- 1. an outcome needs its description ------------------------------------------------------


def test_rows_without_a_description_are_held_back_by_place_and_the_missing_column_is_one_line(tmp_path):
    content = export(tmp_path / "content")
    out = check(content)
    where = content / "export.csv"
    assert "Published: 0 of 3\n" in out
    assert (
        "Held back (not published): 3\n"
        "       1  flagged confidential:\n"
        f"            {where}, row 4\n"
        "       2  no outcome description (write what changed in the field 'Outcome description', "
        "or map the column that holds it in content/fields.yml):\n"
        f"            {where}, rows 2, 3\n"
    ) in out
    assert (
        "Fields with no column (review before publishing):\n"
        f"  {where} has no column for 'Outcome description'; it has 'What changed': map it in content/fields.yml\n"
        f"  {where} has no column for 'Significance of the outcome'; it has 'Why it matters': map it in content/fields.yml\n"
        f"  {where} has no column for 'Contribution of the programme'; it has 'How we contributed': "
        "map it in content/fields.yml\n"
        f"  {where} has no column for 'Evidence supporting the outcome statement': "
        "add the column, or map the one that holds it in content/fields.yml\n"
        f"  {where} has no column for 'Link to Outcomes in Results Framework'; it has 'Output': "
        "map it in content/fields.yml\n"
        f"  {where} has no column for 'Link to SCC Specific Objectives': "
        "add the column, or map the one that holds it in content/fields.yml\n"
    ) in out
    # Once per file, never a list of rows for a field with no column.
    assert "Published outcomes with a blank field" not in out
    for text in ("Zanzibar", "Quokka", "Des villages", "budget line"):
        assert text not in out


def test_after_mapping_the_outcomes_publish_and_only_the_evidence_and_objective_columns_are_missing(tmp_path):
    content = export(tmp_path / "content")
    (content / "fields.yml").write_text(MAPPING, encoding="utf-8")
    out = check(content)
    where = content / "export.csv"
    assert "Published: 2 of 3\n" in out
    assert "is not a known field" not in out
    assert (
        "Fields with no column (review before publishing):\n"
        f"  {where} has no column for 'Evidence supporting the outcome statement': "
        "add the column, or map the one that holds it in content/fields.yml\n"
        f"  {where} has no column for 'Link to SCC Specific Objectives': "
        "add the column, or map the one that holds it in content/fields.yml\n"
    ) in out
    assert "no outcome description" not in out


def test_a_blank_description_is_held_back_and_never_an_empty_page(tmp_path):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][1] = "   "
    content = export(tmp_path / "content", rows=rows)
    (content / "fields.yml").write_text(MAPPING, encoding="utf-8")
    report = generate(settings(tmp_path, content))
    assert report.published == 1
    assert dict(report.held_back) == {"no outcome description": 1}
    assert [(reason, where.row) for reason, where in report.held_back_at] == [("no outcome description", 3)]
    pages = "\n".join(path.read_text(encoding="utf-8") for path in (tmp_path / "docs").rglob("*.md"))
    assert "CSP-BF-001" in pages and "CSP-BF-002" not in pages


def test_a_text_fragment_without_a_description_is_held_back_by_file(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "empty.txt").write_text(
        "**FragmentID**: TXT-1\n**Outcome statements is CONFIDENTIAL**: no\n**Country**: Mali\n", encoding="utf-8"
    )
    out = check(content)
    assert (
        "       1  no outcome description (write what changed in the field 'Outcome description', "
        "or map the column that holds it in content/fields.yml):\n"
        f"            {content}/: empty.txt\n"
    ) in out
    assert "Fields with no column" not in out  # a text file has no columns: its blank is the hold-back


def test_the_job_summary_has_the_missing_columns_once_per_file(tmp_path):
    content = export(tmp_path / "content")
    report = generate(settings(tmp_path, content), write=False)
    summary = job_summary(Outcome("check"), report)
    assert "### Fields with no column (review before publishing)\n" in summary
    assert (
        f"- `{content / 'export.csv'}` has no column for `Outcome description`; it has `What changed`: "
        "map it in `content/fields.yml`\n"
    ) in summary
    assert "Zanzibar" not in summary


def test_a_build_with_nothing_changed_reports_the_missing_columns_again(tmp_path):
    content = export(tmp_path / "content")
    first = generate(settings(tmp_path, content))
    again = generate(settings(tmp_path, content))
    assert again.unchanged and again.no_column == first.no_column != []
