"""The hand-written pages' names as published: the site's language chooses between
'about.md' and 'about.fr.md', and the redaction list's names are masked in every path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.errors import InputError, Location
from generator.privacy.redact import Redactor

PATH_MASK = "redacted"  # a redacted name in a file or folder name: no brackets in an address


def redacted_pages(
    pages: dict[str, bytes], sources: dict[str, Path], phrases: Iterable[str]
) -> tuple[dict[str, bytes], dict[str, Path]]:
    """The hand-written pages under names with the listed names masked in every folder and
    file name ('people/Amina-Diallo.md' → 'people/redacted.md'): a page's name is its
    address on the site, in the nav and in the sitemap. Two pages that would take one name
    stop the build. Their text is masked apart (publish/generate.py, _redacted_page)."""
    masker, in_messages = Redactor(phrases, mask=PATH_MASK), Redactor(phrases)
    if masker.empty:
        return pages, sources
    masked_pages: dict[str, bytes] = {}
    masked_sources: dict[str, Path] = {}
    for path, data in pages.items():
        masked = "/".join(masker(part) for part in path.split("/"))
        source = Path(in_messages(str(sources[path])))  # for messages only: the file is not opened again
        if masked in masked_pages:
            raise InputError(
                Location(str(source)),
                "once the names of the redaction list are masked in file names, this page and another one "
                f"would both be published as '{masked}'",
                hint="rename one of them; keep names of people out of file and folder names",
            )
        masked_pages[masked], masked_sources[masked] = data, source
    return masked_pages, masked_sources


def pages_in_language(pages: dict[str, bytes], language: str) -> dict[str, bytes]:
    """Hand-written pages for the site's language: 'about.fr.md' is published as 'about.md'
    on a French site (replacing 'about.md'), and left out on any other."""
    chosen: dict[str, bytes] = {}
    for path, data in pages.items():
        stem, _dot, suffix = path.rpartition(".")
        base, _, code = stem.rpartition(".")
        if suffix == "md" and base and len(code) == 2 and code.isalpha():
            if code.lower() == language.split("-")[0].lower():
                chosen[f"{base}.md"] = data
            continue
        chosen.setdefault(path, data)
    return chosen
