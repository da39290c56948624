"""Safe publishing (issue 17): public sources that hold what must not be public refuse to
publish; `publish` pushes the built site and nothing else; sources kept in git are named;
the job summary is Markdown that content cannot inject into; the workflows are valid."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from openpyxl import Workbook

from generator.commands.summary import Outcome, code_span, fenced_block, job_summary
from generator.privacy.exposure import REMOVE_FROM_HISTORY, PublicSourcesError
from generator.publish.build_types import Settings
from generator.publish.push import shown_remote
from generator.publish.sequence import build
from support import ONE_LANGUAGE_ARGS, ROOT, readable_text, run_cli_in_process

HEADER = "FragmentID,Outcome description,Country,Year,Outcome statements is CONFIDENTIAL"
PUBLIC_ROW = "PUB-001,Since 2024 the council publishes its budget every quarter.,Mali,2024,0"
SECRET_ROW = "SEC-002,CANARYSECRET the informant met the minister in private.,Atlantis,2023,1"
REDACTED_NAME = "Amina Diallo"

SAFE_SET_UPS = (
    "(a) make the repository private and publish its site with GitHub Pages; "
    "(b) keep the sources in a private repository and push only the built site to a public one; "
    "(c) keep the files out of git and publish from your computer with "
    "'python -m generator publish --to REMOTE'"
)


def refusal(described: str) -> str:
    return (
        "Error: the sources are public (--sources-public), so anyone can download these files from the "
        "repository, and every earlier version of them from its history; they hold what the site must "
        f"never publish: {described}. Nothing was published. Use one of the safe set-ups in the README "
        f"(section 'Publish the site'): {SAFE_SET_UPS}\n"
    )


def _content(folder: Path, rows: list[str], header: str = HEADER, **files: str) -> Path:
    """A content folder: fragments/export.csv with `rows`, and files by name (redact_txt=…)."""
    (folder / "fragments").mkdir(parents=True)
    (folder / "fragments" / "export.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    for name, text in files.items():
        (folder / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return folder


def _build(tmp_path: Path, content: Path, *extra: str, command: str = "build") -> subprocess.CompletedProcess:
    out = ["--site-dir", str(tmp_path / "site"), "--docs-dir", str(tmp_path / "docs")]
    return run_cli_in_process(
        command, "--content", str(content), "--quiet", *(out if command != "check" else []), *extra
    )


# ------------------------------------------------------------------ 1. public sources refuse


SENSITIVE = {
    "held-back outcomes": (dict(rows=[PUBLIC_ROW, SECRET_ROW]), ["fragments/export.csv (held-back outcomes)"]),
    "unpublished columns": (
        dict(rows=[PUBLIC_ROW + ",call +254 700"], header=HEADER + ",Internal notes"),
        ["fragments/export.csv (columns that are never published)"],
    ),
    "redaction list": (
        dict(rows=[PUBLIC_ROW], redact_txt=REDACTED_NAME + "\n"),
        ["redact.txt (the list of names to redact)"],
    ),
    "fields.yml naming the flag's column": (
        dict(
            rows=[PUBLIC_ROW.replace(",0", ",no")],
            header=HEADER.replace("Outcome statements is CONFIDENTIAL", "Sensitive record"),
            fields_yml="Outcome statements is CONFIDENTIAL: [Sensitive record]\n",
        ),
        ["fields.yml (the name of a column that is never published)"],
    ),
}


@pytest.mark.parametrize("kind", SENSITIVE)
def test_public_sources_holding_what_must_not_be_public_refuse_to_build(tmp_path, kind):
    files, described = SENSITIVE[kind]
    content = _content(tmp_path / "content", **files)
    result = _build(tmp_path, content, "--sources-public")
    named = ", ".join(f"{content}/{text}" for text in described)
    assert result.returncode == 1
    assert result.stderr == refusal(named) + "Nothing was published: the previous site is as it was.\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content"]  # no site, no docs folder, no litter


def test_every_kind_at_once_is_named_per_file_and_check_prints_the_report_first(tmp_path):
    content = _content(
        tmp_path / "content",
        [PUBLIC_ROW + ",x", SECRET_ROW + ",y"],
        header=HEADER + ",Internal notes",
        redact_txt=REDACTED_NAME + "\n",
    )
    result = run_cli_in_process("check", "--content", str(content), "--sources-public")
    assert result.returncode == 1
    assert "Published: 1 of 2\n" in result.stdout
    assert result.stderr == refusal(
        f"{content}/fragments/export.csv (held-back outcomes; columns that are never published), "
        f"{content}/redact.txt (the list of names to redact)"
    )
    assert "CANARYSECRET" not in result.stdout + result.stderr
    assert "SEC-002" not in result.stdout + result.stderr


def test_all_public_content_publishes_from_public_sources_until_a_held_back_row_is_added(tmp_path):
    """One site for three steps (each full build costs seconds; one language, as the test is not
    about languages): all public builds; a push that fails names the remote; a held-back row
    then refuses and leaves the site as it was."""
    content = _content(tmp_path / "content", [PUBLIC_ROW])
    result = _build(tmp_path, content, "--sources-public", *ONE_LANGUAGE_ARGS)
    assert (result.returncode, result.stderr) == (0, "")
    page = tmp_path / "site" / "fragments" / "pub-001" / "index.html"
    assert "Since 2024 the council publishes its budget" in page.read_text(encoding="utf-8")

    missing = f"file://{tmp_path}/missing.git"
    result = _build(tmp_path, content, "--sources-public", *ONE_LANGUAGE_ARGS, "--to", missing, command="publish")
    assert result.returncode == 1
    first, second = result.stderr.splitlines()
    assert first.startswith(f"Error: could not push the site to {missing}, branch gh-pages: ")
    assert first.endswith("Check the address and that this computer (or the workflow's deploy key) may write to it")
    assert second == "Nothing was pushed: the site repository is as it was."

    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    with (content / "fragments" / "export.csv").open("a", encoding="utf-8") as export:
        export.write(SECRET_ROW + "\n")
    assert _build(tmp_path, content, "--sources-public", *ONE_LANGUAGE_ARGS).returncode == 1
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == before


def test_a_remote_is_shown_without_credentials():
    assert shown_remote("https://x-access-token:SECRET@github.com/org/site.git") == "https://github.com/org/site.git"
    assert shown_remote("git@github.com:org/site.git") == "git@github.com:org/site.git"


# ------------------------------------------------------------------ 2. publish: only site/ leaves


def _git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _all_objects_text(bare: Path) -> str:
    """Every object the repository holds (all branches, all history), as text."""
    listed = _git(f"--git-dir={bare}", "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)")
    parts = []
    for line in listed.splitlines():
        name, kind = line.split()
        data = subprocess.run(
            ["git", f"--git-dir={bare}", "cat-file", kind, name], capture_output=True, check=True
        ).stdout
        parts.append(readable_text(data) if kind == "blob" else data.decode("utf-8", "replace"))
    return "\n".join(parts)


def _files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Private sources (a held-back row, an unknown column, a redaction list) published
    twice into a bare repository through a file:// address, as the site-repository workflow does."""
    tmp_path = tmp_path_factory.mktemp("publish")
    content = _content(
        tmp_path / "content",
        [PUBLIC_ROW.replace("the council", f"the council of {REDACTED_NAME}") + ",x", SECRET_ROW + ",y"],
        header=HEADER + ",Internal notes",
        redact_txt=REDACTED_NAME + "\n",
    )
    bare = tmp_path / "site-repository.git"
    _git("init", "--quiet", "--bare", str(bare))
    # The site repository has a branch of its own already (its README): publishing leaves it alone.
    readme = tmp_path / "site-readme"
    _git("init", "--quiet", "--initial-branch=main", str(readme))
    (readme / "README.md").write_text("The site of our outcomes\n", encoding="utf-8")
    _git("add", "README.md", cwd=readme)
    _git("-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "-qm", "README", cwd=readme)
    _git("push", "--quiet", f"file://{bare}", "main", cwd=readme)
    results = [
        run_cli_in_process(
            "publish",
            *ONE_LANGUAGE_ARGS,  # one language: publishing is not about languages
            "--content",
            str(content),
            "--site-dir",
            str(tmp_path / "site"),
            "--docs-dir",
            str(tmp_path / "docs"),
            "--to",
            f"file://{bare}",
            "--branch",
            "gh-pages",
        )
        for _ in range(2)
    ]
    clone = tmp_path / "clone"
    _git("clone", "--quiet", "--branch", "gh-pages", f"file://{bare}", str(clone))
    return tmp_path, bare, clone, results


def test_publish_pushes_exactly_the_built_site(published):
    tmp_path, _bare, clone, results = published
    site_files = _files(tmp_path / "site")
    assert results[0].returncode == 0, results[0].stderr
    assert results[0].stdout.endswith(
        f"Site written to {tmp_path / 'site'}/\n"
        f"Published: the site ({len(site_files) + 1} files) was pushed to file://{tmp_path / 'site-repository.git'}, "
        "branch gh-pages\n"
    )
    assert _files(clone) == site_files | {".nojekyll"}
    assert not any(
        name.startswith("content/") or name.endswith((".xlsx", "export.csv", "redact.txt")) for name in _files(clone)
    )


def test_nothing_of_the_sources_reaches_the_site_repository_in_any_version(published):
    _tmp_path, bare, _clone, _results = published
    everything = _all_objects_text(bare)
    for secret in (
        "CANARYSECRET",
        "SEC-002",
        "Atlantis",
        REDACTED_NAME,
        "Internal notes",
        "Outcome statements is CONFIDENTIAL",
    ):
        assert secret not in everything
    assert "Since 2024 the council of [redacted] publishes its budget" in everything


def test_a_second_publication_adds_one_commit_holding_only_the_site(published):
    _tmp_path, bare, _clone, results = published
    assert results[1].returncode == 0, results[1].stderr
    assert _git(f"--git-dir={bare}", "branch", "--format=%(refname:short)").split() == ["gh-pages", "main"]
    assert len(_git(f"--git-dir={bare}", "rev-list", "gh-pages").split()) == 2
    assert _git(f"--git-dir={bare}", "ls-tree", "-r", "--name-only", "main") == "README.md\n"


def test_public_sources_refuse_even_when_the_site_is_up_to_date(published):
    """The build that published from private sources left its stamp: the same content, now
    said to be public, must not pass as 'nothing has changed'."""
    tmp_path, _bare, _clone, _results = published
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    result = _build(tmp_path, tmp_path / "content", "--sources-public")
    assert result.returncode == 1
    assert result.stderr.startswith(
        refusal(
            f"{tmp_path}/content/fragments/export.csv (held-back outcomes; columns that are never published), "
            f"{tmp_path}/content/redact.txt (the list of names to redact)"
        )
    )
    # The pipeline itself refuses on that path (the command line checks the report again).
    settings = Settings(contents=[tmp_path / "content"], docs_dir=tmp_path / "docs", sources_public=True)
    with pytest.raises(PublicSourcesError):
        build(settings, ROOT / "mkdocs.yml", tmp_path / "site")
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == before


def test_publish_from_public_sources_with_held_back_rows_pushes_nothing(tmp_path):
    content = _content(tmp_path / "content", [PUBLIC_ROW, SECRET_ROW])
    bare = tmp_path / "site-repository.git"
    _git("init", "--quiet", "--bare", str(bare))
    result = _build(tmp_path, content, "--sources-public", "--to", f"file://{bare}", command="publish")
    assert result.returncode == 1
    assert result.stderr.startswith(refusal(f"{content}/fragments/export.csv (held-back outcomes)"))
    assert _git(f"--git-dir={bare}", "for-each-ref") == ""


# ------------------------------------------------------------------ 3. sources kept in git


def test_check_names_the_sensitive_files_git_tracks(tmp_path):
    project = tmp_path / "project"
    content = _content(project / "content", [PUBLIC_ROW, SECRET_ROW], redact_txt=REDACTED_NAME + "\n")
    _git("init", "--quiet", str(project))
    _git("add", "content/fragments/export.csv", cwd=project)  # redact.txt is not tracked
    result = run_cli_in_process("check", "--content", str(content))
    assert result.returncode == 0
    assert result.stderr == (
        f"Warning: these files are kept in git and hold what the site must never publish: "
        f"{content}/fragments/export.csv. Git keeps every earlier version of them: anyone who can read the "
        "repository, now or later (if it is ever made public, say), can read them, even after you delete "
        "them. Keep the repository private (set-ups a and b in the README, section 'Publish the site') or "
        "these files out of git (set-up c); to remove them from the repository's history, follow GitHub's "
        f"guide: {REMOVE_FROM_HISTORY}\n"
    )


def test_no_warning_outside_a_repository_or_without_git(tmp_path, monkeypatch):
    content = _content(tmp_path / "content", [PUBLIC_ROW, SECRET_ROW])
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert run_cli_in_process("check", "--content", str(content)).stderr == ""
    _git("init", "--quiet", str(tmp_path / "content"))
    _git("add", "fragments/export.csv", cwd=tmp_path / "content")
    assert "Warning: these files are kept in git" in run_cli_in_process("check", "--content", str(content)).stderr
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert run_cli_in_process("check", "--content", str(content)).stderr == ""


# ------------------------------------------------------------------ 4. the job summary


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


HOSTILE = "<img src=x onerror=alert(1)> **bold** [link](https://evil.example/) ``` # Heading\n# Heading |"


def test_content_reaches_the_summary_as_literal_text_only():
    for markdown in (code_span(HOSTILE), fenced_block([HOSTILE, "````", "<script>alert(1)</script>"])):
        html = _html(markdown)
        assert "<img" not in html and "<a " not in html and "<strong>" not in html and "<h1>" not in html
        assert "<script" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert _html(code_span("`tick`")) == "<p><code>`tick`</code></p>\n"


def test_the_job_summary_of_a_small_harvest(tmp_path):
    content = _content(
        tmp_path / "content",
        [PUBLIC_ROW.replace(",2024,", ",,") + ",note", SECRET_ROW + ",note"],
        header=HEADER + ",<img src=x onerror=alert(1)>",
    )
    summary = tmp_path / "summary.md"
    result = run_cli_in_process("check", "--content", str(content), "--summary", str(summary), "--quiet")
    assert result.returncode == 0
    export = f"`{content}/fragments/export.csv`"
    assert summary.read_text(encoding="utf-8") == (
        "## Outcome knowledge base: check\n\n"
        "**Checked.** Nothing was written or published.\n\n"
        "| Outcomes | |\n| --- | ---: |\n| read | 2 |\n| published | 1 |\n| held back (not published) | 1 |\n| pages | 17 |\n\n"
        "### Files read\n\n"
        f"- {export}: 2 outcome(s)\n\n"
        "### Held back (not published), by reason and place\n\n"
        f"- **1 flagged confidential**:\n  - {export}, row 3\n\n"
        "### Ignored fields (never published)\n\n"
        f"- `<img src=x onerror=alert(1)>` is not a known field: in 1 file(s), e.g. {export}\n\n"
        "### Fields with no column (review before publishing)\n\n"
        + "".join(
            f"- {export} has no column for `{name}`: add the column, or map the one that holds it in "
            "`content/fields.yml`\n"
            for name in (
                "Significance of the outcome",
                "Contribution of the programme",
                "Evidence supporting the outcome statement",
                "Link to Outcomes in Results Framework",
                "Link to SCC Specific Objectives",
                "MCQType of change",
            )
        )
        + "\n### Published outcomes with a blank field (review before publishing)\n\n"
        f"- **1** with no `Year`:\n  - {export}, row 2\n"
        # The sample's files still in the project (tests/test_new.py).
        "\n### Warnings: 2\n\n```text\n"
        f"{ROOT / 'content' / 'results-framework.yml'}: these are the sample's Results Framework labels, and the "
        "site shows them beside your codes (write your programme's outcome and output labels here, or delete the file)\n"
        "mkdocs.yml: the site is still called 'Outcome knowledge base', the sample's name (write your site's name "
        "in content/site.yml: copy content/templates/site.yml there)\n```\n"
    )
    assert "<img" not in _html(summary.read_text(encoding="utf-8"))


def test_a_refusal_is_in_the_summary_with_the_report(tmp_path):
    content = _content(tmp_path / "content", [PUBLIC_ROW, SECRET_ROW])
    summary = tmp_path / "summary.md"
    _build(tmp_path, content, "--sources-public", "--summary", str(summary))
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(
        "## Outcome knowledge base: build\n\n**Stopped: nothing was published.** The message below names the "
        "file, the row or line and the field to fix.\n\n```text\n"
        + refusal(f"{content}/fragments/export.csv (held-back outcomes)")[7:]
    )
    assert "| held back (not published) | 1 |" in text and "CANARYSECRET" not in text


def test_the_summary_names_the_sheet_read_and_counts_the_hidden_ones(tmp_path):
    """The job summary says which sheet of a workbook was read, as the terminal report does;
    a hidden sheet is counted, never named."""
    content = tmp_path / "content"
    (content / "fragments").mkdir(parents=True)
    workbook = Workbook()
    archive = workbook.active
    archive.title = "Old archive CANARYSHEET"
    archive.sheet_state = "hidden"
    outcomes = workbook.create_sheet("Outcomes")
    for row in csv.reader(io.StringIO(f"{HEADER}\n{PUBLIC_ROW}\n")):
        outcomes.append(row)
    workbook.save(content / "fragments" / "harvest.xlsx")
    summary = tmp_path / "summary.md"
    result = run_cli_in_process("check", "--content", str(content), "--summary", str(summary), "--quiet")
    assert result.returncode == 0, result.stderr
    text = summary.read_text(encoding="utf-8")
    assert (
        f"- `{content}/fragments/harvest.xlsx`, sheet `Outcomes` (1 hidden sheet(s) skipped: never read): 1 outcome(s)"
        in text
    )
    assert "CANARYSHEET" not in text


def test_an_error_summary_without_a_report():
    assert job_summary(Outcome("build", error="content/x.csv, row 2: bad"), None) == (
        "## Outcome knowledge base: build\n\n**Stopped: nothing was published.** The message below names the "
        "file, the row or line and the field to fix.\n\n```text\ncontent/x.csv, row 2: bad\n```\n\n"
    )


# ------------------------------------------------------------------ 4. the workflows

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_the_workflows_are_valid_for_github():
    checker = shutil.which("check-jsonschema") or str(
        Path(__file__).parent.parent / ".venv" / "bin" / "check-jsonschema"
    )
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _steps(name: str) -> list[dict]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_every_run_of_the_generator_is_told_whether_the_sources_are_public():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        flag = workflow["env"]["SOURCES_PUBLIC"]
        assert "github.event.repository.private != true" in flag and "visibility == 'public'" in flag
        runs = [step["run"] for step in _steps(path.name) if "-m generator" in step.get("run", "")]
        assert runs and all("$SOURCES_PUBLIC" in run for run in runs), path.name


def test_a_pull_request_publishes_nothing_and_shows_its_report():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "preview.yml").read_text(encoding="utf-8"))
    assert list(workflow[True]) == ["pull_request"]  # YAML reads the key 'on' as True
    steps = _steps("preview.yml")
    text = yaml.safe_dump(steps)
    assert "deploy-pages" not in text and "generator publish" not in text and "git push" not in text
    assert any('check $SOURCES_PUBLIC --summary "$GITHUB_STEP_SUMMARY"' in step.get("run", "") for step in steps)
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in steps)


# ------------------------------------------------------------------ 5. the README leads with the choice


def test_the_readme_publishing_section_starts_with_the_choice_of_set_ups():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Publish the site\n")[1].split("\n## ")[0]
    table = section.index("| set-up | suits | cost | what is public |")
    assert table < section.index("\n1. ")
    rows = [line for line in section[table:].splitlines() if line.startswith("| **(")]
    assert [row.split("**")[1][:3] for row in rows] == ["(a)", "(b)", "(c)"]
    assert all(row.endswith("| the site only |") or "| the site only:" in row for row in rows)
    assert "**We recommend (a) first:**" in section
    assert "public repositories only" not in readme and "Publish on GitHub Pages" not in readme
    assert "/content/fragments/\n/content/redact.txt\n/content/fields.yml\n" in section
