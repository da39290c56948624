"""What a build is given (Settings), whom it tells of its stages (Progress) and what it
gives back (BuildReport): the terms shared by generation, the publish sequence, the
command line and the plugin."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Location, Problem
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.model import NoColumn, SourceSummary
from generator.privacy.guard.check import Guard
from generator.publish.search import SearchRecord
from generator.publish.write import WriteSummary
from generator.site_config import SiteConfig

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    # Where generation writes the search records' pages for Pagefind (search.write_record_pages),
    # instead of handing the records back in its report: another language's generation in a
    # forked helper, so that its records are neither sent to the build's process nor made
    # into pages there (bench/README.md, "Two languages, fourth round"). None: in the report.
    search_pages: Path | None = None
    # --sources-public: anyone can read the content folders (a public repository). Then
    # content that must not be public stops generation before anything is written.
    sources_public: bool = False
    # Every language of the site (site_config.site_languages): the guard, which checks all of
    # them at once, allows the interface text of each. (): the site's language alone.
    languages: tuple[str, ...] = ()


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
    search_records: list[SearchRecord] = field(default_factory=list)
    search_pages: Path | None = None  # where generation wrote the records' pages (Settings.search_pages)
    language: str = "en"
    hand_written: dict[str, Path] = field(default_factory=dict)  # docs path → content/pages/ file
    # The review before a harvest goes public: for each substantive field, where public
    # fragments leave it blank (locations only).
    blanks: dict[str, list[Location]] = field(default_factory=dict)
    # Spreadsheets with no column at all for the description or a substantive field: one
    # line per file in the review, instead of every row in `blanks`.
    no_column: list[NoColumn] = field(default_factory=list)
    # Published fields that seem to hold an e-mail address, a phone number or a street
    # address (normalise/personal_details.py): by place and kind, never the value.
    personal_details: list[Problem] = field(default_factory=list)
    unchanged: bool = False  # a build that found nothing changed since the last one
    newest_year: int | None = None  # of the public outcomes: the site's date (build_date)
    # For exposure.py: the redaction lists applied, and each fields.yml with the keys of
    # the fields it names (paths only).
    redact_files: list[str] = field(default_factory=list)
    field_name_files: dict[str, list[str]] = field(default_factory=dict)


# Fields an M&E lead expects in every published outcome (the quality report).
