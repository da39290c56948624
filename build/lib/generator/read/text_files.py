"""The text reader: one fragment per .txt file, written as `**Field**: value` lines.

A line that may have been meant as a field line but is not one holds the fragment back,
so that a plain `Internal notes: ...` is never published as part of the value before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import InputError, Location, Problem
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.model import RawRecord, RawValue, SourceSummary
from generator.read.decoding import decode_text, decode_utf16, is_utf16
from generator.read.source_result import SourceResult

# Indentation and a list bullet (-, *, +, 1.), which may come before a field name. In a
# field line the bullet may touch the name (-**Name**:); elsewhere it must be followed by
# a space, or the first * of **Name would be taken for a bullet.
# Indentation may be any Unicode space (a no-break space pasted from Word, say).
_FIELD_LINE_START = r"^[^\S\n]*(?:(?:[-*+]|\d{1,3}[.)])[^\S\n]*)?"
_LINE_START = r"^[^\S\n]*(?:(?:[-*+]|\d{1,3}[.)])[^\S\n]+)?"
# A line that starts a field: **Name**: value, also written **Name:**, __Name__:,
# ***Name***:, - **Name**:, **Name** : or with a full-width colon (：). A field name
# never holds a colon, so the first colon ends it.
FIELD_LINE = re.compile(
    _FIELD_LINE_START + r"[*_]?(?:\*\*(?P<starred>[^*\n:：]+?)|__(?P<underlined>(?:(?!__)[^\n:：])+?))"
    r"[ \t]*(?:[:：][ \t]*(?:\*\*|__)[*_]?|(?:\*\*|__)[*_]?[ \t]*[:：])"
    r"[ \t]?(?P<value>.*)$"
)
# A line starting with bold or underline that is not a field line (say `**Notes: x`,
# with no closing `**`): someone meant a field name, or maybe did.
_BOLD_START = re.compile(_LINE_START + r"[*_]?(?:\*\*|__)")
# A Markdown rule (***, ___, - - -) holds no label: not a field name.
_RULE_LINE = re.compile(r"[ \t*_-]*")
# A plain `Label: value` line: the label is the text before the first colon.
_PLAIN_LABEL = re.compile(_LINE_START + r"[*_]*(?P<label>[^:：\n]{1,60}?)[*_]*[ \t]*[:：]")
# Words that say a label heads something not meant for the public.
# Bounded by anything but a letter: "_Contact_" (underscores are word characters) counts.
_PRIVATE_WORDS = re.compile(
    r"(?<![^\W_])(?:internal|confidential\w*|private|contacts?|notes?|interne|confidentiel\w*|priv[ée]e?s?"
    r"|do not publish|ne pas publier)(?![^\W_])",
    re.IGNORECASE,
)

# Kinds of field whose value may run over several lines: free text, and lists (types of
# change, Results Framework links) written one item per line.
MULTI_LINE_KINDS = frozenset({"text", "list", "links"})

AMBIGUOUS_LINE = "a line looks like a field name but is not written as **Name**: value (line {line})"


def field_line_name(line: str) -> tuple[str, str] | None:
    """(name, value) when the line starts a field, otherwise None."""
    match = FIELD_LINE.match(line)
    if match is None:
        return None
    name = match.group("starred") or match.group("underlined")
    return name.strip(), match.group("value")


def looks_like_field_name(line: str, table: FieldTable = DEFAULT_TABLE) -> bool:
    """True for a line that is not a field line but may have been meant as one.

    Such a line would be glued onto the value before it, so the fragment is held
    back instead: a plain `Internal notes: ...` must never be published as part of a
    description.
    """
    if _RULE_LINE.fullmatch(line):
        return False
    if _BOLD_START.match(line):
        return True
    match = _PLAIN_LABEL.match(line)
    if match is None:
        return False
    label = match.group("label")
    return table.key_for(label) is not None or _PRIVATE_WORDS.search(label) is not None


@dataclass
class _OpenField:
    canonical: str | None  # None: a field the vocabulary does not know, dropped
    name: str
    line: int
    lines: list[str]


@dataclass
class _TextFragment:
    """What read_text has found so far in one file."""

    path: Path
    table: FieldTable = DEFAULT_TABLE
    values: dict[str, RawValue] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ambiguous_line: int | None = None  # the first one: the fragment's hold-back reason
    current: _OpenField | None = None

    def start_field(self, number: int, name: str, value: str) -> None:
        self.finish_field()
        canonical = self.table.key_for(name)
        if canonical is None and name not in self.ignored:
            self.ignored.append(name)
        self.current = _OpenField(canonical, name, number, [value])

    def add_line(self, number: int, line: str) -> None:
        if self.current is None:
            if line.strip():
                self.problems.append(
                    Problem(
                        Location(str(self.path), line=number),
                        None,
                        "text before the first **Field**: line is ignored",
                        "start the file with a line such as **FragmentID**: ABC-123",
                    )
                )
            return
        # Only lines that join a kept value could be published, so only they are checked.
        # Only free text and lists run over several lines: a line after an ID, a country or
        # a flag belongs to no value anyone meant, so the reader cannot tell where it goes.
        kept = self.current.canonical
        if (
            kept is not None
            and line.strip()
            and (looks_like_field_name(line, self.table) or self.table[kept].kind not in MULTI_LINE_KINDS)
        ):
            self.hold_back_for(number, self.current.name)
        self.current.lines.append(line)

    def hold_back_for(self, number: int, field_name: str) -> None:
        if self.ambiguous_line is None:
            self.ambiguous_line = number
        self.problems.append(
            Problem(
                Location(str(self.path), line=number),
                field_name,
                "this line looks like a field name but is not written as **Name**: value, so the fragment is held back",
                "write the field as **Name**: value on a line of its own, "
                "or reword the line so that it does not start with a label and a colon",
            )
        )

    def finish_field(self) -> None:
        current, self.current = self.current, None
        if current is None or current.canonical is None:
            return
        if current.canonical in self.values:
            first = self.values[current.canonical].location.line
            raise InputError(
                Location(str(self.path), line=current.line),
                f"this field is given twice (first at line {first})",
                field=current.name,
                hint="keep one of the two lines",
            )
        text = "\n".join(current.lines).strip()
        self.values[current.canonical] = RawValue(current.name, text, Location(str(self.path), line=current.line))

    def result(self) -> SourceResult:
        self.finish_field()
        path = str(self.path)
        records = []
        if self.values:
            hold_back = AMBIGUOUS_LINE.format(line=self.ambiguous_line) if self.ambiguous_line else None
            records.append(RawRecord(Location(path, line=1), self.values, tuple(self.ignored), hold_back))
        else:
            no_fields = "no fragment found in this file (it has no **Field**: lines)"
            self.problems.append(Problem(Location(path), None, no_fields))
        return SourceResult(records, SourceSummary(path, len(records), tuple(self.ignored)), self.problems)


def _read_text_file(path: Path) -> str:
    data = path.read_bytes()
    if not is_utf16(data):
        return decode_text(path, data, "text")
    text = decode_utf16(path, data, "text")
    if "\t" in text and not any(FIELD_LINE.match(line) for line in text.splitlines()):
        raise InputError(
            Location(str(path)),
            "this is a table saved by Excel as 'Unicode Text' (UTF-16, tab-separated), not a text fragment",
            hint="in Excel, save it as 'CSV UTF-8', a .csv file, and use that file instead",
        )
    return text


def read_text(path: Path, table: FieldTable = DEFAULT_TABLE) -> SourceResult:
    """One fragment per file, in the `**Field**: value` form.

    A value runs over the following lines until the next field line (see FIELD_LINE).
    Such a line always starts a new field, even when the name is unknown, so that an
    unknown field (internal notes, say) is dropped, never appended to the published
    value before it. A line that may have been meant as a field line but is not one
    holds the fragment back (see looks_like_field_name).
    """
    fragment = _TextFragment(path, table)
    # splitlines: a line separator (U+2028) or form feed starts a new line too, as some
    # editors show it, so a field line after one is never glued onto the value before.
    for number, line in enumerate(_read_text_file(path).splitlines(), start=1):
        found = field_line_name(line)
        if found:
            fragment.start_field(number, *found)
        else:
            fragment.add_line(number, line)
    return fragment.result()
