"""The leak guard: the last check before a new site replaces the old one.

The gate holds confidential ("held-back") fragments back before anything is derived
from them, so nothing of theirs should reach the site. The guard checks that this held:
it reads every file the build produced (Markdown, HTML, open data, feed, sitemap,
Pagefind's compressed index) and every file and folder name, and reports any of:

- a run of SHINGLE (6) consecutive words of a held-back fragment's values that no
  public fragment's values (nor the editors' own text) contain;
- a short value (country, objective, type of change, Results Framework code…: a value
  of a field whose kind has short values, generator.fields.KINDS) or the ID of a
  held-back fragment that no public fragment has anywhere in its values and
  that the editors did not write themselves (allowed_text);
- a redacted phrase.

Everything is compared as folded words (generator.privacy.redact.words: case, accents, invisible
characters and punctuation do not matter). A file's text is decoded first: gzip (when
its bytes start with 1f 8b), JSON string escapes, HTML entities (repeatedly: the feed
escapes HTML that holds entities) and markup (tags are dropped, so that `<em>` inside a
sentence does not hide it; the values of attributes that hold text, such as `content`,
`title`, `alt` and `data-*`, are kept).

A Leak says where and what kind of thing leaked, never the text itself: the build
prints it, and the build's log may be public.

Speed: a 5,000-fragment site is ~90 MB and its docs folder ~30 MB, mostly the same theme
markup on every page. check_tree checks each distinct line once: a line already seen in an
earlier file was checked then, so only new lines are checked, each with enough of its
neighbours (at least SHINGLE - 1 words on each side) that a run crossing a line break is
still seen. What this misses: a run made only of lines that each appeared before in other
files, in a new order. A leak repeated in many files is named in the first one that holds it.

The build gives the site and the docs folder to one walk, check_tree(site, docs). The docs
folder is checked although the site is built from it: it is generated Markdown that can hold
what the HTML does not (front matter, comments, a page MkDocs leaves out of the site), and
it is what the repository publishes. In one walk the files MkDocs copied unchanged (open
data, feed) are read but not checked again, nor is any line the Markdown shares with the HTML.

Words are read in a few passes of C code (_WordReader: bytes.translate and split, each
distinct character outside ASCII folded once), giving exactly the words generator.privacy.redact.words
gives. check_tree shares the files between two processes on a machine with two cores (fork;
one process where there is no fork): the second process first reads the lines of the files
before its share, so both skip exactly the lines one process would, and the leaks are the same.
"""

from __future__ import annotations

import collections
import fnmatch
import gzip
import hashlib
import html
import operator
import os
import re
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

from generator import forking
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.privacy.redact import _fold_chars as fold_chars  # folds one character as words() does
from generator.privacy.redact import words

SHINGLE = 6  # words in a run that must not leak
MIN_CONTENT_CHARS = 4  # shorter facet values and IDs (and pure numbers) are looked for in names only

WORDS_FROM_HELD_BACK = "words from a held-back outcome"
HELD_BACK_ID = "the ID of a held-back outcome"
HELD_BACK_VALUE = "a value only held-back outcomes have"
REDACTED_NAME = "a redacted name"
IN_A_NAME = "in a file or folder name: "  # followed by one of the kinds above

# Files whose content is not read (their names still are), as fnmatch patterns on the path
# relative to the site ('*' also matches '/'). They cannot carry text from fragments:
# images and fonts; Pagefind's own program (pagefind*.js/.css, its WebAssembly); Material's
# theme assets, the same in every build. Pagefind's index (*.pf_*) and the site's own
# assets (assets/*.js, *.css written by the project) are read.
DEFAULT_SKIP: tuple[str, ...] = (
    "*.png", "*.jpg", "*.jpeg", "*.gif", "*.webp", "*.avif", "*.ico", "*.bmp",
    "*.woff", "*.woff2", "*.ttf", "*.otf", "*.eot", "*.wasm",
    "pagefind/wasm.*.pagefind", "pagefind/pagefind*.js", "pagefind/pagefind*.css",
    "assets/javascripts/*", "assets/stylesheets/*",
)  # fmt: skip

