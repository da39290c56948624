"""A hand-written page published in a language's tree it is not written in (it has no twin
there: read/hand_written_pages.py, language_pages): its text as written, with a note in the
tree's language. The note rides in the page's front matter (okb_written_in), so the page
stays the editor's Markdown; the theme shows it and marks the text with its language
(templates/theme/main.html)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from generator.pages.front_matter import front_matter

# The front matter key the theme reads (templates/theme/main.html, block content).
WRITTEN_IN = "okb_written_in"

# A front matter block as the engine finds it (MkDocs' utils.meta.YAML_RE).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def only_in_language(data: bytes, written_in: str, labels: dict[str, Any]) -> bytes:
    """A hand-written Markdown page written in `written_in`, for a tree in the language of
    `labels`: its front matter (the editor's own kept, key by key) gains the note and the
    link's text in that language; its body is unchanged."""
    text = data.decode("utf-8", "replace")
    meta: dict[str, Any] = {}
    found = _FRONT_MATTER.match(text)
    if found:
        try:
            given = yaml.safe_load(found.group(1))
        except yaml.YAMLError:
            given = None
        if isinstance(given, dict):
            meta, text = dict(given), text[found.end() :].lstrip("\n")
    language = str(labels.get(f"language_{written_in}", written_in))
    meta[WRITTEN_IN] = {
        "lang": written_in,
        "note": str(labels["page_only_in"]).format(language=language),
        "link": str(labels["page_only_in_link"]).format(language=language),
    }
    return (front_matter(meta) + text).encode("utf-8")
