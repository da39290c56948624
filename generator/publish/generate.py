"""Generation, the first step of every build: read → gate → normalise → index → render →
the docs folder (Pelican's "context" step). The publish sequence (sequence.py) and the
preview (the plugin, with its kept state) both start here.

Over 400 lines because the stage's order (and what each step hands the next: the gate before
anything is normalised, redaction before anything is rendered, the guard made from both) is
the module's subject; the steps' own work lives in read/, privacy/, normalise/ and pages/."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import forking
from generator.errors import InputError, Location, Problem
from generator.fields import FieldTable
from generator.model import Fragment, FrameworkLabels, NoColumn, RawRecord, SourceSummary
from generator.normalise import fragments as norm
from generator.normalise import related
from generator.normalise.personal_details import PersonalDetail
from generator.normalise.values import FrameworkLinks, Objective, ObjectiveValues, Term, VocabularyValues, safe_label
from generator.pages import feed, opendata
from generator.pages.hand_written import only_in_language
from generator.pages.indexes import SiteIndex, build_index
from generator.pages.labels import load_labels
from generator.pages.render import Files, Placed, render_site
from generator.pages.renderer import Renderer
from generator.preview.collector import Collector
from generator.preview.kept import Kept
from generator.privacy import exposure, gate
from generator.privacy.guard.check import Guard
from generator.privacy.redact import Redactor
from generator.privacy.scrub import scrubbed
from generator.publish import search
from generator.publish import stamp as stamps
from generator.publish.build_types import BuildReport, Progress, Settings, stage
from generator.publish.stamp import input_stamp
from generator.publish.write import EarlyWrites, WriteSummary, add_assets, add_pages, write_docs
from generator.read import sample
from generator.read.extras import ContentExtras, read_extras
from generator.read.hand_written_pages import language_pages, pages_without_twin, redacted_pages
from generator.read.site_settings import SiteSettings, read_site_settings
from generator.read.source_result import SourceResult
from generator.read.sources import read_sources
from generator.site_config import SiteConfig, read_site_config

TEMPLATE_ASSETS = "assets"
PROGRESS_EVERY = 500  # pages between two progress updates


SUBSTANTIVE = ("significance", "contribution", "evidence", "results_framework", "objective", "change_types", "year")


def _blank(value: object) -> bool:
    if isinstance(value, FrameworkLinks):
        return not value.outcomes
    return value in (None, "", ())


def blank_fields(fragment: Fragment) -> tuple[str, ...]:
    """The substantive fields (SUBSTANTIVE's keys, in its order) a fragment leaves blank."""
    return tuple(key for key in SUBSTANTIVE if _blank(fragment.value(key)))


def quality(
    fragments: list[Fragment],
    locations: list[Location],
    table: FieldTable,
    blanks_of: Callable[[Fragment], tuple[str, ...]] = blank_fields,
) -> dict[str, list[Location]]:
    """Where public fragments leave a substantive field blank, by the field's standard name.
    locations: where each fragment was read (its record's), in the same order. blanks_of:
    blank_fields (a preview's keeps each unchanged fragment's from the last generation)."""
    blank: dict[str, list[Location]] = {key: [] for key in SUBSTANTIVE}
    for fragment, location in zip(fragments, locations, strict=True):
        for key in blanks_of(fragment):
            blank[key].append(location)
    return {table[key].name: blank[key] for key in SUBSTANTIVE}


def no_columns(summaries: list[SourceSummary], table: FieldTable, redact: Redactor) -> list[NoColumn]:
    """Spreadsheets with no column for the description or a substantive field, each with
    its unknown columns that look like the field (names redacted: a column may be named
    after a person). A header is about the file, so naming its columns says nothing of a row."""
    missing = []
    for summary in summaries:
        if summary.columns is None or not summary.records:
            continue
        for key in ("description", *SUBSTANTIVE):
            if key not in summary.columns:
                name = table[key].name
                has = tuple(redact(column) for column in summary.ignored_fields if table.suggest(column) == name)
                missing.append(NoColumn(summary.path, name, has))
    return missing


def _without_no_column(blanks: dict[str, list[Location]], missing: list[NoColumn]) -> dict[str, list[Location]]:
    """The blanks less the rows of files that have no column for the field (said once per file)."""
    files = {(entry.field, entry.path) for entry in missing}
    return {name: [where for where in places if (name, where.path) not in files] for name, places in blanks.items()}


def _page_title(data: bytes, path: str) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        if line.startswith("# "):
            return safe_label(line[2:])
        if line.startswith("title:"):
            return safe_label(line[6:].strip().strip("'\""))
    return Path(path).stem.replace("-", " ").capitalize()


def generated_stamp(docs_dir: Path) -> Path:
    """Beside the docs folder, not in it (nothing in it may hold what is not published): the
    stamp of what the pages were generated from, and the report."""
    docs_dir = docs_dir.resolve()
    return docs_dir.parent / f".{docs_dir.name}.okb-generated.json"


def _collector_off() -> contextlib.AbstractContextManager[None]:
    """Python's cycle collector off while generation runs, on again at its end (the preview's
    Collector, never deferred). Generation makes few cycles and keeps most of what it makes
    until it ends, and the collector's full passes walked that growing heap again and again:
    six at 5,000 fragments, ~0.5 s of the build's process (14 % of its generation's CPU), before
    and while the engine waited for it. A forked helper inherits it off: a pass there also
    copied every page of the inherited heap it walked. The peak memory stayed the same (bench/README.md,
    "Generation, eleventh round")."""
    return Collector(max_deferred=0).paused()


def generate(settings: Settings, write: bool = True, reuse: bool = True, kept: Kept | None = None) -> BuildReport:
    """Read the content and (when write) bring the docs folder up to date. Raises InputError.

    reuse: when nothing generation reads has changed since the docs folder was written,
    leave it as it is and give the report of then (its guard and search records are not
    made again: a build that publishes passes reuse=False).
    kept: what the last generation of this process made (a preview's, generator/preview/kept.py),
    reused where its inputs are the same; brought up to date when the docs folder is.

    A preview's save after its first generation (kept, not empty) forgets the docs folder's
    stamp instead of writing it: hashing every content file and writing the report (5,000
    sources with one .txt per fragment) was ~15 % of a save's CPU, and only a later
    `python -m generator generate` reads it (a preview starts with a whole generation, a
    build that publishes makes all again); that one generates all once more."""
    with _collector_off():
        return _generate_or_reuse(settings, write, reuse, kept)


def _generate_or_reuse(settings: Settings, write: bool, reuse: bool, kept: Kept | None) -> BuildReport:
    if settings.site is None:  # mkdocs.yml read once, for the stamp and the pages
        settings = replace(settings, site=read_site_config(settings.config_file))
    if write and kept is not None and not kept.empty:
        generated_stamp(settings.docs_dir).unlink(missing_ok=True)  # before any page changes
        return _generate(settings, write, kept)
    stamp = inputs_stamp(settings, kept.file_bytes if kept is not None else Path.read_bytes) if write else ""
    if write and reuse:
        report = BuildReport(unchanged=True)
        if settings.docs_dir.is_dir() and stamps.load(generated_stamp(settings.docs_dir), stamp, report):
            report.written = WriteSummary(written=0, unchanged=report.pages, removed=0)
            refuse_if_exposed(settings, report)
            return report
    report = _generate(settings, write, kept if write else None)
    if write:
        stamps.save(generated_stamp(settings.docs_dir), stamp, report)
    return report


@dataclass
class _ReadOnce:
    """What reading, the gate and normalising made of the content, which is the same for every
    language of the site: the first language's generation fills it, the others' reuse it
    (generate_languages). Their reports then hold what rendering fills only (pages, search
    records, hand-written pages, timings): the first language's report is the build's."""

    extras: ContentExtras | None = None
    sources: list[SourceResult] = field(default_factory=list)
    gated: gate.GateResult | None = None
    redactor: Redactor | None = None
    fragments: list[Fragment] = field(default_factory=list)


def generate_languages(languages: Sequence[Settings]) -> list[BuildReport]:
    """Each language's docs folder (the publish sequence's generation), as generate(reuse=False)
    for each, from one reading and normalising of the content: the first language's. Where
    the system can fork, the other languages are rendered in forked helpers (_other_language)
    beside the first, from what the first read and normalised. Raises InputError."""
    with _collector_off():
        reports = _generate_languages(languages)
        # The build keeps what generation made until it ends, and it holds no cycles to collect
        # (14 unreachable objects at 5,000): frozen, the collector on again never walks its
        # ~211,000 objects, here or in the helpers the engine phase forks (a preview's
        # generation is not frozen: a server would keep every save's garbage).
        gc.freeze()
        return reports


def _generate_languages(languages: Sequence[Settings]) -> list[BuildReport]:
    languages = [
        settings if settings.site is not None else replace(settings, site=read_site_config(settings.config_file))
        for settings in languages
    ]
    once = _ReadOnce()
    first, others = BuildReport(), languages[1:]
    if not others:
        return [_generate_saved(languages[0], once, first)]
    extras, sources = _read(languages[0], first, None)
    once.extras, once.sources = extras, sources
    with stage(languages[0], first, "normalise"):
        _normalise_once(first, extras, sources, once)
    if not forking.can_fork():
        return [_generate_saved(settings, once, first if settings is languages[0] else None) for settings in languages]
    helpers = [forking.call(_other_language, settings, once) for settings in others]
    try:
        return [_generate_saved(languages[0], once, first)] + [helper.result() for helper in helpers]
    finally:
        for helper in helpers:
            helper.cancel()  # a helper that has answered has ended already


def _generate_saved(settings: Settings, once: _ReadOnce, report: BuildReport | None = None) -> BuildReport:
    """One language's generation into its docs folder, with the folder's stamp."""
    stamp = inputs_stamp(settings)
    report = _generate(settings, True, None, once, report)
    stamps.save(generated_stamp(settings.docs_dir), stamp, report)
    return report


def _other_language(settings: Settings, once: _ReadOnce) -> BuildReport:
    """In a forked helper: another language's generation, silent (the first language's tells
    the progress of the build), from the content `once` holds. Gives back what the rest of the
    build needs of it (the first language's report is the build's): the rest holds what
    cannot cross to the parent (the guard's maker) or has been said already."""
    report = _generate_saved(replace(settings, progress=Progress()), once)
    return BuildReport(
        published=report.published,
        pages=report.pages,
        newest_year=report.newest_year,
        written=report.written,
        timings=report.timings,
        search_records=report.search_records,
        search_pages=report.search_pages,
        language=report.language,
        hand_written=report.hand_written,
    )


def _generate(
    settings: Settings,
    write: bool,
    kept: Kept | None = None,
    once: _ReadOnce | None = None,
    report: BuildReport | None = None,
) -> BuildReport:
    report = report if report is not None else BuildReport()
    if kept is not None:
        kept.start()
    if once is not None and once.extras is not None:  # another language of the same content
        extras, sources = once.extras, once.sources
    else:
        extras, sources = _read(settings, report, kept)
        if once is not None:
            once.extras, once.sources = extras, sources
    report.redact_files = [str(path) for path in extras.redact_files]
    report.field_name_files = {str(path): sorted(keys) for path, keys in extras.field_files.items()}
    with stage(settings, report, "generate") as timer:
        # A build writes each generated page as soon as it is rendered, in the process that rendered
        # it (early); a preview's generation renders in one process, and a check writes nothing.
        files, early = _generate_files(settings, report, extras, sources, kept, once, write and kept is None)
        timer.detail = f"{report.pages} pages from {report.published} public fragments"
    if write:
        if early is None:  # else refused before the first page was written (_early_writes)
            refuse_if_exposed(settings, report)
        with stage(settings, report, "write") as timer:
            report.written = write_docs(files, settings.docs_dir, kept.docs if kept is not None else None, early)
            timer.detail = f"{report.written.written} files written"
            if settings.search_pages is not None:  # another language's helper: its records stay here
                search.write_record_pages(report.search_records, report.language, settings.search_pages)
                report.search_pages, report.search_records = settings.search_pages, []
        if kept is not None:
            kept.finish()
    return report


def _read(settings: Settings, report: BuildReport, kept: Kept | None) -> tuple[ContentExtras, list[SourceResult]]:
    """The reading stage: the content folder's settings and lists, and every fragment source."""
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
    return extras, sources


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


def _pages_without_twin(
    extras: ContentExtras, languages: tuple[str, ...], templates: Path, redactor: Redactor
) -> list[Problem]:
    """A warning for each hand-written page that some language of the site has no twin of (it
    is published there as written, with a note): the editor writes the twin. File names with
    the redaction list's names masked, as every message has them; languages named in English,
    as every message is written."""
    untwinned = pages_without_twin(extras.pages, languages)
    if not untwinned:
        return []
    names = load_labels(templates, "en")
    problems = []
    for page in untwinned:
        source = extras.page_sources.get(page.origin, Path(page.origin))
        others = " and ".join(str(names.get(f"language_{code}", code)) for code, _ in page.missing)
        twins = " and ".join(redactor(str(source.with_name(Path(twin).name))) for _, twin in page.missing)
        problems.append(
            Problem(
                Location(redactor(str(source))),
                None,
                f"this page is in {names.get(f'language_{page.written_in}', page.written_in)} only: "
                f"the {others} pages show it as it is, with a note saying so",
                f"write {twins}, the page in {others}",
            )
        )
    return problems


def _raw_values(record: RawRecord) -> dict[str, str]:
    return {key: value.text for key, value in record.values.items()}


def _term_labels(value: object) -> list[str]:
    """Every label, in every language, of a value a vocabulary knows (a Term, or a tuple of them;
    an objective the vocabulary knows, as pages name it: "CIV: Moins de restrictions…")."""
    terms = value if isinstance(value, tuple) else (value,)
    objectives = [
        term.name_in(language) for term in terms if isinstance(term, Objective) for language, _ in term.labels
    ]
    return [label for term in terms if isinstance(term, Term) for _, label in term.labels] + objectives


def _held_back_values(record: RawRecord, table: FieldTable) -> dict[str, str]:
    """A held-back record's values for the guard: as written, and a short value a vocabulary
    knows also by its labels in every language ("Tchad" is looked for as "Chad" too, as an
    English page would name it). Computed for the guard only: nothing of it is reported."""
    values = _raw_values(record)
    for key in table.short_value_fields:
        if key in values:
            labels = _term_labels(table[key].normalise(values[key])[0])
            values[key] = "\n".join([values[key], *labels])
    return values


def _editors_text(extras: ContentExtras) -> list[str]:
    """What the editors wrote themselves (pages, Results Framework labels, the vocabularies'
    labels and spellings): a value it names is not a held-back fragment's secret."""
    pages = [
        data.decode("utf-8", "replace") for path, data in extras.pages.items() if path.lower().endswith(TEXT_PAGES)
    ]
    vocabularies = [
        spelling
        for entry in extras.table
        if isinstance(entry.normalise, (VocabularyValues, ObjectiveValues))
        for term, also in entry.normalise.vocabulary.terms
        for spelling in (*(label for _, label in term.labels), *also)
    ]
    objectives = [  # as pages name them: "CIV: Moins de restrictions…"
        f"{term.key}: {label}"
        for entry in extras.table
        if isinstance(entry.normalise, ObjectiveValues)
        for term, _ in entry.normalise.vocabulary.terms
        for _, label in term.labels
    ]
    return [*pages, *extras.labels.every_label(), *vocabularies, *objectives]


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


def _normalise_once(
    report: BuildReport,
    extras: ContentExtras,
    sources: list[SourceResult],
    once: _ReadOnce | None,
    kept: Kept | None = None,
) -> tuple[gate.GateResult, Redactor, list[Fragment]]:
    """Gate and normalise the records read (into `once` too, for the other languages)."""
    records = [record for source in sources for record in source.records]
    gated = gate.split_public(records)
    redactor = Redactor(extras.redact_phrases)
    _report_ignored_fields(report, sources, gated.public, redactor)
    # A sheet's name is printed in the report: an editor may have named a tab after a person.
    report.sources = [
        replace(summary, sheet=redactor(summary.sheet)) if summary.sheet else summary for summary in report.sources
    ]
    public_fragments = _normalised(report, extras, records, gated, redactor, kept)
    if once is not None:
        once.gated, once.redactor, once.fragments = gated, redactor, public_fragments
    return gated, redactor, public_fragments


def _generate_files(
    settings: Settings,
    report: BuildReport,
    extras: ContentExtras,
    sources: list[SourceResult],
    kept: Kept | None,
    once: _ReadOnce | None = None,
    write_early: bool = False,
) -> tuple[dict[str, bytes], EarlyWrites | None]:
    """Gate, normalise, index and render: every file of the docs folder, by path, but those
    written early (write_early: as they are rendered, by either process, said by the EarlyWrites)."""
    if once is not None and once.gated is not None and once.redactor is not None:
        gated, redactor, public_fragments = once.gated, once.redactor, once.fragments
        report.published, report.table = len(public_fragments), extras.table
    else:
        gated, redactor, public_fragments = _normalise_once(report, extras, sources, once, kept)
    site = settings.site
    assert site is not None, "generate() reads mkdocs.yml before rendering"
    _refuse_redacted_site_texts(site, redactor)
    in_language = extras.labels.in_language(site.language)
    labels = FrameworkLabels(
        {code: redactor(label) for code, label in in_language.outcomes.items()},
        {code: redactor(label) for code, label in in_language.outputs.items()},
    )
    renderer = (
        kept.renderer_for(settings.templates, site, extras.table)
        if kept is not None
        else Renderer(settings.templates, site, extras.table)
    )
    # A preview's Renderer keeps each unchanged fragment's listings from the last generation.
    keys_of = renderer.facet_keys if kept is not None and renderer.language == site.language else None
    index = build_index(public_fragments, labels, extras.table, site.language, keys_of)
    report.newest_year = max((fragment.year for fragment in public_fragments if fragment.year), default=None)
    if settings.search:
        report.search_records = search.search_records(
            index.fragments, site.urls, renderer.t, extras.table, site.language, renderer.text_language
        )
    report.language = site.language.split("-")[0].lower()
    written = language_pages(extras.pages, site.language, site.languages)
    chosen = written.pages
    page_sources = {path: extras.page_sources.get(origin, Path(origin)) for path, origin in written.origins.items()}
    # Before the other warnings, so that a long list never hides them.
    report.problems[:0] = [
        *sample.no_outcomes(settings.contents, len(sources)),
        *sample.sample_leftovers(
            settings.contents,
            _project_content(settings),
            {path: (data, page_sources[path]) for path, data in chosen.items()},
            site.name,
            settings.config_file,
            (fragment.fragment_id for fragment in public_fragments),
        ),
    ]
    for path, written_in in written.only_in.items():  # a page with no twin: as written, with a note
        chosen[path] = only_in_language(chosen[path], written_in, renderer.t)
    masked, report.hand_written = redacted_pages(chosen, page_sources, extras.redact_phrases)
    hand_written = {path: _redacted_page(path, data, redactor) for path, data in masked.items()}
    if site.language == (site.languages or (site.language,))[0]:  # said once, by the first language's generation
        report.problems.extend(_pages_without_twin(extras, site.languages, settings.templates, redactor))
    # The redaction list masks names in paths; masked pages come in the order of `chosen`.
    page_languages = {
        masked_path: written.only_in[path] for path, masked_path in zip(chosen, masked) if path in written.only_in
    }
    writes = _early_writes(settings, report) if write_early else None
    files = _rendered_files(settings, index, renderer, hand_written, page_languages, kept, writes)
    placed = writes.placed if writes is not None else {}
    report.pages = len(files) + len(placed)
    add_pages(files, hand_written, report.hand_written, taken=placed)
    add_assets(files, settings.templates / TEMPLATE_ASSETS, TEMPLATE_ASSETS)
    if site.logo and site.logo_source is not None:  # content/site.yml's logo, without its metadata
        files[site.logo] = scrubbed(site.logo_source, site.logo_source.read_bytes())
    report.guard = _guard_maker(
        files, site, extras, gated, public_fragments, _interface_texts(settings, site, renderer)
    )
    # The search script gets its interface text (templates/labels.yml) as data.
    script = files.get(search.SEARCH_SCRIPT)
    if script is not None:
        files[search.SEARCH_SCRIPT] = search.search_script(
            script.decode("utf-8"), renderer.t, search.filter_names(extras.table, renderer.t)
        ).encode("utf-8")
    return files, writes


def _early_writes(settings: Settings, report: BuildReport) -> EarlyWrites:
    """Before any page of a build is written: public sources that must not be are refused
    (nothing written yet, as ever), and the docs folder's stamp goes (the folder is no longer
    what it says, should the build stop half-way: the next generation makes all again)."""
    refuse_if_exposed(settings, report)
    generated_stamp(settings.docs_dir).unlink(missing_ok=True)
    return EarlyWrites(settings.docs_dir)


def _interface_texts(settings: Settings, site: SiteConfig, renderer: Renderer) -> list[str]:
    """What every page says around the outcomes, in every language of the site (one guard
    checks every language's tree): the interface text (templates/labels.yml) and
    content/site.yml's texts (name, programme, description, contact) in each language."""
    texts = [str(text) for text in renderer.t.values()] + list(_site_texts(site))
    for language in settings.languages:
        if language == site.language:
            continue
        texts += [str(text) for text in load_labels(settings.templates, language).values()]
        if site.settings_file:
            texts += _site_texts(read_site_settings(Path(site.settings_file), language))
    return texts


def _site_texts(site: SiteConfig | SiteSettings) -> tuple[str, ...]:
    return tuple(text for text in (site.name, site.programme, site.description, site.contact) if text)


def _refuse_redacted_site_texts(site: SiteConfig, redactor: Redactor) -> None:
    """content/site.yml's texts are shown on every page (and the site's name goes to the
    engine as it is): one that holds a name of the redaction list stops the build, naming
    the file, never the name. (Without site.yml, the leak guard stops such a site_name.)"""
    if site.settings_file and any(redactor(text) != text for text in _site_texts(site)):
        raise InputError(
            Location(site.settings_file),
            "a name of the redaction list (redact.txt) is in this file's texts, which every page shows",
            hint="write the texts without it, then build again",
        )


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
        else norm.normalise_all(gated.public, normaliser, lambda: redactor.count)
    )
    report.problems.extend(problem for problem in problems if not isinstance(problem, PersonalDetail))
    report.personal_details = [problem for problem in problems if isinstance(problem, PersonalDetail)]
    locations = [record.location for record in gated.public]  # one fragment per public record, in order
    norm.check_unique_slugs(public_fragments, locations, table["fragment_id"].name)
    public_fragments, problems = related.resolve_related(
        public_fragments, gated.public, records, table, _uncounted(redactor)
    )
    report.problems.extend(problems)
    if kept is not None:  # a preview: fragments equal to last time's as those objects (quick to compare)
        public_fragments = kept.same_as_last(public_fragments)
    report.published = len(public_fragments)
    report.table = table
    report.no_column = no_columns(report.sources, table, redactor)
    blanks_of = blank_fields if kept is None else functools.partial(kept.blank_fields, blank_fields)
    report.blanks = _without_no_column(quality(public_fragments, locations, table, blanks_of), report.no_column)
    report.redactions = redactor.count + reused_masks
    return public_fragments


