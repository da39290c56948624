"""Countries are one list (issue 20, point 3): every spelling of a country, English or French,
with or without accents, is one country with one page, one filter entry, one chart bar and one
map shape, named in the site's language; regions are a list of their own; a value that names
neither is published as written and flagged with the nearest names.

The subject is the built site of tests/fixtures/countries/export.csv (mixed spellings:
Cameroon/Cameroun, Chad/Tchad, Côte d'Ivoire/Cote d'Ivoire/Ivory Coast, Sénégal, the typo
"Burkina", the region Sahel, and a held-back outcome in Mali), in English and in French.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from generator.normalise.places import DATA_FILE, normalise_place, places, spelling_key
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import FIXTURES, ROOT, kept_fixture_site, own_warnings, readable_text, run_cli_in_process, write_config

CONTENT = FIXTURES / "countries"
EXPORT = CONTENT / "export.csv"

# What the site shows, in each language: name → outcomes, most first (then by name).
COUNTS = {
    "en": {"Côte d'Ivoire": 3, "Cameroon": 2, "Chad": 2, "Burkina": 1, "Sahel": 1, "Senegal": 1},
    "fr": {"Côte d'Ivoire": 3, "Cameroun": 2, "Tchad": 2, "Burkina": 1, "Sahel": 1, "Sénégal": 1},
}
IN_ORDER = {  # the countries page and the filter: by name, in the site's language
    "en": ["Burkina", "Cameroon", "Chad", "Côte d'Ivoire", "Sahel", "Senegal"],
    "fr": ["Burkina", "Cameroun", "Côte d'Ivoire", "Sahel", "Sénégal", "Tchad"],
}
PAGES = {"burkina", "cameroon", "chad", "cote-d-ivoire", "sahel", "senegal"}  # the same in both languages
ON_THE_MAP = {  # the countries, drawn; Burkina (as written) and Sahel (a region) are listed beside
    "en": ["Côte d'Ivoire", "Cameroon", "Chad", "Senegal"],
    "fr": ["Côte d'Ivoire", "Cameroun", "Tchad", "Sénégal"],
}
BURKINA_WARNING = (
    f"  {EXPORT}, row 9, field 'Country': 'Burkina' is not a country or region we know; "
    "did you mean 'Burkina Faso'? Correct it, or it is published as written."
)


@pytest.fixture(scope="module")
def sites(site_cache) -> dict[str, Path]:
    """The export built in English and in French (theme.language), kept between runs."""
    return {
        language: kept_fixture_site(site_cache, f"countries-{language}", CONTENT, theme_language=language)
        for language in ("en", "fr")
    }


def page(site: Path, url_path: str) -> str:
    return (site / url_path / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def table_rows(html: str, caption_text: str) -> dict[str, int]:
    """The rows (name → count) of the dashboard's table whose heading or caption says caption_text."""
    for table in re.findall(r"<table.*?</table>", html, re.S):
        if caption_text in text_of(table):
            rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
            cells = [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S) for row in rows]
            return {
                text_of(row[0]): int(text_of(row[1])) for row in cells if len(row) == 2 and text_of(row[1]).isdigit()
            }
    raise AssertionError(f"no table with {caption_text!r}")


# --- the site: one country, one page, one entry, one bar, one shape ----------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_country_has_one_page_named_in_the_site_language(sites, language):
    site = sites[language]
    assert {path.name for path in (site / "countries").iterdir() if path.is_dir()} == PAGES
    listed = re.findall(r'<li><a href="\.\./countries/[a-z-]+/">([^<]*)</a> \((\d+) ', page(site, "countries"))
    assert [(unescape(name), int(count)) for name, count in listed] == [
        (name, COUNTS[language][name]) for name in IN_ORDER[language]
    ]
    cameroon = page(site, "countries/cameroon")
    assert (
        text_of(re.search(r"<h1[^>]*>(.*?)</h1>", cameroon, re.S)[1]) == {"en": "Cameroon", "fr": "Cameroun"}[language]
    )
    assert {"cty-001", "cty-002"} <= set(re.findall(r'href="../../fragments/(cty-\d+)/"', cameroon))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_filters_chart_map_and_home_count_agree(sites, language):
    site = sites[language]
    listing = page(site, "fragments")
    select = re.search(r'<select name="country">(.*?)</select>', listing, re.S)[1]
    options = {
        unescape(name): int(count)
        for name, count in re.findall(
            r'<option value="[^*"][^"]*" data-name="[^"]*">([^<]*) \((\d+)\)</option>', select
        )
    }
    assert options == COUNTS[language]
    assert list(options) == IN_ORDER[language]
    dashboard = page(site, "dashboard")
    country_heading = {"en": "Outcomes per country", "fr": "Effets par pays"}[language]
    assert table_rows(dashboard, country_heading) == COUNTS[language]
    map_heading = {"en": "Outcomes on a map", "fr": "Les effets sur une carte"}[language]
    assert table_rows(dashboard, map_heading) == COUNTS[language]
    areas = [unescape(label) for label in re.findall(r'aria-label="([^"]*)" class="okb-map-area', dashboard)]
    assert [label.rsplit(":", 1)[0].strip() for label in areas] == ON_THE_MAP[language]
    regions = re.search(r'<ul aria-labelledby="chart-map-regions"[^>]*>(.*?)</ul>', dashboard, re.S)[1]
    assert "Burkina" in text_of(regions) and "Sahel" in text_of(regions)
    home = text_of(page(site, ""))
    assert {"en": "6 countries and regions", "fr": "6 pays et régions"}[language] in home


