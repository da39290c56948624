"""Render the site's Markdown pages from the Jinja2 templates in templates/.

Templates hold the presentation. Fragment text reaches them only as variables,
HTML-escaped by autoescape and placed inside HTML blocks, which Markdown leaves
alone: so `<script>`, `# heading`, `| table |` or `{{ x }}` in a fragment shows as
typed and runs nothing. Front matter is written by the YAML library.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from generator import folders, forking
from generator.fields import DEFAULT_TABLE, DETAILS, SECTION, Column, Field, FieldTable
from generator.model import Fragment
from generator.normalise.vocabulary import slugify
from generator.pages import dashboard
from generator.pages.filters import (
    FILTER_LIST_PATH,
    Facet,
    facet_data,
    filter_form,
    filter_list,
    filter_list_item,
    item_facets,
    item_meta,
    shown_text,
)
from generator.pages.indexes import Listing, SiteIndex, fragment_path
from generator.pages.labels import DEFAULT_LANGUAGE, code_marks, count_word, fill, listing_name, load_labels
from generator.pages.paging import PAGE_SIZE, ListingPage, listing_pages
from generator.preview.memo import Memo
from generator.publish.markdown_pages import GENERATED_MARK
from generator.site_config import DEFAULT_NAME, SiteConfig

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


# Front matter key of a page below a section (a fragment, a country…): the docs path of the
# section's own page. The plugin highlights that page's tab (plugin.py, on_page_context),
# as the theme highlights only pages that are in the nav.
NAV_SECTION = "nav_section"


def nav_section(path: str) -> str | None:
    """The page of the section a generated page sits under: countries/kenya.md →
    countries/index.md; None for a section's own page and for pages at the top."""
    folder, _, name = path.rpartition("/")
    return f"{folder.split('/')[0]}/index.md" if folder and name != "index.md" else None


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
        self.environment.globals["folders"] = folders  # the site's fixed pages and folders, by docs path
        # Interface text in the site's language: {{ t.details }}; listing names through
        # {{ listing | name }}; the filter's data through {{ facet_data(fragments) | tojson }}.
        self.environment.globals["t"] = self.t
        self.environment.globals["lang"] = self.language
        self.environment.globals["count_word"] = lambda n, one, many: count_word(self.t, n, one, many)
        self.environment.globals["facet_data"] = lambda page, list_href, root: facet_data(self.t, page, list_href, root)
        self.environment.globals["filter_form"] = self.filter_form
        self.environment.globals["shown_text"] = lambda shown, total: shown_text(self.t, shown, total)
        self.environment.globals["filter_list_path"] = FILTER_LIST_PATH
        self.environment.filters["name"] = self.listing_name
        self.environment.globals["list_item"] = self.list_item
        self._list_item_template = self.environment.get_template("_list_item.md.j2")
        # A Renderer may serve many generations (a preview keeps it while the templates,
        # labels and configuration stay the same): what it made is reused when its inputs
        # are equal (generator/preview/memo.py).
        self._list_items: Memo[Markup] = Memo("list items")
        self._fragment_parts: Memo[tuple[dict[str, Any], FragmentPage]] = Memo("fragment page parts")
        self._pages: Memo[Page] = Memo("pages")
        self._filter_forms: Memo[tuple[Facet, ...]] = Memo("filter forms")
        self._filter_list_items: Memo[list[str]] = Memo("filter list items")
        self.front_matter = FrontMatter()
        self.templates = {
            name: self.environment.get_template(f"{name}.md.j2")
            for name in ("fragment", "listing", "section", "results_framework", "home", "dashboard", "open_data")
        }

    def citation(self, fragment: Fragment) -> Citation:
        """The "Cite this outcome" line: ID, title, harvest and site name, then the page's permanent
        address (none when mkdocs.yml has no site_url)."""
        quoted = str(self.t["cite_quote"]).format(title=fragment.title)
        text = ", ".join(part for part in (fragment.fragment_id, quoted, fragment.harvest_period) if part)
        url = self.site.url + self.urls.url(fragment_path(fragment)) if self.site.url else ""
        return Citation(f"{text}. {self.site.name}.", url)

    def _memos(self) -> tuple[Memo[Any], ...]:
        return (self._list_items, self._fragment_parts, self._pages, self._filter_forms, self._filter_list_items)

    def filter_list_item(self, fragment: Fragment) -> list[str]:
        """A fragment's entry in the list every paged listing's filter reads (facets.filter_list)."""
        return self._filter_list_items.get(
            fragment.fragment_id, fragment, lambda: filter_list_item(fragment, self.urls, self.t, self.table)
        )

    def listing_name(self, listing: Listing) -> str:
        return listing_name(self.t, listing)

    def start(self) -> None:
        """A generation begins: what the last one made may be reused."""
        for memo in self._memos():
            memo.start()

    def finish(self) -> None:
        """The generation is complete: forget what it did not use."""
        for memo in self._memos():
            memo.finish()

    @property
    def pages_rendered(self) -> int:
        """Pages rendered (not reused) in the generation under way."""
        return self._pages.computed

    def list_item(self, fragment: Fragment, root: str, facets: bool) -> Markup:
        """A fragment's list entry. It appears on many lists (its output, country, year…,
        and others' related outcomes), so it is rendered once per page depth and reused."""

        def make() -> Markup:
            html = self._list_item_template.render(
                f=fragment,
                root=root,
                facets=facets,
                data=item_facets(fragment, self.table),
                meta=item_meta(fragment, self.t),
            )
            return Markup(html.rstrip("\n"))

        return self._list_items.get((fragment.fragment_id, root, facets), fragment, make)

    def fragment_parts(self, fragment: Fragment, listings: list[Listing]) -> tuple[dict[str, Any], FragmentPage]:
        """A fragment page's front matter and what its template shows. They read the
        fragment and the name, address and description of its listings, never the other
        fragments of a listing: so one fragment's edit does not recompute its neighbours'."""
        headers = tuple(
            (listing.kind, listing.key, listing.name, listing.path, listing.description) for listing in listings
        )
        return self._fragment_parts.get(
            fragment.fragment_id,
            (fragment, headers),
            lambda: (front_matter_values(fragment, self.table), fragment_page(fragment, listings, self.table, self.t)),
        )

    def render(
        self,
        name: str,
        path: str,
        title: str,
        meta: dict[str, Any] | None = None,
        *,
        shows: object = None,
        **context: Any,
    ) -> Page:
        """The page `path` from template `name`; the page of the last generation when it was
        made from equal values (the templates, labels and configuration are the Renderer's own).
        shows: what the page shows, when less than its whole context (a listing's page):
        compared instead of the context."""
        inputs = (name, title, meta, context if shows is None else shows)
        return self._pages.get(path, inputs, lambda: self._render(name, path, title, meta, context))

    def _render(self, name: str, path: str, title: str, meta: dict[str, Any] | None, context: dict[str, Any]) -> Page:
        body = self.templates[name].render(page_path=path, root=self.urls.root_of(path), title=title, **context)
        # One block of HTML, marked as generated (generator/publish/markdown_pages.py): Markdown
        # passes it through whole. The div keeps it one block, whatever the template holds.
        page = f'{GENERATED_MARK}\n<div class="okb-page">\n{body.strip()}\n</div>\n'
        section = nav_section(path)
        head = {"title": title, **({NAV_SECTION: section} if section else {})}
        return Page(path, self.front_matter({**head, **(meta or {})}) + page)

    def filter_form(self, listing: Listing) -> tuple[Facet, ...]:
        """The filter of a listing, the same on each of its pages: worked out once."""
        return self._filter_forms.get(
            listing.path, listing.fragments, lambda: filter_form(self.t, listing.fragments, self.table)
        )

    def render_listing(
        self, listing: Listing, title: str, parent: Listing | None = None, children: Iterable[Listing] = ()
    ) -> Iterator[Page]:
        """A listing's pages (generator/pages/paging.py): the first keeps the listing's path and title."""
        child_list = list(children)
        for page in listing_pages(listing):
            page_title = (
                title if page.number == 1 else self.t["page_title"].format(title=title, n=page.number, count=page.count)
            )
            yield self.render(
                "listing",
                page.path,
                page_title,
                shows=self._listing_page_inputs(listing, page, parent, child_list),
                listing=listing,
                page=page,
                parent=parent,
                children=child_list,
            )

    def _listing_page_inputs(
        self, listing: Listing, page: ListingPage, parent: Listing | None, children: list[Listing]
    ) -> tuple[object, ...]:
        """What a page of a listing shows (templates/listing.md.j2): its own outcomes, the
        listing's name and size, its filter and the page links, never the other pages'
        outcomes. A preview's edit of one outcome then renders again the one page of All
        outcomes that shows it, not all 38 (render() compares these, not the whole listing)."""

        def header(of: Listing | None) -> tuple[object, ...] | None:
            if of is None:
                return None
            return (of.kind, of.key, of.name, of.path, of.description, len(of.fragments))

        return (
            header(listing),
            self.filter_form(listing),
            (page.number, page.count, page.first, page.path),
            page.fragments,
            header(parent),
            tuple(header(child) for child in children),
        )

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
class Citation:
    text: str  # "ID, “title”, harvest 2. Site name."
    url: str  # the page's public address, or ""


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


