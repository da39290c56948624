"""The cross-tabulations page (generator/pages/crosstab.py, templates/crosstabs.md.j2), read
as a reader gets it: its tables, their counts and where each count leads. A count's link
must show exactly that many outcomes on All outcomes: checked here by applying the link's
query to the All outcomes listing as its filter does (templates/assets/facets.js: a query
value chooses a select's option; an item matches when its data-* holds the value), and in a
browser in tests/browser/test_crosstab.py."""

from __future__ import annotations

import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from generator.fields import DEFAULT_TABLE, Facet, FieldTable
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import CONFIDENTIAL_ONLY, CONFIG, FIXTURES, ROOT, write_config, write_fragment

PAGE = "cross-tabulations.md"


class Tables(HTMLParser):
    """Per cross-tabulation of the page (not the timeline's chart tables): its caption, its box's attributes, its header rows, and per
    body or foot row its header and cells as (text, href or None)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.box: dict[str, str | None] = {}
        self.cell: dict | None = None
        self.part = ""
        self.inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("class") == "okb-crosstab":
            self.box = attrs
        elif not self.inside and tag != "table":
            return
        elif tag == "table" and attrs.get("class") == "okb-crosstab-table":
            self.inside = True
            self.tables.append({"box": self.box, "caption": "", "head": [], "rows": [], "foot": []})
        elif tag == "caption":
            self.cell = {"text": "", "href": None, "tag": "caption"}
        elif tag in ("thead", "tbody", "tfoot"):
            self.part = {"thead": "head", "tbody": "rows", "tfoot": "foot"}[tag]
        elif tag == "tr" and self.tables:
            self.tables[-1][self.part].append([])
        elif tag in ("th", "td") and self.tables:
            self.cell = {"text": "", "href": None, "tag": tag, "scope": attrs.get("scope")}
        elif tag == "a" and self.cell is not None:
            self.cell["href"] = attrs["href"]

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "caption" and self.cell is not None:
            self.tables[-1]["caption"] = self.cell["text"]
            self.cell = None
        elif tag in ("th", "td") and self.cell is not None:
            self.tables[-1][self.part][-1].append(self.cell)
            self.cell = None


class Listing(HTMLParser):
    """All outcomes as its filter sees it: the selects' names and each item's data-* values."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: list[str] = []
        self.items: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.selects.append(attrs["name"])
        elif tag == "li" and attrs.get("class") == "okb-item":
            self.items.append({name[5:]: value or "" for name, value in attrs.items() if name.startswith("data-")})


def parsed(parser, path: Path):
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def generated(tmp_path: Path, *contents: Path, **settings) -> Path:
    docs = tmp_path / "docs"
    generate(Settings(contents=list(contents), docs_dir=docs, config_file=CONFIG, **settings))
    return docs


def shown_by(listing: Listing, href: str) -> int:
    """How many outcomes All outcomes shows when opened at `href` (facets.js: a parameter
    without a select of that name chooses nothing)."""
    assert urlsplit(href).path == "../fragments/"
    chosen = [(name, value) for name, value in parse_qsl(urlsplit(href).query, keep_blank_values=True)]
    return sum(
        all(name not in listing.selects or value in item.get(name, "").split(" ") for name, value in chosen)
        if chosen
        else True
        for item in listing.items
    )


def links(table: dict) -> list[tuple[str, str]]:
    return [
        (cell["text"], cell["href"])
        for row in table["rows"] + table["foot"]
        for cell in row
        if cell["href"] is not None
    ]


@pytest.fixture(scope="module")
def fixture_docs(tmp_path_factory) -> Path:
    return generated(tmp_path_factory.mktemp("crosstab"), FIXTURES / "site")


def test_the_page_has_a_table_per_pair_each_with_caption_headers_and_a_scrolling_box(fixture_docs):
    tables = parsed(Tables(), fixture_docs / PAGE).tables
    assert [table["caption"] for table in tables] == [
        "Outcomes by social actor and type of change",
        "Outcomes by objective and country",
        "Outcomes by year and type of change",
    ]
    for table in tables:
        assert table["box"] == {
            "class": "okb-crosstab",
            "role": "region",
            "tabindex": "0",
            "aria-label": table["caption"],
        }
        columns = table["head"][-1]
        assert {cell["scope"] for cell in columns} == {"col"} and columns[-1]["text"] == "Total"
        assert all(row[0]["tag"] == "th" and row[0]["scope"] == "row" for row in table["rows"] + table["foot"])
        assert table["foot"][0][0]["text"] == "Total" and table["foot"][0][-1]["text"] == "10"
    objective_by_country = tables[1]
    assert [cell["text"] for cell in objective_by_country["head"][-1]] == [
        "Objective", "Burkina Faso", "Kenya", "Mali", "Niger", "Uganda", "Total",
    ]  # fmt: skip
    assert [cell["text"] for cell in objective_by_country["rows"][0]] == [
        "CIV: Less suppression of civic space", "0", "0", "1", "1", "2", "4",
    ]  # fmt: skip
    years = [row[0]["text"] for row in tables[2]["rows"]]
    assert years == ["2025", "2024", "2023", "2022", "2021"]  # the order of the filter's years


