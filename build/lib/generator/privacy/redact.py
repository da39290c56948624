"""Redaction that holds: names and phrases are masked however they are written.

Matching happens on a *folded* form of both the phrase and the text, made by the one
folding function of the project (`fold_text`, `fold`, `words`), which the leak guard and
column-name matching use too:

- compatibility normalisation and case folding (NFKD, casefold, NFKD: "ﬁ", full-width
  letters, "Straße" → "strasse"), then marks dropped (accents: "é" → "e", "İ" → "i");
- zero-width and other invisible format characters (U+200B-U+200D, U+2060, U+FEFF, soft
  hyphen U+00AD, bidi marks…) dropped;
- Latin letters that do not decompose transliterated ("Ł ł" → "l", "ø" → "o", "ı" → "i",
  "đ" → "d", "æ" → "ae", "œ" → "oe", "þ" → "th") with anyascii;
- look-alike letters of other cased alphabets (Cyrillic, Greek, Armenian, Cherokee…) turned
  into their Latin twin (a Cyrillic "а" or "О" inside a Latin name → "a", "o"), from
  Unicode's confusables data as the confusable-homoglyphs package ships it;
- every run of whitespace or of the separators that URLs, IDs and e-mail addresses use
  (`-`, `_`, `.`, `+`, `%20`, Unicode dashes) turned into one space.

Letters of other scripts are kept as they are (never dropped, never transliterated), so a
Cyrillic or Arabic word is matched by the same word and cannot turn into a Latin one that
happens to contain a listed name. Only Latin letters are transliterated, and only letters of
cased alphabets are mapped to Latin twins (Arabic, Hebrew and CJK letters never are).

So "John Doe" is masked in "JOHN  DOE", "john-doe", "John_Doe", "john.doe@x.org",
"John%20Doe" and "HRD-John-Doe-7", "Łukasz" in "Lukasz", and a name of several words also
when they are joined: "AminaDiallo", "@aminadiallo", "/people/aminadiallo/". A match must
begin and end at a word boundary ("Ali" never masks "Mali" or "Alice"), in any script.
Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Burmese)
have a boundary at every one of their letters, or a name in them could never be found. What
is replaced is the span of the ORIGINAL text that the folded match came from, so accents,
no-break spaces and invisible characters inside it go too.

Why anyascii rather than Unidecode: anyascii is ISC-licensed (Unidecode is GPL, which would
bind the project's own licence), maintained (release 2025), covers more of Unicode (every
Latin letter of Unicode 16 the project needs here), and is one table lookup per character;
it is only ever asked about the few distinct Latin letters that do not decompose, once each.
Why confusable-homoglyphs: it ships Unicode's own confusables.txt as data (MIT licence), with
no code of its own on the hot path; `confusables` (last release 2021) rebuilds its own
mapping with regex machinery, and the homoglyphs packages carry a hand-made subset.

Pure functions and one small class; nothing here reads files or keeps state beyond the
memoised tables, built once on first use.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from importlib import resources

from anyascii import anyascii

MASK = "[redacted]"

# Code points searched for marks and invisible format characters: planes 0 and 1
# (plane 2 and 3 are CJK ideographs only) and the tags/variation-selector block of plane 14.
_SCANNED_CODE_POINTS = (range(0x20000), range(0xE0000, 0xE1000))
# Dropped when folding: nonspacing and enclosing marks (accents once NFKD has split them
# off) and format characters (zero-width space/joiners, word joiner, BOM, soft hyphen,
# bidi marks), which are invisible and so can hide inside a name.
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


def _char_class(code_points: Iterable[int]) -> str:
    """A regex character class for the given code points, as compact ranges."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(code_points):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return "[" + "".join(parts) + "]"


_DROPPED_CODE_POINTS = tuple(
    code for block in _SCANNED_CODE_POINTS for code in block if unicodedata.category(chr(code)) in _DROPPED_CATEGORIES
)
# Two classes: one of plane 0 only compiles to a bitmap (a few ns per character); with
# code points above U+FFFF the regex engine tests hundreds of ranges one by one, so that
# one runs only on texts that have such characters.
_DROPPED_RE = re.compile(_char_class(code for code in _DROPPED_CODE_POINTS if code <= 0xFFFF) + "+")
_DROPPED_ASTRAL_RE = re.compile(_char_class(code for code in _DROPPED_CODE_POINTS if code > 0xFFFF) + "+")
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")
# Typographic apostrophes fold to the plain one, so "O’Brien" matches "O'Brien".
_APOSTROPHES_RE = re.compile("[\u2018\u2019\u02bc\u2032]")
# Whitespace (\s includes U+00A0 and U+202F), the separators of URLs, IDs and e-mail
# addresses, and Unicode dashes (hyphen, non-breaking hyphen, en/em dash, minus).
_SEPARATOR_RUN_RE = re.compile(r"(?:[\s\-_.+\u2010-\u2015\u2212]|%20)+")
# Letters of scripts written without spaces between words: Thai, Lao, Burmese, Khmer,
# Japanese kana, CJK ideographs (and their extensions and compatibility forms). Each is a
# word of its own: a name written in them is found inside a sentence.
UNSPACED_LETTERS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
# A word boundary in folded text: no letter or digit of a spaced script on that side.
BOUNDARY_BEFORE = rf"(?<![^\W{UNSPACED_LETTERS}])"
BOUNDARY_AFTER = rf"(?![^\W{UNSPACED_LETTERS}])"
_NON_WORD_RUN_RE = re.compile(r"[\W_]+")
_WORD_RE = re.compile(rf"(?=[^\W_])[{UNSPACED_LETTERS}]|[^\W_{UNSPACED_LETTERS}]+")
_NON_ASCII_RUN_RE = re.compile(r"[^\x00-\x7f]+")


