"""`python -m generator build|check|generate|publish|fields`: the command line. Only this module prints."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import logging
import sys
from pathlib import Path
from typing import Protocol, TextIO

from generator.errors import BuildError, InputError, Location
from generator.fields import DEFAULT_TABLE, DETAILS, FACET, SECTION, FieldTable
from generator.model import SourceSummary
from generator.normalise.vocabulary import NOT_CONFIDENTIAL_VALUES
from generator.privacy.exposure import PublicSourcesError, exposure_of, refusal, refuse_public_sources, tracked_warning
from generator.privacy.gate import WHAT_TO_DO
from generator.privacy.redact import Redactor
from generator.publish.build_types import PROJECT_ROOT, BuildReport, Progress, Settings
from generator.publish.generate import generate
from generator.publish.push import Pushed, push_site
from generator.publish.sequence import build
from generator.publish.stopping import BuildStopped, stop_on_signals
from generator.read.extras import redaction_phrases_for_messages
from generator.summary import Outcome, job_summary

MAX_LISTED = 20


class Output(Protocol):
    """Where the command prints: sys.stdout, sys.stderr, or one of them Masked."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...

    def isatty(self) -> bool: ...


# The one line a command stopped by Ctrl+C or SIGTERM prints (it has removed what it made).
STOPPED = {
    "build": "Build stopped; the previous site is as it was.",
    "generate": "Stopped; the docs folder may be incomplete: run the command again.",
    "check": "Check stopped; nothing was written.",
    "publish": "Publishing stopped; nothing was pushed, and the previous site is as it was.",
}


def print_report(report: BuildReport, out: Output) -> None:
    """What was read, published and held back, and what an editor should look at: names
    files, rows and fields, never a held-back value."""
    print("Fragments read:", file=out)
    print_sources(report, out)
    _print_counts(report, out)
    _print_ignored_fields(report, out)
    _print_blanks(report, out)
    _print_warnings(report, out)
    _print_work_done(report, out)


def _print_counts(report: BuildReport, out: Output) -> None:
    """Published of read; held back, by reason with what to do, and where (never what)."""
    total = sum(s.records for s in report.sources)
    print(f"Published: {report.published} of {total}", file=out)
    held = sum(report.held_back.values())
    print(f"Held back (not published): {held}", file=out)
    for reason, count in sorted(report.held_back.items()):
        hint = WHAT_TO_DO.get(reason)
        print(f"  {count:6d}  {reason}" + (f" ({hint})" if hint else "") + ":", file=out)
        for line in _places([where for r, where in report.held_back_at if r == reason]):
            print(f"            {line}", file=out)


def _print_ignored_fields(report: BuildReport, out: Output) -> None:
    """Unknown field names, with a suggestion; those of held-back text files are only counted."""
    if report.ignored_fields or report.ignored_in_held_back:
        print("Ignored fields (never published; python -m generator fields lists the known names):", file=out)
    for name, files in sorted(report.ignored_fields.items()):
        suggestion = report.table.suggest(name) if report.table else None
        advice = f"; did you mean '{suggestion}'? (add it to content/fields.yml)" if suggestion else ""
        print(f"  '{name}' is not a known field{advice}: in {len(files)} file(s), e.g. {files[0]}", file=out)
    if report.ignored_in_held_back:
        print(
            f"  and unknown fields in {report.ignored_in_held_back} held-back text file(s) (not named: they are held back)",
            file=out,
        )


def _print_blanks(report: BuildReport, out: Output) -> None:
    """The review before publishing: published outcomes that leave a substantive field blank."""
    incomplete = {name: places for name, places in report.blanks.items() if places}
    if incomplete:
        print("Published outcomes with a blank field (review before publishing):", file=out)
        for name, places in incomplete.items():
            print(f"  {len(places):6d}  no '{name}':", file=out)
            for line in _places(places):
                print(f"            {line}", file=out)


def _print_warnings(report: BuildReport, out: Output) -> None:
    """Redactions counted; the first MAX_LISTED warnings, each naming file, row or line and field."""
    if report.redaction_lists:
        print("Redaction lists applied: " + ", ".join(report.redaction_lists), file=out)
    if report.redactions:
        print(f"Redacted: {report.redactions} occurrence(s) of names in redact.txt", file=out)
    if report.problems:
        print(f"Warnings: {len(report.problems)}", file=out)
        for problem in report.problems[:MAX_LISTED]:
            print(f"  {problem}", file=out)
        if len(report.problems) > MAX_LISTED:
            print(f"  … and {len(report.problems) - MAX_LISTED} more", file=out)


