"""The page check: what a hand-written page may not hold at all, found by line.

A hand-written page may hold no script at all: a reader's browser would run whatever its
editor (or whoever slipped something into the file) wrote. `page_findings` reads a page
as a browser would and names, by line, everything that runs a script or loads from
another host (scripts, event handlers, script and data: addresses, frames, SVG animations
of addresses, external loads hidden in HTML, SVG or CSS); `stylesheet_findings` does the
same for a copied .css file. What counts as a load from another host is
generator/privacy/external_loads.py's reading.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from html import unescape

from generator.privacy.external_loads import (
    SRCSET_ATTRIBUTES,
    URL_EDGES,
    URL_NOISE,
    BrowserLikeParser,
    css_loads,
    is_external,
    loads_of_element,
    srcset_addresses,
)


@dataclass(frozen=True)
class Finding:
    """One thing a hand-written page must not do: where (line, when known), what, what to do."""

    line: int | None
    problem: str
    hint: str
    evidence: str = ""  # what to look for in the source to find the line (a name, a scheme)


NO_SCRIPT_HINT = "remove it: hand-written pages may hold no script"
# Elements refused whatever their attributes, with what they are in plain words.
REFUSED_ELEMENTS = {
    "script": "a <script> element (a program that every reader's browser would run)",
    "iframe": "an <iframe> (another page shown inside this one)",
    "frame": "a <frame> (another page shown inside this one)",
    "frameset": "a <frameset> (other pages shown inside this one)",
    "object": "an <object> (a plug-in or another page shown inside this one)",
    "embed": "an <embed> (a plug-in or another page shown inside this one)",
    "applet": "an <applet> (a Java program)",
    "portal": "a <portal> (another page shown inside this one)",
    "base": "a <base> element (it sends every relative address of the page to another place)",
    "foreignobject": "an SVG <foreignObject> (a web page inside a drawing, which can carry scripts)",
}
REFUSED_ELEMENT_HINT = "remove it; to show something of another site, link to it with a plain link"
# SVG animation elements: they can change any attribute of the drawing while it plays.
ANIMATION_ELEMENTS = frozenset({"set", "animate", "animatemotion", "animatetransform", "animatecolor"})
# Attributes an animation may not change: addresses (which could become javascript: or
# another host's) and event handlers.
ANIMATED_ADDRESSES = frozenset({"href", "xlink:href", "src", "action", "formaction", "data", "style"})
# Attributes that hold one address (or a list of them: srcset, ping) a browser follows or loads.
ADDRESS_ATTRIBUTES = frozenset(
    {"href", "xlink:href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc",
     "manifest", "ping", "srcset", "imagesrcset", "lowsrc", "dynsrc", "codebase", "archive", "classid", "usemap"}
)  # fmt: skip
# SVG animation values: addresses an animation would put into the attribute it changes.
ANIMATION_VALUE_ATTRIBUTES = frozenset({"to", "from", "by", "values"})
# Schemes whose address is a program: following or loading it runs the script it holds.
_SCRIPT_SCHEME = re.compile(r"(?:java|vb|live)script:", re.I)
_DATA_SCHEME = re.compile(r"data:", re.I)
# data: addresses that are only pixels: a picture written into the page, allowed in the
# attributes that load a picture.
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpe?g|gif|webp|avif|bmp|x-icon)[;,]", re.I)
IMAGE_ATTRIBUTES = frozenset({"src", "srcset", "poster", "background", "href", "xlink:href"})
IMAGE_ELEMENTS = frozenset({"img", "source", "video", "image", "input", "picture", "body", "table", "td", "th"})
_SHEET, _PAGE = "this style sheet loads", "this page loads"
_EXTERNAL_HINT = "save the file into content/pages/ and refer to it by a relative address, or make it a plain link"


def page_findings(html: str) -> list[Finding]:
    """What in the HTML or SVG page `html` runs a script or loads from another host, in order.

    Read conservatively, as `external_loads` is: comments and <![…]> sections are read as
    markup too (a browser may end them sooner than html.parser), character references
    count (`javascript&colon;`), and tabs or new lines inside an address are dropped as a
    browser drops them."""
    return list(_findings_of_document(html, 0))


def stylesheet_findings(css: str) -> list[Finding]:
    """What in the style sheet `css` (a copied .css file) loads from another host: @import,
    url(), image-set(), each with the line where its address ends."""
    findings = []
    for address in dict.fromkeys(address for address in css_loads(css) if is_external(address)):
        problem = f"{_SHEET} {address.strip()} from another host; the site may load nothing from elsewhere"
        line = _line_where(css, functools.partial(_loads_address, address))
        findings.append(Finding(line, problem, _EXTERNAL_HINT, address.strip()))
    return findings


def _loads_address(address: str, css: str) -> bool:
    return address in css_loads(css)


def _findings_of_document(html: str, first_line: int) -> Iterator[Finding]:
    parser = _ScriptFinder(first_line)
    parser.feed(html)
    parser.close()
    yield from parser.findings
    for line, nested in parser.nested_documents:
        if nested != html:  # each nested document is shorter, so this ends
            yield from _findings_of_document(nested, line)


def _line_where(text: str, holds: Callable[[str], bool]) -> int | None:
    """The first line of `text` by which `holds` is true of the text up to it (a binary
    search over whole lines), or None when it never is."""
    lines = text.splitlines(keepends=True)
    low, high = 1, len(lines)
    if not lines or not holds(text):
        return None
    while low < high:
        middle = (low + high) // 2
        if holds("".join(lines[:middle])):
            high = middle
        else:
            low = middle + 1
    return low


class _ScriptFinder(BrowserLikeParser):
    """Collects, with their lines, the scripts, handlers, script addresses and external loads
    of a page."""

    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line  # the line of the page where this text starts, less one
        self.findings: list[Finding] = []
        self.nested_documents: list[tuple[int, str]] = []  # (line before it, text)
        self._style: tuple[int, list[str]] | None = None  # inside <style>: its line and text so far

    def line(self) -> int:
        return self.first_line + self.getpos()[0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.line()
        self.findings.extend(replace(finding, line=line) for finding in _element_problems(tag, attrs))
        self.nested_documents.extend((line - 1, value) for name, value in attrs if name == "srcdoc" and value)
        if tag == "style":
            self._style = (line, [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <style/> does not end a style element in HTML

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._end_style()

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            self._style[1].append(data)

    def handle_comment(self, data: str) -> None:
        self.nested_documents.append((self.line() - 1, data))

    def close(self) -> None:
        super().close()
        if self._style is not None:
            self._style[1].append(self.rawdata)
            self._end_style()
        elif self.rawdata:
            self.nested_documents.append((self.line() - 1, self.rawdata))

    def _end_style(self) -> None:
        if self._style is not None:
            line, parts = self._style
            css = "".join(parts)
            found = stylesheet_findings(css)
            found += [finding for finding in stylesheet_findings(unescape(css)) if finding not in found]  # SVG
            self.findings.extend(
                replace(finding, line=line + (finding.line or 1) - 1, problem=finding.problem.replace(_SHEET, _PAGE, 1))
                for finding in found
            )
        self._style = None


def _element_problems(tag: str, attrs: list[tuple[str, str | None]]) -> Iterator[Finding]:
    """Each thing one start tag does that a hand-written page may not (without its line)."""
    values = [(name, value or "") for name, value in attrs]
    if tag in REFUSED_ELEMENTS:
        hint = NO_SCRIPT_HINT if tag == "script" else REFUSED_ELEMENT_HINT
        yield Finding(None, f"this page has {REFUSED_ELEMENTS[tag]}", hint, f"<{tag}")
    for name, value in values:
        if name.startswith("on"):
            problem = f"the attribute '{name}' of <{tag}> runs a script when the reader's browser calls it"
            yield Finding(None, problem, f"remove '{name}=…': hand-written pages may hold no script", name)
        elif _is_script_address(name, value):
            problem = f"the attribute '{name}' of <{tag}> holds a javascript: address, which runs a script"
            yield Finding(None, problem, "remove it, or write the address of a page instead", "script:")
        elif name in ADDRESS_ATTRIBUTES and _is_data_document(tag, name, value):
            problem = f"the attribute '{name}' of <{tag}> holds a data: address that is not a picture"
            yield Finding(None, problem, "save the file into content/pages/ and refer to it by its name", "data:")
    if tag in ANIMATION_ELEMENTS:
        animated = next((value.strip().lower() for name, value in values if name == "attributename"), "")
        if animated in ANIMATED_ADDRESSES or animated.startswith("on"):
            problem = f"the animation <{tag}> changes the attribute '{animated}', an address or script of the drawing"
            hint = "remove the animation, or animate something else (a colour, a position)"
            yield Finding(None, problem, hint, f"<{tag}")
    if tag == "meta" and any(name == "http-equiv" and value.strip().lower() == "refresh" for name, value in values):
        problem = 'this page sends readers to another page by itself (<meta http-equiv="refresh">)'
        yield Finding(None, problem, "remove it, and link to the other page instead", "refresh")
    for address in dict.fromkeys(loads_of_element(tag, attrs)):
        if is_external(address):
            problem = f"this page loads {address.strip()} from another host; the site may load nothing from elsewhere"
            yield Finding(None, problem, _EXTERNAL_HINT, address.strip())


def _is_script_address(name: str, value: str) -> bool:
    if name in ADDRESS_ATTRIBUTES:
        candidates = srcset_addresses(value) if name in SRCSET_ATTRIBUTES else [value, *value.split()]
    elif name in ANIMATION_VALUE_ATTRIBUTES:
        candidates = re.split(r"[;,\s]+", value)
    else:
        return False
    return any(_SCRIPT_SCHEME.match(_address(candidate)) for candidate in candidates)


def _is_data_document(tag: str, name: str, value: str) -> bool:
    """A data: address anywhere but a picture loaded as one: a page, a drawing, a script."""
    candidates = srcset_addresses(value) if name in SRCSET_ATTRIBUTES else [value]
    for candidate in map(_address, candidates):
        if _DATA_SCHEME.match(candidate):
            is_picture = tag in IMAGE_ELEMENTS and name in IMAGE_ATTRIBUTES and _DATA_IMAGE.match(candidate)
            if not is_picture:
                return True
    return False


def _address(value: str) -> str:
    """An attribute's address as a browser's URL parser reads it (tabs, new lines dropped)."""
    return URL_NOISE.sub("", value).strip(URL_EDGES)


@dataclass(frozen=True)
class RenderedPage:
    """A hand-written Markdown page as MkDocs read it (front matter included) and the HTML
    it made of it: the page's content, without the theme around it, and its title (from
    the front matter or the first heading), which the theme writes into the page as HTML."""

    source: str
    html: str
    title: str = ""


def markdown_page_findings(rendered: str, source: str) -> list[Finding]:
    """What the HTML that Markdown made of a page (`rendered`) runs or loads, with the line
    of the Markdown `source` it comes from. Raw HTML is found in the source itself; what
    Markdown's own syntax made (`[a link](javascript:…)`, `{: onclick="…"}`) is found on
    the first line that holds its evidence (a scheme, an attribute's name). Only the
    rendered HTML decides what is refused: `<script>` shown as code in the Markdown is text."""
    in_source = page_findings(source)
    lines = [unescape(URL_NOISE.sub("", text)).lower() for text in source.splitlines()]
    findings = []
    for finding in page_findings(rendered):
        same = next((found for found in in_source if found.problem == finding.problem), None)
        if same is not None:
            in_source.remove(same)
            line = same.line
        else:
            evidence = finding.evidence.lower()
            line = next((number for number, text in enumerate(lines, 1) if evidence and evidence in text), None)
        findings.append(replace(finding, line=line))
    return findings
