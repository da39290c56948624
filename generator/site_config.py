"""What the generator needs of mkdocs.yml, read with MkDocs' own loader, and MkDocs' URL rules.

MkDocs' loader gives `!ENV`, `INHERIT` and the defaults exactly as `mkdocs build` sees
them. Page addresses come from MkDocs' File rules (use_directory_urls), so every link the
generator writes into raw HTML (which MkDocs cannot check or rewrite) is the one MkDocs
gives the page.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import folders
from generator.errors import BuildError, InputError, Location
from generator.read.content_folder import SITE_FILE
from generator.read.site_settings import SiteSettings, read_site_settings

if TYPE_CHECKING:
    from generator.engine import MkDocsConfig

DEFAULT_NAME = "Outcome knowledge base"


@dataclass
class Urls:
    """MkDocs' URL rules for the pages and files of the docs folder."""

    use_directory_urls: bool = True
    _cache: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def url(self, docs_path: str) -> str:
        """The URL of a docs file relative to the site root: 'a/b.md' → 'a/b/' (or 'a/b.html');
        the home page is '' (or 'index.html')."""
        url = self._cache.get(docs_path)
        if url is None:
            from generator.engine import File

            url = File(docs_path, "", "", self.use_directory_urls).url
            url = self._cache[docs_path] = "" if url == "./" else url
        return url

    def root_of(self, docs_path: str) -> str:
        """The relative way from a page up to the site root: 'countries/mali.md' → '../../'
        with directory URLs, '../' without."""
        return "../" * self.url(docs_path).count("/")

    def href(self, from_path: str, to_path: str) -> str:
        """A link from one page to another, through the site root: right from any depth."""
        return self.root_of(from_path) + self.url(to_path) or "./"


@dataclass(frozen=True)
class SiteConfig:
    name: str
    url: str  # site_url, always ending with "/"; "" when not set
    language: str = "en"  # theme.language: the language of the pages' interface text
    config_file: str = "mkdocs.yml"
    urls: Urls = field(default_factory=Urls)
    # Whose site this is (content/site.yml, in the site's language; see site_config()).
    programme: str = ""  # the home page's heading (the site's name when not given)
    # The home page's paragraph (its interface text's intro when not given, in the site's language).
    description: str = ""
    contact: str = ""  # the footer's contact line
    logo: str = ""  # the logo's docs path (folders.SITE_LOGO and its suffix); "" for none
    logo_source: Path | None = None  # the logo's file in content/, published scrubbed
    settings_file: str = ""  # content/site.yml when it was read, for messages
    # Every language of the site (site_languages), the first at its root: an outcome whose
    # Language is not given is written in the first, and a hand-written page has a twin in each.
    languages: tuple[str, ...] = ()

    @property
    def text_language(self) -> str:
        """The language of an outcome whose Language field is empty: the site's first."""
        return (self.languages[0] if self.languages else self.language).replace("_", "-").split("-")[0].lower()

    def absolute_url(self, docs_path: str) -> str:
        """The public address of a generated page or file: fragments/a.md → https://…/fragments/a/."""
        if not self.url:
            raise InputError(
                Location(self.config_file),
                "site_url is not set: the open data and the feed need the site's public address",
                hint="add a line such as 'site_url: https://my-org.github.io/outcome-knowledge-base/'",
            )
        return self.url + self.urls.url(docs_path)


def site_config(config: MkDocsConfig) -> SiteConfig:
    """The settings the generator uses, from a loaded MkDocs configuration and the project's
    content/site.yml (the one place editors name their site: read/site_settings.py). What
    site.yml does not give falls back to mkdocs.yml's site_name (and, in the page's
    description, site_description).
    Raises InputError naming site.yml's line when it cannot be read."""
    url = str(config.site_url or "").strip()
    if url and not url.endswith("/"):
        url += "/"
    theme: Any = config.theme
    language = str(theme.get("language") or "en") if theme is not None else "en"
    site_file = plugin_content(config) / SITE_FILE
    given = read_site_settings(site_file, language) if site_file.is_file() else SiteSettings()
    name = given.name or str(config.site_name or "").strip() or DEFAULT_NAME
    logo = given.logo
    return SiteConfig(
        name=name,
        url=url,
        language=language,
        config_file=str(config.config_file_path or "mkdocs.yml"),
        urls=Urls(bool(config.use_directory_urls)),
        programme=given.programme,
        description=given.description,
        contact=given.contact,
        logo=folders.site_logo(logo.suffix.lower()) if logo is not None else "",
        logo_source=logo,
        settings_file=str(site_file) if site_file.is_file() else "",
        languages=site_languages(config),
    )


def with_site_settings(config: MkDocsConfig) -> MkDocsConfig:
    """The engine's configuration with content/site.yml's name, description and logo, so that
    the theme's header, tab titles and page descriptions say them (the plugin calls this
    at the start of every build). The logo's scrubbed copy is written by the generation."""
    site = site_config(config)
    config.site_name = site.name
    if site.description:
        config.site_description = site.description
    if site.logo:
        config.theme["logo"] = site.logo
    return config


