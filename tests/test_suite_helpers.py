"""The suite's own reuse (tests/conftest.py's session helpers, tests/support.py) reuses nothing
that has changed: a theme file added or removed is listed again, a changed page template is
compiled again and a changed labels.yml read again. They run around every test, so a stale
reuse would make other tests pass or fail for the wrong reason."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.engine import Files
from generator.pages.renderer import Renderer
from generator.site_config import load_mkdocs_config
from support import ROOT, write_config


def _theme_files(folder: Path, theme: Path) -> set[str]:
    """The files the engine takes from the theme folders for a site whose custom_dir is `theme`."""
    (folder / "docs").mkdir(exist_ok=True)
    config = load_mkdocs_config(write_config(folder, theme_custom_dir=str(theme), docs_dir=str(folder / "docs")))
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return {file.src_uri for file in files}


def test_a_theme_file_added_or_removed_is_listed_again(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "templates" / "theme", theme)
    before = _theme_files(tmp_path, theme)
    (theme / "assets").mkdir(exist_ok=True)
    (theme / "assets" / "added.css").write_text("p {}\n", encoding="utf-8")
    assert _theme_files(tmp_path, theme) == before | {"assets/added.css"}
    (theme / "assets" / "added.css").unlink()
    assert _theme_files(tmp_path, theme) == before


def test_a_changed_page_template_or_labels_file_is_read_again(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates, ignore=shutil.ignore_patterns("theme"))
    (templates / "probe.md.j2").write_text("first {{ t.details }}", encoding="utf-8")
    assert Renderer(templates).environment.get_template("probe.md.j2").render() == "first Details"
    (templates / "probe.md.j2").write_text("second {{ t.details }}", encoding="utf-8")
    labels = templates / "labels.yml"
    labels.write_text(labels.read_text(encoding="utf-8").replace("en: Details", "en: Particulars", 1), encoding="utf-8")
    assert Renderer(templates).environment.get_template("probe.md.j2").render() == "second Particulars"
