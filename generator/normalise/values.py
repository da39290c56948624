"""Value normalisers: the raw text of one field → its clean value, and a problem message.

Each returns (value, message or None). They know nothing about records or files: the
table of fields (generator/fields.py) says which field gets which, and the normalise
stage names the file, row and field of any message.

Over 400 lines: one short normaliser per kind of value, listed together so that the field
table (fields.py) has one place to name them from.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.normalise.vocabulary import (
    BUILT_IN_VOCABULARIES,
    NO_VALUES,
    TEXT_LANGUAGES,
    VOCABULARIES_FILE,
    VOCABULARY_SECTIONS,
    YES_VALUES,
    slugify,
)
from generator.privacy.redact import words

Result = tuple[object, str | None]

TITLE_LENGTH = 90
SUMMARY_LENGTH = 160  # a significance's first sentence under a list entry, at most

# The theme writes page titles and tag names into HTML without escaping them, so
# these three characters are swapped for look-alikes there (and only there); the
# page body always shows the text exactly as typed.
_LABEL_TRANSLATION = str.maketrans({"<": "‹", ">": "›", "&": "＆"})


@dataclass(frozen=True)
class Objective:
    """An objective: its code (its page and filter value) and its label as written, or, when
    content/vocabularies.yml knows the code, its label in each language from there."""

    code: str
    label: str  # as written, or the vocabulary's English label
    labels: tuple[tuple[str, str], ...] = ()  # (language, label) from the vocabulary

    @property
    def name(self) -> str:
        return self.name_in("en")

    def label_in(self, language: str) -> str:
        """Its label in a language (fr-CA → fr), else as written (or in English)."""
        by_language = dict(self.labels)
        for choice in (language, language.split("-")[0].lower()):
            if by_language.get(choice):
                return by_language[choice]
        return self.label

    def name_in(self, language: str) -> str:
        """ "CIV: Less suppression of civic space", its label in a language; the code alone without one."""
        label = self.label_in(language)
        return f"{self.code}: {label}" if label else self.code


@dataclass(frozen=True)
class Term:
    """A value a vocabulary knows (a country, a region, a type of change, a social actor…):
    its key, the same in every language and for every spelling, and its label in each
    language. Its page, filter value and chart bar follow the key; readers see the label in
    the page's language. Issue 20 (countries, content/vocabularies.yml) makes them; issue
    22 (both languages) reads `label(language)`."""

    key: str
    labels: tuple[tuple[str, str], ...]  # (language, label), English first
    # What its page address is made from, when not its key: a country's key is its ISO code
    # ("CI") and its page follows its English name (countries/cote-d-ivoire/).
    slug: str = ""

    @property
    def page_slug(self) -> str:
        """Its page's name, filter value and chart bar: the same in every language."""
        return slugify(self.slug or self.key)

    def label(self, language: str = "en") -> str:
        """The label in a language (fr-CA → fr), else English, else the first given."""
        # Asked for ~170,000 times at 5,000 fragments: the few labels are looked through, not
        # made a dict each time (the last one given in a language is the one, as in a dict).
        for choice in (language, language.split("-")[0].lower(), "en"):
            found = ""
            for written_in, label in self.labels:
                if written_in == choice:
                    found = label
            if found:
                return found
        return self.labels[0][1] if self.labels else self.key

    def __str__(self) -> str:
        return self.label()


def in_language(value: Any, language: str) -> Any:
    """A value as readers of `language` see it: a Term (or each Term of a tuple) as its
    label, anything else as it is (for front matter, open data, the feed)."""
    if isinstance(value, Term):
        return value.label(language)
    if isinstance(value, Objective):
        return value.name_in(language)
    if isinstance(value, tuple) and any(isinstance(item, Term) for item in value):
        return tuple(item.label(language) if isinstance(item, Term) else item for item in value)
    return value


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
    return first_sentence(description) or f"Outcome {safe_label(fragment_id)}"