def _uncounted(redactor: Redactor) -> Callable[[str], str]:
    """The redactor, without counting its masks in the report (for comparing IDs only)."""

    def redact(text: str) -> str:
        before = redactor.count
        masked = redactor(text)
        redactor.count = before
        return masked

    return redact


def _rendered_files(
    settings: Settings,
    index: SiteIndex,
    renderer: Renderer,
    hand_written: dict[str, bytes],
    written_in: dict[str, str],
    kept: Kept | None,
    early: EarlyWrites | None = None,
) -> dict[str, bytes]:
    """The generated pages, the open data and the feed, by path. written_in: the language of a
    hand-written page shown in a site of another (the home page lists it with its language).
    early: where each page is written as soon as it is rendered, by whichever process rendered
    it (not in what is returned; the open data and the feed are)."""
    site = renderer.site
    extra_pages = [
        (path, _page_title(data, path), written_in.get(path, ""))
        for path, data in hand_written.items()
        if path.endswith(".md")
    ]
    files: dict[str, bytes] = {}

    def open_data() -> dict[str, bytes]:  # made beside the fragment pages, by the process with fewer pages
        return opendata.open_data_files(index, renderer, site, kept.open_data if kept is not None else None)

    place = early.write if early is not None else None
    made = 0  # pages this process rendered (the second process's are counted by their writer)
    # One process where what the renderer makes is kept (a preview), and in another language's
    # helper (search_pages set), which already runs beside the first language's two: a second
    # renderer of its own made four processes on two cores, for more CPU in all (bench/README.md,
    # "Two languages, sixth round").
    processes = 1 if kept is not None or settings.search_pages is not None else 2
    for page in render_site(index, renderer, extra_pages, processes=processes, beside=open_data, place=place):
        if isinstance(page, Files):
            files.update(page.files)
            continue
        if isinstance(page, Placed):
            assert early is not None, "pages are placed only where early writes were asked for"
            early.add(page.placed)
            continue
        data = kept.encode(page) if kept is not None else page.text.encode("utf-8")
        if early is not None:
            # Written as it is made, while the second process still renders: written after
            # everything else, its ~2,400 files (at 5,000) were ~0.3-1 s of system time on this
            # process alone, the other core idle (bench/README.md, "Generation, eleventh round").
            early.add(early.write([(page.path, data)]))
        else:
            files[page.path] = data
        made += 1
        if made % PROGRESS_EVERY == 0:
            settings.progress.pages(made)
    files.update(feed.feed_files(index, site, renderer.t, renderer.language))
    return files


