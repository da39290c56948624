"""bench/run.py's table and the JSON its helper scripts write for it (issue 23): what
serve_speed.py and search_speed.py write with --json is what run.py's rows read; and
by_process.py's CPU by process (bench/languages.py --by-process). Fake measurements only:
the benchmarks themselves are scripts, not timed tests."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _load(name: str):
    """A bench/ script as a module (bench/ is not a package; its scripts import each other by name)."""
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"okb_bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


run = _load("run")
serve_speed = _load("serve_speed")
search_speed = _load("search_speed")
by_process = _load("by_process")


def _change(kind: str, seconds: float | None, cpu: float) -> object:
    return serve_speed.EditResult(
        kind=kind,
        fragment_id="SCC-1",
        url="fragments/scc-1/",
        seconds=seconds,
        cpu_to_visible=cpu,
        own_cpu_to_visible=cpu - 0.2,
        cpu_total=cpu + 0.1,
        rebuilds=1,
        detected=1,
        listings={"All outcomes (fragments/)": True},
        timeline=[],
        idle=True,
    )


def _preview_json(tmp_path: Path, form: str) -> dict:
    changes = [
        _change("edit", 0.9, 0.7),
        _change("edit", 0.8, 0.6),
        _change("edit", 1.0, 0.8),
        _change("delete", 1.2, 1.0),
        _change("delete", None, 1.1),  # never shown within the timeout
        _change("add", 1.4, 1.2),
    ]
    figures = serve_speed.json_summary(changes, 500, form, 361, 12.5, 95.5)
    path = tmp_path / f"preview-{form}.json"
    path.write_text(json.dumps(figures, allow_nan=False), encoding="utf-8")  # as the script writes it
    return json.loads(path.read_text(encoding="utf-8"))


def _search_json(tmp_path: Path, typing: str) -> dict:
    result = search_speed.Result(Path("site"), "pagefind", 361, 900_000, 850_000)
    result.times = [3.0, 2.5, 2.8]
    result.tap_times = [1.0, 1.0, 1.1]
    result.typed_times = [1.1, 1.1, 1.2]
    result.box_times = [0.9, 0.9, 1.0]
    result.load_times = [2.0, 2.1, float("inf")]  # a run whose load event came after the result
    result.asked_times = [1.2, 1.2, 1.3]
    result.search_bytes = [200_000, 210_000, 205_000]
    figures = search_speed.json_summary(result, "sécurité", typing)
    path = tmp_path / f"search-{typing}.json"
    path.write_text(json.dumps(figures, allow_nan=False), encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def _size_result(tmp_path: Path) -> dict:
    """One size's results as bench_size returns them, with the preview and search JSON."""
    keys = ("gen", "full", "full2", "mkdocs", "nochg", "plain")
    median = {key: 2.0 for key in keys} | {f"{key}_cpu": 1.5 for key in keys}
    median |= {"full": 4.0, "full_cpu": 6.0, "full2": 6.0, "full2_cpu": 9.0, "plain": 2.0, "plain_cpu": 2.0}
    median |= {f"{key}_rss": 100 * 1024 for key in ("full", "full2", "gen", "nochg", "mkdocs", "plain")}
    return {
        "n": 500,
        "published": 361,
        "pages": 524,
        "stages": ["Time: read 0.1 s, generate 1.0 s, guard 0.40 s"],
        "median": median,
        "runs": {"full": [4.0]},
        "site_bytes": 20 * 2**20,
        "site_files": 962,
        "site2_bytes": 38 * 2**20,
        "search_bytes": 0,
        "pagefind_bytes": 2**20,
        "site2_pagefind_bytes": 2 * 2**20,
        "plain_site_bytes": 7 * 2**20,
        "plain_search_bytes": 2**19,
        "load": [1.5, 1.7],
        "preview": {
            "csv": _preview_json(tmp_path, "csv"),
            "xlsx": _preview_json(tmp_path, "xlsx"),
            "txt": {"error": "serve_speed.py exit 1, see the log"},
        },
        "search": {typing: _search_json(tmp_path, typing) for typing in ("tap", "open-and-type")},
    }


def _rows(table: str) -> dict[str, str]:
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 2:
            rows[cells[0]] = cells[1]
    return rows


def test_the_table_has_every_row_issue_23_names(tmp_path):
    rows = _rows(run.table([_size_result(tmp_path)]))
    assert rows["(a) generator stage, fresh docs"] == "2.00 s (1.50 s)"
    assert rows["Generator: input fragments/s, wall (CPU)"] == "250 (333)"
    assert rows["(b) full build, CLI subprocess"] == "4.00 s (6.00 s)"
    assert rows["(b2) full build, two languages"] == "6.00 s (9.00 s)"
    assert rows["Two languages ÷ one, full build, wall (CPU)"] == "1.50× (1.50×)"
    assert rows["(e) floor: MkDocs alone, plain pages"] == "2.00 s (2.00 s)"
    assert rows["Full build ÷ floor, wall (CPU)"] == "2.00× (3.00×)"
    assert rows["(d) generator no-change rebuild"] == "2.00 s (1.50 s)"
    assert rows["Peak RSS, full build: one / two languages"] == "100.0 / 100.0 MiB"
    assert rows["Peak RSS, (a) generator / (d) no change"] == "100.0 / 100.0 MiB"
    assert rows["Peak RSS, (c) MkDocs alone / (e) floor"] == "100.0 / 100.0 MiB"
    assert rows["site/ size (files), one language"] == "20.0 MiB (962)"
    assert rows["site/ size, two languages"] == "38.0 MiB"
    assert rows["pagefind/ bundle, one language"] == "1.0 MiB"
    assert rows["pagefind/ bundles, two languages"] == "2.0 MiB"
    assert rows["Load average (1 min), start / end of this size"] == "1.5 / 1.7"