def first_sentence(text: str, length: int = TITLE_LENGTH) -> str:
    """A text's first sentence on one line, shortened at a word to `length` characters
    ("" for no text): a title, or the significance under a list entry."""
    sentence = re.split(r"(?<=[.!?])\s", one_line(text), maxsplit=1)[0]
    if len(sentence) > length:
        cut = sentence[:length].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return safe_label(sentence)


def summary_sentence(text: object) -> str:
    """The line under a list entry: a text's (the significance's) first sentence, at most
    SUMMARY_LENGTH characters; "" for no text."""
    return first_sentence(str(text or ""), SUMMARY_LENGTH)


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


def normalise_language(text: str) -> Result:
    """The language an outcome is written in: 'Français', 'french', 'FR' → 'fr'. Not given:
    None (the site's language applies); a language the site does not know: None too, and
    a message saying so."""
    value = one_line(text)
    if not value:
        return None, None
    for code, spellings in TEXT_LANGUAGES:
        if spelling_key(value) in {spelling_key(spelling) for spelling in spellings}:
            return code, None
    known = " or ".join(f"{code} ({spellings[0]})" for code, spellings in TEXT_LANGUAGES)
    return None, (
        f"'{safe_label(value)}' is not a language this site knows; write {known}. "
        "Until then the outcome is taken to be in the site's language"
    )


# How a cell lists several values (types of change): as generator.privacy.guard.terms splits them.
_LIST_SEPARATORS = re.compile(r"[;,\n]|\s{2,}")


def spelling_key(text: str) -> str:
    """The matching key of a vocabulary value: folded as redaction folds text (case, accents,
    look-alike letters do not matter), spaces and punctuation dropped. "Behaviour change",
    "behaviour  CHANGE" and "Behaviourchange" are one value."""
    return "".join(words(text))


@dataclass(frozen=True)
class Vocabulary:
    """The values one field may take (types of change, social actors, scale): each as a
    Term with its other spellings, in the editors' order. `source` is the file they came
    from, as messages name it."""

    section: str  # its section in content/vocabularies.yml
    terms: tuple[tuple[Term, tuple[str, ...]], ...]  # (term, other spellings)
    source: str = "content/" + VOCABULARIES_FILE
    _by_spelling: Mapping[str, Term] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_spelling: dict[str, Term] = {}
        for term, also in self.terms:
            for spelling in (*(label for _, label in term.labels), *also):
                if spelling_key(spelling):
                    by_spelling.setdefault(spelling_key(spelling), term)
        object.__setattr__(self, "_by_spelling", by_spelling)

    @property
    def what(self) -> tuple[str, str]:
        """What one value and several are called in messages: ("type of change", "types of change")."""
        return next((one, many) for section, _, one, many in VOCABULARY_SECTIONS if section == self.section)

    @property
    def english(self) -> tuple[str, ...]:
        """The English labels, in order (the field reference lists them; browse pages and
        filters follow this order)."""
        return tuple(term.label("en") for term, _ in self.terms)

    def term(self, text: str) -> Term | None:
        """The value `text` is a spelling of, or None."""
        return self._by_spelling.get(spelling_key(text))

    def nearest(self, text: str) -> str | None:
        """The English label of the value `text` is most likely a misspelling of, or None."""
        close = difflib.get_close_matches(spelling_key(text), list(self._by_spelling), n=1, cutoff=0.8)
        return self._by_spelling[close[0]].label("en") if close else None


def vocabulary_term(english: str, french: str) -> Term:
    """A vocabulary's value: its key is the slug of its English label, so its page keeps
    the address it had before vocabularies had French labels."""
    return Term(slugify(english), (("en", english), ("fr", french)))


def built_in_vocabulary(section: str) -> Vocabulary:
    """A section's built-in vocabulary (generator/normalise/vocabulary.py)."""
    entries = dict(BUILT_IN_VOCABULARIES)[section]
    return Vocabulary(section, tuple((vocabulary_term(en, fr), also) for en, fr, also in entries))


