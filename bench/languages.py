"""A two-language build against a one-language build of the same content, in the same run
(issue 22, point 5: at most 1.6 times as long).

    .venv/bin/python bench/languages.py                 # 5000 fragments, 2 repeats each
    .venv/bin/python bench/languages.py --size 500 --repeats 1
    .venv/bin/python bench/languages.py --size 5000 --repeats 1 --by-process   # CPU by process too

Synthetic fragments (bench/make_fragments.py); each build is `python -m generator build`
in a fresh process with fresh docs and site folders, the two kinds taking turns; prints the
median wall and CPU time of each and their ratios. --by-process (Linux): also each build's
CPU by process, the build's own and each forked helper's, named by what it runs
(bench/by_process.py), as the median over the repeats of each kind.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import by_process  # noqa: E402
import make_fragments  # noqa: E402


def config(work: Path, content: Path, languages: list[str]) -> Path:
    """mkdocs.yml with its folders made absolute and the plugin's languages."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: templates/theme", f"custom_dir: {ROOT / 'templates' / 'theme'}")
    plugin = (
        f"  - outcome-kb:\n      content: {content}\n      templates: {ROOT / 'templates'}\n"
        f"      languages: [{', '.join(languages)}]\n"
    )
    # The plugin's entry as mkdocs.yml writes it: with its languages, or (one language) without.
    text, found = re.subn(r"  - outcome-kb(?::\n      languages: \[[^\]\n]*\])?\n", plugin, text, count=1)
    assert found, "mkdocs.yml names the outcome-kb plugin as bench/languages.py expects"
    text = text.replace("watch:\n  - content\n  - templates\n", "")
    path = work / f"mkdocs-{'-'.join(languages)}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build(
    work: Path, config_file: Path, content: Path, processes: dict[str, list[float]] | None = None
) -> tuple[float, float]:
    """One fresh build: its wall seconds and CPU seconds (user + sys of the build and every
    process it waited for: on a shared machine, the steadier of the two). processes: given,
    each process's CPU (by_process.py) is appended to it, by name, "user + sys"."""
    site, docs = work / "site", work / "docs"
    for folder in work.glob(".docs.*"):
        shutil.rmtree(folder, ignore_errors=True)
    for folder in (site, docs):
        shutil.rmtree(folder, ignore_errors=True)
    arguments = ["build", "--quiet", "--config", str(config_file)]
    arguments += ["--content", str(content), "--site-dir", str(site), "--docs-dir", str(docs)]
    if processes is not None:
        wall, cpu, by_name = by_process.polled_run(
            [sys.executable, str(Path(by_process.__file__)), "--build", *arguments], ROOT
        )
        for name, (user, system) in by_name.items():
            processes.setdefault(name, []).append(user + system)
        return wall, cpu
    command = [sys.executable, "-m", "generator", *arguments]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--by-process", action="store_true", help="also the CPU by process (Linux)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okb-bench-languages-") as name:
        work = Path(name)
        content = work / "content"
        content.mkdir()
        make_fragments.write_csv(make_fragments.make_rows(arguments.size, arguments.seed), content / "fragments.csv")
        (content / "results-framework.yml").write_text(make_fragments.framework_yml(), encoding="utf-8")
        configs = {"one": config(work, content, ["en"]), "two": config(work, content, ["en", "fr"])}
        times: dict[str, list[float]] = {"one": [], "two": []}
        cpu: dict[str, list[float]] = {"one": [], "two": []}
        processes: dict[str, dict[str, list[float]]] = {"one": {}, "two": {}}
        for _ in range(arguments.repeats):
            for kind, config_file in configs.items():
                wall, seconds = build(work, config_file, content, processes[kind] if arguments.by_process else None)
                times[kind].append(wall)
                cpu[kind].append(seconds)
        one, two = statistics.median(times["one"]), statistics.median(times["two"])
        one_cpu, two_cpu = statistics.median(cpu["one"]), statistics.median(cpu["two"])
        print(
            f"{arguments.size} fragments: one language {one:.1f} s (CPU {one_cpu:.1f} s), two languages {two:.1f} s "
            f"(CPU {two_cpu:.1f} s), ratio {two / one:.2f} (CPU {two_cpu / one_cpu:.2f}); load {os.getloadavg()}"
        )
        print(f"runs: {json.dumps({'wall': times, 'cpu': cpu})}")
        if arguments.by_process:
            print("\n| process (CPU, user + sys, median) | one language | two languages |\n|---|---:|---:|")
            names = sorted(
                set(processes["one"]) | set(processes["two"]), key=lambda name: -sum(processes["two"].get(name, [0]))
            )
            for name in names:
                one_cell, two_cell = (
                    f"{statistics.median(processes[kind][name]):.2f} s" if name in processes[kind] else "–"
                    for kind in ("one", "two")
                )
                print(f"| {name} | {one_cell} | {two_cell} |")


if __name__ == "__main__":
    main()
