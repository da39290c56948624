"""Every generated page of the site, in order (render_site): the home page, the
dashboard, the Results Framework, the listings and section pages, then the fragment
pages, which are most of the work and are rendered on two processes (FragmentPages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from generator import folders, forking
from generator.model import Fragment
from generator.pages import crosstab, dashboard
from generator.pages.filters import FILTER_LIST_PATH, FragmentValueNames, filter_list
from generator.pages.indexes import Listing, SiteIndex, fragment_path
from generator.pages.paging import PAGE_SIZE
from generator.pages.renderer import Page, Renderer


@dataclass(frozen=True)
class Files:
    """Files made beside the pages (the open data), by docs path: render_site hands them on last."""

    files: dict[str, bytes]


@dataclass(frozen=True)
class Placed:
    """Pages the fragment pages' second process rendered and placed itself (`place`, given
    to render_site): each page's docs path and whether placing it wrote it (else it was there
    already, byte for byte), in place of their text."""

    placed: list[tuple[str, bool]]


# Places pages (their docs paths and bytes) where they go, in the process that rendered them:
# each path and whether it was written (publish/write.py, EarlyWrites.write).
Place = Callable[[list[tuple[str, bytes]]], list[tuple[str, bool]]]


def render_site(
    index: SiteIndex,
    renderer: Renderer,
    extra_pages: list[tuple[str, str, str]],
    processes: int = 2,
    beside: Callable[[], dict[str, bytes]] | None = None,
    place: Place | None = None,
) -> Iterator[Page | Files | Placed]:
    """Every generated page of the site, then what `beside` makes (Files). extra_pages:
    hand-written (path, title, the language it is written in where it is not the site's,
    else "") for the home page.
    processes: 1 when what the renderer makes is kept for the next generation (a preview): a
    page rendered in another process would be missing from them, and made again next time.

    The fragment pages, most of the work, are rendered on both cores (FragmentPages): a
    second process starts first, and this one joins it once the other pages are done. The
    process that first finds no share left makes the files `beside`; given `place`, each
    process places its fragment pages itself as it renders them (Placed)."""
    with FragmentPages(index, renderer, processes, beside, place) as fragment_pages:
        yield from _overview_pages(index, renderer, extra_pages)
        yield from _listing_pages(index, renderer)
        yield from fragment_pages.pages()
        if beside is not None:
            yield Files(fragment_pages.beside_files())


def _overview_pages(index: SiteIndex, renderer: Renderer, extra_pages: list[tuple[str, str, str]]) -> Iterator[Page]:
    """The home page, the dashboard, the cross-tabulations, the Results Framework, All outcomes and the section pages."""
    t = renderer.t  # titles in the site's language: a facet's plural is its title's label key
    # A facet without a tab has a section only when some outcome gives it a value (a tab's
    # section page is always there: the nav links to it).
    titled_sections = [
        (entry.facet.name, t[entry.facet.plural], entry.facet.folder)
        for entry in renderer.table.facets("browse")
        if entry.facet is not None and (entry.facet.tab or index.browse[entry.facet.name])
    ]
    home: dict[str, Any] = dict(
        sections=titled_sections,
        extra_pages=extra_pages,
        site=renderer.site,
        newest=index.fragments[:HOME_NEWEST],
        updated=last_updated(index),
        about=next((path for path, _, _ in extra_pages if path == folders.ABOUT), ""),
        country_map=dashboard.country_map(index, t),
    )
    yield renderer.render(
        "home",
        folders.HOME,
        renderer.site.name,  # site.yml's name (or mkdocs.yml's site_name): the header says the same
        index=index,
        shows=(_home_shows(index), home),
        **home,
    )
    yield renderer.render(
        "dashboard",
        dashboard.PAGE_PATH,
        t["dashboard"],
        charts=dashboard.charts(index, t, renderer.table),
        country_map=dashboard.country_map(index, t),
        total=len(index.fragments),
    )
    names_of = _each_once(index.fragments, renderer.value_names)
    yield renderer.render(
        "crosstabs",
        crosstab.PAGE_PATH,
        t["crosstabs"],
        tables=crosstab.crosstabs(index, t, renderer.table, renderer.language, names_of),
        timeline=crosstab.timeline(index, t, renderer.table, renderer.language, names_of),
        total=len(index.fragments),
    )
    yield renderer.render(
        "results_framework",
        folders.index_of(folders.RESULTS_FRAMEWORK),
        t["results_framework"],
        index=index,
        shows=_results_framework_shows(index),
    )
    yield from renderer.render_listing(
        Listing("all", "all", t["all_outcomes"], folders.ALL_OUTCOMES, index.fragments), t["all_outcomes"]
    )
    for name, title, folder in titled_sections:
        yield renderer.render("section", folders.index_of(folder), title, listings=index.browse[name])


HOME_NEWEST = 5  # the newest outcomes the home page lists


def _each_once(
    fragments: list[Fragment], value_names: Callable[[Fragment], FragmentValueNames]
) -> Callable[[Fragment], FragmentValueNames]:
    """value_names, asked once per outcome: the cross-tabulations and the timeline ask for an
    outcome's ~12 times, and the Renderer's answer is a look-up in its memo each time (~30,000
    a preview's save at 5,000). By object: these fragments are alive while the page is made."""
    names = {id(fragment): value_names(fragment) for fragment in fragments}

    def names_of(fragment: Fragment) -> FragmentValueNames:
        found = names.get(id(fragment))
        return found if found is not None else value_names(fragment)

    return names_of


# The home page and the Results Framework are given the whole index; what they show of it is a
# few counts and names. A preview compares what a page shows to know whether to render it again
# (Renderer.render's `shows=`): comparing the index instead looks inside every listing whenever
# nothing public changed (a held-back row deleted or added), all the way to the end.


def _home_shows(index: SiteIndex) -> object:
    """What templates/home.md.j2 shows of the index: counts (the rest of its context is compared whole)."""
    years = [listing for listing in index.browse.get("year", ()) if listing.key != "unknown"]
    return (
        len(index.fragments),
        len(index.browse.get("country", ())),
        len(years),
        len(index.outcomes),
        len(index.outputs),
    )


def _results_framework_shows(index: SiteIndex) -> object:
    """What templates/results_framework.md.j2 shows of the index: each outcome's and output's
    name, description, address and size, and the outcomes linked to none."""

    def shown(listing: Listing) -> tuple[object, ...]:
        return (listing.name, listing.description, listing.path, len(listing.fragments))

    outcomes = tuple((shown(outcome.listing), tuple(map(shown, outcome.outputs))) for outcome in index.outcomes)
    return (outcomes, index.not_linked.path, len(index.not_linked.fragments))


@dataclass(frozen=True)
class Updated:
    """The home page's "Last updated": the newest outcome's year and harvest period (as written)."""

    year: int
    harvest: str


def last_updated(index: SiteIndex) -> Updated | None:
    """When the data was last added to, from the data itself: the newest published outcome's
    year and harvest period (the fragments are newest first). Never the build's clock or a
    file's time, so building the same content again gives the same page; None without years."""
    newest = index.fragments[0] if index.fragments else None
    if newest is None or not newest.year:
        return None
    return Updated(newest.year, newest.harvest_period or "")


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
        builds_on=index.builds_on.get(fragment.fragment_id, []),
        led_to=index.led_to.get(fragment.fragment_id, []),
    )


