"""Derive generator/data/world-110m.json (the world map's countries) from npm packages.

Run it by hand when the boundaries or names should change; the site build never runs it.

    mkdir -p /tmp/mapnpm && cd /tmp/mapnpm && npm init -y \
        && npm install world-atlas@2.0.2 i18n-iso-countries@7.14.0
    cd /work/main && .venv/bin/python tools/make_world_data.py /tmp/mapnpm/node_modules

world-atlas holds Natural Earth's Admin 0 countries (public domain) as TopoJSON in degrees:
countries-110m.json for the map, countries-50m.json only for the small countries the 1:110m
set leaves out (Mauritius, Cabo Verde, Singapore…). i18n-iso-countries gives ISO codes and the
English and French names. This script decodes the TopoJSON arcs itself (no runtime dependency),
projects them with Equal Earth, simplifies each shared arc once (so neighbours keep one common
border) and rounds to whole units.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.pages.worldmap import name_key

OUT = Path(__file__).resolve().parents[1] / "generator" / "data" / "world-110m.json"

# Equal Earth (Šavrič, Patterson, Jenny 2018): equal-area, so countries keep their relative
# sizes, and without the huge polar stretching of Mercator or plate carrée. RADIUS sets the
# unit: the world is about 1960 × 830 units, so one unit is about 0.18° and whole numbers
# are fine enough for a map a few hundred pixels wide.
RADIUS = 360
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
SQRT3_2 = math.sqrt(3) / 2

# Douglas–Peucker tolerance, in degrees as the arcs come (0.12° is about 0.65 units: under half
# a pixel on a phone-width map of Africa).
TOLERANCE = 0.12

Point = tuple[float, float]

# Parts that Natural Earth draws apart but ISO 3166 counts as part of a country.
MERGE_INTO = {"Somaliland": "706", "N. Cyprus": "196"}
# Natural Earth features without an ISO numeric code.
NO_NUMERIC = {"Kosovo": "XK"}
LEFT_OUT = {"010"}  # Antarctica: nobody's programme, and a quarter of the world's height

# Display names where i18n-iso-countries lists several English names and the first is not the
# one people use.
ENGLISH_NAME = {
    "CN": "China",
    "CG": "Republic of the Congo",
    "CD": "Democratic Republic of the Congo",
    "CZ": "Czechia",
    "GM": "The Gambia",
    "IR": "Iran",
    "NL": "Netherlands",
    "MK": "North Macedonia",
    "PS": "Palestine",
    "RU": "Russia",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "TR": "Türkiye",
    "US": "United States",
    "GB": "United Kingdom",
    "AE": "United Arab Emirates",
    "CI": "Côte d'Ivoire",
    "KR": "South Korea",
    "MD": "Moldova",
    "FM": "Micronesia",
    "VA": "Vatican City",
    "FK": "Falkland Islands",
}
# Spellings found in outcome records that neither the English nor the French name covers.
ALIASES = {
    "CI": ["Ivory Coast", "Cote d'Ivoire", "Côte-d'Ivoire", "Cote dIvoire"],
    "CD": [
        "DRC",
        "DR Congo",
        "D.R. Congo",
        "DR of Congo",
        "Democratic Republic of Congo",
        "RDC",
        "RD Congo",
        "R.D. Congo",
        "Congo-Kinshasa",
        "Congo Kinshasa",
        "Zaire",
        "Zaïre",
        "République démocratique du Congo",
    ],
    "CG": [
        "Congo",
        "Congo Brazzaville",
        "Congo-Brazzaville",
        "Republic of Congo",
        "Congo Republic",
        "République du Congo",
    ],
    "TZ": ["Tanzania", "United Republic of Tanzania", "Tanzanie"],
    "SZ": ["Eswatini", "eSwatini", "Swaziland", "Kingdom of Eswatini", "Eswatini (Swaziland)"],
    "SS": ["South Sudan", "Soudan du Sud", "Sud-Soudan"],
    "GM": ["Gambia", "The Gambia", "Gambie", "La Gambie"],
    "US": ["USA", "US", "U.S.", "U.S.A.", "United States", "United States of America", "Etats-Unis", "États-Unis"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "TR": ["Turkey", "Türkiye", "Turkiye", "Turquie"],
    "CF": ["CAR", "RCA", "Centrafrique", "Central African Republic"],
    "CV": ["Cape Verde", "Cap-Vert", "Cabo Verde"],
    "MM": ["Burma", "Birmanie"],
    "KP": ["North Korea", "DPRK", "Corée du Nord"],
    "KR": ["Korea", "South Korea", "Corée"],
    "LA": ["Laos", "Lao PDR"],
    "VN": ["Viet Nam", "Vietnam"],
    "SY": ["Syria"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "RU": ["Russia"],
    "PS": ["Palestine", "Palestinian Territories", "Occupied Palestinian Territory", "Territoires palestiniens"],
    "MK": ["Macedonia", "North Macedonia", "Macédoine du Nord"],
    "TL": ["East Timor", "Timor Leste", "Timor oriental"],
    "GW": ["Guinea Bissau", "Guinée Bissau"],
    "GQ": ["Equatorial Guinea", "Guinée équatoriale"],
    "PG": ["Papua New Guinea", "PNG"],
    "ST": ["Sao Tome and Principe", "São Tomé-et-Príncipe"],
    "BF": ["Burkina"],
    "NL": ["The Netherlands", "Holland"],
    "EH": ["Western Sahara", "Sahara occidental"],
    "XK": ["Kosovo"],
    "VA": ["Vatican", "Holy See"],
    "FM": ["Micronesia"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"],
    "AE": ["UAE", "Emirates"],
    "SA": ["KSA"],
    "IR": ["Iran"],
    "MD": ["Moldova"],
    "FK": ["Falkland Islands", "Malvinas"],
}
# When two countries give the same spelling, who keeps it; other collisions are dropped.
AMBIGUOUS_OWNER = {name_key("Congo"): "CG"}


def equal_earth(lon: float, lat: float) -> Point:
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(SQRT3_2 * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (SQRT3_2 * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return (RADIUS * x, -RADIUS * y)  # SVG's y grows downwards


def decode_arcs(topology: dict) -> list[list[Point]]:
    """TopoJSON arcs: quantized and delta-encoded positions → (longitude, latitude)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        qx = qy = 0
        points = []
        for dx, dy in arc:
            qx, qy = qx + dx, qy + dy
            points.append((qx * sx + tx, qy * sy + ty))
        arcs.append(points)
    return arcs


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, keeping both ends (they are where arcs meet)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, far_index = 0.0, -1
        for i in range(first + 1, last):
            distance = _distance_to_segment(points[i], points[first], points[last])
            if distance > far:
                far, far_index = distance, i
        if far > tolerance:
            keep[far_index] = True
            stack += [(first, far_index), (far_index, last)]
    return [point for point, kept in zip(points, keep) if kept]


