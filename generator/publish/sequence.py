"""The publish sequence, the one way a site is built: generate (generate.py) → the engine's
build into a staging folder, with Pagefind and the leak guard beside it → the last checks
(privacy/site_check.py) → swap the new site in for the old.

Two drivers run it. `python -m generator build|publish` calls build(), which runs the engine
itself (run_engine) with the guard and Pagefind's indexer in processes of their own. A plain
`mkdocs build` / `properdocs build` / `gh-deploy` is driven by the engine's events: the
plugin hands them to a PlainBuild, which takes the same steps one after the other. Either
way, what the plugin's events need of this build is an EngineRun that the sequence makes
for the run and hands over with the configuration (MkDocs keeps one plugin instance per
process: nothing of a build may stay on it).

Over 400 lines on purpose: the steps, both drivers and what they share stay in one module so
that the order of the steps is written once and read from top to bottom.
"""

from __future__ import annotations

import calendar
import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator import forking
from generator.errors import BuildError
from generator.pages.labels import load_labels
from generator.privacy.guard.check import Guard
from generator.privacy.guard.process import GuardProcess
from generator.privacy.pagecheck import RenderedPage
from generator.privacy.site_check import check_for_leaks, check_hand_written_pages
from generator.publish import search
from generator.publish import stamp as stamps
from generator.publish.build_types import BuildReport, Settings, stage
from generator.publish.generate import generate_languages, generated_stamp, inputs_stamp, refuse_if_exposed
from generator.publish.held_pages import HeldPages
from generator.publish.stopping import one_build_at_a_time, remove_leftovers, work_folder_prefix
from generator.publish.write import empty_docs, publish_site, remove_emptied_docs, staging_dir, swap_in
from generator.site_config import (
    Urls,
    alternates,
    language_folder,
    load_mkdocs_config,
    plugin_templates,
    site_config,
    site_languages,
)

if TYPE_CHECKING:
    from generator.engine import MkDocsConfig

# The attribute of a loaded configuration that carries its EngineRun to the plugin's events:
# the configuration is loaded for one build and dropped after it, as the run is.
RUN_ATTRIBUTE = "okb_engine_run"


@dataclass
class EngineRun:
    """What the plugin's events hand this build while the engine runs: each page's bytes as
    the engine writes them (page_output: the leak guard reads them as they come), and what
    the engine made of the hand-written Markdown pages (rendered_pages: the page check reads
    them). generated_already: the sequence generated the docs folder before the engine started.
    held: each page's text between its conversion and its rendering, kept small (held_pages.py)."""

    page_output: Callable[[str, bytes], None] | None = None
    hand_written: frozenset[str] = frozenset()  # docs paths of the hand-written pages
    rendered_pages: dict[str, RenderedPage] = field(default_factory=dict)
    generated_already: bool = True
    held: HeldPages = field(default_factory=HeldPages)


def attach_run(config: MkDocsConfig, run: EngineRun) -> None:
    """Hand `run` to the plugin's events of the build that uses `config`."""
    setattr(config, RUN_ATTRIBUTE, run)


def run_of(config: MkDocsConfig) -> EngineRun | None:
    """The run a build handed with `config`, if any."""
    run = getattr(config, RUN_ATTRIBUTE, None)
    return run if isinstance(run, EngineRun) else None


