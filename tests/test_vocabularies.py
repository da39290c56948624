"""Vocabularies editors own (issue 20, point 4): content/vocabularies.yml names the types of
change, social actors and scale in English and French with their other spellings. Every
spelling is one value with one page, named in the site's language; a value outside the
vocabulary is published under its own name, and check says so by place; a broken file stops
the build with a message that says what to fix.

These run generate() or check (no MkDocs build), but for the one on the leak guard."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.fields import DEFAULT_TABLE
from generator.normalise.values import built_in_vocabulary
from generator.preview.kept import Kept
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.read.vocabularies import read_vocabularies
from support import FIXTURES, ROOT, kept_build, kept_content, own_warnings, run_cli_in_process, write_config

VOCABULARIES = FIXTURES / "vocabularies"
EXPORT = VOCABULARIES / "export.csv"


def generated(tmp_path: Path, content: Path, language: str) -> tuple[Path, list[str]]:
    """The docs folder of `content` on a site in `language` (without the project's content/),
    and the report's warnings."""
    folder = tmp_path / language
    folder.mkdir()
    report = generate(
        Settings(
            contents=[content],
            docs_dir=folder / "docs",
            config_file=write_config(folder, theme_language=language),
            project_content=tmp_path / "no-project-content",
        )
    )
    return folder / "docs", [str(problem) for problem in report.problems]


def title(page: Path) -> str:
    match = re.search(r"^title: (.*)$", page.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, page
    return match.group(1).strip("'\"")


def listed_ids(page: Path) -> list[str]:
    return re.findall(r'href="\.\./\.\./fragments/(voc-\d+)/"', page.read_text(encoding="utf-8"))


def test_check_says_a_value_outside_the_vocabulary_is_published_as_new_and_where(tmp_path):
    result = run_cli_in_process("check", "--content", str(VOCABULARIES.relative_to(ROOT)))  # as an editor types it
    assert result.returncode == 0, result.stderr
    shown = (VOCABULARIES / "vocabularies.yml").relative_to(ROOT).as_posix()
    warnings = result.stdout.split("Warnings: ")[1].split("Time: ")[0]
    assert own_warnings(warnings.splitlines()[1:]) == [
        f"  {EXPORT.relative_to(ROOT).as_posix()}, row 5, field 'Type of change': 'Weather change' is not in "
        f"{shown}; published as a new type of change 'Weather change': add it to {shown} with its English "
        "and French labels, or correct the spelling"
    ]
    assert "Secret" not in result.stdout + result.stderr  # the held-back row's values: never


@pytest.mark.parametrize(
    "language, names",
    [
        ("en", {"practice-change": "Practice change", "behaviour-change": "Behaviour change"}),
        ("fr", {"practice-change": "Changement de pratique", "behaviour-change": "Changement de comportement"}),
    ],
)
def test_every_spelling_is_one_value_named_in_the_sites_language(tmp_path, language, names):
    docs, _ = generated(tmp_path, VOCABULARIES, language)
    pages = {page.stem: page for page in (docs / "change-types").glob("*.md") if page.stem != "index"}
    # "Practice change" and "Changement de pratique", "Behavior change" and "Behaviour change":
    # one page each; the value the vocabulary does not know has a page under its own name.
    assert sorted(pages) == ["behaviour-change", "practice-change", "weather-change"]
    assert {slug: title(pages[slug]) for slug in names} == names
    assert title(pages["weather-change"]) == "Weather change"
    assert listed_ids(pages["practice-change"]) == ["voc-001", "voc-002"]
    assert listed_ids(pages["behaviour-change"]) == ["voc-003", "voc-004"]
    assert listed_ids(pages["weather-change"]) == ["voc-004"]
    # The list of types and the dashboard's table name each value once, in the site's language.
    shown = {**names, "weather-change": "Weather change"}
    index = (docs / "change-types" / "index.md").read_text(encoding="utf-8")
    assert re.findall(r'<li><a href="\.\./change-types/([a-z-]+)/">([^<]+)</a>', index) == list(shown.items())
    dashboard = (docs / "dashboard.md").read_text(encoding="utf-8")
    rows = re.findall(
        r'<th scope="row"><a href="\.\./change-types/([a-z-]+)/">([^<]+)</a></th><td>(\d+)</td>', dashboard
    )
    assert sorted(rows) == sorted(
        (slug, name, "1" if slug == "weather-change" else "2") for slug, name in shown.items()
    )
    everything = "\n".join(page.read_text(encoding="utf-8") for page in docs.rglob("*") if page.is_file())
    other = "Changement de pratique" if language == "en" else "Practice change"
    assert other not in everything.replace("Practice change</span>", "")  # the other language's label: nowhere
    assert "Secret" not in everything


def test_a_social_actor_is_named_in_the_sites_language_on_the_outcome_page(tmp_path):
    docs, _ = generated(tmp_path, VOCABULARIES, "fr")
    page = (docs / "fragments" / "voc-002.md").read_text(encoding="utf-8")
    assert "Chefs traditionnels" in page and "chefs traditionnels" not in page
    english, _ = generated(tmp_path, VOCABULARIES, "en")
    assert "Traditional leaders" in (english / "fragments" / "voc-002.md").read_text(encoding="utf-8")


def test_without_vocabularies_yml_the_built_in_lists_apply(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(EXPORT, content / "export.csv")
    docs, warnings = generated(tmp_path, content, "fr")
    assert own_warnings(warnings) == [
        f"{content / 'export.csv'}, row 5, field 'Type of change': 'Weather change' is not in "
        "content/vocabularies.yml; published as a new type of change 'Weather change': add it to "
        "content/vocabularies.yml with its English and French labels, or correct the spelling"
    ]
    assert title(docs / "change-types" / "practice-change.md") == "Changement de pratique"


def test_the_shipped_vocabularies_are_the_built_in_ones():
    shipped = read_vocabularies(ROOT / "content" / "vocabularies.yml")
    assert [vocabulary.section for vocabulary in shipped] == ["change_types", "social_actors", "scale", "objectives"]
    for vocabulary in shipped[:3]:  # objectives have no built-in list (the sample's are tests/test_objectives.py's)
        assert vocabulary.terms == built_in_vocabulary(vocabulary.section).terms


HINT_ENTRY = (
    "(each value has 'en:' (its English label), 'fr:' (its French label) and, if needed, "
    "'also:' (the other spellings it is known by))"
)
BROKEN = [
    pytest.param(
        "change_type:\n  - en: Policy change\n    fr: Changement de politique\n",
        "line 1: 'change_type' is not a vocabulary we know; did you mean 'change_types'? "
        "(the vocabularies are change_types, social_actors, scale, objectives)",
        id="unknown-vocabulary",
    ),
    pytest.param(
        "change_types:\n  - en: Policy change\n    fr: Changement de politique\n  - en: Legal change\n",
        "line 4: value 2 of change_types ('Legal change') has no French label (write its French label after 'fr:')",
        id="no-french-label",
    ),
    pytest.param(
        "change_types:\n  - en: Policy change\n    fr: Changement de politique\n    fr_CA: Changement de politique\n",
        f"line 4: value 1 of change_types has 'fr_CA', which is not read {HINT_ENTRY}",
        id="unknown-key",
    ),
    pytest.param(
        "change_types:\n  - en: Policy change\n    fr: Changement de politique\n"
        "  - en: Legal change\n    fr: Changement juridique\n    also: [Policy change]\n",
        "line 4: 'Policy change' in value 2 of change_types ('Legal change') is also a spelling of the value at "
        "{path}, line 2 (a spelling can mean one value only: remove it from one of them, or merge the two)",
        id="spelling-twice",
    ),
    pytest.param(
        "change_types: Policy change, Legal change\n",
        "line 1: 'change_types' should be a list of values, one per line starting with '- en:' (such as "
        "'- en: Policy change' with 'fr: Changement de politique' and 'also: [Policy]' below it)",
        id="not-a-list",
    ),
    pytest.param(
        "change_types:\n  - en: Policy change\n   fr: Changement de politique\n",
        "line 3: this is not valid here: expected <block end>, but found '<block mapping start>' "
        "(check the indentation and the colons)",
        id="bad-indentation",
    ),
]


@pytest.mark.parametrize("text, message", BROKEN)
def test_a_broken_vocabularies_yml_stops_check_saying_what_to_fix(tmp_path, text, message):
    content = tmp_path / "content"
    shutil.copytree(VOCABULARIES, content)
    path = content / "vocabularies.yml"
    path.write_text(text, encoding="utf-8")
    result = run_cli_in_process("check", "--content", str(content))
    assert result.returncode == 1
    assert result.stderr == f"Error: {path}, " + message.format(path=path) + "\n"
    assert result.stdout == ""


def _write_french_label_content(content: Path) -> None:
    shutil.copytree(VOCABULARIES, content)
    with open(content / "export.csv", "a", encoding="utf-8") as export:
        export.write("VOC-006,Another hidden change.,Mali,2023,yes,Changement de comportement,Chefs traditionnels,\n")


def test_a_french_label_a_held_back_outcome_also_writes_is_no_leak(site_cache):
    """The site names "Behaviour change" "Changement de comportement" on a French site; a
    held-back outcome written with that label does not make the leak guard stop the build:
    the vocabulary's labels are the editors' text, not the held-back outcome's. (A kept site:
    support.kept_build; its content beside its configuration, as the settings folder.)"""
    with kept_content(site_cache, "vocabularies-fr/content", _write_french_label_content) as content:
        built = kept_build(site_cache, "vocabularies-fr", content, theme_language="fr")
    site, report = built.site, built.report
    assert report.published == 4
    page = (site / "change-types" / "behaviour-change" / "index.html").read_text(encoding="utf-8")
    assert "Changement de comportement" in page
    assert "Another hidden change" not in "".join(
        path.read_text(encoding="utf-8", errors="replace") for path in site.rglob("*") if path.is_file()
    )


def test_the_readmes_example_is_what_check_says():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("its own, and `check` says so, with the place:\n\n```text\n")[1].split("\n```")[0]
    where = "content/fragments/export.csv, row 7, field 'Type of change': "
    assert shown == where + DEFAULT_TABLE["change_types"].normalise("Changement de pratiques")[1]


def test_the_preview_follows_an_edit_of_vocabularies_yml(tmp_path, monkeypatch):
    """`mkdocs serve` keeps what it made between saves (generator/preview/kept.py): after the
    vocabulary changes, its pages are those of a fresh generation (each reuse checked)."""
    monkeypatch.setenv("OKB_VERIFY_MEMO", "1")
    content = tmp_path / "content"
    shutil.copytree(VOCABULARIES, content)
    kept = Kept()
    settings = Settings(contents=[content], docs_dir=tmp_path / "docs", project_content=tmp_path / "no-project-content")
    generate(settings, reuse=False, kept=kept)
    with open(content / "vocabularies.yml", "a", encoding="utf-8") as vocabulary:
        vocabulary.write("  - en: Weather change\n    fr: Changement climatique\n")
    report = generate(settings, reuse=True, kept=kept)
    assert own_warnings(map(str, report.problems)) == []
    fresh = tmp_path / "fresh"
    generate(Settings(contents=[content], docs_dir=fresh, project_content=tmp_path / "no-project-content"))
    files = {path.relative_to(fresh).as_posix(): path.read_bytes() for path in fresh.rglob("*") if path.is_file()}
    docs = tmp_path / "docs"
    assert {path.relative_to(docs).as_posix(): path.read_bytes() for path in docs.rglob("*") if path.is_file()} == files
