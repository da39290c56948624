"""A fragment's list entry is rendered once for every page depth and joined with each
depth's root (Renderer.list_item_parts): the pages must be those of an entry rendered
for each depth, byte for byte."""

from pathlib import Path

from markupsafe import Markup

from generator.pages.renderer import Renderer
from generator.publish.generate import generate
from support import one_language_settings, write_fragment


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


def test_a_list_is_its_entries_each_on_its_line_as_the_template_loop_wrote_them(tmp_path, monkeypatch):
    """Renderer.list_items joins a list's entries in Python (a template's loop over ~100 entries
    a page was ~5 % of a preview's delete): the pages are those of the loop, byte for byte."""
    content = _content(tmp_path / "content")
    generate(one_language_settings(contents=[content], docs_dir=tmp_path / "joined"))
    lengths = []

    def as_the_loop(self, fragments, root, facets):  # what `{% for %}{{ list_item(…) }}\n{% endfor %}` wrote
        fragments = list(fragments)
        lengths.append(len(fragments))
        return Markup("".join(f"{self.list_item(fragment, root, facets)}\n" for fragment in fragments))

    monkeypatch.setattr(Renderer, "list_items", as_the_loop)
    generate(one_language_settings(contents=[content], docs_dir=tmp_path / "looped"))
    assert _docs(tmp_path / "joined") == _docs(tmp_path / "looped")
    assert max(lengths) > 1
