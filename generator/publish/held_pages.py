"""Each page's text while the engine builds the others, kept small.

The engine reads and converts every page before it renders any (its build: every page's
_populate_page, then every page's _build_page), and keeps each page's Markdown source and
its HTML to the end of the build: at 5,000 outcomes ~260 MB of text, the largest part of
the build's peak memory, growing with the site. Under a build the publish sequence runs
(an EngineRun: `python -m generator build` and a plain `mkdocs build`), the plugin hands
each page here once it is converted: its Markdown source is dropped, its HTML kept
compressed until the theme renders that page, and dropped once the page is written. The
site is the same to the byte (tests/test_held_pages.py). `mkdocs serve` keeps the engine's
pages from one save to the next (generator/preview/apply.py): it holds nothing here.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

# zlib's fastest level: a page's HTML is ~5 times smaller, at ~1 s of CPU per 100 MB.
LEVEL = 1
# Kept exactly: a lone surrogate in a page's text comes back as it went (the engine writes
# it as a character reference, as it would have without this).
ENCODING, ERRORS = "utf-8", "surrogatepass"


@dataclass
class HeldPages:
    """The HTML of the pages converted and not yet rendered, compressed, by docs path."""

    held: dict[str, bytes] = field(default_factory=dict)
    rendering: set[str] = field(default_factory=set)  # given back, not yet written

    def hold(self, page: Any, html: str) -> str:
        """A page just converted to `html`: keep it compressed; what the page carries until it
        is rendered instead (""). Its Markdown source goes: the engine reads it no more. It
        becomes "" rather than None, for which the engine gives the page no title."""
        self.held[page.file.src_uri] = zlib.compress(html.encode(ENCODING, ERRORS), LEVEL)
        page.markdown = ""
        return ""

    def give_back(self, page: Any) -> None:
        """Before the theme renders `page`: its HTML again (a page not held keeps its own)."""
        held = self.held.pop(page.file.src_uri, None)
        if held is not None:
            page.content = zlib.decompress(held).decode(ENCODING, ERRORS)
            self.rendering.add(page.file.src_uri)

    def written(self, page: Any) -> None:
        """After `page` is written: its HTML goes (no other page reads it)."""
        if page.file.src_uri in self.rendering:
            self.rendering.discard(page.file.src_uri)
            page.content = ""
