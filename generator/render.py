"""Render the site's Markdown pages from the Jinja2 templates in templates/.

Templates hold the presentation. Fragment text reaches them only as variables,
HTML-escaped by autoescape and placed inside HTML blocks, which Markdown leaves
alone: so `<script>`, `# heading`, `| table |` or `{{ x }}` in a fragment shows as
typed and runs nothing. Front matter is written by the YAML library.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from generator import dashboard
from generator.facets import facet_data, item_facets, item_meta
from generator.fields import DEFAULT_TABLE, DETAILS, SECTION, Column, Field, FieldTable
from generator.indexes import Listing, SiteIndex, fragment_path
from generator.labels import DEFAULT_LANGUAGE, code_marks, count_word, fill, listing_name, load_labels
from generator.markdown_pages import GENERATED_MARK
from generator.model import Fragment
from generator.site_config import DEFAULT_NAME, SiteConfig
from generator.vocabulary import slugify

try:  # libyaml's emitter is many times faster; both write the same YAML
    _Dumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Dumper = yaml.SafeDumper


@dataclass(frozen=True)
class Page:
    """One generated Markdown file: its path inside the docs folder and its text."""

    path: str
    text: str


def paragraphs(text: str) -> list[list[str]]:
    """Text as paragraphs (split at blank lines), each a list of lines."""
    blocks = [block for block in text.replace("\r", "").split("\n\n")]
    return [[line for line in block.split("\n")] for block in blocks if block.strip()]


def front_matter(data: dict[str, Any]) -> str:
    return f"---\n{_yaml(data)}---\n\n"


def _yaml(data: object) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**9))


_PLAIN_TYPES = (str, int, bool, float, type(None))
SIMPLE_KEY_LENGTH = 100  # shorter one-line keys are written "key:" (the library's limit is 128)


class FrontMatter:
    """front_matter(), written one entry (and one list item) at a time from the YAML of the
    same key and value met before: most values of a fragment page (country, year, codes,
    ratings, each tag) are shared by many pages, and yaml.dump of each page's whole front
    matter was 15 % of the generator.

    A top-level mapping's YAML is its entries' YAML one after the other; a list is its
    key's line and a line per item, as long as no two entries share a list (the library
    would write an anchor and an alias). Other values (not plain scalars or non-empty
    lists of them), long keys and shared lists go through front_matter() whole."""

    def __init__(self) -> None:
        self._entries: dict[tuple[object, ...], str] = {}

    def __call__(self, data: dict[str, Any]) -> str:
        parts: list[str] = []
        lists: set[int] = set()
        for key, value in data.items():
            if type(key) is not str or len(key) > SIMPLE_KEY_LENGTH or not key.isprintable():
                return front_matter(data)
            if type(value) in _PLAIN_TYPES:
                parts.append(self._entry(key, value))
            elif type(value) is list and value and id(value) not in lists:
                lists.add(id(value))
                if not all(type(item) in _PLAIN_TYPES for item in value):
                    return front_matter(data)
                items = [self._entry(key, [item]) for item in value]  # each "key:\n- item\n"
                parts.append(items[0])
                parts += [item.split("\n", 1)[1] for item in items[1:]]
            else:
                return front_matter(data)
        return "---\n" + "".join(parts) + "---\n\n"

    def _entry(self, key: str, value: object) -> str:
        """The YAML of {key: value}; types tell values apart (1, 1.0 and True are one dict key)."""
        if isinstance(value, list):
            cache_key: tuple[object, ...] = (key, list, type(value[0]), value[0])
        else:
            cache_key = (key, type(value), value)
        text = self._entries.get(cache_key)
        if text is None:
            text = self._entries[cache_key] = _yaml({key: value})
        return text


class Renderer:
    def __init__(self, templates: Path, site: SiteConfig | None = None, table: FieldTable = DEFAULT_TABLE):
        self.site = site or SiteConfig(DEFAULT_NAME, "")
        self.urls = self.site.urls
        self.table = table
        self.language = self.site.language or DEFAULT_LANGUAGE
        self.t = load_labels(templates, self.language)
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.environment.filters["paragraphs"] = paragraphs
        self.environment.filters["slug"] = slugify
        self.environment.filters["fill"] = fill
        self.environment.filters["code_marks"] = code_marks
        self.environment.globals["href"] = self.href
        self.environment.globals["fragment_path"] = fragment_path
        # Interface text in the site's language: {{ t.details }}; listing names through
        # {{ listing | name }}; the filter's data through {{ facet_data(fragments) | tojson }}.
        self.environment.globals["t"] = self.t
        self.environment.globals["lang"] = self.language
        self.environment.globals["count_word"] = lambda n, one, many: count_word(self.t, n, one, many)
        self.environment.globals["facet_data"] = lambda fragments: facet_data(self.t, fragments)
        self.environment.filters["name"] = self.listing_name
        self.environment.globals["list_item"] = self.list_item
        self._list_item_template = self.environment.get_template("_list_item.md.j2")
        self._list_items: dict[tuple[str, str, bool], Markup] = {}
        self.front_matter = FrontMatter()
        self.templates = {
            name: self.environment.get_template(f"{name}.md.j2")
            for name in ("fragment", "listing", "section", "results_framework", "home", "dashboard", "open_data")
        }

    def listing_name(self, listing: Listing) -> str:
        return listing_name(self.t, listing)

    def list_item(self, fragment: Fragment, root: str, facets: bool) -> Markup:
        """A fragment's list entry. It appears on many lists (its output, country, year…,
        and others' related outcomes), so it is rendered once per page depth and reused."""
        key = (fragment.fragment_id, root, facets)
        item = self._list_items.get(key)
        if item is None:
            html = self._list_item_template.render(
                f=fragment, root=root, facets=facets, data=item_facets(fragment), meta=item_meta(fragment, self.t)
            ).rstrip("\n")
            item = self._list_items[key] = Markup(html)
        return item

    def render(self, name: str, path: str, title: str, meta: dict[str, Any] | None = None, **context: Any) -> Page:
        body = self.templates[name].render(page_path=path, root=self.urls.root_of(path), title=title, **context)
        # One block of HTML, marked as generated (generator/markdown_pages.py): Markdown
        # passes it through whole. The div keeps it one block, whatever the template holds.
        page = f'{GENERATED_MARK}\n<div class="okb-page">\n{body.strip()}\n</div>\n'
        return Page(path, self.front_matter({"title": title, **(meta or {})}) + page)

    @jinja2.pass_context
    def href(self, context: jinja2.runtime.Context, to_path: str) -> str:
        """A link from the page being rendered to another docs file, by MkDocs' URL rules."""
        return str(context["root"]) + self.urls.url(to_path) or "./"


