"""A generated page's front matter read as the engine reads it, parsing each distinct entry once.

The engine parses every page's front matter with PyYAML (its meta.get_data): ~25 entries a
fragment page, most of them shared by many pages (the country, the year, the codes, each
tag), and YAML's constructor in Python was ~10 % of the engine's CPU on our pages at 5,000
outcomes. The generator writes front matter one entry at a time (pages/front_matter.py,
FrontMatter); this reads it back the same way: a top-level mapping's value is its entries'
values one after the other, so each entry's text (and each "- " item of a list) is parsed
once per build, and those not met before are parsed together, once per page (4,384 pages:
0.55 → 0.31 s of CPU, bench/README.md, sixth round).

Only what that holds for is read here: a generated page (its body opens with
GENERATED_MARK) whose entries are each a simple key at the start of a line, followed by
indented or "- " lines, without anchors, aliases, tags, comments, blank lines or a key
given twice. Anything else, and any YAML error, gets the engine's own get_data: the same
(markdown, meta) either way (tests/test_page_meta.py compares them on every fixture page
and on hostile front matter).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.engine import MkDocsConfig, Page, meta
from generator.pages.front_matter import GENERATED_MARK

try:  # as the engine's get_data: libyaml's parser where there is one
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_ENTRY_START = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*:(?: |$)")
# An anchor, alias or tag where a node may start: such entries depend on one another.
_NODE_PROPERTY = re.compile(r"(?:[:-][ \t]+|^[ \t]*)[&*!]", re.M)
_PLAIN = (str, int, float, bool, type(None))
_ITEM = re.compile(r"-(?: |$)")


Entry = tuple[str, "list[str] | None"]  # its first line (or all of it), and its "- " items


def _entries(text: str) -> list[Entry] | None:
    """The front matter's top-level entries, or None. An entry "key:" followed by "- " lines
    only (a list, as the generator writes one) is its first line and its items; any other is
    its whole text. Lines end at "\n" only (the engine's pattern ends the text with one):
    YAML's other line breaks inside an entry make it two keys, which the reader then leaves
    to the engine."""
    entries: list[list[str]] = []
    for line in text[:-1].split("\n"):
        if line[:1] in (" ", "-"):
            if not entries or not line.strip():
                return None
            entries[-1].append(line + "\n")
        elif _ENTRY_START.match(line):
            entries.append([line + "\n"])
        else:
            return None
    return [
        (lines[0], lines[1:])
        if len(lines) > 1 and lines[0].rstrip().endswith(":") and all(_ITEM.match(line) for line in lines[1:])
        else ("".join(lines), None)
        for lines in entries
    ]


class PageMetaReader:
    """The values of the entries and list items met in this build, by their text."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, Any]] = {}  # "key: value\n" (or "key:\n") → (key, value)
        self._items: dict[str, Any] = {}  # "- item\n" → the item

    def __call__(self, source: str) -> tuple[str, dict[str, Any]]:
        """(markdown, meta) as the engine's meta.get_data(source) gives them."""
        return self._read(source) or meta.get_data(source)

    def _read(self, source: str) -> tuple[str, dict[str, Any]] | None:
        found = meta.YAML_RE.match(source)
        if found is None:
            return None
        body = source[found.end() :].lstrip("\n")
        text = found.group(1)
        entries = _entries(text) if body.startswith(GENERATED_MARK) else None
        if not entries or _NODE_PROPERTY.search(text) or not self._parse_new(entries):
            return None
        data: dict[str, Any] = {}
        for head, items in entries:
            key, value = self._entries[head]
            if items is None:
                data[key] = list(value) if isinstance(value, list) else value
            elif value is None:
                data[key] = [self._items[item] for item in items]
            else:
                return None
        if len(data) != len(entries):
            return None  # a key given twice
        return body, data

    def _parse_new(self, entries: list[Entry]) -> bool:
        """Parse the entries and items not met before, all entries in one go and all items in
        another; False where a value cannot be kept for other pages or YAML refuses the text."""
        heads = list(dict.fromkeys(head for head, _ in entries if head not in self._entries))
        items = list(dict.fromkeys(item for _, lines in entries for item in lines or () if item not in self._items))
        try:
            parsed = yaml.load("".join(heads), Loader=_Loader) if heads else {}
            listed = yaml.load("".join(items), Loader=_Loader) if items else []
        except yaml.YAMLError:
            return False
        if not isinstance(parsed, dict) or len(parsed) != len(heads):
            return False
        if not isinstance(listed, list) or len(listed) != len(items) or not all(isinstance(v, _PLAIN) for v in listed):
            return False
        for head, (key, value) in zip(heads, parsed.items()):
            if not _kept(value):
                return False  # a mapping…: the engine parses the page
            self._entries[head] = (key, value)
        self._items.update(zip(items, listed))
        return True


def _kept(value: Any) -> bool:
    """Whether a value may be given to many pages: plain, or a list of plain values (copied)."""
    return isinstance(value, _PLAIN) or (isinstance(value, list) and all(isinstance(item, _PLAIN) for item in value))


def read_source(page: Page, config: MkDocsConfig, *, read_meta: PageMetaReader) -> None:
    """The engine's Page.read_source, with the front matter read by `read_meta`."""
    source = config.plugins.on_page_read_source(page=page, config=config)
    if source is None:
        try:
            source = page.file.content_string
        except (OSError, ValueError):
            Page.read_source(page, config)  # the engine's own says which file failed, and raises
            raise
    page.markdown, page.meta = read_meta(source)
