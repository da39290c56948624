"""The site's search index: Pagefind, fed from the public fragments themselves.

Material's built-in search makes every visitor download and index the whole site
before the first result (45 s on an emulated slow phone at 5,000 fragments, see
bench/search_speed.py). Pagefind splits the index into small compressed chunks and
the browser fetches only those a query needs.

Only fragments are indexed, and only their story (the free-text fields), as records
made from the Fragments (SearchRecord): no HTML is read back, and the index is built by
Pagefind's own process while MkDocs renders the pages (Indexer), on the machine's other
core. Filters are the facets (country, objective, type of change, year), named in the
site's language; words are stemmed in that language. templates/assets/okb-search.js
shows the results in Material's own search box.

Over 400 lines: the records, their pages and the Indexer that runs Pagefind on them (in a
helper process, or a thread without fork) change together; split them only with a reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator import folders, forking
from generator.errors import BuildError
from generator.fields import SECTION, FieldTable, labelled_values
from generator.model import Fragment
from generator.pages.fragment_view import TextLanguage
from generator.publish import pagefind_bundle
from generator.publish.stopping import memory_work_folder
from generator.site_config import Urls

BUNDLE = "pagefind"
SEARCH_SCRIPT = "assets/okb-search.js"  # templates/assets/okb-search.js, as built
# In the search script: where the build writes the index's languages (_tell_search_script).
INDEX_LANGUAGES_PLACEHOLDER = "null /* index languages: written by generator/publish/search.py */"
# In the search script: where search_script() writes the search_ labels of templates/labels.yml.
SEARCH_LABELS_PLACEHOLDER = "null /* search labels: written by the generator */"
SEARCH_LABEL_PREFIX = "search_"


@dataclass(frozen=True)
class SearchRecord:
    """One outcome as the search index holds it."""

    url: str  # from the site root, with a leading "/": Pagefind's baseUrl is put before it
    title: str
    content: str  # the story, as text
    filters: Mapping[str, tuple[str, ...]]
    # The outcome's language where it is not the site's (None: the site's): its code, its
    # mark ("FR") and the mark's name ("En français"), as lists show them. Kept as the
    # record's meta, so a result shows the mark and its text gets the lang; the words are
    # still indexed in the site's language, with the rest of its index: one stemmer for
    # every record and every query, so "défenseurs" finds the French outcomes from the
    # English site too (a record page in another lang would go to another index, never
    # searched from this site).
    language: TextLanguage | None = None


def record_content(texts: list[str]) -> str:
    """The story as one text: its fields' texts, paragraph by paragraph."""
    return "\n\n".join(text for text in texts if text)


# The smallest page Pagefind indexes: a record's story, with its title and filters kept out
# of the words searched (data-pagefind-ignore), as on the pages themselves. A template with
# autoescape: the story is text, and Pagefind's excerpts, which the search script shows as
# HTML, escape what it reads again.
RECORD_PAGE = jinja2.Environment(autoescape=True).from_string(
    '<!doctype html><html lang="{{ language }}"><head><meta charset="utf-8"></head><body>'
    '<main data-pagefind-body><div data-pagefind-ignore><h1 data-pagefind-meta="title">{{ record.title }}</h1>'
    "{% if record.language %}"
    '<span data-pagefind-meta="lang">{{ record.language.code }}</span>'
    '<span data-pagefind-meta="lang_mark">{{ record.language.mark }}</span>'
    '<span data-pagefind-meta="lang_name">{{ record.language.name }}</span>{% endif %}'
    "{% for name, values in record.filters.items() %}{% for value in values %}"
    '<span data-pagefind-filter="{{ name }}">{{ value }}</span>{% endfor %}{% endfor %}</div>'
    "{% for paragraph in record.content.split('\n\n') %}<p>{{ paragraph }}</p>{% endfor %}"
    "</main></body></html>"
)


def record_page(record: SearchRecord, language: str) -> str:
    """Pagefind's Python API takes records one message at a time and its client reads one
    answer per 0.1 s (10 records a second), so records are handed over as pages in one
    folder instead, read in one go by Pagefind's own process."""
    return RECORD_PAGE.render(record=record, language=language)