def _chips(listings: list[Listing], t: dict[str, Any], table: FieldTable) -> tuple[Link, ...]:
    """A chip per value of the fragment's chip facets (the field table's order), each
    linking to its listing and naming its search filter."""
    by_kind: dict[str, list[Listing]] = {}
    for listing in listings:
        by_kind.setdefault(listing.kind, []).append(listing)
    searched = {entry.facet.name for entry in table.facets("search") if entry.facet}
    chips: list[Link] = []
    for entry in table.facets("chip"):
        assert entry.facet is not None
        kind = entry.facet.name
        search_filter = t[entry.facet.label_key] if kind in searched else ""
        for listing in by_kind.get(kind, []):
            if entry.kind == "links":
                chips.append(Link(f"{t[kind]} {listing.name}", listing.path, title=listing.description))
            elif entry.kind == "objective":  # the code: Details gives the objective's whole name
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
    return FragmentPage(_chips(listings, t, table), statement, sections, tuple(details))


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


def render_site(
    index: SiteIndex, renderer: Renderer, extra_pages: list[tuple[str, str]], processes: int = 2
) -> Iterator[Page]:
    """Every generated page of the site. extra_pages: hand-written (path, title) for the home page.
    processes: 1 when the renderer's memos are kept for the next generation (a preview): a
    page rendered in another process would be missing from them, and made again next time.

    The fragment pages, most of the work, are rendered on both cores (FragmentPages): a
    second process starts first, and this one joins it once the other pages are done."""
    with FragmentPages(index, renderer, processes) as fragment_pages:
        yield from _overview_pages(index, renderer, extra_pages)
        yield from _listing_pages(index, renderer)
        yield from fragment_pages.pages()


