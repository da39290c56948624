"""The fixed cost of a small build, as the test suite pays it: CPU of one-language builds of
tests/fixtures/site in one process (support.build_site, what most build tests call), with and
without the suite's engine-template helper (support.engine_templates_compiled_once), alternately.

    .venv/bin/python bench/build_cost.py --builds 5 --rounds 3

Each figure is the median CPU (user + sys of this process and the children it waited for:
the guard's process, Pagefind) of one build, from os.times(); the first build of the process
(imports, first caches) is left out. The tests' own session helpers that every test runs with
(support.entry_points_read_once) are on in both.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
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


def median_build_cpu(builds: int, helper: contextlib.AbstractContextManager) -> float:
    with helper:
        return statistics.median(one_build_cpu() for _ in range(builds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=5, help="builds per figure (median)")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of without / with")
    args = parser.parse_args()
    with support.entry_points_read_once():
        one_build_cpu()  # imports and first caches, not a build's cost
        print("| round | without the helper | with engine_templates_compiled_once | load (1 min) |")
        print("| --- | --- | --- | --- |")
        for round_number in range(1, args.rounds + 1):
            without = median_build_cpu(args.builds, contextlib.nullcontext())
            with_helper = median_build_cpu(args.builds, support.engine_templates_compiled_once())
            load = os.getloadavg()[0]
            print(f"| {round_number} | {without:.3f} s | {with_helper:.3f} s | {load:.1f} |")


if __name__ == "__main__":
    main()
