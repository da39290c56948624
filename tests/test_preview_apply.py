"""generator/preview/apply.py in this process: a saved edit rebuilds the pages it changed with
MkDocs' own page functions and gives the site a full build gives; what only a full build
shows right gets one; and a MkDocs whose private page functions changed gets full
rebuilds, never a crash."""

from __future__ import annotations

import logging
import shutil
import types
from pathlib import Path

import pytest

from generator import forking
from generator.engine import ENGINE, load_config
from generator.engine import build as engine_build
from generator.engine import build_module as mkdocs_build
from generator.errors import BuildError
from generator.plugin import plugin_of
from generator.preview import apply as preview
from generator.publish import write
from support import ROOT, write_fragment

PLUGIN_LOGGER = f"{ENGINE.logger}.plugins.outcome_kb"  # the preview's log, under the engine's

pytestmark = pytest.mark.usefixtures("verified_memos")

EDITED = "civ007.txt"
EDITED_PAGE = "fragments/demo-eha2406-civ007/index.html"


@pytest.fixture
def project(tmp_path):
    """The project's mkdocs.yml and templates with three fragments and a hand-written page:
    a MkDocs build of it is quick."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    fragments = tmp_path / "content" / "fragments"
    fragments.mkdir(parents=True)
    write_fragment(
        fragments,
        "civ007",
        FragmentID="DEMO-EHA2406/CIV007",
        Outcome_description="Since 2024, a district council in Uganda has required permits for meetings.",
        coutnry="Uganda",
    )
    write_fragment(fragments, "pea003", FragmentID="DEMO-EHA2201/PEA003", coutnry="Uganda")
    write_fragment(fragments, "gen008", FragmentID="DEMO-SAH2407/GEN008")
    (tmp_path / "content" / "pages").mkdir()
    shutil.copy(ROOT / "content" / "pages" / "about.md", tmp_path / "content" / "pages" / "about.md")
    (tmp_path / "docs").mkdir()
    return tmp_path


def serving(project):
    """The configuration as `mkdocs serve` loads it, with the plugin started for a preview."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    plugin = plugin_of(config)
    assert plugin is not None
    config.plugins.on_startup(command="serve", dirty=False)
    return config, plugin


def full_build(project):
    """A preview's first build: MkDocs' whole build, which the plugin keeps for the next saves."""
    config, plugin = serving(project)
    engine_build(config)
    return config, plugin


def edit(project, old, new):
    fragment = project / "content" / "fragments" / EDITED
    text = fragment.read_text(encoding="utf-8")
    assert old in text
    fragment.write_text(text.replace(old, new, 1), encoding="utf-8")


