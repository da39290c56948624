"""Where the command line prints, and the masking of the redaction list's names in all of it."""

from __future__ import annotations

import io
import logging
from typing import Protocol, TextIO

from generator.privacy.redact import Redactor


class Output(Protocol):
    """Where the command prints: sys.stdout, sys.stderr, or one of them Masked."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...

    def isatty(self) -> bool: ...


class Masked(io.TextIOBase):
    """A stream that masks the redaction list's names in what is written to it. Messages
    name files and folders, and a file may be named after a person (amina-diallo.txt):
    everything the command prints goes through one of these, or through MaskedLog."""

    def __init__(self, stream: TextIO, redactor: Redactor) -> None:
        self.stream, self.redactor = stream, redactor

    def write(self, text: str) -> int:
        self.stream.write(self.redactor(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


class MaskedLog(logging.Filter):
    """The same masking for log lines (MkDocs' warnings name pages of the docs folder)."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redactor(record.getMessage()), ()
        return True
