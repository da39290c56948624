"""Long listings as static pages of PAGE_SIZE outcomes, linked by a pager.

One page of thousands of list items costs a phone seconds of style and layout; pages of
a hundred do not. Page 1 keeps the listing's own address (every link to a listing still
works); page n of `countries/mali.md` is `countries/mali/n.md`, and of a folder's
`index.md` (All outcomes) `fragments/page/n.md`. MkDocs turns these into addresses by its
own rules (generator/site_config.py Urls), with or without directory URLs. No fragment
slug, country slug… can take these paths: slugs never hold "/", and fragment pages only
fill `fragments/<slug>/index.html` (or `fragments/<slug>.html`).

Without JavaScript the pager's previous/next links reach every outcome; with it, the
filter (templates/assets/facets.js) covers every outcome of the listing at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Fragment
from generator.pages.indexes import Listing

PAGE_SIZE = 100
PAGER_NEIGHBOURS = 2  # page numbers shown either side of the current one


@dataclass(frozen=True)
class PagerLink:
    number: int
    path: str  # docs path
    current: bool


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing: which outcomes it shows and where it sits among the others."""

    listing: Listing
    number: int  # from 1
    count: int  # pages of the listing
    path: str  # docs path
    fragments: list[Fragment]
    first: int  # position in the listing of the first outcome shown, from 1

    @property
    def last(self) -> int:
        return self.first + len(self.fragments) - 1

    @property
    def paged(self) -> bool:
        return self.count > 1

    @property
    def previous_path(self) -> str | None:
        return page_path(self.listing.path, self.number - 1) if self.number > 1 else None

    @property
    def next_path(self) -> str | None:
        return page_path(self.listing.path, self.number + 1) if self.number < self.count else None

    def pager(self) -> list[PagerLink | None]:
        """The page links to show: the first, the last, and the current page's neighbours;
        None stands for the pages left out between them (previous and next reach them)."""
        wanted = {1, self.count, *range(self.number - PAGER_NEIGHBOURS, self.number + PAGER_NEIGHBOURS + 1)}
        shown: list[PagerLink | None] = []
        last_shown = 0
        for number in sorted(n for n in wanted if 1 <= n <= self.count):
            if last_shown and number > last_shown + 1:
                shown.append(None)
            shown.append(PagerLink(number, page_path(self.listing.path, number), number == self.number))
            last_shown = number
        return shown


def page_path(listing_path: str, number: int) -> str:
    """The docs path of page `number` of the listing at `listing_path`."""
    if number == 1:
        return listing_path
    folder, _, name = listing_path.rpartition("/")
    stem = name.removesuffix(".md")
    prefix = f"{folder}/" if folder else ""
    return f"{prefix}{'page' if stem == 'index' else stem}/{number}.md"


def listing_pages(listing: Listing, page_size: int = PAGE_SIZE) -> list[ListingPage]:
    """The listing cut into pages of page_size outcomes, in the listing's order (one page,
    possibly empty, when it is short)."""
    fragments = listing.fragments
    count = max(1, -(-len(fragments) // page_size))
    return [
        ListingPage(
            listing=listing,
            number=number,
            count=count,
            path=page_path(listing.path, number),
            fragments=fragments[(number - 1) * page_size : number * page_size],
            first=(number - 1) * page_size + 1,
        )
        for number in range(1, count + 1)
    ]
