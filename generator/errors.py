"""Errors and warnings that users read: each names the file, the row or line, and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where something came from: a file and, when known, a row (CSV/XLSX) or line (text)."""

    path: str
    row: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.row is not None:
            return f"{self.path}, row {self.row}"
        if self.line is not None:
            return f"{self.path}, line {self.line}"
        return self.path


def _describe(location: Location, field: str | None, message: str, hint: str | None) -> str:
    where = str(location)
    if field:
        where += f", field '{field}'"
    text = f"{where}: {message}"
    if hint:
        text += f" ({hint})"
    return text


class InputError(Exception):
    """Input that stops the build. The message is for a person, not a programmer."""

    def __init__(self, location: Location, message: str, *, field: str | None = None, hint: str | None = None):
        self.location = location
        self.field = field
        self.message = message
        self.hint = hint
        super().__init__(_describe(location, field, message, hint))

    def __reduce__(self) -> tuple[object, ...]:
        # Whole from a forked helper of the build (forking.call): its arguments are keywords.
        return (_input_error, (self.location, self.message, self.field, self.hint))


def _input_error(location: Location, message: str, field: str | None, hint: str | None) -> InputError:
    return InputError(location, message, field=field, hint=hint)


class BuildError(Exception):
    """A build step other than reading input failed (MkDocs, the site folder)."""


@dataclass(frozen=True)
class Problem:
    """A warning: the build goes on, but an editor should look at this value."""

    location: Location
    field: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        return _describe(self.location, self.field, self.message, self.hint)