PLUGIN_NAME = "outcome-kb"  # the plugin's name in mkdocs.yml (pyproject.toml's entry points)


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def site_languages(config: MkDocsConfig) -> tuple[str, ...]:
    """The languages of the site, the first at its root and each other in a folder of its
    name (/fr/): the plugin's option (plugins: - outcome-kb: languages: [en, fr]); without
    it, theme.language alone. Raises BuildError naming mkdocs.yml when a code is not one."""
    plugin: Any = config.plugins.get(PLUGIN_NAME)
    given = [str(code).strip() for code in (plugin.config.languages if plugin is not None else [])]
    if not given:
        theme: Any = config.theme
        return (str(theme.get("language") or "en") if theme is not None else "en",)
    where = str(config.config_file_path or "mkdocs.yml")
    for code in given:
        if not LANGUAGE_CODE.fullmatch(code):
            raise BuildError(
                f"{where}: '{code}' in the outcome-kb plugin's languages is not a language code: "
                "write codes such as 'en' and 'fr' (the first is the language at the site's root)"
            )
    if len(set(given)) != len(given):
        raise BuildError(f"{where}: a language is listed twice in the outcome-kb plugin's languages: list each once")
    return tuple(given)


def language_folder(languages: tuple[str, ...], language: str) -> str:
    """Where a language's pages are in the site: '' for the first, 'fr/' for French."""
    return "" if language == languages[0] else f"{language}/"


@dataclass(frozen=True)
class Alternate:
    """One language of the site, as a page of another language links to its twin: the way
    from this language's root to that language's (prefix, 'fr/' or '../'), its public address
    ('' without site_url), its code and its name in itself."""

    lang: str
    name: str
    prefix: str
    url: str


@dataclass(frozen=True)
class Alternates:
    """The site's languages for the theme (config.extra.alternate, when there are several):
    templates/theme/partials/alternate.html links each page to its twins. True, so that
    Material's header shows the switch; not iterable, so that Material's own <head> links
    (which lead to each language's home page) are left out for main.html's per-page ones."""

    languages: tuple[Alternate, ...]
    default: str  # the language at the site's root (hreflang x-default)

    def __bool__(self) -> bool:
        return bool(self.languages)


def alternates(root_url: str, languages: tuple[str, ...], language: str, names: dict[str, str]) -> Alternates:
    """The alternates seen from the pages of `language`; root_url: the site's address, '' or
    ending with '/'; names: each language's name in itself."""
    up = "../" if language_folder(languages, language) else ""
    return Alternates(
        tuple(
            Alternate(
                code,
                names[code],
                up + language_folder(languages, code),
                root_url + language_folder(languages, code) if root_url else "",
            )
            for code in languages
        ),
        languages[0],
    )


def config_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which the plugin's folders (content, templates) are relative to."""
    return Path(config.config_file_path or "mkdocs.yml").resolve().parent


def plugin_content(config: MkDocsConfig) -> Path:
    """The project's content folder: the plugin's option (plugins: outcome-kb: content), or
    content/ beside mkdocs.yml when the configuration does not use the plugin."""
    plugin: Any = config.plugins.get(PLUGIN_NAME)
    return config_root(config) / (str(plugin.config.content) if plugin is not None else "content")


def plugin_templates(config: MkDocsConfig) -> Path | None:
    """The templates folder the plugin's options name in a loaded configuration (plugins:
    outcome-kb: templates), None when the configuration does not use the plugin."""
    plugin: Any = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        return None
    return config_root(config) / str(plugin.config.templates)


def load_mkdocs_config(config_file: Path, **overrides: Any) -> MkDocsConfig:
    """mkdocs.yml through MkDocs' own loader. Raises BuildError naming the file on any problem.

    MkDocs insists that docs_dir exists: a check (which writes nothing) passes an empty
    temporary folder instead."""
    from generator.engine import ENGINE, ConfigurationError, load_config

    if not config_file.is_file():
        raise BuildError(f"{config_file}: no MkDocs configuration here; run the command from the project folder")
    # MkDocs logs its configuration warnings before it raises; they belong in our message.
    messages: list[str] = []
    handler = _Collector(messages)
    logger = logging.getLogger(ENGINE.logger)
    logger.addHandler(handler)
    try:
        return load_config(str(config_file), **overrides)
    except (ConfigurationError, OSError, ValueError) as error:
        details = "; ".join(messages) or str(error)
        raise BuildError(f"{config_file}: MkDocs cannot read this configuration: {details}") from None
    finally:
        logger.removeHandler(handler)


def read_site_config(config_file: Path) -> SiteConfig:
    """The generator's settings from a configuration file, without needing its docs folder."""
    with tempfile.TemporaryDirectory(prefix="okb-config-") as empty:
        return site_config(load_mkdocs_config(config_file, docs_dir=empty))


class _Collector(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
