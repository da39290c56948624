"""content/site.yml: the site is the programme's (issue 20, point 6), and the home page says
whose knowledge it is (issue 21, point 5). Checked on the built HTML of an English and a
French site of the fixture content with a site.yml and a logo carrying camera data."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import (
    FIXTURES,
    ROOT,
    kept_build,
    kept_content,
    run_cli_in_process,
    scratch_project,
    write_config,
    write_fragment,
)

SITE_YML = """\
# Whose site this is (README, "Name your site").
name:
  en: Sahel Civic Space outcomes
  fr: Effets Espace civique Sahel
programme:
  en: Sahel Civic Space Programme
  fr: Programme Espace civique Sahel
description:
  en: >-
    The programme supports human rights defenders in the Sahel. Twice a year its partners
    harvest outcomes: what changed, why it matters and how the programme contributed.
  fr: >-
    Le programme soutient les défenseurs des droits humains au Sahel. Deux fois par an, ses
    partenaires récoltent les effets.
contact:
  en: "Questions? Write to outcomes@example.org"
  fr: "Des questions ? Écrivez à outcomes@example.org"
logo: pages/logo.png
"""
CAMERA_OWNER = "Photographer Nadia Sample"


def _write_content(content: Path) -> None:
    """The fixture content with site.yml and a logo whose EXIF names its photographer, written
    afresh (the same bytes each run: the kept sites built from it are reused while it is)."""
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(FIXTURES / "site", content)
    (content / "site.yml").write_text(SITE_YML, encoding="utf-8")
    logo = Image.new("RGB", (48, 48), (20, 90, 160))
    exif = Image.Exif()
    exif[0x013B] = CAMERA_OWNER  # Artist
    logo.save(content / "pages" / "logo.png", exif=exif.tobytes())


def _plugins(content: Path) -> list[object]:
    return [
        {"search": {"enabled": False}},
        {"outcome-kb": {"content": str(content), "templates": str(ROOT / "templates")}},
    ]


def _project(folder: Path, language: str) -> tuple[Path, Path]:
    """That content in `folder` and a configuration in `language` that reads it: (content, mkdocs.yml)."""
    content = folder / "content"
    _write_content(content)
    return content, write_config(folder, plugins=_plugins(content), theme_language=language)


def _built(cache: Path, language: str) -> Path:
    """That content built in `language` with a configuration that reads it, kept between runs
    while nothing it is made from changes (support.kept_content, support.kept_build)."""
    with kept_content(cache, f"site-yml-{language}-content", _write_content) as content:
        return kept_build(
            cache, f"site-yml-{language}", content, plugins=_plugins(content), theme_language=language
        ).site


@pytest.fixture(scope="module")
def english(site_cache) -> Path:
    return _built(site_cache, "en")


@pytest.fixture(scope="module")
def french(site_cache) -> Path:
    return _built(site_cache, "fr")


def _page(site: Path, url: str = "") -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_header_and_the_tab_say_the_site_name_of_site_yml(english, french):
    home = _page(english)
    assert "<title>Sahel Civic Space outcomes</title>" in home
    assert '<span class="md-ellipsis">\n            Sahel Civic Space outcomes\n' in home  # the header's title
    assert "Outcome knowledge base" not in _text(home)
    dashboard = _page(english, "dashboard")
    assert "<title>Dashboard - Sahel Civic Space outcomes</title>" in dashboard
    assert "<title>Effets Espace civique Sahel</title>" in _page(french)
    assert '<meta name="description" content="The programme supports human rights defenders in the Sahel.' in home


def test_the_home_page_opens_with_the_programme_and_its_paragraph(english, french):
    home = _page(english)
    assert '<h1 id="home">Sahel Civic Space Programme</h1>' in home
    assert (
        '<p class="okb-lede">The programme supports human rights defenders in the Sahel. Twice a year its '
        "partners harvest outcomes: what changed, why it matters and how the programme contributed.</p>"
    ) in home
    assert '<h1 id="home">Programme Espace civique Sahel</h1>' in _page(french)
    assert "Deux fois par an, ses partenaires récoltent les effets.</p>" in _page(french)


def test_the_home_page_has_the_counts_the_map_the_newest_and_the_method(english, french):
    text = _text(_page(english))
    assert "Last updated: 2025 (harvest 5) How the outcomes are harvested" in text
    assert "10 published outcomes 5 countries and regions 5 years" in text
    assert '<h2 id="outcomes-on-a-map">' in _page(english)
    newest = _page(english).split('<ul class="okb-list okb-newest">')[1].split("</ul>")[0]
    assert newest.count("<li") == 5
    # Each with its significance's first sentence, on a line of its own under the link.
    assert '<span class="okb-significance">Civil society had been shut out of these decisions since 2019.' in newest
    assert '<a href="about/">How the outcomes are harvested</a>' in _page(english)
    assert "Dernière mise à jour : 2025 (harvest 5) Comment les effets sont récoltés" in _text(_page(french))
    # Headings in order: one h1, then h2s.
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", _page(english).split('class="md-content"')[1])]
    assert levels[0] == 1 and levels.count(1) == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))


def test_the_footer_has_the_contact_line_in_the_sites_language(english, french):
    assert '<p class="okb-footer__contact">Questions? Write to outcomes@example.org</p>' in _page(english, "dashboard")
    assert '<p class="okb-footer__contact">Des questions ? Écrivez à outcomes@example.org</p>' in _page(french)
    assert "Écrivez" not in _page(english) and "Write to" not in _page(french)


def test_the_logo_is_published_without_its_camera_data_and_named_for_readers(english, tmp_path):
    _write_content(tmp_path / "content")  # what the site is built from
    source = tmp_path / "content" / "pages" / "logo.png"
    assert CAMERA_OWNER.encode() in source.read_bytes()  # the fixture does carry it
    logo = english / "assets" / "site-logo.png"
    assert logo.is_file() and CAMERA_OWNER.encode() not in logo.read_bytes()
    with Image.open(logo) as published:
        assert dict(published.getexif()) == {} and published.size == (48, 48)
    for site_file in english.rglob("*"):
        if site_file.is_file():
            assert CAMERA_OWNER.encode() not in site_file.read_bytes(), site_file
    assert '<img src="assets/site-logo.png" alt="Sahel Civic Space outcomes">' in _page(english)
    assert '<img src="../assets/site-logo.png" alt="Sahel Civic Space outcomes">' in _page(english, "dashboard")


def test_an_svg_logo_is_published_without_its_metadata(tmp_path):
    content, config = _project(tmp_path, "en")
    (content / "pages" / "logo.svg").write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'inkscape:export-filename="/home/nadia/logo.png" viewBox="0 0 10 10">'
        f"<metadata>{CAMERA_OWNER}</metadata><!-- drawn by {CAMERA_OWNER} -->"
        '<title>Sahel programme</title><rect width="10" height="10" fill="#145aa0"/></svg>',
        encoding="utf-8",
    )
    (content / "site.yml").write_text(SITE_YML.replace("pages/logo.png", "pages/logo.svg"), encoding="utf-8")
    generate(Settings(contents=[content], docs_dir=tmp_path / "docs", config_file=config), reuse=False)
    logo = (tmp_path / "docs" / "assets" / "site-logo.svg").read_text(encoding="utf-8")
    assert "<title>Sahel programme</title>" in logo and '<rect width="10"' in logo
    assert CAMERA_OWNER not in logo and "nadia" not in logo and "inkscape" not in logo


def test_last_updated_is_the_datas_not_the_clocks(tmp_path):
    """Building the same content again, later and with every file's time changed, gives the same home page."""
    content, config = _project(tmp_path, "en")
    first = generate(Settings(contents=[content], docs_dir=tmp_path / "docs1", config_file=config), reuse=False)
    later = 10 * 365 * 24 * 3600
    for path in content.rglob("*"):
        stat = path.stat()
        os.utime(path, (stat.st_atime + later, stat.st_mtime + later))
    second = generate(Settings(contents=[content], docs_dir=tmp_path / "docs2", config_file=config), reuse=False)
    assert first.pages == second.pages
    home1 = (tmp_path / "docs1" / "index.md").read_text(encoding="utf-8")
    assert home1 == (tmp_path / "docs2" / "index.md").read_text(encoding="utf-8")
    assert 'Last updated: <time datetime="2025">2025</time> (harvest 5)' in home1


