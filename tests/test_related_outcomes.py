"""Outcomes that lead to outcomes (issue 21, point 3): the field "Related outcomes" lists the
IDs an outcome builds on; its page shows "Builds on" and each listed outcome's page "Led to",
each a link with the other outcome's title, in the page's language. An ID of an outcome
that is not published leaves no trace anywhere; an ID of no row at all is a warning by place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.fields import DEFAULT_TABLE
from generator.normalise import related
from generator.normalise.values import normalise_ids
from generator.preview.kept import Kept
from generator.privacy.guard.check import Guard
from generator.privacy.guard.terms import HELD_BACK_ID
from generator.privacy.site_check import check_for_leaks
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import SiteConfig, read_site_config
from support import (
    CONFIG,
    ROOT,
    kept_build,
    kept_content,
    links_of,
    own_warnings,
    readable_text,
    run_cli_in_process,
    scratch_project,
    write_fragment,
)

A_TITLE = "Since 2024, the Sikasso market committee publishes its accounts every month."
B_TITLE = "In 2023, women traders in Sikasso formed a market committee."
D_TITLE = "In 2022, the district council of Sikasso opened its budget hearings to traders."
E_TITLE = "Since 2025, the committee of Koutiala copies the Sikasso accounts."
# Of the held-back outcomes: none of this may be in any file or name the build writes.
SECRET_ID = "CANARY-REL-HIDDEN/9"
NO_DESCRIPTION_ID = "CANARY-REL-NODESC/8"
SECRETS = ("canary-rel", "canaryrel", "canaryville")


def write_content(folder: Path) -> Path:
    """Four public outcomes (A builds on B and D, E on B and on an ID of no row) and two held
    back (C flagged, listing A; F without a description), both listed by A."""
    folder.mkdir(parents=True)
    write_fragment(
        folder,
        "a",
        FragmentID="REL-A",
        Outcome_description=A_TITLE,
        Year="2024",
        # Every separator: semicolon, comma, spaces, a line end is not possible in a text
        # file's one line, so the spreadsheet test has it.
        Related_outcomes=f"rel-b;{SECRET_ID},  REL-D {NO_DESCRIPTION_ID}",
    )
    write_fragment(folder, "b", FragmentID="REL-B", Outcome_description=B_TITLE)
    write_fragment(folder, "d", FragmentID="REL-D", Outcome_description=D_TITLE, Year="2022")
    write_fragment(
        folder,
        "e",
        FragmentID="REL-E",
        Outcome_description=E_TITLE,
        Year="2025",
        Related_outcomes="REL-B REL-NOWHERE-99",
    )
    write_fragment(
        folder,
        "c",
        FragmentID=SECRET_ID,
        Outcome_statements_is_CONFIDENTIAL="1",
        Outcome_description="Since 2024, CANARYRELTITLE the envoy negotiated in Canaryville.",
        Related_outcomes="REL-A",
    )
    write_fragment(folder, "f", FragmentID=NO_DESCRIPTION_ID, Outcome_description="", Related_outcomes="REL-B")
    return folder


@pytest.fixture(scope="module")
def built(site_cache):
    """The content built in one language with the project's settings (as build_site builds
    it), kept between runs while nothing it is made from changes; the content beside its docs
    folder, as a test reads it."""
    with kept_content(site_cache, "related/content", write_content) as content:
        return kept_build(site_cache, "related", content, project_content=ROOT / "content")


def section(html: str, anchor: str) -> str:
    """The <section> whose heading has this id, or '' when the page has none."""
    match = re.search(rf'<section[^>]*>\s*<h2 id="{anchor}"[^>]*>.*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_an_outcome_shows_what_it_builds_on_and_the_other_what_it_led_to(built):
    a = built.page("fragments/rel-a/")
    builds_on = section(a, "builds-on")
    assert "Builds on</h2>" in builds_on
    assert re.findall(r'<a href="[^"]*">([^<]*)</a>', builds_on) == [B_TITLE, D_TITLE]  # as A lists them
    assert links_of(builds_on) == ["../../fragments/rel-b/", "../../fragments/rel-d/"]
    b = built.page("fragments/rel-b/")
    led_to = section(b, "led-to")
    assert "Led to</h2>" in led_to
    assert re.findall(r'<a href="[^"]*">([^<]*)</a>', led_to) == [E_TITLE, A_TITLE]  # newest first
    assert links_of(led_to) == ["../../fragments/rel-e/", "../../fragments/rel-a/"]
    assert section(built.page("fragments/rel-d/"), "led-to").count("<li") == 1
    # No empty heading: B lists nothing, D builds on nothing.
    assert 'id="builds-on"' not in b and 'id="builds-on"' not in built.page("fragments/rel-d/")


def test_the_similar_outcomes_at_the_foot_leave_out_those_linked_already(built):
    a = built.page("fragments/rel-a/")
    similar = a.split('id="related-outcomes"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<a href="[^"]*">([^<]*)</a>', similar) == [E_TITLE]  # all in Mali; B and D are linked


def test_a_held_back_outcome_leaves_no_trace_in_any_file_or_name(built):
    """A lists two held-back outcomes and a held-back one lists A: no text, no count, no
    heading, no link of them; not in docs/, the site, the search index (compressed), the open
    data, the feed or a file name. A's page shows the same as if it had not listed them."""
    a = built.page("fragments/rel-a/")
    assert 'id="led-to"' not in a  # only the held-back outcome lists A
    assert section(a, "builds-on").count("<li") == 2
    for folder in (built.site, built.docs):
        for path in sorted(folder.rglob("*")):
            name = str(path.relative_to(folder)).lower()
            assert not any(secret in name for secret in SECRETS), name
            if path.is_file():
                text = readable_text(path.read_bytes()).lower()
                found = [secret for secret in SECRETS if secret in text]
                assert not found, f"{path.relative_to(folder)}: {found}"
    assert built.report.published == 4 and sum(built.report.held_back.values()) == 2


