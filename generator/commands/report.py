"""The report that check, build, generate and publish print: what was read, published and
held back, and where to look; it names files, rows and fields, never a held-back value."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from generator.commands.output import Output
from generator.errors import Location, Problem
from generator.model import NoColumn, SourceSummary
from generator.privacy.gate import WHAT_TO_DO
from generator.publish.build_types import BuildReport

MAX_LISTED = 20


def print_report(report: BuildReport, out: Output) -> None:
    """What was read, published and held back, and what an editor should look at: names
    files, rows and fields, never a held-back value."""
    print_summary(report, out)
    _print_work_done(report, out)


def print_summary(report: BuildReport, out: Output) -> None:
    """The report less the work done (pages written, time): what `mkdocs serve` prints too,
    again only when a save changes it (summary_news)."""
    print("Fragments read:", file=out)
    print_sources(report, out)
    _print_counts(report, out)
    _print_ignored_fields(report, out)
    _print_blanks(report, out)
    _print_personal_details(report, out)
    _print_warnings(report, out)


def summary_news(report: BuildReport, last: str | None) -> str | None:
    """The summary of `report` (print_summary's text), or None when it is `last`, the one
    printed before: a preview prints it at start and after a save that changes it only."""
    text = io.StringIO()
    print_summary(report, text)
    summary = text.getvalue().rstrip("\n")
    return None if summary == last else summary


def _print_counts(report: BuildReport, out: Output) -> None:
    """Published of read; held back, by reason with what to do, and where (never what)."""
    total = sum(s.records for s in report.sources)
    print(f"Published: {report.published} of {total}", file=out)
    held = sum(report.held_back.values())
    print(f"Held back (not published): {held}", file=out)
    for reason, count in sorted(report.held_back.items()):
        hint = WHAT_TO_DO.get(reason)
        print(f"  {count:6d}  {reason}" + (f" ({hint})" if hint else "") + ":", file=out)
        for line in _place_lines([where for r, where in report.held_back_at if r == reason]):
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


def no_column_line(missing: NoColumn) -> str:
    """'x.xlsx has no column for 'Evidence ...'; it has 'Sources': map it in content/fields.yml'."""
    if missing.has:
        columns = " and ".join(f"'{name}'" for name in missing.has)
        advice = f"; it has {columns}: map it in content/fields.yml"
    else:
        advice = ": add the column, or map the one that holds it in content/fields.yml"
    return f"{missing.path} has no column for '{missing.field}'{advice}"


def _print_blanks(report: BuildReport, out: Output) -> None:
    """The review before publishing: spreadsheets with no column for a field the review asks
    for (one line per file), then published outcomes that leave such a field blank."""
    if report.no_column:
        print("Fields with no column (review before publishing):", file=out)
        for missing in report.no_column:
            print(f"  {no_column_line(missing)}", file=out)
    incomplete = {name: where for name, where in report.blanks.items() if where}
    if incomplete:
        print("Published outcomes with a blank field (review before publishing):", file=out)
        for name, where in incomplete.items():
            print(f"  {len(where):6d}  no '{name}':", file=out)
            for line in _place_lines(where):
                print(f"            {line}", file=out)


def listed(problems: list[Problem]) -> list[str]:
    """The first MAX_LISTED of `problems` as lines, and how many more."""
    lines = [str(problem) for problem in problems[:MAX_LISTED]]
    more = len(problems) - MAX_LISTED
    return lines + ([f"… and {more} more"] if more > 0 else [])


def _print_personal_details(report: BuildReport, out: Output) -> None:
    """Published fields that seem to hold an e-mail address, a phone number or a street
    address, by place and kind (never the value)."""
    if report.personal_details:
        print(
            f"Published text that may hold personal details (review before publishing): {len(report.personal_details)}",
            file=out,
        )
        for line in listed(report.personal_details):
            print(f"  {line}", file=out)


def _print_warnings(report: BuildReport, out: Output) -> None:
    """Redactions counted; the first MAX_LISTED warnings, each naming file, row or line and field."""
    if report.redaction_lists:
        print("Redaction lists applied: " + ", ".join(report.redaction_lists), file=out)
    if report.redactions:
        print(f"Redacted: {report.redactions} occurrence(s) of names in redact.txt", file=out)
    if report.problems:
        print(f"Warnings: {len(report.problems)}", file=out)
        for line in listed(report.problems):
            print(f"  {line}", file=out)


def _print_work_done(report: BuildReport, out: Output) -> None:
    """Pages written, unchanged and removed, and the time of each stage."""
    if report.written is not None:
        w = report.written
        print(f"Pages: {report.pages} ({w.written} written, {w.unchanged} unchanged, {w.removed} removed)", file=out)
    if report.timings:
        print("Time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items()), file=out)


@dataclass(frozen=True)
class Place:
    """Where: a spreadsheet and its rows, or a folder and the text files in it."""

    path: str
    rows: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    more: int = 0  # rows or files not listed


def places(locations: list[Location]) -> list[Place]:
    """Where, never what: per spreadsheet its rows, per folder its text files."""
    rows_by_file: dict[str, list[str]] = {}
    files_by_folder: dict[str, list[str]] = {}
    folders: dict[str, str] = {}  # a Path made once per folder, not per file (~1,300 held back in a preview's save)
    for location in locations:
        if location.row is not None:
            rows_by_file.setdefault(location.path, []).append(str(location.row))
        else:
            head, name = os.path.split(location.path)  # a file's path as str(Path) writes it: Path.name
            folder = folders.get(head) or folders.setdefault(head, f"{Path(location.path).parent.as_posix()}/")
            files_by_folder.setdefault(folder, []).append(name)
    found = [Place(path, rows=rows[:MAX_LISTED], more=len(rows) - MAX_LISTED) for path, rows in rows_by_file.items()]
    found += [
        Place(folder, files=names[:MAX_LISTED], more=len(names) - MAX_LISTED)
        for folder, names in files_by_folder.items()
    ]
    return found


def _place_lines(locations: list[Location]) -> list[str]:
    """'export.csv, rows 2, 5, 9' per spreadsheet; 'folder/: a.txt, b.txt' per folder."""
    lines = []
    for place in places(locations):
        listed = ", ".join(place.rows or place.files) + (f" and {place.more} more" if place.more > 0 else "")
        if place.rows:
            lines.append(f"{place.path}, row{'s' if len(place.rows) > 1 else ''} {listed}")
        else:
            lines.append(f"{place.path}: {listed}")
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
    folders: dict[str, str] = {}  # a Path made once per folder, not per file (5,000 in a preview's every save)
    for source in others:
        head = os.path.dirname(source.path)
        folder = folders.get(head) or folders.setdefault(head, str(Path(source.path).parent))
        by_folder.setdefault(folder, []).append(source.records)
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
