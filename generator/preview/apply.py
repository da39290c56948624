"""`mkdocs serve` after a saved edit: the site rebuilt from the pages that changed only.

MkDocs rebuilds a whole site for every change (~25 s at 5,000 fragments, 3,900 pages);
even its `--dirty` mode walks the docs folder and the theme, makes every page object
again and compares thousands of file times (~1 s). After a full build the plugin keeps
what MkDocs made (the configuration, the files, the navigation, the theme's template
environment: a LastBuild) and, after the next generation, has MkDocs' own page functions
read, render and write only the docs files the generator wrote, delete the output of the
ones it removed, and copy the changed static files (open data, feed, assets).

Why the other pages stay right: the generator makes every page from the whole of the new
data and writes each one whose bytes changed (generator/preview/kept.py), so every page
that shows the edit (the fragment's page, listings, counts, related outcomes, dashboard,
open data) is among the written ones. What MkDocs adds to a page from other pages is the
navigation and the list of files. The navigation shows the titles of the pages in
mkdocs.yml's nav: when one of those pages changes title, or a page enters or leaves the
nav, the whole site is built again. When pages are added or removed, the sitemap, the
404 page and the hand-written pages (whose Markdown links MkDocs resolves to addresses)
are made again too. Anything else — mkdocs.yml, the templates, the theme, another active
plugin or hook, a page MkDocs cannot build — gets MkDocs' own full rebuild.

This uses MkDocs' private page functions (mkdocs.commands.build._populate_page,
_build_page, _build_theme_template): the project pins MkDocs 1.6.1. When the preview
starts, page_functions() checks that they are there and take the arguments the preview
passes; if not (another MkDocs, a fork), it logs one line and every save gets MkDocs'
own full rebuild instead: slower, never a crash.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import forking
from generator.engine import ENGINE, File, Files, InclusionLevel, Page, set_exclusions
from generator.errors import BuildError
from generator.publish.stamp import input_stamp
from generator.publish.write import overwritten
from generator.read.content_folder import SITE_FILE
from generator.site_config import plugin_content

if TYPE_CHECKING:
    import jinja2

    from generator.engine import MkDocsConfig, Navigation

log = logging.getLogger(f"{ENGINE.logger}.plugins.outcome_kb")

# From this many pages outside the navigation a rebuild shares them with a forked helper
# (_build_pages): forking the ~850 MB server at 5,000 costs ~0.03 s of its CPU, ~25 pages' worth.
SHARED_FROM = 40
# How long the helper may take beyond three times this process's share before its pages are
# rendered here instead: it was forked beside the server's threads (forking.can_fork_beside_threads).
HELPER_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class PageFunctions:
    """MkDocs' own functions that read, render and write one page, and one theme template."""

    populate: Callable[..., Any]  # (page, config, files)
    build_page: Callable[..., Any]  # (page, config, doc_files, nav, env, excluded=…)
    build_template: Callable[..., Any]  # (template_name, env, files, config, nav)


# The private functions of mkdocs.commands.build the preview calls: their names, the
# parameters it passes by position (in this order), and those it passes by keyword.
PAGE_FUNCTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "_populate_page": (("page", "config", "files"), ()),
    "_build_page": (("page", "config", "doc_files", "nav", "env"), ("excluded",)),
    "_build_theme_template": (("template_name", "env", "files", "config", "nav"), ()),
}


