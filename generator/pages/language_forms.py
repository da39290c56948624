"""Numbers, dates and punctuation in the site's language, by Babel's locale data (CLDR):
"1,234" and "December 5, 2026" in English, "1 234" and "5 décembre 2026" in French.

The Renderer registers `number` and `date` as Jinja filters (`{{ n | number }}`,
`{{ day | date }}`), and `typography` applies to the interface text when it is loaded.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping

import babel
from babel.dates import format_date
from babel.numbers import format_decimal

# Where a language's typography wants a no-break space before some punctuation (French:
# before : ; ? !), the space it wants: U+00A0, as labels.yml's French texts (t.colon)
# already have it. (Numbers follow Babel's French group separator, U+202F.)
SPACE_BEFORE: Mapping[str, tuple[str, str]] = {"fr": (":;?!", "\u00a0")}


def locale_of(language: str) -> babel.Locale:
    """Babel's locale of a site language ("fr", "fr-CA", "en_GB"); English if Babel has none."""
    try:
        return babel.Locale.parse(language.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en")


def number_filter(language: str) -> Callable[[object], str]:
    """A count as the language writes it: 1234 → "1,234" (en), "1 234" (fr, U+202F)."""
    locale = locale_of(language)
    # The same counts come back on page after page: each is written by Babel once (by its
    # type too, as 1 and 1.0 are one key of a dict).
    written: dict[tuple[type, int | float], str] = {}

    def number(value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value)
        key = (type(value), value)
        text = written.get(key)
        if text is None:
            text = written[key] = str(format_decimal(value, locale=locale))
        return text

    return number


def date_filter(language: str) -> Callable[[object], str]:
    """A date as the language writes it in full: "December 5, 2026" (en), "5 décembre 2026" (fr)."""
    locale = locale_of(language)

    def date(value: object) -> str:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            return str(value)
        return str(format_date(value, format="long", locale=locale))

    return date


def typography(text: str, language: str) -> str:
    """Interface text with the language's spaces before punctuation: in French, "Pays :" and
    "Pays:" both become "Pays" + U+00A0 + ":". A colon followed by "//" (an address) is
    left alone."""
    rule = SPACE_BEFORE.get(language.replace("_", "-").split("-")[0].lower())
    if rule is None:
        return text
    marks, space = rule
    return re.sub(rf"[ \u00a0\u202f]*([{re.escape(marks)}])(?!//)(?=\s|$|[\"'»)])", space + r"\1", text)
