"""The build, stage by stage: read → gate → normalise → index → render → write → MkDocs."""

from __future__ import annotations

import calendar
import contextlib
import functools
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BuildError, InputError, Location, Problem
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.model import Fragment, FrameworkLabels, RawRecord, SourceSummary
from generator.normalise import fragments as norm
from generator.normalise.values import FrameworkLinks, safe_label
from generator.pages import feed, opendata
from generator.pages.indexes import SiteIndex, build_index
from generator.pages.render import render_site
from generator.pages.renderer import Renderer
from generator.preview.kept import Kept
from generator.privacy import exposure, gate
from generator.privacy.guard import IN_A_NAME, Guard, GuardProcess, Leak
from generator.privacy.pagecheck import (
    RenderedPage,
    external_loads,
    markdown_page_findings,
    page_findings,
    stylesheet_findings,
)
from generator.privacy.redact import Redactor
from generator.publish import search
from generator.publish import stamp as stamps
from generator.publish.stamp import input_stamp
from generator.publish.stopping import one_build_at_a_time, remove_leftovers, work_folder_prefix
from generator.publish.write import WriteSummary, add_assets, add_pages, empty_docs, publish_site, write_docs
from generator.read.extras import ContentExtras, pages_in_language, read_extras, redacted_pages
from generator.read.readers import SourceResult, read_sources
from generator.site_config import SiteConfig, Urls, load_mkdocs_config, read_site_config, site_config

if TYPE_CHECKING:
    from generator.publish.engine import MkDocsConfig

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_ASSETS = "assets"


class Progress:
    """Hears about the build's stages. This one says nothing; the command line passes
    one that talks when it runs on a terminal."""

    def stage(self, name: str) -> None:
        pass

    def pages(self, count: int) -> None:
        pass

    def done(self, name: str, seconds: float, detail: str) -> None:
        pass

    def waiting(self, folder: Path) -> None:
        """Another build holds `folder`: this one waits for it to finish."""


PROGRESS_EVERY = 500  # pages between two progress updates


@dataclass
class StageTimer:
    """What a stage tells when it ends: a detail for the progress line ("12 files written")."""

    detail: str = ""


@contextlib.contextmanager
def stage(settings: Settings, report: BuildReport, name: str) -> Iterator[StageTimer]:
    """Time one stage into report.timings and tell the progress listener about it."""
    settings.progress.stage(name)
    started = time.perf_counter()
    timer = StageTimer()
    yield timer
    report.timings[name] = time.perf_counter() - started
    settings.progress.done(name, report.timings[name], timer.detail)


@dataclass
class Settings:
    contents: list[Path]
    docs_dir: Path
    templates: Path = PROJECT_ROOT / "templates"
    config_file: Path = PROJECT_ROOT / "mkdocs.yml"
    # mkdocs.yml as MkDocs reads it (name, site_url, theme.language, URL rules); None: read
    # config_file with MkDocs' loader.
    site: SiteConfig | None = None
    progress: Progress = field(default_factory=Progress)
    table: FieldTable = DEFAULT_TABLE
    # The project's own content folder: its redact.txt and fields.yml apply whatever
    # `contents` are. None: the content/ folder beside config_file.
    project_content: Path | None = None
    redact_file: Path | None = None  # --redact FILE, in addition to redact.txt
    search: bool = True  # make the search records (a preview has no search: False)
    # --sources-public: anyone can read the content folders (a public repository). Then
    # content that must not be public stops generation before anything is written.
    sources_public: bool = False


