"""content/site.yml: whose site this is. The site's name, the programme's name, a paragraph
on what the programme does and how its outcomes are harvested, a contact line (each in
English and French, or one text for every language) and a logo (an image inside content/).

It is read for one language, the site's (mkdocs.yml's theme.language): what the file
does not give is empty, and generator/site_config.py falls back to mkdocs.yml's
site_name and site_description. A file that cannot be understood stops the build, naming
the line and what to write.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import InputError
from generator.normalise.values import safe_label
from generator.privacy.scrub import IMAGE_FORMATS, SVG_SUFFIX
from generator.read.yamlfile import line_of, mapping_items, read_yaml_nodes

# The texts of site.yml, each in the site's language: key → what it is, for messages.
SITE_TEXTS = {
    "name": "the site's name, in the header and the browser tab",
    "programme": "the programme's name, the home page's heading",
    "description": "a paragraph on the programme and how its outcomes are harvested, on the home page",
    "contact": "a contact line, in the footer of every page",
}
LOGO = "logo"
SITE_KEYS = (*SITE_TEXTS, LOGO)
LOGO_SUFFIXES = (*IMAGE_FORMATS, SVG_SUFFIX)
# The theme writes the site's name and description into attributes without escaping them.
_ATTRIBUTE_SAFE = str.maketrans({'"': "”"})
EXAMPLE_TEXT = "name:\n  en: Outcomes of the Sahel programme\n  fr: Effets du programme Sahel"


@dataclass(frozen=True)
class SiteSettings:
    """What site.yml gives, in one language; "" (or None) where it gives nothing."""

    name: str = ""
    programme: str = ""
    description: str = ""
    contact: str = ""
    logo: Path | None = None  # the image file, inside the content folder


def read_site_settings(path: Path, language: str) -> SiteSettings:
    """site.yml's texts in `language` ("fr", or "fr-CA" read as "fr") and its logo file."""
    wanted = language.split("-")[0].split("_")[0].lower() or "en"
    keys = ", ".join(f"'{key}'" for key in SITE_KEYS)
    texts: dict[str, str] = {}
    logo: Path | None = None
    for key, value in mapping_items(path, read_yaml_nodes(path), f"lines such as '{EXAMPLE_TEXT.splitlines()[0]}'"):
        if key.value not in SITE_KEYS:
            raise InputError(
                line_of(path, key),
                f"'{key.value}' is not a setting of this file",
                hint=f"the settings are {keys}; check the spelling",
            )
        if key.value == LOGO:
            logo = _logo(path, value)
        else:
            texts[key.value] = _text(path, key.value, value, wanted)
    return SiteSettings(logo=logo, **texts)


def _text(path: Path, key: str, node: yaml.Node, language: str) -> str:
    """One text: written once (for every language), or per language under 'en:' and 'fr:'."""
    if isinstance(node, yaml.ScalarNode):
        return _safe(node.value)
    by_language = {
        code.value.strip().lower(): value
        for code, value in mapping_items(path, node, f"'{key}' written once, or under 'en:' and 'fr:'")
    }
    value = by_language.get(language)
    if value is None:
        raise InputError(
            line_of(path, node),
            f"'{key}' ({SITE_TEXTS[key]}) has no text in '{language}', the site's language",
            hint=f"add a line '{language}: …' under '{key}:', indented like the others",
        )
    if not isinstance(value, yaml.ScalarNode):
        raise InputError(line_of(path, value), f"'{key}' in '{language}' should be one text")
    return _safe(value.value)


def _safe(text: str) -> str:
    """One line, safe where the theme writes it unescaped (the header, the page's description)."""
    return safe_label(text).translate(_ATTRIBUTE_SAFE)


def _logo(path: Path, node: yaml.Node) -> Path | None:
    """The logo's file: a path inside the content folder (site.yml's folder)."""
    if not isinstance(node, yaml.ScalarNode):
        raise InputError(line_of(path, node), "'logo' should be the path of an image, such as 'pages/logo.png'")
    written = str(node.value).strip()
    if not written:
        return None
    content = path.parent.resolve()
    where = line_of(path, node)
    logo = (path.parent / written).resolve()
    if not logo.is_relative_to(content):
        raise InputError(
            where,
            "the logo must be an image inside the content folder",
            hint="copy it into content/pages/ and write 'logo: pages/' and its file name",
        )
    if logo.suffix.lower() not in LOGO_SUFFIXES:
        raise InputError(
            where,
            f"the logo must be an image ({', '.join(LOGO_SUFFIXES)})",
            hint="save it as .png or .svg and write its new name here",
        )
    if not logo.is_file():
        raise InputError(
            where,
            "there is no logo file at this path (it is read from the content folder)",
            hint="check the file's name, or put the image into content/pages/",
        )
    return logo
