"""A two-language build against a one-language build of the same content, in the same run
(issue 22, point 5: at most 1.6 times as long).

    .venv/bin/python bench/languages.py                 # 5000 fragments, 2 repeats each
    .venv/bin/python bench/languages.py --size 500 --repeats 1

Synthetic fragments (bench/make_fragments.py); each build is `python -m generator build`
in a fresh process with fresh docs and site folders, the two kinds taking turns; prints the
median wall time of each and their ratio.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fragments  # noqa: E402


def config(work: Path, content: Path, languages: list[str]) -> Path:
    """mkdocs.yml with its folders made absolute and the plugin's languages."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: templates/theme", f"custom_dir: {ROOT / 'templates' / 'theme'}")
    plugin = (
        f"  - outcome-kb:\n      content: {content}\n      templates: {ROOT / 'templates'}\n"
        f"      languages: [{', '.join(languages)}]\n"
    )
    text = text.replace("  - outcome-kb\n", plugin)
    text = text.replace("watch:\n  - content\n  - templates\n", "")
    path = work / f"mkdocs-{'-'.join(languages)}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def build(work: Path, config_file: Path, content: Path) -> float:
    site, docs = work / "site", work / "docs"
    for folder in work.glob(".docs.*"):
        shutil.rmtree(folder, ignore_errors=True)
    for folder in (site, docs):
        shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, "-m", "generator", "build", "--quiet", "--config", str(config_file)]
    command += ["--content", str(content), "--site-dir", str(site), "--docs-dir", str(docs)]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    wall = time.perf_counter() - started
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="okb-bench-languages-") as name:
        work = Path(name)
        content = work / "content"
        content.mkdir()
        make_fragments.write_csv(make_fragments.make_rows(arguments.size, arguments.seed), content / "fragments.csv")
        (content / "results-framework.yml").write_text(make_fragments.framework_yml(), encoding="utf-8")
        configs = {"one": config(work, content, ["en"]), "two": config(work, content, ["en", "fr"])}
        times: dict[str, list[float]] = {"one": [], "two": []}
        for _ in range(arguments.repeats):
            for kind, config_file in configs.items():
                times[kind].append(build(work, config_file, content))
        one, two = statistics.median(times["one"]), statistics.median(times["two"])
        print(f"{arguments.size} fragments: one language {one:.1f} s, two languages {two:.1f} s, ratio {two / one:.2f}")
        print(f"runs: {json.dumps(times)}")


if __name__ == "__main__":
    main()
