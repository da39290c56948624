"""The inline scripts a page's Content-Security-Policy allows: the theme's own, by hash.

The policy (templates/theme/main.html) allows no inline script but those it lists by their
sha256 hash, so a script that reaches a page any other way (a hand-written page, an
attribute that slipped through) does not run. Material writes a few inline scripts of
its own (partials/javascripts/*.html: the page's base address and its storage helpers,
the tab of a link's target); the first holds the page's relative base URL, so the hashes
differ with a page's depth. They are computed from the theme's own templates, rendered
with the page's context before the page is (the plugin's on_page_context), never from the
page: nothing a page holds can get a script of its own listed.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2

# Where Material keeps its inline scripts (each file is one script, included by base.html).
THEME_SCRIPTS = "partials/javascripts/"
# Script types a browser runs (anything else, such as application/json, is data).
SCRIPT_TYPES = frozenset({"", "module", "text/javascript", "application/javascript", "application/ecmascript"})


def theme_script_templates(theme_dirs: Iterable[str | Path]) -> list[str]:
    """The theme's script partials (partials/javascripts/*.html) in its folders (the theme's
    own and custom_dir). Found in the folders, not through the environment: listing the
    environment's templates walks Material's thousands of icons (about a second)."""
    return sorted(
        {
            path.relative_to(folder).as_posix()
            for folder in map(Path, theme_dirs)
            for path in folder.glob(f"{THEME_SCRIPTS}*.html")
        }
    )


def theme_script_sources(env: jinja2.Environment, templates: Iterable[str], context: Mapping[str, Any]) -> list[str]:
    """The policy sources ('sha256-…') of every inline script the theme's script partials
    (`templates`) write into a page rendered with `context`. A partial that a page does not
    include adds a hash nothing uses: the theme's own script, harmless."""
    config = context.get("config")
    features = (config.theme.get("features") if config is not None else None) or []
    scripts = [
        script
        for name in templates
        for script in inline_scripts(env.get_template(name).render({**context, "features": features}))
    ]
    return list(dict.fromkeys(script_source(script) for script in scripts))


# The start of script-src as templates/theme/main.html writes it: the preview's reload
# script's hash goes right after it (with_preview_source).
SCRIPT_SRC_START = b"script-src 'self'"


def with_preview_source(page: bytes, source: str) -> bytes:
    """A page served by mkdocs serve whose policy also allows `source` (the reload script
    MkDocs adds as it serves the page). The first script-src of the page is the policy's:
    it is the first block of <head>."""
    return page.replace(SCRIPT_SRC_START, SCRIPT_SRC_START + b" " + source.encode("ascii"), 1)


def script_source(script: str) -> str:
    """The source that allows the inline script `script`: its text's SHA-256, as CSP writes it."""
    digest = hashlib.sha256(script.replace("\r\n", "\n").encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script a browser would run in `html`, in order."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return parser.scripts


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self._text: list[str] | None = None  # inside an inline script: its text so far

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            values = dict(attrs)
            runs = (values.get("type") or "").strip().lower() in SCRIPT_TYPES
            self._text = [] if runs and "src" not in values else None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)  # a script's text comes as written: no reference is read

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._text is not None:
            self.scripts.append("".join(self._text))
            self._text = None