@dataclass(frozen=True)
class Link:
    """One value as a page shows it: its text, the page it links to (a docs path), a note
    after it (a Results Framework label) and a tooltip."""

    text: str
    path: str | None = None
    note: str = ""
    title: str = ""
    filter: str = ""  # the search filter this value belongs to (Pagefind's data-pagefind-filter)


@dataclass(frozen=True)
class Section:
    """A free-text field as a section of the fragment page."""

    anchor: str  # the same in every language, so links to #significance work everywhere
    heading: str
    text: str


@dataclass(frozen=True)
class DetailRow:
    label: str
    values: tuple[Link, ...]


@dataclass(frozen=True)
class FragmentPage:
    """What the fragment template shows, computed once from the table of fields."""

    chips: tuple[Link, ...]  # country, year, outputs, objective, types of change: once, near the top
    statement: tuple[str, ...]  # the outcome description's paragraphs; the first is the heading
    sections: tuple[Section, ...]
    details: tuple[DetailRow, ...]


CHIP_KINDS = ("country", "year", "output", "objective", "change_type")
SEARCH_FILTERS = ("country", "objective", "change_type", "year")  # their label is the filter's name


def _chips(listings: list[Listing], t: dict[str, Any]) -> tuple[Link, ...]:
    by_kind: dict[str, list[Listing]] = {}
    for listing in listings:
        by_kind.setdefault(listing.kind, []).append(listing)
    chips: list[Link] = []
    for kind in CHIP_KINDS:
        search_filter = t[kind] if kind in SEARCH_FILTERS else ""
        for listing in by_kind.get(kind, []):
            if kind == "output":
                chips.append(Link(f"{t['output']} {listing.name}", listing.path, title=listing.description))
            elif kind == "objective":  # the code: Details gives the objective's whole name
                code = listing.name.split(":", 1)[0]
                # Search filters by the whole name, which Pagefind reads from the title ([title]).
                chips.append(Link(code, listing.path, title=listing.name, filter=f"{search_filter}[title]"))
            else:
                chips.append(Link(listing_name(t, listing), listing.path, filter=search_filter))
    return tuple(chips)