def test_every_count_links_to_all_outcomes_showing_exactly_that_many(fixture_docs):
    listing = parsed(Listing(), fixture_docs / "fragments" / "index.md")
    tables = parsed(Tables(), fixture_docs / PAGE).tables
    checked = [(text, href, shown_by(listing, href)) for table in tables for text, href in links(table)]
    assert len(checked) > 40
    assert [(text, href) for text, href, shown in checked if int(text) != shown] == []
    # Social actor and type of change are both filters of the listing: each count links to
    # both; a zero never links.
    social = tables[0]
    assert {href.split("?")[1].split("=")[0] for _, href in links(social) if "?" in href} == {
        "change_type",
        "social_actor",
    }
    assert all(cell["href"] is None for table in tables for row in table["rows"] for cell in row if cell["text"] == "0")


def test_a_field_that_is_a_filter_links_its_counts_and_not_given_too(tmp_path):
    """The field table decides: with social actor a filter of the listing, every count of its
    table links, "Not given" included (the filter's empty value)."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    with (templates / "labels.yml").open("a", encoding="utf-8") as labels:
        labels.write("filter_all_social_actor: {en: All social actors, fr: Tous les acteurs sociaux}\n")
    table = FieldTable(
        tuple(
            replace(entry, facet=Facet("social_actor", filter=6)) if entry.key == "social_actor" else entry
            for entry in DEFAULT_TABLE
        )
    )
    docs = generated(tmp_path, FIXTURES / "site", templates=templates, table=table)
    listing = parsed(Listing(), docs / "fragments" / "index.md")
    social = parsed(Tables(), docs / PAGE).tables[0]
    found = links(social)
    assert [(text, href) for text, href in found if int(text) != shown_by(listing, href)] == []
    nonzero = [cell for row in social["rows"] for cell in row[1:] if cell["text"] != "0"]
    assert nonzero and all(cell["href"] for cell in nonzero)
    assert ("2", "../fragments/?social_actor=&change_type=policy-change") not in found
    assert ("1", "../fragments/?social_actor=&change_type=policy-change") in found  # "Not given"


def test_no_table_for_a_field_no_outcome_gives_and_harvest_periods_when_no_year(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for number, harvest in enumerate(["harvest 2", "harvest 10", "harvest 2"]):
        write_fragment(content, f"h{number}", Year="", OH_harvesting_period=harvest, MCQType_of_change="Policy change")
    docs = generated(tmp_path, content)
    page = (docs / PAGE).read_text(encoding="utf-8")
    tables = parsed(Tables(), docs / PAGE).tables
    # No social actor, no objective: those tables are not shown at all.
    assert [table["caption"] for table in tables] == ["Outcomes by harvest period and type of change"]
    assert [row[0]["text"] for row in tables[0]["rows"]] == ["harvest 2", "harvest 10"]
    assert "Social actor" not in page and "Objective" not in page
    # Three outcomes: All outcomes shows no filter, so no count links to it.
    assert links(tables[0]) == []
    # The timeline: harvest periods in time order; no year chart, since no outcome gives one.
    assert 'id="chart-timeline-harvest-period"' in page and 'id="chart-timeline-year"' not in page
    assert page.index("harvest 2") < page.index("harvest 10", page.index('id="timeline"'))


def test_no_tables_at_all_says_so(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    write_fragment(content, "bare", Year="", coutnry="")
    page = (generated(tmp_path, content) / PAGE).read_text(encoding="utf-8")
    assert "No published outcome gives these fields yet." in page
    assert "<table" not in page and 'id="timeline"' not in page


def test_the_timeline_counts_by_year_oldest_first_and_links_each_year(fixture_docs):
    page = (fixture_docs / PAGE).read_text(encoding="utf-8")
    timeline = page[page.index('<h2 id="timeline">') :]
    assert [timeline.index(f"<title>{year}: 2</title>") for year in range(2021, 2026)] == sorted(
        timeline.index(f"<title>{year}: 2</title>") for year in range(2021, 2026)
    )
    assert '<a href="../years/2021/">2021</a>' in timeline
    assert "<title>harvest 3: 2</title>" in timeline


def test_nothing_of_a_held_back_outcome_reaches_the_page(fixture_docs):
    page = (fixture_docs / PAGE).read_text(encoding="utf-8")
    assert [value for value in CONFIDENTIAL_ONLY if value in page] == []


def test_the_page_is_in_french_on_a_french_site(tmp_path):
    config = write_config(tmp_path, theme_language="fr")
    docs = tmp_path / "docs"
    generate(Settings(contents=[FIXTURES / "site"], docs_dir=docs, config_file=config))
    tables = parsed(Tables(), docs / PAGE).tables
    assert tables[1]["caption"] == "Effets par objectif et pays"
    assert tables[1]["foot"][0][0]["text"] == "Total"
    assert tables[0]["rows"][-1][0]["text"] == "Non précisé"
