"""The preview's CPU per saved change, in one process, without the server, the watcher or HTTP.

    .venv/bin/python bench/preview_cpu.py [--n 5000] [--format csv|xlsx|txt] [--rounds 3]
                                          [--kinds edit,delete,add] [--pick public|held-back]
                                          [--profile delete] [--keep]

A benchmark script, not a test. It makes the project serve_speed.py makes (N synthetic
fragments, one CSV, one XLSX or one `.txt` per fragment, `--seed`), runs MkDocs' first build
with the plugin started for `mkdocs serve`, then per round and kind changes one fragment as
serve_speed.py does (edit its description, delete its row, add a copy with a new ID above it),
each a fragment from the middle of the export, and times the plugin's rebuild_changed_pages()
(generation with the kept state, then the pages that changed rebuilt): the process's CPU time
(its own and its ended children's) and the wall time; then it waits for the cycle collection
the preview leaves until a second after a save (generator/preview/collector.py) and gives its
CPU apart ("collecting after it"). `--pick held-back` changes held-back
(confidential) fragments: nothing public changes, yet every row below a deleted or added one
moves. `--profile KIND` profiles the first change of that kind with cProfile on the CPU clock
(the profiler makes Python calls ~5x slower) and writes the statistics beside the project
(printed: the path). The summary is the median per kind and the load average.

The fifth and sixth rounds (bench/README.md) ran this as a scratch script outside the
repository; CPU here is what `bench/serve_speed.py` calls the server's CPU, minus the
server's own work (polling, HTTP), so the steadier figure on a shared machine.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import random
import resource
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

import serve_speed  # bench/ is not a package: run as a script, its folder is on the path

from generator.preview.collector import TIMER_NAME

CONFIDENTIAL = "Outcome statements is CONFIDENTIAL"


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def collected_after() -> float:
    """The CPU time of the cycle collection a save leaves until its page is shown
    (generator/preview/collector.py: a second after the save): waited for here, so that it
    falls in no save's figure, and given apart."""
    cpu = cpu_seconds()
    for thread in threading.enumerate():
        if thread.name == TIMER_NAME:
            thread.join()
    return cpu_seconds() - cpu


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="synthetic fragments (default 5000)")
    parser.add_argument("--format", choices=("csv", "xlsx", "txt"), default="csv")
    parser.add_argument("--rounds", type=int, default=3, help="changes of each kind (default 3)")
    parser.add_argument("--kinds", default="edit,delete,add", help="which changes, in this order, each round")
    parser.add_argument("--pick", choices=("public", "held-back"), default="public", help="which fragments change")
    parser.add_argument("--profile", default="", help="profile the first change of this kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary project folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from generator.engine import build as engine_build
    from generator.engine import load_config
    from generator.plugin import plugin_of

    work = Path(tempfile.mkdtemp(prefix="okb-preview-cpu-"))
    try:
        rows, files = serve_speed.make_project(work, args.n, args.format, args.seed)
        project = serve_speed.Project(rows, files, args.format, "replace")
        config = load_config(str(work / "mkdocs.yml"), site_dir=str(work / "site"))
        plugin = plugin_of(config)
        assert plugin is not None, "mkdocs.yml does not use the outcome-kb plugin"
        config.plugins.on_startup(command="serve", dirty=False)
        started = cpu_seconds()
        engine_build(config)
        print(f"first build: {cpu_seconds() - started:.1f} s CPU", flush=True)
        chooser = random.Random(args.seed)
        held_back = args.pick == "held-back"
        seconds: dict[str, list[float]] = {}
        after: dict[str, list[float]] = {}  # the collector's CPU once the save is shown (preview/collector.py)
        profiled = False
        for number in range(args.rounds):
            for kind in args.kinds.split(","):
                while True:  # a fragment from the middle of the export: the rows below it move
                    index = chooser.randrange(len(project.rows) // 4, len(project.rows) // 2)
                    if (project.rows[index][CONFIDENTIAL] == "1") == held_back:
                        break
                fragment_id = project.rows[index][serve_speed.FRAGMENT_ID]
                if kind == "edit":
                    project.edit(fragment_id, f"okbedit{number}")
                elif kind == "delete":
                    project.delete(fragment_id)
                else:
                    project.add(fragment_id, f"{fragment_id}-ADD{number}", f"okbadd{number}")
                profiler = cProfile.Profile(time.process_time) if kind == args.profile and not profiled else None
                cpu, wall = cpu_seconds(), time.monotonic()
                if profiler is not None:
                    profiler.enable()
                rebuilt = plugin.rebuild_changed_pages()
                if profiler is not None:
                    profiler.disable()
                    profiled = True
                    out = work / f"profile-{args.format}-{kind}.out"
                    profiler.dump_stats(out)
                    print(f"profile: {out}")
                cpu, wall = cpu_seconds() - cpu, time.monotonic() - wall
                seconds.setdefault(kind, []).append(cpu)
                later = collected_after()
                after.setdefault(kind, []).append(later)
                whole = "" if rebuilt else " (a full rebuild was needed: not timed here)"
                print(
                    f"{kind} {fragment_id}: {cpu:.2f} s CPU, {wall:.2f} s wall{whole}; "
                    f"{later:.2f} s CPU collecting after it",
                    flush=True,
                )
        medians = ", ".join(f"{kind} {statistics.median(values):.2f} s" for kind, values in seconds.items())
        collecting = ", ".join(f"{kind} {statistics.median(values):.2f} s" for kind, values in after.items())
        load = " ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"median CPU per save: {medians}; collecting after it: {collecting} (load average {load})")
    finally:
        if args.keep or args.profile:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