def _overview_pages(index: SiteIndex, renderer: Renderer, extra_pages: list[tuple[str, str]]) -> Iterator[Page]:
    """The home page, the dashboard, the Results Framework, All outcomes and the section pages."""
    t = renderer.t  # titles in the site's language: a facet's plural is its title's label key
    titled_sections = [
        (entry.facet.name, t[entry.facet.plural], entry.facet.folder)
        for entry in renderer.table.facets("browse")
        if entry.facet is not None
    ]
    yield renderer.render(
        "home",
        "index.md",
        renderer.site.name,  # mkdocs.yml's site_name as the editor wrote it: the header says the same
        index=index,
        sections=titled_sections,
        extra_pages=extra_pages,
    )
    yield renderer.render(
        "dashboard",
        dashboard.PAGE_PATH,
        t["dashboard"],
        charts=dashboard.charts(index, t, renderer.table),
        country_map=dashboard.country_map(index, t),
        total=len(index.fragments),
    )
    yield renderer.render(
        "results_framework", folders.index_of(folders.RESULTS_FRAMEWORK), t["results_framework"], index=index
    )
    yield from renderer.render_listing(
        Listing("all", "all", t["all_outcomes"], folders.ALL_OUTCOMES, index.fragments), t["all_outcomes"]
    )
    for name, title, folder in titled_sections:
        yield renderer.render("section", folders.index_of(folder), title, listings=index.browse[name])


def _listing_pages(index: SiteIndex, renderer: Renderer) -> Iterator[Page]:
    """A page per Results Framework outcome and output, and per country, objective, type of change and year."""
    t = renderer.t
    for outcome in index.outcomes:
        yield from renderer.render_listing(
            outcome.listing, f"{t['outcome']} {outcome.listing.name}", children=outcome.outputs
        )
        for output in outcome.outputs:
            yield from renderer.render_listing(output, f"{t['output']} {output.name}", parent=outcome.listing)
    yield from renderer.render_listing(index.not_linked, renderer.listing_name(index.not_linked))
    for listings in index.browse.values():
        for listing in listings:
            yield from renderer.render_listing(listing, renderer.listing_name(listing))
    if len(index.fragments) > PAGE_SIZE:  # some listing is paged: its filter needs the whole list
        yield Page(FILTER_LIST_PATH, filter_list(index, renderer.filter_list_item, renderer.table))


def fragment_page_of(index: SiteIndex, renderer: Renderer, fragment: Fragment) -> Page:
    meta, page = renderer.fragment_parts(fragment, index.listings_of.get(fragment.fragment_id, []))
    return renderer.render(
        "fragment",
        fragment_path(fragment),
        fragment.title,
        meta,
        f=fragment,
        page=page,
        cite=renderer.citation(fragment),
        related=index.related.get(fragment.fragment_id, []),
    )


FRAGMENT_SHARE = 64  # fragment pages a process takes at a time: small enough to end together


class FragmentPages:
    """The fragment pages, rendered by two processes that take shares of FRAGMENT_SHARE
    pages from a shared counter until none is left (so they end together whatever else
    each did first). The other process starts on entering; this one renders its shares
    when pages() is read, then receives the other's pages, all in the index's order.
    If the other process fails, this one renders its shares too (and raises what it raised).
    A forked process gets the index and the compiled templates for free; where there is no
    fork (forking.can_fork), everything is rendered here."""

    def __init__(self, index: SiteIndex, renderer: Renderer, processes: int = 2) -> None:
        self.index, self.renderer = index, renderer
        self.shares = (len(index.fragments) + FRAGMENT_SHARE - 1) // FRAGMENT_SHARE
        self.parallel = processes > 1 and self.shares > 1 and forking.can_fork()
        self._next_share = forking.shared_counter() if self.parallel else None
        self._child: forking.Forked | None = None

    def __enter__(self) -> FragmentPages:
        if self.parallel:
            self._child = forking.start(self._render_in_child)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None:
            self._child.end(wait=0)

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
            from_child = self._child.connection.recv() if self._child is not None else None
        except (EOFError, OSError):
            from_child = None
        rendered.update(from_child or {})
        for share in range(self.shares):
            yield from rendered[share] if share in rendered else self._render_share(share)
