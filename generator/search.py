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
from typing import Any, Mapping

from generator.errors import BuildError

BUNDLE = "pagefind"
FRAGMENT_PAGES = "fragments/*/index.html"
SEARCH_SCRIPT = "assets/okb-search.js"  # templates/assets/okb-search.js, as built
# In the search script: where index_site() writes the index's languages.
INDEX_LANGUAGES_PLACEHOLDER = "null /* index languages: written by generator/search.py */"
# In the search script: where search_script() writes the search_ labels of templates/labels.yml.
SEARCH_LABELS_PLACEHOLDER = "null /* search labels: written by the generator */"
SEARCH_LABEL_PREFIX = "search_"


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


def search_script(source: str, labels: Mapping[str, Any]) -> str:
    """The search script (templates/assets/okb-search.js) with its interface text written in:
    the search_ labels of `labels` (templates/labels.yml in the site's language, as
    load_labels() gives them), as a JSON object, in place of SEARCH_LABELS_PLACEHOLDER.

    The object also holds "facets": each filter's name in the index → its label key, for
    the filters that have their own "all" text (search_all_country → labels["country"],
    the name fragment pages give the filter, templates/fragment.md.j2), so that the script
    can say "Pays : tous" but "Année : toutes". Raises BuildError if the placeholder is
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
        str(labels[key[len(all_prefix):]]): key[len(all_prefix):]
        for key in strings
        if key.startswith(all_prefix) and key[len(all_prefix):] in labels
    }
    data = json.dumps(strings, ensure_ascii=False, sort_keys=True)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # U+2028/2029 are line ends in older JavaScript string literals.
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return source.replace(SEARCH_LABELS_PLACEHOLDER, data, 1)
