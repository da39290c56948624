"""The formats fragments are read from: a file's suffix → its reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.fields import FieldTable
from generator.read.csv_files import read_csv
from generator.read.rows import ReadRows
from generator.read.source_result import SourceResult
from generator.read.text_files import read_text
from generator.read.xlsx_files import read_xlsx

# The formats read as rows under a header: a reader may be given the records of its last
# reading of the file, to reuse for equal rows (rows.ReadRows; a preview's, kept.py).
ROW_READERS: dict[str, Callable[[Path, FieldTable, ReadRows | None], SourceResult]] = {
    ".csv": read_csv,
    ".xlsx": read_xlsx,
}
READERS: dict[str, Callable[[Path, FieldTable], SourceResult]] = {
    ".txt": read_text,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
}