@dataclass
class BuildReport:
    sources: list[SourceSummary] = field(default_factory=list)
    published: int = 0
    held_back: Counter[str] = field(default_factory=Counter)
    held_back_at: list[tuple[str, Location]] = field(default_factory=list)
    ignored_fields: dict[str, list[str]] = field(default_factory=dict)  # field name → files
    ignored_in_held_back: int = 0  # held-back text fragments with unknown fields (not named)
    problems: list[Problem] = field(default_factory=list)
    redactions: int = 0
    redaction_lists: list[str] = field(default_factory=list)  # the files applied, as named to the build
    redact_phrases: tuple[str, ...] = ()  # masked in the report kept beside the site (stamp.save): never printed
    pages: int = 0
    written: WriteSummary | None = None
    timings: dict[str, float] = field(default_factory=dict)
    table: FieldTable | None = None  # the fields as read (with fields.yml), for suggestions
    # Makes the guard, which knows what only held-back fragments contain: never printed.
    guard: Callable[[], Guard] | None = None
    search_records: list[search.SearchRecord] = field(default_factory=list)
    language: str = "en"
    hand_written: dict[str, Path] = field(default_factory=dict)  # docs path → content/pages/ file
    # The review before a harvest goes public: for each substantive field, where public
    # fragments leave it blank (locations only).
    blanks: dict[str, list[Location]] = field(default_factory=dict)
    unchanged: bool = False  # a build that found nothing changed since the last one
    newest_year: int | None = None  # of the public outcomes: the site's date (build_date)
    # For exposure.py: the redaction lists applied, and each fields.yml with the keys of
    # the fields it names (paths only).
    redact_files: list[str] = field(default_factory=list)
    field_name_files: dict[str, list[str]] = field(default_factory=dict)


# Fields an M&E lead expects in every published outcome (the quality report).
SUBSTANTIVE = ("significance", "contribution", "evidence", "results_framework", "objective", "change_types", "year")


def _blank(value: object) -> bool:
    if isinstance(value, FrameworkLinks):
        return not value.outcomes
    return value in (None, "", ())


def quality(fragments: list[Fragment], table: FieldTable) -> dict[str, list[Location]]:
    """Where public fragments leave a substantive field blank, by the field's standard name."""
    return {
        table[key].name: [fragment.location for fragment in fragments if _blank(fragment.value(key))]
        for key in SUBSTANTIVE
    }


def _page_title(data: bytes, path: str) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.startswith("# "):
            return safe_label(line[2:])
        if line.startswith("title:"):
            return safe_label(line[6:].strip().strip("'\""))
    return Path(path).stem.replace("-", " ").capitalize()


def _generated_stamp(docs_dir: Path) -> Path:
    """Beside the docs folder, not in it (nothing in it may hold what is not published): the
    stamp of what the pages were generated from, and the report."""
    docs_dir = docs_dir.resolve()
    return docs_dir.parent / f".{docs_dir.name}.okb-generated.json"


def generate(settings: Settings, write: bool = True, reuse: bool = True, kept: Kept | None = None) -> BuildReport:
    """Read the content and (when write) bring the docs folder up to date. Raises InputError.

    reuse: when nothing generation reads has changed since the docs folder was written,
    leave it as it is and give the report of then (its guard and search records are not
    made again: a build that publishes passes reuse=False).
    kept: what the last generation of this process made (a preview's, generator/preview/kept.py),
    reused where its inputs are the same; brought up to date when the docs folder is."""
    if settings.site is None:  # mkdocs.yml read once, for the stamp and the pages
        settings = replace(settings, site=read_site_config(settings.config_file))
    stamp = _input_stamp(settings) if write else ""
    if write and reuse:
        report = BuildReport(unchanged=True)
        if settings.docs_dir.is_dir() and stamps.load(_generated_stamp(settings.docs_dir), stamp, report):
            report.written = WriteSummary(written=0, unchanged=report.pages, removed=0)
            _refuse_if_exposed(settings, report)
            return report
    report = _generate(settings, write, kept if write else None)
    if write:
        stamps.save(_generated_stamp(settings.docs_dir), stamp, report)
    return report


def _generate(settings: Settings, write: bool, kept: Kept | None = None) -> BuildReport:
    report = BuildReport()
    if kept is not None:
        kept.start()
    with stage(settings, report, "read") as timer:
        project_content = _project_content(settings)
        extras = read_extras(settings.contents, settings.table, project_content, settings.redact_file)
        report.redaction_lists = [str(path) for path in extras.redact_files]
        report.redact_phrases = extras.redact_phrases
        sources = (
            kept.read_sources(settings.contents, extras.table)
            if kept is not None
            else read_sources(settings.contents, extras.table)
        )
        records = [record for source in sources for record in source.records]
        for source in sources:
            report.sources.append(source.summary)
            report.problems.extend(source.problems)
        timer.detail = f"{len(records)} fragments from {len(sources)} file{'' if len(sources) == 1 else 's'}"
    with stage(settings, report, "generate") as timer:
        files = _generate_files(settings, report, extras, sources, kept)
        timer.detail = f"{report.pages} pages from {report.published} public fragments"
    report.redact_files = [str(path) for path in extras.redact_files]
    report.field_name_files = {str(path): sorted(keys) for path, keys in extras.field_files.items()}
    if write:
        _refuse_if_exposed(settings, report)
        with stage(settings, report, "write") as timer:
            report.written = write_docs(files, settings.docs_dir, kept.docs if kept is not None else None)
            timer.detail = f"{report.written.written} files written"
        if kept is not None:
            kept.finish()
    return report


