"""Interface text: templates/labels.yml in the site's language (theme.language).

Templates read it as {{ t.key }}; Python code that names things on pages (listing
names, chart labels) reads the same dictionary, so one file holds every string.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markupsafe
import yaml

from generator.errors import BuildError
from generator.pages.indexes import Listing
from generator.pages.language_forms import typography

LABELS_FILE = "labels.yml"
DEFAULT_LANGUAGE = "en"


def load_labels(templates: Path, language: str) -> dict[str, Any]:
    """The interface text of templates/labels.yml in one language: key → text.

    Each key falls back from the language (fr-CA) to its primary subtag (fr), then to
    English, so a half-translated language still builds. Raises BuildError if the file
    is missing or not a mapping of key → {language: text}.
    """
    path = templates / LABELS_FILE
    try:
        # libyaml's safe loader where PyYAML has it (the same mapping, ~8x quicker: a build reads
        # the file for each of its languages), else PyYAML's own.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise BuildError(f"{path}: cannot read the interface text ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) and DEFAULT_LANGUAGE in v for v in data.values()):
        raise BuildError(
            f"{path}: expected each key to map languages to text, e.g. 'details: {{en: Details, fr: Détails}}'"
        )
    language = (language or DEFAULT_LANGUAGE).replace("_", "-")
    choices = (language, language.split("-")[0].lower(), DEFAULT_LANGUAGE)
    texts_in = {str(key): next((code, texts[code]) for code in choices if code in texts) for key, texts in data.items()}
    # Each text with its own language's spaces before punctuation (French: a no-break space before ":").
    return {key: typography(text, code) if isinstance(text, str) else text for key, (code, text) in texts_in.items()}


def fill(text: str, **parts: Any) -> markupsafe.Markup:
    """A label with its {placeholders} filled in, for templates: {{ t.home_feed | fill(feed=link) }}.

    The label is escaped; each part is escaped too, unless it is markup already (the output of
    a macro, such as a link or a count), so data stays escaped whichever way it comes in."""
    return markupsafe.escape(text).format(**parts)


def code_marks(text: str) -> markupsafe.Markup:
    """A label with its `code` marks as <code> elements, everything else escaped."""
    parts = str(text).split("`")
    return markupsafe.Markup("").join(
        markupsafe.Markup("<code>{}</code>").format(part) if index % 2 else markupsafe.escape(part)
        for index, part in enumerate(parts)
    )


def count_word(labels: dict[str, Any], n: int, one: str, many: str) -> str:
    """The singular or plural of a counted word, by the language's rule for 0 and 1."""
    return one if n == 1 or (n == 0 and labels.get("zero_is_singular")) else many


def listing_name(labels: dict[str, Any], listing: Listing) -> str:
    """A listing's visible name; those the generator names itself, and the values labels name
    (a rating, a flag: fields.Kind.labelled), follow the site's language. A value with no
    label (a rating spelt otherwise) shows as written."""
    if listing.name_label and (listing.name_label in labels or not listing.name):
        return str(labels[listing.name_label])
    return listing.name
