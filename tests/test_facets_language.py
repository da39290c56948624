"""The interface language (theme.language in mkdocs.yml) and the filter above lists of outcomes.

The English site is the session's fixture site (the project's mkdocs.yml, theme.language
en); the French one is built from a temporary copy of mkdocs.yml that differs only in
theme.language. The built sites are the subject here: MkDocs and Material translate the
navigation and the theme's own text, which generate() alone does not show.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html import unescape as html_unescape
from pathlib import Path

import pytest
import yaml

from generator.pages.labels import LABELS_FILE, load_labels
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import read_site_config
from support import FIXTURES, ROOT, write_fragment
from support import write_config as project_config

TEMPLATES = ROOT / "templates"
KENYA_STORIES = 3  # tests/fixtures/site: Marsabit, Kisumu and the Ministry of Interior
ALL_STORIES = 10


def write_config(folder: Path, language: str) -> Path:
    """A copy of the project's mkdocs.yml with another theme.language."""
    return project_config(folder, f"mkdocs-{language}.yml", theme_language=language)


@pytest.fixture(scope="module")
def sites(fixture_site, french_fixture_site) -> dict[str, Path]:
    """tests/fixtures/site built in English and in French."""
    return {"en": fixture_site.site, "fr": french_fixture_site.site}


def page(site: Path, url_path: str) -> str:
    return (site / url_path / "index.html").read_text(encoding="utf-8")


# ----------------------------------------------------------------------- languages

FRAGMENT = "fragments/demo-sah2407-gen008"  # the Ségou story: every section filled in
HEADINGS = {
    "en": [
        "Significance",
        "Contribution of the programme",
        "Other actors and factors",
        "Evidence",
        "Details",
        "Related outcomes",
    ],
    "fr": [
        "Importance",
        "Contribution du programme",
        "Autres acteurs et facteurs",
        "Éléments de preuve",
        "Détails",
        "Effets liés",
    ],
}
HOME = {
    "en": ["This site publishes the outcomes", "</strong> published outcomes", "Browse", "Newest outcomes", "All outcomes</a>, newest first",
           'Dashboard</a>: outcomes per year, country, type of change, output, social actor, significance, substantiation…, in charts',
           'Follow new outcomes with the <a href="feed.xml">Atom feed</a>, or download all published outcomes as <a href="outcomes.csv">CSV</a> or',
           '(<a href="open-data/">about the open data</a>)'],
    "fr": ["Ce site publie les effets", "</strong> effets publiés", "Parcourir", "Effets les plus récents", "Tous les effets</a>, les plus récents d&#39;abord",
           'Tableau de bord</a>\u00a0: les effets par année, pays, type de changement, produit, acteur social, importance, vérification…, en graphiques',
           'Suivez les nouveaux effets avec le <a href="feed.xml">flux Atom</a>, ou téléchargez tous les effets publiés au format <a href="outcomes.csv">CSV</a> ou',
           '(<a href="open-data/">à propos des données ouvertes</a>)'],
}  # fmt: skip
DASHBOARD = {  # the title, the intro, chart headings, descriptions, table captions and headers, bars
    "en": ["<h1>Dashboard", "The 10 published outcomes at a glance. Select a bar to see its outcomes",
           "Outcomes per year", "Outcomes per country", "Outcomes per type of change",
           "Outcomes per Results Framework output", "Positive and negative outcomes",
           "Horizontal bar chart of published outcomes per country or region, 5 bars. Highest: Kenya, 3 outcomes.",
           "<summary>Outcomes per year: table</summary>", '<th scope="col">Country or region</th><th scope="col">Outcomes</th>',
           "Output 1.1.2</a>", "Not linked to the Results Framework</a>", ">Negative<", ">Positive<",
           "Outcomes per social actor", ">Unintended<"],
    "fr": ["<h1>Tableau de bord", "Les 10 effets publiés en un coup d&#39;œil. Sélectionnez une barre pour voir ses effets",
           "Effets par année", "Effets par pays", "Effets par type de changement",
           "Effets par produit du cadre de résultats", "Effets positifs et négatifs",
           "Diagramme en barres horizontales des effets publiés par pays ou région, 5 barres. Valeur la plus élevée\u00a0: Kenya, 3 effets.",
           "<summary>Effets par année\u00a0: tableau</summary>", '<th scope="col">Pays ou région</th><th scope="col">Effets</th>',
           "Produit 1.1.2</a>", "Non lié au cadre de résultats</a>", ">Négatif<", ">Positif<",
           "Effets par acteur social", ">Non intentionnel<"],
}  # fmt: skip
OPEN_DATA = {  # field names (<code>…</code>) stay English: they are the files' format
    "en": ["<h1>Open data", "All 10 published outcomes of this site, to download and reuse",
           "gets a leading <code>&#39;</code>, so that a spreadsheet", "an Atom feed of the 50 newest outcomes",
           "Both files list the outcomes in the site&#39;s order", '<h2 id="fields">Fields',
           '<th scope="col">Field</th><th scope="col">JSON type</th><th scope="col">Meaning</th>',
           "<td><code>fragment_id</code></td><td>string</td><td>The outcome&#39;s ID in the harvest</td>",
           "<td><code>year</code></td><td>integer or null</td><td>Year in which the change was seen</td>"],
    "fr": ["<h1>Données ouvertes", "Tous les effets publiés de ce site, soit 10 effets publiés, à télécharger",
           "précédé d&#39;une apostrophe <code>&#39;</code>, pour qu&#39;un tableur", "un flux Atom des 50 effets les plus récents",
           "Les deux fichiers donnent les effets dans l&#39;ordre du site", '<h2 id="fields">Champs',
           '<th scope="col">Champ</th><th scope="col">Type JSON</th><th scope="col">Signification</th>',
           "<td><code>fragment_id</code></td><td>chaîne</td><td>Identifiant de l&#39;effet dans la récolte</td>",
           "<td><code>year</code></td><td>entier ou null</td><td>Année où le changement a été observé</td>"],
}  # fmt: skip
TAGS = {
    "en": ["<h1>Tags", "Every tag used on an outcome page: countries, objectives and types of change."],
    "fr": ["<h1>Étiquettes", "Toutes les étiquettes des pages d&#39;effets : pays, objectifs et types de changement."],
}
NAV = {
    "en": ["Dashboard", "Types of change", "Open data"],
    "fr": ["Tableau de bord", "Types de changement", "Données ouvertes"],
}
FEED_SUBTITLE = {"en": "The 50 newest published outcomes", "fr": "Les 50 effets publiés les plus récents"}


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_fragment_page_headings_follow_theme_language(sites, language):
    html = page(sites[language], FRAGMENT)
    assert f'<html lang="{language}"' in html
    assert headings(html)[: len(HEADINGS[language])] == HEADINGS[language]
    other = "fr" if language == "en" else "en"
    assert not set(HEADINGS[other]) & set(headings(html)) - set(HEADINGS[language])
    # Anchors stay the same in every language, like the paths.
    for anchor in ("outcome", "significance", "details", "related-outcomes"):
        assert f'id="{anchor}"' in html
    assert "des femmes journalistes de Ségou" in html  # the story itself is never translated


