"""The hand-written pages' names as published: the site's language chooses between
'about.md' and 'about.fr.md', and the redaction list's names are masked in every path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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


def _written_in(path: str) -> tuple[str, str] | None:
    """A page named for a language: 'about.fr.md' → ('about.md', 'fr'); None for any other name."""
    stem, _dot, suffix = path.rpartition(".")
    base, _, code = stem.rpartition(".")
    if suffix == "md" and base and len(code) == 2 and code.isalpha():
        return f"{base}.md", code.lower()
    return None


def pages_in_language(pages: dict[str, bytes], language: str) -> dict[str, bytes]:
    """Hand-written pages for a site in one language: 'about.fr.md' is published as 'about.md'
    on a French site (replacing 'about.md'), and left out on any other."""
    chosen: dict[str, bytes] = {}
    for path, data in pages.items():
        named = _written_in(path)
        if named is not None:
            if named[1] == language.split("-")[0].lower():
                chosen[named[0]] = data
            continue
        chosen.setdefault(path, data)
    return chosen


@dataclass(frozen=True)
class LanguagePages:
    """The hand-written pages of one language's tree of a site in several languages.

    pages: docs path → bytes; origins: docs path → the content path it was written as
    ('about.md' ← 'about.fr.md'); only_in: docs path → the language a page is written in, for
    a page with no twin in this tree's language (published as written, with a note)."""

    pages: dict[str, bytes]
    origins: dict[str, str]
    only_in: dict[str, str] = field(default_factory=dict)


def language_pages(pages: dict[str, bytes], language: str, languages: tuple[str, ...] = ()) -> LanguagePages:
    """Hand-written pages for `language`'s tree. A page is written once per language: 'x.md'
    in the site's first language and its twin 'x.fr.md' ('x.en.md' when French is first; 'x.md'
    is in the first language that has no named twin, so 'about.md' stays English beside
    'about.fr.md' whatever the order). Every tree publishes every page at the same path, so the
    language switch never leads nowhere: a page with no twin in a tree's language is published
    there as written (only_in). A page named for a language the site does not have is left out.
    A site in one language: pages_in_language()."""
    codes = [code.split("-")[0].lower() for code in languages]
    own = language.split("-")[0].lower()
    if len(codes) < 2 or own not in codes:
        alone = pages_in_language(pages, language)
        return LanguagePages(alone, {path: _origin(path, own, pages) for path in alone})
    written: dict[str, dict[str, str]] = {}  # docs path → language → content path
    plain: dict[str, str] = {}
    for path in pages:
        named = _written_in(path)
        if named is None:
            plain[path] = path
        elif named[1] in codes:
            written.setdefault(named[0], {})[named[1]] = path
    chosen: dict[str, bytes] = {}
    origins: dict[str, str] = {}
    only_in: dict[str, str] = {}
    for path in sorted({*plain, *written}):
        twins = dict(written.get(path, {}))
        if path in plain:
            unnamed = next((code for code in codes if code not in twins), None)
            if not path.endswith(".md"):  # an image, a file: the same in every language
                chosen[path], origins[path] = pages[path], path
                continue
            if unnamed is not None:
                twins[unnamed] = path
        if not twins:
            continue
        written_in = own if own in twins else next(code for code in codes if code in twins)
        chosen[path], origins[path] = pages[twins[written_in]], twins[written_in]
        if written_in != own:
            only_in[path] = written_in
    return LanguagePages(chosen, origins, only_in)


def _origin(path: str, language: str, pages: dict[str, bytes]) -> str:
    """The content path a page of a one-language site was written as."""
    if path.endswith(".md"):
        named = f"{path[: -len('.md')]}.{language}.md"
        if named in pages:
            return named
    return path


@dataclass(frozen=True)
class Untwinned:
    """A hand-written page of a site in several languages with no twin in some of them."""

    origin: str  # its content path, as written ('method.md')
    written_in: str  # its language
    missing: tuple[tuple[str, str], ...]  # each language without a twin, and the twin to write


def pages_without_twin(pages: dict[str, bytes], languages: tuple[str, ...]) -> list[Untwinned]:
    """The hand-written pages of a site in several languages that some language has no twin
    of, by content path, with the twins to write ('about.fr.md'), in the site's order of languages."""
    codes = [code.split("-")[0].lower() for code in languages]
    if len(codes) < 2:
        return []
    trees = {code: language_pages(pages, code, languages) for code in codes}
    found: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for language in codes:
        for path, written_in in trees[language].only_in.items():
            origin = trees[written_in].origins[path]
            twin = f"{path[: -len('.md')]}.{language}.md"
            found.setdefault(origin, (written_in, []))[1].append((language, twin))
    return [Untwinned(origin, written_in, tuple(missing)) for origin, (written_in, missing) in sorted(found.items())]