def test_the_open_data_lists_the_published_outcomes_it_builds_on(built):
    rows = {row["fragment_id"]: row for row in json.loads((built.site / "outcomes.json").read_text("utf-8"))}
    assert rows["REL-A"]["related_outcomes"] == ["REL-B", "REL-D"]  # rel-b: the outcome's own ID
    assert rows["REL-E"]["related_outcomes"] == ["REL-B"]
    assert rows["REL-B"]["related_outcomes"] == []
    csv = (built.site / "outcomes.csv").read_text("utf-8-sig").splitlines()
    assert csv[0].endswith(",related_outcomes,language")
    assert next(line for line in csv if line.startswith("REL-A,")).endswith(",REL-B; REL-D,")


def test_an_id_of_no_outcome_is_a_warning_by_place_and_a_held_back_one_is_not(built):
    messages = own_warnings(str(problem) for problem in built.report.problems)
    e_file = built.docs.parent / "content" / "e.txt"
    assert messages == [
        f"{e_file}, line 6, field 'Related outcomes': "
        "'REL-NOWHERE-99' is not the ID of any outcome; correct it or remove it"
    ]


def test_check_prints_the_warning_and_nothing_of_the_held_back_ids(tmp_path):
    project = scratch_project("okb-related-")
    content = write_content(tmp_path / "content")
    result = run_cli_in_process("check", "--config", str(project / "mkdocs.yml"), "--content", str(content))
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert (
        f"{content / 'e.txt'}, line 6, field 'Related outcomes': 'REL-NOWHERE-99' is not the ID of any outcome; "
        "correct it or remove it"
    ) in output
    assert not [secret for secret in SECRETS if secret in output.lower()]
    assert output.count("is not the ID of any outcome") == 1