def test_preview_rows_read_what_serve_speed_writes(tmp_path):
    rows = _rows(run.table([_size_result(tmp_path)]))
    # save → shown median (server CPU to shown median), per input form and kind of change
    assert rows["Preview, one CSV: edit a description (save → shown; server CPU)"] == "0.90 s (0.70 s)"
    assert rows["Preview, one CSV: delete a row (save → shown; server CPU)"] == "1.20 s (1.05 s)"
    assert rows["Preview, one XLSX: add a row (save → shown; server CPU)"] == "1.40 s (1.20 s)"
    # a script that failed says so in each of its rows; the other rows stand
    for kind in ("edit a description", "delete a row", "add a row"):
        cell = rows[f"Preview, a .txt per fragment: {kind} (save → shown; server CPU)"]
        assert cell == "n/a (serve_speed.py exit 1, see the log)"
    assert rows["Peak RSS, preview server: CSV / XLSX / .txt"] == "95.5 / 95.5 / n/a MiB"


def test_serve_speed_json_keeps_a_change_never_shown_as_null(tmp_path):
    figures = _preview_json(tmp_path, "csv")
    assert figures["kinds"]["delete"]["runs_s"] == [1.2, None]
    assert figures["kinds"]["delete"]["median_s"] == 1.2
    assert figures["runs_s"] == [0.9, 0.8, 1.0, 1.2, None, 1.4]
    assert figures["kinds"]["edit"]["rebuilds"] == [1, 1, 1]


def test_search_rows_read_what_search_speed_writes(tmp_path):
    rows = _rows(run.table([_size_result(tmp_path)]))
    # tap mode: tap → first result (3.0-1.0, 2.5-1.0, 2.8-1.1)
    assert rows["First search result, slow phone: tap → result (median)"] == "1.70 s"
    # open-and-type mode: from opening the page to the first result of the whole query
    assert rows["First search result, slow phone: opening the home page and typing → result (median)"] == "2.80 s"
    assert rows["Search on a second page of the visit: files downloaded again"] == "0 files"


def test_search_speed_json_writes_a_time_never_reached_as_null(tmp_path):
    figures = _search_json(tmp_path, "tap")
    assert figures["load_event"] == {"median_s": 2.05, "runs_s": [2.0, 2.1, None]}
    assert figures["measure"] == "tap_to_result"
    assert figures["index_gz_bytes"] == 850_000


def test_without_preview_or_search_the_table_has_no_such_rows(tmp_path):
    result = _size_result(tmp_path)
    del result["preview"], result["search"]
    rows = _rows(run.table([result]))
    assert not [label for label in rows if label.startswith(("Preview", "First search"))]


def test_both_scripts_take_json(tmp_path):
    assert serve_speed.parse_args(["--n", "50", "--json", "out.json"]).json == Path("out.json")
    assert search_speed.parse_args(["site", "--json", "out.json"]).json == Path("out.json")


def test_search_speed_json_wants_one_site(capsys):
    with pytest.raises(SystemExit) as stopped:
        search_speed.parse_args(["site-a", "site-b", "--json", "out.json"])
    assert stopped.value.code == 2
    assert "--json writes the figures of one site: give one SITE_DIR, not 2" in capsys.readouterr().err


def test_run_reads_a_script_json_or_says_why_not(tmp_path, monkeypatch):
    """_median_from runs bench/<script> ... --json FILE and reads FILE; a script without the
    option, or one that fails, gives the reason the table's rows print."""
    (tmp_path / "writes.py").write_text(
        "import json, sys\n"
        "path = sys.argv[sys.argv.index('--json') + 1]\n"
        "open(path, 'w').write(json.dumps({'median_s': 0.5, 'runs_s': [0.5]}))\n",
        encoding="utf-8",
    )
    (tmp_path / "old.py").write_text(
        "import argparse\nargparse.ArgumentParser().parse_args()\n",
        encoding="utf-8",
    )
    (tmp_path / "fails.py").write_text("raise SystemExit(3)\n", encoding="utf-8")
    monkeypatch.setattr(run, "HERE", tmp_path)
    logged: list[str] = []
    assert run._median_from("writes.py", ["x"], logged.append) == {"median_s": 0.5, "runs_s": [0.5]}
    assert run._median_cell(run._median_from("old.py", [], logged.append)) == "n/a (no --json option)"
    assert run._median_cell(run._median_from("fails.py", [], logged.append)) == "n/a (fails.py exit 3, see the log)"


# A process that forks a child named okb_child; each spends ~0.2 s of CPU.
_FORKING_SCRIPT = """
import os, time
def spend(seconds):
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass
if os.fork() == 0:
    open("/proc/self/comm", "w").write("okb_child")
    spend(0.2)
    os._exit(0)
spend(0.2)
os.wait()
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="by_process.py reads /proc (Linux)")
def test_by_process_gives_each_process_its_cpu_by_name(tmp_path):
    wall, cpu, by_name = by_process.polled_run([sys.executable, "-c", _FORKING_SCRIPT], tmp_path)
    assert set(by_name) == {by_process.BUILD, "okb_child"}
    assert sum(by_name["okb_child"]) >= 0.1  # its last poll may miss a few hundredths
    assert sum(map(sum, by_name.values())) <= cpu + 0.02  # polled, never more than the total
    assert wall >= 0.2