@pytest.mark.parametrize("language", ["en", "fr"])
def test_home_and_listing_text_follow_theme_language(sites, language):
    home = page(sites[language], "")
    for text in HOME[language]:
        assert text in home
    other = "fr" if language == "en" else "en"
    for text in HOME[other]:
        assert text not in home
    listing = page(sites[language], "results-framework/output-2-1-1")
    assert ("2 outcomes, newest first" if language == "en" else "2 effets, les plus récents d&#39;abord") in listing
    nav_title = "All outcomes" if language == "en" else "Tous les effets"
    assert re.search(rf'class="md-tabs__link">\s*{nav_title}\s*<', home)  # mkdocs.yml's nav, translated
    unknown = page(sites[language], "results-framework/not-linked")
    assert ("Not linked to the Results Framework" if language == "en" else "Non lié au cadre de résultats") in unknown


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("url_path, texts", [("dashboard", DASHBOARD), ("open-data", OPEN_DATA)])
def test_dashboard_and_open_data_pages_follow_theme_language(sites, language, url_path, texts):
    html = page(sites[language], url_path)
    assert f'<html lang="{language}"' in html
    for text in texts[language]:
        assert text in html, text
    other = "fr" if language == "en" else "en"
    for text in texts[other]:
        assert text not in html, text
    assert "&amp;#" not in html  # no label escaped twice