BROKEN = {
    "a setting it does not know": (
        "name: Our outcomes\ntitle: Our outcomes\n",
        "line 2: 'title' is not a setting of this file (the settings are 'name', 'programme', 'description', "
        "'contact', 'logo'; check the spelling)",
    ),
    "no text in the site's language": (
        "programme:\n  fr: Programme Sahel\n",
        "line 2: 'programme' (the programme's name, the home page's heading) has no text in 'en', the site's "
        "language (add a line 'en: …' under 'programme:', indented like the others)",
    ),
    "a logo outside the content folder": (
        "logo: ../mkdocs.yml\n",
        "line 1: the logo must be an image inside the content folder (copy it into content/pages/ and write "
        "'logo: pages/' and its file name)",
    ),
    "a logo that is not there": (
        "logo: pages/logo.png\n",
        "line 1: there is no logo file at this path (it is read from the content folder) (check the file's "
        "name, or put the image into content/pages/)",
    ),
    "not YAML": ("name: [Our outcomes\n", "line 2: this is not valid here"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_site_yml_stops_check_naming_file_line_and_what_to_do(case):
    project = scratch_project("okb-site-yml-")
    write_fragment(project / "content", "site-001")
    text, message = BROKEN[case]
    (project / "content" / "site.yml").write_text(text, encoding="utf-8")
    result = run_cli_in_process("check", cwd=project)
    assert result.returncode == 1
    site_yml = project.resolve() / "content" / "site.yml"
    assert f"Error: {site_yml}, {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_redacted_name_in_site_yml_stops_the_build_without_being_named():
    project = scratch_project("okb-site-yml-")
    write_fragment(project / "content", "site-001")
    (project / "content" / "redact.txt").write_text("Moussa Sangaré\n", encoding="utf-8")
    (project / "content" / "site.yml").write_text(
        "description: The programme supports MOUSSA SANGARE and other defenders.\n", encoding="utf-8"
    )
    result = run_cli_in_process("check", cwd=project)
    assert result.returncode == 1
    site_yml = project.resolve() / "content" / "site.yml"
    assert (
        f"Error: {site_yml}: a name of the redaction list (redact.txt) is in this file's texts, which every page "
        "shows (write the texts without it, then build again)"
    ) in result.stderr, result.stderr
    assert "moussa" not in (result.stdout + result.stderr).lower()