def rendered_record_pages(records: list[SearchRecord], language: str) -> dict[str, str]:
    """Each record's page, by its path in the folder Pagefind reads (its URL's index.html)."""
    return {
        record.url.strip("/") + ("/index.html" if record.url.endswith("/") else ""): record_page(record, language)
        for record in records
    }


RECORD_PAGES = "pages"  # the folder of an Indexer's work folder that holds the records' pages


def pages_folder(work_dir: Path) -> Path:
    """Where an Indexer working in work_dir reads the records' pages from."""
    return work_dir / RECORD_PAGES


def write_record_pages(records: list[SearchRecord], language: str, folder: Path) -> None:
    """The records' pages written into `folder` for an Indexer (pages_folder) to read: by
    another language's generation, in its own helper (build_types.Settings.search_pages)."""
    write_pages(rendered_record_pages(records, language), folder)


def write_pages(pages: dict[str, str], folder: Path, stopping: threading.Event | None = None) -> None:
    made: set[Path] = set()  # one mkdir per folder, not one per page
    for relative, text in pages.items():
        if stopping is not None and stopping.is_set():
            raise BuildError("the build stopped")
        path = folder / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")


async def _index_pages(pages: Path, output: Path) -> int:
    from pagefind.index import IndexConfig

    from generator.publish.pagefind_service import PromptService

    # Not PagefindIndex as a context manager: Pagefind answers "written" while its last
    # files may still be on their way to the disk, and the context manager ends its process
    # at once. Builds under load had an empty pagefind-entry.json or UI file (seen in CI).
    # Nor the service as one: on a stopped build its close() would wait for answers and end
    # a Pagefind that may have gone already (_ended).
    service = PromptService()
    try:
        await service.launch()
        index = await service.create_index(IndexConfig(root_selector="main"))
        result = await index.add_directory(str(pages))
        await index.write_files(output_path=str(output))
        await _written_out(output)
        await service.close()  # Pagefind still runs: its own way to end it
    finally:
        await _ended(service)
    return int(result.get("page_count", 0))