def test_dashboard_anchors_are_the_same_in_every_language(sites):
    def anchors(language: str) -> list[str]:
        return re.findall(r'<h2 id="([^"]+)"', page(sites[language], "dashboard"))

    assert anchors("en") == anchors("fr") == [
        "outcomes-on-a-map", "outcomes-per-year", "outcomes-per-country", "outcomes-per-type-of-change",
        "outcomes-per-results-framework-output", "outcomes-per-harvest", "outcomes-per-social-actor",
        "outcomes-per-scale", "outcomes-by-significance", "outcomes-by-contribution",
        "intended-and-unintended-outcomes", "positive-and-negative-outcomes", "outcomes-by-substantiation",
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
def test_nav_titles_of_mkdocs_yml_follow_theme_language(sites, language):
    home = page(sites[language], "")
    for title in NAV[language]:
        assert re.search(rf'class="md-tabs__link">\s*{title}\s*<', home), title
    other = "fr" if language == "en" else "en"
    for title in NAV[other]:
        assert not re.search(rf'class="md-tabs__link">\s*{title}\s*<', home), title


@pytest.mark.parametrize("language", ["en", "fr"])
def test_feed_subtitle_and_language_follow_theme_language(sites, language):
    feed = ET.fromstring((sites[language] / "feed.xml").read_bytes())
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert feed.findtext("{http://www.w3.org/2005/Atom}subtitle") == FEED_SUBTITLE[language]
    assert feed.findtext("{http://www.w3.org/2005/Atom}title") == "Outcome knowledge base"  # mkdocs.yml's site_name


def test_every_open_data_field_has_a_meaning_and_a_type_in_every_language():
    from generator.fields import DEFAULT_TABLE
    from generator.pages.opendata import columns

    for language in ("en", "fr"):
        labels = load_labels(TEMPLATES, language)
        for column in columns(DEFAULT_TABLE):
            assert labels[f"field_{column.name}"] and labels["type_" + column.type.replace(" ", "_")]


def test_paths_are_the_same_in_every_language(sites):
    def paths(site: Path) -> set[str]:
        return {str(p.relative_to(site)) for p in site.rglob("*.html") if not p.is_relative_to(site / "fr")}

    # The English site is the project's two-language one: its French tree (fr/) too.
    assert paths(sites["en"]) == paths(sites["fr"]) == paths(sites["en"] / "fr")


def test_every_label_has_english_and_french():
    data = yaml.safe_load((TEMPLATES / LABELS_FILE).read_text(encoding="utf-8"))
    missing = [key for key, texts in data.items() if set(texts) < {"en", "fr"}]
    assert missing == []


def test_language_falls_back_to_primary_subtag_then_english():
    assert load_labels(TEMPLATES, "fr-CA")["details"] == "Détails"
    assert load_labels(TEMPLATES, "fr_BE")["details"] == "Détails"
    assert load_labels(TEMPLATES, "de")["details"] == "Details"


def test_language_comes_from_the_mkdocs_configuration(tmp_path):
    config = write_config(tmp_path, "fr")
    assert read_site_config(config).language == "fr"
    (tmp_path / "env.yml").write_text(
        "site_name: X\ntheme:\n  name: material\n  language: !ENV [OKB_TEST_LANGUAGE, fr]\n"
    )
    assert read_site_config(tmp_path / "env.yml").language == "fr"  # as MkDocs reads it: !ENV's default
    docs = tmp_path / "docs"
    settings = Settings(contents=[FIXTURES / "site"], docs_dir=docs, config_file=config)
    generate(settings)
    assert ">Détails</h2>" in (docs / "fragments" / "demo-sah2407-gen008.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------ filter data


def facet_json(html: str) -> dict:
    match = re.search(r'<script type="application/json" class="okb-facet-data">(.*?)</script>', html, re.S)
    assert match, "no filter data in the page"
    return json.loads(match.group(1))


def filter_options(html: str, facet: str) -> list[tuple[str, str]]:
    """(value, name) of the options of the filter's select `facet`, "all" left out."""
    select = re.search(rf'<select name="{facet}">(.*?)</select>', html, re.S)
    assert select, f"no {facet} select in the page"
    options = re.findall(r'<option value="([^"]*)" data-name="([^"]*)">', select.group(1))
    return [(value, html_unescape(name)) for value, name in options]


def test_filter_names_values_in_site_language(sites):
    en_page, fr_page = page(sites["en"], "fragments"), page(sites["fr"], "fragments")
    assert ("kenya", "Kenya") in filter_options(en_page, "country")
    assert '<label>Country <select name="country">' in en_page and '<label>Pays <select name="country">' in fr_page
    assert facet_json(fr_page)["labels"]["many"] == "{n} effets affichés sur {m}"
    assert [v for v, _ in filter_options(en_page, "year")] == ["2025", "2024", "2023", "2022", "2021"]


def test_filter_data_cannot_end_its_script_element(tmp_path):
    hostile = "Togo</script><img src=x onerror=alert(1)>'&\""
    content = tmp_path / "content"
    content.mkdir()
    for n in range(6):  # the filter appears on lists of more than five
        write_fragment(content, f"story-{n}", coutnry=hostile if n == 0 else "Mali")
    docs = tmp_path / "docs"
    generate(Settings(contents=[content], docs_dir=docs))
    text = (docs / "fragments" / "index.md").read_text(encoding="utf-8")
    names = [name for _, name in filter_options(text, "country")]  # escaped in the option, whole
    assert any(name.startswith("Togo") and "onerror" in name for name in names)
    assert "<img" not in text
    body = re.search(r'class="okb-facet-data">(.*?)</script>', text, re.S).group(1)
    assert not set(body) & set("<>&'")  # tojson writes these as \u escapes