def rounded(points: Iterable[Point]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for x, y in points:
        point = (round(x), round(y))
        if not out or out[-1] != point:
            out.append(point)
    return out


def ring_points(ring: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """A ring's points from its arc indexes (~i is arc i backwards); arcs share their ends."""
    points: list[Point] = []
    for index in ring:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def merge_rings(polygons: Sequence[Sequence[Sequence[int]]], arcs: Sequence[Sequence[Point]]) -> list[list[list[int]]]:
    """Outer rings of polygons that touch, joined: arcs used by two of them (the border
    between Somalia and Somaliland) are dropped and the rest stitched into rings. Holes
    are kept as they are. Each merged ring becomes a polygon of its own."""

    def start(arc: int) -> Point:
        return arcs[arc][0] if arc >= 0 else arcs[~arc][-1]

    def end(arc: int) -> Point:
        return arcs[arc][-1] if arc >= 0 else arcs[~arc][0]

    outer = [arc for polygon in polygons for arc in polygon[0]]
    shared = {arc for arc in outer if arc >= 0 and ~arc in outer}
    remaining = [arc for arc in outer if (arc if arc >= 0 else ~arc) not in shared]
    holes = [list(ring) for polygon in polygons for ring in polygon[1:]]
    rings: list[list[int]] = []
    while remaining:
        ring = [remaining.pop(0)]
        while end(ring[-1]) != start(ring[0]):
            following = next((arc for arc in remaining if start(arc) == end(ring[-1])), None)
            if following is None:
                break
            remaining.remove(following)
            ring.append(following)
        rings.append(ring)
    return [[ring] for ring in rings] + [[hole] for hole in holes]


def signed_area(points: Sequence[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]])) / 2