_GZIP_MAGIC = b"\x1f\x8b"
# Multi-valued fields (types of change, Results Framework links) list their values like this,
# as generator.normalise.fragments splits them.
_VALUE_SEPARATOR_RE = re.compile(r"[;,\n]|\s{2,}")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|\n")
_WHOLE_NUMBER_RE = re.compile(r"(\d+)\.0*")  # "2023.0", as spreadsheets write a year
_JSON_ESCAPE_RE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([\"\\/bfnrt]))")
_JSON_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": " ", "f": " ", "n": "\n", "r": " ", "t": " "}
# Markup is dropped (a tag can sit inside a sentence: "in <em>Mali</em> have"); the values
# of the attributes that hold text a reader or a search engine sees are kept, as more text.
# A tag starts with a letter, '/', '!' or '?': "a < b" in a text is no tag.
_TAG_RE = re.compile(r"<[A-Za-z/!?][^<>]*>")
_TEXT_ATTRIBUTE_RE = re.compile(
    r"""(?:content|title|alt|label|value|placeholder|data-[\w-]+)=(?:"([^"]*)"|'([^']*)')"""
)
# What markup holds besides text, read too: comments, and the addresses of links and
# resources (percent-decoded: a page address or a mailto: can carry a name or an ID).
_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.S)
_ADDRESS_ATTRIBUTE_RE = re.compile(r"""(?:href|src|srcset|action|poster|data)=(?:"([^"]*)"|'([^']*)')""")

Words = tuple[str, ...]
WordBytes = tuple[bytes, ...]  # folded words as UTF-8, as the checks compare them
T = TypeVar("T")


@dataclass(frozen=True)
class Leak:
    """Where something of a held-back fragment was found, and what kind of thing. Never the text."""

    path: str
    kind: str


# --- decoding a file into words -------------------------------------------------------------


def _json_unescaped(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code, 16)) if code else _JSON_SIMPLE_ESCAPES[match.group(2)]

    return _JSON_ESCAPE_RE.sub(replace, text)


def readable_text(text: str) -> str:
    """What a reader (or a search index) gets from text, not yet folded: escapes undone,
    markup dropped, the text of attributes appended."""
    if "\\" in text:
        text = _json_unescaped(text)
    for _ in range(3):  # HTML escaped inside XML or JSON is escaped twice
        if "&" not in text:
            break
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    if "<" in text:
        attributes = " ".join(" ".join(pair) for pair in _TEXT_ATTRIBUTE_RE.findall(text))
        comments = " ".join(_COMMENT_RE.findall(text))
        addresses = " ".join(unquote(" ".join(pair)) for pair in _ADDRESS_ATTRIBUTE_RE.findall(text))
        text = _TAG_RE.sub(" ", text) + " " + attributes + " " + comments + " " + addresses
    return text


def readable_words(text: str) -> list[str]:
    """The folded words a reader (or a search index) gets from text: escapes undone, markup dropped."""
    return words(readable_text(text))