def _detail_values(entry: Field, fragment: Fragment, listings: list[Listing], t: dict[str, Any]) -> tuple[Link, ...]:
    value = fragment.value(entry.key)
    if entry.kind == "objective":
        return tuple(Link(listing.name, listing.path) for listing in listings if listing.kind == "objective")
    if entry.kind == "links":  # outputs are chips: Details names their outcomes, with labels
        return tuple(
            Link(
                f"{t['outcome']} {listing.name}" if listing.kind == "outcome" else listing_name(t, listing),
                listing.path,
                note=listing.description,
            )
            for listing in listings
            if listing.kind in ("outcome", "not_linked")
        )
    if value is None or value == "" or value == ():
        return ()
    if entry.kind == "flag":
        return (Link(t["yes"] if value else t["no"]),)
    return (Link(str(value)),)


def fragment_page(fragment: Fragment, listings: list[Listing], table: FieldTable, t: dict[str, Any]) -> FragmentPage:
    sections = tuple(
        Section(entry.key.replace("_", "-"), t[entry.label], str(fragment.value(entry.key)))
        for entry in table.where(SECTION)
        if entry.key != "description" and fragment.value(entry.key)
    )
    details = []
    for entry in table.where(DETAILS):
        values = _detail_values(entry, fragment, listings, t)
        if values:
            details.append(DetailRow(t[entry.label], values))
    statement = tuple("\n".join(lines) for lines in paragraphs(fragment.description)) or (fragment.title,)
    return FragmentPage(_chips(listings, t), statement, sections, tuple(details))


def front_matter_values(fragment: Fragment, table: FieldTable) -> dict[str, Any]:
    """Front matter of a fragment page: tags (country, objective, types of change) and the
    published one-line fields, as YAML values. The texts are in the page itself."""
    meta: dict[str, Any] = {
        "tags": [
            tag
            for tag in (
                fragment.country,
                *([fragment.objective.name] if fragment.objective else []),
                *fragment.change_types,
            )
            if tag
        ]
    }
    for entry in table.published:
        if entry.kind == "text":
            continue
        for column in entry.opendata:
            value = opendata_value(fragment.value(entry.key), column)
            meta[column.name] = list(value) if isinstance(value, tuple) else value
    return {key: value for key, value in meta.items() if value not in (None, [], "")}


def opendata_value(value: Any, column: Column) -> Any:
    """A field's value as one open-data column gives it (a part of a composite value)."""
    if column.part is None or value is None:
        return value
    return getattr(value, column.part) or None if column.part in ("code", "label") else getattr(value, column.part)


SECTIONS = (
    ("countries", "Countries", "countries"),
    ("objectives", "Objectives", "objectives"),
    ("change_types", "Types of change", "change-types"),
    ("years", "Years", "years"),
)


def render_site(index: SiteIndex, renderer: Renderer, extra_pages: list[tuple[str, str]]) -> Iterator[Page]:
    """Every generated page of the site. extra_pages: hand-written (path, title) for the home page.

    The fragment pages, most of the work, are rendered on both cores (FragmentPages): a
    second process starts first, and this one joins it once the other pages are done."""
    with FragmentPages(index, renderer) as fragment_pages:
        yield from _overview_pages(index, renderer, extra_pages)
        yield from _listing_pages(index, renderer)
        yield from fragment_pages.pages()


def _overview_pages(index: SiteIndex, renderer: Renderer, extra_pages: list[tuple[str, str]]) -> Iterator[Page]:
    """The home page, the dashboard, the Results Framework, All outcomes and the section pages."""
    t = renderer.t  # titles in the site's language; SECTIONS' attr names are label keys
    titled_sections = [(attr, t[attr], folder) for attr, _, folder in SECTIONS]
    yield renderer.render(
        "home",
        "index.md",
        t["site_title"],
        index=index,
        sections=titled_sections,
        extra_pages=extra_pages,
    )
    yield renderer.render(
        "dashboard",
        dashboard.PAGE_PATH,
        t["dashboard"],
        charts=dashboard.charts(index, t),
        country_map=dashboard.country_map(index, t),
        total=len(index.fragments),
    )
    yield renderer.render("results_framework", "results-framework/index.md", t["results_framework"], index=index)
    yield renderer.render(
        "listing",
        "fragments/index.md",
        t["all_outcomes"],
        listing=Listing("all", "all", t["all_outcomes"], "fragments/index.md", index.fragments),
        parent=None,
        children=[],
    )
    for attr, title, folder in titled_sections:
        yield renderer.render("section", f"{folder}/index.md", title, listings=getattr(index, attr))


