"""Bytes to text for the text and CSV readers: UTF-8 (with or without BOM) or UTF-16 with a
byte order mark, with '\n' line ends; anything else is refused, naming the file and line."""

from __future__ import annotations

import codecs
from pathlib import Path

from generator.errors import InputError, Location

SAVE_AS_UTF8 = "save or export the file again as UTF-8 ('CSV UTF-8' in Excel) and rebuild"
SAVE_TEXT_AS_UTF8 = "save it again with the encoding UTF-8 (in Notepad: Save as → Encoding: UTF-8) and rebuild"

UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _binary_data_error(path: Path, kind: str) -> InputError:
    return InputError(
        Location(str(path)),
        f"this is not a {kind} text file (it contains binary data)",
        hint=f"check that the file really is a {kind} export",
    )


def decode_text(path: Path, data: bytes, kind: str) -> str:
    """UTF-8 (with or without BOM) as text with '\\n' line ends; anything else is refused."""
    if b"\x00" in data:
        raise _binary_data_error(path, kind)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            Location(str(path), line=line),
            f"the text is not UTF-8 (byte 0x{data[error.start]:02x} cannot be read; "
            "the file was probably saved as Windows-1252 or Latin-1)",
            hint=SAVE_AS_UTF8 if kind == "CSV" else SAVE_TEXT_AS_UTF8,
        ) from None
    return unix_line_ends(text)


def unix_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def is_utf16(data: bytes) -> bool:
    """Excel's 'Unicode Text' is UTF-16 with a byte order mark; without one we cannot tell."""
    return data.startswith(UTF16_BOMS)


def decode_utf16(path: Path, data: bytes, kind: str) -> str:
    try:
        text = data.decode("utf-16")  # the BOM says which byte order, and is dropped
    except UnicodeDecodeError:
        raise InputError(
            Location(str(path)),
            "the file is UTF-16 text but it is cut short or damaged",
            hint=SAVE_AS_UTF8 if kind == "CSV" else SAVE_TEXT_AS_UTF8,
        ) from None
    if "\x00" in text:
        raise _binary_data_error(path, kind)
    return unix_line_ends(text)
