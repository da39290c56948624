"""A refused build leaves no held-back or redacted text anywhere it wrote (issue 18, class 6):
not in docs/, site/ or a temporary folder, not in a file or folder name, not in a message.
Redacted names are masked in hand-written pages' names, and in every path the command
prints; a redaction list beside a --content folder or file outside the project applies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from support import ONE_LANGUAGE_ARGS, ROOT, one_language_config_text, run_cli_in_process, tree_digest, write_fragment

STORY = "the envoy quietly negotiated a ceasefire with the river militias"
NAME = "Amina Diallo"
NAME_SPELLINGS = ("amina diallo", "amina-diallo", "amina_diallo", "aminadiallo")


def _everything_written(root: Path, *but: str) -> str:
    """Every name and every file's text under root (the content folders `but` left out), lower case."""
    parts = []
    for path in sorted(root.rglob("*")):
        if any(part in but for part in path.relative_to(root).parts):
            continue
        parts.append(str(path.relative_to(root)))
        if path.is_file():
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts).lower()


def _build(root: Path, *contents: Path, config: tuple[str, ...] = ()) -> tuple[int, str, str]:
    """A build with the project's mkdocs.yml (two languages), or `config` (ONE_LANGUAGE_ARGS)."""
    args = [arg for content in contents for arg in ("--content", str(content))]
    result = run_cli_in_process(
        "build", *config, *args, "--docs-dir", str(root / "docs"), "--site-dir", str(root / "site"), cwd=ROOT
    )
    return result.returncode, result.stdout, result.stderr


def test_a_build_the_guard_refuses_leaves_docs_empty_and_nothing_of_the_held_back_story(tmp_path):
    content = tmp_path / "content"
    (content / "fragments").mkdir(parents=True)
    write_fragment(content / "fragments", "open-1")
    write_fragment(content / "fragments", "held-1", Outcome_statements_is_CONFIDENTIAL="yes", Outcome_description=STORY)
    code, _, err = _build(tmp_path, content)
    assert code == 0, err
    before = tree_digest(tmp_path / "site")
    (content / "pages").mkdir()
    (content / "pages" / "news.md").write_text(f"# News\n\nWe heard that {STORY}.\n", encoding="utf-8")
    code, out, err = _build(tmp_path, content)
    assert code == 1
    assert err.startswith("Error: the leak guard stopped the build: news.md: words from a held-back outcome; ")
    # The guard names every place it found the story before it stopped the build: the page in
    # docs/ first, then (as far as it got while the engines stopped) its French copy and the
    # built pages of both trees; never anything but the page that quoted it.
    places = err.split("stopped the build: ", 1)[1].split(". Nothing was published", 1)[0].split("; ")
    assert {place.split(": ", 1)[0] for place in places} <= {
        "news.md",
        ".docs.fr/news.md",
        "news/index.html",
        "fr/news/index.html",
    }, err
    assert all(place.endswith(": words from a held-back outcome") for place in places), err
    assert err.endswith("Nothing was published: the previous site is as it was.\n")
    assert tree_digest(tmp_path / "site") == before
    # The refused build's pages are gone (news.md quoted the story), and the stamp that said
    # they were up to date; nothing temporary is left beside the folders.
    # The project's site is in two languages: the French docs folder (beside docs) too.
    for docs in ("docs", ".docs.fr"):
        assert sorted(path.name for path in (tmp_path / docs).iterdir()) == [".okb-generated"], docs
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".docs.fr",
        ".site.okb-build.json",
        "content",
        "docs",
        "site",
    ]
    assert STORY not in _everything_written(tmp_path, "content") + out + err
    # The next build of content that passes writes the docs folder again, in full.
    (content / "pages" / "news.md").write_text("# News\n\nNothing new.\n", encoding="utf-8")
    code, out, err = _build(tmp_path, content)
    assert code == 0, err
    assert (tmp_path / "docs" / "news.md").is_file() and (tmp_path / "docs" / "index.md").is_file()


@pytest.fixture(scope="module")
def named_pages(tmp_path_factory):
    """Hand-written pages and an image named after a person on the redaction list, one with
    the name in its front-matter title; a fragment file named after them too."""
    root = tmp_path_factory.mktemp("named-pages")
    content = root / "content"
    (content / "pages" / "people" / "Amina-Diallo").mkdir(parents=True)
    (content / "redact.txt").write_text(f"{NAME}\n", encoding="utf-8")
    (content / "pages" / "people" / "Amina-Diallo" / "index.md").write_text(
        f'---\ntitle: "The story of {NAME}"\n---\n\nShe trades fish.\n', encoding="utf-8"
    )
    (content / "pages" / "amina_diallo.md").write_text("Who we work with.\n", encoding="utf-8")
    Image.new("RGB", (2, 2), "white").save(content / "pages" / "amina.diallo.png")  # images are re-encoded
    (content / "fragments").mkdir()
    write_fragment(content / "fragments", "amina-diallo", FragmentID="OPEN-9")
    code, out, err = _build(root, content, config=ONE_LANGUAGE_ARGS)  # not about languages: one is enough
    return root, code, out, err