def _listing_pages(index: SiteIndex, renderer: Renderer) -> Iterator[Page]:
    """A page per Results Framework outcome and output, and per country, objective, type of change and year."""
    t = renderer.t
    for outcome in index.outcomes:
        yield renderer.render(
            "listing",
            outcome.listing.path,
            f"{t['outcome']} {outcome.listing.name}",
            listing=outcome.listing,
            parent=None,
            children=outcome.outputs,
        )
        for output in outcome.outputs:
            yield renderer.render(
                "listing",
                output.path,
                f"{t['output']} {output.name}",
                listing=output,
                parent=outcome.listing,
                children=[],
            )
    yield renderer.render(
        "listing",
        index.not_linked.path,
        renderer.listing_name(index.not_linked),
        listing=index.not_linked,
        parent=None,
        children=[],
    )
    for attr, _, _ in SECTIONS:
        for listing in getattr(index, attr):
            yield renderer.render(
                "listing", listing.path, renderer.listing_name(listing), listing=listing, parent=None, children=[]
            )


def fragment_page_of(index: SiteIndex, renderer: Renderer, fragment: Fragment) -> Page:
    listings = index.listings_of.get(fragment.fragment_id, [])
    return renderer.render(
        "fragment",
        fragment_path(fragment),
        fragment.title,
        front_matter_values(fragment, renderer.table),
        f=fragment,
        page=fragment_page(fragment, listings, renderer.table, renderer.t),
        related=index.related.get(fragment.fragment_id, []),
    )


FRAGMENT_SHARE = 64  # fragment pages a process takes at a time: small enough to end together


def _can_fork() -> bool:
    """A forked process gets the index and the compiled templates for free; without fork
    (Windows), or with other threads running (a fork copies only the calling thread, and
    their locks: `mkdocs serve`), everything is rendered here."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class FragmentPages:
    """The fragment pages, rendered by two processes that take shares of FRAGMENT_SHARE
    pages from a shared counter until none is left (so they end together whatever else
    each did first). The other process starts on entering; this one renders its shares
    when pages() is read, then receives the other's pages, all in the index's order.
    If the other process fails, this one renders its shares too (and raises what it raised)."""

    def __init__(self, index: SiteIndex, renderer: Renderer, processes: int = 2) -> None:
        self.index, self.renderer = index, renderer
        self.shares = (len(index.fragments) + FRAGMENT_SHARE - 1) // FRAGMENT_SHARE
        self.parallel = processes > 1 and self.shares > 1 and _can_fork()
        context = multiprocessing.get_context("fork") if self.parallel else None
        self._next_share = context.Value("i", 0) if context is not None else None
        self._child: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._context = context

    def __enter__(self) -> FragmentPages:
        if self._context is not None:
            self._connection, child_end = self._context.Pipe(duplex=False)
            self._child = self._context.Process(target=self._render_in_child, args=(child_end,), daemon=True)
            self._child.start()
            child_end.close()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._child is not None:
            if self._child.is_alive():
                self._child.terminate()
            self._child.join()

    def _take(self) -> int | None:
        """The next share nobody has taken, or None."""
        if self._next_share is None:
            return None
        with self._next_share.get_lock():
            share = int(self._next_share.value)
            self._next_share.value = share + 1
        return share if share < self.shares else None

    def _render_share(self, share: int) -> list[Page]:
        fragments = self.index.fragments[share * FRAGMENT_SHARE : (share + 1) * FRAGMENT_SHARE]
        return [fragment_page_of(self.index, self.renderer, fragment) for fragment in fragments]

    def _render_shares_left(self) -> dict[int, list[Page]]:
        rendered: dict[int, list[Page]] = {}
        while (share := self._take()) is not None:
            rendered[share] = self._render_share(share)
        return rendered

    def _render_in_child(self, connection: Connection) -> None:
        try:
            rendered: dict[int, list[Page]] | None = self._render_shares_left()
        except BaseException:
            rendered = None  # the parent renders them again, and raises what failed
        connection.send(rendered)  # once, at the end: a send waits for the parent to read
        connection.close()

    def pages(self) -> Iterator[Page]:
        if not self.parallel:
            for fragment in self.index.fragments:
                yield fragment_page_of(self.index, self.renderer, fragment)
            return
        rendered = self._render_shares_left()
        try:
            from_child = self._connection.recv() if self._connection is not None else None
        except (EOFError, OSError):
            from_child = None
        rendered.update(from_child or {})
        for share in range(self.shares):
            yield from rendered[share] if share in rendered else self._render_share(share)
