"""Reading every fragment source of the --content paths: the reading stage's entry point.

Readers know nothing about what values mean; they only find fields. Field names are
matched through the field table, and fields it does not know are dropped here, with
their names kept for the report, so an unknown column can never be published.

Readers never guess where a row or a field ends: a CSV file that does not parse
cleanly, or a damaged workbook, stops the build; a text line that may be a field
name holds its fragment back. Messages name the file, row or line and field name,
never a value, since a value may be confidential.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.fields import DEFAULT_TABLE, FieldTable
from generator.read.content_folder import fragment_files
from generator.read.formats import READERS
from generator.read.source_result import SourceResult


def read_sources(contents: Iterable[Path], table: FieldTable = DEFAULT_TABLE) -> list[SourceResult]:
    """Every fragment source of the --content paths, read with the field names of `table`."""
    return [READERS[path.suffix.lower()](path, table) for content in contents for path in fragment_files(content)]