def test_a_redacted_name_in_a_hand_written_pages_name_or_title_reaches_no_file_or_name(named_pages):
    root, code, _out, err = named_pages
    assert code == 0, err
    written = _everything_written(root, "content")
    assert not [spelling for spelling in NAME_SPELLINGS if spelling in written]
    assert (
        (root / "docs" / "people" / "redacted" / "index.md")
        .read_text(encoding="utf-8")
        .startswith('---\ntitle: "The story of [redacted]"\n---\n')
    )
    assert (root / "site" / "redacted" / "index.html").is_file()  # amina_diallo.md
    assert (root / "site" / "redacted.png").is_file()


def test_the_report_names_a_file_named_after_a_listed_person_with_the_name_masked(named_pages):
    _root, _code, out, err = named_pages
    assert "fragments/[redacted].txt" in out
    assert not [spelling for spelling in NAME_SPELLINGS if spelling in (out + err).lower()]


def test_an_error_about_a_file_named_after_a_listed_person_masks_the_name(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "redact.txt").write_text(f"{NAME}\n", encoding="utf-8")
    (content / "Amina-Diallo interviews.csv").write_text(
        'FragmentID,Outcome description\nX-1,"an open quote\n', encoding="utf-8"
    )
    result = run_cli_in_process("check", "--content", str(content), cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {content}/[redacted] interviews.csv, ")
    assert NAME.lower() not in (result.stdout + result.stderr).lower()


def test_two_pages_that_one_masked_name_would_merge_stop_the_build_naming_neither_name(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "redact.txt").write_text(f"{NAME}\n", encoding="utf-8")
    (content / "pages" / "Amina-Diallo.md").write_text("One.\n", encoding="utf-8")
    (content / "pages" / "amina_diallo.md").write_text("Two.\n", encoding="utf-8")
    result = run_cli_in_process("check", "--content", str(content), cwd=ROOT)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {content}/pages/[redacted].md: once the names of the redaction list are masked in file names, "
        "this page and another one would both be published as 'redacted.md' (rename one of them; keep names "
        "of people out of file and folder names)\n"
    )


def test_a_redaction_list_beside_content_given_from_outside_the_project_is_applied_and_named(tmp_path):
    outside = tmp_path / "outside"
    (outside / "harvest").mkdir(parents=True)
    (outside / "redact.txt").write_text(f"{NAME}\n", encoding="utf-8")
    write_fragment(outside / "harvest", "open-1", Outcome_description=f"Since 2023, {NAME} sells fish.")
    write_fragment(outside, "open-2", Outcome_description=f"Since 2023, {NAME} sells fish.")
    for given in (outside / "harvest", outside / "open-2.txt"):  # a folder, or one file
        docs = tmp_path / f"docs-{given.name}"
        result = run_cli_in_process("generate", "--content", str(given), "--docs-dir", str(docs), cwd=ROOT)
        assert result.returncode == 0, result.stderr
        assert f"Redaction lists applied: {outside / 'redact.txt'}\n" in result.stdout
        assert "Redacted: 1 occurrence(s)" in result.stdout
        assert NAME.lower() not in _everything_written(docs)


def test_a_file_named_like_a_redaction_list_beside_content_from_outside_stops_the_build(tmp_path):
    outside = tmp_path / "outside"
    (outside / "harvest").mkdir(parents=True)
    (outside / "Redaction.txt").write_text(f"{NAME}\n", encoding="utf-8")
    write_fragment(outside / "harvest", "open-1")
    result = run_cli_in_process("check", "--content", str(outside / "harvest"), cwd=ROOT)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {outside / 'Redaction.txt'}: this looks like a redaction list beside the content given to "
        "--content, but only a file named redact.txt is applied (rename it to redact.txt (check that Windows "
        "did not hide a second .txt))\n"
    )


def test_a_plain_mkdocs_build_the_guard_refuses_leaves_docs_empty(tmp_path):
    """`mkdocs build` runs the same guard through the plugin: its refusal empties docs/ too."""
    project = tmp_path / "project"
    (project / "content" / "fragments").mkdir(parents=True)
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text(one_language_config_text(), encoding="utf-8")  # one language is enough
    (project / "templates").symlink_to(ROOT / "templates")
    write_fragment(project / "content" / "fragments", "open-1")
    write_fragment(
        project / "content" / "fragments", "held-1", Outcome_statements_is_CONFIDENTIAL="yes", Outcome_description=STORY
    )
    (project / "content" / "pages").mkdir()
    (project / "content" / "pages" / "news.md").write_text(f"# News\n\nWe heard that {STORY}.\n", encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "Outcome knowledge base: the leak guard stopped the build: " in result.stderr
    assert "news/index.html: words from a held-back outcome" in result.stderr
    assert sorted(path.name for path in (project / "docs").iterdir()) == [".okb-generated"]
    assert STORY not in _everything_written(project, "content", "templates") + result.stdout + result.stderr
