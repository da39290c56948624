"""Golden files: the Markdown (and data files) generated from a small fixture project.

tests/golden/content/ is a project of four fragments: one with every field, a minimal
one, a confidential one, and a spreadsheet with one public and one confidential row.
tests/golden/expected/<language>/ is the docs folder generate() writes from it, file for
file, for an English and a French site. A change to the templates, labels or generator
shows here as a readable diff of the pages, in the test's failure and in review.

The site's own style sheets and scripts (templates/assets/) are copied into docs/assets/
(the search script with its labels filled in, which tests/test_search_index.py checks);
the golden files leave them out, so that a change of style or script does not rewrite them,
and a test checks they are all there and copied unchanged.

After a change that is meant to alter the pages, regenerate them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from generator.fields import DEFAULT_TABLE
from generator.publish.build_types import Settings
from generator.publish.generate import generate, generate_languages
from generator.publish.search import SEARCH_SCRIPT
from generator.site_config import SiteConfig
from support import ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
CONTENT = GOLDEN / "content"
EXPECTED = GOLDEN / "expected"
ASSETS = ROOT / "templates" / "assets"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
# Fixed settings, not mkdocs.yml: its site_url follows $SITE_URL, and the golden files must
# not depend on where the tests run.
SITES = {
    "en": SiteConfig(name="Golden knowledge base", url="https://example.org/golden/", language="en"),
    "fr": SiteConfig(name="Golden knowledge base", url="https://example.org/golden/", language="fr"),
}
# The project's default site is in both languages (mkdocs.yml: languages [en, fr]): English at
# the root, French under fr/, each language generated into its own docs folder with the site's
# address + fr/ (generator/publish/sequence.py). Its English tree is expected/en/ file for
# file; of its French tree, a few representative pages are golden (expected/en-fr/fr/): the
# rest is expected/fr/'s, and tests/test_bilingual.py checks the built twins.
BILINGUAL = "en-fr"
FRENCH_TWINS = (
    "index.md",
    "dashboard.md",
    "fragments/index.md",
    "fragments/gold-full-001.md",
    "countries/mali.md",
    "open-data.md",
    "feed.xml",
    "outcomes.json",
)
# Text of the confidential fragment and row: it must be in no generated file.
HELD_BACK = [
    "CANARY-GOLDEN",
    "GOLD-SECRET",
    "gold-secret",
    "GOLD-CSV/005",
    "gold-csv-005",
    "Atlantis",
    "atlantis",
    "Lemuria",
    "lemuria",
    "1999",
]


def generated_files(docs: Path) -> dict[str, bytes]:
    """The docs folder by path, without the copies of templates/assets/."""
    return {
        path.relative_to(docs).as_posix(): path.read_bytes()
        for path in sorted(docs.rglob("*"))
        if path.is_file() and not path.relative_to(docs).as_posix().startswith("assets/")
    }


def differences(expected: dict[str, bytes], actual: dict[str, bytes], limit: int = 200) -> str:
    """What differs, as a reviewer reads it: missing and extra files, then unified diffs."""
    lines = [f"missing file: {path}" for path in sorted(expected.keys() - actual.keys())]
    lines += [f"unexpected file: {path}" for path in sorted(actual.keys() - expected.keys())]
    for path in sorted(expected.keys() & actual.keys()):
        if expected[path] == actual[path]:
            continue
        old = expected[path].decode("utf-8", "replace").splitlines()
        new = actual[path].decode("utf-8", "replace").splitlines()
        if old == new:
            lines.append(f"{path}: only line endings or the final newline differ")
        lines += difflib.unified_diff(old, new, f"golden/{path}", f"generated/{path}", lineterm="")
    if len(lines) > limit:
        lines = [*lines[:limit], f"… and {len(lines) - limit} more lines"]
    return "\n".join(lines)


def write_golden(folder: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@pytest.fixture(scope="module", params=sorted(SITES))
def generated(request, tmp_path_factory) -> tuple[str, Path]:
    """generate() of the golden content for one language, into a fresh docs folder."""
    language = request.param
    docs = tmp_path_factory.mktemp(f"golden-{language}") / "docs"
    settings = Settings(contents=[CONTENT], docs_dir=docs, site=SITES[language], project_content=CONTENT)
    report = generate(settings)
    assert report.published == 3  # every-field, minimal and the public row of export.csv
    return language, docs


def test_generated_docs_are_the_golden_files(generated):
    language, docs = generated
    actual = generated_files(docs)
    if UPDATE:
        write_golden(EXPECTED / language, actual)
    expected = generated_files(EXPECTED / language) if (EXPECTED / language).is_dir() else {}
    diff = differences(expected, actual)
    assert not diff, (
        f"The docs generated for the '{language}' site differ from tests/golden/expected/{language}/.\n"
        "If the change is meant, regenerate the golden files and review their diff:\n"
        "    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py && git diff tests/golden/\n\n" + diff
    )


def test_the_site_assets_are_all_copied_unchanged(generated):
    _language, docs = generated
    sources = {path.relative_to(ASSETS).as_posix() for path in ASSETS.rglob("*") if path.is_file()}
    copied = {path.relative_to(docs / "assets").as_posix() for path in (docs / "assets").rglob("*") if path.is_file()}
    assert copied == sources
    for name in sources - {SEARCH_SCRIPT.removeprefix("assets/")}:  # the search script gets its labels
        assert (docs / "assets" / name).read_bytes() == (ASSETS / name).read_bytes(), name


def test_the_golden_files_hold_nothing_of_the_confidential_fragment_or_row():
    """Checked on the checked-in files too, so that a regeneration cannot bless a leak."""
    for language in (*SITES, f"{BILINGUAL}/fr"):
        for relative, data in generated_files(EXPECTED / language).items():
            text = relative + "\n" + data.decode("utf-8", "replace")
            for secret in HELD_BACK:
                assert secret not in text, (language, relative, secret)


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> dict[str, Path]:
    """The golden content generated for the two-language site as the publish sequence does it
    (generate_languages: read and normalised once, then each language into its own docs folder
    with its own address): language → docs folder. Its pages are those of a generation of
    each language on its own (expected/en/, and the French twins generated so)."""
    folder = tmp_path_factory.mktemp("golden-bilingual")
    made, languages = {}, []
    for language, address in (("en", "https://example.org/golden/"), ("fr", "https://example.org/golden/fr/")):
        site = SiteConfig(name="Golden knowledge base", url=address, language=language)
        made[language] = folder / ("docs" if language == "en" else ".docs.fr")
        languages.append(
            Settings(
                contents=[CONTENT], docs_dir=made[language], site=site, project_content=CONTENT, languages=("en", "fr")
            )
        )
    assert [report.published for report in generate_languages(languages)] == [3, 3]
    return made


def test_a_two_language_sites_english_tree_is_the_one_language_sites(bilingual):
    assert not differences(generated_files(EXPECTED / "en"), generated_files(bilingual["en"]))


def test_a_two_language_sites_french_twins_are_the_golden_files(bilingual):
    actual = {path: data for path, data in generated_files(bilingual["fr"]).items() if path in FRENCH_TWINS}
    assert sorted(actual) == sorted(FRENCH_TWINS)
    folder = EXPECTED / BILINGUAL / "fr"
    if UPDATE:
        write_golden(folder, actual)
    diff = differences(generated_files(folder) if folder.is_dir() else {}, actual)
    assert not diff, (
        f"The French pages of the two-language site differ from tests/golden/expected/{BILINGUAL}/fr/.\n"
        "If the change is meant, regenerate the golden files and review their diff:\n"
        "    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py && git diff tests/golden/\n\n" + diff
    )


def test_the_golden_content_has_one_fragment_with_every_field():
    """The 'every field' fragment names each field of the table: a field added later must be
    added to it, so that its place on the page is in the golden files."""
    text = (CONTENT / "fragments" / "every-field.txt").read_text(encoding="utf-8")
    missing = [entry.name for entry in DEFAULT_TABLE if f"**{entry.name}**:" not in text]
    assert not missing, f"add these fields to tests/golden/content/fragments/every-field.txt: {missing}"
