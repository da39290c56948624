"""A map of outcomes per country: a static SVG drawn at build time, no tiles, no other host.

The country shapes are bundled in generator/data/world-110m.json (Natural Earth 1:110m, public
domain, already projected with Equal Earth and simplified by tools/make_world_data.py). This
module only matches the dashboard's countries to those shapes, shades them by count and
crops the view to where the outcomes are; templates/_map.svg.j2 draws the result.

The site's countries are matched by their ISO 3166 alpha-2 code (the normalise stage made
each country value one country: generator/normalise/places.py), so the map, its table and the
charts count the same countries. Without codes (a caller that gives only names), matching is forgiving (case, accents, punctuation, "the", "Republic of" and word order do not
matter) through one alias table built from the data's English and French names and its
alternative spellings. A value that matches no country ("Sahel", "East Africa", "Global") is a
region: it is listed beside the map, never drawn.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

DATA_FILE = "world-110m.json"

# Fill colours of the shade classes, lightest (fewest outcomes) first: a blue sequence in the
# spirit of Material's default indigo, each step clearly darker than the one before and the
# lightest still distinct from the grey of countries without outcomes.
PALETTE = ("#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
LAND_COLOUR = "#d9d9d9"  # countries without outcomes
BORDER_COLOUR = "#ffffff"  # borders take the page colour, so neighbours stay apart
DOT_OUTLINE = PALETTE[-1]  # a dot for a tiny country sits on the page, not on land: outlined dark

# Phone layout: on a 390 px wide phone Material leaves about 358 px for the content. Areas
# narrower than a tap target there get an invisible round target on top; areas too small to
# see at all also get a visible dot.
PHONE_CONTENT_WIDTH = 358
TAP_TARGET_PX = 24
VISIBLE_PX = 6
DOT_PX = 5

# Cropping: a margin around the countries with outcomes, a minimum width (one country alone
# still shows its neighbours) and an aspect ratio a phone can show without a sliver.
CROP_MARGIN = 0.08  # of the larger side of the countries' box
MIN_CROP_FRACTION = 0.12  # of the world's width: about 40° of longitude
MIN_ASPECT = 0.9  # width / height: a map a little taller than wide still fits a phone
MAX_ASPECT = 1.6  # wider would leave a thin strip on a phone (the uncropped world is 2.3)

# Words that do not tell one country from another ("Republic of the Congo" is "Congo",
# "République du Niger" is "Niger"). The tools script checks no two countries then collide.
FILLER_WORDS = frozenset(
    {"the", "of", "and", "republic", "rep", "la", "le", "les", "l", "de", "du", "des", "d", "et", "republique"}
)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the data's projected units
Row = tuple[str, int, "str | None"]  # value as the site shows it, outcomes, docs path of its page


def name_key(name: str) -> str:
    """The form names are compared in: lower case, no accents, no punctuation, no filler
    words, words sorted ("Korea, Republic of" and "Republic of Korea" are one key)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.findall(r"[a-z0-9]+", plain)
    return " ".join(sorted(word for word in words if word not in FILLER_WORDS))


@dataclass(frozen=True)
class Country:
    numeric: str  # ISO 3166-1 numeric ("404"); "" for Kosovo, which has none
    alpha2: str  # ISO 3166-1 alpha-2 ("KE"; "XK" for Kosovo)
    en: str
    fr: str
    aliases: tuple[str, ...]
    d: str  # SVG path data, projected units
    box: Box  # the main landmass, for cropping (France without French Guiana)
    bounds: Box  # every part, for deciding what a view shows
    dot: tuple[float, float]  # a point inside its largest part


@dataclass(frozen=True)
class Atlas:
    countries: tuple[Country, ...]
    world: Box
    by_key: Mapping[str, Country] = field(repr=False)

    def find(self, name: str) -> Country | None:
        return self.by_key.get(name_key(name))

    def find_code(self, code: str) -> Country | None:
        return next((country for country in self.countries if country.alpha2 == code), None)