def centroid(points: Sequence[tuple[float, float]]) -> Point:
    area = signed_area(points)
    if abs(area) < 1e-9:
        xs, ys = zip(*points)
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, [*points[1:], points[0]]):
        cross = x0 * y1 - x1 * y0
        cx, cy = cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    return (cx / (6 * area), cy / (6 * area))


def path_data(rings: Sequence[Sequence[tuple[int, int]]]) -> str:
    """Absolute M … Z subpaths; after M, further pairs are implicit line-tos (no L needed),
    and a minus sign separates numbers by itself."""
    parts = []
    for ring in rings:
        text = "M"
        for x, y in ring:
            for number in (x, y):
                text += str(number) if text[-1] == "M" or number < 0 else f" {number}"
        parts.append(text + "Z")
    return "".join(parts)


def box_of(rings: Sequence[Sequence[tuple[float, float]]]) -> list[int]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return [math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys))]


@dataclass
class Shape:
    rings: list[list[tuple[int, int]]]
    box: list[int]  # the parts at least a quarter as large as the largest
    dot: list[float]


def _crossing(x_edge: float, a: Point, b: Point) -> Point:
    t = (x_edge - a[0]) / (b[0] - a[0])
    return (x_edge, a[1] + t * (b[1] - a[1]))


def clip(points: Sequence[Point], x_edge: float, keep_above: bool) -> list[Point]:
    """Sutherland–Hodgman against the meridian x = x_edge, keeping one side."""
    inside = (lambda p: p[0] >= x_edge) if keep_above else (lambda p: p[0] <= x_edge)
    out: list[Point] = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        if inside(current):
            if not inside(previous):
                out.append(_crossing(x_edge, previous, current))
            out.append(current)
        elif inside(previous):
            out.append(_crossing(x_edge, previous, current))
    return out


def split_at_antimeridian(points: Sequence[Point]) -> list[list[Point]]:
    """A ring that crosses ±180° (Fiji, Chukotka) as pieces on each side: world-atlas leaves such
    rings whole for spherical clipping, and projected as they are they would streak across the
    whole map. The ring is unwrapped into continuous longitudes, then cut into 360° windows."""
    closing = [*points[1:], points[0]]
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(points, closing)):
        return [list(points)]
    unwrapped = [points[0]]
    for x, y in points[1:]:
        previous_x = unwrapped[-1][0]
        unwrapped.append((x + 360 * round((previous_x - x) / 360), y))
    pieces = []
    for window in (-360, 0, 360):
        piece = clip(clip(unwrapped, window - 180, keep_above=True), window + 180, keep_above=False)
        if len(piece) >= 3:
            pieces.append([(x - window, y) for x, y in piece])
    return pieces


def projected_rings(ring: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[list[tuple[int, int]]]:
    """A ring of arc indexes as projected, rounded rings (more than one if it crosses ±180°);
    rings that rounding leaves without area are dropped."""
    out = []
    for piece in split_at_antimeridian(ring_points(ring, arcs)):
        points = rounded(equal_earth(x, y) for x, y in piece)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) >= 3 and signed_area(points) != 0:
            out.append(points)
    return out


