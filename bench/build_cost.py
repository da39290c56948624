"""The fixed cost of a small build, as the test suite pays it: CPU of one-language builds of
tests/fixtures/site in one process (support.build_site, what most build tests call), with
none of the suite's compile-once helpers, with the engine's theme templates compiled once
(support.engine_templates_compiled_once, the eighth round's), and with every helper the suite
now runs each test with (also support.templates_read_once and support.theme_files_listed_once,
the ninth round's), alternately.

    .venv/bin/python bench/build_cost.py --builds 5 --rounds 3

Each figure is the median CPU (user + sys of this process and the children it waited for:
the guard's process, Pagefind) of one build, from os.times(); the first build of the process
(imports, first caches) is left out. support.entry_points_read_once is on in all three.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import support  # noqa: E402 - after the tests folder is on the path


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def one_build_cpu() -> float:
    with tempfile.TemporaryDirectory(prefix="okb-build-cost-") as folder:
        before = cpu_seconds()
        support.build_site(Path(folder), support.FIXTURES / "site")
        return cpu_seconds() - before


def median_build_cpu(builds: int, helpers: list[Callable[[], contextlib.AbstractContextManager]]) -> float:
    with contextlib.ExitStack() as stack:
        for helper in helpers:
            stack.enter_context(helper())
        return statistics.median(one_build_cpu() for _ in range(builds))


# Each column: the helpers on while its builds run.
COLUMNS: dict[str, list[Callable[[], contextlib.AbstractContextManager]]] = {
    "none": [],
    "engine templates compiled once": [support.engine_templates_compiled_once],
    "every helper of the suite": [
        support.engine_templates_compiled_once,
        support.templates_read_once,
        support.theme_files_listed_once,
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=5, help="builds per figure (median)")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the columns")
    args = parser.parse_args()
    with support.entry_points_read_once():
        one_build_cpu()  # imports and first caches, not a build's cost
        print("| round | " + " | ".join(COLUMNS) + " | load (1 min) |")
        print("| --- |" + " --- |" * (len(COLUMNS) + 1))
        for round_number in range(1, args.rounds + 1):
            figures = [median_build_cpu(args.builds, helpers) for helpers in COLUMNS.values()]
            load = os.getloadavg()[0]
            print(f"| {round_number} | " + " | ".join(f"{cpu:.3f} s" for cpu in figures) + f" | {load:.1f} |")


if __name__ == "__main__":
    main()
