"""Issue 21, points 1 and 2: every analytic field is a way in, and substantiation.

Social actor, scale, the two ratings, the harvest period, intended or not, positive or
negative and substantiation are facets of the field table (generator/fields.py): a chip on
the outcome's page, a select of the listings' filter with its counts, a search filter, a
page per value and a dashboard chart, wherever some published outcome gives them a value,
and nowhere when none does. The generated pages are the subject (generate(), no engine).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import write_config, write_fragment

# Seven public outcomes; one held back whose values must show nowhere.
OUTCOMES = [
    dict(
        name="a1",
        Social_actor="Women traders",
        Scale="Local",
        Rating_significance="large",
        Rating_contribution="high",
        OH_harvesting_period="harvest 1",
        The_change_was_unintended="NO",
        Outcome_is_negative="NO",
        Substantiation="substantiated",
        Substantiator="an independent journalist",
    ),
    dict(
        name="a2",
        Social_actor="Women traders",
        Scale="Local",
        Rating_significance="large",
        Rating_contribution="high",
        OH_harvesting_period="harvest 1",
        The_change_was_unintended="YES",
        Outcome_is_negative="NO",
        Substantiation="Substantiated",
    ),
    dict(
        name="a3",
        Social_actor="Women traders",
        Scale="National",
        Rating_significance="medium",
        Rating_contribution="high",
        OH_harvesting_period="harvest 1",
        The_change_was_unintended="YES",
        Outcome_is_negative="YES",
        Substantiation="Partiellement vérifié",
    ),
    dict(
        name="a4",
        Social_actor="District council",
        Scale="National",
        Rating_significance="medium",
        Rating_contribution="low",
        OH_harvesting_period="harvest 2",
        The_change_was_unintended="NO",
        Outcome_is_negative="NO",
        Substantiation="partly substantiated",
    ),
    dict(
        name="a5",
        Social_actor="District council",
        Scale="Local",
        Rating_significance="small",
        Rating_contribution="low",
        OH_harvesting_period="harvest 2",
        The_change_was_unintended="NO",
        Outcome_is_negative="NO",
        Substantiation="not yet",
    ),
    dict(name="a6", Scale="Local", Rating_significance="small", The_change_was_unintended="NO"),
    dict(name="a7", Outcome_is_negative="NO"),
]
HELD_BACK = dict(
    name="h1",
    Social_actor="Hidden guild",
    Scale="Planetary",
    Substantiation="not substantiated",
    Substantiator="a retired auditor",
    Outcome_statements_is_CONFIDENTIAL="1",
)


def _generate(folder: Path, outcomes: list[dict], language: str = "en"):
    content = folder / "content"
    content.mkdir()
    for values in outcomes:
        values = dict(values)
        name = values.pop("name")
        if "Substantiator" in values:
            values["Substantiated by (role)"] = values.pop("Substantiator")
        write_fragment(content, name, **values)
    docs = folder / "docs"
    config = write_config(folder, theme_language=language)
    report = generate(
        Settings(contents=[content], docs_dir=docs, config_file=config, project_content=folder / "no-project-content")
    )
    return docs, report


def _read(docs: Path, path: str) -> str:
    return (docs / path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("en"), [*OUTCOMES, HELD_BACK])


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    return _generate(tmp_path_factory.mktemp("fr"), [*OUTCOMES, HELD_BACK], "fr")


def _chips(page: str) -> list[tuple[str, str]]:
    chips = page.split('<ul class="okb-chips"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a class="okb-chip" href="([^"]*)"[^>]*>([^<]*)</a>', chips)


def test_the_outcome_page_has_a_chip_for_each_analytic_value_and_says_who_substantiated_it(english):
    docs, _ = english
    page = _read(docs, "fragments/a3.md")
    assert _chips(page)[-8:] == [
        ("../../harvests/harvest-1/", "harvest 1"),
        ("../../social-actors/women-traders/", "Women traders"),
        ("../../scales/national/", "National"),
        ("../../significance/medium/", "Significance: Medium"),
        ("../../contribution/high/", "Contribution: High"),
        ("../../intended-or-unintended/unintended/", "Unintended"),
        ("../../positive-or-negative/negative/", "Negative"),
        ("../../substantiation/partly-substantiated/", "Partly substantiated"),
    ]
    first = _read(docs, "fragments/a1.md")
    assert "<dt>Substantiation</dt><dd>Substantiated</dd>" in first
    assert "<dt>Substantiated by</dt><dd>an independent journalist</dd>" in first
    # an outcome that gives none of them has no chip for them, and no empty Details row
    bare = _read(docs, "fragments/a7.md")
    assert [text for _, text in _chips(bare)] == ["Mali", "2023", "Positive"]
    assert "Substantiat" not in bare


def _select(listing: str, name: str) -> tuple[str, list[str]]:
    match = re.search(rf'<select name="{name}"><option value="\*">([^<]*)</option>\n(.*?)</select>', listing, re.S)
    assert match, f"no filter {name}"
    return match.group(1), re.findall(r">([^<]*)</option>", match.group(2))


def test_the_listing_filter_offers_each_analytic_field_with_counts(english):
    docs, _ = english
    listing = _read(docs, "fragments/index.md")
    assert _select(listing, "harvest") == ("All harvest periods", ["harvest 1 (3)", "harvest 2 (2)", "Not given (2)"])
    assert _select(listing, "social_actor") == (
        "All social actors",
        ["District council (2)", "Women traders (3)", "Not given (2)"],
    )
    assert _select(listing, "scale") == ("All scales", ["Local (4)", "National (2)", "Not given (1)"])
    assert _select(listing, "significance") == (
        "Any significance",
        ["Large (2)", "Medium (2)", "Small (2)", "Not given (1)"],
    )
    assert _select(listing, "contribution") == ("Any contribution", ["High (3)", "Low (2)", "Not given (2)"])
    assert _select(listing, "intent") == (
        "Intended and unintended",
        ["Intended (4)", "Unintended (2)", "Not given (1)"],
    )
    assert _select(listing, "polarity") == ("Positive and negative", ["Negative (1)", "Positive (5)", "Not given (1)"])
    assert _select(listing, "substantiation") == (
        "Any substantiation",
        ["Substantiated (2)", "Partly substantiated (2)", "Not yet substantiated (1)", "Not given (2)"],
    )
    assert '<label>Substantiation <select name="substantiation">' in listing
    item = re.search(r'<li class="okb-item"[^>]*><a href="\.\./fragments/a3/"', listing)
    assert item and 'data-intent="unintended"' in item.group(0) and 'data-polarity="negative"' in item.group(0)


def test_search_filters_hold_the_analytic_values_of_each_outcome(english):
    _, report = english
    filters = {record.url.rsplit("/", 2)[-2]: record.filters for record in report.search_records}
    assert filters["a3"] == {
        "Country": ("Mali",),
        "Year": ("2023",),
        "Harvest period": ("harvest 1",),
        "Social actor": ("Women traders",),
        "Scale": ("National",),
        "Significance": ("Medium",),
        "Contribution": ("High",),
        "Intended or unintended": ("Unintended",),
        "Positive or negative": ("Negative",),
        "Substantiation": ("Partly substantiated",),
    }
    assert filters["a7"] == {"Country": ("Mali",), "Year": ("2023",), "Positive or negative": ("Positive",)}


def test_each_value_has_a_browse_page_and_each_facet_a_section_on_the_home_page(english):
    docs, _ = english
    women = _read(docs, "social-actors/women-traders.md")
    assert "title: Women traders" in women and women.count('class="okb-item"') == 3
    unintended = _read(docs, "intended-or-unintended/unintended.md")
    assert "title: Unintended" in unintended and unintended.count('class="okb-item"') == 2
    section = _read(docs, "substantiation/index.md")
    assert re.findall(r'<li><a href="[^"]*">([^<]*)</a> \((\d+) outcomes?\)', section) == [
        ("Substantiated", "2"),
        ("Partly substantiated", "2"),
        ("Not yet substantiated", "1"),
    ]
    home = _read(docs, "index.md")
    for title in ("Harvest periods", "Social actors", "Scales", "Significance ratings", "Substantiation"):
        assert f">{title}</a></li>" in home


def _bars(dashboard: str, chart: str) -> list[tuple[str, str]]:
    figure = dashboard.split(f'id="{chart}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><t[hd][^>]*>(?:<a [^>]*>)?([^<]*)(?:</a>)?</t[hd]><td>(\d+)</td></tr>", figure)


def test_the_dashboard_charts_each_analytic_field(english):
    docs, _ = english
    dashboard = _read(docs, "dashboard.md")
    assert _bars(dashboard, "chart-substantiations") == [  # in the vocabulary's order
        ("Substantiated", "2"),
        ("Partly substantiated", "2"),
        ("Not yet substantiated", "1"),
    ]
    assert _bars(dashboard, "chart-significance-ratings") == [("Large", "2"), ("Medium", "2"), ("Small", "2")]
    assert _bars(dashboard, "chart-polarities") == [("Positive", "5"), ("Negative", "1")]
    assert _bars(dashboard, "chart-intents") == [("Intended", "4"), ("Unintended", "2")]
    assert _bars(dashboard, "chart-social-actors") == [("Women traders", "3"), ("District council", "2")]
    for title in ("Outcomes per harvest period", "Outcomes per scale", "Outcomes by significance rating"):
        assert f">{title}</h2>" in dashboard
    assert "Outcomes by contribution rating</h2>" in dashboard
    assert "Not stated" not in dashboard


def test_nothing_of_the_held_back_outcome_shows(english):
    docs, report = english
    text = "\n".join(path.read_text(encoding="utf-8") for path in docs.rglob("*") if path.is_file())
    for value in ("Hidden guild", "hidden-guild", "Planetary", "planetary", "retired auditor", "Not substantiated"):
        assert value not in text
    assert not (docs / "substantiation" / "not-substantiated.md").exists()
    assert "Hidden guild" not in repr(report.search_records)


def test_the_french_site_names_the_values_in_french(french):
    docs, report = french
    page = _read(docs, "fragments/a3.md")
    assert [text for _, text in _chips(page)][-5:] == [
        "Importance\u00a0: Moyenne",
        "Contribution\u00a0: Forte",
        "Non intentionnel",
        "Négatif",
        "Partiellement vérifié",
    ]
    assert "<dt>Vérifié par</dt>" in _read(docs, "fragments/a1.md")
    listing = _read(docs, "fragments/index.md")
    assert _select(listing, "intent") == (
        "Intentionnels et non intentionnels",
        ["Intentionnel (4)", "Non intentionnel (2)", "Non précisé (1)"],
    )
    filters = {record.url.rsplit("/", 2)[-2]: record.filters for record in report.search_records}
    assert filters["a3"]["Positif ou négatif"] == ("Négatif",)
    assert ">Effets par vérification</h2>" in _read(docs, "dashboard.md")


def test_a_field_no_outcome_gives_has_no_filter_chart_page_or_search_filter(tmp_path):
    docs, report = _generate(tmp_path, [dict(name=f"b{number}") for number in range(7)])
    listing = _read(docs, "fragments/index.md")
    assert '<select name="country">' not in listing  # one value only: nothing to choose
    for name in ("harvest", "social_actor", "scale", "significance", "contribution", "intent", "polarity"):
        assert f'<select name="{name}">' not in listing
    dashboard = _read(docs, "dashboard.md")
    assert re.findall(r'<h2 id="([^"]*)">', dashboard) == [
        "outcomes-on-a-map",
        "outcomes-per-year",
        "outcomes-per-country",
    ]
    assert "Not stated" not in dashboard and "No published outcome" not in dashboard
    for folder in ("harvests", "social-actors", "scales", "significance", "substantiation", "positive-or-negative"):
        assert not (docs / folder).exists()
    home = _read(docs, "index.md")
    assert "Social actors" not in home and "Substantiation" not in home
    assert "Years</a></li>" in home  # a tab's section stays: the nav links to it
    assert {tuple(record.filters) for record in report.search_records} == {("Country", "Year")}
    # A tab's section with no value says so, rather than an empty page under its title.
    objectives = _read(docs, "objectives/index.md")
    assert "<p>No published outcome gives this yet.</p>" in objectives
    assert "<li>" not in objectives.split("<!-- okb:generated -->")[1]
