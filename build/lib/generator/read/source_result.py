"""What reading one fragment source gives: its raw records, a summary for the report and
the problems found (naming file, row or line and field, never a value)."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import Problem
from generator.model import RawRecord, SourceSummary


@dataclass
class SourceResult:
    records: list[RawRecord]
    summary: SourceSummary
    problems: list[Problem] = field(default_factory=list)
