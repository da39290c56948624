"""What the sources hold that must never be public, and what follows when they are.

The site holds back confidential outcomes, unpublished columns and redacted names, but the
files they come from hold all of them. Whoever can read those files (a public repository,
and every earlier version in its history) can read what the site holds back. This module
decides, from a build's report alone (files and places, never content), which source files
hold something that must not be public; `check`, `build` and `publish` use it to refuse
public sources and to warn about such files kept in git.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BuildError
from generator.fields import DEFAULT_TABLE

if TYPE_CHECKING:
    from generator.publish.build_types import BuildReport

# What a file can hold that must not be public, as the messages name it.
HELD_BACK = "held-back outcomes"
UNPUBLISHED_COLUMNS = "columns that are never published"
REDACTION_LIST = "the list of names to redact"
UNPUBLISHED_FIELD_NAMES = "the name of a column that is never published"

SAFE_SET_UPS = (
    "(a) make the repository private and publish its site with GitHub Pages; "
    "(b) keep the sources in a private repository and push only the built site to a public one; "
    "(c) keep the files out of git and publish from your computer with "
    "'python -m generator publish --to REMOTE'"
)
REMOVE_FROM_HISTORY = (
    "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/"
    "removing-sensitive-data-from-a-repository"
)
MAX_NAMED = 20


@dataclass(frozen=True)
class Exposure:
    """Each source file that must not be public, with what it holds (HELD_BACK, …)."""

    files: dict[str, tuple[str, ...]]

    def __bool__(self) -> bool:
        return bool(self.files)

    def described(self) -> str:
        """'content/a.xlsx (held-back outcomes; …), content/redact.txt (…)', the first MAX_NAMED."""
        shown = [f"{path} ({'; '.join(kinds)})" for path, kinds in list(self.files.items())[:MAX_NAMED]]
        more = len(self.files) - MAX_NAMED
        return ", ".join(shown) + (f" and {more} more file(s)" if more > 0 else "")


def exposure_of(report: BuildReport) -> Exposure:
    """The files behind this report that hold held-back outcomes, columns that are not
    published, a redaction list, or (fields.yml) the name of a column never published."""
    found: dict[str, list[str]] = {}

    def add(path: str, kind: str) -> None:
        kinds = found.setdefault(path, [])
        if kind not in kinds:
            kinds.append(kind)

    for _reason, where in report.held_back_at:
        add(where.path, HELD_BACK)
    for files in report.ignored_fields.values():
        for path in files:
            add(path, UNPUBLISHED_COLUMNS)
    for path in report.redact_files:
        add(path, REDACTION_LIST)
    published = {entry.key for entry in DEFAULT_TABLE.published}
    for path, keys in report.field_name_files.items():
        if any(key not in published for key in keys):
            add(path, UNPUBLISHED_FIELD_NAMES)
    return Exposure({path: tuple(found[path]) for path in sorted(found)})


class PublicSourcesError(BuildError):
    """Public sources that hold what must not be public. Carries the report (counts and
    places only) so that the command line can show it with the refusal."""

    def __init__(self, message: str, report: BuildReport):
        super().__init__(message)
        self.report = report


def refusal(exposure: Exposure) -> str:
    """The refusal, in plain words: names the files, never what they hold."""
    return (
        "the sources are public (--sources-public), so anyone can download these files from the "
        "repository, and every earlier version of them from its history; they hold what the site "
        f"must never publish: {exposure.described()}. Nothing was published. Use one of the safe "
        f"set-ups in the README (section 'Publish the site'): {SAFE_SET_UPS}"
    )


def refuse_public_sources(report: BuildReport) -> None:
    """Raise PublicSourcesError when the report's sources hold anything that must not be public."""
    exposure = exposure_of(report)
    if exposure:
        raise PublicSourcesError(refusal(exposure), report)


def tracked_by_git(paths: Iterable[str]) -> list[str]:
    """Those of `paths` that git tracks, asked in each file's own folder (a file may sit in
    another repository, or in none). No git, or not a repository: none."""
    by_folder: dict[Path, list[str]] = {}
    for path in paths:
        by_folder.setdefault(Path(path).parent, []).append(path)
    tracked: list[str] = []
    for folder, files in by_folder.items():
        names = {Path(path).name: path for path in files}
        try:
            listed = subprocess.run(
                ["git", "--literal-pathspecs", "-C", str(folder), "ls-files", "-z", "--", *names],
                capture_output=True,
                check=False,
            )
        except OSError:  # git is not installed
            return []
        if listed.returncode != 0:  # not a repository
            continue
        found = {name.decode("utf-8", "replace") for name in listed.stdout.split(b"\0") if name}
        tracked += [path for name, path in names.items() if name in found]
    return sorted(tracked)


def tracked_warning(report: BuildReport) -> str | None:
    """One warning naming the files that hold what must not be public and are kept in git."""
    tracked = tracked_by_git(exposure_of(report).files)
    if not tracked:
        return None
    shown = ", ".join(tracked[:MAX_NAMED]) + (
        f" and {len(tracked) - MAX_NAMED} more" if len(tracked) > MAX_NAMED else ""
    )
    return (
        f"these files are kept in git and hold what the site must never publish: {shown}. Git keeps "
        "every earlier version of them: anyone who can read the repository, now or later (if it is ever "
        "made public, say), can read them, even after you delete them. Keep the repository private "
        "(set-ups a and b in the README, section 'Publish the site') or these files out of git (set-up c); "
        f"to remove them from the repository's history, follow GitHub's guide: {REMOVE_FROM_HISTORY}"
    )
