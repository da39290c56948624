"""`python -m generator new [FOLDER]`: a fresh content folder for a programme, from the sample.

What it holds: the sample's blank templates (content/templates/), site.yml from the
template's (texts in square brackets to replace), the sample's vocabularies.yml when it has
one, a commented blank results-framework.yml,
About pages with paragraphs in square brackets saying what to write, and an empty
fragments/ folder. None of the sample's outcomes, labels or About text.

It never overwrites: a folder that already holds anything is refused unless --force, and
then it is renamed, not deleted (FOLDER.before-new-DATE-TIME, beside it, which no build
reads), so that nothing an editor wrote, confidential records included, is lost by a
mistyped command. The new folder is made beside the old one first and swapped in only when
complete: a failure leaves the old folder as it was.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from generator.commands.output import Output
from generator.read.content_folder import FIELDS_FILE, FRAMEWORK_FILES, PAGES_FOLDER, TEMPLATES_FOLDER
from generator.read.sample import BLANK_CONTENT, SAMPLE_CONTENT, SITE_FILE

# The sample's files copied as they are, when the sample has them (the templates must be there).
VOCABULARIES_FILE = "vocabularies.yml"
COPIED_IF_PRESENT = (VOCABULARIES_FILE,)
FRAGMENTS_FOLDER = "fragments"
DEFAULT_CONTENT = "content"
BACKUP_SUFFIX = ".before-new-"  # FOLDER.before-new-20261203-154500 (in .gitignore for content/)
# What each part of the new folder is for, in the order they are listed.
WHAT_IS_WHERE = (
    (FRAGMENTS_FOLDER + "/", "empty: your outcome records go here"),
    (TEMPLATES_FOLDER + "/", "blank templates: a spreadsheet (.xlsx or .csv) and a text file for one outcome"),
    (FRAMEWORK_FILES[0], "blank: the labels of your Results Framework's codes, with an example"),
    (PAGES_FOLDER + "/about.md", "the About page, with paragraphs in [square brackets] to replace"),
    (PAGES_FOLDER + "/about.fr.md", "the same page in French (a French site shows it instead)"),
    (SITE_FILE, "the site's name, the programme's name and paragraph, the contact line: replace each [text]"),
    (VOCABULARIES_FILE, "the types of change and other lists, with their English and French labels"),
)
# The Python of the README's set-up, as the editors type it.
PYTHON = {"nt": r".venv\Scripts\python", "posix": ".venv/bin/python"}
ENGINE = {"nt": r".venv\Scripts\properdocs", "posix": ".venv/bin/properdocs"}
REFUSED = (
    "Error: {folder} already holds files; nothing was changed.\n"
    "To start again from the sample anyway, run: {python} -m generator new {folder} --force\n"
    "The folder is then kept, renamed to {folder}{suffix}DATE-TIME, and never read by a build."
)
FAILED = (
    "Error: {folder} could not be made ({error}); nothing was changed. Close any program that has a file of "
    "the folder open, then run this again."
)
NOT_A_FOLDER = "Error: {folder} is a file, not a folder; nothing was changed. Give the name of a folder."
NO_SAMPLE = (
    "Error: the sample's templates are missing ({templates}); nothing was changed. "
    "Get the project's content/templates/ folder back (git checkout content/templates), then run this again."
)


def new_content(
    folder: Path, force: bool, out: Output, err: Output, sample: Path = SAMPLE_CONTENT, blank: Path = BLANK_CONTENT
) -> int:
    """Make `folder` a fresh content folder; print what is where and what to do next. Returns
    the exit status: 1, and nothing changed, when the folder holds files and force is not given."""
    python = PYTHON.get(os.name, PYTHON["posix"])
    if folder.exists() and not folder.is_dir():
        print(NOT_A_FOLDER.format(folder=folder), file=err)
        return 1
    holds_files = folder.is_dir() and any(folder.iterdir())
    if holds_files and not force:
        print(REFUSED.format(folder=folder, python=python, suffix=BACKUP_SUFFIX), file=err)
        return 1
    if not (sample / TEMPLATES_FOLDER).is_dir():
        print(NO_SAMPLE.format(templates=sample / TEMPLATES_FOLDER), file=err)
        return 1
    staging = folder.parent / f".{folder.name}.new-{os.getpid()}"
    backup = None
    try:
        _fill(staging, sample, blank)
        if holds_files:
            backup = _backup_name(folder)
            folder.rename(backup)
        elif folder.is_dir():
            folder.rmdir()
        staging.rename(folder)
    except OSError as error:  # a folder open in another program (Windows), a disk full…
        if backup is not None and backup.is_dir() and not folder.exists():
            backup.rename(folder)
        print(FAILED.format(folder=folder, error=error.strerror or error), file=err)
        return 1
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    _print_next_steps(folder, backup, out, python, ENGINE.get(os.name, ENGINE["posix"]))
    return 0


def _fill(staging: Path, sample: Path, blank: Path) -> None:
    """The new folder's files, from the sample (templates, settings) and the blank files."""
    folder = staging
    folder.mkdir(parents=True)
    (folder / FRAGMENTS_FOLDER).mkdir()
    shutil.copytree(sample / TEMPLATES_FOLDER, folder / TEMPLATES_FOLDER)
    shutil.copyfile(sample / TEMPLATES_FOLDER / SITE_FILE, folder / SITE_FILE)  # whose site: names to write
    for name in COPIED_IF_PRESENT:
        if (sample / name).is_file():
            shutil.copyfile(sample / name, folder / name)
    shutil.copytree(blank, folder, dirs_exist_ok=True)


