"""The search index of the built fixture site (Pagefind, generator/publish/search.py).

Pagefind's files are gzip-compressed, after a "pagefind_dcd" signature: fragment files
hold each page's URL, indexed text and filters as JSON; index and filter files hold
the (stemmed) words in CBOR. Decompressed, all of them can be checked as bytes.
"""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from generator.pages.labels import load_labels
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.publish.search import rendered_record_pages
from generator.site_config import SiteConfig
from support import (
    CONFIDENTIAL_ONLY,
    MAX_FRAGMENT_RECORD,
    MAX_INDEX_PER_FRAGMENT,
    PUBLIC_IDS,
    ROOT,
    decoded,
    index_files,
    kept_two_language_build,
    records,
    slug,
)


def test_material_builtin_index_is_not_written(fixture_site):
    # Material's search would make every visitor download the whole index first.
    assert not (fixture_site.site / "search" / "search_index.json").exists()
    assert (fixture_site.site / "pagefind" / "pagefind.js").is_file()
    assert (fixture_site.site / "assets" / "okb-search.js").is_file()
    assert "assets/okb-search.js" in fixture_site.page("")


def test_search_script_starts_in_the_head_and_knows_the_index(fixture_site):
    # On a slow phone Pagefind's files start downloading as soon as the style sheet is
    # there, and the search box appears with the header, not after Material's bundle has
    # run: the script is in <head> (templates/theme/main.html).
    home = fixture_site.page("")
    assert home.index('<script src="assets/okb-search.js"></script>') < home.index("</head>")
    assert home.count("assets/okb-search.js") == 1
    # The index's metadata file is named in the script, so it is fetched without waiting
    # for pagefind-entry.json first.
    entry = json.loads((fixture_site.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    script = (fixture_site.site / "assets" / "okb-search.js").read_text(encoding="utf-8")
    written = script.split("const INDEX_LANGUAGES = ", 1)[1].split(";", 1)[0]
    assert json.loads(written) == entry["languages"]
    (language,) = entry["languages"].values()
    assert (fixture_site.site / "pagefind" / f"pagefind.{language['hash']}.pf_meta").is_file()
    assert (fixture_site.site / "pagefind" / f"wasm.{language['wasm']}.pagefind").is_file()


def test_every_public_fragment_and_nothing_else_is_indexed(fixture_site):
    urls = sorted(record["url"] for record in records(fixture_site.site))
    assert urls == sorted(f"/fragments/{slug(i)}/" for i in PUBLIC_IDS)


def test_records_hold_the_story_not_the_details(fixture_site):
    by_url = {record["url"]: record for record in records(fixture_site.site)}
    marsabit = by_url["/fragments/demo-eha2201-pea003/"]
    assert marsabit["meta"]["title"].startswith("Since 2022, county peace committees in Marsabit")
    assert "Marsabit" in marsabit["content"]
    niamey = by_url["/fragments/demo-sah2302-civ002/"]
    assert "défenseurs" in niamey["content"]
    for record in by_url.values():
        # Details, Related outcomes and the links above the story are not searched
        assert "Outcome ID" not in record["content"] and "Related outcomes" not in record["content"]
        assert "DEMO-" not in record["content"]


def test_filters_are_the_facets(fixture_site):
    by_url = {record["url"]: record for record in records(fixture_site.site)}
    filters = by_url["/fragments/demo-sah2302-civ002/"]["filters"]
    assert filters["Country"] == ["Niger"]
    assert filters["Objective"] == ["CIV: Less suppression of civic space"]
    assert sorted(filters["Type of change"]) == ["Relationship and collaboration", "Safety and Security"]
    assert filters["Year"] == ["2023"]


def test_no_confidential_text_in_any_index_file(fixture_site):
    everything = b"\n".join(decoded(path) for path in index_files(fixture_site.site)).decode("utf-8", "replace")
    assert "Marsabit" in everything  # the decoding works
    leaked = [word for word in CONFIDENTIAL_ONLY if word in everything]
    assert leaked == []
    assert "atlanti" not in everything.lower()  # nor its stem


def test_index_is_small(fixture_site):
    site = fixture_site.site
    sizes = {p.name: p.stat().st_size for p in (site / "pagefind" / "fragment").glob("*.pf_fragment")}
    assert max(sizes.values()) <= MAX_FRAGMENT_RECORD, sizes
    total = sum(p.stat().st_size for p in index_files(site))
    assert total / len(PUBLIC_IDS) <= MAX_INDEX_PER_FRAGMENT, total


# ------------------------------------------------------------ the search script's interface text

SCRIPT_SOURCE = Path(__file__).resolve().parent.parent / "templates" / "assets" / "okb-search.js"
TEMPLATES = SCRIPT_SOURCE.parent.parent


def written_strings(script: str) -> dict:
    line = next(line for line in script.splitlines() if "const STRINGS = " in line)
    return json.loads(line.split("const STRINGS = ", 1)[1].rsplit(";", 1)[0])


def test_search_script_gets_the_search_labels_in_the_site_language():
    from generator.fields import FieldTable
    from generator.pages.labels import load_labels
    from generator.publish.search import filter_names, search_script

    source = SCRIPT_SOURCE.read_text(encoding="utf-8")
    english = written_strings(search_script(source, load_labels(TEMPLATES, "en")))
    french = written_strings(search_script(source, load_labels(TEMPLATES, "fr")))
    assert english["search_label"] == "Search" and french["search_label"] == "Rechercher"
    # French agreement: one "all" text per filter, found by the filter's name in the index
    assert french["facets"] == {
        "Pays": "country",
        "Objectif": "objective",
        "Type de changement": "change_type",
        "Année": "year",
        "Période de récolte": "harvest_period",
        "Acteur social": "social_actor",
        "Échelle": "scale",
        "Importance": "filter_significance",
        "Contribution": "filter_contribution",
        "Intentionnel ou non": "filter_intent",
        "Positif ou négatif": "filter_polarity",
        "Vérification": "substantiation",
    }
    assert french["search_all_country"] == "Pays\u00a0: tous" and french["search_all_year"] == "Année\u00a0: toutes"
    assert english["search_count"] == "{n} matching documents"
    # only the search_ labels (and the facets and the filters' order), nothing else of labels.yml
    assert all(key.startswith("search_") for key in english if key not in ("facets", "filter_order"))
    # the filters' order is given: Pagefind gives them alphabetically, in another order in each language
    table = FieldTable()
    assert written_strings(
        search_script(source, load_labels(TEMPLATES, "fr"), filter_names(table, load_labels(TEMPLATES, "fr")))
    )["filter_order"][:4] == ["Pays", "Objectif", "Type de changement", "Année"]
    # a language without labels gets English (load_labels' fallback)
    assert written_strings(search_script(source, load_labels(TEMPLATES, "de"))) == english


def test_every_label_the_search_script_uses_is_in_labels_yml_in_english_and_french():
    import re

    import yaml

    source = SCRIPT_SOURCE.read_text(encoding="utf-8")
    used = set(re.findall(r'text\(\s*"(search_\w+)"', source))  # and `search_all_${facet}`: below
    assert {"search_label", "search_dialog", "search_preview", "search_count", "search_none"} <= used, used
    labels = yaml.safe_load((TEMPLATES / "labels.yml").read_text(encoding="utf-8"))
    for key in sorted(used):
        assert key in labels and {"en", "fr"} <= set(labels[key]), key
    for key in ("country", "objective", "change_type", "year"):  # one "all" text per filter
        assert {"en", "fr"} <= set(labels[f"search_all_{key}"]), key


def test_search_labels_cannot_end_the_script():
    from generator.publish.search import search_script

    source = SCRIPT_SOURCE.read_text(encoding="utf-8")
    labels = {"search_label": "</script><script>alert(1)</script> & <!--", "search_none": "a\u2028b", "title": "x"}
    script = search_script(source, labels)
    line = next(line for line in script.splitlines() if "const STRINGS = " in line)
    for unsafe in ("<", ">", "&", "\u2028"):
        assert unsafe not in line, unsafe
    strings = written_strings(script)
    assert strings["search_label"] == labels["search_label"] and strings["search_none"] == "a\u2028b"
    assert "title" not in strings
    # the rest of the script is untouched
    assert script.replace(line, "") == source.replace(
        next(line for line in source.splitlines() if "const STRINGS = " in line), ""
    )


def test_search_script_without_its_placeholder_is_an_error():
    import pytest

    from generator.errors import BuildError
    from generator.publish.search import search_script

    with pytest.raises(BuildError, match="const STRINGS"):
        search_script("console.log('no placeholder');", {"search_label": "Search"})


# ------------------------------------------------------------------ two languages (issue 22, 3)


@pytest.fixture(scope="module")
def two_languages(site_cache):
    return kept_two_language_build(site_cache)


def _by_title_start(site: Path) -> dict[str, dict]:
    return {record["meta"]["title"].split(",")[0]: record for record in records(site)}


def test_each_site_language_has_its_own_index_holding_every_outcome(two_languages):
    site = two_languages.site
    for index in (site / "pagefind", site / "fr" / "pagefind"):
        entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
        # one index per site, in the site's language: every outcome, whatever its own
        # language, is stemmed as the query typed on that site is, so "défenseurs" finds the
        # French outcome from the English site too
        assert list(entry["languages"]) == ["fr" if index.parent.name == "fr" else "en"]
        assert entry["languages"][next(iter(entry["languages"]))]["page_count"] == 2
    assert sorted(_by_title_start(site)) == ["En 2024", "Since 2024"]
    assert sorted(_by_title_start(site / "fr")) == ["En 2024", "Since 2024"]


def test_a_record_in_another_language_than_the_site_carries_its_mark(two_languages):
    english = _by_title_start(two_languages.site)
    assert {key: english["En 2024"]["meta"][key] for key in ("lang", "lang_mark", "lang_name")} == {
        "lang": "fr",
        "lang_mark": "FR",
        "lang_name": "En français",
    }
    assert "lang" not in english["Since 2024"]["meta"]
    french = _by_title_start(two_languages.site / "fr")
    assert {key: french["Since 2024"]["meta"][key] for key in ("lang", "lang_mark", "lang_name")} == {
        "lang": "en",
        "lang_mark": "EN",
        "lang_name": "In English",
    }
    assert "lang" not in french["En 2024"]["meta"]
    # the mark is not searched: only the story is
    assert "En français" not in english["En 2024"]["content"]


def test_the_search_script_of_each_language_speaks_it_and_names_a_stable_cache_tag(two_languages):
    site = two_languages.site
    english = (site / "assets" / "okb-search.js").read_text(encoding="utf-8")
    french = (site / "fr" / "assets" / "okb-search.js").read_text(encoding="utf-8")
    labels = {language: load_labels(ROOT / "templates", language) for language in ("en", "fr")}
    assert json.dumps(labels["en"]["search_label"]) in english
    assert json.dumps(labels["fr"]["search_label"], ensure_ascii=False) in french
    assert labels["en"]["search_label"] != labels["fr"]["search_label"]
    # the entry's cache tag comes from the index (not the time of each page load)
    assert "metaCacheTag: tag" in english
    assert "index.hash" in english.split("const tag =", 1)[1].split(";", 1)[0]


def test_another_languages_generation_writes_its_search_pages_itself_as_pagefind_is_given_them(tmp_path):
    """A language generated in a forked helper (Settings.search_pages) writes its records'
    pages for Pagefind itself, instead of sending the records to the build's process to be
    made into pages there: the same pages, one per published outcome, and no records back."""
    content = ROOT / "tests" / "golden" / "content"
    site = SiteConfig(name="Golden knowledge base", url="https://example.org/golden/fr/", language="fr")
    settings = Settings(contents=[content], docs_dir=tmp_path / "docs", site=site, project_content=content)
    handed_back = generate(settings, reuse=False)
    pages = tmp_path / "work" / "pages"
    written = generate(replace(settings, docs_dir=tmp_path / "docs-2", search_pages=pages), reuse=False)
    assert (written.search_records, written.search_pages) == ([], pages)
    expected = rendered_record_pages(handed_back.search_records, "fr")
    assert len(expected) == handed_back.published == 3
    assert {path.relative_to(pages).as_posix(): path.read_text(encoding="utf-8") for path in pages.rglob("*.html")} == (
        expected
    )
