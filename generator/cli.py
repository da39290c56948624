"""`python -m generator build|check|generate|publish|new|fields`: the command line. Only this
module and generator/commands/ print."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from generator.commands.field_reference import print_fields, project_table
from generator.commands.new import DEFAULT_CONTENT, new_content
from generator.commands.output import Masked, MaskedLog, Output
from generator.commands.progress import Notices, TerminalProgress
from generator.commands.publishing import after_report, push
from generator.commands.report import print_report
from generator.commands.summary import Summary
from generator.errors import BuildError, InputError
from generator.privacy.exposure import PublicSourcesError
from generator.privacy.redact import Redactor
from generator.publish.build_types import PROJECT_ROOT, Progress, Settings
from generator.publish.generate import generate
from generator.publish.push import Pushed
from generator.publish.sequence import build
from generator.publish.stopping import BuildStopped, stop_on_signals
from generator.read.redaction_lists import redaction_phrases_for_messages

# The one line a command stopped by Ctrl+C or SIGTERM prints (it has removed what it made).
STOPPED = {
    "build": "Build stopped; the previous site is as it was.",
    "generate": "Stopped; the docs folder may be incomplete: run the command again.",
    "check": "Check stopped; nothing was written.",
    "publish": "Publishing stopped; nothing was pushed, and the previous site is as it was.",
}


COMMANDS = {
    "build": "build the site: read the content, generate the pages, build them with MkDocs and index them "
    "for search; the previous site stays as it was unless everything succeeds",
    "check": "read the content and print what would be published, what is held back and why, and what "
    "to fix; writes nothing",
    "generate": "write the site's Markdown pages into the docs folder only (for mkdocs, Zensical or "
    "another engine to build); builds nothing",
    "publish": "build the site as build does, then push the built site, and nothing else, to a branch of "
    "another repository (a site repository's gh-pages)",
    "new": "make a fresh content folder for your programme from the sample (also called init): the blank "
    "templates, a site.yml to name the site, a blank results-framework.yml and an About page to fill in, without the sample's outcomes; then say what to do next",
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
        aliases = ["init"] if name == "new" else []  # `init`, as other tools name it
        command = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".", aliases=aliases)
        if name == "new":
            _add_new_options(command)
            continue
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


def _add_new_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path(DEFAULT_CONTENT),
        metavar="FOLDER",
        help="the content folder to make (default: content/)",
    )
    command.add_argument(
        "--force",
        action="store_true",
        help="the folder already holds files: keep it, renamed to FOLDER.before-new-DATE-TIME, and make a fresh one",
    )


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


def main(argv: list[str] | None = None) -> int:
    """Run one command; prints the report or the error, and returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.command == "fields":  # with the project's own vocabularies
        try:
            table = project_table(args.config)
        except InputError as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
        print_fields(table, sys.stdout)
        return 0
    if args.command in ("new", "init"):  # init: another name of new
        return new_content(args.folder, args.force, sys.stdout, sys.stderr)
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
                    pushed = push(args, report)
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
    return after_report(args, report, pushed, out, err, Summary(args, err, redactor))
