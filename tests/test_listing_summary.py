"""The summary on a country's, an objective's and an output's page (issue 21, point 6):
the count, the years, the types of change in a small chart, then the list; other listings
(All outcomes, a year, a type of change) have none. Read on the generated pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import CONFIDENTIAL_ONLY, CONFIG, FIXTURES, write_fragment


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("summary") / "docs"
    generate(Settings(contents=[FIXTURES / "site"], docs_dir=folder, config_file=CONFIG))
    return folder


def bars(page: str) -> list[str]:
    chart = page[page.index('id="chart-change-types"') : page.index("</svg>", page.index('id="chart-change-types"'))]
    return re.findall(r"<g class=\"okb-bar\">\n<title>([^<]*)</title>", chart)


def test_a_country_page_gives_count_years_and_types_of_change_before_the_list(docs):
    page = (docs / "countries" / "kenya.md").read_text(encoding="utf-8")
    parts = [
        '<p class="okb-count">3 outcomes, newest first.</p>',
        '<p class="okb-years">Years: 2022 to 2025</p>',
        '<h2 id="types-of-change">Types of change</h2>',
        '<h2 id="outcomes">Outcomes</h2>',
        '<ul class="okb-list">',
    ]
    assert [page.index(part) for part in parts] == sorted(page.index(part) for part in parts)
    assert bars(page) == [
        "Discourse change: 2", "Policy change: 1", "Practice change: 1", "Relationship and collaboration: 1",
    ]  # fmt: skip
    assert "<caption>Outcomes per type of change</caption>" in page  # the chart's table


def test_objective_and_output_pages_have_a_summary_and_other_listings_none(docs):
    objective = (docs / "objectives" / "civ.md").read_text(encoding="utf-8")
    assert 'id="chart-change-types"' in objective and 'class="okb-years"' in objective
    output = (docs / "results-framework" / "output-2-1-1.md").read_text(encoding="utf-8")
    assert 'class="okb-years"' in output
    for other in ("fragments/index.md", "years/2023.md", "change-types/policy-change.md"):
        text = (docs / other).read_text(encoding="utf-8")
        assert 'class="okb-years"' not in text and 'id="chart-change-types"' not in text


def test_one_year_and_no_type_of_change(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    write_fragment(content, "a", Year="2023")
    write_fragment(content, "b", Year="2023")
    docs = tmp_path / "docs"
    generate(Settings(contents=[content], docs_dir=docs, config_file=CONFIG))
    page = (docs / "countries" / "mali.md").read_text(encoding="utf-8")
    assert '<p class="okb-years">Year: 2023</p>' in page
    assert "chart-change-types" not in page and 'id="outcomes"' not in page


def test_the_summaries_hold_nothing_of_a_held_back_outcome(docs):
    pages = "".join(
        (docs / folder).joinpath(name).read_text(encoding="utf-8")
        for folder in ("countries", "objectives", "results-framework")
        for name in sorted(path.name for path in (docs / folder).glob("*.md"))
    )
    assert [value for value in CONFIDENTIAL_ONLY if value in pages] == []


def test_each_listed_outcome_shows_its_significance_under_its_link(docs):
    """A listing item: the outcome's first sentence as the link, the significance's first
    sentence under it, then the year, country and types of change; on every list of outcomes."""
    item = (
        '<a href="(?:\\.\\./)+fragments/demo-eha2201-pea003/">Since 2022, county peace committees in Marsabit'
        '[^<]*</a><br><span class="okb-significance">Women had never before sat on the panels that settle'
        ' disputes between communities.</span><br><span class="okb-meta">2022 · [^<]*Kenya[^<]*</span></li>'
    )
    for page in ("countries/kenya.md", "fragments/index.md", "years/2022.md"):
        assert re.search(item, (docs / page).read_text(encoding="utf-8")), page
