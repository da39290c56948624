"""The Renderer: the site's page templates, its interface text in the site's language
and its configuration, making a generated page from a template and its values.

A page is one block of HTML under its front matter, marked as generated
(generator/publish/markdown_pages.py), so Markdown passes it through whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator.fields import DEFAULT_TABLE, FieldTable
from generator.model import Fragment
from generator.normalise.vocabulary import TEXT_LANGUAGES
from generator.pages.filters import (
    Facet,
    FragmentValueNames,
    facet_data,
    filter_list_item,
    form_of,
    fragment_value_names,
    item_facets,
    item_meta,
    shown_text,
)
from generator.pages.fragment_view import Citation, FragmentPage, TextLanguage, fragment_page, front_matter_values
from generator.pages.front_matter import GENERATED_MARK, NAV_SECTION, FrontMatter, nav_section
from generator.pages.indexes import FacetKeys, Listing, facet_keys, fragment_path
from generator.pages.labels import DEFAULT_LANGUAGE, count_word, listing_name, load_labels
from generator.pages.language_forms import date_filter, number_filter
from generator.pages.listing_summary import Summary, summary
from generator.pages.paging import ListingPage, listing_pages
from generator.pages.reuse import Compute, Remember, Reuse, ReuseMaker
from generator.pages.tally import Tally, count
from generator.pages.templating import environment
from generator.site_config import DEFAULT_NAME, SiteConfig

# Where a page's root (the way up to the site's root, "../../") goes in a list entry rendered
# once for every depth (Renderer.list_item_parts). A control character that autoescape keeps
# as it is; should a text hold it, the entry is rendered for each depth instead.
ROOT_MARK = "\x00okb-root\x00"


@dataclass(frozen=True)
class Page:
    """One generated Markdown file: its path inside the docs folder and its text."""

    path: str
    text: str


class Renderer:
    """Makes the generated pages from the templates, in the site's language and with its addresses."""

    def __init__(
        self,
        templates: Path,
        site: SiteConfig | None = None,
        table: FieldTable = DEFAULT_TABLE,
        reuse: ReuseMaker | None = None,
    ):
        self.site = site or SiteConfig(DEFAULT_NAME, "")
        self.urls = self.site.urls
        self.table = table
        self.language = self.site.language or DEFAULT_LANGUAGE
        self.t = load_labels(templates, self.language)
        self.environment = environment(templates)
        self.environment.globals["href"] = self.href
        # Interface text in the site's language: {{ t.details }}; listing names through
        # {{ listing | name }}; the filter's data through {{ facet_data(fragments) | tojson }}.
        self.environment.globals["t"] = self.t
        self.environment.globals["lang"] = self.language
        self.environment.globals["count_word"] = lambda n, one, many: count_word(self.t, n, one, many)
        self.environment.globals["facet_data"] = lambda page, list_href, root: facet_data(self.t, page, list_href, root)
        self.environment.globals["filter_form"] = self.filter_form
        self.environment.globals["filter_form_html"] = self.filter_form_html
        self.environment.filters["name"] = self.listing_name
        # Counts and dates as the site's language writes them: {{ n | number }}, {{ day | date }}.
        self.environment.filters["number"] = number = number_filter(self.language)
        self.environment.globals["shown_text"] = lambda shown, total: shown_text(self.t, shown, total, number)
        self.environment.filters["date"] = date_filter(self.language)
        self.environment.globals["list_item"] = self.list_item
        self.environment.globals["list_items"] = self.list_items
        self.environment.globals["text_language"] = self.text_language
        # Each language an outcome may be written in, its mark named in that language.
        self._text_languages = {
            code: TextLanguage(code, str(labels["text_language_mark"]), str(labels["text_language_name"]))
            for code, labels in ((code, load_labels(templates, code)) for code, _ in TEXT_LANGUAGES)
        }
        # The shared macros (templates/_macros.md.j2) as the global `m`, made once the globals
        # they call are set: an `{% import %}` in each template made Jinja compare the
        # importing page's globals with the macros' on every render (~12,000 at 5,000 outcomes).
        self.environment.globals["m"] = self.environment.get_template("_macros.md.j2").module
        self._list_item_template = self.environment.get_template("_list_item.md.j2")
        self._filter_form_template = self.environment.get_template("_filter_form.md.j2")
        # A Renderer may serve many generations (a preview keeps it while the templates,
        # labels and configuration stay the same): reuse then keeps what it made for the
        # next (generator/pages/reuse.py). A build's Renderer makes every page once, and
        # remembers only what it is asked for many times: list entries and filters.
        self._list_items: Reuse[Markup] = reuse("list items", within=True) if reuse else Remember()
        self._list_item_parts: Reuse[tuple[str, ...]] = reuse("list item parts", within=True) if reuse else Remember()
        self._fragment_parts: Reuse[tuple[dict[str, Any], FragmentPage]] = (
            reuse("fragment page parts") if reuse else Compute()
        )
        self._pages: Reuse[Page] = reuse("pages") if reuse else Compute()
        # A fragment page's citation: the same object while the fragment is, so that a preview
        # compares that page's inputs by identity (made anew, ~5 µs each for 3,739 pages a save).
        self._citations: Reuse[Citation] = reuse("citations") if reuse else Compute()
        self._filter_forms: Reuse[tuple[Facet, ...]] = reuse("filter forms") if reuse else Remember()
        # Its counts (pages/tally.py): a preview brings the last ones up to date from the outcomes that changed.
        self._tallies: Reuse[Tally] = reuse("filter counts", within=True) if reuse else Compute()
        # Its form as HTML, the same on each page of the listing (a paged listing has up to 38).
        self._filter_form_html: Reuse[Markup] = reuse("filter form html", within=True) if reuse else Remember()
        # A fragment's values in each filter: counted by every listing it is on.
        self._value_names: Reuse[FragmentValueNames] = reuse("filter values", within=True) if reuse else Remember()
        self._item_facets: Reuse[dict[str, str]] = reuse("list item filters", within=True) if reuse else Remember()
        self._item_metas: Reuse[str] = reuse("list item meta lines", within=True) if reuse else Remember()
        self._filter_list_items: Reuse[list[str]] = reuse("filter list items") if reuse else Compute()
        self._summaries: Reuse[Summary | None] = reuse("listing summaries") if reuse else Compute()
        self._facet_keys: Reuse[FacetKeys] = reuse("listings of fragments") if reuse else Compute()
        self.front_matter = FrontMatter()
        self.templates = {
            name: self.environment.get_template(f"{name}.md.j2")
            for name in (
                "fragment",
                "listing",
                "section",
                "results_framework",
                "home",
                "dashboard",
                "crosstabs",
                "open_data",
            )
        }

    def text_language(self, fragment: Fragment) -> TextLanguage | None:
        """The language of a fragment's text where it differs from the site's (its text is
        then marked with it, and its list entries carry its mark); None where it is the
        site's, or not given and the site's first language is this page's."""
        page = self.language.replace("_", "-").split("-")[0].lower()
        written_in = fragment.language or self.site.text_language
        if written_in == page:
            return None
        return self._text_languages.get(written_in)

    def citation(self, fragment: Fragment) -> Citation:
        """The "Cite this outcome" line: ID, title, harvest and site name, then the page's permanent
        address (none when mkdocs.yml has no site_url)."""
        return self._citations.get(fragment.fragment_id, fragment, lambda: self._citation(fragment))

    def _citation(self, fragment: Fragment) -> Citation:
        quoted = str(self.t["cite_quote"]).format(title=fragment.title)
        text = ", ".join(part for part in (fragment.fragment_id, quoted, fragment.harvest_period) if part)
        url = self.site.url + self.urls.url(fragment_path(fragment)) if self.site.url else ""
        return Citation(f"{text}. {self.site.name}.", url)

    def filter_list_item(self, fragment: Fragment) -> list[str]:
        """A fragment's entry in the list every paged listing's filter reads (facets.filter_list)."""
        return self._filter_list_items.get(
            fragment.fragment_id,
            fragment,
            lambda: filter_list_item(fragment, self.urls, self.item_meta(fragment), self.item_facets(fragment)),
        )

    def listing_name(self, listing: Listing) -> str:
        return listing_name(self.t, listing)

    def list_item(self, fragment: Fragment, root: str, facets: bool) -> Markup:
        """A fragment's list entry. It appears on many lists (its output, country, year…,
        and others' related outcomes), so it is made once per page depth and reused; and
        rendered once for every depth (list_item_parts), since only its link differs."""

        def make() -> Markup:
            parts = self.list_item_parts(fragment, facets)
            if len(parts) == 2:
                return Markup(parts[0] + escape(root) + parts[1])
            return self._render_list_item(fragment, root, facets)  # the mark was in the text too

        return self._list_items.get((fragment.fragment_id, root, facets), fragment, make)

    def list_items(self, fragments: Iterable[Fragment], root: str, facets: bool) -> Markup:
        """The list entries of `fragments`, each followed by a line break: a delete re-renders
        ~200 pages of 100 entries, and a template's loop over them (a call and an escape per
        entry) was ~5 % of the save's CPU."""
        entries = "\n".join([self.list_item(fragment, root, facets) for fragment in fragments])
        return Markup(entries + "\n" if entries else "")

    def list_item_parts(self, fragment: Fragment, facets: bool) -> tuple[str, ...]:
        """A fragment's list entry rendered with ROOT_MARK for its page's root, cut at the
        mark: the entry at any depth is the two parts joined by that depth's root (its link,
        `href`, is the only thing that reads the root). Where the mark is not there exactly
        once (a text that holds it), the entry is rendered for each depth instead."""

        def make() -> tuple[str, ...]:
            return tuple(self._render_list_item(fragment, ROOT_MARK, facets).split(ROOT_MARK))

        return self._list_item_parts.get((fragment.fragment_id, facets), fragment, make)

    def _render_list_item(self, fragment: Fragment, root: str, facets: bool) -> Markup:
        html = self._list_item_template.render(
            f=fragment,
            root=root,
            facets=facets,
            data=self.item_facets(fragment),
            meta=self.item_meta(fragment),
        )
        return Markup(html.rstrip("\n"))

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
            lambda: (
                front_matter_values(fragment, self.table, self.language),
                fragment_page(fragment, listings, self.table, self.t, self.language),
            ),
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
            listing.path, listing.fragments, lambda: form_of(self.t, self.table, self.tally(listing).options)
        )

    def tally(self, listing: Listing) -> Tally:
        """A listing's filter counts (pages/tally.py): counted, or the last ones brought up to date."""
        fragments = listing.fragments
        return self._tallies.update(
            listing.path,
            fragments,
            lambda: count(fragments, self.table, self.value_names),
            lambda _, last: last.updated(fragments, self.table, self.value_names),
        )

    def facet_keys(self, fragment: Fragment) -> FacetKeys:
        """The listings of each browse facet a fragment is on (indexes.facet_keys), in the site's language."""
        return self._facet_keys.get(
            fragment.fragment_id, fragment, lambda: facet_keys(fragment, self.table, self.language)
        )

    def filter_form_html(self, listing: Listing) -> Markup:
        """The filter's form of a listing (templates/_filter_form.md.j2), rendered once for all its pages."""
        facets = self.filter_form(listing)
        return self._filter_form_html.get(
            listing.path, facets, lambda: Markup(self._filter_form_template.render(facets=facets).rstrip("\n"))
        )

    def item_facets(self, fragment: Fragment) -> dict[str, str]:
        """A fragment's list entries' data-* attributes (filters.item_facets): one per page depth, the same values."""
        return self._item_facets.get(fragment.fragment_id, fragment, lambda: item_facets(fragment, self.table))

    def item_meta(self, fragment: Fragment) -> str:
        """The line under a fragment's title in its list entries and the filter list (filters.item_meta)."""
        return self._item_metas.get(fragment.fragment_id, fragment, lambda: item_meta(fragment, self.t, self.language))

    def value_names(self, fragment: Fragment) -> FragmentValueNames:
        """A fragment's values in each filter, with their names (filters.fragment_value_names)."""
        return self._value_names.get(
            fragment.fragment_id,
            fragment,
            lambda: fragment_value_names(fragment, self.table, self.t, self.language),
        )

    def render_listing(
        self, listing: Listing, title: str, parent: Listing | None = None, children: Iterable[Listing] = ()
    ) -> Iterator[Page]:
        """A listing's pages (generator/pages/paging.py): the first keeps the listing's path and title."""
        child_list = list(children)
        made = self._summaries.get(  # shown on its first page; made from the listing's outcomes only
            listing.path,
            (listing.kind, listing.fragments),
            lambda: summary(listing, self.t, self.table, self.language),
        )
        for page in listing_pages(listing):
            shown = made if page.number == 1 else None
            page_title = (
                title if page.number == 1 else self.t["page_title"].format(title=title, n=page.number, count=page.count)
            )
            yield self.render(
                "listing",
                page.path,
                page_title,
                shows=(self._listing_page_inputs(listing, page, parent, child_list), shown),
                listing=listing,
                page=page,
                summary=shown,
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