@dataclass
class PlainBuild(EngineRun):
    """`mkdocs build`, `properdocs build` and `gh-deploy` (the engine's own command, with the
    plugin): the same sequence, one step after the other as the engine's events come. The
    site is built into a folder of its own, swapped in for site_dir only when the checks
    pass: a failed build leaves the last site as it was, and empties the docs folder."""

    site_dir: Path = Path()
    staging: Path | None = None
    docs_dir: Path | None = None  # emptied when the build fails
    report: BuildReport | None = None  # of this build's generation, for the search and the checks
    generated_already: bool = False

    @classmethod
    def start(cls, config: MkDocsConfig) -> PlainBuild:
        """The run of a plain build, its staging folder in place of config's site_dir."""
        run = cls(site_dir=Path(config.site_dir), docs_dir=Path(config.docs_dir))
        run.staging = staging_dir(run.site_dir)
        config.site_dir = str(run.staging)
        return run

    def generated(self, report: BuildReport) -> None:
        self.report = report
        self.hand_written = frozenset(report.hand_written)
        self.rendered_pages = {}

    def check(self, config: MkDocsConfig) -> None:
        """Index the built site for search (one after the other, where `python -m generator
        build` runs Pagefind beside the engine), then the last checks: `mkdocs build` and
        `gh-deploy` publish too, so the guard fails them before anything is deployed. Raises
        InputError or BuildError."""
        built = Path(config.site_dir)
        if self.report is not None:
            search.index_records(self.report.search_records, self.report.language, built)
        guard = self.report.guard if self.report is not None else None
        check_site(self.report, built, site_config(config).urls, self.rendered_pages, guard, self.docs_dir)

    def swap_in(self, config: MkDocsConfig) -> None:
        if self.staging is not None:
            swap_in(self.staging, self.site_dir)
            config.site_dir = str(self.site_dir)  # where gh-deploy takes the site from
            self.staging = None

    def discard(self) -> None:
        """A build that failed: its staging folder goes, and the docs folder, which may hold
        what the guard refused, is emptied (as build() does)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
            if self.docs_dir is not None:
                empty_unchecked_docs(self.docs_dir)


def check_site(
    report: BuildReport | None,
    built: Path,
    urls: Urls,
    rendered: dict[str, RenderedPage],
    guard: Callable[[], Guard] | GuardProcess | None,
    docs_dir: Path | None = None,
) -> None:
    """The last checks of a built site, in both drivers: the hand-written pages, then the
    leak guard (privacy/site_check.py). Raises InputError or BuildError."""
    if report is not None:
        check_hand_written_pages(built, report.hand_written, urls, rendered)
    check_for_leaks(guard, built, docs_dir)


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_engine(
    config: MkDocsConfig,
    site_dir: Path,
    on_page: Callable[[str, bytes], None] | None = None,
    hand_written: Iterable[str] = (),
    language: str = "",
) -> dict[str, RenderedPage]:
    """Run the engine's own build of the (already generated) docs folder into site_dir. The
    plugin is handed this run with the configuration: it knows the pages are generated
    already, and hands on_page each page's path in the site and bytes as the engine produces
    it. Gives what the engine made of the hand-written Markdown pages (docs paths
    `hand_written`), for the page check. language: the code of a language the site has in a
    folder of its own (fr), for the messages. Raises BuildError on any failure."""
    from generator.engine import ENGINE, MkDocsException
    from generator.engine import build as mkdocs_build

    collector = _WarningCollector()
    mkdocs_logger = logging.getLogger(ENGINE.logger)
    mkdocs_logger.addHandler(collector)
    config.site_dir = str(site_dir)
    run = EngineRun(page_output=on_page, hand_written=frozenset(hand_written))
    attach_run(config, run)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit, OSError) as error:
        details = "; ".join(collector.messages[:5]) or str(error)
        if not language:
            raise BuildError(
                f"MkDocs could not build the site: {details} (a 'Doc file' named here is a page of the docs "
                f"folder: hand-written ones come from content/pages/, the others from templates/)"
            ) from None
        raise BuildError(
            f"MkDocs could not build the site's {language}/ pages: {details} (a 'Doc file' named here is a page "
            f"of the docs folder {Path(config.docs_dir).name}: hand-written ones come from content/pages/, "
            f"from the page's .{language}.md twin where it has one, the others from templates/)"
        ) from None
    finally:
        mkdocs_logger.removeHandler(collector)
    return run.rendered_pages


@contextlib.contextmanager
def build_date(newest_year: int | None) -> Iterator[None]:
    """MkDocs dates the sitemap (every page's lastmod, the gzip header) on the day it runs,
    unless SOURCE_DATE_EPOCH says otherwise (the reproducible-builds convention): then two
    builds of the same content on two days differ. Without a SOURCE_DATE_EPOCH of the
    caller's, the date is the data's own, as in the feed (feed.updated): the last day of
    the newest outcome's year, so the same content gives the same site on any day."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    year = newest_year or 1970
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm((year, 12, 31, 0, 0, 0)))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build(settings: Settings, config_file: Path, site_dir: Path) -> BuildReport:
    """Generate, then build the site with MkDocs; the old site stays until the new one is complete.

    One build at a time into these folders (a second waits for the first: stopping.py); one
    that fails or is stopped after writing the docs folder empties it (_docs_checked)."""
    with one_build_at_a_time([site_dir, settings.docs_dir], settings.progress.waiting):
        remove_leftovers(site_dir)
        if _unchecked_mark(settings.docs_dir).exists():  # a killed build's pages, never checked
            empty_unchecked_docs(settings.docs_dir)
        docs_existed = settings.docs_dir.exists()
        others_existed = set(_other_docs_dirs(settings.docs_dir))
        try:
            return _build(settings, config_file, site_dir)
        except BaseException:
            if not docs_existed:  # a failed build leaves no folder it made (emptied already)
                remove_emptied_docs(settings.docs_dir)
            for made in set(_other_docs_dirs(settings.docs_dir)) - others_existed:  # .docs.fr too
                remove_emptied_docs(made)
            raise