def shape(
    polygons: Sequence[Sequence[Sequence[int]]], simplified: Sequence[Sequence[Point]], exact: Sequence[Sequence[Point]]
) -> Shape:
    rings: list[list[tuple[int, int]]] = []
    outers: list[list[tuple[int, int]]] = []
    for polygon in polygons:
        for position, ring in enumerate(polygon):
            pieces = projected_rings(ring, simplified)
            if position == 0 and not pieces:
                break  # a speck: its holes go with it
            rings += pieces
            if position == 0:
                outers += pieces
    if not outers:  # too small to survive simplification: keep its largest ring unsimplified
        candidates = [piece for polygon in polygons for piece in projected_rings(polygon[0], exact)]
        if candidates:
            largest = max(candidates, key=lambda ring: abs(signed_area(ring)))
            rings, outers = [largest], [largest]
        else:  # a dot on the map is all it can be
            own = [equal_earth(*point) for polygon in polygons for point in ring_points(polygon[0], exact)]
            x, y = centroid(own)
            return Shape([], [math.floor(x), math.floor(y), math.ceil(x), math.ceil(y)], [round(x, 1), round(y, 1)])
    sizes = [abs(signed_area(ring)) for ring in outers]
    main = [ring for ring, size in zip(outers, sizes) if size >= max(sizes) / 4]
    dot = centroid(outers[sizes.index(max(sizes))])
    return Shape(rings, box_of(main), [round(dot[0], 1), round(dot[1], 1)])


def geometries(topology: dict, arcs: Sequence[Sequence[Point]], strict: bool) -> dict[str, tuple[str, list]]:
    """ISO numeric (or alpha-2 for Kosovo) → (Natural Earth name, polygons of arc indexes).
    Strict: a feature without an ISO code stops the script (1:110m); otherwise it is skipped
    (1:50m's Ashmore and Cartier Is., Indian Ocean Ter. and the like)."""
    out: dict[str, tuple[str, list]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        key = MERGE_INTO.get(name) or geometry.get("id") or NO_NUMERIC.get(name)
        if key is None and strict:
            raise SystemExit(f"no ISO code for {name!r}")
        if key is None:
            continue
        if key in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        if key in out:  # a part merged into its country: the country keeps its own name
            own_name = out[key][0] if name in MERGE_INTO else name
            out[key] = (own_name, merge_rings(out[key][1] + polygons, arcs))
        else:
            out[key] = (name, polygons)
    return out


def names(packages: Path) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]], dict[str, str]]:
    """alpha-2 → numeric, numeric → alpha-2, alpha-2 → every English and French name, and
    alpha-2 → French name."""
    codes = json.loads((packages / "i18n-iso-countries" / "codes.json").read_text())
    en = json.loads((packages / "i18n-iso-countries" / "langs" / "en.json").read_text())["countries"]
    fr = json.loads((packages / "i18n-iso-countries" / "langs" / "fr.json").read_text())["countries"]
    numeric_of = {alpha2: numeric for alpha2, _, numeric, _ in codes}
    alpha2_of = {numeric: alpha2 for alpha2, numeric in numeric_of.items()}
    every: dict[str, list[str]] = {}
    for alpha2 in en:
        english = en[alpha2] if isinstance(en[alpha2], list) else [en[alpha2]]
        french = fr.get(alpha2, [])
        every[alpha2] = [*english, *(french if isinstance(french, list) else [french])]
    french_name = {alpha2: (v[0] if isinstance(v, list) else v) for alpha2, v in fr.items()}
    return numeric_of, alpha2_of, every, french_name