# Script files: published as they are, a page of the site (or of another) could run them.
TEXT_PAGES = (".md", ".markdown", ".html", ".htm", ".txt", ".svg", ".css", ".js", ".json", ".xml", ".csv")


def _redacted_page(path: str, data: bytes, redactor: Redactor) -> bytes:
    """A hand-written page with the names of the redaction list masked (text files only)."""
    if not path.lower().endswith(TEXT_PAGES) or redactor.empty:
        return data
    try:
        return redactor(data.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return data


def _language_source(extras: ContentExtras, path: str) -> Path:
    """Where a page published in the site's language came from (about.md ← about.fr.md)."""
    stem = path[: -len(".md")]
    return next(
        (source for docs_path, source in extras.page_sources.items() if docs_path.startswith(stem + ".")), Path(path)
    )


def _raw_values(record: RawRecord) -> dict[str, str]:
    return {key: value.text for key, value in record.values.items()}


def _editors_text(extras: ContentExtras) -> list[str]:
    """What the editors wrote themselves (pages, Results Framework labels): a value it
    names is not a held-back fragment's secret."""
    pages = [
        data.decode("utf-8", "replace") for path, data in extras.pages.items() if path.lower().endswith(TEXT_PAGES)
    ]
    return [*pages, *extras.labels.outcomes.values(), *extras.labels.outputs.values()]


def _place_of(leak: Leak, leaking_names: list[str]) -> str:
    """Where a leak is, for the message. A path that goes through a leaking file or folder
    name is told by the folder above that name only, since the name is the secret."""
    for name in leaking_names:
        if leak.path == name or leak.path.startswith(name + "/"):
            folder = name.rsplit("/", 1)[0] if "/" in name else ""
            return f"a file or folder in {folder}/" if folder else "a file or folder at the top of the site"
    return leak.path


def check_for_leaks(
    guard: Callable[[], Guard] | GuardProcess | None, site_dir: Path, docs_dir: Path | None = None
) -> None:
    """The last check before a site is published: no file or name holds text that only
    held-back fragments contain, or a redacted name. Raises BuildError naming the file and
    the kind of text, never the text."""
    if guard is None:
        return
    if isinstance(guard, GuardProcess):
        leaks = guard.check(site_dir)  # it has read the docs folder already
    else:  # one walk over both (a file MkDocs copied unchanged is read once), on both cores
        made = guard()
        leaks = made.check_tree(site_dir, docs_dir) if docs_dir is not None else made.check_tree(site_dir)
    if leaks:
        leaking_names = [leak.path for leak in leaks if leak.kind.startswith(IN_A_NAME)]
        shown = "; ".join(f"{_place_of(leak, leaking_names)}: {leak.kind}" for leak in leaks[:10])
        more = f" and {len(leaks) - 10} more" if len(leaks) > 10 else ""
        raise BuildError(
            f"the leak guard stopped the build: {shown}{more}. Nothing was published. Check that no outcome "
            "record, hand-written page or label copies text of a held-back outcome or a redacted name"
        )


def check_hand_written_pages(
    site_dir: Path, hand_written: dict[str, Path], urls: Urls, rendered: Mapping[str, RenderedPage] | None = None
) -> None:
    """Hand-written pages may link anywhere, but run no script and load nothing from another
    host (images, scripts, frames, styles, media). HTML, SVG and CSS files are read as
    copied into the site; a Markdown page as MkDocs rendered it (`rendered`, by docs path),
    then whole, theme included, as the reader gets it. The first problem stops the build,
    naming the content/pages/ file and its line."""
    for docs_path, source in hand_written.items():
        lower = docs_path.lower()
        if lower.endswith(".md"):
            url = urls.url(docs_path)
            built = site_dir / (url + "index.html" if url.endswith("/") or not url else url)
            page = (rendered or {}).get(docs_path)
            findings = markdown_page_findings(page.html + "\n" + page.title, page.source) if page is not None else []
        elif lower.endswith((".html", ".htm", ".svg", ".css")):
            built = site_dir / docs_path
            text = built.read_text(encoding="utf-8", errors="replace") if built.is_file() else ""
            findings = stylesheet_findings(text) if lower.endswith(".css") else page_findings(text)
        else:
            continue
        for finding in findings:
            raise InputError(Location(str(source), line=finding.line), finding.problem, hint=finding.hint)
        if not built.is_file() or lower.endswith(".css"):
            continue
        for address in external_loads(built.read_text(encoding="utf-8", errors="replace")):
            raise InputError(
                Location(str(source)),
                f"this page loads {address} from another host; the site may load nothing from elsewhere",
                hint="save the file into content/pages/ and refer to it by a relative address, or make it a plain link",
            )


def _report_ignored_fields(
    report: BuildReport, sources: list[SourceResult], public: list[RawRecord], redact: Redactor
) -> None:
    """Columns of a spreadsheet are named (a header is about the file); the unknown field
    names of a text fragment only when it is public: a held-back one's may carry a name."""
    public_ids = {id(record) for record in public}
    for source in sources:
        if source.summary.path.lower().endswith(".txt"):
            names = [name for record in source.records if id(record) in public_ids for name in record.ignored_fields]
            report.ignored_in_held_back += sum(
                1 for record in source.records if record.ignored_fields and id(record) not in public_ids
            )
        else:
            names = list(source.summary.ignored_fields)
        for name in dict.fromkeys(redact(name) for name in names):  # a column may be named after a person
            report.ignored_fields.setdefault(name, []).append(source.summary.path)


def _generate_files(
    settings: Settings, report: BuildReport, extras: ContentExtras, sources: list[SourceResult], kept: Kept | None
) -> dict[str, bytes]:
    """Gate, normalise, index and render: every file of the docs folder, by path."""
    records = [record for source in sources for record in source.records]
    gated = gate.split_public(records)
    redactor = Redactor(extras.redact_phrases)
    _report_ignored_fields(report, sources, gated.public, redactor)
    # A sheet's name is printed in the report: an editor may have named a tab after a person.
    report.sources = [
        replace(summary, sheet=redactor(summary.sheet)) if summary.sheet else summary for summary in report.sources
    ]
    public_fragments = _normalised(report, extras, records, gated, redactor, kept)
    labels = FrameworkLabels(
        {code: redactor(label) for code, label in extras.labels.outcomes.items()},
        {code: redactor(label) for code, label in extras.labels.outputs.items()},
    )
    index = build_index(public_fragments, labels, extras.table)
    report.newest_year = max((fragment.year for fragment in public_fragments if fragment.year), default=None)
    site = settings.site
    assert site is not None, "generate() reads mkdocs.yml before rendering"
    renderer = (
        kept.renderer_for(settings.templates, site, extras.table)
        if kept is not None
        else Renderer(settings.templates, site, extras.table)
    )
    if settings.search:
        report.search_records = search.search_records(index.fragments, site.urls, renderer.t, extras.table)
    report.language = site.language.split("-")[0].lower()
    chosen = pages_in_language(extras.pages, site.language)
    page_sources = {path: extras.page_sources.get(path) or _language_source(extras, path) for path in chosen}
    masked, report.hand_written = redacted_pages(chosen, page_sources, extras.redact_phrases)
    hand_written = {path: _redacted_page(path, data, redactor) for path, data in masked.items()}
    files = _rendered_files(settings, index, renderer, hand_written, kept)
    report.pages = len(files)
    add_pages(files, hand_written, report.hand_written)
    add_assets(files, settings.templates / TEMPLATE_ASSETS, TEMPLATE_ASSETS)
    report.guard = _guard_maker(files, renderer, site, extras, gated)
    # The search script gets its interface text (templates/labels.yml) as data.
    script = files.get(search.SEARCH_SCRIPT)
    if script is not None:
        files[search.SEARCH_SCRIPT] = search.search_script(script.decode("utf-8"), renderer.t).encode("utf-8")
    return files


def _normalised(
    report: BuildReport,
    extras: ContentExtras,
    records: list[RawRecord],
    gated: gate.GateResult,
    redactor: Redactor,
    kept: Kept | None,
) -> list[Fragment]:
    """The public records as fragments, their problems and the quality review in the report."""
    table = extras.table
    norm.check_unique_ids(records, gated.public, table["fragment_id"].name)
    report.held_back, report.held_back_at = gated.held_back, gated.held_back_at
    normaliser = norm.Normaliser(table, redactor, extras.labels.known_outputs)
    public_fragments, problems, reused_masks = (
        kept.normalise(gated.public, normaliser, redactor, tuple(extras.redact_phrases))
        if kept is not None
        else _normalise(gated.public, normaliser)
    )
    report.problems.extend(problems)
    norm.check_unique_slugs(public_fragments, table["fragment_id"].name)
    report.published = len(public_fragments)
    report.table = table
    report.blanks = quality(public_fragments, table)
    report.redactions = redactor.count + reused_masks
    return public_fragments


def _rendered_files(
    settings: Settings, index: SiteIndex, renderer: Renderer, hand_written: dict[str, bytes], kept: Kept | None
) -> dict[str, bytes]:
    """The generated pages, the open data and the feed, by path."""
    site = renderer.site
    extra_pages = [(path, _page_title(data, path)) for path, data in hand_written.items() if path.endswith(".md")]
    files: dict[str, bytes] = {}
    for page in render_site(index, renderer, extra_pages, processes=1 if kept is not None else 2):
        files[page.path] = kept.encode(page) if kept is not None else page.text.encode("utf-8")
        if len(files) % PROGRESS_EVERY == 0:
            settings.progress.pages(len(files))
    files.update(opendata.open_data_files(index, renderer, site, kept.open_data if kept is not None else None))
    files.update(feed.feed_files(index, site, renderer.t, renderer.language))
    return files


def _guard_maker(
    files: dict[str, bytes], renderer: Renderer, site: SiteConfig, extras: ContentExtras, gated: gate.GateResult
) -> Callable[[], Guard]:
    """Makes the guard of this build: what only held-back records hold, and the text allowed."""
    # Text we or the editors wrote (assets, interface labels, pages): a word in it is
    # nobody's secret, even if a held-back fragment's ID or country happens to be that word.
    project_text = [
        data.decode("utf-8", "replace") for path, data in files.items() if path.startswith(TEMPLATE_ASSETS + "/")
    ]
    project_text += [str(text) for text in renderer.t.values()] + [site.name]
    return functools.partial(
        Guard,
        held_back=[_raw_values(record) for record in gated.held_back_records],
        public=[_raw_values(record) for record in gated.public],
        redacted=extras.redact_phrases,
        allowed_text=project_text,
        allowed_values_text=_editors_text(extras),
    )


def _normalise(records: list[RawRecord], normaliser: norm.Normaliser) -> tuple[list[Fragment], list[Problem], int]:
    """The fragments of `records` in order and their problems (and no reused redaction masks)."""
    fragments: list[Fragment] = []
    problems: list[Problem] = []
    for record in records:
        fragment, found = normaliser(record)
        fragments.append(fragment)
        problems.extend(found)
    return fragments, problems, 0


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(
    config: MkDocsConfig,
    site_dir: Path,
    on_page: Callable[[str, bytes], None] | None = None,
    hand_written: Iterable[str] = (),
) -> dict[str, RenderedPage]:
    """Run MkDocs' own build of the (already generated) docs folder into site_dir. The
    plugin is told the pages are generated already, and hands on_page each page's path in
    the site and bytes as MkDocs produces it. Gives what MkDocs made of the hand-written
    Markdown pages (docs paths `hand_written`), for the page check. Raises BuildError on
    any failure."""
    from generator.plugin import plugin_of
    from generator.publish.engine import ENGINE, MkDocsException
    from generator.publish.engine import build as mkdocs_build

    collector = _WarningCollector()
    mkdocs_logger = logging.getLogger(ENGINE.logger)
    mkdocs_logger.addHandler(collector)
    config.site_dir = str(site_dir)
    plugin = plugin_of(config)
    if plugin is not None:
        plugin.generated_already = True
        plugin.page_output = on_page
        plugin.hand_written, plugin.rendered_pages = frozenset(hand_written), {}
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit, OSError) as error:
        details = "; ".join(collector.messages[:5]) or str(error)
        raise BuildError(
            f"MkDocs could not build the site: {details} (a 'Doc file' named here is a page of the docs "
            f"folder: hand-written ones come from content/pages/, the others from templates/)"
        ) from None
    finally:
        mkdocs_logger.removeHandler(collector)
    return plugin.rendered_pages if plugin is not None else {}


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
        return _build(settings, config_file, site_dir)


