"""A site file's bytes → the folded words a reader or a search engine gets from it.

gzip is undone (when the bytes start with 1f 8b), then JSON string escapes, HTML entities
(repeatedly: the feed escapes HTML that holds entities) and markup (tags are dropped, so that
`<em>` inside a sentence does not hide it; the values of attributes that hold text, such as
`content`, `title`, `alt` and `data-*`, are kept). Words are read in a few passes of C code
(WordReader), giving exactly the words generator.privacy.redact.words gives.
"""

from __future__ import annotations

import gzip
import html
import re
import zlib
from urllib.parse import unquote

from generator.privacy.redact import UNSPACED_LETTERS, words
from generator.privacy.redact import _fold_chars as fold_chars  # folds one character as words() does

_GZIP_MAGIC = b"\x1f\x8b"
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
_UNSPACED_LETTER_RE = re.compile(f"[{UNSPACED_LETTERS}]")
# The same, but a byte outside ASCII kept as it is: once every character outside ASCII has been
# put in its folded place (WordReader.words), such a byte is part of a letter or digit.
_TO_WORD_BYTES_KEEPING_UTF8 = _TO_WORD_BYTES[:128] + bytes(range(128, 256))


def _as_word_part(char: str) -> str:
    """A folded character as it stands among the words: a letter or digit as itself (one of a
    script written without spaces a word of its own, as redact.words reads it), any other a space."""
    if char.isascii() or not char.isalnum():
        return char if char.isascii() else " "
    return f" {char} " if _UNSPACED_LETTER_RE.match(char) else char


class WordReader:
    """Folded words as UTF-8 bytes, the same as generator.privacy.redact.words gives, in a few passes
    of C code over the text instead of a regex and Unicode normalisation over all of it.

    Folding goes one character at a time (see generator.privacy.redact.fold), so the few distinct
    characters outside ASCII in a text are folded once each (and remembered) and put in
    place with bytes.replace, their folds' other characters than letters and digits as spaces;
    then one bytes.translate and bytes.split give the words. A letter or digit outside ASCII
    that a character folds to ("ø", CJK, and the stray letters of a binary file read as text,
    such as Pagefind's index) stays as its UTF-8 bytes, when folding it again gives itself (so
    that putting another character in its place cannot change it); a text with a character
    whose fold is not such is folded the slow way, with generator.privacy.redact.words.
    """

    def __init__(self) -> None:
        # character → its folded form with non-word characters as spaces; None: fold it the slow way
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
        return data.translate(_TO_WORD_BYTES_KEEPING_UTF8).split()

    def _fold(self, char: str) -> bytes | None:
        if char not in self._folds:
            folded = fold_chars(char)
            kept = [part for part in folded if not part.isascii() and part.isalnum()]
            if any(fold_chars(part) != part for part in kept):
                self._folds[char] = None
            else:
                spaced = "".join(map(_as_word_part, folded))
                self._folds[char] = spaced.encode("utf-8", "surrogatepass")
        return self._folds[char]

    def readable_words(self, data: bytes) -> list[bytes]:
        """The folded words of readable_text(data), as UTF-8 bytes."""
        return self.words(readable_text(data.decode("utf-8", "replace")))


def decompressed(data: bytes) -> bytes:
    if data[:2] != _GZIP_MAGIC:
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return data  # not gzip after all: read as it is
