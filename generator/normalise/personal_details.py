"""Personal details in published text, for the quality report: e-mail addresses, phone
numbers and street addresses that an editor should look at before the site goes public.

Found by place and kind only: a finding names the file, the row or line and the field,
never the value (the report and the logs may be public). Redaction runs first, so a value
masked by redact.txt is no longer found. Only public outcomes are normalised, so a
held-back one is never scanned nor named.

What is looked for (a report to review, never a rule that holds anything back):

- an e-mail address: `name@domain.tld`, the simple pattern below;
- a phone number: what `phonenumbers` (Google's libphonenumber data) finds with its
  VALID leniency, international forms anywhere ("+226 70 12 34 56") and local forms in the
  numbering plan of the outcome's country when the country is known ("70 12 34 56" in a
  Burkina Faso outcome). A run of fewer than PHONE_DIGITS digits (years, amounts such as
  "2,500 people", output codes such as 1.4.2) is not even given to it: that is also what
  keeps the scan cheap on long texts;
- a street address, in English and French: a number before a street word ("12 rue
  Lumumba", "3, avenue de la Paix", "45 Kenyatta Avenue", "12 Main Street"), a street
  word before a name ("Avenue Kwame Nkrumah", "Boulevard de l'Indépendance", "Rue 12.34"),
  or a post office box ("B.P. 123", "BP 1234", "P.O. Box 56").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from generator.errors import Location, Problem
from generator.normalise.values import Term
from generator.pages.worldmap import find_country

EMAIL = "an e-mail address"
PHONE = "a phone number"
ADDRESS = "a street address"
KINDS = (EMAIL, PHONE, ADDRESS)  # in the order a finding names them

EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")

# Digits and the separators phone numbers are written with; PHONE_DIGITS or more digits
# before a number is worth the phonenumbers matcher (the shortest national numbers it
# would find as VALID have 7 or 8 digits).
PHONE_CANDIDATE = re.compile(r"\+?\(?\d[\d\s().\-/]*\d")
PHONE_DIGITS = 7

_FRENCH_STREET = r"rue|avenue|av\.|boulevard|bd|chemin|impasse|all[ée]e|route"
_ENGLISH_STREET = r"Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Boulevard|Drive|Close"
ADDRESS_PATTERNS = (
    # 12 rue Lumumba, 3 bis, avenue de la Paix, 10 Boulevard …: number, then a French street word
    re.compile(rf"\b\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:{_FRENCH_STREET})\s+\w", re.IGNORECASE),
    # 12 Main Street, 45 Kenyatta Avenue: number, capitalised name, English street word
    re.compile(rf"\b\d{{1,5}},?\s+(?:[A-Z][\w'’-]*\s+){{1,3}}(?:{_ENGLISH_STREET})(?!\w)"),
    # Avenue Kwame Nkrumah, Boulevard de l'Indépendance, Rue 12.34: a street word (written
    # with its capital) before a name or a number
    re.compile(r"\b(?:Avenue|Boulevard|Rue)\s+(?:(?:de la|de l'|de l’|du|des|de|d'|d’)\s*)?[A-Z\d]"),
    # B.P. 123, BP 1234, P.O. Box 56 (as written, in capitals: "bp" may be anything)
    re.compile(r"\b(?:B\.?\s?P|P\.?\s?O\.?\s+Box)\.?\s*\d"),
)


def _has_phone_number(text: str, regions: tuple[str, ...]) -> bool:
    if not any(sum(char.isdigit() for char in m.group()) >= PHONE_DIGITS for m in PHONE_CANDIDATE.finditer(text)):
        return False
    return any(
        phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID).has_next()
        for region in regions or ("ZZ",)  # ZZ: no country, international forms only
    )


def found_in(text: str, regions: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The kinds of personal detail `text` seems to hold, in KINDS' order. `regions`: the
    ISO 3166 codes of the outcome's countries, for local phone numbers (none: international
    forms only)."""
    found = []
    if "@" in text and EMAIL_PATTERN.search(text):
        found.append(EMAIL)
    if _has_phone_number(text, regions):
        found.append(PHONE)
    if any(pattern.search(text) for pattern in ADDRESS_PATTERNS):
        found.append(ADDRESS)
    return tuple(found)


def _names(value: object) -> Iterator[str]:
    if isinstance(value, Term):
        yield value.key
        yield from (label for _, label in value.labels)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _names(item)


def phone_regions(country: object) -> tuple[str, ...]:
    """The ISO 3166 alpha-2 codes of an outcome's country value (a name in English or
    French, a Term, or several of them), for reading local phone numbers; a region
    ("Sahel") or an unknown value has none."""
    codes = (find_country(name) for name in _names(country))
    return tuple(dict.fromkeys(c.alpha2 for c in codes if c is not None and c.alpha2 in phonenumbers.SUPPORTED_REGIONS))


def _listed(kinds: tuple[str, ...]) -> str:
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]


@dataclass(frozen=True)
class PersonalDetail(Problem):
    """A published field that seems to hold a personal detail: by place and kind, never the
    value. The build goes on; the quality report lists it apart from the warnings."""

    def __str__(self) -> str:
        return f"{self.location}, {self.field}: {self.message}; {self.hint}"


def personal_detail(location: Location, field: str, kinds: tuple[str, ...]) -> PersonalDetail:
    """'x.csv, row 12, Contribution: holds what looks like a phone number; check it and add
    it to content/redact.txt if it should not be published.'"""
    return PersonalDetail(
        location,
        field,
        f"holds what looks like {_listed(kinds)}",
        "check it and add it to content/redact.txt if it should not be published.",
    )