@pytest.mark.parametrize(
    "text",
    [
        "REL-1, REL-2; REL-3",
        "REL-1 REL-2\tREL-3",
        "REL-1\nREL-2\r\nREL-3",
        " ;REL-1,,REL-2 ;\n REL-3; REL-1 ",
    ],
)
def test_ids_are_read_whatever_separates_them(text):
    assert normalise_ids(text) == (("REL-1", "REL-2", "REL-3"), None)


def test_a_spreadsheet_cell_of_ids_on_several_lines_links_each(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "export.csv").write_text(
        "FragmentID,Confidential,Outcome description,Related outcome IDs\n"
        'X-1,0,"In 2023, the first change.",x-1\n'
        'X-2,0,"In 2023, a second change.",\n'
        'X-3,0,"In 2024, the third change.","X-1\nX-2;X-4"\n',
        encoding="utf-8",
    )
    site = SiteConfig(name="Related", url="https://example.org/related/", language="fr")
    report = generate(Settings(contents=[content], docs_dir=tmp_path / "docs", site=site, project_content=content))
    assert [str(problem) for problem in report.problems] == [
        f"{content / 'export.csv'}, row 2, field 'Related outcome IDs': 'x-1' is this outcome's own ID; remove it",
        f"{content / 'export.csv'}, row 4, field 'Related outcome IDs': 'X-4' is not the ID of any outcome; "
        "correct it or remove it",
    ]
    page = (tmp_path / "docs" / "fragments" / "x-3.md").read_text("utf-8")
    assert re.findall(r'<a href="[^"]*">([^<]*)</a>', section(page, "builds-on")) == [
        "In 2023, the first change.",
        "In 2023, a second change.",
    ]
    assert "S&#39;appuie sur</h2>" in section(page, "builds-on")  # in the page's language
    assert "A conduit à</h2>" in section((tmp_path / "docs" / "fragments" / "x-1.md").read_text("utf-8"), "led-to")


def test_the_guard_looks_for_a_held_back_id_that_a_public_outcome_lists():
    """The raw related-outcomes text of a public outcome is no public text: were a held-back
    ID it lists ever written, the guard finds it (it would take it for public otherwise)."""
    guard = Guard(
        held_back=[{"fragment_id": "SECRET-77", "description": "The envoy met them."}],
        public=[{"fragment_id": "PUB-1", "description": "A change.", "related_outcomes": "SECRET-77"}],
        redacted=[],
        fields=DEFAULT_TABLE,
    )
    assert [leak.kind for leak in guard.check_file("fragments/pub-1/index.html", b"<p>Builds on SECRET-77</p>")] == [
        HELD_BACK_ID
    ]


def test_a_held_back_outcome_listing_what_a_public_one_lists_is_no_leak():
    """Two outcomes that build on the same two: the open data writes the public one's list,
    which is also a run of words of the held-back one's; not a leak, so the build goes on."""
    guard = Guard(
        held_back=[{"fragment_id": "SECRET-77", "related_outcomes": "CSP-BF-001, CSP-BF-002"}],
        public=[
            {"fragment_id": "CSP-BF-001"},
            {"fragment_id": "CSP-BF-002"},
            # As the generator gives it: resolved (it listed "CSP-BF-001 SECRET-77 CSP-BF-002").
            {"fragment_id": "PUB-3", "related_outcomes": "CSP-BF-001; CSP-BF-002"},
        ],
        redacted=[],
        fields=DEFAULT_TABLE,
    )
    assert guard.check_file("outcomes.csv", b"PUB-3,CSP-BF-001; CSP-BF-002\r\n") == []
    assert [leak.kind for leak in guard.check_file("outcomes.csv", b"PUB-3,CSP-BF-001; SECRET-77\r\n")] == [
        HELD_BACK_ID
    ]


