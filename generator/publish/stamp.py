"""A build with nothing changed does nothing: the stamp of a build's inputs, and its report.

The stamp is a hash of everything a build reads: the content, the templates, the
configuration as MkDocs reads it, the generator's own code and the versions of MkDocs,
Material and Pagefind. It is kept beside the site folder (never in it: the site must be
the same bytes whatever built it) with the build's report, which holds counts and places
only, never content. When the stamp of a new build is the same and the site is there,
MkDocs, Pagefind and the guard have nothing new to do and the site stays as it is.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from generator.errors import Location, Problem
from generator.model import NoColumn, SourceSummary
from generator.normalise.personal_details import PersonalDetail
from generator.privacy.redact import Redactor
from generator.read.content_folder import in_path_order

GENERATOR = Path(__file__).resolve().parents[1]  # the whole package, every stage's code
PACKAGES = (
    "mkdocs", "properdocs", "mkdocs-material", "pagefind", "markdown", "jinja2", "pyyaml", "openpyxl", "pillow",
    "phonenumbers",  # its numbering plans decide what the report flags as a phone number
)  # fmt: skip


def _files(path: Path) -> Iterable[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from in_path_order(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def input_stamp(
    paths: Iterable[Path], settings: dict[str, Any], read: Callable[[Path], bytes] = Path.read_bytes
) -> str:
    """A hash of the files under `paths` (names and bytes), the settings and the packages.
    read: a file's bytes (a preview's keeps them while the file is as it was: preview/kept.py)."""
    digest = hashlib.sha256()
    seen: set[Path] = set()
    for root in paths:
        if (where := root.resolve()) in seen:  # the content folder named twice (--content and the project's)
            continue
        seen.add(where)
        for path in _files(root):
            digest.update(str(path).encode() + b"\0" + read(path) + b"\0")
    digest.update(_code_and_packages().encode() + b"\0")
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()


@functools.cache
def _code_and_packages() -> str:
    """A hash of the generator's code and the packages' versions, taken once per process:
    the code a process runs and the packages it imported stay what they were when it
    started, while a preview or a test generates hundreds of times (reading the package's
    files and the packages' metadata each time cost more than generating a few fragments)."""
    digest = hashlib.sha256()
    for path in _files(GENERATOR):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    versions = {name: _version(name) for name in PACKAGES}
    digest.update(json.dumps(versions, sort_keys=True).encode())
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def stamp_file(site_dir: Path) -> Path:
    site_dir = site_dir.resolve()
    return site_dir.parent / f".{site_dir.name}.okb-build.json"


def _location(data: dict[str, Any]) -> Location:
    return Location(**data)


def _plain(value: Any) -> Any:
    """A report's dataclass (a source's summary, a problem, a place) as JSON takes it: what
    dataclasses.asdict gives, without its deep copy of every value (a preview saves the report
    after every save; with one .txt per fragment it holds 5,000 sources)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def save(path: Path, stamp: str, report: Any) -> None:
    """Keep the stamp and the printable part of the report in `path`."""
    data = {
        "stamp": stamp,
        "sources": [_plain(source) for source in report.sources],
        "published": report.published,
        "held_back": dict(report.held_back),
        "held_back_at": [[reason, _plain(where)] for reason, where in report.held_back_at],
        "ignored_fields": report.ignored_fields,
        "ignored_in_held_back": report.ignored_in_held_back,
        "problems": [_plain(problem) for problem in report.problems],
        "redactions": report.redactions,
        "redaction_lists": report.redaction_lists,
        "pages": report.pages,
        "blanks": {name: [_plain(where) for where in places] for name, places in report.blanks.items()},
        "no_column": [[missing.path, missing.field, list(missing.has)] for missing in report.no_column],
        "personal_details": [_plain(detail) for detail in report.personal_details],
        "redact_files": report.redact_files,
        "field_name_files": report.field_name_files,
    }
    # Files are named in it, and a file may be named after a person on the redaction list.
    masked = Redactor(getattr(report, "redact_phrases", ()))
    path.write_text(masked(json.dumps(data, ensure_ascii=False)), encoding="utf-8")


def load(path: Path, stamp: str, report: Any) -> bool:
    """Fill `report` from the one kept in `path` if its stamp is `stamp`."""
    if not path.is_file():
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if data.get("stamp") != stamp or "redact_files" not in data or "field_name_files" not in data:
        return False  # another build's, or one that did not keep what exposure.py needs
    report.sources = [
        SourceSummary(
            **{
                **source,
                "ignored_fields": tuple(source["ignored_fields"]),
                "columns": None if source.get("columns") is None else tuple(source["columns"]),
            }
        )
        for source in data["sources"]
    ]
    report.published = data["published"]
    report.held_back = Counter(data["held_back"])
    report.held_back_at = [(reason, _location(where)) for reason, where in data["held_back_at"]]
    report.ignored_fields = data["ignored_fields"]
    report.ignored_in_held_back = data["ignored_in_held_back"]
    report.problems = [Problem(_location(p["location"]), p["field"], p["message"], p["hint"]) for p in data["problems"]]
    report.redactions = data["redactions"]
    report.redaction_lists = data.get("redaction_lists", [])
    report.pages = data["pages"]
    report.blanks = {name: [_location(where) for where in places] for name, places in data["blanks"].items()}
    report.no_column = [NoColumn(path, name, tuple(has)) for path, name, has in data.get("no_column", [])]
    report.personal_details = [
        PersonalDetail(_location(p["location"]), p["field"], p["message"], p["hint"])
        for p in data.get("personal_details", [])
    ]
    report.redact_files = data["redact_files"]
    report.field_name_files = data["field_name_files"]
    return True
