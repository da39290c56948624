"""`python -m generator new`: a fresh content folder from the sample, never over an editor's
files; and the warnings of `check` and the build when a programme's outcomes are published
with the sample's Results Framework labels, About page or site name (issue 20, point 5)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from generator.fields import DEFAULT_TABLE
from generator.read.framework_labels import read_framework_labels
from generator.read.sample import BLANK_CONTENT, SAMPLE_FRAMEWORK, SAMPLE_IDS, SAMPLE_PAGES, text_digest
from generator.read.sources import read_sources
from support import ROOT, run_cli_in_process, tree_digest, write_config

SAMPLE = ROOT / "content"
PYTHON = r".venv\Scripts\python" if os.name == "nt" else ".venv/bin/python"
ENGINE = r".venv\Scripts\properdocs" if os.name == "nt" else ".venv/bin/properdocs"

MADE = """\
Made a fresh content folder, content/, from the sample:
  content/fragments/                empty: your outcome records go here
  content/templates/                blank templates: a spreadsheet (.xlsx or .csv) and a text file for one outcome
  content/results-framework.yml     blank: the labels of your Results Framework's codes, with an example
  content/pages/about.md            the About page, with paragraphs in [square brackets] to replace
  content/pages/about.fr.md         the same page in French (a French site shows it instead)
  content/site.yml                  the site's name, the programme's name and paragraph, the contact line: replace \
each [text]
  content/vocabularies.yml          the types of change and other lists, with their English and French labels
"""
NEXT_STEPS = f"""\
What to do next:
  1. Put your outcome records in content/fragments/: your spreadsheet export (.xlsx or .csv), or one .txt file \
per outcome.
  2. See what would be published, and what to fix: {PYTHON} -m generator check
  3. If your columns have names of their own, the check lists them: map each to its field in content/fields.yml, \
one line per field, such as 'Outcome description: [What changed]' ({PYTHON} -m generator fields lists the fields).
  4. Name the site: write its name, your programme's name and paragraph in content/site.yml. Write your Results \
Framework's labels and your About page.
  5. Build the site into site/: {PYTHON} -m generator build
  6. Or preview it while you edit: {ENGINE} serve -f mkdocs.yml (stop it with Ctrl+C)
"""
RF_WARNING = (
    "content/results-framework.yml: these are the sample's Results Framework labels, and the site shows them "
    "beside your codes (write your programme's outcome and output labels here, or delete the file)"
)
ABOUT_WARNING = (
    "content/pages/about.md: this is still the sample's About page (write in it what your programme does and how "
    "its outcomes were harvested)"
)
SITE_WARNING = (
    "content/site.yml: this file still has texts in square brackets from 'python -m generator new' (replace each "
    "one with your own words: the site's name, the programme's name and paragraph)"
)
NAME_WARNING = (
    "mkdocs.yml: the site is still called 'Outcome knowledge base', the sample's name (write your site's name "
    "in content/site.yml: copy content/templates/site.yml there)"
)


def without_time(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("Time: "))


def project(tmp_path: Path, **changes: object) -> Path:
    """A project folder of its own: a copy of mkdocs.yml whose content/ is the folder's."""
    folder = tmp_path / "project"
    folder.mkdir()
    write_config(folder, **changes)
    return folder


def files_of(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))


# --- new -------------------------------------------------------------------------------------


