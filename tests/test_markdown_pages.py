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


# --- The engine's render, without Markdown for generated pages (markdown_pages.render_page).


def _toc(items) -> list:
    return [(i.title, i.id, i.level, getattr(i, "active", False), _toc(i.children)) for i in items]


def _rendered(page) -> tuple:
    return (page.content, _toc(page.toc), page._title_from_render, page.present_anchor_ids, page.links_to_anchors)


def _both_ways(config, docs: Path, src: str, text: str) -> tuple[tuple, tuple]:
    """`text` as the page `src` of `docs`, rendered by the engine's Page.render and by render_page."""
    from generator.engine import File, Files, Page
    from generator.publish.markdown_pages import render_page

    made = []
    for render in (Page.render, render_page):
        file = File(src, str(docs), config["site_dir"], config["use_directory_urls"])
        files = Files([file])
        page = Page(None, file, config)
        page.markdown, page.meta = text, {}
        render(page, config, files)
        made.append(_rendered(page))
    return made[0], made[1]


@pytest.fixture(scope="module")
def engine_config(generated_docs):
    from generator.site_config import load_mkdocs_config
    from support import ONE_LANGUAGE_CONFIG

    return load_mkdocs_config(ONE_LANGUAGE_CONFIG, docs_dir=str(generated_docs))


def test_render_page_is_the_engines_render_for_every_page(generated_docs, engine_config):
    from generator.publish.markdown_pages import rendered_without_markdown

    fast = 0
    for page in sorted(generated_docs.rglob("*.md")):
        text, src = body_of(page), page.relative_to(generated_docs).as_posix()
        engine, ours = _both_ways(engine_config, generated_docs, src, text)
        assert ours == engine, src
        fast += rendered_without_markdown(text, engine_config["markdown_extensions"]) is not None
    assert fast >= 40  # every generated page took the way without Markdown


@pytest.mark.parametrize(
    "hostile",
    [
        "a\ttab and\r\nWindows\rline ends",
        "markers \x02wzxhzdk:0\x03 and \x02amp\x03 kept out",
        "a line of spaces\n    \nthen more",
        '<h1 id="x">a first heading</h1>',
        "```\nlooks like code\n```",
        "~~~~\nlooks like code too\n~~~~",
        "    indented\n\n* a list\n\n| a | table |\n|---|---|",
    ],
)
def test_render_page_is_the_engines_render_on_hostile_text(generated_docs, engine_config, hostile):
    from generator.publish.markdown_pages import rendered_without_markdown

    text = body_of(generated_docs / "fragments" / "demo-sah2302-civ002.md")
    text = text.replace("</h1>", "</h1>\n" + hostile + "\n", 1)
    engine, ours = _both_ways(engine_config, generated_docs, "fragments/x.md", text)
    assert ours == engine
    fenced = hostile.startswith(("```", "~~~"))
    assert (rendered_without_markdown(text, engine_config["markdown_extensions"]) is None) == fenced


def test_render_page_leaves_other_extensions_to_the_engine(engine_config):
    from generator.publish.markdown_pages import rendered_without_markdown

    text = GENERATED_MARK + "\n<div>x</div>\n"
    assert rendered_without_markdown(text, engine_config["markdown_extensions"]) is not None
    assert rendered_without_markdown(text, [*engine_config["markdown_extensions"], "footnotes"]) is None


@pytest.mark.parametrize(
    "text",
    ["", "plain", "a\tb\r\nc\rd", "x\x02y\x03z", " \n  \nq \n", "\n   \n\t\n", "end with spaces   ", "\x02\r\n \t\n"],
)
def test_normalised_lines_are_markdowns_own(text):
    from types import SimpleNamespace

    from markdown.preprocessors import NormalizeWhitespace

    from generator.publish.markdown_pages import normalised_lines

    markdowns = NormalizeWhitespace(SimpleNamespace(tab_length=4)).run(text.split("\n"))
    assert normalised_lines(text) == markdowns
