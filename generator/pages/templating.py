"""The Jinja2 environment the page templates (templates/*.md.j2) are rendered in.

Fragment text reaches the templates only as variables, HTML-escaped by autoescape and
placed inside HTML blocks, which Markdown leaves alone: so `<script>`, `# heading`,
`| table |` or `{{ x }}` in a fragment shows as typed and runs nothing.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from generator import folders
from generator.normalise.values import summary_sentence
from generator.normalise.vocabulary import slugify
from generator.pages.filters import FILTER_LIST_PATH, has_filter
from generator.pages.indexes import fragment_path
from generator.pages.labels import code_marks, fill
from generator.pages.language_forms import date_filter, number_filter


def paragraphs(text: str) -> list[list[str]]:
    """Text as paragraphs (split at blank lines), each a list of lines."""
    blocks = [block for block in text.replace("\r", "").split("\n\n")]
    return [[line for line in block.split("\n")] for block in blocks if block.strip()]


def environment(templates: Path) -> jinja2.Environment:
    """The templates' environment with the filters and globals that do not depend on the
    site's language or configuration (the Renderer adds those)."""
    made = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates are not looked at again once compiled (each page's `{% import %}` asked the
        # file system whether it changed): a preview makes a new Renderer, and with it a new
        # environment, whenever a file of templates/ changes (preview/kept.py, renderer_for).
        auto_reload=False,
    )
    made.filters["paragraphs"] = paragraphs
    made.filters["slug"] = slugify
    made.filters["fill"] = fill
    made.filters["code_marks"] = code_marks
    made.filters["first_sentence"] = summary_sentence
    # English until the Renderer sets the site's language (Renderer.__init__).
    made.filters["number"] = number_filter("en")
    made.filters["date"] = date_filter("en")
    made.globals["fragment_path"] = fragment_path
    made.globals["folders"] = folders  # the site's fixed pages and folders, by docs path
    made.globals["filter_list_path"] = FILTER_LIST_PATH
    made.globals["has_filter"] = has_filter
    return made
