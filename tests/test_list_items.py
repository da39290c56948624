"""A fragment's list entry is rendered once for every page depth and joined with each
depth's root (Renderer.list_item_parts): the pages must be those of an entry rendered
for each depth, byte for byte."""

from pathlib import Path

import pytest

from generator.pages.renderer import Renderer
from generator.publish.generate import generate
from support import one_language_settings, write_fragment

pytestmark = pytest.mark.usefixtures("reused_templates")


def _content(folder: Path) -> Path:
    folder.mkdir()
    write_fragment(folder, "a", Related_outcomes="B C", Significance_of_the_outcome="It matters <a lot> & more.")
    write_fragment(folder, "b", coutnry="Niger", Year="2024", Language="fr")
    write_fragment(folder, "c", coutnry="Chad", Related_outcomes="A", MCQType_of_change="Policy change")
    return folder


def _docs(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_entries_joined_at_each_depth_are_those_rendered_at_each_depth(tmp_path, monkeypatch):
    content = _content(tmp_path / "content")
    generate(one_language_settings(contents=[content], docs_dir=tmp_path / "joined"))
    # Without parts (as where a text holds the mark): each depth's entry rendered on its own.
    monkeypatch.setattr(Renderer, "list_item_parts", lambda self, fragment, facets: ("whole",))
    generate(one_language_settings(contents=[content], docs_dir=tmp_path / "rendered"))
    joined, rendered = _docs(tmp_path / "joined"), _docs(tmp_path / "rendered")
    assert joined == rendered
    assert sum(page.count(b'class="okb-item"') for page in joined.values()) > 6  # entries at several depths
