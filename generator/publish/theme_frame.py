"""The theme's frame of a page rendered once and reused: the site's navigation (the
sidebar's nav and the section tabs) and the theme's configuration script are the same
HTML on every page that sits at the same place in the site with the same tab lit, which
is nearly every page (the fragment pages, the countries, the years…). Material renders
them again for each page: at 5,000 outcomes that was ~40 % of its template time. The
table of contents in the sidebar is the same HTML on every page with the same headings
(every fragment page has Significance, Contribution…: 12 different ones among 4,384 pages).

templates/theme/main.html wraps those parts in `{% call okb_frame(part, key) %}…{% endcall %}`:
the first page of a key renders them, the others get the same text. A key says everything
the part's HTML depends on (frame_key, toc_key); a page that is itself in the nav (its entry
shows its table of contents) has no nav key and is always rendered. The plugin makes a new Frame for
each build of the engine (on_env), so nothing of one build's navigation reaches another.

The theme's interface text (Material's partials/language.html, `lang.t(key)`) likewise: the
theme imports that template into every page anew (with the page's context), which imports
the language's own and English's, and each `t` builds the language's whole table again.
templates/theme/partials/language.html asks ThemeText instead, which asks the theme's own
template once per key and build.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any

import jinja2

from generator.engine import utils


def _nav_items(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _nav_items(getattr(item, "children", None) or [])


def nav_items(nav: Any) -> tuple[Any, ...]:
    """Every entry of the nav, each section's entries after it, in order."""
    return tuple(_nav_items(nav.items))


def relative_urls(nav: Any, url: str, items: tuple[Any, ...] | None = None) -> tuple[str | None, ...]:
    """Every nav entry's address relative to the page at `url` (the theme's `url` filter);
    items: the nav's entries (nav_items), when known."""
    entries = nav_items(nav) if items is None else items
    return tuple(utils.get_relative_url(item.url, url) if item.url is not None else None for item in entries)


def frame_key(
    page: Any,
    nav: Any,
    relative: Callable[[Any, str], tuple[str | None, ...]] = relative_urls,
    items: Callable[[Any], tuple[Any, ...]] = nav_items,
) -> Hashable | None:
    """What the navigation's HTML on `page` depends on: every nav entry's address relative to
    the page (`relative`), the page's depth (the logo's and assets' addresses)
    and which entries are lit (plugin.py lights a section's tab). None for a page that is in
    the nav, or no page (404): rendered every time."""
    url = getattr(page, "url", None)
    if nav is None or not isinstance(url, str) or any(item is page for item in nav.pages):
        return None
    return (
        id(nav),
        url.count("/"),
        relative(nav, url),
        tuple(bool(getattr(item, "active", False)) for item in items(nav)),
    )


def toc_key(page: Any) -> Hashable | None:
    """What the table of contents' HTML on `page` depends on besides the build's language
    (Material's partials/toc.html and toc-item.html read each entry's title, address,
    level and children, nothing else of the page): whether the first heading is the page's
    title (level 1; the template's branch for it writes white space of its own), and the
    entries it shows, as a tree (those under the title, then). None for no page, or an entry
    the typeset plugin has given a title of its own: rendered every time."""
    toc = getattr(page, "toc", None)
    if toc is None:
        return None
    first: Any = next(iter(toc), None)
    titled = first is not None and first.level == 1
    entries = _toc_entries(first.children if titled else toc)
    return None if entries is None else (titled, entries)


def _toc_entries(items: Any) -> tuple[Any, ...] | None:
    entries = []
    for item in items:
        children = _toc_entries(item.children or [])
        if children is None or getattr(item, "typeset", None) is not None:
            return None
        entries.append((item.title, item.url, item.level, children))
    return tuple(entries)


class Frame:
    """The parts of the frame rendered in this build, by part and key."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, Hashable], str] = {}
        # The last page's relative addresses, with its nav (held, so that no other nav can
        # take its id) and address: a page asks for its key twice (tabs, nav).
        self._last_relative: tuple[Any, str, tuple[str | None, ...]] | None = None
        # The nav's entries, with the nav (held likewise): the same nav has the same entries
        # all through a build (only which are lit changes), and walking it was half the key's cost.
        self._nav_entries: tuple[Any, tuple[Any, ...]] | None = None

    def __call__(self, part: str, key: Hashable | None, caller: Callable[[], str]) -> str:
        """The part's HTML (caller() renders it), rendered once per key; always rendered without one."""
        if key is None:
            return caller()
        made = self._made.get((part, key))
        if made is None:
            made = self._made[(part, key)] = caller()
        return made

    def key(self, page: Any, nav: Any) -> Hashable | None:
        return frame_key(page, nav, self._relative_urls, self._entries)

    def toc_key(self, page: Any) -> Hashable | None:
        return toc_key(page)

    def _relative_urls(self, nav: Any, url: str) -> tuple[str | None, ...]:
        """relative_urls, kept for the last (nav, url) asked: the same for the same two."""
        last = self._last_relative
        if last is None or last[0] is not nav or last[1] != url:
            last = self._last_relative = (nav, url, relative_urls(nav, url, self._entries(nav)))
        return last[2]

    def _entries(self, nav: Any) -> tuple[Any, ...]:
        """nav_items, kept for the last nav asked."""
        known = self._nav_entries
        if known is None or known[0] is not nav:
            known = self._nav_entries = (nav, nav_items(nav))
        return known[1]


class ThemeText:
    """Material's interface text in this build's language: each key's text as the theme's own
    partials/language.html gives it (`t(key)`, which reads only the configuration's
    theme.language), asked of it once per key."""

    def __init__(self, env: jinja2.Environment, config: Any) -> None:
        self._env, self._config = env, config
        self._theme_language: Any = None  # the theme's template, made at the first key
        self._texts: dict[str, str] = {}

    def __call__(self, key: str) -> str:
        text = self._texts.get(key)
        if text is None:
            if self._theme_language is None:
                template = self._env.get_template(f"{THEME_PREFIX}/partials/language.html")
                self._theme_language = template.make_module({"config": self._config})
            text = self._texts[key] = self._theme_language.t(key)
        return text


# The theme's own templates under this prefix too (Material's partials/nav.html as
# "okb-theme/partials/nav.html"): templates/theme/partials/nav.html wraps the theme's own.
THEME_PREFIX = "okb-theme"


def with_frame(env: jinja2.Environment, theme_dirs: list[str], config: Any) -> Frame:
    """Give the theme's templates a new Frame (`okb_frame`), a new ThemeText for config
    (`okb_theme_text`) and the theme's own templates under THEME_PREFIX: the folders of the
    theme after custom_dir (the first, ours)."""
    frame = Frame()
    env.globals["okb_frame"] = frame
    env.globals["okb_theme_text"] = ThemeText(env, config)
    originals = jinja2.FileSystemLoader(theme_dirs[1:])
    if env.loader is not None:
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({THEME_PREFIX: originals})])
    return frame
