"""What the leak guard (generator/privacy/guard/) costs on a built site.

    .venv/bin/python bench/make_fragments.py 5000 /tmp/f5000.csv --seed 1
    .venv/bin/python -m generator build --content /tmp/f5000.csv --site-dir /tmp/s5000 --docs-dir /tmp/d5000 -q
    .venv/bin/python bench/guard_cost.py /tmp/s5000 /tmp/f5000.csv --docs /tmp/d5000 [--runs 3]

Reads the CSV the site was built from (a make_fragments.py export: the column
"Outcome statements is CONFIDENTIAL" is "0" for public rows, "1" for held-back ones),
builds a Guard from it and times Guard(...), check_tree(site), check_tree(docs) and
the one walk over both that the build should use, check_tree(site, docs), in one
process and as check_tree shares it out by default: the median of --runs runs, wall
clock and CPU time (the CPU time of check_tree's child processes included). With --docs, also
what the build's guard process (GuardProcess) reads: the docs folder, the other languages'
(--more-docs .docs.fr), then the whole site, their trees (--trees fr/) skipped as the build
skips them; without pages handed over, so every page of the site is read then.

    .venv/bin/python bench/guard_cost.py SITE CSV --docs DOCS --more-docs DOCS/../.docs.fr --trees fr/

With --last-pass, also the guard's last pass alone (what the build waits for once MkDocs has
ended), as the guard process makes it: the docs folders read, the files a build hands over
as they are produced handed over, then the finished site checked, that step's CPU time
(time.process_time, one process) and wall clock given: once with the pages handed over
(every .html but 404.html: what MkDocs produces), once with each Pagefind bundle's files
too (what its helper hands over when Pagefind is done, since 2026-12-04's seventh round).

A site built from that CSV holds
nothing of the held-back rows, so any leak printed is a false alarm.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.pages.labels import load_labels
from generator.privacy.guard.check import Guard
from generator.privacy.guard.terms import Leak

try:  # the field table moved from generator.normalise.vocabulary to generator.fields
    from generator.fields import DEFAULT_TABLE

    canonical_field = DEFAULT_TABLE.key_for
except ImportError:
    from generator.normalise.vocabulary import canonical_field  # type: ignore[attr-defined,no-redef]

CONFIDENTIAL_COLUMN = "Outcome statements is CONFIDENTIAL"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Names that the synthetic content never holds, as an editor's redact.txt would list them.
REDACTED = ["John Doe", "Aïcha Traoré", "Jean-Baptiste Kaboré", "Hôpital Saint-Joseph", "Ali"]
T = TypeVar("T")


def read_fragments(csv_path: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(held back, public) rows as field key → text, keyed as the generator names fields."""
    held_back: list[dict[str, str]] = []
    public: list[dict[str, str]] = []
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {key: text for name, text in row.items() if (key := canonical_field(name)) and text}
            (public if row[CONFIDENTIAL_COLUMN].strip() == "0" else held_back).append(values)
    return held_back, public


