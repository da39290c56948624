"""Value normalisers: the raw text of one field → its clean value, and a problem message.

Each returns (value, message or None). They know nothing about records or files: the
table of fields (generator/fields.py) says which field gets which, and the normalise
stage names the file, row and field of any message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.normalise.vocabulary import CHANGE_TYPE_ALIASES, NO_VALUES, YES_VALUES, slugify

Result = tuple[object, str | None]

TITLE_LENGTH = 90

# The theme writes page titles and tag names into HTML without escaping them, so
# these three characters are swapped for look-alikes there (and only there); the
# page body always shows the text exactly as typed.
_LABEL_TRANSLATION = str.maketrans({"<": "‹", ">": "›", "&": "＆"})


@dataclass(frozen=True)
class Objective:
    code: str
    label: str

    @property
    def name(self) -> str:
        return f"{self.code}: {self.label}" if self.label else self.code


@dataclass(frozen=True)
class Term:
    """A value a vocabulary knows (a country, a region, a type of change, a social actor…):
    its key, the same in every language and for every spelling, and its label in each
    language. Its page, filter value and chart bar follow the key; readers see the label in
    the page's language. Issue 20 (countries, content/vocabularies.yml) makes them; issue
    22 (both languages) reads `label(language)`."""

    key: str
    labels: tuple[tuple[str, str], ...]  # (language, label), English first

    def label(self, language: str = "en") -> str:
        """The label in a language (fr-CA → fr), else English, else the first given."""
        by_language = dict(self.labels)
        for choice in (language, language.split("-")[0].lower(), "en"):
            if by_language.get(choice):
                return by_language[choice]
        return self.labels[0][1] if self.labels else self.key

    def __str__(self) -> str:
        return self.label()


@dataclass(frozen=True)
class FrameworkLinks:
    """A fragment's links to the Results Framework: outcome codes (1.4) and output codes (1.4.2)."""

    outcomes: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()


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


def normalise_text(text: str) -> Result:
    return text.strip(), None


def normalise_label(text: str) -> Result:
    label = safe_label(text)
    return (label or None), None


def normalise_year(text: str) -> Result:
    text = text.strip()
    if not text:
        return None, None
    match = re.fullmatch(r"(\d{4})(?:\.0*)?", text, flags=re.ASCII)
    if match:
        return int(match.group(1)), None
    if re.fullmatch(r"\d{4}\s*[-–/]\s*\d{2,4}", text, flags=re.ASCII):
        return None, f"'{text}' is a range, not a year; give the one year in which the change was seen"
    return None, f"'{text}' is not a year; write it as four digits, such as 2023"


def normalise_flag(text: str) -> Result:
    flag = one_line(text).lower()
    if not flag:
        return None, None
    if flag in YES_VALUES or flag == "1.0":
        return True, None
    if flag in NO_VALUES or flag == "0.0":
        return False, None
    return None, f"'{one_line(text)}' is not YES or NO; write YES or NO"


def rating(vocabulary: tuple[str, ...]) -> Callable[[str], Result]:
    def normalise_rating(text: str) -> Result:
        value = one_line(text).lower()
        if not value:
            return None, None
        if value in vocabulary:
            return value, None
        return safe_label(value), f"'{one_line(text)}' is not one of {', '.join(vocabulary)}"

    return normalise_rating


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


# Outcome IDs in a list: any run of commas, semicolons, spaces and line ends between them.
_ID_SEPARATORS = re.compile(r"[\s,;]+")


def normalise_ids(text: str) -> Result:
    """'CSP-BF-001; CSP-BF-002' → ('CSP-BF-001', 'CSP-BF-002'): other outcomes' IDs, each once,
    as written (an ID is normalised as the ID field is). Whether each is the ID of a
    published outcome is decided after the gate (generator/normalise/related.py)."""
    ids: list[str] = []
    for part in _ID_SEPARATORS.split(text):
        fragment_id = safe_label(part)
        if fragment_id and fragment_id not in ids:
            ids.append(fragment_id)
    return tuple(ids), None


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


_RF_CODE = re.compile(r"(?:\b(?:outcome|output|r[ée]sultat|produit)\s*)?(\d+(?:\.\d+)*)", re.IGNORECASE | re.ASCII)
_RF_FILLER = re.compile(r"[\s;,/|&+]+|\b(?:and|et)\b", re.IGNORECASE)


def parse_results_framework(text: str) -> tuple[FrameworkLinks, list[str]]:
    """'Outcome 1.4   Output 1.4.2' → links to outcome 1.4 and output 1.4.2, whatever the separators."""
    outcomes: list[str] = []
    outputs: list[str] = []
    problems: list[str] = []
    for match in _RF_CODE.finditer(text):
        code = match.group(1)
        parts = code.split(".")
        if len(parts) == 3:
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
    return FrameworkLinks(tuple(outcomes), tuple(outputs)), problems


def normalise_results_framework(text: str) -> Result:
    links, problems = parse_results_framework(text)
    return links, ("; ".join(problems) or None)