def test_new_makes_a_fresh_content_folder_and_says_what_to_do_next(tmp_path):
    folder = project(tmp_path)
    result = run_cli_in_process("new", cwd=folder)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == MADE + NEXT_STEPS
    content = folder / "content"
    templates = [f"templates/{path.name}" for path in sorted((SAMPLE / "templates").iterdir())]
    assert files_of(content) == sorted(
        [
            "fragments",
            "pages",
            "pages/about.fr.md",
            "pages/about.md",
            "results-framework.yml",
            "site.yml",
            "templates",
            *templates,
            "vocabularies.yml",
        ]
    )
    # whose site: the template's texts in square brackets, to replace
    assert (content / "site.yml").read_bytes() == (SAMPLE / "templates" / "site.yml").read_bytes()
    for name in templates:  # the sample's blank templates, byte for byte
        assert (content / name).read_bytes() == (SAMPLE / name).read_bytes()
    # None of the sample's labels or About text: a commented file that gives no label.
    labels = read_framework_labels(content / "results-framework.yml")
    assert (labels.outcomes, labels.outputs) == ({}, {})
    assert "# outcomes:" in (content / "results-framework.yml").read_text(encoding="utf-8")
    for name in ("about.md", "about.fr.md"):
        assert (content / "pages" / name).read_bytes() == (BLANK_CONTENT / "pages" / name).read_bytes()
        assert (content / "pages" / name).read_bytes() != (SAMPLE / "pages" / name).read_bytes()


def test_new_into_another_folder_gives_its_name_to_the_commands(tmp_path):
    result = run_cli_in_process("new", "harvest-2025", cwd=tmp_path)
    assert result.returncode == 0
    assert (
        f"  2. See what would be published, and what to fix: {PYTHON} -m generator check --content harvest-2025\n"
        in (result.stdout)
    )
    assert f"  5. Build the site into site/: {PYTHON} -m generator build --content harvest-2025\n" in result.stdout
    assert "serve" not in result.stdout  # the preview shows the project's content/ only
    assert (tmp_path / "harvest-2025" / "fragments").is_dir()


def test_new_refuses_a_folder_that_holds_files_and_changes_nothing(tmp_path):
    folder = project(tmp_path)
    shutil.copytree(SAMPLE, folder / "content")
    before = tree_digest(folder)
    result = run_cli_in_process("new", cwd=folder)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: content already holds files; nothing was changed.\n"
        f"To start again from the sample anyway, run: {PYTHON} -m generator new content --force\n"
        "The folder is then kept, renamed to content.before-new-DATE-TIME, and never read by a build.\n"
    )
    assert tree_digest(folder) == before