def _quoted(values: list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


@dataclass(frozen=True)
class VocabularyValues:
    """The normaliser of a field whose values come from a vocabulary: each value (several
    in one cell when `several`) becomes the vocabulary's Term, whatever its spelling. A
    value the vocabulary does not know is published under the text as written, as a new
    value with that label in every language, and the message says so (one way only, so the
    report and the site always agree)."""

    vocabulary: Vocabulary
    several: bool = False

    def __call__(self, text: str) -> Result:
        parts = [one_line(part) for part in (_LIST_SEPARATORS.split(text) if self.several else [text])]
        terms: list[Term] = []
        new: list[str] = []
        for part in filter(None, parts):
            term = self.vocabulary.term(part)
            if term is None:
                term = Term(slugify(safe_label(part)), (("en", safe_label(part)),))
                if part not in new:
                    new.append(part)
            if all(term.key != known.key for known in terms):
                terms.append(term)
        message = self._message(new) if new else None
        if self.several:
            return tuple(terms), message
        return (terms[0] if terms else None), message

    def _message(self, new: list[str]) -> str:
        one, many = self.vocabulary.what
        source = self.vocabulary.source
        nearest = [self.vocabulary.nearest(value) for value in new]
        if len(new) == 1:
            text = (
                f"'{new[0]}' is not in {source}; published as a new {one} '{new[0]}': add it to {source} "
                "with its English and French labels, or correct the spelling"
            )
        else:
            text = (
                f"{_quoted(new)} are not in {source}; published as new {many} {_quoted(new)}: add them to "
                f"{source} with their English and French labels, or correct the spelling"
            )
        guesses = [
            f"'{value}' → '{guess}'" if len(new) > 1 else f"'{guess}'" for value, guess in zip(new, nearest) if guess
        ]
        return text + (f" (did you mean {', '.join(guesses)}?)" if guesses else "")


def closed(vocabulary: tuple[str, ...], spellings: tuple[tuple[str, str], ...]) -> Callable[[str], Result]:
    """A closed vocabulary with other spellings ((value, spelling) pairs): a value or a
    spelling, matched by slug (case, accents, spaces and punctuation do not matter), gives
    the value; anything else is kept as written, with a message listing the values."""
    known = {slugify(value): value for value in vocabulary}
    known.update((slugify(spelling), value) for value, spelling in spellings)

    def normalise_closed(text: str) -> Result:
        value = one_line(text)
        if not value:
            return None, None
        if slugify(value) in known:
            return known[slugify(value)], None
        return safe_label(value), f"'{value}' is not one of: {', '.join(vocabulary)}; write one of them"

    return normalise_closed


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


@dataclass(frozen=True)
class ObjectiveValues:
    """The normaliser of objectives when content/vocabularies.yml lists them: a cell
    "CIV: …" or "CIV" is the objective of that code (its label from the file, in every
    language), and so is a cell that is one of its labels or other spellings. An objective
    the file does not know is published as written (CODE: label), and the message says so,
    as VocabularyValues says it of the other vocabularies."""

    vocabulary: Vocabulary

    def __call__(self, text: str) -> Result:
        written, problem = normalise_objective(text)
        if not isinstance(written, Objective):
            return None, None
        by_code = {term.key: term for term, _ in self.vocabulary.terms}
        term = by_code.get(written.code) if problem is None else None
        term = term or self.vocabulary.term(written.label) or self.vocabulary.term(one_line(text))
        if term is not None:
            return Objective(term.key, term.label("en"), term.labels), None
        if problem is not None:  # no code: that says what to write
            return written, problem
        source = self.vocabulary.source
        nearest = self.vocabulary.nearest(written.label) if written.label else None
        guess = next((term.key for term, _ in self.vocabulary.terms if term.label("en") == nearest), None)
        return written, (
            f"'{written.name}' is not in {source}; published as a new objective '{written.name}': add it to "
            f"{source} with its code and its English and French labels, or correct the code"
            + (f" (did you mean '{guess}: {nearest}'?)" if guess else "")
        )


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
