"""Full builds of small fixture sets, checked the way a reader or an editor sees them."""

import json
import re
from pathlib import Path

import pytest

from generator.errors import BuildError, InputError
from generator.publish.sequence import build
from support import (
    CONFIDENTIAL_ONLY,
    FIXTURES,
    ONE_LANGUAGE_CONFIG,
    PUBLIC_IDS,
    UNPUBLISHED_COLUMNS,
    build_site,
    links_of,
    one_language_settings,
    records,
    run_cli_in_process,
    slug,
    tree_digest,
    write_fragment,
)


def test_one_page_per_public_fragment_and_no_other(fixture_site):
    pages = {p.name for p in (fixture_site.site / "fragments").iterdir() if p.is_dir()}
    assert pages == {slug(i) for i in PUBLIC_IDS}
    assert fixture_site.report.published == len(PUBLIC_IDS)


@pytest.mark.parametrize("secret", CONFIDENTIAL_ONLY + UNPUBLISHED_COLUMNS)
def test_nothing_confidential_or_unpublished_anywhere_in_site_or_docs(fixture_site, secret):
    # The sitemaps of a two-language site name the XHTML namespace for their alternate links:
    # its "1999" is the W3C's, not the held-back outcome's year.
    assert secret not in fixture_site.all_text().replace("http://www.w3.org/1999/xhtml", "")
    for path in fixture_site.docs.rglob("*"):
        assert secret not in str(path.relative_to(fixture_site.docs))
        if path.is_file() and path.suffix == ".md":
            assert secret not in path.read_text(encoding="utf-8"), path


def test_raw_input_files_never_reach_the_site(fixture_site):
    names = {p.name for p in fixture_site.site.rglob("*")}
    assert not names & {"harvest-export.csv", "harvest-5.xlsx", "civ007.txt", "results-framework.yml"}


def test_fragment_page_shows_story_and_links_to_its_facets(fixture_site):
    html = fixture_site.page("fragments/demo-sah2407-gen008")
    assert "des femmes journalistes de Ségou ont créé une association" in html
    assert "Le programme a formé les journalistes" in html
    hrefs = links_of(html)
    for target in (
        "../../results-framework/output-3-1-2/",
        "../../results-framework/outcome-3-1/",
        "../../countries/mali/",
        "../../objectives/gen/",
        "../../change-types/capacity-change/",
        "../../change-types/safety-and-security/",
        "../../years/2024/",
    ):
        assert target in hrefs
    assert "Women journalists supported" in html  # the output's label from results-framework.yml
    related = html[html.index('id="related-outcomes"') :]
    assert "../../fragments/demo-sah2301-civ001/" in links_of(related)  # same country (Mali)


def test_related_fragments_prefer_same_output(fixture_site):
    html = fixture_site.page("fragments/demo-eha2201-pea003")  # Output 2.1.1, Kenya
    related = links_of(html[html.index('id="related-outcomes"') :])
    assert related[0] == "../../fragments/demo-sah2503-pea012/"  # the other Output 2.1.1 story, in Niger


def test_output_page_lists_its_fragments_newest_first_with_count(fixture_site):
    html = fixture_site.page("results-framework/output-2-1-1")
    assert "2 outcomes, newest first" in html
    assert html.index("Tillabéri") < html.index("Marsabit")  # 2025 before 2022
    assert "Local mediators supported" in html
    assert "../../results-framework/outcome-2-1/" in links_of(html)


def test_results_framework_page_lists_outcomes_with_outputs_and_counts(fixture_site):
    html = fixture_site.page("results-framework")
    assert "Outcome 1.1" in html and "Human rights defenders work more safely" in html
    assert re.search(r"Output 1\.1\.1</a> — Coalitions trained to handle protection requests \(1 outcome\)", html)
    assert "not-linked/" in " ".join(links_of(html))


def test_not_linked_page_lists_fragments_without_results_framework_link(fixture_site):
    html = fixture_site.page("results-framework/not-linked")
    assert "district council in northern Uganda" in html
    assert "1 outcome, newest first" in html


def test_country_objective_change_type_and_year_pages(fixture_site):
    assert "Marsabit" in fixture_site.page("countries/kenya") and "Kisumu" in fixture_site.page("countries/kenya")
    assert "Dori" in fixture_site.page("objectives/ext")
    assert "Kisumu" in fixture_site.page("change-types/discourse-change")
    assert "Tillabéri" in fixture_site.page("years/2025")
    sections = fixture_site.page("countries")
    assert re.search(r"Kenya</a> \(3 outcomes\)", sections)


def test_home_page_totals_count_public_fragments_only(fixture_site):
    html = fixture_site.page("")
    assert "<strong>10</strong> published outcomes" in html
    assert "<strong>5</strong> countries and regions" in html
    assert "about/" in links_of(html)  # hand-written page from content/pages


