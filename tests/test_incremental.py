"""Incremental generation: unchanged input rewrites nothing; one change rewrites only what shows it."""

import shutil

from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import FIXTURES


def snapshot(docs):
    return {
        p.relative_to(docs).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in docs.rglob("*") if p.is_file()
    }


def test_rebuild_without_changes_touches_no_file(tmp_path):
    settings = Settings(contents=[FIXTURES / "site"], docs_dir=tmp_path / "docs")
    generate(settings)
    before = snapshot(settings.docs_dir)
    report = generate(settings)
    assert report.written.written == 0 and report.written.removed == 0
    assert snapshot(settings.docs_dir) == before


def test_one_changed_fragment_rewrites_only_the_files_that_show_it(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    settings = Settings(contents=[content], docs_dir=tmp_path / "docs")
    generate(settings)
    before = snapshot(settings.docs_dir)
    story = content / "fragments" / "gen008.txt"
    story.write_text(
        story.read_text(encoding="utf-8").replace("travaillaient jusqu'ici isolées", "travaillaient seules"),
        encoding="utf-8",
    )
    report = generate(settings)
    after = snapshot(settings.docs_dir)
    changed = {path for path in after if after[path] != before.get(path)}
    assert "fragments/demo-sah2407-gen008.md" in changed
    # The edit is in its significance, which every list of outcomes shows under its link: the pages
    # that list it (its country, year, types of change…, All outcomes, the home page's newest)
    # change, and no other.
    lists = {path for path, (_, text) in before.items() if b"fragments/demo-sah2407-gen008/" in text}
    assert {"index.md", "fragments/index.md", "countries/mali.md", "years/2024.md"} <= lists
    shown = {"fragments/demo-sah2407-gen008.md", "outcomes.csv", "outcomes.json", "feed.xml", *lists}
    assert changed <= shown, changed
    assert report.written.written == len(changed)