def _build(settings: Settings, config_file: Path, site_dir: Path) -> BuildReport:
    settings.docs_dir.mkdir(parents=True, exist_ok=True)  # MkDocs' loader wants it to exist
    config = load_mkdocs_config(config_file, docs_dir=str(settings.docs_dir), strict=True)
    from generator.plugin import plugin_of

    plugin = plugin_of(config)
    templates = plugin.templates_dir(config) if plugin is not None else settings.templates
    settings = replace(settings, config_file=config_file, site=site_config(config), templates=templates)
    from generator.publish.engine import ENGINE

    stamp = f"{ENGINE.name} {_input_stamp(settings)}"  # the other engine's site is not this one's
    unchanged = BuildReport(unchanged=True)
    if site_dir.is_dir() and stamps.load(stamps.stamp_file(site_dir), stamp, unchanged):
        _refuse_if_exposed(settings, unchanged)
        return unchanged  # nothing it reads has changed: the site is as it was
    with _docs_checked(settings.docs_dir):
        report = generate(settings, reuse=False)  # the guard and the search need this build's data

        def build_into(staging: Path) -> None:
            # Pagefind indexes the fragments in its own process while MkDocs renders the pages.
            # The docs folder is final: the guard is made and reads it on the other core while
            # MkDocs works (started before Pagefind's thread: a fork copies only its own thread).
            guard = GuardProcess(report.guard, settings.docs_dir) if report.guard else None
            with contextlib.ExitStack() as cleanup:
                if guard is not None:
                    cleanup.enter_context(guard)  # a build that stops early ends the guard's process
                work = tempfile.mkdtemp(prefix=work_folder_prefix(site_dir, "okb-search"), dir=staging.parent)
                cleanup.callback(shutil.rmtree, work, ignore_errors=True)
                # Entered last, left first: a build that stops ends Pagefind before its folder goes.
                with search.Indexer(report.search_records, report.language, Path(work)) as indexer:
                    with build_date(report.newest_year):  # the guard checks each page as MkDocs makes it
                        rendered = run_mkdocs(
                            config, staging, guard.page if guard is not None else None, report.hand_written
                        )
                    indexer.finish(staging)
                with stage(settings, report, "guard"):
                    check_hand_written_pages(staging, report.hand_written, site_config(config).urls, rendered)
                    check_for_leaks(guard, staging)

        with stage(settings, report, "mkdocs"):
            publish_site(build_into, site_dir)
    stamps.save(stamps.stamp_file(site_dir), stamp, report)
    return report


def _refuse_if_exposed(settings: Settings, report: BuildReport) -> None:
    """Public sources holding what must not be public: stop before anything is written
    (raises exposure.PublicSourcesError). A check (nothing written) is told by the command line."""
    if settings.sources_public:
        exposure.refuse_public_sources(report)


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
    _generated_stamp(docs_dir).unlink(missing_ok=True)  # so that the next generation writes it all
    _unchecked_mark(docs_dir).unlink(missing_ok=True)


def _input_stamp(settings: Settings) -> str:
    """The stamp of everything generation reads (generator/publish/stamp.py)."""
    inputs = [*settings.contents, settings.templates, settings.config_file.resolve(), _project_content(settings)]
    if settings.redact_file is not None:
        inputs.append(settings.redact_file)
    return input_stamp(inputs, {"site": settings.site, "docs": str(settings.docs_dir.resolve())})


def _project_content(settings: Settings) -> Path:
    return settings.project_content or settings.config_file.resolve().parent / "content"