@dataclass
class LastBuild:
    """What MkDocs made in the last full build of a preview, and the stamp of what that
    build read besides the docs folder (mkdocs.yml, the templates, the theme override)."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    site_inputs: str
    functions: PageFunctions


def site_inputs(config: MkDocsConfig, templates: Path) -> str:
    """The stamp of what a build reads besides the docs folder: mkdocs.yml, the templates
    (including labels.yml, which names the navigation), the theme's custom_dir and
    content/site.yml (the header's name and logo: site_config.with_site_settings)."""
    paths = [Path(config.config_file_path or "mkdocs.yml"), templates]
    site_file = plugin_content(config) / SITE_FILE
    if site_file.is_file():
        paths.append(site_file)
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    return input_stamp(paths, {})


def only_this_plugin_active(config: MkDocsConfig, plugin: object) -> bool:
    """True when every other plugin (and hook) is switched off (`enabled: false`): only
    then does rebuilding some pages give what a full build would. Material's search is
    off in mkdocs.yml; a hook or another plugin may read every page."""
    for other in config.plugins.values():
        if other is not plugin and getattr(getattr(other, "config", None), "enabled", True) is not False:
            return False
    return True


def page_functions() -> PageFunctions | None:
    """MkDocs' page functions, if this MkDocs has them with the parameters the preview
    passes; otherwise None, and one line in the log (every save then rebuilds the whole site)."""
    from generator.engine import build_module as build

    found: dict[str, Any] = {name: getattr(build, name, None) for name in PAGE_FUNCTIONS}
    unfit = [
        name for name, (positional, keywords) in PAGE_FUNCTIONS.items() if not _takes(found[name], positional, keywords)
    ]
    if unfit:
        log.warning(
            "This version of MkDocs has changed %s, which the preview uses to rebuild only the pages an "
            "edit changed: every save rebuilds the whole site instead (slower, but the same site)",
            ", ".join(f"mkdocs.commands.build.{name}" for name in unfit),
        )
        return None
    return PageFunctions(found["_populate_page"], found["_build_page"], found["_build_theme_template"])


def _takes(function: object, positional: tuple[str, ...], keywords: tuple[str, ...]) -> bool:
    """`function` is callable with these parameters, the positional ones under these names in
    this order (a renamed or reordered parameter would get the wrong argument)."""
    if not callable(function):
        return False
    try:
        signature = inspect.signature(function)
        signature.bind(*positional, **{name: None for name in keywords})
    except (TypeError, ValueError):
        return False
    return tuple(signature.parameters)[: len(positional)] == positional


class NeedsFullBuild(Exception):
    """A change that only a full build shows right; the reason is for the debug log."""


@dataclass
class Changes:
    written: tuple[str, ...]  # docs paths the generator wrote
    removed: tuple[str, ...]  # and removed
    hand_written: tuple[str, ...]  # docs paths of the hand-written pages


def apply(last: LastBuild, changes: Changes) -> int:
    """Bring the preview's site up to date with the changed docs files; the number of
    pages built. Raises NeedsFullBuild for a change that needs a full build."""
    config, files = last.config, last.files
    added = [path for path in changes.written if files.get_file_from_path(path) is None]
    for path in changes.removed:
        _remove(last, path)
    for path in added:
        _add(last, path)
    pages = [path for path in changes.written if path.endswith(".md")]
    if added or changes.removed:
        # The set of pages changed: Markdown links in hand-written pages may resolve
        # differently, and the sitemap and 404 page list the pages.
        pages += [path for path in changes.hand_written if path.endswith(".md") and path not in pages]
    for path in changes.written:
        if not path.endswith(".md"):
            _file(files, path).copy_file()
    # The sitemap and the 404 page list the pages, or show the navigation.
    templates = list(config.theme.static_templates) if added or changes.removed else []
    with _pages_written_in_place(last.functions):
        return _build_pages(last, [_file(files, path) for path in pages], templates)


@contextlib.contextmanager
def _pages_written_in_place(functions: PageFunctions) -> Iterator[None]:
    """The engine's pages written over the old ones, in place, while the body runs (and in a
    second renderer forked meanwhile): its `utils.write_file` opens each page cut to nothing,
    then writes it, which on this host's ext4 writes the new blocks out at once (~230 shifted
    pages of a deleted or added row at 5,000: 12-16 ms of system time and 37-71 ms of wall
    time, against 2-3 ms and 3-4 ms written over, then cut to its length: publish/write.py,
    `overwritten`). A page that is not there, a link, or a file with another name is written
    by the engine as before. The engine's module of helpers is its build module's own
    `utils` (MkDocs 1.6, ProperDocs 1.6); without a `write_file` there it writes as it did."""
    helpers: Any = getattr(functions.build_page, "__globals__", {}).get("utils")
    write_file = getattr(helpers, "write_file", None)
    if helpers is None or not callable(write_file):
        yield
        return

    def write_in_place(content: bytes, output_path: str) -> None:
        if not overwritten(output_path, content):
            write_file(content, output_path)

    helpers.write_file = write_in_place
    try:
        yield
    finally:
        helpers.write_file = write_file


def _file(files: Files, path: str) -> File:
    file = files.get_file_from_path(path)
    if file is None:
        raise NeedsFullBuild(f"{path} is not in the last build's files")
    return file


def _remove(last: LastBuild, path: str) -> None:
    file = _file(last.files, path)
    if file.page is not None and file.page in last.nav.pages:
        raise NeedsFullBuild(f"{path} left the navigation")
    last.files.remove(file)
    output = Path(file.abs_dest_path)
    output.unlink(missing_ok=True)
    with contextlib.suppress(OSError):  # fragments/x/index.html: its folder goes too when empty
        output.parent.rmdir()


def _add(last: LastBuild, path: str) -> None:
    config = last.config
    file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
    set_exclusions([file], config)
    if file.is_documentation_page() and not file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
        raise NeedsFullBuild(f"{path} may belong in the navigation")
    _insert_in_walk_order(last.files, file, Path(config.docs_dir))
    if file.is_documentation_page():
        Page(None, file, config)


def _walk_key(src_uri: str) -> tuple[tuple[object, ...], ...]:
    """Where a full build's walk of the docs folder puts a file (the engine's get_files:
    a folder's files before its subfolders, subfolders by name, index.md first, then by
    name). The order of the files is the sitemap's order."""
    *folders, name = src_uri.split("/")
    return (*((1, folder) for folder in folders), (0, name.rsplit(".", 1)[0] not in ("index", "README"), name))


def _insert_in_walk_order(files: Files, file: File, docs_dir: Path) -> None:
    """Add a new docs file where a full build lists it: the files after it (and the theme's,
    which a build adds after the docs folder's) are taken out and put back after it."""
    key = _walk_key(file.src_uri)
    inside = os.path.join(os.path.normpath(docs_dir), "")  # compared as text: a Path per file costs ~0.2 s at 5,000
    later = [
        other for other in files if not (other.abs_src_path or "").startswith(inside) or _walk_key(other.src_uri) > key
    ]
    for other in later:
        files.remove(other)
    files.append(file)
    for other in later:
        files.append(other)


def _build_pages(last: LastBuild, pages: list[File], templates: list[str]) -> int:
    """Read and render the pages, then write them, and the theme's `templates`. The pages
    of the navigation are read before any page is written, as in a full build: one whose
    title changed needs a full build (every page shows the navigation). The other pages show
    nothing of each other, and the templates no page's text: from SHARED_FROM pages outside
    the navigation, where a helper can be forked, a forked second renderer on the other core
    takes them one by one with this process (_Shared; a deleted or added row shifts ~200
    listing pages at 5,000 fragments, ~1.3 ms each, and the sitemap and 404 page take ~0.04 s)."""
    in_nav = {id(page) for page in last.nav.pages}
    navigated = [file for file in pages if id(file.page) in in_nav]
    for file in navigated:
        page = file.page
        assert page is not None, "every documentation page has its Page since the last build"
        title = page.title
        last.functions.populate(page, last.config, last.files)
        if page.title != title:
            raise NeedsFullBuild(f"{file.src_uri} changed its title, which the navigation shows")
    doc_files = last.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for file in navigated:
        _build(last, file, doc_files)
    others = [file for file in pages if id(file.page) not in in_nav]
    shared = _Shared(last, others, templates, doc_files, parallel=len(others) >= SHARED_FROM)
    shared.render()
    return len(pages)


def _build(last: LastBuild, file: File, doc_files: Sequence[File]) -> None:
    """The engine renders and writes one page it has read."""
    excluded = file.inclusion.is_excluded()  # type: ignore[no-untyped-call]  # MkDocs' method is untyped
    last.functions.build_page(file.page, last.config, doc_files, last.nav, last.env, excluded=excluded)


class _Shared:
    """Pages outside the navigation and theme templates, each read (a page), rendered and
    written by whichever of this process and a forked second renderer takes it first
    (forking.Turns): the templates first, then the pages in order. Neither waits
    for the other, so a helper that gets no core leaves its part to this process. The helper
    answers with the items it finished, even after a failure; this process makes every item
    neither finished (the same site, or the same error raised here), also when the helper
    gives no answer in time (it was forked beside the server's threads:
    forking.can_fork_beside_threads). What the helper reads into its pages stays there:
    this process's Page of a page the helper built keeps the text it last read, which
    nothing reads again (a page is read again before it is rendered; the sitemap and the
    404 page read no page's text, the navigation only its pages' titles, read here)."""

    def __init__(
        self, last: LastBuild, pages: list[File], templates: list[str], doc_files: Sequence[File], *, parallel: bool
    ) -> None:
        self.last, self.pages, self.templates, self.doc_files = last, pages, templates, doc_files
        self.items = len(templates) + len(pages)
        forked = parallel and forking.can_fork_beside_threads() and forking.spare_core()
        self.turns = forking.Turns(self.items) if forked else None

    def render(self) -> None:
        if self.turns is None:
            for item in range(self.items):
                self._make(item)
            return
        helper = forking.call(self._helper_part)
        started = time.monotonic()
        try:
            done = set(self._take_and_make())
        except BaseException:
            helper.cancel()
            raise
        try:
            done.update(helper.result(within=HELPER_WAIT_SECONDS + 3 * (time.monotonic() - started)))
        except BuildError as error:
            log.debug("The preview's second renderer did not answer (%s): its pages are rendered here", error)
        for item in range(self.items):
            if item not in done:
                self._make(item)

    def _take(self) -> int | None:
        """The next item nobody has taken, or None (also when the helper holds the counter's
        lock too long: it was ended there; what it left is made at the end)."""
        return self.turns.take(wait=HELPER_WAIT_SECONDS) if self.turns is not None else None

    def _take_and_make(self) -> list[int]:
        """Make the items nobody has taken; those made here."""
        made: list[int] = []
        while (item := self._take()) is not None:
            self._make(item)
            made.append(item)
        return made

    def _helper_part(self) -> list[int]:
        """The second renderer's part: as _take_and_make, stopping at a failure (the item that
        failed is made again in the parent, which raises the error)."""
        made: list[int] = []
        with contextlib.suppress(Exception):
            while (item := self._take()) is not None:
                self._make(item)
                made.append(item)
        return made

    def _make(self, item: int) -> None:
        last = self.last
        if item < len(self.templates):
            last.functions.build_template(self.templates[item], last.env, last.files, last.config, last.nav)
            return
        file = self.pages[item - len(self.templates)]
        assert file.page is not None, "every documentation page has its Page since the last build"
        last.functions.populate(file.page, last.config, last.files)
        _build(last, file, self.doc_files)