@dataclass(frozen=True)
class MapArea:
    name: str  # the value as the site shows it
    count: int
    path: str | None  # docs path of its listing page, e.g. "countries/kenya.md"
    d: str  # SVG path data
    shade: int  # 0..len(WorldMap.palette)-1, by count
    # A round tap target (cx, cy, r) when the shape is narrower than a finger on a phone.
    target: tuple[float, float, float] | None = None
    dot_radius: float = 0.0  # a visible dot at the target's centre when the shape is too small to see


@dataclass(frozen=True)
class WorldMap:
    view_box: str
    areas: tuple[MapArea, ...]  # countries with outcomes, in the order given
    background: str  # path data of the other countries in view, one path
    regions: tuple[Row, ...]  # values that are not countries
    legend: tuple[tuple[int, int, int], ...]  # shade, lowest count, highest count
    palette: tuple[str, ...] = ()  # fill colour of each shade
    rows: tuple[Row, ...] = ()  # every value with outcomes, as given: the table under the map
    land_colour: str = LAND_COLOUR
    border_colour: str = BORDER_COLOUR
    dot_outline: str = DOT_OUTLINE


def _numbers(d: str) -> list[float]:
    return [float(number) for number in re.findall(r"-?\d+(?:\.\d+)?", d)]


def _bounds(d: str, fallback: tuple[float, float]) -> Box:
    numbers = _numbers(d)
    xs, ys = numbers[0::2] or [fallback[0]], numbers[1::2] or [fallback[1]]
    return (min(xs), min(ys), max(xs), max(ys))


def _box(values: Sequence[float]) -> Box:
    x0, y0, x1, y1 = values
    return (x0, y0, x1, y1)


def _country(entry: Mapping[str, Any]) -> Country:
    """A country from its entry in the data file (see generator/data/README.md)."""
    x, y = entry["dot"]
    return Country(
        numeric=entry["id"],
        alpha2=entry["a2"],
        en=entry["en"],
        fr=entry["fr"],
        aliases=tuple(entry["aliases"]),
        d=entry["d"],
        box=_box(entry["box"]),
        bounds=_bounds(entry["d"], (x, y)),
        dot=(x, y),
    )


def alias_table(countries: Sequence[Country]) -> dict[str, Country]:
    """Every spelling's key → its country. The data is built so that no key names two
    countries; should one ever do so, the first country keeps it."""
    table: dict[str, Country] = {}
    for country in countries:
        for name in (country.en, country.fr, *country.aliases):
            table.setdefault(name_key(name), country)
    table.pop("", None)
    return table


