"""Normalise public raw records into Fragments, collecting problems (warnings) as it goes.

Each normaliser takes the raw text of one field and returns the clean value plus an
optional problem message; the table NORMALISERS is the only place that says which
field gets which treatment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from generator.errors import InputError, Problem
from generator.model import Fragment, Objective, RawRecord
from generator.vocabulary import (
    CHANGE_TYPE_ALIASES,
    FIELD_LABELS,
    NO_VALUES,
    RATINGS_CONTRIBUTION,
    RATINGS_SIGNIFICANCE,
    YES_VALUES,
    slugify,
)

TITLE_LENGTH = 90
# Longer values are published, but probably pasted into the wrong cell: warn.
LONG_VALUE = 20_000

# The theme writes page titles and tag names into HTML without escaping them, so
# these three characters are swapped for look-alikes there (and only there); the
# page body always shows the text exactly as typed.
_LABEL_TRANSLATION = str.maketrans({"<": "‹", ">": "›", "&": "＆"})


def one_line(text: str) -> str:
    return " ".join(text.split())


def safe_label(text: str) -> str:
    """A one-line label that is safe where the theme does not escape (titles, tags)."""
    return one_line(text).translate(_LABEL_TRANSLATION)


def title_from_description(description: str, fragment_id: str) -> str:
    """A readable title: the first sentence of the outcome description, shortened."""
    text = one_line(description)
    if not text:
        return f"Outcome {safe_label(fragment_id)}"
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) > TITLE_LENGTH:
        cut = sentence[:TITLE_LENGTH].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return safe_label(sentence)


@dataclass
class Redactor:
    """Masks listed names and phrases, case-insensitively, in every published text."""

    phrases: tuple[str, ...] = ()
    count: int = 0
    mask: str = "[redacted]"
    _pattern: re.Pattern | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        phrases = sorted({p.strip() for p in self.phrases if p.strip()}, key=len, reverse=True)
        if phrases:
            self._pattern = re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE)

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        text, replaced = self._pattern.subn(self.mask, text)
        self.count += replaced
        return text


# --- value normalisers: raw text → (value, problem message or None) -------------------

Result = tuple[object, str | None]


def normalise_year(text: str) -> Result:
    text = text.strip()
    if not text:
        return None, None
    match = re.fullmatch(r"(\d{4})(?:\.0*)?", text)
    if match:
        return int(match.group(1)), None
    if re.fullmatch(r"\d{4}\s*[-–/]\s*\d{2,4}", text):
        return None, f"'{text}' is a range, not a year; give the one year in which the change was seen"
    return None, f"'{text}' is not a year; write it as four digits, such as 2023"


def normalise_flag(text: str) -> Result:
    flag = one_line(text).lower()
    if not flag:
        return None, None
    if flag in YES_VALUES or flag in {"1.0"}:
        return True, None
    if flag in NO_VALUES or flag in {"0.0"}:
        return False, None
    return None, f"'{one_line(text)}' is not YES or NO; write YES or NO"


def _rating(vocabulary: tuple[str, ...]) -> Callable[[str], Result]:
    def normalise_rating(text: str) -> Result:
        rating = one_line(text).lower()
        if not rating:
            return None, None
        if rating in vocabulary:
            return rating, None
        return safe_label(rating), f"'{one_line(text)}' is not one of {', '.join(vocabulary)}"

    return normalise_rating


def normalise_label(text: str) -> Result:
    label = safe_label(text)
    return (label or None), None


def normalise_change_types(text: str) -> Result:
    names: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[;,\n]|\s{2,}", text):
        part = one_line(part)
        if not part:
            continue
        name = CHANGE_TYPE_ALIASES.get(part.lower())
        if name is None:
            name = safe_label(part)
            unknown.append(part)
        if name not in names:
            names.append(name)
    problem = None
    if unknown:
        problem = f"unknown type of change {', '.join(repr(u) for u in unknown)}; check the spelling against the list of types"
    return tuple(names), problem


def normalise_objective(text: str) -> Result:
    text = one_line(text)
    if not text:
        return None, None
    match = re.fullmatch(r"([A-Za-z]{2,8})\s*[:\-–]\s*(.+)", text)
    if match:
        return Objective(match.group(1).upper(), safe_label(match.group(2))), None
    if re.fullmatch(r"[A-Za-z]{2,8}", text):
        return Objective(text.upper(), ""), None
    return Objective(slugify(text).upper()[:12], safe_label(text)), (
        f"'{text}' has no objective code; write it as CODE: label, such as 'CIV: Less suppression of civic space'"
    )


_RF_CODE = re.compile(r"(?:\b(?:outcome|output|r[ée]sultat|produit)\s*)?(\d+(?:\.\d+)*)", re.IGNORECASE)
_RF_FILLER = re.compile(r"[\s;,/|&+]+|\b(?:and|et)\b", re.IGNORECASE)


def parse_results_framework(text: str, known_outputs: frozenset[str] | None = None) -> tuple[tuple, tuple, list[str]]:
    """'Outcome 1.4   Output 1.4.2' → (('1.4',), ('1.4.2',), problems), whatever the separators."""
    outcomes: list[str] = []
    outputs: list[str] = []
    problems: list[str] = []
    for match in _RF_CODE.finditer(text):
        code = match.group(1)
        parts = code.split(".")
        if len(parts) == 3:
            if known_outputs is not None and code not in known_outputs:
                problems.append(f"unrecognised output code '{code}': it is not in results-framework.yml")
            if code not in outputs:
                outputs.append(code)
            parent = ".".join(parts[:2])
            if parent not in outcomes:
                outcomes.append(parent)
        elif len(parts) == 2:
            if code not in outcomes:
                outcomes.append(code)
        else:
            problems.append(f"unrecognised output code '{code}': write outcomes as 1.4 and outputs as 1.4.2")
    leftover = _RF_FILLER.sub("", _RF_CODE.sub("", text))
    if leftover:
        problems.append(f"could not understand '{one_line(text)}'; write it as 'Outcome 1.4; Output 1.4.2'")
    return tuple(outcomes), tuple(outputs), problems


# Which normaliser each single-valued field gets, and the Fragment attribute it fills.
NORMALISERS: dict[str, Callable[[str], Result]] = {
    "year": normalise_year,
    "unintended": normalise_flag,
    "negative": normalise_flag,
    "rating_significance": _rating(RATINGS_SIGNIFICANCE),
    "rating_contribution": _rating(RATINGS_CONTRIBUTION),
    "country": normalise_label,
    "harvest_period": normalise_label,
    "status": normalise_label,
    "social_actor": normalise_label,
    "scale": normalise_label,
    "change_cluster": normalise_label,
    "change_types": normalise_change_types,
    "objective": normalise_objective,
}
# Free-text fields, published as typed (after redaction).
TEXT_FIELDS = ("description", "significance", "contribution", "other_actors", "evidence", "additional_info")


def check_unique_ids(records: list[RawRecord]) -> None:
    """A fragment ID used twice stops the build, naming both places."""
    first_seen: dict[str, RawRecord] = {}
    for record in records:
        fragment_id = one_line(record.text("fragment_id"))
        if not fragment_id:
            continue
        if fragment_id in first_seen:
            raise InputError(
                record.where("fragment_id"),
                f"fragment ID '{fragment_id}' is used twice; it is also at {first_seen[fragment_id].where('fragment_id')}",
                field=FIELD_LABELS["fragment_id"],
                hint="give each fragment its own ID",
            )
        first_seen[fragment_id] = record


def normalise(
    record: RawRecord, redact: Redactor, known_outputs: frozenset[str] | None = None
) -> tuple[Fragment, list[Problem]]:
    problems: list[Problem] = []

    def problem(name: str, message: str) -> None:
        value = record.values.get(name)
        problems.append(Problem(record.where(name), value.name if value else FIELD_LABELS[name], message))

    fragment_id = one_line(record.text("fragment_id"))
    values: dict[str, object] = {}
    for name, normaliser in NORMALISERS.items():
        raw = redact(record.text(name)) if name not in ("year", "unintended", "negative") else record.text(name)
        value, message = normaliser(raw)
        values[name] = value
        if message:
            problem(name, message)
    for name in TEXT_FIELDS:
        values[name] = redact(record.text(name))
        if len(values[name]) > LONG_VALUE:
            problem(name, f"the value is {len(values[name]):,} characters long; check that it was pasted into the right field")
    outcome_codes, output_codes, rf_problems = parse_results_framework(record.text("results_framework"), known_outputs)
    for message in rf_problems:
        problem("results_framework", message)
    fragment = Fragment(
        fragment_id=fragment_id,
        slug=slugify(fragment_id),
        location=record.location,
        title=title_from_description(str(values["description"]), fragment_id),
        outcome_codes=outcome_codes,
        output_codes=output_codes,
        **values,  # type: ignore[arg-type]
    )
    return fragment, problems


def check_unique_slugs(fragments: list[Fragment]) -> None:
    """Two IDs that differ only in punctuation or case would share one page address."""
    by_slug: dict[str, Fragment] = {}
    for fragment in fragments:
        other = by_slug.get(fragment.slug)
        if other is not None:
            raise InputError(
                fragment.location,
                f"fragment IDs '{fragment.fragment_id}' and '{other.fragment_id}' (at {other.location}) "
                "would get the same page address",
                field=FIELD_LABELS["fragment_id"],
                hint="make the IDs differ in letters or digits, not only in punctuation or case",
            )
        by_slug[fragment.slug] = fragment