@dataclass
class _Language:
    """One language of the site: its generation's settings (its own docs folder), its
    engine configuration (theme.language, site_url, the alternates) and its folder in the
    site ('' at the root, 'fr/')."""

    code: str
    settings: Settings
    config: MkDocsConfig
    folder: str


def other_docs_dir(docs_dir: Path, language: str) -> Path:
    """The docs folder of a language other than the site's first: beside the docs folder
    (.docs.fr beside docs), never inside it, which the engine would publish."""
    docs_dir = docs_dir.resolve()
    return docs_dir.parent / f".{docs_dir.name}.{language}"


def _other_docs_dirs(docs_dir: Path) -> Iterator[Path]:
    """The other languages' docs folders there are beside docs_dir (other_docs_dir)."""
    docs_dir = docs_dir.resolve()
    return (path for path in docs_dir.parent.glob(f".{docs_dir.name}.*") if path.is_dir())


def _languages(settings: Settings, config: MkDocsConfig, languages: tuple[str, ...]) -> list[_Language]:
    """Each language's build, the first's on `config` (docs_dir: settings.docs_dir), each
    other's on its own load of the configuration. Raises BuildError."""
    root_url = site_config(config).url
    names = {code: str(load_labels(settings.templates, code)["language_name"]) for code in languages}
    made = []
    for code in languages:
        folder = language_folder(languages, code)
        if folder:
            docs = other_docs_dir(settings.docs_dir, code)
            docs.mkdir(parents=True, exist_ok=True)
            own = load_mkdocs_config(settings.config_file, docs_dir=str(docs), strict=True)
        else:
            docs, own = settings.docs_dir, config
        own.theme["language"] = code  # the theme's interface text, <html lang>
        if root_url:
            own.site_url = root_url + folder
        if len(languages) > 1:
            own.extra["alternate"] = alternates(root_url, languages, code, names)
        made.append(_Language(code, replace(settings, docs_dir=docs, site=site_config(own)), own, folder))
    return made


