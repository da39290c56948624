"""The theme's navigation, tabs and configuration script are rendered once per place in the
site and reused (generator/publish/theme_frame.py): every page must still be the page the
theme renders for it, with its own section's tab lit and its links leading from where it is."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import jinja2
import material
import pytest

from generator.publish import theme_frame
from support import files_that_differ, fixture_site_built_again


def _pages(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*.html"))}


def test_every_page_is_the_one_the_theme_renders_without_reuse(fixture_site, tmp_path, monkeypatch):
    # The same content and configuration, every part of the frame rendered for each page.
    monkeypatch.setattr(theme_frame.Frame, "__call__", lambda self, part, key, caller: caller())
    different = files_that_differ(fixture_site.site, fixture_site_built_again(tmp_path), "*.html")
    assert different == [], f"pages that differ from the theme's own: {different[:5]}"
    reused = _pages(fixture_site.site)
    # and the frame is there: a fragment page lights the tab of All outcomes, and links from where it is
    fragment = next(path for path in reused if path.startswith("fragments/") and path != "fragments/index.html")
    html = reused[fragment].decode("utf-8")
    assert html.count("md-tabs__item--active") == 1
    lit = re.search(r'md-tabs__item--active">\s*<a href="([^"]*)"', html)
    assert lit is not None and lit.group(1) == "../", fragment


def test_a_page_in_the_nav_and_a_missing_page_have_no_key():
    class Item:
        def __init__(self, url):
            self.url, self.active, self.children = url, False, None

    home, fragments = Item(""), Item("fragments/")

    class Nav:
        def __init__(self):
            self.items = self.pages = [home, fragments]

    nav = Nav()
    assert theme_frame.frame_key(home, nav) is None  # its nav entry shows its own table of contents
    assert theme_frame.frame_key(None, nav) is None  # the 404 page
    one, other, elsewhere = Item("fragments/a/"), Item("fragments/b/"), Item("countries/kenya/")
    assert theme_frame.frame_key(one, nav) == theme_frame.frame_key(other, nav)
    assert theme_frame.frame_key(one, nav) != theme_frame.frame_key(elsewhere, nav)  # ../ against ../../fragments/
    unlit = theme_frame.frame_key(one, nav)
    fragments.active = True  # the plugin lights the section's tab
    assert theme_frame.frame_key(one, nav) != unlit
    assert theme_frame.frame_key(one, Nav()) != theme_frame.frame_key(one, nav)  # another build's nav


def test_the_table_of_contents_key_is_the_entries_the_theme_shows():
    class Entry:
        def __init__(self, title, level, children=()):
            self.title, self.url, self.level, self.children = title, "#" + title.lower(), level, list(children)

    class Page:
        def __init__(self, toc):
            self.toc = toc

    def page(title, *headings):
        return Page([Entry(title, 1, [Entry(heading, 2) for heading in headings])])

    # The page's own title (level 1) is not shown: two pages with the same headings share the HTML.
    assert theme_frame.toc_key(page("One", "Significance")) == theme_frame.toc_key(page("Two", "Significance"))
    assert theme_frame.toc_key(page("One", "Significance")) != theme_frame.toc_key(page("One", "Evidence"))
    assert theme_frame.toc_key(Page([Entry("Significance", 2)])) != theme_frame.toc_key(page("One", "Significance"))
    assert theme_frame.toc_key(Page([])) != theme_frame.toc_key(page("One"))  # the title's branch: its white space
    assert theme_frame.toc_key(None) is None  # the 404 page
    typeset = page("One", "Significance")
    typeset.toc[0].children[0].typeset = {"title": "<em>Significance</em>"}
    assert theme_frame.toc_key(typeset) is None  # a title of its own: rendered every time


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_theme_text_is_the_theme_s_own(language):
    # templates/theme first, as the engine loads custom_dir, then Material's own.
    theme_dirs = [
        str(Path(__file__).parent.parent / "templates" / "theme"),
        str(Path(material.__file__).parent / "templates"),
    ]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dirs))
    theme_frame.with_frame(env, theme_dirs, SimpleNamespace(theme=SimpleNamespace(language=language)))
    keys = ["language", "toc", "header", "select.language", "search.placeholder", "not.a.key"]
    page = "".join(f"[{{{{ lang.t({key!r}) }}}}]" for key in keys) * 2  # the second time from ThemeText's memory
    ours, theirs = (
        env.from_string(f'{{% import "{name}" as lang with context %}}{page}').render(
            config=SimpleNamespace(theme=SimpleNamespace(language=language))
        )
        for name in ("partials/language.html", f"{theme_frame.THEME_PREFIX}/partials/language.html")
    )
    assert ours == theirs and f"[{language}]" in ours and "[not.a.key]" in ours
