"""What `mkdocs serve` prints of `check`'s report (issue 20, point 7): the summary at start,
and again only after a save that changes it; pages written and times never count as a
change. (The live preview's own test is in test_mkdocs_commands.py.)"""

from pathlib import Path

from generator.commands.report import summary_news
from generator.publish.build_types import BuildReport, Settings
from generator.publish.generate import generate
from generator.publish.write import WriteSummary
from support import run_cli_in_process, write_fragment


def _report(tmp_path: Path) -> BuildReport:
    # As check reads it: the project's content/ too (its results-framework.yml).
    settings = Settings(contents=[tmp_path / "content"], docs_dir=tmp_path / "docs", config_file=Path("mkdocs.yml"))
    return generate(settings, write=False)


def _content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    write_fragment(folder, "alpha")
    write_fragment(folder, "beta")
    return folder


def test_the_first_summary_is_what_check_prints_less_its_time(tmp_path):
    content = _content(tmp_path)
    summary = summary_news(_report(tmp_path), None)
    checked = run_cli_in_process("check", "--content", str(content))
    assert checked.returncode == 0, checked.stderr
    assert summary is not None and summary.startswith("Fragments read:\n") and "Published: 2 of 2\n" in summary
    assert summary + "\n" == "".join(
        line for line in checked.stdout.splitlines(keepends=True) if not line.startswith("Time: ")
    )


def test_a_generation_that_changes_nothing_in_the_summary_prints_nothing(tmp_path):
    _content(tmp_path)
    first = summary_news(_report(tmp_path), None)
    again = _report(tmp_path)
    again.written = WriteSummary(written=3, unchanged=40, removed=1, written_paths=("fragments/alpha.md",))
    again.timings = {"read": 12.5, "generate": 99.0}
    again.pages += 1
    assert summary_news(again, first) is None


def test_a_save_that_holds_back_an_outcome_or_adds_a_warning_prints_the_summary_again(tmp_path):
    content = _content(tmp_path)
    first = summary_news(_report(tmp_path), None)
    write_fragment(content, "beta", Outcome_statements_is_CONFIDENTIAL="1")
    held = summary_news(_report(tmp_path), first)
    assert held is not None and "Published: 1 of 2\nHeld back (not published): 1\n" in held
    assert f"{content}/: beta.txt" in held
    write_fragment(content, "beta", Year="twenty")
    warned = summary_news(_report(tmp_path), held)
    assert warned is not None and "Published: 2 of 2\n" in warned
    assert "line 5, field 'Year': 'twenty' is not a year; write it as four digits, such as 2023" in warned
    assert summary_news(_report(tmp_path), warned) is None
