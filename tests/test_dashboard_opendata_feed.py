"""The dashboard, the open data (outcomes.csv, outcomes.json), the Atom feed and the publishing
workflow, checked on built sites the way a reader, a spreadsheet or a feed reader sees them."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml

from generator.errors import InputError
from generator.fields import DEFAULT_TABLE
from generator.pages.opendata import columns
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import read_site_config
from support import CONFIG, FIXTURES, ROOT, kept_build

COLUMNS = columns(DEFAULT_TABLE)

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = read_site_config(CONFIG).url  # as MkDocs reads it (site_url is an !ENV tag)
PUBLIC_IDS = {
    "DEMO-SAH2301/CIV001", "DEMO-SAH2302/CIV002", "DEMO-EHA2201/PEA003", "DEMO-EHA2203/GEN004",
    "DEMO-SAH2104/EXT005", "DEMO-EHA2105/PEA006", "DEMO-EHA2406/CIV007", "DEMO-SAH2407/GEN008",
    "DEMO-EHA2502/EXT011", "DEMO-SAH2503/PEA012",
}  # fmt: skip
CONFIDENTIAL = ["Atlantis", "ZZZ", "9.8.7", "1999", "Secret change", "CANARY-FIXTURE", "HIDDEN-ATL1999",
                "DEMO-EHA2310/PEA010", "DEMO-SAH2309/CIV009", "DEMO-SAH2504/CIV013"]  # fmt: skip
UNPUBLISHED = ["Internal notes", "Phone", "contact via phone", "do not publish", "+254 700", "+227 90"]
OUTPUTS = ("dashboard/index.html", "outcomes.csv", "outcomes.json", "feed.xml")
HOSTILE_DESCRIPTION = '<script>alert("x")</script> Tom & Jerry\'s "union" was formed in 2022 & registered.'


class Charts(HTMLParser):
    """Per chart (div.okb-chart): the SVG bars ('label: count' tooltips), bar links and table rows."""

    def __init__(self):
        super().__init__()
        self.charts: dict[str, dict] = {}
        self.current = None
        self.capture = None  # "bar" (a bar's tooltip), "th" or "td" while reading that text
        self.in_bar = False
        self.text = ""
        self.row: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div" and attrs.get("class") == "okb-chart":
            self.current = self.charts[attrs["id"]] = {"bars": [], "links": [], "rows": [], "svg": 0, "tables": 0}
        if self.current is None:
            return
        if tag == "svg":
            self.current["svg"] += 1
        elif tag == "table":
            self.current["tables"] += 1
        elif tag == "g" and attrs.get("class") == "okb-bar":
            self.in_bar = True
        elif tag == "title" and self.in_bar:
            self.capture, self.text = "bar", ""
        elif tag == "a" and attrs.get("tabindex") == "-1":
            self.current["links"].append(attrs["xlink:href"])  # an SVG link (templates/_chart.svg.j2)
        elif tag in ("th", "td") and attrs.get("scope") != "col":
            self.capture, self.text = tag, ""

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "title" and self.capture == "bar":
            label, count = self.text.rsplit(": ", 1)
            self.current["bars"].append((label, int(count)))
            self.capture, self.in_bar = None, False
        elif tag in ("th", "td") and self.capture == tag:
            self.row.append(self.text)
            self.capture = None
        elif tag == "tr" and self.row:
            label, count = self.row
            self.current["rows"].append((label, int(count)))
            self.row = []
        elif tag == "div":
            self.current = None

    def handle_data(self, data):
        if self.capture in ("bar", "th", "td"):
            self.text += data


def charts_of(html: str) -> dict[str, dict]:
    parser = Charts()
    parser.feed(html)
    return parser.charts


def read_csv(site: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / "outcomes.csv").read_text(encoding="utf-8-sig"))))


def read_json(site: Path) -> list[dict]:
    return json.loads((site / "outcomes.json").read_text(encoding="utf-8"))


def read_feed(site: Path) -> ET.Element:
    return ET.fromstring((site / "feed.xml").read_bytes())


@pytest.fixture(scope="module")
def hostile_site(site_cache):
    """The opendata fixture built in one language with the project's settings (as build_site
    builds it), kept between runs while nothing it is made from changes (support.kept_build)."""
    return kept_build(site_cache, "opendata", FIXTURES / "opendata", project_content=ROOT / "content")


# --- the dashboard -------------------------------------------------------------------


def test_dashboard_charts_count_exactly_the_public_outcomes(fixture_site):
    charts = charts_of(fixture_site.page("dashboard"))
    records = read_json(fixture_site.site)
    assert len(records) == len(PUBLIC_IDS)
    expected = {
        "chart-years": Counter(str(r["year"]) for r in records),
        "chart-countries": Counter(r["country"] for r in records),
        "chart-change-types": Counter(t for r in records for t in r["change_types"]),
        "chart-outputs": Counter(f"Output {code}" for r in records for code in r["output_codes"])
        + Counter("Not linked to the Results Framework" for r in records if not r["outcome_codes"]),
    }
    # The analytic facets (issue 21) chart the values the fixture gives, and nothing else.
    analytic = {
        "chart-harvests": "harvest_period",
        "chart-social-actors": "social_actor",
        "chart-scales": "scale",
        "chart-significance-ratings": "rating_significance",
        "chart-contribution-ratings": "rating_contribution",
        "chart-intents": "unintended",
        "chart-polarities": "negative",
        "chart-substantiations": "substantiation",
    }
    names = {
        "substantiation": {"substantiated": "Substantiated", "partly substantiated": "Partly substantiated"},
        "rating_significance": {"small": "Small", "medium": "Medium", "large": "Large"},
        "rating_contribution": {"low": "Low", "medium": "Medium", "high": "High"},
        "unintended": {True: "Unintended", False: "Intended"},
        "negative": {True: "Negative", False: "Positive"},
    }
    for key, field in analytic.items():
        counts = Counter(names.get(field, {}).get(r[field], r[field]) for r in records if r[field] not in (None, ""))
        if counts:
            expected[key] = counts
    assert set(charts) == set(expected)
    for key, counts in expected.items():
        chart = charts[key]
        assert chart["svg"] == 1 and chart["tables"] == 1, key
        assert dict(chart["bars"]) == counts, key
        assert chart["rows"] == chart["bars"], key  # the table says what the chart shows
    assert dict(charts["chart-substantiations"]["bars"]) == {"Substantiated": 1}  # CIV007 only


def test_dashboard_bars_link_to_listing_pages_that_exist(fixture_site):
    charts = charts_of(fixture_site.page("dashboard"))
    links = [href for chart in charts.values() for href in chart["links"]]
    assert "../countries/kenya/" in links and "../years/2024/" in links
    assert "../results-framework/output-3-1-2/" in links and "../change-types/policy-change/" in links
    for href in links:
        assert (fixture_site.site / "dashboard" / href / "index.html").resolve().is_file(), href
    assert sorted(charts["chart-polarities"]["links"]) == [
        "../positive-or-negative/negative/",
        "../positive-or-negative/positive/",
    ]


def test_dashboard_charts_are_accessible_and_follow_the_theme(fixture_site):
    html = fixture_site.page("dashboard")
    for key in charts_of(html):
        assert f'aria-labelledby="{key}-title {key}-desc"' in html
        assert f'<title id="{key}-title">' in html and f'<desc id="{key}-desc">' in html
    assert "var(--md-primary-fg-color)" in html
    markdown = (fixture_site.docs / "dashboard.md").read_text(encoding="utf-8")
    assert "http://" not in markdown.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing from elsewhere
    assert "https://" not in markdown and "<script" not in markdown


def test_dashboard_and_open_data_pages_are_in_the_navigation(fixture_site):
    home = fixture_site.page("")
    assert 'href="dashboard/"' in home and 'href="open-data/"' in home
    for href in ('href="outcomes.csv"', 'href="outcomes.json"', 'href="feed.xml"'):
        assert href in home
    page = fixture_site.page("open-data")
    for href in ('href="../outcomes.csv"', 'href="../outcomes.json"', 'href="../feed.xml"'):
        assert href in page
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in page


# --- nothing confidential -------------------------------------------------------------


@pytest.mark.parametrize("path", OUTPUTS)
@pytest.mark.parametrize("secret", CONFIDENTIAL + UNPUBLISHED)
def test_nothing_confidential_or_unpublished_in_dashboard_open_data_or_feed(fixture_site, path, secret):
    assert secret not in (fixture_site.site / path).read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("path", OUTPUTS)
def test_the_confidential_fragment_of_the_hostile_fixture_is_nowhere(hostile_site, path):
    text = (hostile_site.site / path).read_text(encoding="utf-8-sig")
    for secret in ("OD-SECRET", "od-secret", "CANARY-OPENDATA", "Lemuria", "lemuria", "Legal change", "7.7.7"):
        assert secret not in text


# --- open data ------------------------------------------------------------------------


def test_csv_and_json_hold_exactly_the_public_outcomes_and_published_fields(fixture_site):
    names = [column.name for column in COLUMNS]
    rows = read_csv(fixture_site.site)
    records = read_json(fixture_site.site)
    assert [row["fragment_id"] for row in rows] == [record["fragment_id"] for record in records]
    assert {row["fragment_id"] for row in rows} == PUBLIC_IDS and len(rows) == len(PUBLIC_IDS)
    assert list(rows[0]) == names
    assert all(list(record) == names for record in records)


def test_open_data_columns_are_the_published_fields_of_the_table(fixture_site):
    from_table = [column.name for entry in DEFAULT_TABLE.published for column in entry.opendata]
    assert [column.name for column in COLUMNS] == ["fragment_id", "url", "title", *from_table[1:]]
    assert "confidential" not in {column.name for column in COLUMNS}


def test_open_data_values_and_formats(fixture_site):
    rows = {row["fragment_id"]: row for row in read_csv(fixture_site.site)}
    records = {record["fragment_id"]: record for record in read_json(fixture_site.site)}
    row, record = rows["DEMO-SAH2407/GEN008"], records["DEMO-SAH2407/GEN008"]
    assert row["change_types"] == "Capacity change; Safety and Security"
    assert record["change_types"] == ["Capacity change", "Safety and Security"]
    assert row["year"] == "2024" and record["year"] == 2024
    assert row["negative"] == "no" and record["negative"] is False
    assert record["country"] == "Mali" and record["objective_code"] == "GEN"
    assert "Ségou" in row["description"] and "Ségou" in record["description"]
    assert record["url"] == SITE_URL + "fragments/demo-sah2407-gen008/"
    assert (fixture_site.site / "fragments" / "demo-sah2407-gen008" / "index.html").is_file()
    assert records["DEMO-EHA2406/CIV007"]["negative"] is True


def test_open_data_keeps_hostile_text_exact_and_defuses_formulas(hostile_site):
    row = next(r for r in read_csv(hostile_site.site) if r["fragment_id"] == "OD-HOSTILE/001")
    record = next(r for r in read_json(hostile_site.site) if r["fragment_id"] == "OD-HOSTILE/001")
    assert row["description"] == record["description"] == HOSTILE_DESCRIPTION
    raw_json = (hostile_site.site / "outcomes.json").read_text(encoding="utf-8")
    assert "<script" not in raw_json and "\\u003cscript\\u003e" in raw_json
    assert record["significance"] == '=HYPERLINK("http://evil.example/","click")'
    assert row["significance"] == "'" + record["significance"]  # not run as a formula by a spreadsheet
    assert {r["fragment_id"] for r in read_json(hostile_site.site)} == {"OD-HOSTILE/001", "OD-PLAIN/002"}


# --- feed -----------------------------------------------------------------------------


def test_feed_is_atom_with_absolute_links_newest_first(fixture_site):
    feed = read_feed(fixture_site.site)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(PUBLIC_IDS)  # fewer than 50
    records = {record["url"]: record for record in read_json(fixture_site.site)}
    years = []
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        parsed = urlparse(link)
        assert parsed.scheme == "https" and parsed.netloc and link.startswith(SITE_URL)
        assert link in records
        relative = link[len(SITE_URL) :]
        assert (fixture_site.site / relative / "index.html").is_file()
        year = records[link]["year"]
        assert entry.findtext(f"{ATOM}updated") == f"{year}-12-31T00:00:00Z"
        years.append(year)
    assert years == sorted(years, reverse=True)
    assert feed.findtext(f"{ATOM}updated") == f"{max(years)}-12-31T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == urljoin(SITE_URL, "feed.xml")
    assert feed.findtext(f"{ATOM}author/{ATOM}name")


def test_feed_escapes_markup_and_ampersands(hostile_site):
    raw = (hostile_site.site / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw and "Tom &amp; Jerry" in raw
    entry = next(
        e for e in read_feed(hostile_site.site).findall(f"{ATOM}entry") if "od-hostile-001" in e.findtext(f"{ATOM}id")
    )
    assert entry.findtext(f"{ATOM}summary") == HOSTILE_DESCRIPTION


def test_feed_keeps_only_the_newest_fifty(tmp_path):
    from support import write_fragment

    content = tmp_path / "content"
    content.mkdir()
    for n in range(55):
        write_fragment(content, f"f{n:02d}", Year=str(2000 + n % 20), OH_harvesting_period=f"harvest {n % 3}")
    docs = tmp_path / "docs"
    generate(Settings(contents=[content], docs_dir=docs, config_file=CONFIG))
    entries = ET.parse(docs / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert len(entries) == 50
    keys = [(e.findtext(f"{ATOM}updated"), e.findtext(f"{ATOM}id")) for e in entries]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)
    assert "2000-12-31T00:00:00Z" not in {k[0] for k in keys}  # the five oldest of 2000/2001 left out


# --- escaping in the dashboard ----------------------------------------------------------


def test_dashboard_labels_are_escaped(hostile_site):
    html = hostile_site.page("dashboard")
    assert "<b>Co</b>" not in html and "<script>alert" not in html
    charts = charts_of(html)
    countries = dict(charts["chart-countries"]["bars"])
    label = next(name for name in countries if name.startswith("Côte"))
    assert '"d\'Ivoire"' in label and countries[label] == 1  # quotes shown as typed
    assert dict(charts["chart-countries"]["rows"]) == countries
    docs = (hostile_site.docs / "dashboard.md").read_text(encoding="utf-8")
    assert "&#34;d&#39;Ivoire&#34;" in docs


# --- determinism, configuration, publishing -------------------------------------------


def test_rebuild_rewrites_nothing(tmp_path):
    settings = Settings(contents=[FIXTURES / "opendata"], docs_dir=tmp_path / "docs", config_file=CONFIG)
    generate(settings)
    before = {p: p.read_bytes() for p in (tmp_path / "docs").glob("*.*")}
    report = generate(settings)
    assert report.written.written == 0
    assert {p: p.read_bytes() for p in (tmp_path / "docs").glob("*.*")} == before


def test_site_url_is_required_and_read_as_mkdocs_reads_it(tmp_path, monkeypatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\ntheme:\n  name: material\n")
    settings = Settings(contents=[FIXTURES / "opendata"], docs_dir=tmp_path / "docs", config_file=config)
    with pytest.raises(InputError, match="site_url"):
        generate(settings)
    # !ENV, as GitHub's Pages workflow passes the site's address, and INHERIT work as in `mkdocs build`.
    (tmp_path / "base.yml").write_text("site_name: Test\ntheme:\n  name: material\n  language: fr\n")
    config.write_text("INHERIT: base.yml\nsite_url: !ENV [SITE_URL, 'http://127.0.0.1:8000/']\n")
    monkeypatch.setenv("SITE_URL", "https://org.example/kb")
    generate(settings)
    feed = (tmp_path / "docs" / "feed.xml").read_text()
    assert "https://org.example/kb/fragments/od-plain-002/" in feed and 'xml:lang="fr"' in feed


def test_site_has_a_404_page(fixture_site):
    assert (fixture_site.site / "404.html").is_file()


def test_publish_workflow_builds_the_readme_way_and_deploys_to_pages():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step.get("run", "") for step in steps]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert "python -m venv .venv && .venv/bin/pip install -e ." in runs
    assert '.venv/bin/python -m generator build $SOURCES_PUBLIC --summary "$GITHUB_STEP_SUMMARY"' in runs
    for action in ("actions/checkout", "actions/setup-python", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"
    # The address GitHub gives the site (configure-pages' base_url) reaches the build as
    # SITE_URL, which mkdocs.yml reads with !ENV: nobody sets site_url by hand.
    configure = next(step for step in steps if step.get("uses", "").startswith("actions/configure-pages"))
    build = next(step for step in steps if step.get("run", "").startswith(".venv/bin/python -m generator build"))
    assert build["env"]["SITE_URL"] == "${{{{ steps.{}.outputs.base_url }}}}".format(configure["id"])
    build_steps = workflow["jobs"]["build"]["steps"]
    assert build_steps.index(configure) < build_steps.index(build)
    assert "site_url: !ENV [SITE_URL," in CONFIG.read_text(encoding="utf-8")