def test_the_fixture_site_links_both_ways_and_not_to_its_held_back_outcome(fixture_site):
    """tests/fixtures/site: CIV007 lists CIV001 and the held-back CIV009 (every leak test of
    the fixture site looks for CIV009 in every file and name)."""
    civ007 = fixture_site.page("fragments/demo-eha2406-civ007/")
    assert links_of(section(civ007, "builds-on")) == ["../../fragments/demo-sah2301-civ001/"]
    civ001 = fixture_site.page("fragments/demo-sah2301-civ001/")
    assert links_of(section(civ001, "led-to")) == ["../../fragments/demo-eha2406-civ007/"]
    assert "civ009" not in fixture_site.all_text().lower()


def test_a_preview_drops_the_link_when_the_outcome_is_held_back_and_brings_it_back(tmp_path, verified_memos):
    """mkdocs serve reuses pages made from equal inputs (OKB_VERIFY_MEMO checks each reuse):
    after each edit, the docs folder is exactly a fresh generation's."""
    content = tmp_path / "content"
    content.mkdir()
    write_fragment(content, "a", FragmentID="REL-A", Outcome_description=A_TITLE, Related_outcomes="REL-B")
    write_fragment(content, "b", FragmentID="REL-B", Outcome_description=B_TITLE)
    write_fragment(content, "d", FragmentID="REL-D", Outcome_description=D_TITLE)

    def settings(docs: Path) -> Settings:
        site = read_site_config(CONFIG)
        return Settings(contents=[content], docs_dir=docs, project_content=content, site=site, search=False)

    def tree(folder: Path) -> dict[str, bytes]:
        return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}

    kept = Kept()
    generate(settings(tmp_path / "docs"), reuse=False, kept=kept)
    page = tmp_path / "docs" / "fragments" / "rel-a.md"
    assert B_TITLE in section(page.read_text("utf-8"), "builds-on")
    for step, (b_flag, d_title) in enumerate([("1", D_TITLE), ("1", E_TITLE), ("0", E_TITLE)]):
        write_fragment(
            content, "b", FragmentID="REL-B", Outcome_description=B_TITLE, Outcome_statements_is_CONFIDENTIAL=b_flag
        )
        write_fragment(content, "d", FragmentID="REL-D", Outcome_description=d_title)
        write_fragment(
            content,
            "a",
            FragmentID="REL-A",
            Outcome_description=A_TITLE,
            Related_outcomes="REL-B, REL-D" if step else "REL-B",
        )
        generate(settings(tmp_path / "docs"), reuse=True, kept=kept)
        generate(settings(tmp_path / f"fresh{step}"), reuse=False)
        assert tree(tmp_path / "docs") == tree(tmp_path / f"fresh{step}"), step
        if step == 0:  # B held back: A's page as if it listed nothing
            assert 'id="builds-on"' not in page.read_text("utf-8")
            files = tree(tmp_path / "docs")
            assert not [path for path, data in files.items() if "rel-b" in (path + data.decode("utf-8")).lower()]
    builds_on = section(page.read_text("utf-8"), "builds-on")
    assert re.findall(r'<a href="[^"]*">([^<]*)</a>', builds_on) == [B_TITLE, E_TITLE]


def test_were_the_links_not_resolved_the_guard_would_stop_the_build(tmp_path, monkeypatch):
    """Fails closed: with the resolution taken out (the raw IDs published), the guard of the
    same generation finds the held-back IDs A lists, and nothing is published."""
    monkeypatch.setattr(related, "resolve_related", lambda fragments, *_: (fragments, []))
    content = write_content(tmp_path / "content")
    site = SiteConfig(name="Related", url="https://example.org/related/", language="en")
    report = generate(Settings(contents=[content], docs_dir=tmp_path / "docs", site=site, project_content=content))
    assert SECRET_ID in (tmp_path / "docs" / "outcomes.json").read_text("utf-8")  # what the guard is for
    with pytest.raises(BuildError, match="the ID of a held-back outcome"):
        check_for_leaks(report.guard, tmp_path / "docs")