def _public_values(gated: gate.GateResult, fragments: list[Fragment], table: FieldTable) -> list[dict[str, str]]:
    """The public records' values for the guard: as written, but a list of other outcomes'
    IDs as it is published (resolved: published IDs only), never as written."""
    assert len(fragments) == len(gated.public), "one fragment per public record, in order"
    return [
        {**_raw_values(record), **{key: "; ".join(fragment.value(key) or ()) for key in table.not_as_written_fields}}
        for record, fragment in zip(gated.public, fragments)
    ]


def _guard_maker(
    files: dict[str, bytes],
    site: SiteConfig,
    extras: ContentExtras,
    gated: gate.GateResult,
    public_fragments: list[Fragment],
    interface_texts: list[str],
) -> Callable[[], Guard]:
    """Makes the guard of this build: what only held-back records hold, and the text allowed.
    What it reads of the fragments is gathered when the guard is made (in the guard's own
    process, beside the engine), not here: a preview never makes one, and at 5,000 fragments
    gathering it cost ~0.4 s of each preview save (bench/README.md, "Preview, fourth round")."""
    # The project's own scripts and styles: a word or a run of words in them is nobody's secret.
    # Taken now: the search script in `files` is given its interface text after this.
    project_text = [
        data.decode("utf-8", "replace") for path, data in files.items() if path.startswith(TEMPLATE_ASSETS + "/")
    ]

    def make() -> Guard:
        return Guard(
            held_back=[_held_back_values(record, extras.table) for record in gated.held_back_records],
            public=_public_values(gated, public_fragments, extras.table),
            redacted=extras.redact_phrases,
            allowed_text=project_text,
            # Text we or the editors wrote, in every language of the site (pages, interface labels,
            # site.yml's texts): a value it names is nobody's secret, even if a held-back fragment's
            # ID or country happens to be that word; a run of a held-back story copied into it is
            # still a leak, in whichever language's text it was planted.
            # A public country is named in both languages on the site's pages and in the search
            # index (Cameroun in a French site for a public "Cameroon"): not a held-back value.
            allowed_values_text=_editors_text(extras)
            + interface_texts
            + [
                label
                for fragment in public_fragments
                for value in fragment.values.values()
                for label in _term_labels(value)
            ],
        )

    return make


def refuse_if_exposed(settings: Settings, report: BuildReport) -> None:
    """Public sources holding what must not be public: stop before anything is written
    (raises exposure.PublicSourcesError). A check (nothing written) is told by the command line."""
    if settings.sources_public:
        exposure.refuse_public_sources(report)


def inputs_stamp(settings: Settings, read: Callable[[Path], bytes] = Path.read_bytes) -> str:
    """The stamp of everything generation reads (generator/publish/stamp.py); read: as input_stamp's."""
    inputs = [*settings.contents, settings.templates, settings.config_file.resolve(), _project_content(settings)]
    if settings.redact_file is not None:
        inputs.append(settings.redact_file)
    return input_stamp(inputs, {"site": settings.site, "docs": str(settings.docs_dir.resolve())}, read)


def _project_content(settings: Settings) -> Path:
    return settings.project_content or settings.config_file.resolve().parent / "content"
