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

import re
from collections.abc import Iterable, Iterator
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
URL_NOISE = re.compile(r"[\t\n\r]")
URL_EDGES = "".join(chr(c) for c in range(0x21))
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
    url = URL_NOISE.sub("", address).strip(URL_EDGES).replace("\\", "/")
    return url.startswith("//") or bool(_REMOTE_SCHEME.match(url))


def _loads_of_document(html: str) -> Iterator[str]:
    parser = _LoadFinder()
    parser.feed(html)
    parser.close()
    yield from parser.addresses
    for nested in parser.nested_documents:
        if nested != html:  # each nested document is shorter, so this ends
            yield from _loads_of_document(nested)


class BrowserLikeParser(HTMLParser):
    """html.parser, reading `<![…]>` as a browser does in HTML: as a comment (html.parser
    3.11 raises on most). The page check's parser shares it."""

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith("<![", i):
            end = self.rawdata.find(">", i + 3)
            if end < 0:
                return -1
            self.handle_comment(self.rawdata[i + 3 : end])
            return end + 1
        return super().parse_html_declaration(i)


class _LoadFinder(BrowserLikeParser):
    """Collects every address the elements, attributes and style sheets of a page load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        # HTML that a browser may also read: iframe srcdoc, comment text.
        self.nested_documents: list[str] = []
        self._style_text: list[str] | None = None  # inside <style>: its text so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(loads_of_element(tag, attrs))
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


def loads_of_element(tag: str, attrs: list[tuple[str, str | None]]) -> Iterator[str]:
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