def test_every_internal_link_resolves(fixture_site):
    broken = []
    for page in fixture_site.site.rglob("*.html"):
        if page.name == "404.html":  # its links are absolute, made from site_url
            continue
        for href in links_of(page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:|^#|^//", href):
                continue
            target = (page.parent / re.split(r"[#?]", href)[0]).resolve()  # a query only chooses a filter
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append((str(page.relative_to(fixture_site.site)), href))
    assert broken == []


def test_search_index_has_public_stories_only(fixture_site):
    index = records(fixture_site.site)
    text = json.dumps(index, ensure_ascii=False)
    assert "Marsabit" in text and "Tillabéri" in text
    locations = {record["url"] for record in index}
    assert {f"/fragments/{slug(i)}/" for i in PUBLIC_IDS} <= locations


def test_sitemap_lists_public_fragment_pages_only(fixture_site):
    sitemap = (fixture_site.site / "sitemap.xml").read_text()
    fragment_urls = set(re.findall(r"fragments/([a-z0-9-]+)/</loc>", sitemap))
    assert fragment_urls == {slug(i) for i in PUBLIC_IDS}


def test_report_counts_and_ignored_columns(fixture_site):
    report = fixture_site.report
    assert sum(s.records for s in report.sources) == 14
    assert sum(report.held_back.values()) == 4
    assert set(report.ignored_fields) == {"Internal notes", "Phone"}


def test_generated_front_matter_is_valid_yaml_with_tags(fixture_site):
    import yaml

    text = (fixture_site.docs / "fragments" / "demo-sah2302-civ002.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["fragment_id"] == "DEMO-SAH2302/CIV002"
    assert meta["tags"] == [
        "Niger",
        "CIV: Less suppression of civic space",
        "Safety and Security",
        "Relationship and collaboration",
    ]
    assert meta["output_codes"] == ["1.1.2"] and meta["year"] == 2023


def write_small_content(content: Path) -> Path:
    content.mkdir()
    write_fragment(content, "keep-1", Outcome_description="Since 2023, the KEEPSTORY network grew.")
    write_fragment(
        content, "goes-2", Outcome_description="Since 2023, the GOESTORY network grew.", coutnry="Togo", Year="2019"
    )
    write_fragment(content, "gone-3", Outcome_description="Since 2023, the GONESTORY network grew.")
    return content


@pytest.fixture
def small_content(tmp_path):
    return write_small_content(tmp_path / "content")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """A site built, then built again after goes-2 became confidential and gone-3.txt was deleted."""
    tmp = tmp_path_factory.mktemp("rebuilt")
    content = write_small_content(tmp / "content")
    first = build_site(tmp, content)
    first_text = first.all_text()
    write_fragment(
        content,
        "goes-2",
        Outcome_description="Since 2023, the GOESTORY network grew.",
        coutnry="Togo",
        Year="2019",
        Outcome_statements_is_CONFIDENTIAL="1",
    )
    (content / "gone-3.txt").unlink()
    return first_text, build_site(tmp, content)


def test_fragment_that_stops_being_public_disappears_everywhere(rebuilt):
    first_text, second = rebuilt
    assert "GOESTORY" in first_text and "togo" in first_text
    text = second.all_text()
    for gone in ("GOESTORY", "GOES-2", "goes-2", "Togo", "togo", "years/2019"):
        assert gone not in text
    assert not any("goes-2" in str(p) or "togo" in str(p) for p in second.docs.rglob("*"))
    assert "KEEPSTORY" in text


def test_deleted_fragment_disappears(rebuilt):
    first_text, second = rebuilt
    assert "GONESTORY" in first_text
    assert "GONESTORY" not in second.all_text()
    assert not any("gone-3" in str(p) for p in [*second.docs.rglob("*"), *second.site.rglob("*")])


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    """A site already online, shared by the failed builds below (each compares it before and after)."""
    tmp = tmp_path_factory.mktemp("previous")
    return build_site(tmp, write_small_content(tmp / "content")).site


@pytest.mark.parametrize("breakage", ["duplicate id", "damaged xlsx", "bad yaml", "mkdocs error"])
def test_failed_build_leaves_previous_site_untouched(tmp_path, small_content, previous_site, breakage):
    before = tree_digest(previous_site)
    if breakage == "duplicate id":
        write_fragment(small_content, "copy", FragmentID="KEEP-1")
    elif breakage == "damaged xlsx":
        (small_content / "broken.xlsx").write_bytes(b"not a workbook")
    elif breakage == "bad yaml":
        (small_content / "results-framework.yml").write_text("outcomes: [unclosed\n")
    else:  # MkDocs' strict build refuses a hand-written page that links to a missing page
        (small_content / "pages").mkdir()
        (small_content / "pages" / "notes.md").write_text("# Notes\n\nSee [the plan](missing-plan.md).\n")
    with pytest.raises((InputError, BuildError)) as error:
        build(
            one_language_settings(contents=[small_content], docs_dir=tmp_path / "docs"),
            ONE_LANGUAGE_CONFIG,
            previous_site,
        )
    if breakage == "mkdocs error":
        assert "missing-plan.md" in str(error.value)
    assert tree_digest(previous_site) == before


def test_cli_build_error_names_file_and_leaves_no_traceback(tmp_path, small_content):
    write_fragment(small_content, "copy", FragmentID="KEEP-1")
    result = run_cli_in_process(
        "build", "--content", str(small_content), "--site-dir", str(tmp_path / "s"), "--docs-dir", str(tmp_path / "d")
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "fragment ID 'KEEP-1' is used twice" in result.stderr
    assert "field 'FragmentID'" in result.stderr
    assert "copy.txt, line 1" in result.stderr and "keep-1.txt, line 1" in result.stderr
    assert not (tmp_path / "s").exists()


def test_cli_check_prints_report_and_writes_nothing(tmp_path):
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_cli_in_process("check", "--content", str(FIXTURES / "site"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Published: 10 of 14" in out
    assert "flagged confidential" in out and "confidentiality flag is blank" in out
    assert "'Internal notes'" in out and "'Phone'" in out
    assert "CANARY-FIXTURE" not in out and "Atlantis" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_site_with_no_public_fragment_still_builds_and_says_so(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    write_fragment(content, "only", Outcome_statements_is_CONFIDENTIAL="yes", Outcome_description="ONLYSECRET story")
    site = build_site(tmp_path, content)
    assert "<strong>0</strong> published outcomes" in site.page("")
    assert "ONLYSECRET" not in site.all_text()
