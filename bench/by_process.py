"""A build's CPU by process: the build's own and each forked helper's, named by what it runs.

    .venv/bin/python bench/languages.py --size 5000 --repeats 1 --by-process

bench/languages.py runs each build through this module (`--build`): the build runs as
`python -m generator build` does, except that each helper forked by generator/forking.py
names itself (its /proc comm) after the function it runs (`run_engine`, `_other_language`,
`_guard_child`…), and Pagefind's process keeps its own name. The parent reads every
descendant's user and system time from /proc every POLL_SECONDS while the build runs: a
helper's last 0.05 s may be missed, so the rows' sum is a little below the total, which is
the exact user + sys of the build and everything it waited for. Linux only (/proc).
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.05
BUILD = "build (its own process)"
COMM_LENGTH = 15  # what the kernel keeps of a process's name
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def named_build(arguments: list[str]) -> int:
    """`python -m generator ARGUMENTS`, each forked helper named after what it runs: the
    generator of the folder it runs in, as `python -m` takes it (a `git archive` of another
    commit, run there, measures that commit)."""
    sys.path.insert(0, os.getcwd())
    from generator import cli, forking

    run_in_child = forking._run_in_child

    def named(target: Callable[..., None], args: tuple[object, ...], *ends: object) -> None:
        function = args[0] if target.__name__ == "_call_in_child" and args else target
        name = getattr(function, "__qualname__", "helper").replace("<locals>.", "").split(".")[-1]
        with contextlib.suppress(OSError):  # a name is a help, not a need
            Path("/proc/self/comm").write_text(name[:COMM_LENGTH], encoding="utf-8")
        run_in_child(target, args, *ends)

    forking._run_in_child = named  # type: ignore[assignment]
    return cli.main(arguments)


def _stat(pid: int) -> tuple[str, int, float, float] | None:
    """A process's name, parent, user and system seconds, from /proc (None once it has gone)."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    name = data[data.index("(") + 1 : data.rindex(")")]
    fields = data[data.rindex(")") + 2 :].split()
    return name, int(fields[1]), int(fields[11]) / TICKS, int(fields[12]) / TICKS


def polled_run(command: list[str], cwd: Path) -> tuple[float, float, dict[str, tuple[float, float]]]:
    """Run command; its wall seconds, its CPU seconds (user + sys of it and everything it
    waited for) and the CPU by process name: (user, sys) summed over processes of that name."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd)
    last: dict[int, tuple[str, float, float]] = {}
    while child.poll() is None:
        stats = {int(entry): stat for entry in os.listdir("/proc") if entry.isdigit() and (stat := _stat(int(entry)))}
        for pid, (name, _, user, system) in stats.items():
            ancestor = pid
            while ancestor in stats and ancestor != child.pid:
                ancestor = stats[ancestor][1]
            if ancestor == child.pid:
                last[pid] = (BUILD if pid == child.pid else name, user, system)
        time.sleep(POLL_SECONDS)
    wall = time.perf_counter() - started
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    by_name: dict[str, tuple[float, float]] = {}
    for name, user, system in last.values():
        was = by_name.get(name, (0.0, 0.0))
        by_name[name] = (was[0] + user, was[1] + system)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, by_name


if __name__ == "__main__":
    if sys.argv[1:2] != ["--build"]:
        raise SystemExit(__doc__)
    sys.exit(named_build(sys.argv[2:]))