def _build(settings: Settings, config_file: Path, site_dir: Path) -> BuildReport:
    settings.docs_dir.mkdir(parents=True, exist_ok=True)  # MkDocs' loader wants it to exist
    config = load_mkdocs_config(config_file, docs_dir=str(settings.docs_dir), strict=True)
    templates = plugin_templates(config) or settings.templates
    languages = site_languages(config)
    settings = replace(settings, config_file=config_file, templates=templates, languages=languages)
    builds = _languages(settings, config, languages)
    settings = builds[0].settings
    from generator.engine import ENGINE

    stamp = f"{ENGINE.name} {inputs_stamp(settings)}"  # the other engine's site is not this one's
    unchanged = BuildReport(unchanged=True)
    if site_dir.is_dir() and stamps.load(stamps.stamp_file(site_dir), stamp, unchanged):
        refuse_if_exposed(settings, unchanged)
        return unchanged  # nothing it reads has changed: the site is as it was
    with contextlib.ExitStack() as checked:
        for each in builds:
            checked.enter_context(_docs_checked(each.settings.docs_dir))
        # Each language's work folder (Pagefind's pages and bundle, a helper's site), made now:
        # another language's generation in a forked helper writes its search pages there itself.
        works = [_work_folder(site_dir, checked) for _ in builds]
        pages = [search.record_pages_folder(work, checked) for work in works]
        # The guard and the search need this build's data: each language generated anew.
        # Read and normalised once (the content is the same), indexed and rendered per language.
        reports = generate_languages(
            [
                replace(each.settings, search_pages=folder) if index > 0 and forking.can_fork() else each.settings
                for index, (each, folder) in enumerate(zip(builds, pages))
            ]
        )
        report = reports[0]
        for each, other in zip(builds[1:], reports[1:]):
            report.timings.update({f"{name} ({each.code})": seconds for name, seconds in other.timings.items()})

        def build_into(staging: Path) -> None:
            # Pagefind indexes the fragments in its own process while MkDocs renders the pages.
            # The docs folders are final: one guard, for every language, is made and reads them
            # on the other core while MkDocs works (started before any thread: a fork copies
            # only its own thread); it checks the whole site, every language's tree. The other
            # languages' engine builds run in forked helpers beside the first's (_EngineBuild).
            docs = [each.settings.docs_dir for each in builds]
            helpers = len(builds) - 1 if forking.can_fork() else 0
            # An inlet for each other language's engine helper, then one for each language's
            # Pagefind helper: it hands the guard its bundle when done, while MkDocs works.
            pagefind_helpers = len(builds) if forking.can_fork() else 0
            trees = [each.folder for each in builds if each.folder]
            guard = (
                GuardProcess(report.guard, *docs, inlets=helpers + pagefind_helpers, trees=trees)
                if report.guard
                else None
            )
            with contextlib.ExitStack() as cleanup:
                if guard is not None:
                    cleanup.enter_context(guard)  # a build that stops early ends the guard's process
                with build_date(report.newest_year):  # the guard checks each page as MkDocs makes it
                    engines = [
                        _EngineBuild.start(each, made, staging, work, folder, guard, cleanup, index)
                        for index, (each, made, work, folder) in enumerate(zip(builds, reports, works, pages))
                    ]
                    # Every language's Pagefind starts now, in a helper of its own (search.Indexer;
                    # a thread where there is no fork, so after the other forks: a fork copies only
                    # its own thread), so that the last language's index is not left for the end.
                    # Entered last, left first: a build that stops ends Pagefind before its folder goes.
                    indexers = [
                        cleanup.enter_context(
                            search.Indexer(
                                each.made.search_records,
                                each.made.language,
                                each.work,
                                pages_written=each.made.search_pages is not None,
                                hand_over=guard.inlet(helpers + index, each.language.folder) if guard else None,
                                pages_dir=each.pages,
                            )
                        )
                        for index, each in enumerate(engines)
                    ]
                    if guard is not None:  # every helper that hands the guard files is forked
                        guard.inlets_handed()
                    for engine, indexer in zip(engines, indexers):  # the first first: its engine empties staging
                        engine.finish()
                        indexer.finish(engine.into)
                with stage(settings, report, "guard"):
                    for engine in engines[1:]:
                        check_hand_written_pages(
                            engine.into, engine.made.hand_written, _urls(engine.language), engine.rendered
                        )
                    check_site(report, staging, site_config(config).urls, engines[0].rendered, guard)

        with stage(settings, report, "mkdocs"):
            publish_site(build_into, site_dir)
    stamps.save(stamps.stamp_file(site_dir), stamp, report)
    return report