def test_the_french_site_names_countries_in_french_and_the_english_site_in_english(sites):
    """The list items' meta lines and the chip on an outcome page (the story's own words may
    name the country any way: the fixture's do)."""
    for language, names in (("en", ["Cameroon", "Chad", "Senegal"]), ("fr", ["Cameroun", "Tchad", "Sénégal"])):
        metas = [
            unescape(meta)
            for meta in re.findall(r'<span class="okb-meta">([^<]*)<', page(sites[language], "fragments"))
        ]
        assert sorted({meta.split(" · ")[-1] for meta in metas}) == sorted(COUNTS[language])
        assert all(name in {meta.split(" · ")[-1] for meta in metas} for name in names)
        chad = page(sites[language], "fragments/cty-004")  # written "Tchad"
        assert re.search(r'<a class="okb-chip" href="../../countries/chad/"[^>]*>([^<]*)</a>', chad)[1] == names[1]


def test_a_held_back_country_appears_nowhere(sites):
    for site in sites.values():
        everything = " ".join(
            readable_text(path.read_bytes()) + path.name for path in sorted(site.rglob("*")) if path.is_file()
        )
        assert "Mali" not in everything and "Bamako" not in everything


# --- the report -------------------------------------------------------------------------------


def test_check_flags_the_unknown_value_once_with_the_nearest_name():
    result = run_cli_in_process("check", "--content", str(CONTENT))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert BURKINA_WARNING in lines
    warnings = lines[lines.index(next(line for line in lines if line.startswith("Warnings: "))) + 1 :]
    # every other spelling is a country or a region we know
    assert own_warnings(line for line in warnings if line.startswith("  ")) == [BURKINA_WARNING]


# --- matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "key", "english", "french"),
    [
        ("Cameroun", "CM", "Cameroon", "Cameroun"),
        ("  CAMEROON ", "CM", "Cameroon", "Cameroun"),
        ("Tchad", "TD", "Chad", "Tchad"),
        ("Cote d’Ivoire", "CI", "Côte d'Ivoire", "Côte d'Ivoire"),
        ("Ivory Coast", "CI", "Côte d'Ivoire", "Côte d'Ivoire"),
        ("sénégal", "SN", "Senegal", "Sénégal"),
        ("DRC", "CD", "Democratic Republic of the Congo", "République démocratique du Congo"),
        ("RDC", "CD", "Democratic Republic of the Congo", "République démocratique du Congo"),
        ("Congo-Kinshasa", "CD", "Democratic Republic of the Congo", "République démocratique du Congo"),
        ("Congo Brazzaville", "CG", "Republic of the Congo", "République du Congo"),
        ("Tanzania, United Republic of", "TZ", "Tanzania", "Tanzanie"),
        ("The Gambia", "GM", "Gambia", "Gambie"),
        ("Kosovo", "XK", "Kosovo", "Kosovo"),
        ("Afrique de l'Ouest", "region-west-africa", "West Africa", "Afrique de l'Ouest"),
        ("Multi-country", "region-global", "Global", "Mondial"),
        ("sahel", "region-sahel", "Sahel", "Sahel"),
    ],
)
def test_a_spelling_names_one_place_with_its_short_names(spelling, key, english, french):
    term, message = normalise_place(spelling)
    assert message is None
    assert (term.key, term.label("en"), term.label("fr")) == (key, english, french)


def test_a_country_page_follows_its_english_name_and_a_region_its_own():
    assert normalise_place("Côte d'Ivoire")[0].page_slug == "cote-d-ivoire"
    assert normalise_place("Tchad")[0].page_slug == "chad"
    assert normalise_place("Afrique de l'Ouest")[0].page_slug == "west-africa"


def test_a_value_that_names_nothing_is_published_as_written_with_a_message():
    term, message = normalise_place("Seneggal")
    assert (term.label("en"), term.label("fr"), term.page_slug) == ("Seneggal", "Seneggal", "seneggal")
    assert message == (
        "'Seneggal' is not a country or region we know; did you mean 'Senegal'? Correct it, or it is published as written."
    )
    assert normalise_place("Atlantis")[1] == (
        "'Atlantis' is not a country or region we know. Correct it, or it is published as written."
    )
    assert normalise_place("   ") == (None, None)


def test_no_spelling_names_two_places():
    """places.yml's other names, regions and ISO's names never claim one spelling twice
    (the first would silently win)."""
    data = yaml.safe_load((ROOT / "generator" / "data" / DATA_FILE).read_text(encoding="utf-8"))
    known = places()
    claims: dict[str, set[str]] = {}
    for code, names in data["other_names"].items():
        for name in names:
            claims.setdefault(spelling_key(name), set()).add(code)
    for region in data["regions"]:
        for name in (region["en"], region["fr"], *region["other_names"]):
            claims.setdefault(spelling_key(name), set()).add(region["key"])
    clashes = {
        spelling: keys | {known.spellings[spelling]}
        for spelling, keys in claims.items()
        if len(keys | {known.spellings[spelling]}) > 1
    }
    assert clashes == {}


@pytest.mark.parametrize(("language", "chad"), [("en", "Chad"), ("fr", "Tchad")])
def test_search_filters_name_a_country_in_the_site_language(tmp_path, language, chad):
    config = write_config(tmp_path, theme_language=language)
    report = generate(Settings(contents=[CONTENT], docs_dir=tmp_path / "docs", config_file=config), write=False)
    filters = {record.url.rstrip("/").rsplit("/", 1)[-1]: record.filters for record in report.search_records}
    country = {"en": "Country", "fr": "Pays"}[language]
    assert filters["cty-003"][country] == filters["cty-004"][country] == (chad,)