def label_texts(labels: Any) -> list[str]:
    """Every string in the interface text (templates/labels.yml): the editors' own words."""
    if isinstance(labels, str):
        return [labels]
    if isinstance(labels, dict):
        return [text for value in labels.values() for text in label_texts(value)]
    if isinstance(labels, list):
        return [text for value in labels for text in label_texts(value)]
    return []


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (check_tree's helpers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(runs: int, work: Callable[[], T]) -> tuple[float, float, T]:
    """Median wall-clock and CPU seconds (with child processes) of runs calls of work, and its last result."""
    walls: list[float] = []
    cpus: list[float] = []
    result: T
    for _ in range(runs):
        wall, cpu = time.perf_counter(), cpu_seconds()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def tree_size(root: Path) -> tuple[int, int]:
    files = size = 0
    for directory, _, names in os.walk(root):
        files += len(names)
        size += sum(os.path.getsize(os.path.join(directory, name)) for name in names)
    return files, size


def report(what: str, wall: float, cpu: float, leaks: list[Leak] | None = None) -> None:
    line = f"{what:<28} {wall:7.3f} s  (CPU {cpu:.3f} s)"
    if leaks is not None:
        line += f"  {len(leaks)} leak(s)"
    print(line)
    for leak in (leaks or [])[:10]:
        print(f"    {leak.path}: {leak.kind}")


def as_the_build(guard: Guard, site: Path, docs: Path, more_docs: list[Path], trees: list[str]) -> list[Leak]:
    """What the build's guard process reads, in its order (no page handed to it as produced)."""
    from generator.privacy.guard.process import GuardProcess

    try:
        process = GuardProcess(lambda: guard, docs, *more_docs, trees=trees)
    except TypeError:  # a tree from before 2026-12-04: no trees, their files read
        process = GuardProcess(lambda: guard, docs, *more_docs)
    with process:
        return process.check(site)


def last_pass(guard: Guard, site: Path, docs: list[Path], trees: list[str], bundle_handed: bool) -> tuple[float, float]:
    """Wall-clock and CPU seconds of the guard process's check of the finished site, the docs
    folders read and the site's pages (and, bundle_handed, its Pagefind files) handed over first."""
    from generator.privacy.guard.process import _ChecksOfABuild
    from generator.privacy.guard.walk import DEFAULT_SKIP, in_every_tree

    checks = _ChecksOfABuild(guard, in_every_tree(DEFAULT_SKIP, trees))
    for folder, prefix in zip(docs, ["", *(f"{each.name}/" for each in docs[1:])]):
        checks.folder(folder, prefix=prefix)
    bundles = {f"{tree}pagefind" for tree in ["", *trees]}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        in_bundle = any(name.startswith(bundle + "/") for bundle in bundles)
        if path.is_file() and (
            (name.endswith(".html") and path.name != "404.html" and not in_bundle) or (in_bundle and bundle_handed)
        ):
            checks.page(name, path.read_bytes())
    wall, cpu = time.perf_counter(), time.process_time()
    checks.site(site)
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="the built site")
    parser.add_argument("csv", type=Path, help="the make_fragments.py CSV it was built from")
    parser.add_argument("--docs", type=Path, help="the generated docs folder, checked too")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--more-docs", type=Path, nargs="*", default=[], help="the other languages' docs folders")
    parser.add_argument("--trees", nargs="*", default=[], help="the site's folders of the other languages (fr/)")
    parser.add_argument("--last-pass", action="store_true", help="also the guard's last pass alone (needs --docs)")
    args = parser.parse_args(argv)

    held_back, public = read_fragments(args.csv)
    allowed = label_texts(load_labels(TEMPLATES, "en"))
    for tree in args.trees:
        allowed += label_texts(load_labels(TEMPLATES, tree.strip("/")))
    files, size = tree_size(args.site)
    print(
        f"{args.csv}: {len(public)} public, {len(held_back)} held back; "
        f"{args.site}: {files} files, {size / 1e6:.1f} MB; median of {args.runs} runs"
    )
    wall, cpu, guard = timed(args.runs, lambda: Guard(held_back, public, REDACTED, allowed))
    report("Guard(...)", wall, cpu)
    wall, cpu, leaks = timed(args.runs, lambda: guard.check_tree(args.site))
    report("check_tree(site)", wall, cpu, leaks)
    if args.docs:
        wall, cpu, leaks = timed(args.runs, lambda: guard.check_tree(args.docs))
        report("check_tree(docs)", wall, cpu, leaks)
        # One walk over both (what the build should call): the docs' copies of site files
        # and the lines the Markdown shares with the HTML are checked once.
        wall, cpu, leaks = timed(args.runs, lambda: guard.check_tree(args.site, args.docs, processes=1))
        report("check_tree(site, docs) 1 proc", wall, cpu, leaks)
        wall, cpu, leaks = timed(args.runs, lambda: guard.check_tree(args.site, args.docs))
        report("check_tree(site, docs)", wall, cpu, leaks)
        wall, cpu, leaks = timed(
            args.runs, lambda: as_the_build(guard, args.site, args.docs, args.more_docs, args.trees)
        )
        report("as the build's guard process", wall, cpu, leaks)
    if args.docs and args.last_pass:
        for bundle_handed, what in ((False, "last pass, pages handed"), (True, "last pass, pages + bundle")):
            runs = [
                last_pass(guard, args.site, [args.docs, *args.more_docs], args.trees, bundle_handed)
                for _ in range(args.runs)
            ]
            report(what, statistics.median(run[0] for run in runs), statistics.median(run[1] for run in runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