@lru_cache(maxsize=1)
def atlas() -> Atlas:
    """The bundled countries, read once per process."""
    text = resources.files("generator").joinpath("data", DATA_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    countries = tuple(_country(entry) for entry in data["countries"])
    return Atlas(countries, _box(data["world"]), MappingProxyType(alias_table(countries)))


def find_country(name: str) -> Country | None:
    """The country a value names, or None for a region ("Sahel") or an unknown value."""
    return atlas().find(name)


def shade_classes(counts: Sequence[int], classes: int = len(PALETTE)) -> tuple[tuple[int, int, int], ...]:
    """Up to `classes` shades, each a run of neighbouring distinct counts with about as many
    distinct counts in each (so 1, 2, 3 and 40 get four shades, not one for 1–8 and one for 40)."""
    distinct = sorted(set(counts))
    n = min(classes, len(distinct))
    legend = []
    for shade in range(n):
        chunk = distinct[shade * len(distinct) // n : (shade + 1) * len(distinct) // n]
        legend.append((shade, chunk[0], chunk[-1]))
    return tuple(legend)


def _shade_of(count: int, legend: Sequence[tuple[int, int, int]]) -> int:
    return next(shade for shade, low, high in legend if low <= count <= high)


def _palette(n: int) -> tuple[str, ...]:
    """n colours spread over the palette, so three shades are light, middle and dark."""
    if n <= 1:
        return PALETTE[2:3] if n else ()
    last = len(PALETTE) - 1
    return tuple(PALETTE[round(i * last / (n - 1))] for i in range(n))


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _fit(low: float, size: float, world_low: float, world_size: float) -> tuple[float, float]:
    """Slide (low, size) into the world's range, or take the whole range if it is larger."""
    if size >= world_size:
        return world_low, world_size
    return min(max(low, world_low), world_low + world_size - size), size


def crop_box(boxes: Sequence[Box], world: Box) -> Box:
    """The view around `boxes`: a margin, a minimum width, a readable aspect ratio, inside the world."""
    x0, y0, x1, y1 = _union(boxes)
    world_width, world_height = world[2] - world[0], world[3] - world[1]
    margin = CROP_MARGIN * max(x1 - x0, y1 - y0)
    width = max(x1 - x0 + 2 * margin, MIN_CROP_FRACTION * world_width)
    height = y1 - y0 + 2 * margin
    width = max(width, height * MIN_ASPECT)
    height = max(height, width / MAX_ASPECT)
    left, width = _fit((x0 + x1 - width) / 2, width, world[0], world_width)
    top, height = _fit((y0 + y1 - height) / 2, height, world[1], world_height)
    return (left, top, left + width, top + height)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _tap_target(country: Country, units_per_px: float) -> tuple[tuple[float, float, float] | None, float]:
    x0, y0, x1, y1 = country.box
    smaller_side_px = min(x1 - x0, y1 - y0) / units_per_px
    if smaller_side_px >= TAP_TARGET_PX:
        return None, 0.0
    cx, cy = country.dot
    target = (cx, cy, round(TAP_TARGET_PX / 2 * units_per_px, 1))
    larger_side_px = max(x1 - x0, y1 - y0) / units_per_px
    dot = round(DOT_PX / 2 * units_per_px, 1) if larger_side_px < VISIBLE_PX else 0.0
    return target, dot


def _merged(
    counts: Sequence[Row], bundled: Atlas, codes: Sequence[str | None] | None
) -> tuple[list[tuple[Country, Row]], list[Row]]:
    """Values with outcomes split into countries and regions: by their ISO code when `codes`
    gives one per row (None: not a country), else by name. Two rows of one country ("DRC"
    and "DR Congo" by name) make one area: the first row's name and page, both counts."""
    countries: dict[str, tuple[Country, Row]] = {}
    regions: list[Row] = []
    for position, (name, count, path) in enumerate(counts):
        if count <= 0:
            continue
        if codes is None:
            country = bundled.find(name)
        else:
            code = codes[position]
            country = bundled.find_code(code) if code else None
        if country is None:
            regions.append((name, count, path))
        elif country.alpha2 in countries:
            first_name, first_count, first_path = countries[country.alpha2][1]
            countries[country.alpha2] = (country, (first_name, first_count + count, first_path))
        else:
            countries[country.alpha2] = (country, (name, count, path))
    return list(countries.values()), regions


def _view_box_text(box: Box) -> str:
    x0, y0, x1, y1 = (round(value) for value in box)
    return f"{x0} {y0} {x1 - x0} {y1 - y0}"


def world_map(counts: Sequence[Row], *, crop: bool = True, codes: Sequence[str | None] | None = None) -> WorldMap:
    """The map of `counts` (value, outcomes, docs path of its page), e.g. the dashboard's
    country listings; `codes`: each row's ISO alpha-2 code, None for a region or a value
    that is no country (without codes, rows are matched by name). With crop, the view is
    the countries with outcomes plus a margin."""
    bundled = atlas()
    matched, regions = _merged(counts, bundled, codes)
    view = crop_box([country.box for country, _ in matched], bundled.world) if crop and matched else bundled.world
    view = _box([float(round(value)) for value in view])
    units_per_px = (view[2] - view[0]) / PHONE_CONTENT_WIDTH
    legend = shade_classes([row[1] for _, row in matched])
    areas = []
    for country, (name, count, path) in matched:
        target, dot_radius = _tap_target(country, units_per_px)
        areas.append(MapArea(name, count, path, country.d, _shade_of(count, legend), target, dot_radius))
    shown = {country.alpha2 for country, _ in matched}
    background = "".join(
        country.d for country in bundled.countries if country.alpha2 not in shown and _overlaps(country.bounds, view)
    )
    rows = tuple((name, count, path) for name, count, path in counts if count > 0)
    return WorldMap(_view_box_text(view), tuple(areas), background, tuple(regions), legend, _palette(len(legend)), rows)
