"""The site's URL folders are named once (generator/folders.py and the field table's
facets); mkdocs.yml's nav and not_in_nav must name the same ones, or a section tab leads
nowhere or a folder of thousands of pages floods the navigation."""

from __future__ import annotations

import tempfile

from generator import folders
from generator.fields import DEFAULT_TABLE
from generator.site_config import load_mkdocs_config
from support import ROOT


def _config():
    with tempfile.TemporaryDirectory() as empty:
        return load_mkdocs_config(ROOT / "mkdocs.yml", docs_dir=empty)


def _nav_pages(nav: list) -> list[str]:
    return [page for entry in nav for page in entry.values()]


def test_the_nav_lists_the_fixed_pages_and_every_browse_section_with_a_tab_in_order():
    browse = [
        folders.index_of(entry.facet.folder)
        for entry in DEFAULT_TABLE.facets("browse")
        if entry.facet and entry.facet.tab
    ]
    expected = [
        folders.HOME,
        folders.DASHBOARD,
        folders.CROSSTABS,
        folders.index_of(folders.RESULTS_FRAMEWORK),
        folders.ALL_OUTCOMES,
        *browse,
        folders.OPEN_DATA,
    ]
    assert _nav_pages(_config()["nav"]) == expected


def test_not_in_nav_names_every_generated_folder():
    not_in_nav = _config()["not_in_nav"]  # MkDocs' own matcher (.gitignore rules)
    generated = {folders.FRAGMENTS, folders.RESULTS_FRAMEWORK} | {
        entry.facet.folder for entry in DEFAULT_TABLE.facets("browse") if entry.facet
    }
    assert [folder for folder in sorted(generated) if not not_in_nav.match_file(f"{folder}/a-page.md")] == []


def test_every_facet_folder_is_named_in_the_folders_module():
    named = {value for name, value in vars(folders).items() if name.isupper() and isinstance(value, str)}
    assert {entry.facet.folder for entry in DEFAULT_TABLE if entry.facet and entry.facet.folder} <= named
