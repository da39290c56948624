"""While the engine renders the pages, every other page's text is kept small
(generator/publish/held_pages.py): the engine keeps every page's Markdown and HTML to the end
of a build otherwise, the largest part of a large build's memory. The site stays the same to
the byte."""

from __future__ import annotations

from types import SimpleNamespace

from generator.engine import build_module
from generator.publish.build_types import Settings
from generator.publish.held_pages import HeldPages
from generator.publish.sequence import build
from support import FIXTURES, files_that_differ, fixture_site_built_again, write_config


def _page(src_uri: str, markdown: str = "# A page\n") -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), markdown=markdown, content=None)


def test_a_held_page_gets_its_text_back_exactly_and_loses_it_once_written():
    held, page, other = HeldPages(), _page("fragments/a.md"), _page("about.md")
    text = "<p>Défenseurs des droits — 1\u202f234 « effets » \U0001f30d \ud800</p>\n" * 50  # a lone surrogate too
    assert held.hold(page, text) == ""  # what the page carries meanwhile
    assert page.markdown == ""  # not None: the engine gives a page without Markdown no title
    assert len(held.held["fragments/a.md"]) < len(text) // 5
    other.content = "<p>never held</p>"
    held.give_back(other)  # a page that was not held keeps its own text
    assert other.content == "<p>never held</p>"
    held.give_back(page)
    assert page.content == text
    held.written(page)
    held.written(other)
    assert (page.content, other.content) == ("", "<p>never held</p>")
    assert held.held == {} and held.rendering == set()


def test_no_other_page_keeps_its_text_while_a_page_is_rendered(tmp_path, monkeypatch):
    kept: list[tuple[str, str, int]] = []  # (page rendered, other page still holding text, its size)
    render = build_module._build_page

    def rendering(page, config, doc_files, *args, **kwargs):
        for file in doc_files:
            other = file.page
            if other is not None and other is not page:
                size = len(other.markdown or "") + len(other.content or "")
                if size:
                    kept.append((page.file.src_uri, other.file.src_uri, size))
        return render(page, config, doc_files, *args, **kwargs)

    monkeypatch.setattr(build_module, "_build_page", rendering)
    config = write_config(tmp_path, languages=("en",))
    site = tmp_path / "site"
    build(Settings(contents=[FIXTURES / "site"], docs_dir=tmp_path / "docs", config_file=config), config, site)
    assert (site / "index.html").read_text(encoding="utf-8").count("</html>") == 1
    assert kept == [], f"pages whose text stayed held while another was rendered: {kept[:5]}"


def test_the_site_is_the_same_as_without_holding(fixture_site, tmp_path, monkeypatch):
    # The same content and configuration as the fixture site, every page's text kept whole.
    monkeypatch.setattr(HeldPages, "hold", lambda self, page, html: html)
    different = files_that_differ(fixture_site.site, fixture_site_built_again(tmp_path))
    assert different == [], f"files that differ from a build that holds nothing: {different[:5]}"
