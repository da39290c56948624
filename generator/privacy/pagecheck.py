"""What a built HTML page would load from another host.

The site may load nothing from another host (a reader's visit must not be seen by anyone
else). Generated pages are built that way; a hand-written page is whatever its editor
typed, so the build checks its built HTML with `external_loads` and fails on any address.
The Content-Security-Policy of templates/theme/main.html stops the same loads in the
browser; this check says so at build time, naming the page and the address.

Conservative on purpose: where html.parser and a browser could read markup differently,
both readings are checked. The text of comments (and of <![…]> sections) is checked as
HTML too, since a browser may end a comment sooner than html.parser (`--!>`); a
commented-out image is flagged, which costs the editor one deletion. Plain links
(<a href>, <area href>, <form action>) are not loads and are allowed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from html import unescape
from html.parser import HTMLParser

# Attributes that load their address on any element that has them: src (img, script,
# iframe, frame, embed, audio, video, source, track, input type=image…), data (object),
# poster (video), background (body, table, td: legacy, still loaded), manifest (html).
LOADING_ATTRIBUTES = frozenset({"src", "data", "poster", "background", "manifest"})
# href and xlink:href load on every element but links: SVG <image>, <use>, <feImage>,
# <script>…, and HTML <base> (which would send every relative address elsewhere).
REFERENCE_ATTRIBUTES = frozenset({"href", "xlink:href"})
LINK_ELEMENTS = frozenset({"a", "area"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
# <a ping="…">: addresses the browser sends a request to when the link is followed.
URL_LIST_ATTRIBUTES = frozenset({"ping"})
# SVG presentation attributes that take url(…) like their CSS properties.
PRESENTATION_ATTRIBUTES = frozenset(
    {"style", "fill", "stroke", "filter", "mask", "clip-path", "marker-start", "marker-mid", "marker-end", "cursor"}
)
# <link rel="…"> values that only name another address: the browser loads nothing.
# Any other value (stylesheet, icon, preload, prefetch, modulepreload, preconnect,
# dns-prefetch, manifest, search…) or a mix with one of them counts as a load.
NAMING_LINK_RELS = frozenset(
    {"alternate", "author", "bookmark", "canonical", "external", "help", "license", "me", "next",
     "nofollow", "noopener", "noreferrer", "opener", "prev", "previous", "tag"}
)  # fmt: skip

# Schemes whose addresses reach another host (ws/wss: a script's sockets, ftp: old images).
_REMOTE_SCHEME = re.compile(r"(?:https?|ftp|wss?):", re.I)
# What a browser's URL parser drops: tabs and newlines anywhere, controls and spaces at the ends.
_URL_NOISE = re.compile(r"[\t\n\r]")
_URL_EDGES = "".join(chr(c) for c in range(0x21))
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.S)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.S)
_CSS_URL = re.compile(r"""(?:url|src)\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))""", re.I)
_CSS_IMPORT_STRING = re.compile(r"""@import\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_CSS_IMAGE_SET = re.compile(r"image-set\(((?:[^()]|\([^()]*\))*)\)", re.I)
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
_REFRESH_URL = re.compile(r"""^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?["']?([^"']*)""", re.I)


def external_loads(html: str) -> list[str]:
    """The addresses on another host that the page `html` would load, in order, once each.

    An address is on another host when it is absolute with a network scheme (http, https,
    ftp, ws, wss: `https://example.org/x.png`) or protocol-relative (`//example.org/x.png`);
    data: addresses and relative paths (`../assets/x.png`, `/assets/x.png`) are this site's.
    Absolute addresses of the site itself are reported too: write them relative.
    """
    return list(dict.fromkeys(_loads_of_document(html)))


def is_external(address: str) -> bool:
    """Whether a browser would fetch `address` from another host than the page's own."""
    url = _URL_NOISE.sub("", address).strip(_URL_EDGES).replace("\\", "/")
    return url.startswith("//") or bool(_REMOTE_SCHEME.match(url))


def _loads_of_document(html: str) -> Iterator[str]:
    parser = _LoadFinder()
    parser.feed(html)
    parser.close()
    yield from parser.addresses
    for nested in parser.nested_documents:
        if nested != html:  # each nested document is shorter, so this ends
            yield from _loads_of_document(nested)