def site_tree(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def assert_same_site(config):
    """The preview's site is byte for byte what MkDocs' full build of the same docs gives.
    (The same configuration and plugin: MkDocs keeps one instance of a plugin that has
    on_startup for the whole process, so a second project would take over the preview's.)"""
    site = Path(config.site_dir)
    rebuilt_pages = site_tree(site)
    engine_build(config)  # cleans the site folder first
    built = site_tree(site)
    assert sorted(rebuilt_pages) == sorted(built)
    different = [path for path in built if rebuilt_pages[path] != built[path]]
    assert not different, f"the preview's site differs from a full build's in {different}"


def test_saved_edits_rebuild_the_pages_they_changed_and_give_a_full_builds_site(project, caplog):
    config, plugin = full_build(project)
    assert plugin.last_build is not None
    edit(project, "a district council", "a county council")
    with caplog.at_level(logging.INFO, logger=PLUGIN_LOGGER):
        assert plugin.rebuild_changed_pages()
    assert "a county council" in (project / "site" / EDITED_PAGE).read_text(encoding="utf-8")
    assert "the pages the change touched" in caplog.text
    assert "A full rebuild is needed" not in caplog.text
    assert_same_site(config)

    edit(project, "CONFIDENTIAL**: 0", "CONFIDENTIAL**: 1")  # its page, its folder, its sitemap entry go
    with caplog.at_level(logging.INFO, logger=PLUGIN_LOGGER):
        assert plugin.rebuild_changed_pages()
    assert "A full rebuild is needed" not in caplog.text
    assert not (project / "site" / "fragments" / "demo-eha2406-civ007").exists()
    assert_same_site(config)


def test_a_rebuilt_page_is_written_over_in_place_and_the_engines_writer_given_back(project, monkeypatch):
    # apply._pages_written_in_place: the engine's pages written over the old file, then cut to
    # their length (publish/write.py), not cut to nothing, then written; a page with no file yet
    # (an added fragment's) is written by the engine's own write_file, given back after the save.
    config, plugin = full_build(project)
    written_over: list[tuple[str, bool]] = []

    def overwritten(target, data):
        done = write.overwritten(target, data)
        written_over.append((Path(target).relative_to(project / "site").as_posix(), done))
        return done

    monkeypatch.setattr(preview, "overwritten", overwritten)
    write_file = mkdocs_build.utils.write_file
    edit(project, "a district council in Uganda has required permits for meetings", "a council acted")  # shorter
    assert plugin.rebuild_changed_pages()
    assert mkdocs_build.utils.write_file is write_file, "the engine's own write_file is given back"
    assert (EDITED_PAGE, True) in written_over
    assert "a council acted" in (project / "site" / EDITED_PAGE).read_text(encoding="utf-8")
    assert_same_site(config)
    config, plugin = full_build(project)
    written_over.clear()
    write_fragment(project / "content" / "fragments", "new001", FragmentID="DEMO-NEW/001")
    assert plugin.rebuild_changed_pages()
    assert ("fragments/demo-new-001/index.html", False) in written_over, "a new page: the engine writes it"
    assert ("sitemap.xml", True) in written_over
    assert_same_site(config)


def changes(written=(), removed=()):
    return preview.Changes(tuple(written), tuple(removed), ("about.md",))


def test_a_page_leaving_the_navigation_needs_a_full_build(project):
    _, plugin = full_build(project)
    with pytest.raises(preview.NeedsFullBuild) as raised:
        preview.apply(plugin.last_build, changes(removed=["dashboard.md"]))
    assert str(raised.value) == "dashboard.md left the navigation"


def test_a_new_fragment_page_is_built_and_the_hand_written_pages_again(project):
    _, plugin = full_build(project)
    fragments = project / "docs" / "fragments"
    shutil.copy(fragments / "demo-eha2406-civ007.md", fragments / "demo-new-001.md")
    built = preview.apply(plugin.last_build, changes(written=["fragments/demo-new-001.md"]))
    assert built == 2, "the new page, and about.md (its links may resolve differently)"
    assert (project / "site" / "fragments" / "demo-new-001" / "index.html").exists()
    assert "fragments/demo-new-001/" in (project / "site" / "sitemap.xml").read_text(encoding="utf-8")


def test_the_pinned_mkdocs_has_the_page_functions_the_preview_uses(caplog):
    with caplog.at_level(logging.WARNING, logger=PLUGIN_LOGGER):
        functions = preview.page_functions()
    assert functions == preview.PageFunctions(
        mkdocs_build._populate_page, mkdocs_build._build_page, mkdocs_build._build_theme_template
    )
    assert not caplog.records


def _build_page_without_excluded(page, config, doc_files, nav, env, dirty=False):
    raise AssertionError("never called: the check at start refuses it")


def _populate_page_reordered(config, page, files, dirty=False):
    raise AssertionError("never called: the check at start refuses it")


CHANGED = [
    ("_build_page", None),  # gone
    ("_build_page", _build_page_without_excluded),  # a parameter gone
    ("_populate_page", _populate_page_reordered),  # parameters in another order
    ("_build_theme_template", "not a function"),
]


def changed(patch, name, replacement):
    if replacement is None:
        patch.delattr(mkdocs_build, name)
    else:
        patch.setattr(mkdocs_build, name, replacement)


def warning_for(name):
    return (
        f"This version of MkDocs has changed mkdocs.commands.build.{name}, which the preview uses to rebuild "
        "only the pages an edit changed: every save rebuilds the whole site instead (slower, but the same site)"
    )


@pytest.mark.parametrize(("name", "replacement"), CHANGED)
def test_a_changed_private_page_function_is_found_at_start(monkeypatch, caplog, name, replacement):
    changed(monkeypatch, name, replacement)
    with caplog.at_level(logging.WARNING, logger=PLUGIN_LOGGER):
        assert preview.page_functions() is None
    assert [record.getMessage() for record in caplog.records] == [warning_for(name)]


def test_a_preview_without_the_page_functions_rebuilds_the_whole_site_on_each_save(project, monkeypatch, caplog):
    with monkeypatch.context() as patch, caplog.at_level(logging.INFO):
        # Gone when the preview starts (MkDocs' own build, here the pinned one, still has it).
        changed(patch, "_build_page", None)
        config, plugin = serving(project)
    engine_build(config)
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warnings == [warning_for("_build_page")], "one line, at start"
    assert plugin.last_build is None

    full_builds = []

    def builder():  # what `mkdocs serve` gives on_serve: MkDocs' whole build
        full_builds.append(1)
        engine_build(config)

    server = types.SimpleNamespace(builder=builder, observer=types.SimpleNamespace(), unwatch=lambda path: None)
    server = plugin.on_serve(server, config=config, builder=builder)
    edit(project, "a district council", "a county council")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        server.builder()  # a save
    assert full_builds == [1]
    assert "the pages the change touched" not in caplog.text
    assert "a county council" in (project / "site" / EDITED_PAGE).read_text(encoding="utf-8")
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


EXPORT_HEADER = "FragmentID,Outcome description,coutnry,Year,Outcome statements is CONFIDENTIAL\n"


def export_row(number, flag="0"):
    country = ("Mali", "Uganda", "Kenya")[number % 3]
    return f"DEMO-ROW/{number:03d},Since 2023 network {number} has published its budget.,{country},2023,{flag}\n"


FORKED_CALL = forking.call  # the real one, which the test below replaces


class Unanswered:
    """A second renderer that never answered (forking.Call.result's `within` ran out)."""

    def __init__(self, function):
        pass

    def result(self, within=None):
        raise BuildError(f"A helper process of the build gave no answer in {within:g} seconds")


class Answers:
    """A forked second renderer, the items it made kept."""

    def __init__(self, function, made):
        self.call, self.made = FORKED_CALL(function), made

    def result(self, within=None):
        made = self.call.result(within)
        self.made.append(len(made))
        return made


@pytest.mark.parametrize("helper", ["none", "forked", "helper-only", "unanswered"])
def test_deleting_and_adding_rows_of_an_export_gives_a_full_builds_site(project, caplog, monkeypatch, helper):
    """One export: a row deleted (the rows below move up), a row added in the middle, a row
    made confidential; each save rebuilds the pages it changed only, and the site is then
    byte for byte what a full build of the same content gives: with the pages outside the
    navigation all rendered here (too few to share), shared with a forked second renderer,
    all rendered by it (this process taking none), or, when it gives no answer, here after
    it."""
    made: list[int] = []
    if helper != "none":
        monkeypatch.setattr(preview, "SHARED_FROM", 2)
        monkeypatch.setattr(preview.forking, "spare_core", lambda: True)  # whatever the suite's load
        if helper == "unanswered":
            monkeypatch.setattr(preview.forking, "call", Unanswered)
        else:
            monkeypatch.setattr(preview.forking, "call", lambda function: Answers(function, made))
        if helper in ("helper-only", "unanswered"):
            monkeypatch.setattr(preview._Shared, "_take_and_make", lambda self: [])
    export = project / "content" / "fragments" / "export.csv"
    numbers = list(range(1, 8))

    def save(flags=None):
        flags = flags or {}
        export.write_text(
            EXPORT_HEADER + "".join(export_row(number, flags.get(number, "0")) for number in numbers), encoding="utf-8"
        )

    save()
    config, plugin = full_build(project)
    site = project / "site"
    assert (site / "fragments" / "demo-row-002" / "index.html").exists()
    with caplog.at_level(logging.INFO, logger=PLUGIN_LOGGER):
        numbers.remove(2)
        save()
        assert plugin.rebuild_changed_pages()
        assert not (site / "fragments" / "demo-row-002").exists()
        numbers.insert(3, 20)
        save()
        assert plugin.rebuild_changed_pages()
        assert "network 20 has" in (site / "fragments" / "demo-row-020" / "index.html").read_text(encoding="utf-8")
        save({5: "yes"})
        assert plugin.rebuild_changed_pages()
    assert "A full rebuild is needed" not in caplog.text
    assert bool(made) == (helper in ("forked", "helper-only")), "the helper answered each save"
    assert helper != "helper-only" or min(made) > 0, f"the helper made every item: {made}"
    assert not (site / "fragments" / "demo-row-005").exists()
    shown = [path for path, data in site_tree(site).items() if b"DEMO-ROW/005" in data or b"network 5 has" in data]
    assert not shown, f"the confidential row is still in {shown}"
    assert_same_site(config)
