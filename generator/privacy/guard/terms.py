"""What must not appear in the site, built from the fragments: the runs of SHINGLE words of
held-back free text that no public text has, the held-back IDs and short values (facet
values) that nothing public has, and the redacted phrases; and what a find is reported as
(a Leak: where and what kind of thing, never the text).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator.privacy.redact import words

SHINGLE = 6  # words in a run that must not leak
MIN_CONTENT_CHARS = 4  # shorter facet values and IDs (and pure numbers) are looked for in names only

WORDS_FROM_HELD_BACK = "words from a held-back outcome"
HELD_BACK_ID = "the ID of a held-back outcome"
HELD_BACK_VALUE = "a value only held-back outcomes have"
REDACTED_NAME = "a redacted name"
IN_A_NAME = "in a file or folder name: "  # followed by one of the kinds above

# Multi-valued fields (types of change, Results Framework links) list their values like this,
# as generator.normalise.fragments splits them.
_VALUE_SEPARATOR_RE = re.compile(r"[;,\n]|\s{2,}")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|\n")
_WHOLE_NUMBER_RE = re.compile(r"(\d+)\.0*")  # "2023.0", as spreadsheets write a year

Words = tuple[str, ...]
WordBytes = tuple[bytes, ...]  # folded words as UTF-8, as the checks compare them
T = TypeVar("T")


@dataclass(frozen=True)
class Leak:
    """Where something of a held-back fragment was found, and what kind of thing. Never the text."""

    path: str
    kind: str


def shingles(value_words: Sequence[T]) -> Iterator[tuple[T, ...]]:
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


def in_name_only(term: Words) -> bool:
    """Too short, or a number: in file contents it would be found by chance (in numbers,
    minified code), so it is looked for in file and folder names only."""
    return sum(map(len, term)) < MIN_CONTENT_CHARS or all(word.isdigit() for word in term)


class PublicText:
    """Every word sequence of the public values and the editors' own text, to tell
    held-back-only values and runs from shared ones."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.shingles: set[Words] = set()
        self.word_counts: Counter[str] = Counter()
        self._lines: list[str] = []
        self._padded = "  "
        self.add(texts)

    def add(self, texts: Iterable[str]) -> None:
        """More public text: the same as if it had been given first, without folding again
        what was (the guard adds the editors' own text after the fragments': ~0.3 s at 5,000)."""
        for text in texts:
            value_words = words(text)
            self.shingles.update(shingles(value_words))
            self.word_counts.update(value_words)
            self._lines.append(" ".join(value_words))
        self._padded = " " + " \n ".join(self._lines) + " "

    def has(self, term: Words) -> bool:
        """Whether some public text holds term as whole words."""
        if not all(word in self.word_counts for word in term):
            return False  # the quick answer for IDs and most held-back-only values
        return f" {' '.join(term)} " in self._padded


def held_back_runs(held_back: list[Mapping[str, str]], facet_fields: Collection[str], id_field: str) -> set[Words]:
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
                    runs.update(shingles(words(sentence)))
    return runs


def held_back_terms(
    held_back: list[Mapping[str, str]], facet_fields: Collection[str], id_field: str, shared: PublicText
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


def by_anchor(terms: dict[Words, str], counts: Counter[str]) -> dict[bytes, list[tuple[WordBytes, str]]]:
    """Terms looked for in file contents, by their rarest word in public text: a file whose
    words include no anchor holds none of them, which one set operation tells."""
    anchored: dict[bytes, list[tuple[WordBytes, str]]] = {}
    for term, kind in terms.items():
        anchor = _rarest(term, counts).encode("utf-8", "surrogatepass")
        anchored.setdefault(anchor, []).append((encoded(term), kind))
    return anchored


def encoded(term: Words) -> WordBytes:
    return tuple(word.encode("utf-8", "surrogatepass") for word in term)


def _rarest(term: Words, counts: Counter[str]) -> str:
    """The word of term that public text has least often (the longest of those)."""
    return min(term, key=lambda word: (counts[word], -len(word)))