@dataclass
class _EngineBuild:
    """One language's engine build into its place in the staging folder (`into`). The first
    language's runs in this process when finish() is called. Each other language's runs in a
    forked helper from start() on, beside the first's, into a folder of its own (the first
    engine empties the staging folder as it starts), moved to its place when it is done, its
    pages handed to the guard by an inlet of their own. Without fork, each runs here in turn."""

    language: _Language
    made: BuildReport
    into: Path
    work: Path  # this language's work folder: Pagefind's bundle, the helper's site
    pages: Path  # where this language's search records' pages are written (search.record_pages_folder)
    page_in: Callable[[str, bytes], None] | None
    helper: forking.Call[dict[str, RenderedPage]] | None = None
    rendered: dict[str, RenderedPage] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        language: _Language,
        made: BuildReport,
        staging: Path,
        work: Path,
        pages: Path,
        guard: GuardProcess | None,
        cleanup: contextlib.ExitStack,
        index: int,
    ) -> _EngineBuild:
        """Language number `index` of the site's: the first (0) is built by finish(), each other
        from now on in a helper (where the system can fork), its pages handed to the guard by
        the guard's inlet index - 1. work: the language's work folder (_work_folder); pages:
        its search records' pages (search.record_pages_folder)."""
        into = staging / language.folder if language.folder else staging
        engine = cls(language, made, into, work, pages, _page_in(guard, language.folder))
        if index > 0 and forking.can_fork():
            page_in = guard.inlet(index - 1, language.folder) if guard is not None else None
            engine.helper = forking.call(
                run_engine, language.config, work / "site", page_in, made.hand_written, language.folder.strip("/")
            )
            cleanup.callback(engine.helper.cancel)
        return engine

    def finish(self) -> None:
        """Wait for (or run) this language's engine build; its site in place. Raises BuildError."""
        if self.helper is None:
            folder = self.language.folder.strip("/")
            self.rendered = run_engine(self.language.config, self.into, self.page_in, self.made.hand_written, folder)
            return
        self.rendered = self.helper.result()
        (self.work / "site").rename(self.into)


def _work_folder(site_dir: Path, cleanup: contextlib.ExitStack) -> Path:
    """A language's work folder beside site_dir, removed when `cleanup` ends (stopping.py names
    it, so that the next build removes one a killed build left)."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=work_folder_prefix(site_dir, "okb-search"), dir=site_dir.parent))
    cleanup.callback(shutil.rmtree, work, ignore_errors=True)
    return work


def _page_in(guard: GuardProcess | None, folder: str) -> Callable[[str, bytes], None] | None:
    """What hands the guard each page of a language's tree, by its path in the whole site."""
    if guard is None:
        return None
    if not folder:
        return guard.page
    return lambda path, data: guard.page(folder + path, data)


def _unchecked_mark(docs_dir: Path) -> Path:
    """Beside the docs folder while a build has written pages the guard has not passed: a
    build killed before the guard ends leaves it, and the next build empties the folder."""
    docs_dir = docs_dir.resolve()
    return docs_dir.parent / f".{docs_dir.name}.okb-unchecked"


@contextlib.contextmanager
def _docs_checked(docs_dir: Path) -> Iterator[None]:
    """A build writes the docs folder before MkDocs and the guard run: if the build fails or
    is stopped, the folder may hold what the guard would have refused (a held-back outcome's
    text, a redacted name), so it is emptied, with its stamp, and the next build writes it
    again in full. Emptied rather than written into a staging folder and swapped in: a build
    that passes keeps writing only the pages that changed, so `mkdocs serve` and the
    no-change stamps see the same files as before."""
    mark = _unchecked_mark(docs_dir)
    mark.touch()
    try:
        yield
    except BaseException:
        empty_unchecked_docs(docs_dir)
        raise
    mark.unlink(missing_ok=True)


def empty_unchecked_docs(docs_dir: Path) -> None:
    """Empty a docs folder whose pages the guard refused or never checked, and forget its stamp."""
    empty_docs(docs_dir)
    generated_stamp(docs_dir).unlink(missing_ok=True)  # so that the next generation writes it all
    _unchecked_mark(docs_dir).unlink(missing_ok=True)


def _urls(language: _Language) -> Urls:
    site = language.settings.site
    assert site is not None, "_languages() gives each language its site settings"
    return site.urls