class _LoadFinder(HTMLParser):
    """Collects every address the elements, attributes and style sheets of a page load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        # HTML that a browser may also read: iframe srcdoc, comment text.
        self.nested_documents: list[str] = []
        self._style_text: list[str] | None = None  # inside <style>: its text so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(_loads_of_element(tag, attrs))
        self.nested_documents.extend(value for name, value in attrs if name == "srcdoc" and value)
        if tag == "style":
            self._style_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <style/> does not end a style element in HTML; html.parser only reports it so.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._end_style()

    def handle_data(self, data: str) -> None:
        if self._style_text is not None:
            self._style_text.append(data)

    def handle_comment(self, data: str) -> None:
        self.nested_documents.append(data)

    def parse_html_declaration(self, i: int) -> int:
        # A browser reads `<![…]>` in HTML as a comment; html.parser 3.11 raises on most.
        if self.rawdata.startswith("<![", i):
            end = self.rawdata.find(">", i + 3)
            if end < 0:
                return -1
            self.handle_comment(self.rawdata[i + 3 : end])
            return end + 1
        return super().parse_html_declaration(i)

    def close(self) -> None:
        super().close()
        # html.parser keeps the text of a <style> that never ends; a browser applies it.
        if self._style_text is not None:
            self._style_text.append(self.rawdata)
            self._end_style()
        elif self.rawdata:
            self.nested_documents.append(self.rawdata)  # whatever else it could not read

    def _end_style(self) -> None:
        if self._style_text is not None:
            css = "".join(self._style_text)
            # In SVG a <style>'s text is parsed, character references included.
            self._add(css_loads(css + "\n" + unescape(css)))
        self._style_text = None

    def _add(self, addresses: Iterable[str]) -> None:
        self.addresses.extend(address.strip() for address in addresses if is_external(address))


def _loads_of_element(tag: str, attrs: list[tuple[str, str | None]]) -> Iterator[str]:
    """Every address one start tag names as a resource (html.parser gives lower-case names)."""
    values = [(name, value) for name, value in attrs if value]
    for name, value in values:
        if name in LOADING_ATTRIBUTES or (name in REFERENCE_ATTRIBUTES and tag not in LINK_ELEMENTS and tag != "link"):
            yield value
        elif name in SRCSET_ATTRIBUTES:
            yield from srcset_addresses(value)
        elif name in URL_LIST_ATTRIBUTES:
            yield from value.split()
        elif name in PRESENTATION_ATTRIBUTES:
            yield from css_loads(value)
    if tag == "link" and _link_loads(values):
        yield from (value for name, value in values if name == "href")
    if tag == "meta":
        yield from _refresh_target(values)


def _link_loads(values: list[tuple[str, str]]) -> bool:
    rels = {rel for name, value in values if name == "rel" for rel in value.lower().split()}
    return not rels <= NAMING_LINK_RELS


def _refresh_target(values: list[tuple[str, str]]) -> Iterator[str]:
    """<meta http-equiv="refresh" content="0; url=…">: the browser goes there by itself."""
    if any(name == "http-equiv" and value.strip().lower() == "refresh" for name, value in values):
        for name, value in values:
            match = _REFRESH_URL.match(value) if name == "content" else None
            if match and match[1]:
                yield match[1]


def srcset_addresses(srcset: str) -> list[str]:
    """The addresses of a srcset ("a.png 1x, b.png 2x"): the HTML standard's reading, simplified.

    Each candidate is an address up to white space, then descriptors up to a comma; an
    address may itself hold commas (data:image/png;base64,…)."""
    addresses: list[str] = []
    position = 0
    while True:
        while position < len(srcset) and (srcset[position].isspace() or srcset[position] == ","):
            position += 1
        if position >= len(srcset):
            return addresses
        end = position
        while end < len(srcset) and not srcset[end].isspace():
            end += 1
        address = srcset[position:end]
        if address.endswith(","):
            addresses.append(address.rstrip(","))
            position = end
            continue
        addresses.append(address)
        position = _end_of_descriptors(srcset, end)


def _end_of_descriptors(srcset: str, position: int) -> int:
    """Where the descriptors after a srcset address end: the next comma outside parentheses."""
    depth = 0
    while position < len(srcset):
        character = srcset[position]
        if character == "(":
            depth += 1
        elif character == ")" and depth:
            depth -= 1
        elif character == "," and not depth:
            return position + 1
        position += 1
    return position


def css_loads(css: str) -> list[str]:
    """Every address a style sheet or style attribute names: url(…), @import "…", image-set("…")."""
    text = _unescape_css(_CSS_COMMENT.sub("", css))
    found = [_first_group(match) for match in _CSS_URL.finditer(text)]
    found += [_first_group(match) for match in _CSS_IMPORT_STRING.finditer(text)]
    for image_set in _CSS_IMAGE_SET.finditer(text):
        found += [_first_group(match) for match in _CSS_STRING.finditer(image_set[1])]
    return [address for address in found if address]


def _unescape_css(css: str) -> str:
    """CSS escapes as the characters they stand for: `\\68 ttps` is `https`."""

    def character(match: re.Match[str]) -> str:
        if match[1]:
            code = int(match[1], 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return "" if match[2] == "\n" else match[2]

    return _CSS_ESCAPE.sub(character, css)


def _first_group(match: re.Match[str]) -> str:
    return next((group for group in match.groups() if group is not None), "")


# ------------------------------------------------------------------ scripts and their tricks
#
# A hand-written page may hold no script at all: a reader's browser would run whatever its
# editor (or whoever slipped something into the file) wrote. `page_findings` reads a page
# as a browser would and names, by line, everything that runs a script or loads from
# another host; `stylesheet_findings` does the same for a copied .css file.


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


class _ScriptFinder(HTMLParser):
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

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith("<![", i):  # as _LoadFinder: a browser reads it as a comment
            end = self.rawdata.find(">", i + 3)
            if end < 0:
                return -1
            self.handle_comment(self.rawdata[i + 3 : end])
            return end + 1
        return super().parse_html_declaration(i)

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
    for address in dict.fromkeys(_loads_of_element(tag, attrs)):
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
    return _URL_NOISE.sub("", value).strip(_URL_EDGES)


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
    lines = [unescape(_URL_NOISE.sub("", text)).lower() for text in source.splitlines()]
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