# Bytes → the same bytes with ASCII letters lowered and every other byte a space: with
# bytes.split() after it, the words of folded ASCII text ([^\W_]+ is [a-z0-9]+ there).
_ASCII_WORD_BYTES = bytes(range(ord("0"), ord("9") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_TO_WORD_BYTES = bytes(
    byte + 32 if ord("A") <= byte <= ord("Z") else byte if byte in _ASCII_WORD_BYTES else ord(" ")
    for byte in range(256)
)
_ASCII_BYTES = bytes(range(128))


class _WordReader:
    """Folded words as UTF-8 bytes, the same as generator.privacy.redact.words gives, in a few passes
    of C code over the text instead of a regex and Unicode normalisation over all of it.

    Folding goes one character at a time (see generator.privacy.redact.fold), so the few distinct
    characters outside ASCII in a text are folded once each (and remembered) and put in
    place with bytes.replace; then one bytes.translate and bytes.split give the words.
    A text with a character that folds to a letter or digit outside ASCII ("ø", CJK) is
    folded the slow way, with generator.privacy.redact.words.
    """

    def __init__(self) -> None:
        # character → its folded form with non-word characters as spaces; None: not ASCII
        self._folds: dict[str, bytes | None] = {}

    def words(self, text: str) -> list[bytes]:
        if text.isascii():
            return text.encode("ascii").translate(_TO_WORD_BYTES).split()
        data = text.encode("utf-8", "surrogatepass")
        for char in set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")):
            folded = self._fold(char)
            if folded is None:
                return [word.encode("utf-8", "surrogatepass") for word in words(text)]
            data = data.replace(char.encode("utf-8", "surrogatepass"), folded)
        return data.translate(_TO_WORD_BYTES).split()

    def _fold(self, char: str) -> bytes | None:
        if char not in self._folds:
            folded = fold_chars(char)
            word_chars_outside_ascii = any(not part.isascii() and part.isalnum() for part in folded)
            spaced = "".join(part if part.isascii() else " " for part in folded)
            self._folds[char] = None if word_chars_outside_ascii else spaced.encode("ascii")
        return self._folds[char]

    def readable_words(self, data: bytes) -> list[bytes]:
        """The folded words of readable_text(data), as UTF-8 bytes."""
        return self.words(readable_text(data.decode("utf-8", "replace")))


def _decompressed(data: bytes) -> bytes:
    if data[:2] != _GZIP_MAGIC:
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return data  # not gzip after all: read as it is


class _SeenLines:
    """The lines of the files checked so far in one walk, and how many words each holds."""

    def __init__(self, reader: _WordReader) -> None:
        self.lines: set[bytes] = set()
        self._word_counts: dict[bytes, int] = {}
        self._reader = reader

    def word_count(self, line: bytes) -> int:
        # Context lines are mostly theme markup, the same in every page: counted once.
        count = self._word_counts.get(line)
        if count is None:
            count = self._word_counts[line] = len(self._reader.readable_words(line))
        return count


def _unseen_chunks(data: bytes, seen: _SeenLines | None) -> Iterator[bytes]:
    """The parts of data to check: all of it without `seen`, else the lines not seen yet
    (which are then added), each run with SHINGLE - 1 words of context on both sides."""
    if seen is None:
        yield data
        return
    lines = data.split(b"\n")
    unseen_at = list(compress(range(len(lines)), map(operator.not_, map(seen.lines.__contains__, lines))))
    seen.lines.update(lines)
    if len(unseen_at) == len(lines):
        yield data
        return
    for start, end in _with_context(lines, _runs(unseen_at), seen):
        yield b"\n".join(lines[start:end])


def _runs(indexes: list[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive indexes, as (first, last + 1)."""
    start = previous = -2
    for index in indexes:
        if index != previous + 1:
            if start >= 0:
                yield start, previous + 1
            start = index
        previous = index
    if start >= 0:
        yield start, previous + 1


def _with_context(lines: list[bytes], runs: Iterable[tuple[int, int]], seen: _SeenLines) -> Iterator[tuple[int, int]]:
    """Each run widened by lines holding at least SHINGLE - 1 words on each side; overlaps merged."""
    merged: tuple[int, int] | None = None
    for start, end in runs:
        start = _context_edge(lines, start - 1, -1, seen)
        end = _context_edge(lines, end, 1, seen)
        if merged and start <= merged[1]:
            merged = (merged[0], max(end, merged[1]))
            continue
        if merged:
            yield merged
        merged = (start, end)
    if merged:
        yield merged


def _context_edge(lines: list[bytes], index: int, step: int, seen: _SeenLines) -> int:
    """Going from lines[index] in direction step, where the context of SHINGLE - 1 words ends
    (the first line index outside the context when step is 1, the first inside when -1)."""
    found = 0
    while 0 <= index < len(lines) and found < SHINGLE - 1:
        found += seen.word_count(lines[index])
        index += step
    return index if step == 1 else index + 1


# --- what must not appear -------------------------------------------------------------------


def _shingles(value_words: Sequence[T]) -> Iterator[tuple[T, ...]]:
    return zip(*(value_words[i:] for i in range(SHINGLE)))


def _value_parts(text: str) -> Iterator[str]:
    """The values a facet field holds: each listed value, its code before a colon
    ("CIV: Less suppression…" → "CIV"), and a spreadsheet's "2023.0" as 2023."""
    for part in _VALUE_SEPARATOR_RE.split(text):
        part = part.strip()
        if not part:
            continue
        yield part
        code, colon, _ = part.partition(":")
        if colon and code.strip():
            yield code
        number = _WHOLE_NUMBER_RE.fullmatch(part)
        if number:
            yield number.group(1)


def _in_name_only(term: Words) -> bool:
    """Too short, or a number: in file contents it would be found by chance (in numbers,
    minified code), so it is looked for in file and folder names only."""
    return sum(map(len, term)) < MIN_CONTENT_CHARS or all(word.isdigit() for word in term)


class _PublicText:
    """Every word sequence of the public values and the editors' own text, to tell
    held-back-only values and runs from shared ones."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.shingles: set[Words] = set()
        self.word_counts: Counter[str] = Counter()
        lines: list[str] = []
        for text in texts:
            value_words = words(text)
            self.shingles.update(_shingles(value_words))
            self.word_counts.update(value_words)
            lines.append(" ".join(value_words))
        self._padded = " " + " \n ".join(lines) + " "

    def has(self, term: Words) -> bool:
        """Whether some public text holds term as whole words."""
        if not all(word in self.word_counts for word in term):
            return False  # the quick answer for IDs and most held-back-only values
        return f" {' '.join(term)} " in self._padded


# --- the guard ---------------------------------------------------------------------------------


class Guard:
    """Checks files and names for text that only held-back fragments contain. Build once per build.

    held_back, public: one mapping per fragment, field key → the field's text (raw is best:
    every value a public fragment has makes the check of held-back ones more precise).
    redacted: the phrases the redactor masks (each also with its words joined, as the
    redactor masks them: "aminadiallo" in a handle or an address). allowed_text: the
    site's own text (labels, scripts, the site's name): never a leak of a value, nor of a
    run of words.
    allowed_values_text: text the editors wrote (hand-written pages, Results Framework
    labels): a value or an ID it names is not a leak, but six words of a held-back story
    copied into it are. fields: the table whose kinds say which fields hold short values
    and which one the ID.
    """

    def __init__(
        self,
        held_back: Iterable[Mapping[str, str]],
        public: Iterable[Mapping[str, str]],
        redacted: Iterable[str],
        allowed_text: Iterable[str] = (),
        allowed_values_text: Iterable[str] = (),
        fields: FieldTable = DEFAULT_TABLE,
    ) -> None:
        # The short values to look for, and the ID, by the fields' kinds (generator.fields.KINDS).
        facet_fields = frozenset(fields.short_value_fields)
        id_field = fields.id_field
        held_back = list(held_back)
        allowed_text = list(allowed_text)
        public_text = [text for fragment in public for text in fragment.values()] + allowed_text
        shared = _PublicText(public_text)
        runs = self._held_back_runs(held_back, facet_fields, id_field) - shared.shingles
        editors_text = list(allowed_values_text)
        if editors_text:
            shared = _PublicText(public_text + editors_text)
        terms = self._held_back_terms(held_back, facet_fields, id_field, shared)
        for phrase in redacted:
            term = tuple(words(phrase))
            if term:
                terms[term] = REDACTED_NAME
            if len(term) > 1:  # its words joined, as in a handle or an address: "aminadiallo"
                terms[("".join(term),)] = REDACTED_NAME
        content_terms = {term: kind for term, kind in terms.items() if kind == REDACTED_NAME or not _in_name_only(term)}
        self._shingles = {_encoded(run) for run in runs}
        self._name_terms = {_encoded(term): kind for term, kind in terms.items()}
        self._content_terms = {_encoded(term) for term in content_terms}
        self._name_term_lengths = sorted({len(term) for term in terms})
        self._anchored = self._by_anchor(content_terms, shared.word_counts)
        self._reader = _WordReader()

    @staticmethod
    def _held_back_runs(held_back: list[Mapping[str, str]], facet_fields: Collection[str], id_field: str) -> set[Words]:
        """Every run of SHINGLE words within a sentence of a held-back fragment's free text.

        Facet values are lists of labels, checked as values: their runs would be
        combinations of labels that public fragments have too, in another order. Runs
        across a sentence end are left out: the end of one public field and the start of
        the next, side by side in a page or the CSV, make such runs by chance.
        """
        runs: set[Words] = set()
        for fragment in held_back:
            for key, text in fragment.items():
                if key != id_field and key not in facet_fields:
                    for sentence in _SENTENCE_END_RE.split(text):
                        runs.update(_shingles(words(sentence)))
        return runs

    @staticmethod
    def _held_back_terms(
        held_back: list[Mapping[str, str]], facet_fields: Collection[str], id_field: str, shared: _PublicText
    ) -> dict[Words, str]:
        """Folded facet values and IDs of held-back fragments that nothing public has → kind."""
        terms: dict[Words, str] = {}
        for fragment in held_back:
            for key, text in fragment.items():
                if key == id_field:
                    terms[tuple(words(text))] = HELD_BACK_ID
                elif key in facet_fields:
                    for part in _value_parts(text):
                        terms.setdefault(tuple(words(part)), HELD_BACK_VALUE)
        return {term: kind for term, kind in terms.items() if term and not shared.has(term)}

    @staticmethod
    def _by_anchor(terms: dict[Words, str], counts: Counter[str]) -> dict[bytes, list[tuple[WordBytes, str]]]:
        """Terms looked for in file contents, by their rarest word in public text: a file whose
        words include no anchor holds none of them, which one set operation tells."""
        anchored: dict[bytes, list[tuple[WordBytes, str]]] = {}
        for term, kind in terms.items():
            anchor = _rarest(term, counts).encode("utf-8", "surrogatepass")
            anchored.setdefault(anchor, []).append((_encoded(term), kind))
        return anchored

    # --- checking --------------------------------------------------------------------------

    def _kinds_in_words(self, found: list[bytes]) -> list[str]:
        """The kinds of leak among found (a text's folded words), each once, in a fixed order."""
        kinds: list[str] = []
        if self._has_held_back_run(found):
            kinds.append(WORDS_FROM_HELD_BACK)
        # A term's anchor is its rarest word in public text: most texts hold no anchor, which
        # isdisjoint tells without building a set. (The rarest word of each run was tried as
        # such a filter and let 98% of a site's words through: most runs are of words that
        # public text has too, only not in that order.)
        if not self._anchored.keys().isdisjoint(found):
            anchors = self._anchored.keys() & set(found)
            padded = b" " + b" ".join(found) + b" "
            for anchor in sorted(anchors):
                for term, kind in self._anchored[anchor]:
                    if kind not in kinds and b" " + b" ".join(term) + b" " in padded:
                        kinds.append(kind)
        return kinds

    def _has_held_back_run(self, found: list[bytes]) -> bool:
        return len(found) >= SHINGLE and not self._shingles.isdisjoint(_shingles(found))

    def _content_leaks(self, path: str, data: bytes, seen: _SeenLines | None) -> list[Leak]:
        kinds: list[str] = []
        for chunk in _unseen_chunks(_decompressed(data), seen):
            for kind in self._kinds_in_words(self._reader.readable_words(chunk)):
                if kind not in kinds:
                    kinds.append(kind)
        return [Leak(path, kind) for kind in kinds]

    def _name_leaks(self, path: str, name: str) -> list[Leak]:
        """Leaks in one file or folder name, compared as slugs (a-z0-9 runs joined by '-')."""
        name_words = self._reader.words(name)
        stem_words = self._reader.words(name.rsplit(".", 1)[0]) if "." in name else name_words
        kinds = [WORDS_FROM_HELD_BACK] if self._has_held_back_run(name_words) else []
        for term in self._terms_in_name(name_words, stem_words):
            kind = self._name_terms[term]
            if kind not in kinds:
                kinds.append(kind)
        return [Leak(path, IN_A_NAME + kind) for kind in kinds]

    def _terms_in_name(self, name_words: list[bytes], stem_words: list[bytes]) -> Iterator[WordBytes]:
        """Terms that are the whole name (or its stem), or whole words of it: redacted phrases
        and terms long enough to be looked for in contents."""
        for whole in (tuple(name_words), tuple(stem_words)):
            if whole in self._name_terms:
                yield whole
        for length in self._name_term_lengths:
            for start in range(len(name_words) - length + 1):
                part = tuple(name_words[start : start + length])
                if part in self._content_terms:
                    yield part

    def check_file(self, path: str, data: bytes, skip: Collection[str] = DEFAULT_SKIP) -> list[Leak]:
        """Leaks in one file (path relative to the site, POSIX): its content, unless skip
        matches the path, and every part of its path."""
        leaks: list[Leak] = []
        for name in path.split("/"):
            leaks += [leak for leak in self._name_leaks(path, name) if leak not in leaks]
        if not _skipper(skip)(path):
            leaks += self._content_leaks(path, data, None)
        return leaks

    def check_tree(
        self, root: Path, *more_roots: Path, skip: Collection[str] = DEFAULT_SKIP, processes: int | None = None
    ) -> list[Leak]:
        """Leaks in every file and folder under root (then under each of more_roots), by path
        relative to its root (POSIX), in walking order (folders sorted). Symbolic links are
        neither followed nor read.

        All the roots share what has been checked: give the docs folder after the site
        (check_tree(site, docs)) and the files MkDocs copied unchanged (open data, feed)
        are checked once, as is every line the Markdown shares with the HTML.

        processes: how many processes share the work (see _check_in_parallel); None: two
        when the machine has two cores, the files are big enough to pay for starting a
        process, and fork is available. The result is the same however many there are.
        """
        entries = [entry for top in (root, *more_roots) for entry in _walk(top, _skipper(skip))]
        count = processes if processes is not None else _default_processes(entries)
        if count > 1 and forking.can_fork():
            return _check_in_parallel(self, _blocks(entries, count))
        return self._check_entries(entries, _SeenLines(self._reader))

    def _check_entries(self, entries: Iterable[_Entry], seen: _SeenLines) -> list[Leak]:
        """The leaks in the names and contents of entries, in their order; seen: the lines
        checked before (of the entries before them in the walk)."""
        leaks: list[Leak] = []
        for entry in entries:
            leaks += self._name_leaks(entry.path, entry.name)
            if entry.read:
                with open(entry.full, "rb") as handle:
                    leaks += self._content_leaks(entry.path, handle.read(), seen)
        return leaks


@dataclass(frozen=True)
class _Entry:
    """A file or folder of a walk: its name is checked, and its content when read is true."""

    path: str  # relative to the walk's root, POSIX
    name: str
    full: str  # the path to open
    read: bool = False  # a file not skipped, not a symbolic link
    size: int = 0  # bytes to read


def _walk(root: Path, skipped: Callable[[str], object], prefix: str = "") -> Iterator[_Entry]:
    """Every folder and file under root in the order os.walk (top-down, folders sorted) and
    check_tree have always reported them: a folder's subfolders, then its files, then what
    each subfolder holds. Links to folders are listed, not entered."""
    folders: list[os.DirEntry[str]] = []
    files: list[os.DirEntry[str]] = []
    try:
        with os.scandir(root) as listing:
            for item in listing:
                (folders if item.is_dir() else files).append(item)
    except OSError:
        return  # as os.walk: a folder that cannot be listed holds nothing
    folders.sort(key=lambda item: item.name)
    files.sort(key=lambda item: item.name)
    for item in folders:
        yield _Entry(prefix + item.name, item.name, item.path)
    for item in files:
        path = prefix + item.name
        read = not skipped(path) and not item.is_symlink()
        yield _Entry(path, item.name, item.path, read, item.stat(follow_symlinks=False).st_size if read else 0)
    for item in folders:
        if not item.is_symlink():
            yield from _walk(Path(item.path), skipped, prefix + item.name + "/")


# --- sharing the work between processes -----------------------------------------------------

# Below this many bytes to read, starting a second process costs more than it saves.
PARALLEL_MIN_BYTES = 8_000_000
# The blocks after the first also read the files before them (to know their lines): they
# get less to check. Tuned on a 5,000-fragment site and docs folder.
LATER_BLOCK_SHARE = 0.95


def _default_processes(entries: list[_Entry]) -> int:
    if sum(entry.size for entry in entries) < PARALLEL_MIN_BYTES:
        return 1
    return min(2, os.cpu_count() or 1)


def _blocks(entries: list[_Entry], count: int) -> list[list[_Entry]]:
    """entries cut into count consecutive blocks, the later ones with fewer bytes to read."""
    weights = [1.0] + [LATER_BLOCK_SHARE] * (count - 1)
    total = sum(entry.size for entry in entries)
    blocks: list[list[_Entry]] = [[] for _ in range(count)]
    block, filled, target = 0, 0, total * weights[0] / sum(weights)
    for entry in entries:
        if filled >= target and block < count - 1:
            block += 1
            target += total * weights[block] / sum(weights)
        blocks[block].append(entry)
        filled += entry.size
    return blocks


def _check_in_parallel(guard: Guard, blocks: list[list[_Entry]]) -> list[Leak]:
    """The leaks of check_tree, the blocks checked side by side: block 0 in this process,
    each other one in a forked child, which first reads the files of the blocks before it
    to know their lines. So every process skips the same lines as one process would, and
    the leaks, put together in block order, are the same. A child that fails is redone here."""
    children = [forking.start(_child, guard, blocks[:index], blocks[index]) for index in range(1, len(blocks))]
    leaks = guard._check_entries(blocks[0], _SeenLines(guard._reader))
    for index, child in enumerate(children, start=1):
        try:
            found: list[Leak] | None = child.connection.recv()
        except (EOFError, OSError):
            found = None
        child.process.join()
        if found is None:
            found = guard._check_entries(blocks[index], _seen_after(guard, blocks[:index]))
        leaks += found
    return leaks


def _child(guard: Guard, before: list[list[_Entry]], block: list[_Entry], sender: Connection) -> None:
    try:
        sender.send(guard._check_entries(block, _seen_after(guard, before)))
    except BaseException:
        sender.send(None)  # the parent checks the block itself
        raise
    finally:
        sender.close()


def _seen_after(guard: Guard, blocks: list[list[_Entry]]) -> _SeenLines:
    """The lines check_tree has seen once it has checked the files of blocks."""
    seen = _SeenLines(guard._reader)
    for block in blocks:
        for entry in block:
            if entry.read:
                with open(entry.full, "rb") as handle:
                    seen.lines.update(_decompressed(handle.read()).split(b"\n"))
    return seen


def _encoded(term: Words) -> WordBytes:
    return tuple(word.encode("utf-8", "surrogatepass") for word in term)


def _rarest(term: Words, counts: Counter[str]) -> str:
    """The word of term that public text has least often (the longest of those)."""
    return min(term, key=lambda word: (counts[word], -len(word)))


def _skipper(patterns: Collection[str]) -> Callable[[str], object]:
    """A test of whether a path matches one of the fnmatch patterns, one regex for all."""
    if not patterns:
        return lambda path: False
    return re.compile("|".join(fnmatch.translate(pattern) for pattern in patterns)).match


class _ChecksOfABuild:
    """The guard's checks of one build in the guard's process, sharing the lines seen: the
    docs folder, then each page as MkDocs produces it, then whatever else the finished site
    holds. A page checked as produced is remembered by its bytes' digest; the site's walk
    checks every name, and the content of every file that is not exactly such a page (a
    plugin that changed a page after it was produced, the sitemap, assets, search index)."""

    def __init__(self, guard: Guard, skip: Collection[str] = DEFAULT_SKIP) -> None:
        self.guard = guard
        self.skipped = _skipper(skip)
        self.seen = _SeenLines(guard._reader)
        self.leaks: list[Leak] = []
        self.produced: dict[str, bytes] = {}  # path in the site → digest of the bytes checked

    def folder(self, root: Path, between: Callable[[], None] = lambda: None) -> None:
        """Every file and folder under root; between() is called before each."""
        self.leaks += self.guard._check_entries(_calling_between(_walk(root, self.skipped), between), self.seen)

    def page(self, path: str, data: bytes) -> None:
        if not self.skipped(path):
            self.leaks += self.guard._content_leaks(path, data, self.seen)
        self.produced[path] = _digest(data)

    def site(self, root: Path) -> None:
        self.leaks += self.guard._check_entries(map(self._unless_checked, _walk(root, self.skipped)), self.seen)

    def _unless_checked(self, entry: _Entry) -> _Entry:
        """The entry, its content not to be read again when it is a page checked as produced."""
        digest = self.produced.get(entry.path)
        if entry.read and digest is not None and _file_digest(entry.full) == digest:
            return _Entry(entry.path, entry.name, entry.full)
        return entry


def _calling_between(entries: Iterable[_Entry], between: Callable[[], None]) -> Iterator[_Entry]:
    for entry in entries:
        between()
        yield entry


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _file_digest(path: str) -> bytes:
    with open(path, "rb") as handle:
        return _digest(handle.read())


class GuardProcess:
    """The guard of a build, in a forked process: it is made and reads `first` (the docs
    folder, final before MkDocs starts) while the build goes on, MkDocs using one core;
    page(path, data) hands it each page as MkDocs produces it (checked there at once);
    check(later) hands it the finished site, where it checks every name and every file
    that is not a page it checked (or no longer has the bytes it checked), and returns
    every leak found, `first`'s first. Without fork (Windows) all of it runs in check()."""

    def __init__(self, make_guard: Callable[[], Guard], first: Path) -> None:
        self._make_guard, self._first = make_guard, first
        self._child: forking.Forked | None = None
        self._connection: Connection | None = None
        if forking.can_fork():
            # Not a daemon: it may share the site's check with a child of its own. It ends
            # when this process does (its pipe closes) if check() is never called.
            self._child = forking.start(_guard_child, make_guard, first, duplex=True, daemon=False)
            self._connection = self._child.connection

    def page(self, path: str, data: bytes) -> None:
        """A file of the site as it is produced (path relative to the site, POSIX; its bytes
        as they will be written). Without a guard process, nothing: check() reads the file."""
        if self._connection is None:
            return
        try:
            self._connection.send(("page", path, data))
        except OSError:  # the process is gone: check() checks everything here
            self._connection.close()
            self._connection = None

    def check(self, later: Path) -> list[Leak]:
        found: list[Leak] | None = None
        if self._child is not None and self._connection is not None:
            try:
                self._connection.send(("site", str(later), b""))
                found = self._connection.recv()
            except (EOFError, OSError):
                found = None
        if self._child is not None:
            self._child.process.join()
        if found is None:  # no fork, or the child failed: here, then
            guard = self._make_guard()
            found = guard.check_tree(self._first, processes=1) + guard.check_tree(later)
        return found

    def close(self, at_once: bool = False) -> None:
        """End the child if the build stopped before check(): it would wait for a site forever.
        at_once: the build failed or was stopped, so the child's work is of no use: it is
        ended now rather than when it has read the docs folder."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._child is not None:
            self._child.end(wait=0 if at_once else 10)
            self._child = None

    def __enter__(self) -> GuardProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(at_once=exc_type is not None)


# What the build tells the guard's process: ("page", path in the site, its bytes) for each
# page MkDocs produces, then ("site", the finished site's folder, b"").
_Message = tuple[str, str, bytes]


def _guard_child(make_guard: Callable[[], Guard], first: Path, connection: Connection) -> None:
    """The guard's process: the docs folder first, then the pages, then the site. Pages
    that come while the docs folder is checked are taken in between two of its files, so
    that MkDocs does not wait long on a full pipe. (No thread to take them in: a thread gets
    the interpreter only between the checker's 5 ms turns; handing the pages over costs
    MkDocs ~0.5 s of wall at 5,000 fragments either way.)"""
    inbox = _Inbox(connection)
    try:
        checks = _ChecksOfABuild(make_guard())
        checks.folder(first, between=inbox.take_waiting)
        while (message := inbox.next()) is not None:
            kind, path, data = message
            if kind == "page":
                checks.page(path, data)
                continue
            checks.site(Path(path))
            connection.send(checks.leaks)
            break
    except BaseException:
        connection.send(None)  # the parent checks everything itself
        raise
    finally:
        connection.close()


class _Inbox:
    """The build's messages to the guard's process, in order; None once the build has ended
    without sending its site (its end of the pipe closed)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._waiting: collections.deque[_Message | None] = collections.deque()

    def take_waiting(self) -> None:
        """Take in what has come, without waiting."""
        while (not self._waiting or self._waiting[-1] is not None) and self._connection.poll():
            self._waiting.append(self._receive())

    def next(self) -> _Message | None:
        if self._waiting:
            return self._waiting.popleft()
        return self._receive()

    def _receive(self) -> _Message | None:
        try:
            message: _Message = self._connection.recv()
        except (EOFError, OSError):
            return None
        return message
