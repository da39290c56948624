"""What a person watching the command sees while it runs: stage lines, a page counter, a wait."""

from __future__ import annotations

import contextlib
from pathlib import Path

from generator.commands.output import Output
from generator.publish.build_types import Progress

STAGE_NAMES = {
    "read": "Reading the content",
    "normalise": "Checking the fragments",  # before the languages' pages, when there are two
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