async def _ended(service: Any) -> None:
    """Pagefind's process, ended and waited for if it still runs: a stopped build cancels
    the indexing, and the service's own close() then waits for answers that never come
    before ending it. Waited for here, while the event loop runs, so that its pipes close
    now and not when the loop has gone (asyncio prints a traceback then). (The process is a
    private attribute of the service: without one, nothing to end.)"""
    backend = getattr(service, "_backend", None)
    if backend is None:
        return
    if backend.returncode is None:
        # Signalled by its number, not backend.kill(): that asks the system first whether
        # the process has ended, and so collects a Pagefind that Ctrl+C has ended already,
        # behind the back of asyncio's own watcher of it ("Unknown child process pid").
        with contextlib.suppress(ProcessLookupError):
            os.kill(backend.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
    await backend.wait()
    # Its reader of Pagefind's answers ends on the closed pipe: its error is taken here, or
    # asyncio logs "Task exception was never retrieved" when the task is collected.
    reader = getattr(service, "_poll_task", None)
    if reader is not None:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await reader
    transport = getattr(backend, "_transport", None)
    if transport is not None:
        transport.close()


BUNDLE_SETTLE_SECONDS = 0.05  # between two looks at the bundle while Pagefind writes it
BUNDLE_WRITE_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0  # for Pagefind's process to end when a build stops


async def _written_out(output: Path) -> None:
    """Wait until Pagefind's files are all on the disk: the entry file is there, no file is
    empty, and three looks in a row find the same files with the same sizes."""
    deadline = asyncio.get_running_loop().time() + BUNDLE_WRITE_TIMEOUT_SECONDS
    last: dict[str, int] = {}
    same = 0
    while same < 3:
        await asyncio.sleep(BUNDLE_SETTLE_SECONDS)
        sizes = _file_sizes(output)
        complete = (output / "pagefind-entry.json").is_file() and all(sizes.values())
        same = same + 1 if complete and sizes == last else 0
        last = sizes
        if asyncio.get_running_loop().time() > deadline:
            raise BuildError("Pagefind did not finish writing the search index in time: build again")


def _file_sizes(folder: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for path in folder.rglob("*"):
        with contextlib.suppress(FileNotFoundError):  # a file Pagefind is replacing
            if path.is_file():
                sizes[path.as_posix()] = path.stat().st_size
    return sizes


@dataclass
class Indexer:
    """Builds the Pagefind bundle of some records beside MkDocs, into a folder of its own; then
    `finish(site_dir)` moves it into the built site and tells the search script about it.
    Where the system can fork, a helper process does all of it (the records' pages, Pagefind,
    the bundle made reproducible): none of it takes the build's process from MkDocs. Without
    fork, a thread of the build's process does (Pagefind's work is done by its own process)."""

    records: list[SearchRecord]
    language: str
    work_dir: Path
    # The records' pages are in the pages folder already, written by the language's
    # generation (write_record_pages): `records` is then empty, and only Pagefind runs here.
    pages_written: bool = False
    # Where the system can fork: what hands the leak guard each file of the finished bundle
    # (its path in the language's site, its bytes; GuardProcess.inlet), so that the guard
    # checks the bundle while MkDocs still works, not at the end (it reads each file in the
    # site then only to see that it still has the bytes it checked).
    hand_over: Callable[[str, bytes], None] | None = None
    # Where the records' pages are written for Pagefind to read (None: pages_folder(work_dir)):
    # the sequence gives a folder in memory where the system has one (stopping.memory_work_folder).
    pages_dir: Path | None = None
    _helper: forking.Call[None] | None = field(default=None, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    _error: BaseException | None = field(default=None, init=False)
    # Set by stop(): the thread writes no more pages and ends Pagefind's process.
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _task: tuple[asyncio.AbstractEventLoop, asyncio.Task[int]] | None = field(default=None, init=False)

    def start(self) -> Indexer:
        if forking.can_fork():
            # Writing 3,739 pages (a folder and a file each) and talking to Pagefind cost the
            # build's process 1-3 s of CPU at 5,000 fragments in a thread, taken from MkDocs
            # (bench/README.md, "Full build speed, fifth round").
            self._helper = forking.call(
                _bundle_in_helper,
                self.records,
                self.language,
                self.work_dir,
                self.pages_written,
                self.hand_over,
                self.pages,
            )
            return self
        # The pages are rendered here, before the thread starts: Python work in the thread
        # would take turns with MkDocs for the interpreter. Writing them (a file and a folder
        # each, waits on the disk that leave the interpreter to MkDocs), Pagefind's own
        # process and removing them again are the thread's.
        pages = {} if self.pages_written else rendered_record_pages(self.records, self.language)

        def run() -> None:
            try:
                write_pages(pages, self.pages, self._stopping)
                with asyncio.Runner() as runner:
                    runner.run(self._index())
                shutil.rmtree(self.pages, ignore_errors=True)
            except BaseException as error:  # handed to finish(), in the build's thread
                self._error = error

        self._thread = threading.Thread(target=run, name="pagefind-index", daemon=True)
        self._thread.start()
        return self

    async def _index(self) -> int:
        if self._stopping.is_set():
            raise asyncio.CancelledError
        self._task = (asyncio.get_running_loop(), asyncio.current_task())  # type: ignore[assignment]
        return await _index_pages(self.pages, self.work_dir / BUNDLE)

    @property
    def pages(self) -> Path:
        """The folder of the records' pages."""
        return self.pages_dir if self.pages_dir is not None else pages_folder(self.work_dir)

    def stop(self) -> None:
        """The build stopped or failed: end the thread and Pagefind's process now, before
        the work folder is removed (a thread still writing there would make its removal fail).
        A helper is ended (forking.Call.cancel), and ends Pagefind's process first (_bundle_in_helper)."""
        if self._helper is not None:
            self._helper.cancel()
        self._stopping.set()
        if self._task is not None:
            loop, task = self._task
            with contextlib.suppress(RuntimeError):  # its loop has ended already
                loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(timeout=STOP_TIMEOUT_SECONDS)

    def __enter__(self) -> Indexer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is not None:
            self.stop()

    def finish(self, site_dir: Path) -> int:
        if self._helper is not None:
            self._helper.result()  # the bundle made reproducible there; raises BuildError
        else:
            if self._thread is not None:
                self._thread.join()
            if self._error is not None:
                raise _indexing_error(self._error)
            # Two builds of the same records give the same bundle (and search script) bytes.
            pagefind_bundle.canonicalise(self.work_dir / BUNDLE)
        shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
        shutil.move(str(self.work_dir / BUNDLE), str(site_dir / BUNDLE))
        _tell_search_script(site_dir)
        return len(self.records)


def _indexing_error(error: BaseException) -> BuildError:
    if isinstance(error, ImportError):
        return BuildError("the search index needs Pagefind: pip install 'pagefind[bin]'")
    return BuildError(f"Pagefind could not index the site: {error}")


def _bundle_in_helper(
    records: list[SearchRecord],
    language: str,
    work_dir: Path,
    pages_written: bool,
    hand_over: Callable[[str, bytes], None] | None = None,
    pages: Path | None = None,
) -> None:
    """In a forked helper (Indexer.start): the records' pages, Pagefind's bundle of them, made
    reproducible, each of its files then handed over (to the leak guard). Ended by its parent (SIGTERM) while Pagefind runs, it ends Pagefind's process
    first (_index_pages), then answers; at any other moment it ends at once (forking.in_forked_child)."""
    pages = pages if pages is not None else pages_folder(work_dir)
    try:
        write_pages({} if pages_written else rendered_record_pages(records, language), pages)
        with asyncio.Runner() as runner:
            runner.run(_index_until_ended(pages, work_dir / BUNDLE))
    except asyncio.CancelledError:
        raise BuildError("the build stopped") from None
    except Exception as error:
        raise _indexing_error(error) from None
    shutil.rmtree(pages, ignore_errors=True)
    pagefind_bundle.canonicalise(work_dir / BUNDLE)
    if hand_over is not None:
        _hand_over_bundle(work_dir / BUNDLE, hand_over)


def _hand_over_bundle(bundle: Path, hand_over: Callable[[str, bytes], None]) -> None:
    """Each file of the bundle, named by its path in the site (pagefind/…), in a fixed order."""
    for path in sorted(item for item in bundle.rglob("*") if item.is_file() and not item.is_symlink()):
        hand_over(f"{BUNDLE}/{path.relative_to(bundle).as_posix()}", path.read_bytes())


async def _index_until_ended(pages: Path, output: Path) -> int:
    """_index_pages, cancelled by SIGTERM (its `finally` ends Pagefind's process)."""
    task = asyncio.current_task()
    assert task is not None, "run by asyncio"
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    return await _index_pages(pages, output)


def index_records(records: list[SearchRecord], language: str, site_dir: Path) -> int:
    """Index the records into site_dir/pagefind/ now (for `mkdocs build` through the plugin),
    their pages written where the sequence's are (record_pages_folder)."""
    import tempfile

    with contextlib.ExitStack() as cleanup:
        work = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="okb-search-", dir=site_dir.parent)))
        pages = record_pages_folder(work, cleanup)
        return Indexer(records, language, work, pages_dir=pages).start().finish(site_dir)


