"""What an editor relies on: the field reference, content/fields.yml, check's suggestions and
quality report, the templates in content/templates/, French pages, and the README's promises.

These run generate() or check (no MkDocs build), so they are quick."""

from __future__ import annotations

import csv
import importlib.metadata
import re
import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest

from generator.cli import main
from generator.errors import InputError
from generator.fields import DEFAULT_TABLE
from generator.normalise.vocabulary import NOT_CONFIDENTIAL_VALUES
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.read.content_folder import fragment_files
from generator.read.sample import NAME_MESSAGE
from support import FIXTURES, ROOT, run_cli_in_process, write_config

RENAMED = FIXTURES / "renamed-export"
TEMPLATES = ROOT / "content" / "templates"
TEMPLATE_FILES = ["outcomes-template.csv", "outcomes-template.xlsx", "outcome-template.txt"]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIELDS_HINT = "(write one line per field, such as 'Country: [Location of change]' (see python -m generator fields))"


def settings(tmp_path: Path, *contents: Path) -> Settings:
    """Settings that read only the given contents: not the project's own content/ folder."""
    return Settings(
        contents=list(contents), docs_dir=tmp_path / "docs", project_content=tmp_path / "no-project-content"
    )


def docs_text(docs: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(docs.rglob("*.md")))


def check_output(capsys, *contents: Path) -> str:
    args = ["check"] + [arg for content in contents for arg in ("--content", str(content))]
    assert main(args) == 0
    return capsys.readouterr().out


def without_time(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("Time: "))


# --- python -m generator fields -------------------------------------------------------------


def test_fields_lists_every_field_with_its_names_values_and_where_it_is_published():
    result = run_cli_in_process("fields")
    assert result.returncode == 0, result.stderr
    entries = re.split(r"\n(?=\S)", result.stdout.strip())
    assert [entry.splitlines()[0] for entry in entries] == [field.name for field in DEFAULT_TABLE]
    for field, entry in zip(DEFAULT_TABLE, entries):
        lines = entry.splitlines()[1:]
        if field.aliases:
            assert f"  also known as: {', '.join(field.aliases)}" in lines
        if field.values:
            assert any(line.endswith(", ".join(field.values)) and "values" in line for line in lines), entry
        assert any(line.startswith(("  published in: ", "  published: never")) for line in lines), entry
    by_name = {entry.splitlines()[0]: entry for entry in entries}
    assert by_name["Country"] == (
        "Country\n"
        "  also known as: coutnry, contry, Pays, Country or region\n"
        "  accepted values: a country, in any common spelling, English or French (Cameroun, Ivory Coast, RDC), "
        "shown by its short name in the site's language; or a region: Global, Regional, Africa, Sahel, West Africa, "
        "East Africa, Central Africa, Southern Africa, North Africa, Great Lakes, Horn of Africa, Lake Chad Basin, "
        "Middle East, Latin America, Asia, Europe. Any other value is published as written, and check warns about it\n"
        "  published in: a tag at the top of its page; a filter of the lists of outcomes and of search; a page "
        "listing every outcome that has the same value; a chart on the dashboard; the open data (outcomes.csv "
        "and outcomes.json: country)"
    )
    assert by_name["Scale"].splitlines()[1] == (
        "  values (from content/vocabularies.yml; any other is published as written, with a warning): "
        "Individual, Organisation, Local, National, Regional, International"
    )
    confidential = by_name["Outcome statements is CONFIDENTIAL"].splitlines()
    assert confidential[-1] == (
        "  published: never; decides whether the outcome is published: only 0, 0.0, false, n, no, non, "
        "non confidentiel, not confidential, public publish it (any case); anything else, blank included, holds it back"
    )
    # Exactly the values the gate lets through, no more, no fewer.
    publishing = confidential[-1].split("only ")[1].split(" publish it")[0].split(", ")
    assert set(publishing) == NOT_CONFIDENTIAL_VALUES


def test_the_readme_field_reference_is_the_output_of_the_fields_command():
    """The command as an editor runs it in the project as shipped: its own content/vocabularies.yml."""
    result = run_cli_in_process("fields")
    expected = result.stdout
    block = README.split("<!-- fields:start -->\n```text\n")[1].split("```\n<!-- fields:end -->")[0]
    assert block == expected, "paste the output of `python -m generator fields` into README.md's Field reference"