FRAGMENT_SHARE = 64  # fragment pages a process takes at a time: small enough to end together


class FragmentPages:
    """The fragment pages, rendered by two processes that take shares of FRAGMENT_SHARE
    pages from a shared counter until none is left (so they end together whatever else
    each did first). The other process starts on entering; this one renders its shares
    when pages() is read, then receives the other's pages, all in the index's order.
    If the other process fails, this one renders its shares too (and raises what it raised).
    A forked process gets the index and the compiled templates for free; where there is no
    fork (forking.can_fork), everything is rendered here.

    beside: files made by the process that first finds no share left (the open data, ~5 % of
    the generator; one more turn after the last share), while the other ends its last share:
    both then end together. Made here where there is no other process, or it failed
    (beside_files). (Always the other process's until the build's process wrote its pages as
    it made them: then it was done first, and waited ~0.2-0.4 s for the open data.)

    place: each process places each share of its pages itself as soon as it is rendered
    (their bytes written where they go, on its own core); the other sends what `place` said
    of them (Placed), not their text. Pages of a share it did not finish are rendered here
    after it is done, as Pages."""

    def __init__(
        self,
        index: SiteIndex,
        renderer: Renderer,
        processes: int = 2,
        beside: Callable[[], dict[str, bytes]] | None = None,
        place: Place | None = None,
    ) -> None:
        self.index, self.renderer, self.beside, self.place = index, renderer, beside, place
        self.shares = (len(index.fragments) + FRAGMENT_SHARE - 1) // FRAGMENT_SHARE
        self.parallel = processes > 1 and self.shares > 1 and forking.can_fork()
        # The turn after the last share is the files `beside`: made by the process that first
        # finds no share left, while the other ends its last one.
        self._turns = forking.Turns(self.shares + 1) if self.parallel else None
        self._child: forking.Forked | None = None
        self._beside_files: dict[str, bytes] | None = None

    def __enter__(self) -> FragmentPages:
        if self.parallel:
            self._child = forking.start(self._render_in_child)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None:
            self._child.end(wait=0)

    def _take(self) -> int | None:
        """The next share nobody has taken, or None."""
        return self._turns.take() if self._turns is not None else None

    def _render_share(self, share: int) -> list[Page]:
        fragments = self.index.fragments[share * FRAGMENT_SHARE : (share + 1) * FRAGMENT_SHARE]
        return [fragment_page_of(self.index, self.renderer, fragment) for fragment in fragments]

    def _render_shares_left(self, rendered: dict[int, list[Page] | Placed]) -> bool:
        """The shares nobody has taken, each rendered (and placed, given `place`) in this
        process: placed as soon as rendered, in whichever process rendered it, so that no
        process writes its pages after the other is done (at 5,000 the build's process
        wrote its ~1,400 fragment pages alone, 0.5-2 s of system time with the other core idle).
        Into `rendered`, share by share: what was done before a failure is kept. Whether this
        process took the turn of the files `beside` (the one after the last share)."""
        while (share := self._take()) is not None:
            if share == self.shares:
                return True
            pages = self._render_share(share)
            rendered[share] = (
                Placed(self.place([(page.path, page.text.encode("utf-8")) for page in pages]))
                if self.place is not None
                else pages
            )
        return False

    def _render_in_child(self, connection: Connection) -> None:
        rendered: dict[int, list[Page] | Placed] = {}
        beside = None
        try:
            if self._render_shares_left(rendered) and self.beside is not None:
                beside = self.beside()
        except BaseException:
            # The parent makes again the shares not here, and raises what failed. A share
            # placed before the failure is sent as placed: its pages are where they go.
            pass
        connection.send((rendered, beside))  # once, at the end: a send waits for the parent to read
        connection.close()

    def beside_files(self) -> dict[str, bytes]:
        """What `beside` made (in the other process, when it could), once pages() is read."""
        if self._beside_files is None:
            self._beside_files = self.beside() if self.beside is not None else {}
        return self._beside_files

    def pages(self) -> Iterator[Page | Placed]:
        if not self.parallel:
            for fragment in self.index.fragments:
                yield fragment_page_of(self.index, self.renderer, fragment)
            return
        rendered: dict[int, list[Page] | Placed] = {}
        if self._render_shares_left(rendered):
            self._beside_files = self.beside() if self.beside is not None else {}
        try:
            from_child, beside = self._child.connection.recv() if self._child is not None else (None, None)
        except (EOFError, OSError):
            from_child, beside = None, None
        if beside is not None:
            self._beside_files = beside
        rendered.update(from_child or {})
        del from_child
        for share in range(self.shares):
            # Each share let go once handed on: the caller keeps the pages' bytes, not their text too.
            made = rendered.pop(share) if share in rendered else self._render_share(share)
            if isinstance(made, Placed):
                yield made
            else:
                yield from made
