"""Hostile and messy input: fragment text is shown as typed and runs nothing."""

import csv
import re
from pathlib import Path

import pytest
import yaml

from support import ROOT, build_site, kept_build, kept_content, records, run_cli_in_process, write_fragment

HEADER = [
    "FragmentID",
    "Country",
    "Year",
    "Confidential",
    "Outcome description",
    "Significance of the outcome",
    "Social actor",
]

HOSTILE = {
    "script": '<script>alert("owned")</script> end',
    "img": "<img src=x onerror=alert(1)> end",
    "jslink": '[click me](javascript:alert(1)) and <a href="javascript:alert(2)">there</a>',
    "markdown": "# Not a heading\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n* not a list\n    indented code?\n1. not numbered",
    "jinja": "{{ 7 * 7 }} and {% if true %}RAN{% endif %} and {# hidden #}",
    "frontmatter": "---\ntitle: hacked\nsearch:\n  exclude: true\n---\nbody",
    "fieldline": "Real story.\n**Country**: Atlantis\n**Outcome statements is CONFIDENTIAL**: 0",
    "entities": "Tom &amp; Jerry &lt;b&gt; &#60;script&#62;",
}


def _write_hostile_export(content: Path) -> None:
    content.mkdir()
    with open(content / "export.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for kind, text in HOSTILE.items():
            writer.writerow([f"H-{kind}", "Mali", "2023", "0", f"Story {kind}: {text}", text, "Actors"])
        writer.writerow(
            [
                "H-yaml",
                '- Mali: "the #1" country',
                "2023",
                "no",
                "Since 2023: a #hash, 'quotes' and \"more\".",
                "",
                "'quoted' # not a comment",
            ]
        )


@pytest.fixture(scope="module")
def hostile_site(site_cache):
    """The hostile export built in one language with the project's settings (as build_site
    builds it), kept between runs while nothing it is made from changes."""
    with kept_content(site_cache, "hostile-content", _write_hostile_export) as content:
        return kept_build(site_cache, "hostile", content, project_content=ROOT / "content")


def page(site, kind):
    return site.page(f"fragments/h-{kind}")


def test_script_tags_show_as_text(hostile_site):
    html = page(hostile_site, "script")
    assert (
        "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in html
        or "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in html
    )
    assert "<script>alert" not in hostile_site.all_text(except_data=True)


def test_img_onerror_shows_as_text(hostile_site):
    html = page(hostile_site, "img")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in hostile_site.all_text(except_data=True)


def test_javascript_links_are_not_links(hostile_site):
    html = page(hostile_site, "jslink")
    assert "[click me](javascript:alert(1))" in html
    assert not re.search(r"<a [^>]*href=.javascript:", hostile_site.all_text())


def test_markdown_syntax_shows_as_typed(hostile_site):
    html = page(hostile_site, "markdown")
    article = html[html.index("<article") : html.index("</article>")]
    assert "# Not a heading" in article and "| a | b |" in article and "* not a list" in article
    # The statement is the page's one heading (h1), shown as typed: no heading is made from its text.
    assert "<table" not in article and "<h2>Not a heading" not in article and "<hr" not in article
    assert not re.search(r"<h[1-6][^>]*>\s*Not a heading", article)
    assert "<li>not a list" not in article and "<code>" not in article


def test_template_syntax_shows_as_typed(hostile_site):
    html = page(hostile_site, "jinja")
    assert "{{ 7 * 7 }}" in html and "{% if true %}RAN{% endif %}" in html and "{# hidden #}" in html
    assert "49" not in html


def test_front_matter_lookalike_changes_nothing(hostile_site):
    html = page(hostile_site, "frontmatter")
    assert "title: hacked" in html
    assert "<title>hacked" not in html
    assert any(r["url"].endswith("-frontmatter/") for r in records(hostile_site.site))


def test_field_lookalike_line_in_a_cell_is_text(hostile_site):
    html = page(hostile_site, "fieldline")
    assert "**Country**: Atlantis" in html
    assert "countries/atlantis" not in hostile_site.all_text()


def test_entities_are_shown_as_typed_not_decoded(hostile_site):
    html = page(hostile_site, "entities")
    assert "Tom &amp;amp; Jerry &amp;lt;b&amp;gt; &amp;#60;script&amp;#62;" in html


def test_titles_and_tags_never_carry_markup(hostile_site):
    html = page(hostile_site, "script")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and "‹script›" in title
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert "<script" not in h1


def test_front_matter_with_colons_hashes_quotes_and_dashes_stays_valid(hostile_site):
    text = (hostile_site.docs / "fragments" / "h-yaml.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["country"] == '- Mali: "the #1" country'
    assert meta["social_actor"] == "'quoted' # not a comment"
    assert meta["title"] == "Since 2023: a #hash, 'quotes' and \"more\"."
    html = page(hostile_site, "yaml")
    assert "- Mali: &#34;the #1&#34; country" in html or "- Mali: &quot;the #1&quot; country" in html


def test_cp1252_text_fragment_is_refused_with_a_clear_message(tmp_path):
    (tmp_path / "a.txt").write_bytes("**FragmentID**: A\n**Country**: Côte d'Ivoire\n".encode("cp1252"))
    result = run_cli_in_process("check", "--content", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "a.txt, line 2: the text is not UTF-8" in result.stderr and "UTF-8" in result.stderr


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "empty.txt: no fragment found in this file"),
        ("empty.csv", b"", "empty.csv: the file is empty: no fragments"),
        (
            "picture.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "picture.csv: this is not a CSV text file (it contains binary data)",
        ),
        ("noid.csv", b"Country,Year\nMali,2023\n", "noid.csv, row 1: there is no fragment ID column"),
        ("empty.xlsx", b"", "empty.xlsx: this is not a readable .xlsx workbook"),
    ],
)
def test_bad_files_get_one_line_messages(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    result = run_cli_in_process("check", "--content", str(tmp_path / name))
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert message in output


def test_fragment_without_id_is_held_back_and_located(tmp_path):
    (tmp_path / "e.csv").write_text("FragmentID,Confidential,Outcome description\n,0,Story without ID\n")
    result = run_cli_in_process("check", "--content", str(tmp_path / "e.csv"))
    assert result.returncode == 0
    assert "no fragment ID (give the fragment an ID" in result.stdout and "e.csv, row 2" in result.stdout
    assert "Story without ID" not in result.stdout


def test_year_range_is_a_warning_with_what_to_do(tmp_path):
    write_fragment(tmp_path, "a", Year="2021-2022")
    result = run_cli_in_process("check", "--content", str(tmp_path))
    assert "a.txt, line 5, field 'Year': '2021-2022' is a range, not a year; give the one year" in result.stdout


def test_very_long_value_is_published_with_a_warning(tmp_path):
    write_fragment(tmp_path, "long", Significance_of_the_outcome="wordy" * 20_000)
    result = run_cli_in_process("check", "--content", str(tmp_path))
    assert result.returncode == 0
    assert (
        "long.txt, line 6, field 'Significance of the outcome': the value is 100,000 characters long" in result.stdout
    )


def test_redaction_list_masks_names_everywhere_and_is_reported(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "redact.txt").write_text("Amina Diallo\nSafe House Street\n")
    write_fragment(
        content,
        "r1",
        Outcome_description="AMINA DIALLO was protected at the safe house street shelter.",
        Significance_of_the_outcome="amina diallo could keep working.",
    )
    site = build_site(tmp_path, content)
    text = site.all_text().lower()
    assert "amina" not in text and "safe house street" not in text
    assert "[redacted] was protected at the [redacted] shelter." in site.page("fragments/r1")
    assert site.report.redactions == 3