def test_fields_lists_the_projects_own_vocabularies(tmp_path):
    folder = tmp_path / "project"
    (folder / "content").mkdir(parents=True)
    write_config(folder)
    (folder / "content" / "vocabularies.yml").write_text(
        "scale:\n  - en: Village\n    fr: Village\n  - en: Country\n    fr: Pays\n"
        "objectives:\n  - code: WAT\n    en: Clean water for all\n    fr: De l'eau propre pour tous\n",
        encoding="utf-8",
    )
    result = run_cli_in_process("fields", "--config", "mkdocs.yml", cwd=folder)
    assert (result.returncode, result.stderr) == (0, "")
    by_name = {entry.splitlines()[0]: entry.splitlines() for entry in re.split(r"\n(?=\S)", result.stdout.strip())}
    assert by_name["Scale"][1] == (
        "  values (from content/vocabularies.yml; any other is published as written, with a warning): Village, Country"
    )
    assert by_name["Link to SCC Specific Objectives"][2] == (
        "  values (from content/vocabularies.yml; any other is published as written, with a warning): "
        "WAT: Clean water for all"
    )
    # a list the file leaves out: the built-in one
    assert by_name["Social actor"][2].endswith("Media actors, Private sector actors, Traditional leaders")


def test_a_broken_vocabularies_yml_stops_fields_saying_what_to_fix(tmp_path):
    folder = tmp_path / "project"
    (folder / "content").mkdir(parents=True)
    write_config(folder)
    path = folder / "content" / "vocabularies.yml"
    path.write_text("scales:\n  - en: Village\n    fr: Village\n", encoding="utf-8")
    result = run_cli_in_process("fields", "--config", "mkdocs.yml", cwd=folder)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {path}, line 1: 'scales' is not a vocabulary we know; did you mean 'scale'? "
        "(the vocabularies are change_types, social_actors, scale, objectives)\n"
    )


def test_the_readme_lists_exactly_the_publishing_confidentiality_values():
    listed = README.split("exactly one of these values")[1].split("**Everything else")[0]
    assert set(re.findall(r"`([^`]+)`", listed)) == NOT_CONFIDENTIAL_VALUES


# --- content/fields.yml ---------------------------------------------------------------------


def test_a_renamed_export_is_read_through_fields_yml_and_published(tmp_path):
    report = generate(settings(tmp_path, RENAMED))
    assert report.published == 2 and dict(report.held_back) == {"flagged confidential": 1}
    assert list(report.ignored_fields) == ["Contribution"]  # not mapped in this fields.yml
    text = docs_text(tmp_path / "docs")
    assert "Since 2025 the market committee of Lakeside has included two women traders." in text  # What changed
    assert "Women traders now take part in decisions on market fees." in text  # Why it matters
    assert (tmp_path / "docs" / "countries" / "tanzania.md").is_file()  # Location of change
    for private in ("Atlantis", "RN-002", "private change", "Private", "facilitated the committee"):
        assert private not in text