def record_pages_folder(work_dir: Path, cleanup: contextlib.ExitStack) -> Path:
    """Where a language's search records' pages are written for Pagefind to read, removed when
    `cleanup` ends: in memory where the system has a folder for it (stopping.memory_work_folder:
    they are written only to be read back at once), else in the work folder (pages_folder).
    Only public outcomes have records; a killed build's folder is removed by the next build."""
    folder = memory_work_folder()
    if folder is None:
        return pages_folder(work_dir)
    cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _tell_search_script(site_dir: Path) -> None:
    """Write the index's languages (from pagefind-entry.json: each one's metadata file and
    wasm) into the built search script, so that a reader's browser can fetch Pagefind's
    start-up files all at once instead of asking for the entry first and waiting for it
    (a round trip, and on a slow phone often a busy moment of the page). Without this (a
    site previewed with `mkdocs serve`, not indexed), the script asks for the entry."""
    script = site_dir / SEARCH_SCRIPT
    entry = site_dir / BUNDLE / "pagefind-entry.json"
    if not script.is_file() or not entry.is_file():
        return
    languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    text = script.read_text(encoding="utf-8")
    if INDEX_LANGUAGES_PLACEHOLDER in text:
        script.write_text(
            text.replace(INDEX_LANGUAGES_PLACEHOLDER, json.dumps(languages, sort_keys=True), 1), encoding="utf-8"
        )


