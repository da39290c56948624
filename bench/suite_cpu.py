"""The CPU a command really costs, Chromium's processes included: run it as a child subreaper.

    .venv/bin/python bench/suite_cpu.py [--json FILE] -- .venv/bin/python -m pytest -q [ARGS]

A benchmark script, not a test. `/usr/bin/time` counts the CPU of the processes the command
waited for, and of theirs: a process whose parent ends first is handed to the system's init,
which waits for it, and its CPU is counted nowhere. Chromium does that: when Playwright closes
the browser, its zygote's renderers, its GPU and utility processes outlive the browser's main
process for a moment, and the tests' renderers, where the pages are laid out and axe runs, are
most of the browser part's CPU. Measured 2026-12-05 (bench/README.md, twelfth round): the
browser part 55 s of CPU by `/usr/bin/time`, 136 s here, in the same minutes.

This script asks Linux to hand every orphaned process under it to this script instead
(`prctl(PR_SET_CHILD_SUBREAPER)`), waits for them all after the command ends, and prints the
command's exit status, its wall time and the user and system time of everything it started:
the figure to compare a test suite's CPU by. It also prints the share of the host's CPU time
that was idle during the run (`/proc/stat`): near 0 %, other work on the host shared the
cores, and the wall time says more about that work than about the command. Linux only.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def host_times() -> tuple[int, int]:
    """The host's (idle, total) CPU time since boot, in clock ticks (/proc/stat's first line)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return idle, sum(fields)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("command", nargs="+", help="the command to run (after --)")
    args = parser.parse_args()

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    load_before = os.getloadavg()[0]
    idle_before, total_before = host_times()
    start = time.monotonic()
    status = subprocess.run(args.command, check=False).returncode
    orphans = 0
    while True:  # every process handed to this one, until none is left
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
        orphans += 1
    wall = time.monotonic() - start
    idle_after, total_after = host_times()
    used = os.times()
    figures = {
        "exit_status": status,
        "wall_s": round(wall, 2),
        "user_s": round(used.children_user, 2),
        "sys_s": round(used.children_system, 2),
        "cpu_s": round(used.children_user + used.children_system, 2),
        "orphans_reaped": orphans,
        "load_start": load_before,
        "load_end": os.getloadavg()[0],
        "host_idle_percent": round(100 * (idle_after - idle_before) / max(1, total_after - total_before), 1),
    }
    print(
        "suite_cpu: exit {exit_status}, wall {wall_s} s, CPU {cpu_s} s (user {user_s} + sys {sys_s}), "
        "{orphans_reaped} orphaned processes reaped, load {load_start:.2f} -> {load_end:.2f}, "
        "host idle {host_idle_percent} %".format(**figures),
        file=sys.stderr,
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