def resolve_aliases(candidates: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each spelling's key to one country: AMBIGUOUS_OWNER decides, otherwise a key that two
    countries claim is dropped (and reported), so no value can match the wrong country."""
    owners: dict[str, set[str]] = {}
    for alpha2, spellings in candidates.items():
        for spelling in filter(None, spellings):
            owners.setdefault(name_key(spelling), set()).add(alpha2)
    kept: dict[str, list[str]] = {}
    for alpha2, spellings in candidates.items():
        seen: set[str] = set()
        for spelling in filter(None, spellings):
            key = name_key(spelling)
            claimants = owners[key]
            if len(claimants) > 1 and AMBIGUOUS_OWNER.get(key) != alpha2:
                if key not in AMBIGUOUS_OWNER:
                    print(
                        f"dropped {spelling!r} for {alpha2}: also names {sorted(claimants - {alpha2})}", file=sys.stderr
                    )
                continue
            if key and key not in seen:  # "" is no spelling
                seen.add(key)
                kept.setdefault(alpha2, []).append(spelling)
    return kept


def check_unambiguous(entries: Sequence[dict]) -> None:
    """Stop if any spelling's key would name two countries (the site's alias table keeps one)."""
    owner: dict[str, str] = {}
    for entry in entries:
        for spelling in (entry["en"], entry["fr"], *entry["aliases"]):
            key = name_key(spelling)
            if owner.setdefault(key, entry["a2"]) != entry["a2"]:
                raise SystemExit(f"{spelling!r} names both {owner[key]} and {entry['a2']}")


@dataclass(frozen=True)
class Drawn:
    key: str  # ISO numeric, or the alpha-2 code where there is none (Kosovo)
    alpha2: str
    natural_earth_name: str
    shape: Shape


def drawn_countries(packages: Path, alpha2_of: dict[str, str]) -> list[Drawn]:
    """Every country of the 1:110m set, then those only the 1:50m set has."""
    countries: list[Drawn] = []
    for scale in ("110m", "50m"):
        topology = json.loads((packages / "world-atlas" / f"countries-{scale}.json").read_text())
        arcs = decode_arcs(topology)
        simplified = [simplify(arc, TOLERANCE) if len(arc) > 2 else arc for arc in arcs]  # once, shared by neighbours
        taken = {country.key for country in countries}
        for key, (natural_earth_name, polygons) in geometries(topology, arcs, strict=scale == "110m").items():
            if key in taken:
                continue  # 1:50m only fills in what 1:110m leaves out
            alpha2 = NO_NUMERIC.get(natural_earth_name) or alpha2_of[key]
            countries.append(Drawn(key, alpha2, natural_earth_name, shape(polygons, simplified, arcs)))
    return countries


def entry(
    country: Drawn, aliases: Sequence[str], every_name: dict[str, list[str]], french_name: dict[str, str]
) -> dict:
    """One country as the data file stores it."""
    alpha2 = country.alpha2
    english = ENGLISH_NAME.get(alpha2) or every_name.get(alpha2, [country.natural_earth_name])[0]
    french = french_name.get(alpha2, english)
    own = {name_key(english), name_key(french)}
    return {
        "id": "" if country.key == alpha2 else country.key,
        "a2": alpha2,
        "en": english,
        "fr": french,
        "aliases": [alias for alias in aliases if name_key(alias) not in own],
        "box": country.shape.box,
        "dot": country.shape.dot,
        "d": path_data(country.shape.rings),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("node_modules", type=Path, help="folder holding world-atlas and i18n-iso-countries")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    packages: Path = args.node_modules
    _, alpha2_of, every_name, french_name = names(packages)
    countries = drawn_countries(packages, alpha2_of)
    spellings = {
        c.alpha2: [
            *every_name.get(c.alpha2, []),
            ENGLISH_NAME.get(c.alpha2, ""),
            c.natural_earth_name,
            *ALIASES.get(c.alpha2, []),
        ]
        for c in countries
    }
    aliases = resolve_aliases(spellings)
    entries = [
        entry(c, aliases.get(c.alpha2, []), every_name, french_name) for c in sorted(countries, key=lambda c: c.alpha2)
    ]
    check_unambiguous(entries)
    data = {
        "source": "Natural Earth Admin 0 countries 1:110m (1:50m for small countries it leaves out), "
        "via world-atlas 2.0.2; names from i18n-iso-countries. Public domain / MIT; see README.md.",
        "projection": f"Equal Earth, radius {RADIUS} units, y downwards",
        "world": box_of([ring for c in countries for ring in c.shape.rings]),
        "countries": entries,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(entries)} countries, {args.out.stat().st_size} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