def test_new_refuses_a_file(tmp_path):
    (tmp_path / "content").write_text("notes", encoding="utf-8")
    result = run_cli_in_process("new", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "Error: content is a file, not a folder; nothing was changed. Give the name of a folder.\n"
    assert files_of(tmp_path) == ["content"]


def test_new_uses_an_empty_folder_as_it_is(tmp_path):
    (tmp_path / "content").mkdir()
    result = run_cli_in_process("new", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(MADE)
    assert "kept as" not in result.stdout
    assert files_of(tmp_path)[0] == "content"
    assert [path.name for path in tmp_path.iterdir()] == ["content"]


def test_new_with_force_keeps_the_old_folder_beside_the_new_one(tmp_path):
    folder = project(tmp_path)
    old = folder / "content"
    shutil.copytree(SAMPLE, old)
    before = tree_digest(old)
    result = run_cli_in_process("new", "--force", cwd=folder)
    assert (result.returncode, result.stderr) == (0, "")
    backups = [path for path in folder.iterdir() if path.name.startswith("content.before-new-")]
    assert len(backups) == 1
    assert tree_digest(backups[0]) == before  # nothing lost, nothing changed
    assert result.stdout == (
        MADE + f"The folder that was there is kept as {backups[0].name}/: no build reads it, but it holds your "
        "earlier records, confidential ones included. Delete it once you no longer need it.\n" + NEXT_STEPS
    )
    assert not list((old / "fragments").iterdir())
    assert sorted(path.name for path in folder.iterdir()) == sorted(["content", backups[0].name, "mkdocs.yml"])


def test_new_copies_the_samples_settings_files_when_it_has_them(tmp_path):
    from generator.commands.new import new_content

    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE / "templates", sample / "templates")
    (sample / "vocabularies.yml").write_text("# the sample's lists\n", encoding="utf-8")
    (sample / "fields.yml").write_text("Country: [Pays]\n", encoding="utf-8")  # the sample's own: not copied
    out, err = (tmp_path / "out.txt").open("w"), (tmp_path / "err.txt").open("w")
    with out, err:
        assert new_content(tmp_path / "new", False, out, err, sample=sample) == 0
    printed = (tmp_path / "out.txt").read_text()
    new = (tmp_path / "new").as_posix()
    assert f"Name the site: write its name, your programme's name and paragraph in {new}/site.yml." in printed
    assert (tmp_path / "new" / "vocabularies.yml").read_text() == "# the sample's lists\n"
    assert not (tmp_path / "new" / "fields.yml").exists()


def test_building_a_fresh_folder_gives_a_site_with_no_outcomes_and_says_where_they_go(tmp_path):
    folder = project(tmp_path)
    assert run_cli_in_process("init", cwd=folder).returncode == 0  # init: another name of new
    result = run_cli_in_process("build", "--config", "mkdocs.yml", cwd=folder)
    assert (result.returncode, result.stderr) == (0, "")
    assert without_time(result.stdout) == (
        "Fragments read:\n"
        "Published: 0 of 0\n"
        "Held back (not published): 0\n"
        "Warnings: 3\n"
        "  content: there are no outcome records here yet, so the site has no outcomes (put your spreadsheet "
        "export (.xlsx or .csv), or one .txt file per outcome, in content/fragments/)\n"
        "  content/pages/about.md: this page still has paragraphs in square brackets from 'python -m generator "
        "new' (replace each one with what it asks for)\n"
        f"  {SITE_WARNING}\n"
        "Pages: 14 (18 written, 0 unchanged, 0 removed)\n"
        "Site written to site/\n"
    )
    site = folder / "site"
    assert [path.name for path in (site / "fragments").iterdir() if path.is_dir()] == []
    assert "[Replace this paragraph" in (site / "about" / "index.html").read_text(encoding="utf-8")


# --- the sample's leftovers --------------------------------------------------------------------


def programme_with_sample_files(tmp_path: Path, **changes: object) -> Path:
    """A project whose content/ holds a programme's export (the spreadsheet template's
    example outcome) beside the sample's results-framework.yml and About pages."""
    folder = project(tmp_path, **changes)
    content = folder / "content"
    (content / "fragments").mkdir(parents=True)
    shutil.copy(SAMPLE / "templates" / "outcomes-template.csv", content / "fragments" / "harvest.csv")
    shutil.copy(SAMPLE / "results-framework.yml", content / "results-framework.yml")
    shutil.copytree(SAMPLE / "pages", content / "pages")
    return folder


def test_check_warns_of_the_samples_files_left_with_a_programmes_outcomes(tmp_path):
    folder = programme_with_sample_files(tmp_path)
    result = run_cli_in_process("check", "--config", "mkdocs.yml", cwd=folder)
    assert (result.returncode, result.stderr) == (0, "")
    assert without_time(result.stdout) == (
        "Fragments read:\n"
        "       1  content/fragments/harvest.csv\n"
        "Published: 1 of 1\n"
        "Held back (not published): 0\n"
        "Warnings: 3\n"
        f"  {RF_WARNING}\n"
        f"  {ABOUT_WARNING}\n"
        f"  {NAME_WARNING}\n"
    )


def test_check_warns_while_site_yml_from_new_still_has_its_texts_in_square_brackets(tmp_path):
    folder = programme_with_sample_files(tmp_path, site_name="Civic space outcomes")
    content = folder / "content"
    shutil.copy(SAMPLE / "templates" / "site.yml", content / "site.yml")
    result = run_cli_in_process("check", "--config", "mkdocs.yml", cwd=folder)
    assert f"  {SITE_WARNING}\n" in result.stdout
    written = re.sub(r"\[Re[^\]]*\]", "Our own words", (content / "site.yml").read_text(encoding="utf-8"))
    (content / "site.yml").write_text(written, encoding="utf-8")
    result = run_cli_in_process("check", "--config", "mkdocs.yml", cwd=folder)
    assert "site.yml" not in result.stdout and "still called" not in result.stdout


def test_the_warnings_go_once_the_files_are_the_programmes(tmp_path):
    folder = programme_with_sample_files(tmp_path, site_name="Civic space outcomes")
    content = folder / "content"
    (content / "results-framework.yml").write_text('outputs:\n  "4.1.2": Budget hearings held\n', encoding="utf-8")
    about = content / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nThe programme works in Kenya.\n", encoding="utf-8")
    result = run_cli_in_process("check", "--config", "mkdocs.yml", cwd=folder)
    assert result.returncode == 0
    assert "Warnings" not in result.stdout


def test_a_french_site_is_warned_of_the_samples_french_about_page(tmp_path):
    folder = programme_with_sample_files(tmp_path, theme_language="fr", site_name="Effets du programme")
    (folder / "content" / "results-framework.yml").unlink()
    result = run_cli_in_process("check", "--config", "mkdocs.yml", cwd=folder)
    assert without_time(result.stdout).endswith(
        "Warnings: 1\n"
        "  content/pages/about.fr.md: this is still the sample's About page (write in it what your programme does "
        "and how its outcomes were harvested)\n"
    )


def test_a_copy_saved_on_windows_is_still_the_samples(tmp_path):
    folder = programme_with_sample_files(tmp_path)
    framework = folder / "content" / "results-framework.yml"
    framework.write_bytes(b"\xef\xbb\xbf" + framework.read_bytes().replace(b"\n", b"\r\n"))
    result = run_cli_in_process("check", "--config", "mkdocs.yml", cwd=folder)
    assert f"  {RF_WARNING}\n" in result.stdout


def test_the_samples_labels_read_for_another_folder_are_named_where_they_are(tmp_path):
    """--content elsewhere: the project's content/results-framework.yml still applies, and says so."""
    (tmp_path / "export").mkdir()
    shutil.copy(SAMPLE / "templates" / "outcomes-template.csv", tmp_path / "export" / "harvest.csv")
    result = run_cli_in_process("check", "--content", str(tmp_path / "export"))
    assert result.returncode == 0
    assert f"  {SAMPLE / 'results-framework.yml'}: these are the sample's Results Framework labels" in result.stdout


def test_no_warning_of_leftovers_on_the_sample_itself():
    result = run_cli_in_process("check")
    assert result.returncode == 0
    for message in ("the sample's", "still called", "square brackets", "no outcome records here"):
        assert message not in result.stdout


def test_what_is_known_of_the_sample_is_still_the_shipped_sample():
    """The digests and IDs kept in generator/read/sample.py: after a change to the sample,
    put the new ones there."""
    assert text_digest((SAMPLE / "results-framework.yml").read_bytes()) == SAMPLE_FRAMEWORK
    pages = {text_digest((SAMPLE / "pages" / name).read_bytes()) for name in ("about.md", "about.fr.md")}
    assert pages == SAMPLE_PAGES
    sources = read_sources([SAMPLE], DEFAULT_TABLE)
    ids = {record.values["fragment_id"].text for source in sources for record in source.records}
    assert ids == SAMPLE_IDS


def test_new_that_fails_half_way_puts_the_old_folder_back(tmp_path, monkeypatch, capsys):
    import sys

    from generator.commands.new import new_content

    old = tmp_path / "content"
    shutil.copytree(SAMPLE, old)
    before = tree_digest(old)
    rename = Path.rename

    def rename_but_not_into_place(self: Path, target: Path) -> Path:
        if Path(target) == old and self.name.startswith(".content.new-"):
            raise PermissionError(13, "Permission denied")
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", rename_but_not_into_place)
    assert new_content(old, True, sys.stdout, sys.stderr) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == (
        f"Error: {old} could not be made (Permission denied); nothing was changed. Close any program that has a "
        "file of the folder open, then run this again.\n"
    )
    assert [path.name for path in tmp_path.iterdir()] == ["content"]
    assert tree_digest(old) == before
