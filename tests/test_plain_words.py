"""Plain words on the page (issue 20, point 9): readers see "Outcome ID", never "Fragment
ID"; a Results Framework chip and the Details name the output's label beside its code; the
column names of the harvest exports ("MCQType of change", "Link to SCC Specific
Objectives", "Outcome statements is CONFIDENTIAL", …) appear on no page.

Checked on every page generate() writes from the golden content (tests/golden/content/),
English and French, and on the built fixture site's HTML. The open-data page may name its
columns by their open-data keys (`fragment_id`, in <code>): those are left out of the check."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from generator.fields import DEFAULT_TABLE
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import SiteConfig
from support import ROOT

CONTENT = Path(__file__).resolve().parent / "golden" / "content"
LABELS = yaml.safe_load((ROOT / "templates" / "labels.yml").read_text(encoding="utf-8"))

EXPECTED = {
    "en": {
        "id": "<dt>Outcome ID</dt><dd>GOLD-FULL/001</dd>",
        "chip": '<a class="okb-chip" href="../../results-framework/output-1-1-2/" '
        'title="Dialogue between defenders and security forces">'
        "Output 1.1.2: Dialogue between defenders and security forces</a>",
        "details": '<dt>Results Framework</dt><dd><a href="../../results-framework/outcome-1-1/">Outcome 1.1</a>'
        " — Human rights defenders work more safely<br>"
        '<a href="../../results-framework/output-1-1-2/">Output 1.1.2</a>'
        " — Dialogue between defenders and security forces</dd>",
    },
    "fr": {
        "id": "<dt>Identifiant de l&#39;effet</dt><dd>GOLD-FULL/001</dd>",
        "chip": '<a class="okb-chip" href="../../results-framework/output-1-1-2/" '
        'title="Dialogue between defenders and security forces">'
        "Produit 1.1.2\u00a0: Dialogue between defenders and security forces</a>",
        "details": '<dt>Cadre de résultats</dt><dd><a href="../../results-framework/outcome-1-1/">Effet 1.1</a>'
        " — Human rights defenders work more safely<br>"
        '<a href="../../results-framework/output-1-1-2/">Produit 1.1.2</a>'
        " — Dialogue between defenders and security forces</dd>",
    },
}


def internal_names() -> list[str]:
    """Every column name of the field table that is not also words of the interface (such as
    "Country", or "Confidential" in the footer's sentence): the names a harvest export uses,
    which readers should never see."""
    interface = [
        str(text).casefold() for texts in LABELS.values() if isinstance(texts, dict) for text in texts.values()
    ]
    names = {name for entry in DEFAULT_TABLE for name in entry.names}
    return sorted(name for name in names if not any(name.casefold() in text for text in interface))


def visible_text(relative: str, data: str) -> str:
    """What a reader sees of a generated page: its title and its text, with the tooltips and
    accessible names; not its front matter's keys, addresses (the cite line's, the feed's) or
    its comments."""
    title = ""
    if data.startswith("---\n"):
        front, _, data = data[4:].partition("\n---\n")
        title = str((yaml.safe_load(front) or {}).get("title", ""))
    data = re.sub(r"<!--.*?-->", " ", data, flags=re.S)
    if relative == "open-data.md":  # its columns by their open-data keys, in <code>
        data = re.sub(r"<code>.*?</code>", " ", data, flags=re.S)
    attributes = re.findall(r'\b(?:title|aria-label|alt)="([^"]*)"', data)
    data = re.sub(r"\]\([^)]*\)", "]", data)  # Markdown links: their text only
    data = re.sub(r"<[^>]+>", " ", data)
    text = html.unescape("\n".join([title, *attributes, data]))
    return re.sub(r"https?://\S+", " ", text)


@pytest.fixture(scope="module", params=["en", "fr"])
def generated(request, tmp_path_factory) -> tuple[str, dict[str, str]]:
    language = request.param
    docs = tmp_path_factory.mktemp(f"plain-{language}") / "docs"
    site = SiteConfig(name="Plain words", url="https://example.org/plain/", language=language)
    generate(Settings(contents=[CONTENT], docs_dir=docs, site=site, project_content=CONTENT))
    pages = {
        path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(docs.rglob("*"))
        if path.suffix in (".md", ".xml") and not path.relative_to(docs).as_posix().startswith("assets/")
    }
    return language, pages


def test_the_internal_names_checked_include_the_known_offenders():
    names = internal_names()
    for name in (
        "MCQType of change",
        "Link to SCC Specific Objectives",
        "Outcome statements is CONFIDENTIAL",
        "FragmentID",
    ):
        assert name in names


def test_a_fragment_page_says_outcome_id_and_names_each_output_with_its_label(generated):
    language, pages = generated
    page = pages["fragments/gold-full-001.md"]
    for expected in EXPECTED[language].values():
        assert expected in page


def test_no_page_says_fragment_or_shows_a_column_name_of_the_exports(generated):
    language, pages = generated
    assert "open-data.md" in pages and "index.md" in pages and "dashboard.md" in pages
    names = internal_names()
    found = []
    for relative, data in pages.items():
        text = visible_text(relative, data)
        found += [(relative, word) for word in re.findall(r"\w*fragment\w*", text, flags=re.I)]
        found += [(relative, name) for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    assert not found, f"the {language} site shows internal words: {found}"


def test_the_built_site_shows_outcome_id_the_output_label_and_no_internal_name(fixture_site):
    page = fixture_site.page("fragments/demo-eha2201-pea003")
    assert "<dt>Outcome ID</dt>" in page and "Fragment ID" not in page
    assert ">Output 2.1.1: Local mediators supported</a>" in page
    assert ">Output 2.1.1</a> — Local mediators supported</dd>" in page
    names = internal_names()
    for path in sorted(fixture_site.site.rglob("*.html")):
        text = visible_text("", path.read_text(encoding="utf-8"))
        shown = [name for name in names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
        assert not shown, (path.relative_to(fixture_site.site).as_posix(), shown)