# Unicode's blocks of Latin letters beyond ASCII: Latin-1 Supplement, Extended-A and -B, IPA,
# Phonetic Extensions (and Supplement), Extended Additional, -C, -D, -E, -F, -G. (Full-width
# and other compatibility forms become ASCII through NFKD.)
_LATIN_BLOCKS = (
    range(0x80, 0x2B0), range(0x1D00, 0x1DC0), range(0x1E00, 0x1F00), range(0x2C60, 0x2C80),
    range(0xA720, 0xA800), range(0xAB30, 0xAB70), range(0x10780, 0x107C0), range(0x1DF00, 0x1E000),
)  # fmt: skip


def _is_latin_letter(char: str) -> bool:
    return (
        len(char) == 1
        and unicodedata.category(char).startswith("L")
        and unicodedata.name(char, "").startswith("LATIN ")
    )


def _ascii_letters(text: str) -> str:
    """text lowered if it is ASCII letters and digits only, else ""."""
    return text.lower() if text.isascii() and text.isalnum() else ""


def _folded_letter(char: str) -> str:
    """A letter as _fold_chars leaves it before its Latin twin is looked up: NFKD, casefold,
    NFKD, marks dropped ("" when nothing is left, or when it is not one character)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", char).casefold())
    kept = "".join(part for part in folded if unicodedata.category(part) not in _DROPPED_CATEGORIES)
    return kept if len(kept) == 1 else ""


@functools.cache
def latin_twins() -> Mapping[int, str]:
    """Folded letter (code point) → the ASCII it folds to, for str.translate.

    Latin letters outside ASCII that survive NFKD and case folding ("ł", "ø", "æ", "þ", "ı")
    → their anyascii transliteration; letters of other cased alphabets that look like a
    Latin letter (Unicode's confusables) → that letter, lower case. A lower-case letter whose
    capital is the look-alike (Cyrillic "н", from "Н" ~ "H") maps to it too, so folding stays
    case-insensitive. Built on first use (~0.1 s: reads the package's confusables.json once;
    its module is not imported, which would load more data than this needs).
    """
    confusables_data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_bytes())
    twins: dict[int, str] = {}
    for block in _LATIN_BLOCKS:
        for code in block:
            char = chr(code)
            if _is_latin_letter(char) and _folded_letter(char) == char:
                latin = _ascii_letters(anyascii(char))
                if latin:
                    twins[code] = latin
    looks_like: dict[str, str] = {}
    for char, entries in confusables_data.items():
        if len(char) != 1 or char.isascii() or _is_latin_letter(char):
            continue
        if unicodedata.category(char) not in ("Lu", "Ll", "Lt"):
            continue  # uncased scripts (Arabic, Hebrew, CJK…) keep their letters
        for entry in entries:
            glyph = entry["c"]
            twin = _ascii_letters(glyph) if glyph.isascii() else ""
            if len(twin) == 1 and twin.isalpha():
                looks_like[char] = twin
                break
    # A letter's own look-alike first, then its capital's.
    for prefer_own in (True, False):
        for char, twin in looks_like.items():
            folded = _folded_letter(char)
            if folded and not folded.isascii() and (folded == char) == prefer_own:
                twins.setdefault(ord(folded), twin)
    return twins


def _with_latin_twins(text: str) -> str:
    twins = latin_twins()
    return _NON_ASCII_RUN_RE.sub(lambda run: run.group().translate(twins), text)


def _fold_chars(text: str) -> str:
    """Case-folded, accents and invisible characters removed, Latin letters and look-alikes
    made ASCII; separators left as they are.

    Caseless matching as Unicode defines it (NFKD, casefold, NFKD again): NFKD first
    splits "é" into "e" + accent and compatibility forms ("ﬁ", full-width letters) into
    plain ones; casefold can produce characters that need decomposing once more. Every
    step works one character at a time, so fold() can keep the map back to the original.
    """
    if text.isascii():
        return text.lower()  # the same as casefold for ASCII, and much faster
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    folded = _DROPPED_RE.sub("", folded)
    if _ASTRAL_RE.search(folded):
        folded = _DROPPED_ASTRAL_RE.sub("", folded)
    if folded.isascii():
        return folded
    return _APOSTROPHES_RE.sub("'", _with_latin_twins(folded))


def fold_text(text: str) -> str:
    """The folded form of text (see the module's docstring), without the index map."""
    return _SEPARATOR_RUN_RE.sub(" ", _fold_chars(text))


def fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index in text it came from.

    Folds one character at a time, which gives the same result as fold_text (the steps
    are per character, and the only order NFKD changes is that of marks, which are
    dropped) but is slower: the redactor uses it only for texts that hold a match.
    """
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_chars(char)
        chars.append(piece)
        origins.extend([index] * len(piece))
    unseparated = "".join(chars)
    folded: list[str] = []
    folded_origins: list[int] = []
    position = 0
    for run in _SEPARATOR_RUN_RE.finditer(unseparated):
        folded.append(unseparated[position : run.start()])
        folded_origins.extend(origins[position : run.start()])
        folded.append(" ")
        folded_origins.append(origins[run.start()])
        position = run.end()
    folded.append(unseparated[position:])
    folded_origins.extend(origins[position:])
    return "".join(folded), folded_origins


def fold_words(text: str) -> str:
    """The folded text with every run of characters other than letters and digits as one space."""
    return _NON_WORD_RUN_RE.sub(" ", _fold_chars(text))


def words(text: str) -> list[str]:
    """The folded words of text: fold_words(text).split(), in one regex pass."""
    return _WORD_RE.findall(_fold_chars(text))


def read_phrases(text: str) -> tuple[str, ...]:
    """The phrases of a redact.txt: one per line, stripped; blank lines and `#` comments skipped."""
    phrases = (line.strip() for line in text.splitlines())
    return tuple(phrase for phrase in phrases if phrase and not phrase.startswith("#"))


def spellings(phrases_folded: Iterable[str]) -> list[str]:
    """The folded phrases, and each phrase of several words also with its words joined
    ("amina diallo" → "aminadiallo": a handle, a URL path, CamelCase)."""
    found = dict.fromkeys(phrases_folded)
    found.update(dict.fromkeys(phrase.replace(" ", "") for phrase in phrases_folded if " " in phrase))
    return list(found)


_Trie = dict[str, "_Trie"]  # char → the rest; the key "" marks where a literal ends


def alternation(literals: Iterable[str]) -> str:
    """A regex matching any of the literals, as a trie (`a(?:li|nne)`), longest first.

    A flat `a|b|c` makes the regex engine try every phrase at every position; the trie
    tries at most one branch per character, so fifty phrases cost little more than one.
    Longer literals come before their prefixes, so the longest match wins.
    """
    trie: _Trie = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: _Trie) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if "" in node:
        branches.append("")  # the literal may end here: tried last, so longer ones win
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


class Redactor:
    """Masks listed names and phrases in texts, however they are written (see the module's docstring).

    `count` is the number of masks written so far (overlapping or nested phrases
    found together count once).
    """

    def __init__(self, phrases: Iterable[str], mask: str = MASK) -> None:
        folded = {fold_text(phrase).strip() for phrase in phrases}
        self.phrases_folded: tuple[str, ...] = tuple(sorted(phrase for phrase in folded if phrase))
        self.mask = mask
        self.count = 0
        self._pattern: re.Pattern[str] | None = None
        if self.phrases_folded:
            # Zero-width match at each start, the phrase captured in a lookahead: every
            # start is found, even inside another match, so overlapping phrases can be merged.
            any_phrase = alternation(spellings(self.phrases_folded))
            self._pattern = re.compile(rf"{BOUNDARY_BEFORE}(?=({any_phrase}){BOUNDARY_AFTER})")

    @property
    def empty(self) -> bool:
        """No phrase to mask: every text passes unchanged."""
        return self._pattern is None

    def contains(self, text: str) -> bool:
        """Whether text holds one of the phrases."""
        return self._pattern is not None and self._pattern.search(fold_text(text)) is not None

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text or self._pattern.search(fold_text(text)) is None:
            return text
        folded, origins = fold(text)
        spans = self._original_spans(text, folded, origins)
        self.count += len(spans)
        pieces: list[str] = []
        position = 0
        for start, end in spans:
            pieces += [text[position:start], self.mask]
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    def _original_spans(self, text: str, folded: str, origins: list[int]) -> list[tuple[int, int]]:
        """The spans of text to mask, in order, overlapping matches merged."""
        assert self._pattern is not None
        spans: list[tuple[int, int]] = []
        for match in self._pattern.finditer(folded):
            start = origins[match.start(1)]
            end = origins[match.end(1) - 1] + 1
            # Marks and invisible characters right after the last letter belong to it.
            while end < len(text) and not _fold_chars(text[end]):
                end += 1
            if spans and start < spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans
