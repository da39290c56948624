"""A Python-Markdown extension for the pages the generator writes: they are HTML already.

Every generated page (templates/*.md.j2) is one block of HTML after its front matter,
opening with the line GENERATED_MARK. Markdown would pass such a block through unchanged,
but only after parsing every tag of it twice (Python-Markdown's raw-HTML stash and MkDocs'
anchor scan): at 5,000 outcomes that was most of the build. This extension hands the block
over whole instead, and gives the table of contents the page's headings, so the result is
the HTML Markdown would have made (tests/test_markdown_pages.py compares the two).

Listed in mkdocs.yml's markdown_extensions, so `mkdocs build`, `mkdocs serve` and
`python -m generator build` all use it; a page without the mark (a hand-written one) is
converted as usual. Another engine without the extension still gets the same HTML, only
later, and no table of contents for generated pages.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from generator.pages.front_matter import GENERATED_MARK

# The headings the templates write, one per line: <h2 id="details" …>Details</h2>.
_HEADING = re.compile(r'^<h([1-6])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>$', re.M)
_TAG = re.compile(r"<[^>]+>")


class _WholePage(Preprocessor):
    """Stashes a generated page's HTML in one piece, before anything parses it."""

    def run(self, lines: list[str]) -> list[str]:
        first = next((line.strip() for line in lines if line.strip()), "")
        if first != GENERATED_MARK:
            self.md.okb_headings = None  # type: ignore[attr-defined]
            return lines
        body = "\n".join(lines).strip()  # starting with the mark: Markdown sees one block
        self.md.okb_headings = [  # type: ignore[attr-defined]
            (int(level), anchor, html.unescape(_TAG.sub("", text))) for level, anchor, text in _HEADING.findall(body)
        ]
        return ["", "", self.md.htmlStash.store(body), "", ""]  # as the raw-HTML stash spaces a block


class _TableOfContents(Treeprocessor):
    """Runs after the toc extension: a generated page's headings, nested as toc does."""

    def run(self, root: Any) -> None:
        headings = getattr(self.md, "okb_headings", None)
        if headings is None:
            return
        tokens: list[dict[str, Any]] = []
        stack: list[dict[str, Any]] = []
        for level, anchor, name in headings:
            token = {
                "level": level,
                "id": anchor,
                "name": name,
                "html": html.escape(name),
                "data-toc-label": "",
                "children": [],
            }
            while stack and stack[-1]["level"] >= level:
                stack.pop()
            (stack[-1]["children"] if stack else tokens).append(token)
            stack.append(token)
        self.md.toc_tokens = tokens  # type: ignore[attr-defined]


class GeneratedPages(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After normalize_whitespace (30), which would strip the stash's placeholder
        # markers, and before the raw-HTML stash (20) and MkDocs' raw-HTML scan.
        md.preprocessors.register(_WholePage(md), "okb_generated_page", 25)
        # Below the toc extension's treeprocessor (5), which would leave the list empty.
        md.treeprocessors.register(_TableOfContents(md), "okb_generated_toc", 1)


def makeExtension(**kwargs: Any) -> GeneratedPages:
    return GeneratedPages(**kwargs)
