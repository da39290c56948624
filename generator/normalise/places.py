"""Countries and regions: a Country value, in any common spelling, → one Term.

The countries are ISO 3166's, from the pycountry package: each is known by its ISO name,
official name and common name, their French translations (pycountry's gettext catalogue
`iso3166-1`) and the other names of generator/data/places.yml ("DRC", "Ivory Coast"). Its
Term's key is its alpha-2 code ("CI"), its labels the short names readers use ("Côte
d'Ivoire", "Tanzania"), and its page follows the English name (countries/cote-d-ivoire/),
so "Cameroon" and "Cameroun" are one country with one page, filter entry, bar and map shape.
Regions ("Sahel", "Afrique de l'Ouest") are places.yml's short list, keys "region-…".

Spellings are compared as the redaction list folds text (generator.privacy.redact.words:
case, accents, look-alike letters, punctuation and spaces do not matter). A value that
names none of them is published as written, with a message that names the nearest ones.
"""

from __future__ import annotations

import difflib
import functools
import gettext
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pycountry
import yaml

from generator.normalise.values import Result, Term, one_line, safe_label, spelling_key
from generator.privacy.redact import words

DATA_FILE = "places.yml"
NEAREST = 3  # names a message suggests at most
CLOSE_ENOUGH = 0.75  # difflib's ratio for a misspelt name ("Seneggal") to be suggested
LEADING_WORDS = ("the",)  # "The Gambia", "the Netherlands": also known without it


@dataclass(frozen=True)
class Places:
    """Every country and region (key → Term) and every spelling's key → the place's key."""

    terms: Mapping[str, Term]
    spellings: Mapping[str, str]
    countries: frozenset[str]  # the keys that are countries (ISO alpha-2 codes)

    def find(self, text: str) -> Term | None:
        folded = words(text)
        if folded and folded[0] in LEADING_WORDS and len(folded) > 1:
            key = self.spellings.get("".join(folded)) or self.spellings.get("".join(folded[1:]))
        else:
            key = self.spellings.get("".join(folded))
        return self.terms[key] if key else None

    def nearest(self, text: str) -> list[str]:
        """The English names of the places a spelling that matches none most likely means:
        those with a name that starts with it ("Burkina" → Burkina Faso), else the closest
        spellings ("Seneggal" → Senegal)."""
        wanted = spelling_key(text)
        if not wanted:
            return []
        keys = [key for spelling, key in self.spellings.items() if len(wanted) >= 3 and spelling.startswith(wanted)]
        if not keys:
            close = difflib.get_close_matches(wanted, list(self.spellings), n=NEAREST * 2, cutoff=CLOSE_ENOUGH)
            keys = [self.spellings[spelling] for spelling in close]
        return [self.terms[key].label("en") for key in dict.fromkeys(keys)][:NEAREST]

    def country_code(self, value: Any) -> str | None:
        """A country's ISO alpha-2 code when `value` is the Term of a country, else None (a
        region, a value published as written, anything else)."""
        if isinstance(value, Term) and value.key in self.countries and self.terms[value.key] == value:
            return value.key
        return None


def _country_terms(data: Mapping[str, Any]) -> dict[str, tuple[Term, list[str]]]:
    """ISO's countries (and places.yml's more_countries): code → (Term, every spelling)."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    names: Mapping[str, Mapping[str, str]] = data.get("names") or {}
    found: dict[str, tuple[Term, list[str]]] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        iso_names = [
            str(getattr(country, attr)) for attr in ("common_name", "name", "official_name") if hasattr(country, attr)
        ]
        given = names.get(code, {})
        english = given.get("en") or iso_names[0]
        french_name = given.get("fr") or french.gettext(iso_names[0])
        spellings = [english, french_name, *iso_names, *(french.gettext(name) for name in iso_names)]
        found[code] = (Term(code, (("en", english), ("fr", french_name)), slug=english), spellings)
    for code, given in (data.get("more_countries") or {}).items():
        found[str(code)] = (
            Term(str(code), (("en", given["en"]), ("fr", given["fr"])), slug=given["en"]),
            [*given.values()],
        )
    return found


def _spellings(entries: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Spelling key → place key, the first place to claim a spelling keeping it (ISO's own
    names come first, so another name can never take a country's ISO name)."""
    table: dict[str, str] = {}
    for key, spellings in entries:
        for spelling in spellings:
            folded = spelling_key(spelling)
            if folded:
                table.setdefault(folded, key)
    return table


@functools.cache
def places() -> Places:
    """The countries and regions, read once per process."""
    text = resources.files("generator").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    countries = _country_terms(data)
    regions = {
        str(region["key"]): Term(
            str(region["key"]), (("en", region["en"]), ("fr", region["fr"])), slug=str(region["en"])
        )
        for region in data.get("regions") or ()
    }
    other_names: Mapping[str, list[str]] = data.get("other_names") or {}
    entries: list[tuple[str, Iterable[str]]] = [(code, spellings) for code, (_, spellings) in countries.items()]
    entries += [(str(code), names) for code, names in other_names.items()]
    for region in data.get("regions") or ():
        entries.append((str(region["key"]), [region["en"], region["fr"], *(region.get("other_names") or ())]))
    terms = {code: term for code, (term, _) in countries.items()} | regions
    return Places(terms, _spellings(entries), frozenset(countries))


@functools.cache  # the same few values are met in every row
def normalise_place(text: str) -> Result:
    """A Country value → the Term of the country or region it names; a value that names
    none is published as written (a Term whose label is the text), with a message."""
    text = one_line(text)
    if not text:
        return None, None
    known = places()
    term = known.find(text)
    if term is not None:
        return term, None
    shown = safe_label(text)
    nearest = known.nearest(text)
    suggestion = f"; did you mean {' or '.join(repr(name) for name in nearest)}?" if nearest else "."
    return Term(shown, (("en", shown),)), (
        f"'{text}' is not a country or region we know{suggestion} Correct it, or it is published as written."
    )
