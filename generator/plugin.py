"""The MkDocs plugin `outcome-kb`, an adapter between the engine's events and the generator:
a plain `mkdocs build` runs the publish sequence (generator/publish/sequence.py, PlainBuild)
step by step as the events come; under `python -m generator build` the events hand each
page to the sequence's run (the leak guard, the page check). It also translates the nav
titles of mkdocs.yml into the site's language, highlights the tab of the section a
generated page sits under, gives the theme the footer's text and links and the pages'
script hashes (csp.py), has generated pages rendered without a Markdown object each
(publish/markdown_pages.py, render_page), and wires the preview: during `mkdocs serve` a saved edit
rebuilds only the pages it changed (generator/preview/apply.py), and the summary `check`
prints is logged at start and after each save that changes it (commands/report.py,
summary_news; the last one printed is kept with the preview's state).

MkDocs keeps one instance of a plugin that has on_startup for the whole process: what
belongs to one build is the sequence's run (self.run), held for that build only; what the
instance keeps is the preview's, for the whole `mkdocs serve` session. Zensical ignores
MkDocs plugins: there, run `python -m generator generate` first.

Over 400 lines because the engine calls one plugin object: each event's method is short and
hands its work to the module named above; splitting the class would only spread the list of
events the project answers over two files.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from generator import folders
from generator.commands.report import summary_news
from generator.engine import (
    ENGINE,
    BasePlugin,
    CombinedEvent,
    Config,
    PluginError,
    config_options,
    event_priority,
)
from generator.errors import BuildError, InputError
from generator.pages.front_matter import NAV_SECTION
from generator.pages.labels import load_labels
from generator.preview import apply, watching
from generator.preview.collector import Collector
from generator.preview.kept import Kept
from generator.privacy import csp
from generator.privacy.pagecheck import RenderedPage
from generator.privacy.redact import Redactor
from generator.publish import markdown_pages, sequence, stopping, theme_frame
from generator.publish.build_types import BuildReport, Settings
from generator.publish.generate import generate
from generator.publish.page_meta import PageMetaReader, read_source
from generator.site_config import config_root, site_config, site_languages, with_site_settings

if TYPE_CHECKING:
    import jinja2

    from generator.engine import Files, LiveReloadServer, MkDocsConfig, Navigation, Page

log = logging.getLogger(f"{ENGINE.logger}.plugins.outcome_kb")


class OutcomeKnowledgeBaseConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs' class is untyped
    content = config_options.Type(str, default="content")  # relative to mkdocs.yml
    templates = config_options.Type(str, default="templates")
    # The site's languages, the first at the site's root, each other under /<code>/: one
    # `python -m generator build` builds them all (generator/publish/sequence.py). Empty:
    # theme.language alone. `mkdocs build` and `mkdocs serve` build the first only.
    languages = config_options.ListOfItems(config_options.Type(str), default=[])


class OutcomeKnowledgeBasePlugin(BasePlugin[OutcomeKnowledgeBaseConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.command: str = "build"
        # The build under way, from on_config to its end: the run `python -m generator build`
        # handed with the configuration (it generated the pages and checks the site itself),
        # or the PlainBuild of a plain `mkdocs build` / `gh-deploy`; None in a preview.
        self.run: sequence.EngineRun | None = None
        # `mkdocs serve` only: what the last generation made, reused by the next
        # (generator/preview/kept.py), and what the last full MkDocs build made, so that
        # a saved edit rebuilds the pages it changed only (generator/preview/apply.py).
        self.kept: Kept | None = None
        self.page_functions: apply.PageFunctions | None = None  # MkDocs' own, checked at start
        self.last_build: apply.LastBuild | None = None
        self.building: dict[str, Any] = {}  # the full build under way: its nav, env, files, input stamp
        self.lit: list[Page] = []  # the section tab highlighted for the page being rendered
        # The theme's environment and its inline scripts' policy sources by base URL (one
        # set per depth of page), for the Content-Security-Policy of each page (csp.py).
        self.theme_env: jinja2.Environment | None = None
        self.theme_scripts: list[str] = []  # the theme's script partials (csp.theme_script_templates)
        self.script_sources: dict[str, list[str]] = {}
        self.page_meta = PageMetaReader()  # a generated page's front matter, entry by entry (page_meta.py)
        self.collector = Collector()  # the cycle collector, off while a save is rebuilt and shown

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command
        self.kept = Kept() if command == "serve" else None
        if command == "serve":
            stopping.sigterm_as_ctrl_c()  # the server's temporary site removed then too
        self.last_build = None
        # Checked once, at start: without them every save gets MkDocs' full rebuild.
        self.page_functions = apply.page_functions() if command == "serve" else None

    def templates_dir(self, config: MkDocsConfig) -> Path:
        return config_root(config) / self.config.templates

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            if sequence.run_of(config) is None:  # `mkdocs serve` or build: the first of the languages
                config.theme["language"] = site_languages(config)[0]
            # content/site.yml: the header's name, the pages' description, the logo
            config = with_site_settings(config)
        except (InputError, BuildError) as error:
            raise PluginError(f"Outcome knowledge base: {error}") from None
        self.page_meta = PageMetaReader()  # nothing of one build's pages read in the next
        self.run = sequence.run_of(config)
        if self.run is None and self.command != "serve":
            self.run = sequence.PlainBuild.start(config)
        return config

    def on_build_error(self, *, error: Exception) -> None:
        self.last_build = None  # the preview's site may be half built: the next rebuild is a full one
        run, self.run = self.run, None
        if isinstance(run, sequence.PlainBuild):
            run.discard()

    def settings(self, config: MkDocsConfig) -> Settings:
        root = config_root(config)
        return Settings(
            contents=[root / self.config.content],
            docs_dir=Path(config.docs_dir),
            templates=self.templates_dir(config),
            config_file=Path(config.config_file_path or "mkdocs.yml"),
            site=site_config(config),
            search=self.command != "serve",  # a preview has no search (on_post_build)
        )

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.run is not None and self.run.generated_already:
            return
        if self.command == "serve":  # what this build reads besides docs/, before it reads it
            self.building = {"site_inputs": apply.site_inputs(config, self.templates_dir(config))}
        try:
            # A preview reuses what nothing has changed (but its first generation fills what it
            # keeps for the next); a build that publishes makes all again.
            reuse = self.kept is not None and not self.kept.empty
            report = generate(self.settings(config), reuse=reuse, kept=self.kept)
        except (InputError, BuildError) as error:
            raise PluginError(f"Outcome knowledge base: {error}") from None
        if isinstance(self.run, sequence.PlainBuild):
            self.run.generated(report)
        log.info("Generated %d pages from %d public fragments", report.pages, report.published)
        self._tell(report, config)

    def _tell(self, report: BuildReport, config: MkDocsConfig) -> None:
        """`mkdocs serve`: what `check` says of the content (published, held back by reason and
        place, warnings), at start and again after a save that changes it only; files named
        from the project's folder, as `check` run there names them. Masked like everything
        the command line prints: a file may be named after a person."""
        if self.kept is None:
            return
        summary = summary_news(report, self.kept.reported)
        if summary is not None:
            self.kept.reported = summary
            shown = Redactor(report.redact_phrases)(summary.replace(f"{config_root(config)}{os.sep}", ""))
            log.info("Outcome knowledge base: what check says of this content\n%s", shown)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """A plain build: index the built site for search and check it, as `python -m generator
        build` does, then swap it in. `mkdocs serve` skips both to keep previews quick (its
        search box then says search works on the built site; a preview on this computer is
        not checked)."""
        if self.command == "serve":
            self._keep_build(config)
            return
        run = self.run
        if not isinstance(run, sequence.PlainBuild):
            self.run = None  # `python -m generator build` checks the site itself
            return
        try:
            run.check(config)
        except (InputError, BuildError) as error:
            self.on_build_error(error=error)
            raise PluginError(f"Outcome knowledge base: {error}") from None
        run.swap_in(config)
        self.run = None

    def _keep_build(self, config: MkDocsConfig) -> None:
        """Keep what this full build of the preview made, for rebuilding changed pages only."""
        made = self.building
        self.building = {}
        self.last_build = None
        functions = self.page_functions
        if (
            functions is not None
            and {"nav", "env", "files", "site_inputs"} <= made.keys()
            and apply.only_this_plugin_active(config, self)
        ):
            self.last_build = apply.LastBuild(
                config, made["files"], made["nav"], made["env"], made["site_inputs"], functions
            )

    def _keep_hand_written(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Keep what MkDocs made of a hand-written Markdown page, for the page check (a
        preview is not checked, so it keeps nothing)."""
        run = self.run
        if run is not None and page.file.src_uri in run.hand_written:
            run.rendered_pages[page.file.src_uri] = RenderedPage(page.file.content_string, html, page.title or "")
        return html

    @event_priority(-100)  # after every other plugin's: the page's HTML as it will be rendered
    def _hold_page(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A build (not a preview) keeps the page's text small until the theme renders it
        (publish/held_pages.py): the engine holds every page's text until the last is rendered."""
        if self.run is None:
            return html
        return self.run.held.hold(page, html)

    on_page_content = CombinedEvent(_keep_hand_written, _hold_page)

    @event_priority(-100)  # after every other plugin's: the Markdown the engine will convert
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The engine renders the page next (Page.render): a generated page is made without
        a Markdown object of its own (publish/markdown_pages.py, render_page)."""
        page.render = functools.partial(markdown_pages.render_page, page)  # type: ignore[method-assign]
        return markdown

    def _with_script_sources(self, context: Any) -> Any:
        """Give the template the policy sources of the theme's inline scripts for this page
        (templates/theme/main.html lists them in script-src)."""
        base_url = str(context.get("base_url", ""))
        if self.theme_env is not None:
            if base_url not in self.script_sources:
                self.script_sources[base_url] = csp.theme_script_sources(self.theme_env, self.theme_scripts, context)
            context["okb_script_sources"] = self.script_sources[base_url]
        return context

    def on_template_context(self, context: Any, *, template_name: str, config: MkDocsConfig) -> Any:
        return self._with_script_sources(context)  # 404.html

    @event_priority(-100)  # after every other plugin's: the output as MkDocs writes it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self._unlight()  # the section tab lit for this page (on_page_context)
        if self.run is not None:
            if self.run.page_output is not None:
                self.run.page_output(page.file.dest_uri, output.encode("utf-8", errors="xmlcharrefreplace"))
            self.run.held.written(page)
        return output

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """The generator writes docs/ during each build: were docs/ watched, every saved edit
        would start a second, useless build. content/ and templates/ are watched instead
        (mkdocs.yml's `watch`), so an edit there rebuilds once; docs/ is never edited by hand.
        The server's builder is wrapped: a save rebuilds the pages it changed, or, when
        that cannot give the full build's site, calls MkDocs' own builder (generator/preview/apply.py)."""
        server.unwatch(config.docs_dir)
        shown = preview_languages(config, self.templates_dir(config))
        if shown:
            log.info(shown)
        # MkDocs looks for changed files every 0.5 s, on average a quarter of a second
        # before a save is seen, then waits 0.1 s more; the preview looks at mkdocs.yml's
        # `watch` folders (content/, templates/) as often as their size allows, never at their
        # hidden files, and waits only for the rest of one look's changes
        # (preview/watching.py). MkDocs watches them again
        # right after this event: the same watch, one look each. Private attributes of
        # watchdog's observer: without them the preview works as before, only a little later.
        if isinstance(getattr(server.observer, "_timeout", None), float):
            server.observer._timeout = watching.PREVIEW_POLL_SECONDS
        if callable(getattr(server, "watch", None)):
            for path in config.watch:
                server.watch(path)
                watching.tune(server.observer, path)
        if isinstance(getattr(server, "build_delay", None), float):
            server.build_delay = watching.SETTLE_SECONDS
        full_build = getattr(server, "builder", None)
        if not callable(full_build):  # a server of another MkDocs: its own rebuilds, whole
            log.warning("This version of MkDocs' server cannot be told to rebuild only the pages an edit changed")
            return server

        def rebuild() -> None:
            # No look at 5,000 files beside the rebuild (preview/watching.py).
            with watching.held_still(server.observer):
                if not self.rebuild_changed_pages():
                    full_build()

        server.builder = rebuild
        self._allow_reload_script(server)
        return server

    @staticmethod
    def _allow_reload_script(server: LiveReloadServer) -> None:
        """mkdocs serve adds an inline script to every page it serves (it reloads the page
        after a rebuild), with numbers that change on each request: the page's policy would
        block it. Each served page's policy gets that script's hash (csp.py). A private
        method of MkDocs' server: without it the preview works as before, only without
        reloading by itself."""
        inject = getattr(server, "_inject_js_into_html", None)
        if not callable(inject):
            return

        def inject_allowed(content: bytes, epoch: int) -> bytes:
            served: bytes = inject(content, epoch)
            added = len(served) - len(content)
            at = content.rfind(b"</body>") if b"</body>" in content else len(content)  # where MkDocs adds it
            for script in csp.inline_scripts(served[at : at + added].decode("utf-8", "replace")):
                served = csp.with_preview_source(served, csp.script_source(script))
            return served

        server._inject_js_into_html = inject_allowed  # type: ignore[method-assign]

    def rebuild_changed_pages(self) -> bool:
        """Generate, then rebuild only the pages that changed; False when a full build is needed
        (the site is then as before, or will be made whole by that build). A generation that
        fails (a bad file) logs the message naming file, row and field, without a traceback,
        and leaves the preview as it was, still serving."""
        last = self.last_build
        if last is None or apply.site_inputs(last.config, self.templates_dir(last.config)) != last.site_inputs:
            return False
        log.info("Building documentation... (the pages the change touched)")
        started = time.monotonic()
        with self.collector.paused():  # until the editor has the page (preview/collector.py)
            try:
                report = generate(self.settings(last.config), reuse=True, kept=self.kept)
            except (InputError, BuildError) as error:
                # Not raised: MkDocs' server would hold every request until a build passes.
                # Nothing was written, so the preview keeps serving the site as it was.
                log.error(f"Outcome knowledge base: {error}")
                log.error("The preview shows the site as it was before this save: fix the file and save it again")
                return True
            self._tell(report, last.config)
            written = report.written
            changes = apply.Changes(
                written.written_paths if written else (),
                written.removed_paths if written else (),
                tuple(report.hand_written),
            )
            if self.kept is not None:  # what its memos stopped keeping: freed after the page is shown
                self.collector.release_later(self.kept.released())
            try:
                pages = apply.apply(last, changes)
            except apply.NeedsFullBuild as reason:
                log.info("A full rebuild is needed: %s", reason)
                self.last_build = None
                return False
        log.info(
            "Documentation built in %.2f seconds (%d files changed, %d removed; %d pages rebuilt)",
            time.monotonic() - started,
            len(changes.written),
            len(changes.removed),
            pages,
        )
        return True

    def labels(self, config: MkDocsConfig, language: str) -> dict[str, Any]:
        try:
            return load_labels(self.templates_dir(config), language)
        except BuildError as error:
            raise PluginError(f"Outcome knowledge base: {error}") from None

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """The footer of every page (templates/theme/main.html): a line on confidentiality and
        links to the feed, the open data and the About page, each only if the site has it, in
        the site's language. A theme without this plugin (Zensical) shows no footer at all."""
        site = site_config(config)
        t = self.labels(config, site.language)
        links = []
        for path, key in ((folders.FEED, "footer_feed"), (folders.OPEN_DATA, "open_data"), (folders.ABOUT, "about")):
            file = files.get_file_from_path(path)
            if file is not None:
                links.append({"text": t[key], "url": file.url})
        env.globals["okb_footer"] = {
            "label": t["footer_nav"],
            "note": t["footer_confidential"],
            "contact": site.contact,  # content/site.yml's contact line, in the site's language
            "links": links,
        }
        # The navigation, tabs and configuration script rendered once per place in the site,
        # the table of contents once per set of headings, the theme's text once per key.
        theme_frame.with_frame(env, list(config.theme.dirs), config)
        self.theme_env, self.script_sources = env, {}
        self.theme_scripts = csp.theme_script_templates(config.theme.dirs)
        self.building.update(env=env, files=files)  # a preview's later builds reuse them (preview.py)
        return env

    @event_priority(100)  # before every other plugin's: they see the page's HTML
    def _give_back_page(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """The page's HTML again, before the theme renders it (_hold_page)."""
        if self.run is not None:
            self.run.held.give_back(page)
        return context

    def _light_section(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """Material highlights the tab of the page shown and of the pages in the nav under it;
        a fragment, a country or an output page is in no nav (mkdocs.yml's not_in_nav). Its front
        matter names its section's page (pages/front_matter.py, nav_section): that nav entry is made active
        while the page is rendered, so the theme marks its tab in the HTML itself."""
        self._unlight()
        self._with_script_sources(context)
        section = page.meta.get(NAV_SECTION)
        if isinstance(section, str) and page not in nav.pages:
            for item in nav.pages:
                if item.file.src_uri == section:
                    item.active = True  # (and its parents: MkDocs' setter)
                    self.lit.append(item)
        return context

    on_page_context = CombinedEvent(_give_back_page, _light_section)

    def _unlight(self) -> None:
        for item in self.lit:
            item.active = False
        self.lit.clear()

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        """The engine reads the page's source next: its front matter is read entry by entry,
        each entry's YAML parsed once per build (publish/page_meta.py), to the same meta."""
        page.read_source = functools.partial(read_source, page, read_meta=self.page_meta)  # type: ignore[method-assign]
        return page

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Any) -> Navigation:
        """Translate the nav titles of mkdocs.yml that are the English text of a label in
        templates/labels.yml ("All outcomes" → "Tous les effets" when theme.language is fr).
        Titles written in any other words are left as they are."""
        language = site_config(config).language
        if language == "en":
            self.building["nav"] = nav
            return nav
        english, local = self.labels(config, "en"), self.labels(config, language)
        translation = {text: local[key] for key, text in english.items() if isinstance(text, str)}
        stack = list(nav.items)
        while stack:
            item = stack.pop()
            if isinstance(item.title, str) and item.title in translation:
                item.title = translation[item.title]
            stack.extend(getattr(item, "children", None) or [])
        self.building["nav"] = nav
        return nav


def plugin_of(config: MkDocsConfig) -> OutcomeKnowledgeBasePlugin | None:
    """This project's plugin in a loaded configuration, if the configuration uses it (for the
    tests: the generator reads what it needs of the plugin from the configuration)."""
    for plugin in config.plugins.values():
        if isinstance(plugin, OutcomeKnowledgeBasePlugin):
            return plugin
    return None


def preview_languages(config: MkDocsConfig, templates: Path) -> str:
    """What `mkdocs serve` says at start of a site in several languages: which one it shows
    (the first of the plugin's languages) and how to see the others; "" for one language."""
    languages = site_languages(config)
    if len(languages) < 2:
        return ""

    def named(code: str) -> str:
        return f"{load_labels(templates, code)['language_name']} ({code})"

    others = ", ".join(named(code) for code in languages[1:])
    return (
        f"Outcome knowledge base: this preview shows the site in {named(languages[0])}, the first of "
        f"the outcome-kb plugin's languages in mkdocs.yml. To see it in {others}: run "
        f"`python -m generator build`, which builds every language (the {languages[1]} pages in the "
        f"site's {languages[1]}/ folder), or list {languages[1]} first in those languages while you preview"
    )
