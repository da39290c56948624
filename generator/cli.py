"""`python -m generator build|check`: the only place that prints or exits."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TextIO

from generator.errors import BuildError, InputError
from generator.pipeline import BuildReport, Settings, build, generate

MAX_LISTED = 20


def print_report(report: BuildReport, out: TextIO) -> None:
    print("Fragments read:", file=out)
    for source in report.sources:
        print(f"  {source.records:6d}  {source.path}", file=out)
    total = sum(s.records for s in report.sources)
    print(f"Published: {report.published} of {total}", file=out)
    held = sum(report.held_back.values())
    print(f"Held back (not published): {held}", file=out)
    for reason, count in sorted(report.held_back.items()):
        places = [str(where) for r, where in report.held_back_at if r == reason]
        shown = ", ".join(places[:5]) + (f", and {len(places) - 5} more" if len(places) > 5 else "")
        print(f"  {count:6d}  {reason}: {shown}", file=out)
    if report.ignored_fields:
        print("Ignored fields (never published; rename a column to a known field name to use it):", file=out)
        for name, files in sorted(report.ignored_fields.items()):
            print(f"  '{name}' in {len(files)} file(s), e.g. {files[0]}", file=out)
    if report.redactions:
        print(f"Redacted: {report.redactions} occurrence(s) of names in redact.txt", file=out)
    if report.problems:
        print(f"Warnings: {len(report.problems)}", file=out)
        for problem in report.problems[:MAX_LISTED]:
            print(f"  {problem}", file=out)
        if len(report.problems) > MAX_LISTED:
            print(f"  … and {len(report.problems) - MAX_LISTED} more", file=out)
    if report.written is not None:
        w = report.written
        print(f"Pages: {report.pages} ({w.written} written, {w.unchanged} unchanged, {w.removed} removed)", file=out)
    if report.timings:
        print("Time: " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items()), file=out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("build", "generate the Markdown pages and build the site with MkDocs"),
        ("check", "read the content and print the report; writes nothing"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument(
            "--content",
            action="append",
            type=Path,
            metavar="PATH",
            help="a folder, or a .txt, .csv or .xlsx file; may be given several times (default: content/)",
        )
        command.add_argument("--quiet", "-q", action="store_true", help="print errors only")
        if name == "build":
            command.add_argument("--site-dir", type=Path, default=Path("site"), help="where the site goes (default: site/)")
            command.add_argument(
                "--docs-dir", type=Path, default=Path("docs"), help="generated Markdown (default: docs/)"
            )
            command.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="default: mkdocs.yml")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    contents = args.content or [Path("content")]
    try:
        if args.command == "check":
            report = generate(Settings(contents=contents, docs_dir=Path("docs")), write=False)
        else:
            report = build(Settings(contents=contents, docs_dir=args.docs_dir), args.config, args.site_dir)
    except (InputError, BuildError) as error:
        print(f"Error: {error}", file=sys.stderr)
        print("Nothing was changed: the previous site is as it was.", file=sys.stderr)
        return 1
    if not args.quiet:
        print_report(report, sys.stdout)
        if args.command == "build":
            print(f"Site written to {args.site_dir}/", file=sys.stdout)
    return 0
