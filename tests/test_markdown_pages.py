"""Generated pages reach MkDocs whole: the same HTML and headings as Markdown would make, without its cost.

generator/publish/markdown_pages.py hands a generated page's HTML to Markdown in one piece
instead of letting Python-Markdown parse every tag. These tests convert every generated
page of the fixture site both ways and compare: the fast way must change nothing a
reader sees, and a hand-written page must go through Markdown as usual.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import pytest
import yaml

from generator.pages.front_matter import GENERATED_MARK
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import FIXTURES

EXTENSIONS = ["toc", "attr_list"]  # as in mkdocs.yml


@pytest.fixture(scope="module")
def generated_docs(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    generate(Settings(contents=[FIXTURES / "site"], docs_dir=docs))
    return docs


def body_of(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


def convert(text: str, extensions: list[object]) -> tuple[str, list[tuple[int, str, str]]]:
    md = markdown.Markdown(extensions=extensions)
    html = md.convert(text)

    def flat(tokens: list[dict]) -> list[tuple[int, str, str]]:
        return [
            item
            for token in tokens
            for item in [(token["level"], token["id"], token["name"]), *flat(token["children"])]
        ]

    return html, flat(getattr(md, "toc_tokens", []))


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def test_every_generated_page_is_marked(generated_docs):
    pages = sorted(generated_docs.rglob("*.md"))
    generated = [page for page in pages if body_of(page).lstrip().startswith(GENERATED_MARK)]
    assert len(generated) >= 40 and {"about.md"} == {p.name for p in pages} - {p.name for p in generated}


def test_fast_html_is_what_markdown_makes(generated_docs):
    for page in sorted(generated_docs.rglob("*.md")):
        text = body_of(page)
        plain, _plain_headings = convert(text, EXTENSIONS)
        fast, fast_headings = convert(text, [*EXTENSIONS, "generator.publish.markdown_pages"])
        assert squeezed(fast) == squeezed(plain), page
        if GENERATED_MARK in text:
            # Markdown's toc cannot see headings inside raw HTML; the extension gives them.
            assert fast_headings == [
                (int(level), anchor, html.unescape(re.sub("<[^>]+>", "", name)))
                for level, anchor, name in re.findall(r'<h([1-6])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>', text)
            ]


def test_fragment_page_table_of_contents_lists_its_sections(generated_docs):
    text = body_of(generated_docs / "fragments" / "demo-sah2302-civ002.md")
    _, headings = convert(text, [*EXTENSIONS, "generator.publish.markdown_pages"])
    anchors = [anchor for _, anchor, _ in headings]
    assert anchors[:2] == ["outcome", "significance"] and anchors[-2:] == ["details", "related-outcomes"]


def test_hand_written_page_is_converted_as_usual(tmp_path):
    text = "# About\n\nSome *emphasis* and a [link](other.md).\n\n## More\n"
    fast, headings = convert(text, [*EXTENSIONS, "generator.publish.markdown_pages"])
    assert "<em>emphasis</em>" in fast and [anchor for _, anchor, _ in headings] == ["about", "more"]


def test_a_page_that_only_looks_generated_further_down_is_not(tmp_path):
    text = "Intro *text*\n\n" + GENERATED_MARK + "\n<div>x</div>\n"
    fast, _ = convert(text, [*EXTENSIONS, "generator.publish.markdown_pages"])
    assert "<em>text</em>" in fast


def test_front_matter_is_yaml_and_the_page_one_block(generated_docs):
    text = (generated_docs / "index.md").read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    assert yaml.safe_load(meta)["title"]
    assert body.strip().startswith(GENERATED_MARK + '\n<div class="okb-page">') and body.strip().endswith("</div>")
