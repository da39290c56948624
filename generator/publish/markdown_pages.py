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

Even handed over whole, each page still cost a Markdown object of its own (the engine makes
one per page: every extension loaded and registered again) and a pass of every
preprocessor over the page's text: ~20 % of the engine's CPU at 5,000 outcomes. So the
plugin also gives each page `engine_render` (below), which makes what Markdown would make
of a generated page without it: the text normalised by Markdown's own first step, the block
as _WholePage stashes it, the headings as _TableOfContents nests them. It does so only for
the extensions it is known to match (KNOWN_EXTENSIONS) and a page no other preprocessor
would change; any other page gets the engine's own render (tests/test_markdown_pages.py
compares both on every page of the fixture site and on hostile text).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

from generator.engine import get_toc
from generator.pages.front_matter import GENERATED_MARK

# The headings the templates write, one per line: <h2 id="details" …>Details</h2>.
_HEADING = re.compile(r'^<h([1-6])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>$', re.M)
_TAG = re.compile(r"<[^>]+>")


Heading = tuple[int, str, str]  # level, anchor, text


def whole_page(lines: list[str]) -> tuple[str, list[Heading]] | None:
    """A generated page's HTML block and its headings; None for any other page."""
    first = next((line.strip() for line in lines if line.strip()), "")
    if first != GENERATED_MARK:
        return None
    body = "\n".join(lines).strip()  # starting with the mark: Markdown sees one block
    headings = [
        (int(level), anchor, html.unescape(_TAG.sub("", text))) for level, anchor, text in _HEADING.findall(body)
    ]
    return body, headings


def toc_tokens(headings: list[Heading]) -> list[dict[str, Any]]:
    """The headings nested as the toc extension nests its tokens."""
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
    return tokens


class _WholePage(Preprocessor):
    """Stashes a generated page's HTML in one piece, before anything parses it."""

    def run(self, lines: list[str]) -> list[str]:
        page = whole_page(lines)
        self.md.okb_headings = None if page is None else page[1]  # type: ignore[attr-defined]
        if page is None:
            return lines
        return ["", "", self.md.htmlStash.store(page[0]), "", ""]  # as the raw-HTML stash spaces a block


class _TableOfContents(Treeprocessor):
    """Runs after the toc extension: a generated page's headings, nested as toc does."""

    def run(self, root: Any) -> None:
        headings = getattr(self.md, "okb_headings", None)
        if headings is not None:
            self.md.toc_tokens = toc_tokens(headings)  # type: ignore[attr-defined]


class GeneratedPages(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After normalize_whitespace (30), which would strip the stash's placeholder
        # markers, and before the raw-HTML stash (20) and MkDocs' raw-HTML scan.
        md.preprocessors.register(_WholePage(md), "okb_generated_page", 25)
        # Below the toc extension's treeprocessor (5), which would leave the list empty.
        md.treeprocessors.register(_TableOfContents(md), "okb_generated_toc", 1)


def makeExtension(**kwargs: Any) -> GeneratedPages:
    return GeneratedPages(**kwargs)


# The engine's Markdown extensions (its built-in toc, tables and fenced_code, and mkdocs.yml's)
# for which engine_render is known to give what the engine's render gives: toc and
# attr_list only work on the element tree, which holds nothing of a generated page but the
# stash's placeholder; tables is a block processor, which sees the same; fenced_code is a
# preprocessor that may run before _WholePage: a page it would change is left to the engine
# (_FENCE). Another extension, or another configuration of these, might change the HTML.
KNOWN_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "attr_list", __name__})
# A line fenced_code could take as the start of a code block (its own FENCED_BLOCK_RE's
# opening fence, without the rest): such a page is converted by the engine.
_FENCE = re.compile(r"^(?:~{3,}|`{3,})", re.M)
# Markdown's default, which the engine does not change: NormalizeWhitespace expands tabs by it.
_MARKDOWN_DEFAULTS = SimpleNamespace(tab_length=4)
_SPACES_LINE = re.compile(r"(?<=\n) +\n")  # NormalizeWhitespace's: a line of spaces only


def normalised_lines(text: str) -> list[str]:
    """Markdown's first step (NormalizeWhitespace) on `text`, each of its replacements made
    only where it can change something: on a page of HTML its regular expression cost more
    than the rest of the page's conversion (tests/test_markdown_pages.py compares the two)."""
    source = text
    if STX in source or ETX in source:
        source = source.replace(STX, "").replace(ETX, "")
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    source += "\n\n"
    if "\t" in source:
        source = source.expandtabs(_MARKDOWN_DEFAULTS.tab_length)
    if " \n" in source:
        source = _SPACES_LINE.sub("\n", source)
    return source.split("\n")


@dataclass(frozen=True)
class Rendered:
    """What the engine's Page.render sets on a page, as it sets it for a generated page."""

    content: str
    toc_tokens: list[dict[str, Any]]


def rendered_without_markdown(text: str, extensions: list[Any]) -> Rendered | None:
    """What the engine's render (a Markdown object with `extensions` and this extension) makes
    of a page's Markdown `text`, when it is a generated page that nothing else would change;
    None otherwise (the engine renders it)."""
    if not all(isinstance(name, str) for name in extensions) or set(extensions) != KNOWN_EXTENSIONS:
        return None
    page = whole_page(normalised_lines(text))
    if page is None or (("```" in page[0] or "~~~" in page[0]) and _FENCE.search(page[0])):
        return None
    # The stash's placeholder alone in a paragraph, given back whole by the raw-HTML
    # postprocessor (the block opens with a comment: block-level); normalising removed
    # every STX and ETX, so no placeholder or entity marker is left inside to replace.
    return Rendered(content=page[0], toc_tokens=toc_tokens(page[1]))


def render_page(page: Any, config: Any, files: Any) -> None:
    """The engine's Page.render(config, files) for `page`, without Markdown for a generated
    page (rendered_without_markdown): the same content and table of contents, and what the
    engine's own steps find in the stashed block: no title from a first <h1> of the element
    tree, no anchor and no link to check. Any other page: the engine's render."""
    made = rendered_without_markdown(page.markdown or "", config["markdown_extensions"])
    if made is None:
        type(page).render(page, config, files)
        return
    page.content = made.content
    page.toc = get_toc(made.toc_tokens)  # type: ignore[arg-type]
    page._title_from_render = None
    page.present_anchor_ids = set()
    page.links_to_anchors = {}
