"""A build with nothing changed leaves the site exactly as it was, and quickly; a change rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path

from support import FIXTURES, ONE_LANGUAGE_ARGS, run_cli, run_cli_in_process


def _snapshot(site: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(site)): (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(site.rglob("*")) if p.is_file()
    }


def test_a_build_with_nothing_changed_touches_no_file_and_says_so(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    args = (
        "build",
        *ONE_LANGUAGE_ARGS,  # one language: the stamp is not about languages, and each build costs half
        "--content",
        str(content),
        "--site-dir",
        str(tmp_path / "site"),
        "--docs-dir",
        str(tmp_path / "docs"),
    )
    first = run_cli_in_process(*args)
    assert first.returncode == 0, first.stderr
    before = _snapshot(tmp_path / "site")

    again = run_cli(*args)  # a process of its own: the stamp holds, nothing kept in memory
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Nothing has changed since the last build: {tmp_path / 'site'}/ is as it was.")
    assert "Published: 10 of 14" in first.stdout and "Published: 10 of 14" in again.stdout  # the last build's report
    assert _snapshot(tmp_path / "site") == before

    story = content / "fragments" / "gen008.txt"
    story.write_text(story.read_text(encoding="utf-8").replace("Ségou", "Sikasso"), encoding="utf-8")
    changed = run_cli_in_process(*args)
    assert changed.returncode == 0 and "Nothing has changed" not in changed.stdout
    page = (tmp_path / "site" / "fragments" / "demo-sah2407-gen008" / "index.html").read_text(encoding="utf-8")
    assert "Sikasso" in page and "Ségou" not in page
