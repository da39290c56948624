"""The last checks of a built site before it is published: the hand-written pages run no
script and load nothing from another host (pagecheck.py), and no file or name holds what
only held-back fragments contain or a redacted name (the leak guard, guard.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from generator.errors import BuildError, InputError, Location
from generator.privacy.external_loads import external_loads
from generator.privacy.guard.check import Guard
from generator.privacy.guard.process import GuardProcess
from generator.privacy.guard.terms import IN_A_NAME, Leak
from generator.privacy.pagecheck import (
    RenderedPage,
    markdown_page_findings,
    page_findings,
    stylesheet_findings,
)
from generator.site_config import Urls


def _place_of(leak: Leak, leaking_names: list[str]) -> str:
    """Where a leak is, for the message. A path that goes through a leaking file or folder
    name is told by the folder above that name only, since the name is the secret."""
    for name in leaking_names:
        if leak.path == name or leak.path.startswith(name + "/"):
            folder = name.rsplit("/", 1)[0] if "/" in name else ""
            return f"a file or folder in {folder}/" if folder else "a file or folder at the top of the site"
    return leak.path


def check_for_leaks(
    guard: Callable[[], Guard] | GuardProcess | None, site_dir: Path, docs_dir: Path | None = None
) -> None:
    """The last check before a site is published: no file or name holds text that only
    held-back fragments contain, or a redacted name. Raises BuildError naming the file and
    the kind of text, never the text."""
    if guard is None:
        return
    if isinstance(guard, GuardProcess):
        leaks = guard.check(site_dir)  # it has read the docs folder already
    else:  # one walk over both (a file MkDocs copied unchanged is read once), on both cores
        made = guard()
        leaks = made.check_tree(site_dir, docs_dir) if docs_dir is not None else made.check_tree(site_dir)
    if leaks:
        leaking_names = [leak.path for leak in leaks if leak.kind.startswith(IN_A_NAME)]
        shown = "; ".join(f"{_place_of(leak, leaking_names)}: {leak.kind}" for leak in leaks[:10])
        more = f" and {len(leaks) - 10} more" if len(leaks) > 10 else ""
        raise BuildError(
            f"the leak guard stopped the build: {shown}{more}. Nothing was published. Check that no outcome "
            "record, hand-written page or label copies text of a held-back outcome or a redacted name"
        )


def _lines_added(published: str, source: Path) -> int:
    """The lines the generator put above a page's text (a page with no twin in this language
    gains a note in its front matter: pages/hand_written.py), so that a line of the page as
    published is named by its line in the editor's file; the text below is as written, and a
    page published as written has none."""
    if not source.is_file():
        return 0
    return max(0, published.count("\n") - source.read_text(encoding="utf-8", errors="replace").count("\n"))


def check_hand_written_pages(
    site_dir: Path, hand_written: dict[str, Path], urls: Urls, rendered: Mapping[str, RenderedPage] | None = None
) -> None:
    """Hand-written pages may link anywhere, but run no script and load nothing from another
    host (images, scripts, frames, styles, media). HTML, SVG and CSS files are read as
    copied into the site; a Markdown page as MkDocs rendered it (`rendered`, by docs path),
    then whole, theme included, as the reader gets it. The first problem stops the build,
    naming the content/pages/ file and its line."""
    for docs_path, source in hand_written.items():
        lower = docs_path.lower()
        if lower.endswith(".md"):
            url = urls.url(docs_path)
            built = site_dir / (url + "index.html" if url.endswith("/") or not url else url)
            page = (rendered or {}).get(docs_path)
            findings = markdown_page_findings(page.html + "\n" + page.title, page.source) if page is not None else []
        elif lower.endswith((".html", ".htm", ".svg", ".css")):
            built = site_dir / docs_path
            text = built.read_text(encoding="utf-8", errors="replace") if built.is_file() else ""
            findings = stylesheet_findings(text) if lower.endswith(".css") else page_findings(text)
        else:
            continue
        shift = _lines_added(page.source, source) if lower.endswith(".md") and page is not None else 0
        for finding in findings:
            line = finding.line - shift if finding.line and finding.line > shift else finding.line
            raise InputError(Location(str(source), line=line), finding.problem, hint=finding.hint)
        if not built.is_file() or lower.endswith(".css"):
            continue
        for address in external_loads(built.read_text(encoding="utf-8", errors="replace")):
            raise InputError(
                Location(str(source)),
                f"this page loads {address} from another host; the site may load nothing from elsewhere",
                hint="save the file into content/pages/ and refer to it by a relative address, or make it a plain link",
            )