def test_a_column_added_to_fields_yml_is_published(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(RENAMED, content)
    with open(content / "fields.yml", "a", encoding="utf-8") as out:
        out.write("Contribution of the programme: [Contribution]\n")
    report = generate(settings(tmp_path, content))
    assert report.ignored_fields == {}
    assert "The programme facilitated the committee" in docs_text(tmp_path / "docs")
    assert report.blanks["Contribution of the programme"] == []


BAD_FIELDS_FILES = [
    pytest.param(
        "Outcome description: [What changed]\nContribution of programme: [Contribution]\n",
        "line 2: 'Contribution of programme' is not a known field; did you mean 'Contribution of the programme'? "
        + FIELDS_HINT,
        id="unknown-field",
    ),
    pytest.param(
        "Budget line: [Location of change]\n",
        "line 1: 'Budget line' is not a known field " + FIELDS_HINT,
        id="unknown-field-no-suggestion",
    ),
    pytest.param(
        "Country: [Location of change]\nYear: [Location of change]\n",
        "line 2: 'Location of change' is also given for 'Country' at {path}, line 1 (a column can mean one field only)",
        id="column-claimed-twice",
    ),
    pytest.param(
        "Country: [Year]\n",
        "line 1: 'Year' is already the name of the field 'Year' (a column can mean one field only)",
        id="column-is-another-field",
    ),
    pytest.param(
        "Country: [Location of change\n",
        "line 2: this is not valid here: expected ',' or ']', but got '<stream end>' (check the indentation and the colons)",
        id="malformed-yaml",
    ),
    pytest.param(
        "Country: &names [Location of change]\nYear: *names\n",
        "line 1: this is not valid here: anchors (&name) are not allowed here; write the value out "
        "(check the indentation and the colons)",
        id="anchor",
    ),
    pytest.param(
        "Country: [Location of change]\nYear: *names\n",
        "line 2: this is not valid here: aliases (*name) are not allowed here; write the value out "
        "(check the indentation and the colons)",
        id="alias",
    ),
    pytest.param(
        "- Country\n- Year\n",
        "line 1: expected field names, each with a list of column names",
        id="not-a-mapping",
    ),
]


@pytest.mark.parametrize("text, message", BAD_FIELDS_FILES)
def test_a_bad_fields_yml_stops_the_build_naming_the_line(tmp_path, text, message):
    content = tmp_path / "content"
    shutil.copytree(RENAMED, content)
    path = content / "fields.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        generate(settings(tmp_path, content))
    assert str(error.value) == f"{path}, " + message.format(path=path)
    assert not (tmp_path / "docs").exists()


def test_check_says_what_is_wrong_in_fields_yml_and_fails(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(RENAMED, content)
    (content / "fields.yml").write_text("Contribution of programme: [Contribution]\n", encoding="utf-8")
    result = run_cli_in_process("check", "--content", str(content))
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {content / 'fields.yml'}, line 1: 'Contribution of programme' is not a known field; "
        f"did you mean 'Contribution of the programme'? {FIELDS_HINT}\n"
    )


# --- check: suggestions and the quality report ----------------------------------------------


def test_check_suggests_a_field_for_an_unknown_column(capsys):
    out = check_output(capsys, RENAMED)
    assert (
        "  'Contribution' is not a known field; did you mean 'Contribution of the programme'? "
        f"(add it to content/fields.yml): in 1 file(s), e.g. {RENAMED / 'export.csv'}"
    ) in out.splitlines()


def test_the_quality_report_lists_blank_fields_with_places_only(capsys):
    out = check_output(capsys, RENAMED)
    export = RENAMED / "export.csv"
    report = out.split("Fields with no column (review before publishing):\n")[1].split("Warnings: ")[0]
    add = "add the column, or map the one that holds it in content/fields.yml"
    assert report == (
        f"  {export} has no column for 'Contribution of the programme'; it has 'Contribution': "
        "map it in content/fields.yml\n"
        f"  {export} has no column for 'Link to Outcomes in Results Framework': {add}\n"
        f"  {export} has no column for 'Link to SCC Specific Objectives': {add}\n"
        f"  {export} has no column for 'MCQType of change': {add}\n"
        "Published outcomes with a blank field (review before publishing):\n"
        "       1  no 'Evidence supporting the outcome statement':\n"
        f"            {export}, row 4\n"
    )
    # Places, never content: nothing of any row, published or held back, is printed.
    with open(export, encoding="utf-8") as rows:
        for row in list(csv.reader(rows))[1:]:
            for value in row:
                if value and not value.isdigit() and value not in ("No", "Yes"):
                    assert value not in out


def test_the_readme_shows_what_check_prints_for_the_renamed_export(capsys):
    out = check_output(capsys, RENAMED).replace(str(RENAMED / "export.csv"), "content/fragments/export.csv")
    out = out.replace(str(ROOT / "content"), "content")  # as printed when the export is in content/
    shown = README.split("with a `content/fields.yml` that maps all of them but `Contribution`:\n\n```text\n")[1]
    shown = shown.split("```")[0]
    assert without_time(shown) == without_time(out)
    mapping = README.split("```yaml\n# content/fields.yml: our export's column names\n")[1].split("```")[0]
    for line in (RENAMED / "fields.yml").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            assert line in mapping.splitlines()


# --- the templates --------------------------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_each_template_reads_with_no_warning_and_its_example_is_public_and_complete(tmp_path, name):
    report = generate(settings(tmp_path, TEMPLATES / name), write=False)
    assert [source.records for source in report.sources] == [1]
    assert report.published == 1 and not report.held_back
    # The test project keeps the sample's site name, which check reports (tests/test_new.py).
    assert [problem.message for problem in report.problems] == [NAME_MESSAGE]
    assert report.ignored_fields == {} and not report.ignored_in_held_back
    assert all(places == [] for places in report.blanks.values()), report.blanks


def test_the_spreadsheet_templates_have_every_field_as_a_column_in_order():
    names = [field.name for field in DEFAULT_TABLE]
    with open(TEMPLATES / "outcomes-template.csv", encoding="utf-8-sig", newline="") as rows:
        header, example = list(csv.reader(rows))
    assert header == names
    assert example[names.index("Outcome statements is CONFIDENTIAL")] == "0"
    book = openpyxl.load_workbook(TEMPLATES / "outcomes-template.xlsx", read_only=True)
    try:
        first = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    assert list(first[0]) == names and len(first) == 2
    text = (TEMPLATES / "outcome-template.txt").read_text(encoding="utf-8")
    assert [line.split("**")[1] for line in text.splitlines()] == names


def test_the_templates_folder_is_never_read_as_outcomes(tmp_path):
    assert not [
        path for path in fragment_files(ROOT / "content") if "templates" in path.relative_to(ROOT / "content").parts
    ]
    content = tmp_path / "content"
    (content / "templates").mkdir(parents=True)
    (content / "fragments").mkdir()
    for name in TEMPLATE_FILES:
        shutil.copy(TEMPLATES / name, content / "templates" / name)
    shutil.copy(TEMPLATES / "outcome-template.txt", content / "fragments" / "mine.txt")
    (content / "fragments" / "templates").mkdir()  # only the top-level folder is skipped
    shutil.copy(TEMPLATES / "outcomes-template.csv", content / "fragments" / "templates" / "x.csv")
    assert fragment_files(content) == [
        content / "fragments" / "mine.txt",
        content / "fragments" / "templates" / "x.csv",
    ]


# --- French ---------------------------------------------------------------------------------


def test_a_french_site_publishes_the_french_about_page(tmp_path):
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(  language:\s*)en\s*$", r"\1fr", text, count=1)
    text = text.replace("custom_dir: templates/theme", f"custom_dir: {ROOT / 'templates' / 'theme'}")
    text = re.sub(r"(?m)^  - (content|templates)$", lambda m: f"  - {ROOT / m.group(1)}", text)  # watch:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    run = Settings(
        contents=[ROOT / "content"], docs_dir=tmp_path / "docs", config_file=config, project_content=ROOT / "content"
    )
    generate(run)
    about = (tmp_path / "docs" / "about.md").read_text(encoding="utf-8")
    assert about.startswith("# À propos de ce site")
    assert about == (ROOT / "content" / "pages" / "about.fr.md").read_text(encoding="utf-8")
    english = (ROOT / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    assert len(re.findall(r"(?m)^$", about)) == len(re.findall(r"(?m)^$", english))  # same paragraphs


# --- the README's promises ------------------------------------------------------------------


def test_the_readme_starts_with_the_two_set_up_commands_and_has_them_for_windows():
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert blocks[:2] == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/python -m generator build",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest",
    ]
    assert README.index(blocks[0]) < README.index("## Add your outcomes")
    assert blocks[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")  # CI runs the second one
    for windows in (
        "py -3 -m venv .venv",
        ".venv\\Scripts\\pip install -e .",
        ".venv\\Scripts\\python -m generator build",
    ):
        assert windows in README


def test_the_python_floor_is_the_dependencies_floor_and_the_readme_says_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    floors = []
    for requirement in project["dependencies"]:
        name = re.split(r"[\[=<>~ ]", requirement)[0]
        needs = importlib.metadata.metadata(name).get("Requires-Python") or ""
        found = re.search(r">=\s*3\.(\d+)", needs)
        floors.append(int(found.group(1)) if found else 0)
    assert max(floors) == 11  # Material for MkDocs 9.8 needs 3.11: ours must not promise less
    assert "Python 3.11 or newer" in README and "3.10" not in README


def test_check_help_is_written_for_editors():
    result = run_cli_in_process("check", "--help")
    assert result.returncode == 0
    assert "print what would be published, what is held back and why" in " ".join(result.stdout.split())
    assert "a folder, or a .txt, .csv or .xlsx file of outcome records" in " ".join(result.stdout.split())
