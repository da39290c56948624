"""The site's search index: Pagefind, run on the built site after MkDocs.

Material's built-in search makes every visitor download and index the whole site
before the first result (45 s on an emulated slow phone at 5,000 fragments, see
bench/search_speed.py). Pagefind splits the index into small compressed chunks and
the browser fetches only those a query needs, once the search box gets focus.

Only fragment pages are indexed, and only their story: the page's <article>, minus
what the templates mark data-pagefind-ignore (links, Details, Related outcomes).
Filters come from data-pagefind-filter on fragment pages. Words are stemmed in the
language of <html lang> (theme.language). templates/assets/okb-search.js shows the
results in Material's own search box.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
from pathlib import Path

from generator.errors import BuildError

BUNDLE = "pagefind"
FRAGMENT_PAGES = "fragments/*/index.html"
SEARCH_SCRIPT = "assets/okb-search.js"  # templates/assets/okb-search.js, as built
# In the search script: where index_site() writes the index's languages.
INDEX_LANGUAGES_PLACEHOLDER = "null /* index languages: written by generator/search.py */"


async def _index(site_dir: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(root_selector="article", output_path=str(site_dir / BUNDLE))
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site_dir), glob=FRAGMENT_PAGES)
        return int(result.get("page_count", 0))


def _run(coroutine):
    """asyncio.run(), also when this thread already runs an event loop (e.g. Playwright's
    sync API in the same test session): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def index_site(site_dir: Path) -> int:
    """Write the Pagefind bundle into site_dir/pagefind/ and tell the search script about it;
    returns the number of pages indexed."""
    try:
        pages = _run(_index(site_dir.resolve()))
    except ImportError:
        raise BuildError("the search index needs Pagefind: pip install 'pagefind[bin]'") from None
    except Exception as error:  # the Pagefind service reports its failures as plain exceptions
        raise BuildError(f"Pagefind could not index the site: {error}") from None
    _tell_search_script(site_dir)
    return pages


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
