"""The map of outcomes per country: matching names, shading, cropping, the bundled data and
the template (templates/_map.svg.j2), rendered as the site renders templates."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jinja2
import pytest

from generator.pages.labels import fill, load_labels
from generator.pages.language_forms import number_filter
from generator.pages.worldmap import (
    DATA_FILE,
    PALETTE,
    atlas,
    crop_box,
    find_country,
    name_key,
    shade_classes,
    world_map,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SVG = "{http://www.w3.org/2000/svg}"

# The labels the map needs that templates/labels.yml does not have yet (the dashboard adds them).
MAP_LABELS = {
    "en": {
        "chart_map": "Outcomes on a map",
        "map_description": "Map of published outcomes per country: the darker a country, the more outcomes. "
        "Select a country to see its outcomes.",
        "map_area": "{name}: {count} {outcomes}",
        "map_legend": "Outcomes per country",
        "map_no_outcome": "No outcome",
        "map_regions": "Regions and other places, not on the map:",
    },
    "fr": {
        "chart_map": "Les effets sur une carte",
        "map_description": "Carte des effets publiés par pays : plus un pays est foncé, plus il compte d'effets. "
        "Sélectionnez un pays pour voir ses effets.",
        "map_area": "{name} : {count} {outcomes}",
        "map_legend": "Effets par pays",
        "map_no_outcome": "Aucun effet",
        "map_regions": "Régions et autres lieux, hors de la carte :",
    },
}

SAMPLE = [
    ("Kenya", 12, "countries/kenya.md"),
    ("Sahel", 7, "countries/sahel.md"),
    ("Uganda", 5, "countries/uganda.md"),
    ("DRC", 4, "countries/drc.md"),
    ("Rwanda", 3, "countries/rwanda.md"),
    ("East Africa", 2, "countries/east-africa.md"),
    ("Burundi", 1, "countries/burundi.md"),
    ("Ethiopia", 9, "countries/ethiopia.md"),
    ("Mauritius", 1, "countries/mauritius.md"),
    ("Global", 1, None),
]


# --- matching names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "alpha2"),
    [
        ("Kenya", "KE"),
        ("  KENYA ", "KE"),
        ("Côte d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),  # typographic apostrophe
        ("Cote d'Ivoire", "CI"),
        ("Côte-d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("DRC", "CD"),
        ("DR Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Democratic Republic of Congo", "CD"),
        ("République démocratique du Congo", "CD"),
        ("RDC", "CD"),
        ("Congo", "CG"),
        ("Republic of the Congo", "CG"),
        ("République du Congo", "CG"),
        ("Congo Brazzaville", "CG"),
        ("Congo-Brazzaville", "CG"),
        ("Burkina Faso", "BF"),
        ("Niger", "NE"),
        ("Nigeria", "NG"),
        ("Nigéria", "NG"),
        ("Guinea", "GN"),
        ("Guinée", "GN"),
        ("Guinea-Bissau", "GW"),
        ("Guinea Bissau", "GW"),
        ("Equatorial Guinea", "GQ"),
        ("Guinée équatoriale", "GQ"),
        ("Papua New Guinea", "PG"),
        ("Sudan", "SD"),
        ("Soudan", "SD"),
        ("South Sudan", "SS"),
        ("Soudan du Sud", "SS"),
        ("Tanzania", "TZ"),
        ("United Republic of Tanzania", "TZ"),
        ("Eswatini", "SZ"),
        ("Swaziland", "SZ"),
        ("The Gambia", "GM"),
        ("Gambia", "GM"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("UK", "GB"),
        ("Royaume-Uni", "GB"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Sénégal", "SN"),
        ("Tchad", "TD"),
        ("Mauritius", "MU"),  # only in the 1:50m set
    ],
)
def test_spellings_find_their_country(spelling: str, alpha2: str) -> None:
    country = find_country(spelling)
    assert country is not None, spelling
    assert country.alpha2 == alpha2


@pytest.mark.parametrize("value", ["Sahel", "East Africa", "Great Lakes", "Global", "West Africa", "", "Niger Delta"])
def test_regions_match_no_country(value: str) -> None:
    assert find_country(value) is None


def test_look_alike_names_stay_apart() -> None:
    groups = [
        ["Niger", "Nigeria"],
        ["Guinea", "Guinea-Bissau", "Equatorial Guinea", "Papua New Guinea"],
        ["Sudan", "South Sudan"],
        ["Congo", "DRC"],
        ["Dominica", "Dominican Republic"],
    ]
    for names in groups:
        codes = [find_country(name).alpha2 for name in names]  # type: ignore[union-attr]
        assert len(set(codes)) == len(codes), names


def test_name_key_ignores_case_accents_punctuation_and_filler() -> None:
    assert name_key("République  Démocratique du Congo") == name_key("republique democratique, Congo")
    assert name_key("Korea, Republic of") == name_key("Republic of Korea")
    assert name_key("Trinidad & Tobago") == name_key("Trinidad and Tobago")


def test_every_spelling_in_the_data_names_one_country() -> None:
    owner: dict[str, str] = {}
    for country in atlas().countries:
        for spelling in (country.en, country.fr, *country.aliases):
            assert owner.setdefault(name_key(spelling), country.alpha2) == country.alpha2, spelling


# --- the data ------------------------------------------------------------------------------


def test_data_file_is_small_and_complete() -> None:
    data = resources.files("generator").joinpath("data", DATA_FILE)
    assert len(data.read_bytes()) <= 150_000
    countries = atlas().countries
    assert len(countries) > 200
    codes = {country.alpha2 for country in countries}
    assert {"KE", "CD", "CG", "CI", "SS", "SZ", "XK", "MU", "SG", "CV"} <= codes
    numeric = [country.numeric for country in countries if country.numeric]
    assert all(re.fullmatch(r"\d{3}", code) for code in numeric) and len(set(numeric)) == len(numeric)
    assert all(country.en and country.fr for country in countries)


def test_path_data_is_only_moves_lines_closes_and_numbers() -> None:
    for country in atlas().countries:
        assert re.fullmatch(r"(?:M[-0-9. L]+Z)*", country.d), country.alpha2
        for ring in re.findall(r"M([^Z]*)Z", country.d):
            numbers = re.findall(r"-?\d+(?:\.\d+)?", ring)
            assert len(numbers) % 2 == 0 and len(numbers) >= 6, country.alpha2  # x y pairs, 3 corners at least


# --- the layout ----------------------------------------------------------------------------


def test_regions_are_listed_not_drawn() -> None:
    m = world_map(SAMPLE)
    assert [name for name, _, _ in m.regions] == ["Sahel", "East Africa", "Global"]
    assert {area.name for area in m.areas} == {"Kenya", "Uganda", "DRC", "Rwanda", "Burundi", "Ethiopia", "Mauritius"}
    assert m.regions[0] == ("Sahel", 7, "countries/sahel.md")
    assert [row[0] for row in m.rows] == [name for name, _, _ in SAMPLE]  # the table: every value, as given


def test_values_without_outcomes_are_left_out() -> None:
    m = world_map([("Kenya", 0, "countries/kenya.md"), ("Sahel", 0, None), ("Uganda", 2, None)])
    assert [area.name for area in m.areas] == ["Uganda"] and m.regions == () and len(m.rows) == 1


def test_two_spellings_of_one_country_make_one_area() -> None:
    m = world_map([("DRC", 4, "countries/drc.md"), ("DR Congo", 2, "countries/dr-congo.md")])
    assert [(a.name, a.count, a.path) for a in m.areas] == [("DRC", 6, "countries/drc.md")]
    assert len(m.rows) == 2


def test_shading_follows_counts() -> None:
    m = world_map(SAMPLE)
    by_count = sorted(m.areas, key=lambda area: area.count)
    shades = [area.shade for area in by_count]
    assert shades == sorted(shades)
    assert by_count[0].shade == 0 and by_count[-1].shade == len(m.legend) - 1
    assert 1 < len(m.legend) <= 5 and len(m.palette) == len(m.legend)
    for area in m.areas:
        _shade, low, high = m.legend[area.shade]
        assert low <= area.count <= high


def test_shade_classes_cover_every_count_without_overlap() -> None:
    assert shade_classes([1, 1, 1]) == ((0, 1, 1),)
    assert shade_classes([1, 2, 3, 40]) == ((0, 1, 1), (1, 2, 2), (2, 3, 3), (3, 40, 40))
    legend = shade_classes(list(range(1, 101)))
    assert len(legend) == 5 and legend[0][1] == 1 and legend[-1][2] == 100
    assert all(previous[2] < following[1] for previous, following in zip(legend, legend[1:]))
    assert shade_classes([]) == ()


def _view(m) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    x, y, width, height = (float(value) for value in m.view_box.split())
    return x, y, x + width, y + height


def test_crop_contains_every_area_and_is_readable() -> None:
    m = world_map(SAMPLE)
    x0, y0, x1, y1 = _view(m)
    world = atlas().world
    for area in m.areas:
        box = find_country(area.name).box  # type: ignore[union-attr]
        assert x0 <= box[0] and box[2] <= x1 and y0 <= box[1] and box[3] <= y1, area.name
    assert x1 - x0 < (world[2] - world[0]) / 2  # East Africa, not the world
    assert 0.85 <= (x1 - x0) / (y1 - y0) <= 1.65


def test_one_small_country_still_shows_its_neighbours() -> None:
    m = world_map([("Rwanda", 3, None)])
    x0, _y0, x1, _y1 = _view(m)
    world = atlas().world
    assert x1 - x0 >= 0.11 * (world[2] - world[0])
    assert m.areas[0].target is not None  # too narrow for a finger: a round target on top


def test_uncropped_and_empty_maps_show_the_world() -> None:
    world = tuple(float(v) for v in atlas().world)
    assert _view(world_map(SAMPLE, crop=False)) == world
    empty = world_map([("Sahel", 3, None)])
    assert _view(empty) == world and empty.areas == () and empty.legend == ()


def test_crop_stays_inside_the_world() -> None:
    world = atlas().world
    box = crop_box([atlas().find("New Zealand").box], world)  # type: ignore[union-attr]
    assert world[0] <= box[0] and box[2] <= world[2] and world[1] <= box[1] and box[3] <= world[3]


def test_background_holds_only_countries_in_view_and_not_the_areas() -> None:
    m = world_map([("Kenya", 2, None)])
    assert find_country("Kenya").d not in m.background  # type: ignore[union-attr]
    assert find_country("Peru").d not in m.background  # type: ignore[union-attr]
    assert find_country("Tanzania").d in m.background  # type: ignore[union-attr]


# --- the template --------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    # As generator/pages/templating.py sets it up: autoescape, strict, the `fill` filter.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["fill"] = fill
    environment.filters["number"] = number_filter("en")
    return environment


def render(m, language: str = "en") -> str:  # type: ignore[no-untyped-def]
    t = {**load_labels(TEMPLATES, language), **MAP_LABELS[language]}
    macro = _environment().get_template("_map.svg.j2").module.map_figure  # type: ignore[attr-defined]
    return str(macro(m, t, lambda path: "../" + path.removesuffix(".md") + "/"))


XLINK = "http://www.w3.org/1999/xlink"


def _svg(html: str) -> ET.Element:
    """The map's SVG, parsed as XML: its links' xlink:href needs the namespace declared there,
    which HTML (where the page has it) does not."""
    start, end = html.index("<svg"), html.index("</svg>", html.index("</a>")) + len("</svg>")
    return ET.fromstring(html[start:end].replace("<svg ", f'<svg xmlns:xlink="{XLINK}" ', 1))


def test_map_links_each_area_with_an_accessible_name() -> None:
    m = world_map(SAMPLE)
    html = render(m)
    svg = _svg(html)
    assert svg.get("role") == "group" and svg.get("aria-label")
    links = svg.findall(f"{SVG}a")
    assert len(links) == len(m.areas)
    names = {link.get("aria-label") for link in links}
    assert "Kenya: 12 outcomes" in names and "Burundi: 1 outcome" in names
    assert {link.get(f"{{{XLINK}}}href") for link in links} >= {"../countries/kenya/", "../countries/drc/"}
    for link in links:
        title = link.find(f"{SVG}title")
        assert title is not None and title.text == link.get("aria-label")  # the tooltip says the same
    background = svg.find(f"{SVG}path")
    assert background is not None and background.get("aria-hidden") == "true"


def test_no_link_sits_inside_an_image_role() -> None:
    html = render(world_map(SAMPLE))
    svg = _svg(html)
    parents = {child: parent for parent in svg.iter() for child in parent}
    assert 'role="img"' not in html
    for link in svg.iter(f"{SVG}a"):
        node = link
        while node in parents:
            node = parents[node]
            assert node.get("role") != "img"


def test_template_lists_regions_legend_and_table() -> None:
    m = world_map(SAMPLE)
    html = render(m)
    assert '<a href="../countries/sahel/">Sahel</a>: 7' in html
    assert "<li>Global: 1</li>" in html
    table = ET.fromstring(html[html.index("<table>") : html.index("</table>") + len("</table>")])
    rows = table.findall("./tbody/tr")
    assert len(rows) == len(SAMPLE)
    for shade, low, _high in m.legend:
        assert f'fill="{m.palette[shade]}"/></svg> {low}' in html


def test_template_escapes_values_and_has_no_inline_handlers_or_style_element() -> None:
    m = world_map([("Kenya", 2, "countries/kenya.md"), ('<script>alert("x")</script>', 1, None)])
    html = render(m)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r"\son[a-z]+=", html) and "<style" not in html


def test_template_speaks_french() -> None:
    html = render(world_map([("Kenya", 2, "countries/kenya.md")]), "fr")
    assert 'aria-label="Kenya : 2 effets"' in html and "Aucun effet" in html


def test_palette_is_a_sequence_from_light_to_dark() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    values = [luminance(colour) for colour in PALETTE]
    assert values == sorted(values, reverse=True)
    for lighter, darker in zip(values, values[1:]):
        assert (lighter + 0.05) / (darker + 0.05) >= 1.3  # neighbouring shades tell apart


def test_macro_works_as_the_dashboard_will_call_it() -> None:
    # The site's `href` (Renderer.href) is a pass_context function that reads the page's `root`;
    # Jinja gives it the macro's own context, so the macro is imported `with context`, as the
    # bar chart's is. This stand-in reads `root` the same way.
    @jinja2.pass_context
    def href(context: jinja2.runtime.Context, to_path: str) -> str:
        return str(context["root"]) + to_path.removesuffix(".md") + "/"

    environment = _environment()
    environment.globals.update(href=href, t={**load_labels(TEMPLATES, "en"), **MAP_LABELS["en"]})
    page = environment.from_string(
        '{% import "_map.svg.j2" as worldmap with context %}{{ worldmap.map_figure(world_map, t, href) }}'
    )
    html = page.render(root="../", world_map=world_map([("Kenya", 2, "countries/kenya.md")]))
    assert 'href="../countries/kenya/"' in html