def _print_work_done(report: BuildReport, out: Output) -> None:
    """Pages written, unchanged and removed, and the time of each stage."""
    if report.written is not None:
        w = report.written
        print(f"Pages: {report.pages} ({w.written} written, {w.unchanged} unchanged, {w.removed} removed)", file=out)
    if report.timings:
        print("Time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items()), file=out)


STAGE_NAMES = {
    "read": "Reading the content",
    "generate": "Generating pages",
    "write": "Writing the docs folder",
    "mkdocs": "Building the site with MkDocs",
}


class Notices(Progress):
    """No stage lines (nobody watches them), but a build that waits for another says so."""

    def __init__(self, stream: Output):
        self.stream = stream

    def waiting(self, folder: Path) -> None:
        print(
            f"Another build into {_shown(folder)}/ is under way: this one waits for it to finish…",
            file=self.stream,
            flush=True,
        )


def _shown(folder: Path) -> str:
    """A folder as the user named it: relative to where they are when it is inside."""
    with contextlib.suppress(ValueError):
        return str(folder.relative_to(Path.cwd().resolve()))
    return str(folder)


class TerminalProgress(Notices):
    """Stage lines with timings on stderr, and a page counter that rewrites its own line."""

    def stage(self, name: str) -> None:
        print(f"{STAGE_NAMES.get(name, name)}…", end="", file=self.stream, flush=True)

    def pages(self, count: int) -> None:
        print(f"\r{STAGE_NAMES['generate']}… {count} pages", end="", file=self.stream, flush=True)

    def done(self, name: str, seconds: float, detail: str) -> None:
        text = f"\r{STAGE_NAMES.get(name, name)}: {detail + ', ' if detail else ''}{seconds:.1f} s"
        print(text.ljust(60), file=self.stream, flush=True)


def _shorten(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")


def _places(locations: list[Location]) -> list[str]:
    """Where, never what: 'export.csv, rows 2, 5, 9' per spreadsheet; text files by folder."""
    rows_by_file: dict[str, list[str]] = {}
    files_by_folder: dict[str, list[str]] = {}
    for location in locations:
        if location.row is not None:
            rows_by_file.setdefault(location.path, []).append(str(location.row))
        else:
            path = Path(location.path)
            files_by_folder.setdefault(str(path.parent), []).append(path.name)
    lines = [f"{path}, row{'s' if len(rows) > 1 else ''} {_shorten(rows)}" for path, rows in rows_by_file.items()]
    lines += [f"{folder}/: {_shorten(names)}" for folder, names in files_by_folder.items()]
    return lines


def print_sources(report: BuildReport, out: Output) -> None:
    """One line per file; many text files are summed up per folder. A workbook always has a
    line of its own, naming the sheet that was read and counting the hidden ones skipped."""
    workbooks = [source for source in report.sources if source.sheet is not None]
    others = [source for source in report.sources if source.sheet is None]
    if len(report.sources) <= MAX_LISTED:
        others, workbooks = [], []
        for source in report.sources:
            print(f"  {source.records:6d}  {_source_line(source)}", file=out)
    for source in workbooks:
        print(f"  {source.records:6d}  {_source_line(source)}", file=out)
    by_folder: dict[str, list[int]] = {}
    for source in others:
        by_folder.setdefault(str(Path(source.path).parent), []).append(source.records)
    for folder, counts in by_folder.items():
        print(f"  {sum(counts):6d}  {folder}/ ({len(counts)} files)", file=out)


def _source_line(source: SourceSummary) -> str:
    """'export.xlsx, sheet 'Outcomes' (1 hidden sheet skipped: never read)'. Hidden sheets are
    counted, never named: a tab hidden by someone may be named after what it holds."""
    if source.sheet is None:
        return source.path
    hidden = (
        f" ({source.hidden_sheets} hidden sheet{'s' if source.hidden_sheets > 1 else ''} skipped: never read)"
        if source.hidden_sheets
        else ""
    )
    return f"{source.path}, sheet '{source.sheet}'{hidden}"


COMMANDS = {
    "build": "build the site: read the content, generate the pages, build them with MkDocs and index them "
    "for search; the previous site stays as it was unless everything succeeds",
    "check": "read the content and print what would be published, what is held back and why, and what "
    "to fix; writes nothing",
    "generate": "write the site's Markdown pages into the docs folder only (for mkdocs, Zensical or "
    "another engine to build); builds nothing",
    "publish": "build the site as build does, then push the built site, and nothing else, to a branch of "
    "another repository (a site repository's gh-pages)",
    "fields": "list every field an outcome record can have: its name, the column names it is known by, "
    "the values it accepts and where it is published",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Outcome knowledge base: turns outcome records into a searchable website.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in COMMANDS.items():
        command = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        command.add_argument(
            "--config", type=Path, default=Path("mkdocs.yml"), help="the site's settings (default: mkdocs.yml)"
        )
        if name == "fields":
            continue
        command.add_argument(
            "--content",
            action="append",
            type=Path,
            metavar="PATH",
            help="a folder, or a .txt, .csv or .xlsx file of outcome records; may be given several times "
            "(default: content/)",
        )
        command.add_argument(
            "--redact",
            type=Path,
            metavar="FILE",
            help="a list of names to mask, one per line, in addition to content/redact.txt",
        )
        command.add_argument("--quiet", "-q", action="store_true", help="print errors only")
        if name in ("build", "generate", "publish"):
            command.add_argument(
                "--docs-dir", type=Path, default=Path("docs"), help="where the generated Markdown goes (default: docs/)"
            )
        if name in ("build", "publish"):
            command.add_argument(
                "--site-dir", type=Path, default=Path("site"), help="where the site goes (default: site/)"
            )
        _add_publishing_options(command, name)
    return parser


def _add_publishing_options(command: argparse.ArgumentParser, name: str) -> None:
    """--sources-public and --summary (check, build, publish); --to and --branch (publish)."""
    if name not in ("check", "build", "publish"):
        return
    command.add_argument(
        "--sources-public",
        action="store_true",
        help="anyone can read the content folder (a public repository): stop, publishing nothing, if it holds "
        "held-back outcomes, columns that are not published, a redaction list or a fields.yml naming such columns",
    )
    command.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="also write the report as Markdown into FILE (a CI run's job summary: $GITHUB_STEP_SUMMARY)",
    )
    if name == "publish":
        command.add_argument(
            "--to",
            required=True,
            metavar="REMOTE",
            help="the repository to push the site to: an address git can push to (git@github.com:org/site.git)",
        )
        command.add_argument(
            "--branch", default="gh-pages", help="the branch the site is pushed to (default: gh-pages)"
        )


class Masked(io.TextIOBase):
    """A stream that masks the redaction list's names in what is written to it. Messages
    name files and folders, and a file may be named after a person (amina-diallo.txt):
    everything the command prints goes through one of these, or through MaskedLog."""

    def __init__(self, stream: TextIO, redactor: Redactor) -> None:
        self.stream, self.redactor = stream, redactor

    def write(self, text: str) -> int:
        self.stream.write(self.redactor(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


class MaskedLog(logging.Filter):
    """The same masking for log lines (MkDocs' warnings name pages of the docs folder)."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redactor(record.getMessage()), ()
        return True


def main(argv: list[str] | None = None) -> int:
    """Run one command; prints the report or the error, and returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.command == "fields":
        print_fields(DEFAULT_TABLE, sys.stdout)
        return 0
    contents = args.content or [Path("content")]
    config_file = args.config
    if args.command == "check" and not config_file.is_file() and args.config == Path("mkdocs.yml"):
        # A check of a file from anywhere reads it with the project's own settings.
        config_file = PROJECT_ROOT / "mkdocs.yml"
    project_content = config_file.resolve().parent / "content"
    redactor = Redactor(
        redaction_phrases_for_messages(contents, project_content, args.redact),
    )
    masking = MaskedLog(redactor)
    handlers = logging.getLogger().handlers
    for handler in handlers:
        handler.addFilter(masking)
    try:
        return _run(args, contents, config_file, Masked(sys.stdout, redactor), Masked(sys.stderr, redactor), redactor)
    finally:
        for handler in handlers:
            handler.removeFilter(masking)


def _run(
    args: argparse.Namespace, contents: list[Path], config_file: Path, out: Output, err: Output, redactor: Redactor
) -> int:
    # Progress only where a person watches: a terminal, and not --quiet.
    progress = Progress() if args.quiet else TerminalProgress(err) if err.isatty() else Notices(err)
    docs_dir = getattr(args, "docs_dir", Path("docs"))
    settings = Settings(
        contents=contents,
        docs_dir=docs_dir,
        progress=progress,
        config_file=config_file,
        redact_file=args.redact,
        sources_public=getattr(args, "sources_public", False),
    )
    pushed: Pushed | None = None
    try:
        with stop_on_signals():
            if args.command == "check":
                report = generate(settings, write=False)
            elif args.command == "generate":
                report = generate(settings)
            else:
                report = build(settings, args.config, args.site_dir)
                if args.command == "publish":
                    pushed = _push(args, report)
    except BuildStopped as stop:
        print(("\n" if isinstance(progress, TerminalProgress) else "") + STOPPED[args.command], file=err)
        return 128 + stop.signum
    except (InputError, BuildError) as error:
        print(f"Error: {error}", file=err)
        if args.command == "build":
            print("Nothing was published: the previous site is as it was.", file=err)
        elif args.command == "publish":
            print("Nothing was pushed: the site repository is as it was.", file=err)
        summary = Summary(args, err, redactor)
        summary.write(error.report if isinstance(error, PublicSourcesError) else None, error=str(error))
        return 1
    if not args.quiet:
        if report.unchanged:
            folder = args.site_dir if args.command in ("build", "publish") else docs_dir
            print(f"Nothing has changed since the last {args.command}: {folder}/ is as it was.", file=out)
        print_report(report, out)
        if args.command in ("build", "publish"):
            print(f"Site written to {args.site_dir}/", file=out)
        elif args.command == "generate":
            print(f"Pages written to {docs_dir}/", file=out)
    return _after_report(args, report, pushed, out, err, Summary(args, err, redactor))


def _push(args: argparse.Namespace, report: BuildReport) -> Pushed:
    """publish: the built site to --to, once the report is known to allow it (the pipeline
    refused already; this is the last look before anything leaves)."""
    if args.sources_public:
        refuse_public_sources(report)
    return push_site(args.site_dir, args.to, args.branch)


def _after_report(
    args: argparse.Namespace, report: BuildReport, pushed: Pushed | None, out: Output, err: Output, summary: Summary
) -> int:
    """What check, build and publish add to the report: the sources kept in git, the refusal
    of public sources (check: build and publish stopped before writing), the push, the job
    summary. Returns the exit status."""
    if args.command not in ("check", "build", "publish"):
        return 0
    warning = tracked_warning(report)
    if warning and not args.quiet:
        print(f"Warning: {warning}", file=err)
    exposure = exposure_of(report) if args.sources_public else None
    if exposure:
        print(f"Error: {refusal(exposure)}", file=err)
        summary.write(report, error=refusal(exposure), warning=warning)
        return 1
    if pushed is not None and not args.quiet:
        print(
            f"Published: the site ({pushed.files} files) was pushed to {pushed.remote}, branch {pushed.branch}",
            file=out,
        )
    summary.write(report, warning=warning, pushed=f"{pushed.remote}, branch {pushed.branch}" if pushed else None)
    return 0


@dataclasses.dataclass(frozen=True)
class Summary:
    """--summary FILE: the report as Markdown (generator/summary.py), whether the command
    succeeded or not, masked like everything else the command writes."""

    args: argparse.Namespace
    err: Output
    redactor: Redactor

    def write(
        self,
        report: BuildReport | None,
        error: str | None = None,
        warning: str | None = None,
        pushed: str | None = None,
    ) -> None:
        path = getattr(self.args, "summary", None)
        if path is None:
            return
        outcome = Outcome(self.args.command, error=error, warning=warning, published_to=pushed)
        try:
            path.write_text(self.redactor(job_summary(outcome, report)), encoding="utf-8")
        except OSError as problem:
            print(f"Error: {path}: the summary could not be written ({problem.strerror})", file=self.err)


def print_fields(table: FieldTable, out: Output) -> None:
    """The field reference: generated from the table, so it cannot drift from the code."""
    places = {
        SECTION: "a section of the outcome's page",
        DETAILS: "the Details table of its page",
        FACET: "a tag at the top of its page, with a page listing every outcome that has the same value",
    }
    for entry in table:
        print(entry.name, file=out)
        others = [name for name in table.known_names(entry.key) if name != entry.name]
        if others:
            print("  also known as: " + ", ".join(others), file=out)
        if entry.values:
            print("  accepted values: " + ", ".join(entry.values), file=out)
        if entry.key == "confidential":
            print(
                "  published: never; decides whether the outcome is published: only "
                + ", ".join(sorted(NOT_CONFIDENTIAL_VALUES))
                + " publish it (any case); anything else, "
                "blank included, holds it back",
                file=out,
            )
            continue
        where = [places[place] for place in (SECTION, DETAILS, FACET) if place in entry.shows]
        columns = ", ".join(column.name for column in entry.opendata)
        if columns:
            where.append(f"the open data (outcomes.csv and outcomes.json: {columns})")
        print("  published in: " + ("; ".join(where) if where else "nowhere"), file=out)
