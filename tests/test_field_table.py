"""One table of fields drives reading, the page, the open data and the reference.

Adding a field is one entry in generator/fields.py plus its labels: this test adds one
and finds it everywhere it should be, and nowhere else.
"""

from __future__ import annotations

import csv
import io
import json
import shutil

from generator.commands.field_reference import print_fields
from generator.fields import DETAILS, FACET, FIELDS, Column, Facet, FacetChart, Field, FieldTable
from generator.normalise.values import normalise_label
from generator.privacy.guard.check import Guard
from generator.privacy.guard.terms import HELD_BACK_VALUE
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import ROOT, write_fragment

FUNDING = Field(
    "funding_source",
    "Funding source",
    ("Donor",),
    "label",
    normalise_label,
    label="funding_source",
    shows=frozenset({DETAILS}),
    opendata=(Column("funding_source", "string or null"),),
)
LABELS = """
funding_source: {en: Funding source, fr: Source de financement}
field_funding_source: {en: Who paid for the work, fr: Qui a financé le travail}
"""


def test_a_new_field_is_one_entry_and_its_labels(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    with (templates / "labels.yml").open("a", encoding="utf-8") as labels:
        labels.write(LABELS)
    content = tmp_path / "content"
    content.mkdir()
    write_fragment(content, "fund-1", Donor="Example Foundation")
    docs = tmp_path / "docs"
    table = FieldTable((*FIELDS, FUNDING))

    generate(Settings(contents=[content], docs_dir=docs, templates=templates, table=table))

    page = (docs / "fragments" / "fund-1.md").read_text(encoding="utf-8")
    assert "<dt>Funding source</dt><dd>Example Foundation</dd>" in page
    (row,) = csv.DictReader(io.StringIO((docs / "outcomes.csv").read_text(encoding="utf-8-sig")))
    assert row["funding_source"] == "Example Foundation"
    (record,) = json.loads((docs / "outcomes.json").read_text(encoding="utf-8"))
    assert record["funding_source"] == "Example Foundation"
    assert "<code>funding_source</code>" in (docs / "open-data.md").read_text(encoding="utf-8")
    reference = io.StringIO()
    print_fields(table, reference)
    assert "Funding source\n  also known as: Donor\n  published in: the Details table of its page; the open data" in (
        reference.getvalue()
    )


def test_without_the_entry_the_column_is_only_reported(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    write_fragment(content, "fund-1", Donor="Example Foundation")
    report = generate(Settings(contents=[content], docs_dir=tmp_path / "docs"))
    assert "Example Foundation" not in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "docs").rglob("*.md"))
    assert report.ignored_fields == {"Donor": [str(content / "fund-1.txt")]}


FUNDER = Field(
    "funder",
    "Funder",
    ("Donor",),
    "label",
    normalise_label,
    label="funder",
    shows=frozenset({FACET}),
    opendata=(Column("funder", "string or null"),),
    facet=Facet(
        "funder",
        "funders",
        "funders",
        chip=6,
        filter=6,
        search=True,
        chart=FacetChart(5, "outcomes-per-funder", "funder"),
    ),
)
FUNDER_LABELS = """
funder: {en: Funder, fr: Bailleur}
funders: {en: Funders, fr: Bailleurs}
filter_all_funder: {en: All funders, fr: Tous les bailleurs}
chart_funders: {en: Outcomes per funder, fr: Effets par bailleur}
chart_funders_what: {en: funder, fr: bailleur}
field_funder: {en: Who paid for the work, fr: Qui a financé le travail}
"""


def test_a_new_facet_is_one_entry_and_its_labels(tmp_path):
    """A facet field gets a chip on its outcomes' pages, a browse page per value and a
    section page, a select in the listings' filter, a search filter and a dashboard chart."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    with (templates / "labels.yml").open("a", encoding="utf-8") as labels:
        labels.write(FUNDER_LABELS)
    content = tmp_path / "content"
    content.mkdir()
    for number in range(6):
        write_fragment(content, f"fund-{number}", Donor="Example Foundation" if number % 2 else "Other Trust")
    docs = tmp_path / "docs"
    table = FieldTable((*FIELDS, FUNDER))

    report = generate(Settings(contents=[content], docs_dir=docs, templates=templates, table=table))

    page = (docs / "fragments" / "fund-1.md").read_text(encoding="utf-8")
    assert 'href="../../funders/example-foundation/"' in page
    browse = (docs / "funders" / "example-foundation.md").read_text(encoding="utf-8")
    assert "title: Example Foundation" in browse
    assert browse.count('class="okb-item"') == 3
    section = (docs / "funders" / "index.md").read_text(encoding="utf-8")
    assert "title: Funders" in section and "Other Trust" in section
    listing = (docs / "fragments" / "index.md").read_text(encoding="utf-8")
    assert '<select name="funder"><option value="*">All funders</option>' in listing
    assert 'data-funder="other-trust"' in listing
    assert {record.filters["Funder"] for record in report.search_records} == {("Example Foundation",), ("Other Trust",)}
    dashboard = (docs / "dashboard.md").read_text(encoding="utf-8")
    assert "Outcomes per funder" in dashboard and 'id="outcomes-per-funder"' in dashboard
    # and the guard looks for a held-back outcome's funder, a short value of its kind
    guard = Guard(
        held_back=[{"fragment_id": "H-1", "funder": "Quiet Hands Fund"}], public=[], redacted=[], fields=table
    )
    leaks = guard.check_file("funders/index.html", b"<p>Outcomes paid for by Quiet Hands Fund.</p>")
    assert [leak.kind for leak in leaks] == [HELD_BACK_VALUE]
