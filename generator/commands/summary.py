"""The report as Markdown for a CI run's job summary (`--summary FILE`, $GITHUB_STEP_SUMMARY).

Everything that comes from the content (file and column names, warnings that quote a
value) reaches the Markdown only as a code span or inside a fenced block, so that it
cannot become a link, a heading, an image or HTML. Our own text is escaped all the same.
The template (templates/job-summary.md.j2) holds the layout; this module the logic.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.commands.output import Output
from generator.commands.report import MAX_LISTED, listed, places
from generator.privacy.gate import WHAT_TO_DO
from generator.privacy.redact import Redactor
from generator.publish.build_types import PROJECT_ROOT, BuildReport

TEMPLATE = "job-summary.md.j2"
MARKDOWN_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
LINE_BREAKS = re.compile(r"\r\n|\r|\n")
BACKTICK_RUNS = re.compile(r"`+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def markdown_text(text: str) -> str:
    """Plain text that Markdown shows as it is: one line, every ASCII punctuation escaped."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", LINE_BREAKS.sub(" ", CONTROL.sub("", text)))


def _longest_backticks(text: str) -> int:
    return max((len(run) for run in BACKTICK_RUNS.findall(text)), default=0)


def code_span(text: str) -> str:
    """Text as an inline code span: literal, on one line (a line break could start a block
    of its own before the span is read), fenced by more backticks than it holds."""
    text = LINE_BREAKS.sub(" ", CONTROL.sub("", text))
    fence = "`" * (_longest_backticks(text) + 1)
    padded = f" {text} " if text.startswith(("`", " ")) or text.endswith(("`", " ")) or not text else text
    return f"{fence}{padded}{fence}"


def fenced_block(lines: list[str]) -> str:
    """Lines as a fenced code block: literal, closed only by its own (longer) fence."""
    text = "\n".join(LINE_BREAKS.sub("\n", CONTROL.sub("", line)) for line in lines)
    fence = "`" * max(3, _longest_backticks(text) + 1)
    return f"{fence}text\n{text}\n{fence}"


@dataclass(frozen=True)
class Outcome:
    """How the command ended, for the summary's first lines."""

    command: str  # check, build or publish
    error: str | None = None  # the error that stopped it
    warning: str | None = None  # the sources kept in git (exposure.tracked_warning)
    published_to: str | None = None  # publish: 'REMOTE, branch gh-pages'


def _environment(templates: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=False,  # Markdown, not HTML: every value goes through one of the filters below
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["text"] = markdown_text
    environment.filters["code"] = code_span
    environment.filters["fenced"] = fenced_block
    return environment


def job_summary(outcome: Outcome, report: BuildReport | None, templates: Path = PROJECT_ROOT / "templates") -> str:
    """The Markdown of the job summary: how it ended, then the report (counts and places)."""
    held_back = []
    ignored = []
    blanks = []
    if report is not None:
        held_back = [
            (count, reason, WHAT_TO_DO.get(reason, ""), places([w for r, w in report.held_back_at if r == reason]))
            for reason, count in sorted(report.held_back.items())
        ]
        ignored = [
            (name, report.table.suggest(name) if report.table else None, files)
            for name, files in sorted(report.ignored_fields.items())
        ]
        blanks = [(name, len(where), places(where)) for name, where in report.blanks.items() if where]
    return (
        _environment(templates)
        .get_template(TEMPLATE)
        .render(
            outcome=outcome,
            report=report,
            read=sum(source.records for source in report.sources) if report else 0,
            held=sum(report.held_back.values()) if report else 0,
            held_back=held_back,
            ignored=ignored,
            blanks=blanks,
            no_column=report.no_column if report else [],
            warnings=listed(report.problems) if report else [],
            personal_details=listed(report.personal_details) if report else [],
            max_listed=MAX_LISTED,
        )
    )


@dataclass(frozen=True)
class Summary:
    """--summary FILE: the report as Markdown (job_summary), whether the command
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
