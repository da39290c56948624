"""Pagefind's bundle made reproducible: the same records give the same files, named the same.

Pagefind 1.5 writes the values of each filter in the order of a hash map, which changes
from run to run. So every build of the same input gave the filter files other contents
and other names (a hash of the contents), and with them the metadata file that lists the
filters, its own name, pagefind-entry.json that names it, and assets/okb-search.js, into
which the build writes the entry's languages (search._tell_search_script). Everything
else Pagefind writes (index chunks, fragments, scripts, WebAssembly) is already the same
from build to build, and it writes gzip headers without a time.

canonicalise() puts each filter's values in order (by value, as Pagefind's own later
releases do), names each filter file by a hash of its contents, lists the filters in
the metadata file by name, names that file by its hash and rewrites the entry. The
browser reads the same index: only the order of values in a filter and the file names
change, and files are still named by their contents, so they may be cached for ever.

The formats, from Pagefind's source (pagefind/src/output/mod.rs, src/index/): a
.pf_filter or .pf_meta file is gzip of b"pagefind_dcd" followed by CBOR; a filter is
[name, [[value, [page, ...]], ...]]; the metadata is [version, pages, index chunks,
filters as [[name, file hash], ...], sorts, meta fields]; the entry gives each language's
metadata hash. Before anything is rewritten, every file read is decoded and encoded again
and compared with its bytes: a Pagefind that writes something else leaves the bundle as
it made it (a build that is not reproducible, never a broken search).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

log = logging.getLogger(__name__)

HEADER = b"pagefind_dcd"  # before the CBOR of every compressed Pagefind file
ENTRY = "pagefind-entry.json"
FILTER_FOLDER = "filter"
FILTER_HASH_LENGTH = 7  # Pagefind's own lengths: "en_" + 7 hex digits for a filter,
META_HASH_EXTRA = 8  # and "en_" + len("en") + 8 for the metadata file
META_FILTERS = 3  # the filters' place in the metadata array

CborValue: TypeAlias = int | str | bytes | list["CborValue"]


class UnexpectedFormat(ValueError):
    """A file that is not what this module knows how to rewrite without changing it."""


# ---------------------------------------------------------------- CBOR, the part Pagefind writes


def _head(major: int, argument: int) -> bytes:
    """A CBOR item's head, in its shortest form (as Pagefind's encoder, minicbor, writes it)."""
    if argument < 24:
        return bytes([major << 5 | argument])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | extra]) + argument.to_bytes(size, "big")
    raise UnexpectedFormat("an integer too large for CBOR")


def cbor_encode(value: CborValue) -> bytes:
    if isinstance(value, bool):
        raise UnexpectedFormat("booleans are not written here")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    return _head(4, len(value)) + b"".join(cbor_encode(item) for item in value)


@dataclass
class _Reader:
    data: bytes
    at: int = 0

    def argument(self, extra: int) -> int:
        if extra < 24:
            return extra
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(extra)
        if size is None or self.at + size > len(self.data):
            raise UnexpectedFormat("an indefinite length or a float")
        value = int.from_bytes(self.data[self.at : self.at + size], "big")
        self.at += size
        return value

    def item(self) -> CborValue:
        if self.at >= len(self.data):
            raise UnexpectedFormat("the data ends inside an item")
        initial = self.data[self.at]
        self.at += 1
        major, argument = initial >> 5, self.argument(initial & 0x1F)
        if major == 0:
            return argument
        if major == 1:
            return -1 - argument
        if major in (2, 3):
            raw = self.data[self.at : self.at + argument]
            self.at += argument
            return raw if major == 2 else raw.decode("utf-8")
        if major == 4:
            return [self.item() for _ in range(argument)]
        raise UnexpectedFormat(f"CBOR major type {major}")


def cbor_decode(data: bytes) -> CborValue:
    reader = _Reader(data)
    value = reader.item()
    if reader.at != len(data):
        raise UnexpectedFormat("data after the item")
    return value


# ---------------------------------------------------------------- Pagefind's compressed files


def read_compressed(path: Path) -> CborValue:
    """A .pf_filter or .pf_meta file's CBOR, decoded; raises UnexpectedFormat unless encoding
    it again gives the very bytes (so rewriting changes only what is meant to change)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(HEADER):
        raise UnexpectedFormat(f"{path.name}: no {HEADER.decode()} header")
    value = cbor_decode(data[len(HEADER) :])
    if cbor_encode(value) != data[len(HEADER) :]:
        raise UnexpectedFormat(f"{path.name}: encoded otherwise than this module writes")
    return value