def _backup_name(folder: Path) -> Path:
    """FOLDER.before-new-DATE-TIME beside it, one that does not exist yet."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = folder.with_name(f"{folder.name}{BACKUP_SUFFIX}{stamp}")
    count = 1
    while backup.exists():
        count += 1
        backup = folder.with_name(f"{folder.name}{BACKUP_SUFFIX}{stamp}-{count}")
    return backup


def _print_next_steps(folder: Path, backup: Path | None, out: Output, python: str, engine: str) -> None:
    print(f"Made a fresh content folder, {folder}/, from the sample:", file=out)
    for name, what in WHAT_IS_WHERE:
        if (folder / name.rstrip("/")).exists():
            print(f"  {folder.as_posix() + '/' + name:32s}  {what}", file=out)
    if backup is not None:
        print(
            f"The folder that was there is kept as {backup}/: no build reads it, but it holds your earlier records, "
            "confidential ones included. Delete it once you no longer need it.",
            file=out,
        )
    # The commands run from the project folder, whose content/ they read unless told otherwise.
    project = folder.resolve() == Path(DEFAULT_CONTENT).resolve()
    content = "" if project else f" --content {folder}"
    steps = [
        f"Put your outcome records in {folder.as_posix()}/{FRAGMENTS_FOLDER}/: your spreadsheet export "
        "(.xlsx or .csv), or one .txt file per outcome.",
        f"See what would be published, and what to fix: {python} -m generator check{content}",
        f"If your columns have names of their own, the check lists them: map each to its field in "
        f"{folder.as_posix()}/{FIELDS_FILE}, one line per field, such as 'Outcome description: [What changed]' "
        f"({python} -m generator fields lists the fields).",
        f"Name the site: write its name, your programme's name and paragraph in {folder.as_posix()}/{SITE_FILE}. "
        "Write your Results Framework's labels and your About page.",
        f"Build the site into site/: {python} -m generator build{content}",
    ]
    if project:
        steps.append(f"Or preview it while you edit: {engine} serve -f mkdocs.yml (stop it with Ctrl+C)")
    print("What to do next:", file=out)
    for number, step in enumerate(steps, 1):
        print(f"  {number}. {step}", file=out)
