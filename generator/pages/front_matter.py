"""The front matter of a generated page: its YAML, written by the YAML library, and the
key that names the section a page sits under."""

from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml's emitter is many times faster; both write the same YAML
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Dumper = yaml.SafeDumper


def front_matter(data: dict[str, Any]) -> str:
    return f"---\n{_yaml(data)}---\n\n"


def _yaml(data: object) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9))


_PLAIN_TYPES = (str, int, bool, float, type(None))
SIMPLE_KEY_LENGTH = 100  # shorter one-line keys are written "key:" (the library's limit is 128)


class FrontMatter:
    """front_matter(), written one entry (and one list item) at a time from the YAML of the
    same key and value met before: most values of a fragment page (country, year, codes,
    ratings, each tag) are shared by many pages, and yaml.dump of each page's whole front
    matter was 15 % of the generator.

    A top-level mapping's YAML is its entries' YAML one after the other; a list is its
    key's line and a line per item, as long as no two entries share a list (the library
    would write an anchor and an alias). Other values (not plain scalars or non-empty
    lists of them), long keys and shared lists go through front_matter() whole."""

    def __init__(self) -> None:
        self._entries: dict[tuple[object, ...], str] = {}

    def __call__(self, data: dict[str, Any]) -> str:
        parts: list[str] = []
        lists: set[int] = set()
        for key, value in data.items():
            if type(key) is not str or len(key) > SIMPLE_KEY_LENGTH or not key.isprintable():
                return front_matter(data)
            if type(value) in _PLAIN_TYPES:
                parts.append(self._entry(key, value))
            elif type(value) is list and value and id(value) not in lists:
                lists.add(id(value))
                if not all(type(item) in _PLAIN_TYPES for item in value):
                    return front_matter(data)
                items = [self._entry(key, [item]) for item in value]  # each "key:\n- item\n"
                parts.append(items[0])
                parts += [item.split("\n", 1)[1] for item in items[1:]]
            else:
                return front_matter(data)
        return "---\n" + "".join(parts) + "---\n\n"

    def _entry(self, key: str, value: object) -> str:
        """The YAML of {key: value}; types tell values apart (1, 1.0 and True are one dict key)."""
        if isinstance(value, list):
            cache_key: tuple[object, ...] = (key, list, type(value[0]), value[0])
        else:
            cache_key = (key, type(value), value)
        text = self._entries.get(cache_key)
        if text is None:
            text = self._entries[cache_key] = _yaml({key: value})
        return text


# Front matter key of a page below a section (a fragment, a country…): the docs path of the
# section's own page. The plugin highlights that page's tab (plugin.py, on_page_context),
# as the theme highlights only pages that are in the nav.
NAV_SECTION = "nav_section"
# The first line of every generated page's body: the Markdown extension of the engine
# (generator/publish/markdown_pages.py) passes a block that opens with it through whole.
GENERATED_MARK = "<!-- okb:generated -->"


def nav_section(path: str) -> str | None:
    """The page of the section a generated page sits under: countries/kenya.md →
    countries/index.md; None for a section's own page and for pages at the top."""
    folder, _, name = path.rpartition("/")
    return f"{folder.split('/')[0]}/index.md" if folder and name != "index.md" else None