def compressed(value: CborValue) -> bytes:
    """Pagefind's gzip at its level (best), with no time or name in the header."""
    return gzip.compress(HEADER + cbor_encode(value), compresslevel=9, mtime=0)


def _content_name(language: str, data: bytes, length: int, taken: set[str]) -> str:
    """language_ and the first hex digits of the data's hash, longer if another file has them."""
    digest = hashlib.sha256(data).hexdigest()
    while f"{language}_{digest[:length]}" in taken and length < len(digest):
        length += 1
    return f"{language}_{digest[:length]}"


# ---------------------------------------------------------------- the bundle


@dataclass(frozen=True)
class _Rewrite:
    """What canonicalising one language's metadata gives: files to write, files to remove."""

    meta_name: str
    write: dict[str, bytes]  # path in the bundle → bytes
    remove: list[str]


def _canonical_filter(value: CborValue) -> list[CborValue]:
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[1], list)):
        raise UnexpectedFormat("a filter is not [name, values]")
    values = value[1]
    if not all(isinstance(entry, list) and entry and isinstance(entry[0], str) for entry in values):
        raise UnexpectedFormat("a filter value is not [value, pages]")
    return [value[0], sorted(values, key=lambda entry: entry[0] if isinstance(entry, list) else "")]


def _rewrite_language(bundle: Path, language: str, meta_hash: str, taken: set[str]) -> _Rewrite:
    meta_path = f"pagefind.{meta_hash}.pf_meta"
    meta = read_compressed(bundle / meta_path)
    if not isinstance(meta, list) or len(meta) <= META_FILTERS:
        raise UnexpectedFormat(f"{meta_path}: not the metadata array")
    listed_filters = meta[META_FILTERS]
    if not isinstance(listed_filters, list):
        raise UnexpectedFormat(f"{meta_path}: no list of filters")
    write: dict[str, bytes] = {}
    remove = [meta_path]
    filters: list[tuple[str, str]] = []
    for listed in listed_filters:
        if not (isinstance(listed, list) and len(listed) == 2 and all(isinstance(part, str) for part in listed)):
            raise UnexpectedFormat(f"{meta_path}: a filter is not [name, hash]")
        name, old_hash = str(listed[0]), str(listed[1])
        old_path = f"{FILTER_FOLDER}/{old_hash}.pf_filter"
        data = compressed(_canonical_filter(read_compressed(bundle / old_path)))
        new_hash = _content_name(language, data, FILTER_HASH_LENGTH, taken)
        taken.add(new_hash)
        write[f"{FILTER_FOLDER}/{new_hash}.pf_filter"] = data
        remove.append(old_path)
        filters.append((name, new_hash))
    meta[META_FILTERS] = [[name, new_hash] for name, new_hash in sorted(filters)]
    meta_data = compressed(meta)
    meta_name = _content_name(language, meta_data, len(language) + META_HASH_EXTRA, set())
    write[f"pagefind.{meta_name}.pf_meta"] = meta_data
    return _Rewrite(meta_name, write, remove)


def canonicalise(bundle: Path) -> bool:
    """Make the Pagefind bundle in `bundle` the same bytes for the same records (see the
    module's docstring). False, with a warning, when a file is not as expected: the bundle
    is then left exactly as Pagefind wrote it."""
    entry_path = bundle / ENTRY
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
        taken: set[str] = set()
        rewrites = {
            language: _rewrite_language(bundle, language, str(meta["hash"]), taken)
            for language, meta in sorted(languages.items())
        }
    except (OSError, ValueError, KeyError, TypeError, EOFError, gzip.BadGzipFile) as error:
        log.warning("Pagefind's index is left as Pagefind wrote it (not reproducible): %s", error)
        return False
    # Everything is read and checked: only now is anything written.
    for rewrite in rewrites.values():
        for path in rewrite.remove:
            (bundle / path).unlink()
    for language, rewrite in rewrites.items():
        for path, data in rewrite.write.items():
            (bundle / path).write_bytes(data)
        languages[language]["hash"] = rewrite.meta_name
    # As Pagefind writes it (serde_json: compact, characters as they are).
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True
