"""Each outcome's text in its own language (issue 22, 3), and counts and dates in the site's
language (issue 22, 2): on the generated pages of small fixtures, English and French sites."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from generator.fields import DEFAULT_TABLE
from generator.pages.labels import load_labels
from generator.pages.language_forms import date_filter, number_filter
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import SiteConfig
from support import ROOT, write_fragment

FRENCH = "Depuis 2023, les défenseurs des droits sont écoutés par le conseil."
ENGLISH = "Since 2023, the council listens to human rights defenders."


def generated(tmp_path: Path, language: str) -> tuple[dict[str, str], list[str]]:
    content = tmp_path / "content"
    content.mkdir()
    write_fragment(content, "fr-1", Outcome_description=FRENCH, Language="Français", Year="2024")
    write_fragment(content, "en-1", Outcome_description=ENGLISH, Language="en", Significance="It matters.")
    write_fragment(content, "xx-1", Language="Deutsch")
    docs = tmp_path / "docs"
    report = generate(
        Settings(
            contents=[content], docs_dir=docs, site=SiteConfig("Langs", "https://example.org/langs/", language=language)
        )
    )
    pages = {path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8") for path in docs.rglob("*.md")}
    return pages, [str(problem) for problem in report.problems]


@pytest.mark.parametrize(
    ("language", "other", "text", "own", "mark", "name"),
    [("en", "fr-1", FRENCH, "en-1", "FR", "En français"), ("fr", "en-1", ENGLISH, "fr-1", "EN", "In English")],
)
def test_an_outcome_in_the_other_language_is_marked_with_it(tmp_path, language, other, text, own, mark, name):
    pages, _ = generated(tmp_path, language)
    code = mark.lower()
    page = pages[f"fragments/{other}.md"]
    assert f'<h1 class="okb-statement" id="outcome" lang="{code}">{text}</h1>' in page
    # in its own language's page, no mark
    assert '<h1 class="okb-statement" id="outcome">' in pages[f"fragments/{own}.md"]
    expected_mark = (
        f' <span class="okb-lang" lang="{code}"><span aria-hidden="true">{mark}</span>'
        f'<span class="okb-visually-hidden">{name}</span></span>'
    )
    for listing in ("fragments/index.md", "index.md"):
        html = pages[listing]
        assert f'lang="{code}">{text}</a>{expected_mark}' in html, listing
        assert html.count(expected_mark) == 1, listing
    # the unknown language falls back to the site's: no mark
    assert '<h1 class="okb-statement" id="outcome">' in pages["fragments/xx-1.md"]


def test_an_english_outcome_on_a_french_site_marks_its_sections(tmp_path):
    pages, _ = generated(tmp_path, "fr")
    assert '<div class="okb-text" lang="en">\n<p>It matters.</p>' in pages["fragments/en-1.md"]


def test_an_unknown_language_is_a_warning_by_place_and_the_site_language_applies(tmp_path):
    _, problems = generated(tmp_path, "en")
    assert [problem for problem in problems if "Deutsch" in problem] == [
        f"{tmp_path / 'content' / 'xx-1.txt'}, line 6, field 'Language': 'Deutsch' is not a language this site "
        "knows; write en (English) or fr (French). Until then the outcome is taken to be in the site's language"
    ]


def test_the_language_field_reads_every_spelling():
    normalise = DEFAULT_TABLE["language"].normalise
    for text, code in (("fr", "fr"), ("Français", "fr"), ("FRANCAIS", "fr"), ("French", "fr"), ("Anglais", "en")):
        assert normalise(text) == (code, None)
    assert normalise("") == (None, None)
    assert DEFAULT_TABLE.key_for("Langue") == "language"


def test_counts_and_dates_in_the_site_language():
    assert number_filter("fr")(1234) == "1\u202f234" and number_filter("en")(1234) == "1,234"
    assert number_filter("fr")(12) == "12"
    assert date_filter("fr")(datetime.date(2026, 12, 5)) == "5 décembre 2026"
    assert date_filter("en")(datetime.date(2026, 12, 5)) == "December 5, 2026"


def test_french_interface_text_has_a_no_break_space_before_high_punctuation():
    french = load_labels(ROOT / "templates", "fr")
    offenders = {
        key: text
        for key, text in french.items()
        if isinstance(text, str) and any(f" {mark}" in text for mark in ":;?!")
    }
    assert not offenders
    assert french["colon"] == "\u00a0: "
    assert "Langue dans laquelle l'effet est rédigé\u00a0:" in french["field_language"]
