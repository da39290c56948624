"""The formats fragments are read from: a file's suffix → its reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.fields import FieldTable
from generator.read.csv_files import read_csv
from generator.read.source_result import SourceResult
from generator.read.text_files import read_text
from generator.read.xlsx_files import read_xlsx

READERS: dict[str, Callable[[Path, FieldTable], SourceResult]] = {
    ".txt": read_text,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
}
