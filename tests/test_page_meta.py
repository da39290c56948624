"""A generated page's front matter read entry by entry (generator/publish/page_meta.py) gives
what the engine's own reading gives: the same Markdown and the same meta, key for key, type
for type, on every page of the fixture site and on front matter the shortcut must leave to
the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.engine import meta
from generator.pages.front_matter import GENERATED_MARK
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.publish.page_meta import PageMetaReader
from support import FIXTURES


def same(read: tuple[str, dict], engine: tuple[str, dict]) -> bool:
    markdown, data = read
    return (
        markdown == engine[0]
        and data == engine[1]
        and list(data) == list(engine[1])
        and [type(value) for value in data.values()] == [type(value) for value in engine[1].values()]
    )


@pytest.fixture(scope="module")
def generated_docs(tmp_path_factory) -> Path:
    docs = tmp_path_factory.mktemp("docs")
    generate(Settings(contents=[FIXTURES / "site"], docs_dir=docs))
    return docs


def test_every_fixture_page_reads_as_the_engine_reads_it(generated_docs):
    reader = PageMetaReader()
    pages = sorted(generated_docs.rglob("*.md"))
    for _ in range(2):  # the second time from the entries met the first
        for page in pages:
            source = page.read_text(encoding="utf-8")
            assert same(reader(source), meta.get_data(source)), page
    # The shortcut was taken: every generated page is read entry by entry.
    assert sum(reader._read(page.read_text(encoding="utf-8")) is not None for page in pages) >= 40


def test_a_list_read_before_is_each_pages_own():
    reader = PageMetaReader()
    source = f"---\ntitle: A\ntags:\n- x\n- y\n---\n\n{GENERATED_MARK}\n<p>a</p>\n"
    first, second = reader(source)[1], reader(source)[1]
    assert first == second and first["tags"] is not second["tags"]
    first["tags"].append("z")
    assert reader(source)[1]["tags"] == ["x", "y"]


FRONT_MATTERS = [
    "title: A\ncountry: Kenya\nyear: 2019\nunintended: false\nnothing:\n",
    "title: 'Quoted: a colon'\ntags:\n- '4.2'\n- 4.2.2\n- yes\n- null\n- 2019-01-01\n",
    "title: a long\n  title over two lines\nyear: 2020\n",
    "title: A\ntitle: B\n",  # a key given twice
    "title: A\nyear: 2019\nyear: 2020\n",
    "a: &anchor x\nb: *anchor\n",  # entries that depend on one another
    "a: !!str 1\n",
    "# a comment\ntitle: A\n",
    "title: A\n\nyear: 2019\n",  # a blank line
    "nested:\n  key: value\n  other: [1, 2]\n",  # a mapping: not shared between pages
    "? complex\n: key\n",
    "title: [unclosed\n",  # not YAML
    "title: A\n- stray item\n",
    "- a list\n- not a mapping\n",
    "'quoted key': 1\n",
    "yes: 1\nno: 2\nnull: 3\n",
    "title: A\ttab\n",
    "title: x\r\nyear: 2019\r\n",
    "title: x\ryear: 2019\n",
    "title: a\u2028b: c\n",
    "title: a\x85b: c\n",
    'title: "a\u2028b"\n',
    "<<: {a: 1}\n",
    "title: |\n  a block\n  of text\n",
]


@pytest.mark.parametrize("front", FRONT_MATTERS)
@pytest.mark.parametrize("body", [f"{GENERATED_MARK}\n<p>a</p>\n", "# Hand-written\n\nText.\n"])
def test_any_front_matter_reads_as_the_engine_reads_it(front, body):
    reader = PageMetaReader()
    reader(f"---\ntitle: A\nyear: 2019\ntags:\n- x\n---\n\n{GENERATED_MARK}\n")  # entries met before
    for source in (f"---\n{front}---\n\n{body}", f"---\n{front}...\n{body}", f"{front}\n{body}"):
        assert same(reader(source), meta.get_data(source)), source
        assert same(reader(source), meta.get_data(source)), source  # and again, from what it kept
