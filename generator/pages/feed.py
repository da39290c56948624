"""feed.xml: an Atom feed of the newest published outcomes, written with ElementTree.

Built from the SiteIndex (public fragments only, already newest first). Dates come
from the data (an outcome's year), never from the clock, so a rebuild of the same
content writes the same bytes. Its subtitle and xml:lang follow the site's language
(the labels of templates/labels.yml); the outcomes' own text is never translated.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from generator import folders
from generator.model import Fragment
from generator.pages.indexes import SiteIndex, fragment_path
from generator.site_config import SiteConfig

FEED_PATH = folders.FEED
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
NO_DATE = "1970-01-01T00:00:00Z"  # for an outcome without a year
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"  # written xml:lang

# Characters XML 1.0 does not allow at all (control characters a spreadsheet may hold).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def updated(fragment: Fragment) -> str:
    """The entry's date: the last day of the outcome's year, so it never depends on the build time."""
    return f"{fragment.year:04d}-12-31T00:00:00Z" if fragment.year else NO_DATE


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _NOT_XML.sub("", v) for k, v in attributes.items()})
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _entry(feed: ET.Element, fragment: Fragment, site: SiteConfig, language: str) -> None:
    url = site.absolute_url(fragment_path(fragment))
    entry = _add(feed, "entry")
    _add(entry, "id", url)
    _add(entry, "title", fragment.title)
    _add(entry, "link", rel="alternate", type="text/html", href=url)
    _add(entry, "updated", updated(fragment))
    for term in (fragment.country, *(change.label(language) for change in fragment.change_types)):
        if term:
            _add(entry, "category", term=term)
    _add(entry, "summary", fragment.description, type="text")


def feed_xml(index: SiteIndex, site: SiteConfig, labels: dict[str, Any], language: str) -> bytes:
    newest = index.fragments[:FEED_SIZE]  # the index keeps Fragment.newest_first_key order
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: language})  # children inherit both
    _add(feed, "id", site.absolute_url("index.md"))
    _add(feed, "title", site.name)
    _add(feed, "subtitle", labels["feed_subtitle"].format(n=FEED_SIZE))
    _add(feed, "link", rel="self", type="application/atom+xml", href=site.absolute_url(FEED_PATH))
    _add(feed, "link", rel="alternate", type="text/html", href=site.absolute_url("index.md"))
    _add(feed, "updated", max((updated(f) for f in newest), default=NO_DATE))
    _add(_add(feed, "author"), "name", site.name)
    for fragment in newest:
        _entry(feed, fragment, site, language)
    ET.indent(feed)
    data: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def feed_files(index: SiteIndex, site: SiteConfig, labels: dict[str, Any], language: str) -> dict[str, bytes]:
    """feed.xml; labels and language are the Renderer's (t, language)."""
    return {FEED_PATH: feed_xml(index, site, labels, language)}
