"""The MkDocs plugin `outcome-kb`: generates the Markdown from content/ before each
`mkdocs serve` or `mkdocs build`, indexes a built site for search, and translates the
nav titles of mkdocs.yml into the site's language.

It keeps what it needs on the instance (MkDocs keeps a plugin that has on_startup for the
whole `mkdocs serve` session). Zensical ignores MkDocs plugins: there, run
`python -m generator generate` first.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from generator import pipeline, search
from generator.errors import BuildError, InputError
from generator.labels import load_labels
from generator.site_config import site_config
from generator.write import staging_dir, swap_in

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.outcome_kb")


class OutcomeKnowledgeBaseConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' class is untyped
    content = config_options.Type(str, default="content")  # relative to mkdocs.yml
    templates = config_options.Type(str, default="templates")


class OutcomeKnowledgeBasePlugin(BasePlugin[OutcomeKnowledgeBaseConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.command: str = "build"
        # Set by `python -m generator build`, which generates the pages itself first (and
        # runs the leak guard on the finished site itself).
        self.generated_already = False
        self.report: pipeline.BuildReport | None = None  # of the last generation, for the guard
        # `mkdocs build` / `gh-deploy` build into a folder of their own, swapped in for
        # site_dir only when the guard passed: a failed build leaves the last site as it was.
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        # Set by `python -m generator build` while MkDocs runs: takes each page's path in the
        # site and the bytes MkDocs writes there (the leak guard checks them as they come).
        self.page_output: Callable[[str, bytes], None] | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or "mkdocs.yml").resolve().parent

    def templates_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.templates

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.command != "serve" and not self.generated_already:
            self.site_dir = Path(config.site_dir)
            self.staging = staging_dir(self.site_dir)
            config.site_dir = str(self.staging)
        return config

    def on_build_error(self, *, error: Exception) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.generated_already:
            return
        root = self._root(config)
        settings = pipeline.Settings(
            contents=[root / self.config.content],
            docs_dir=Path(config.docs_dir),
            templates=self.templates_dir(config),
            config_file=Path(config.config_file_path or "mkdocs.yml"),
            site=site_config(config),
        )
        try:
            # A preview reuses pages nothing has changed; a build that publishes makes all again.
            self.report = pipeline.generate(settings, reuse=self.command == "serve")
        except (InputError, BuildError) as error:
            raise PluginError(f"Outcome knowledge base: {error}") from None
        log.info("Generated %d pages from %d public fragments", self.report.pages, self.report.published)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the built site for search, as `python -m generator build` does; `mkdocs serve`
        skips it to keep previews quick (its search box then says search works on the built site)."""
        if self.generated_already or self.command == "serve":
            return
        built = Path(config.site_dir)
        try:
            if self.report is not None:
                search.index_records(self.report.search_records, self.report.language, built)
                pipeline.check_hand_written_pages(built, self.report.hand_written, site_config(config).urls)
            # `mkdocs build` and `mkdocs gh-deploy` publish too: the guard fails them before
            # anything is deployed. (A preview on this computer is not checked, to stay quick.)
            pipeline.check_for_leaks(self.report.guard if self.report else None, built, Path(config.docs_dir))
        except (InputError, BuildError) as error:
            self.on_build_error(error=error)
            raise PluginError(f"Outcome knowledge base: {error}") from None
        if self.staging is not None and self.site_dir is not None:
            swap_in(self.staging, self.site_dir)
            config.site_dir = str(self.site_dir)  # where gh-deploy takes the site from
            self.staging = None

    @event_priority(-100)  # after every other plugin's: the output as MkDocs writes it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.page_output is not None:
            self.page_output(page.file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace"))
        return output

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """The generator writes docs/ during each build: were docs/ watched, every saved edit
        would start a second, useless build. content/ and templates/ are watched instead
        (mkdocs.yml's `watch`), so an edit there rebuilds once; docs/ is never edited by hand."""
        server.unwatch(config.docs_dir)
        return server

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Any) -> Navigation:
        """Translate the nav titles of mkdocs.yml that are the English text of a label in
        templates/labels.yml ("All outcomes" → "Tous les effets" when theme.language is fr).
        Titles written in any other words are left as they are."""
        language = site_config(config).language
        if language == "en":
            return nav
        templates = self.templates_dir(config)
        try:
            english, local = load_labels(templates, "en"), load_labels(templates, language)
        except BuildError as error:
            raise PluginError(f"Outcome knowledge base: {error}") from None
        translation = {text: local[key] for key, text in english.items() if isinstance(text, str)}
        stack = list(nav.items)
        while stack:
            item = stack.pop()
            if isinstance(item.title, str) and item.title in translation:
                item.title = translation[item.title]
            stack.extend(getattr(item, "children", None) or [])
        return nav


def plugin_of(config: MkDocsConfig) -> OutcomeKnowledgeBasePlugin | None:
    """This project's plugin in a loaded configuration, if the configuration uses it."""
    for plugin in config.plugins.values():
        if isinstance(plugin, OutcomeKnowledgeBasePlugin):
            return plugin
    return None
