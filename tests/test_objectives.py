"""Objectives as a vocabulary editors own (issue 20, point 4): content/vocabularies.yml gives
each objective's code and its English and French labels. A cell "CIV: …", "CIV" or one of
the objective's spellings is that objective, shown in the site's language; an objective the
file does not know is published as written, and check says so by place.

These run generate() or check (no MkDocs build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import FIXTURES, ROOT, kept_build, kept_content, own_warnings, run_cli_in_process, write_config

OBJECTIVES = FIXTURES / "objectives"


def generated(tmp_path: Path, language: str) -> Path:
    folder = tmp_path / language
    folder.mkdir()
    generate(
        Settings(
            contents=[OBJECTIVES],
            docs_dir=folder / "docs",
            config_file=write_config(folder, theme_language=language),
            project_content=tmp_path / "no-project-content",
        )
    )
    return folder / "docs"


def everything(docs: Path) -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in docs.rglob("*") if page.is_file())


@pytest.mark.parametrize(
    "language, names",
    [
        (
            "en",
            {
                "civ": "CIV: Less suppression of civic space",
                "gen": "GEN: More equal gender roles and norms",
                "wat": "WAT: Cleaner water points",
            },
        ),
        (
            "fr",
            {
                "civ": "CIV: Moins de restrictions de l'espace civique",
                "gen": "GEN: Rôles et normes de genre plus égalitaires",
                "wat": "WAT: Cleaner water points",
            },
        ),
    ],
)
def test_an_objective_is_matched_by_code_and_named_in_the_sites_language(tmp_path, language, names):
    docs = generated(tmp_path, language)
    index = (docs / "objectives" / "index.md").read_text(encoding="utf-8")
    assert re.findall(r'<li><a href="\.\./objectives/([a-z]+)/">([^<]+)</a>', index) == [
        (slug, name.replace("'", "&#39;")) for slug, name in names.items()
    ]
    civ = (docs / "objectives" / "civ.md").read_text(encoding="utf-8")
    # "CIV: Less suppression…" and "CIV" alone: one objective, one page
    assert re.findall(r'href="\.\./\.\./fragments/(obj-\d+)/"', civ) == ["obj-001", "obj-002"]
    page = (docs / "fragments" / "obj-003.md").read_text(encoding="utf-8")
    assert names["gen"].replace("'", "&#39;") in page  # its Details row, in the site's language
    text = everything(docs)
    assert "ZZQ" not in text and "Secret objective" not in text
    if language == "fr":
        assert "Less suppression of civic space" not in text


def test_check_says_an_objective_outside_the_vocabulary_is_published_as_written_and_where():
    result = run_cli_in_process("check", "--content", str(OBJECTIVES.relative_to(ROOT)))
    assert result.returncode == 0, result.stderr
    shown = (OBJECTIVES / "vocabularies.yml").relative_to(ROOT).as_posix()
    warnings = result.stdout.split("Warnings: ")[1].split("Time: ")[0]
    assert own_warnings(warnings.splitlines()[1:]) == [
        f"  {(OBJECTIVES / 'export.csv').relative_to(ROOT).as_posix()}, row 5, field 'Specific objective': "
        f"'WAT: Cleaner water points' is not in {shown}; published as a new objective 'WAT: Cleaner "
        f"water points': add it to {shown} with its code and its English and French labels, or correct the code"
    ]
    assert "ZZQ" not in result.stdout + result.stderr


BROKEN = [
    pytest.param(
        "objectives:\n  - en: Less suppression of civic space\n    fr: Moins de restrictions\n",
        "line 2: value 1 of objectives has no code: an objective's code is two to eight letters, the part "
        "before ':' in your export's cells (write it after 'code:', such as 'code: CIV')",
        id="no-code",
    ),
    pytest.param(
        "objectives:\n  - code: C1\n    en: Less suppression of civic space\n    fr: Moins de restrictions\n",
        "line 2: value 1 of objectives has no code ('C1'): an objective's code is two to eight letters, the part "
        "before ':' in your export's cells (write it after 'code:', such as 'code: CIV')",
        id="bad-code",
    ),
    pytest.param(
        "objectives:\n  - code: CIV\n    en: Civic space\n    fr: Espace civique\n"
        "  - code: civ\n    en: Civic space again\n    fr: Encore\n",
        "line 5: value 2 of objectives ('Civic space again') has the code 'CIV', which is also the code or a "
        "spelling of the value at {path}, line 2 (a code can mean one objective only: give each its own code, "
        "or merge the two)",
        id="code-twice",
    ),
]


@pytest.mark.parametrize("text, message", BROKEN)
def test_a_broken_objectives_list_stops_check_saying_what_to_fix(tmp_path, text, message):
    content = tmp_path / "content"
    content.mkdir()
    (content / "export.csv").write_bytes((OBJECTIVES / "export.csv").read_bytes())
    path = content / "vocabularies.yml"
    path.write_text(text, encoding="utf-8")
    result = run_cli_in_process("check", "--content", str(content))
    assert result.returncode == 1
    assert result.stderr == f"Error: {path}, " + message.format(path=path) + "\n"


def _write_french_label_content(content: Path) -> None:
    content.mkdir()
    (content / "vocabularies.yml").write_bytes((OBJECTIVES / "vocabularies.yml").read_bytes())
    export = (OBJECTIVES / "export.csv").read_text(encoding="utf-8")
    export += "OBJ-006,Another hidden change.,Mali,2023,yes,Moins de restrictions de l'espace civique\n"
    (content / "export.csv").write_text(export, encoding="utf-8")


def test_a_french_label_a_held_back_outcome_also_writes_is_no_leak(site_cache):
    """A French site names CIV "Moins de restrictions de l'espace civique"; a held-back
    outcome written with that label does not stop the build: the vocabulary's labels are the
    editors' text. Its own objective (ZZQ) is nowhere. (A kept site: support.kept_build; its
    content beside its configuration, as the settings folder, as in a project.)"""
    with kept_content(site_cache, "objectives-fr/content", _write_french_label_content) as content:
        built = kept_build(site_cache, "objectives-fr", content, theme_language="fr")
    site, report = built.site, built.report
    assert report.published == 4
    assert "Moins de restrictions de l'espace civique" in (site / "objectives" / "civ" / "index.html").read_text(
        encoding="utf-8"
    )
    built = "".join(path.read_text(encoding="utf-8", errors="replace") for path in site.rglob("*") if path.is_file())
    assert "Another hidden change" not in built and "ZZQ" not in built
