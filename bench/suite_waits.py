"""Where the test suite's workers wait: a pytest plugin that measures, per test, the seconds in
which nothing of the worker's process tree could run.

    .venv/bin/python -m pytest -q -p bench.suite_waits [ARGS]      # writes /tmp/okb-suite-waits/
    .venv/bin/python bench/suite_waits.py [FOLDER]                  # the longest waits, by file and test

A benchmark, not a test. In each worker a thread looks every 10 ms at every thread of the
worker and of every process under it (its builds, Playwright's driver, Chromium's processes:
`/proc/<pid>/task/<tid>/stat`): if none is running, runnable or in the disk's wait, the look
counts as waiting (a timer, a poll, the network, another process's answer). Unlike wall minus
CPU, that does not grow with the host's load: a thread that waits for a core is runnable. Each
worker writes its tests' wall times and waiting seconds to FOLDER (default
`/tmp/okb-suite-waits`, or `OKB_SUITE_WAITS`) as `<worker>.json` when it ends; the second
command sums them by file and lists the tests that waited longest.

The thread makes each worker a process with two threads, so the forking helper declines to fork
(generator/forking.py: `tests/test_forking.py`'s tests are skipped and the builds run in one
process) while it measures: a run with the plugin is for where the waits are, not for the
suite's time. bench/README.md, twelfth round, has what it found on 2026-12-05.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

LOOK_SECONDS = 0.01
TREE_SECONDS = 0.25  # how often the list of processes under the worker is made again
BUSY_STATES = "RD"  # running or runnable; in the disk's wait
DEFAULT_FOLDER = Path("/tmp/okb-suite-waits")


def parents() -> dict[int, int]:
    """Every process's parent, from /proc."""
    found: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{name}/stat").read_text()
                found[int(name)] = int(stat[stat.rfind(")") + 2 :].split()[1])
    return found


def process_tree(root: int) -> set[int]:
    """`root` and every process under it."""
    parent_of = parents()
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parent_of.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def any_thread_busy(tree: set[int], skip_thread: int) -> bool:
    """Whether any thread of the processes in `tree` (but `skip_thread`) can run or waits for the disk."""
    for pid in tree:
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{pid}/task"):
                if int(tid) == skip_thread:
                    continue
                with contextlib.suppress(OSError):
                    stat = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
                    if stat[stat.rfind(")") + 2] in BUSY_STATES:
                        return True
    return False


@dataclass
class WaitSampler:
    """Counts looks at the worker's process tree: busy, or waiting."""

    busy: int = 0
    waiting: int = 0
    records: list[dict[str, object]] = field(default_factory=list)

    def start(self) -> None:
        threading.Thread(target=self._look, name="okb-suite-waits", daemon=True).start()

    def _look(self) -> None:
        me, my_thread = os.getpid(), threading.get_native_id()
        tree, listed = {me}, 0.0
        while True:
            if time.monotonic() - listed > TREE_SECONDS:
                tree, listed = process_tree(me), time.monotonic()
            if any_thread_busy(tree, my_thread):
                self.busy += 1
            else:
                self.waiting += 1
            time.sleep(LOOK_SECONDS)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
        start, busy, waiting = time.monotonic(), self.busy, self.waiting
        try:
            return (yield)
        finally:
            looks = (self.busy - busy) + (self.waiting - waiting)
            wall = time.monotonic() - start
            share = (self.waiting - waiting) / looks if looks else 0.0
            self.records.append({"test": item.nodeid, "wall_s": wall, "waiting_s": wall * share})

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        folder = Path(os.environ.get("OKB_SUITE_WAITS", DEFAULT_FOLDER))
        folder.mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        (folder / f"{worker}.json").write_text(json.dumps(self.records), encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    """In each worker (or in the one process with -n 0), not in xdist's controller."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        sampler = WaitSampler()
        config.pluginmanager.register(sampler, "okb-suite-waits-sampler")
        sampler.start()


def report(folder: Path) -> None:
    """The waits of a run, by worker, by file and the longest by test."""
    by_file: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    tests: list[tuple[float, float, str]] = []
    for path in sorted(folder.glob("*.json")):
        records = json.loads(path.read_text(encoding="utf-8"))
        wall = sum(record["wall_s"] for record in records)
        waiting = sum(record["waiting_s"] for record in records)
        print(f"{path.stem}: {len(records)} tests, {wall:.1f} s of test time, {waiting:.1f} s waiting")
        for record in records:
            sums = by_file[record["test"].split("::")[0]]
            sums[0] += record["wall_s"]
            sums[1] += record["waiting_s"]
            tests.append((record["waiting_s"], record["wall_s"], record["test"]))
    print("\nfiles, most waiting first (waiting of wall):")
    for name, (wall, waiting) in sorted(by_file.items(), key=lambda item: -item[1][1])[:25]:
        print(f"  {waiting:6.1f} s of {wall:6.1f} s  {name}")
    print("\ntests, most waiting first:")
    for waiting, wall, name in sorted(tests, reverse=True)[:40]:
        print(f"  {waiting:6.2f} s of {wall:6.2f} s  {name}")


if __name__ == "__main__":
    report(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(os.environ.get("OKB_SUITE_WAITS", DEFAULT_FOLDER)))