def search_script(source: str, labels: Mapping[str, Any], filter_order: Sequence[str] = ()) -> str:
    """The search script (templates/assets/okb-search.js) with its interface text written in:
    the search_ labels of `labels` (templates/labels.yml in the site's language, as
    load_labels() gives them), as a JSON object, in place of SEARCH_LABELS_PLACEHOLDER.

    The object also holds "facets": each filter's name in the index → its label key, for
    the filters that have their own "all" text (search_all_country → labels["country"],
    the name fragment pages give the filter, templates/fragment.md.j2), so that the script
    can say "Pays : tous" but "Année : toutes"; and "filter_order": the filters' names in
    the order of the field table (filter_order), which Pagefind, giving them alphabetically,
    would put in another order in each language. Raises BuildError if the placeholder is
    missing. "<", ">" and "&" are written as JSON escapes, so no label can end the script
    or open a comment in a page that inlines it.
    """
    if SEARCH_LABELS_PLACEHOLDER not in source:
        raise BuildError(f"{SEARCH_SCRIPT}: the line 'const STRINGS = {SEARCH_LABELS_PLACEHOLDER};' is missing")
    strings: dict[str, Any] = {
        key: str(value) for key, value in sorted(labels.items()) if key.startswith(SEARCH_LABEL_PREFIX)
    }
    all_prefix = f"{SEARCH_LABEL_PREFIX}all_"
    strings["facets"] = {
        str(labels[key[len(all_prefix) :]]): key[len(all_prefix) :]
        for key in strings
        if key.startswith(all_prefix) and key[len(all_prefix) :] in labels
    }
    strings["filter_order"] = list(filter_order)
    data = json.dumps(strings, ensure_ascii=False, sort_keys=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # U+2028/2029 are line ends in older JavaScript string literals.
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return source.replace(SEARCH_LABELS_PLACEHOLDER, data, 1)


def filter_names(table: FieldTable, labels: Mapping[str, Any]) -> list[str]:
    """The search filters' names (as search_records names them), in the field table's order."""
    return [str(labels[entry.facet.label_key]) for entry in table.facets("search") if entry.facet is not None]


def search_records(
    fragments: list[Fragment],
    urls: Urls,
    labels: Mapping[str, Any],
    table: FieldTable,
    language: str = "en",
    text_language: Callable[[Fragment], TextLanguage | None] = lambda fragment: None,
) -> list[SearchRecord]:
    """What search finds: each public outcome's story, title and facets (its filters,
    named in the site's language as the search script expects), and its text's language
    where it is not the site's (text_language: the Renderer's, as lists mark it). A filter
    the outcome gives no value is left out, so a filter no outcome has a value for is not
    offered at all."""
    texts = [entry.key for entry in table.where(SECTION)]
    searched = table.facets("search")
    records = []
    for fragment in fragments:
        filters = {
            labels[entry.facet.label_key]: names
            for entry in searched
            if entry.facet is not None
            and (
                names := tuple(name for _, name in labelled_values(entry, fragment.value(entry.key), labels, language))
            )
        }
        records.append(
            SearchRecord(
                url="/" + urls.url(folders.fragment_page(fragment.slug)),
                title=fragment.title,
                content=record_content([str(fragment.value(key) or "") for key in texts]),
                filters=filters,
                language=text_language(fragment),
            )
        )
    return records
