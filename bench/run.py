"""Benchmark the build at several sizes and print a Markdown table.

    .venv/bin/python bench/run.py                       # 500, 5000 and 20000 fragments
    .venv/bin/python bench/run.py --sizes 500,5000 --repeats 3
    .venv/bin/python bench/run.py --profile 5000        # cProfile of the full CLI build (English)
    .venv/bin/python bench/run.py --profile 5000 --profile-languages en,fr   # ... in both languages
    .venv/bin/python bench/run.py --with-preview --with-search   # issue 23's one table, in one sitting

For each size it writes synthetic fragments (bench/make_fragments.py) into a
temporary folder and measures, as the median of the repeats (sizes above
--large get --large-repeats runs, default 1):

  gen     generator stage alone, fresh docs dir (generate(), in a fresh process)
  full    full build: `python -m generator build` in a subprocess (wall clock,
          interpreter start-up included), fresh docs and site dirs, in one language
          (English: the project's mkdocs.yml with `languages: [en]`)
  full2   the same full build in the project's two languages (`languages: [en, fr]`:
          English at the root, French under fr/), and its ratio to `full` (issue 22
          point 5: at most 1.6)
  mkdocs  MkDocs alone (run_mkdocs) rebuilding the already generated Markdown
  nochg   generator stage again on an up-to-date docs dir (no change)
  plain   reference floor: MkDocs alone on "plain pages", the same public
          fragments as minimal Markdown (title and text sections, no links, no
          listings), same theme/plugins/markdown settings, an explicit nav of a
          few pages

With --with-preview and --with-search it also runs bench/serve_speed.py (an edit, a
deleted row and an added row under `mkdocs serve`, per input form: one CSV, one XLSX, one
.txt file per fragment) and bench/search_speed.py (first search result on the slow-phone
emulation, on the full build's one-language site: from the tap on the box, and from opening
the home page and typing at once) at each size, and adds their medians to the table. Each
is asked for `--json FILE`, where it writes {"median_s": …, "runs_s": [...]} and its other
figures (serve_speed.json_summary, search_speed.json_summary); a script that fails gives
rows that say so, and the other rows stand.

Every step runs in its own process, timed inside it (except `full`); peak RSS is
that process's ru_maxrss from os.wait4. Nothing is written into the repository's
docs/ or site/. Timings on a shared machine are noisy: compare medians.
"""

from __future__ import annotations

import argparse
import json
import os
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
from languages import config as config_in  # noqa: E402

CONFIG = ROOT / "mkdocs.yml"


# ---------------------------------------------------------------- workers (child processes)


def _cpu_with_children() -> float:
    """CPU time of this process and of the children it waited for (the generator renders
    on both cores with a forked process: its time counts)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _worker(kind: str, args: list[str]) -> None:
    result: dict = {}
    if kind == "generate":
        from generator.publish.build_types import Settings
        from generator.publish.generate import generate

        content, docs = Path(args[0]), Path(args[1])
        started, cpu = time.perf_counter(), _cpu_with_children()
        report = generate(Settings(contents=[content], docs_dir=docs))
        result["seconds"], result["cpu"] = time.perf_counter() - started, _cpu_with_children() - cpu
        result["published"] = report.published
        result["pages"] = report.pages
        result["written"] = report.written.written if report.written else None
        result["timings"] = report.timings
    elif kind == "run_mkdocs":
        from generator.publish.sequence import run_engine
        from generator.site_config import load_mkdocs_config

        config, docs, site = (Path(a) for a in args)
        started, cpu = time.perf_counter(), time.process_time()
        run_engine(load_mkdocs_config(config, docs_dir=str(docs), strict=True), site)
        result["seconds"], result["cpu"] = time.perf_counter() - started, time.process_time() - cpu
    elif kind == "plain_mkdocs":
        import logging

        from generator.engine import build, load_config  # the same engine as the generator's build

        logging.basicConfig(level=logging.WARNING)
        config, site = args
        started, cpu = time.perf_counter(), time.process_time()
        cfg = load_config(config, site_dir=site, strict=False)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        result["seconds"], result["cpu"] = time.perf_counter() - started, time.process_time() - cpu
    else:
        raise SystemExit(f"unknown worker {kind}")
    print("BENCH-RESULT " + json.dumps(result))


def _run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, int, str, float]:
    """Run cmd; return wall seconds, peak RSS (KiB), stdout, CPU seconds (user+sys) of that process."""
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out_file, stderr=err_file, text=True)
        # wait4, not wait(): it gives this child's own rusage (peak RSS).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}\n{out[-2000:]}")
    return wall, usage.ru_maxrss, out, usage.ru_utime + usage.ru_stime


def _build_args(content: Path, site: Path, docs: Path, config: Path | None = None) -> list[str]:
    """`-m generator build` of content into site and docs, as a reader of the README runs it
    (with the project's mkdocs.yml, or `config`)."""
    args = ["-m", "generator", "build", "--content", str(content), "--site-dir", str(site), "--docs-dir", str(docs)]
    return [*args, "--config", str(config)] if config is not None else args


def _worker_cmd(kind: str, *args: Path | str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", kind, *map(str, args)]


def _result(out: str) -> dict:
    for line in out.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT ") :])
    raise RuntimeError(f"no result in worker output:\n{out[-2000:]}")


# ---------------------------------------------------------------- set-up


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def make_content(n: int, seed: int, work: Path) -> tuple[Path, list[dict]]:
    content = work / "content"
    content.mkdir(parents=True)
    rows = make_fragments.make_rows(n, seed)
    make_fragments.write_csv(rows, content / "fragments.csv")
    (content / "results-framework.yml").write_text(make_fragments.framework_yml(), encoding="utf-8")
    return content, rows


def make_plain(rows: list[dict], work: Path) -> Path:
    """Minimal pages for the public fragments, and a config with the project's theme settings."""
    import yaml

    docs = work / "plain-docs"
    (docs / "f").mkdir(parents=True)
    public = [r for r in rows if r["Outcome statements is CONFIDENTIAL"] == "0"]
    sections = [
        ("Outcome", "Outcome description"),
        ("Significance", "Significance of the outcome"),
        ("Contribution of the programme", "Contribution of the programme"),
        ("Other actors and factors", "Contribution of other actors and factors"),
        ("Evidence", "Evidence supporting the outcome statement"),
        ("Additional information", "Additional information (use if needed) "),
    ]
    for i, row in enumerate(public):
        parts = [f"# {row['FragmentID']}\n"]
        for title, column in sections:
            if row[column].strip():
                parts.append(f"## {title}\n\n{row[column].strip()}\n")
        (docs / "f" / f"{i:06d}.md").write_text("\n".join(parts), encoding="utf-8")
    (docs / "index.md").write_text("# Outcome knowledge base\n\nPlain pages, for reference.\n", encoding="utf-8")
    for name in ("about", "countries", "years"):
        (docs / f"{name}.md").write_text(f"# {name.capitalize()}\n\nA page.\n", encoding="utf-8")

    from generator.engine import utils  # the engine's own reading: !ENV gives its value

    with CONFIG.open(encoding="utf-8") as config_file:
        project = utils.yaml.yaml_load(config_file)
    config = {
        key: project[key]
        for key in ("site_name", "site_url", "use_directory_urls", "theme", "plugins", "markdown_extensions")
        if key in project
    }
    # The floor the issue measures: Material with its own search in English and French
    # (our site switches that off for Pagefind, which the full build then runs).
    config["plugins"] = [{"search": {"lang": ["en", "fr"]}}]
    # ...and Material's own templates, without our one block override (templates/theme/).
    config["theme"] = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    config["docs_dir"] = str(docs)
    config["nav"] = [{"Home": "index.md"}, {"About": "about.md"}, {"Countries": "countries.md"}, {"Years": "years.md"}]
    config["not_in_nav"] = "/f/\n"
    path = work / "plain-mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- preview and search (other scripts)

PREVIEW_FORMS = ("csv", "xlsx", "txt")  # serve_speed.py --format: one CSV, one XLSX, a .txt per fragment
HERE = Path(__file__).resolve().parent


def _median_from(script: str, args: list[str], log) -> dict:
    """Run bench/<script> ARGS --json FILE; {"median_s": …} as it wrote it, or {"error": why}."""
    with tempfile.TemporaryDirectory(prefix="okb-bench-json-") as folder:
        out = Path(folder) / "result.json"
        cmd = [sys.executable, str(HERE / script), *args, "--json", str(out)]
        log(f"  {' '.join(cmd[1:])}")
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0 or not out.is_file():
            why = (
                "no --json option"
                if "unrecognized arguments: --json" in done.stderr
                else f"{script} exit {done.returncode}, see the log"
                if done.returncode
                else f"{script} wrote no JSON"
            )
            log(f"  {script}: {why}\n{done.stderr[-1500:]}")
            return {"error": why}
        result: dict = json.loads(out.read_text(encoding="utf-8"))
        return result


PREVIEW_KINDS = ("edit", "delete", "add")  # serve_speed.py --kinds: each --edits times
SEARCH_TYPING = ("tap", "open-and-type")  # search_speed.py --typing: from the tap; from opening and typing


def preview_speed(n: int, edits: int, log) -> dict[str, dict]:
    """serve_speed.py at n fragments for each input form: save → visible per kind of change,
    median of `edits` changes each."""
    return {
        form: _median_from("serve_speed.py", ["--n", str(n), "--format", form, "--edits", str(edits)], log)
        for form in PREVIEW_FORMS
    }


def search_speed(site: Path, runs: int, log, typings: tuple[str, ...] = SEARCH_TYPING) -> dict[str, dict]:
    """search_speed.py on a built site, per typing mode: tap → first result, and opening the
    page → first result of the whole query, median of `runs` each."""
    return {
        typing: _median_from("search_speed.py", [str(site), "--runs", str(runs), "--typing", typing], log)
        for typing in typings
    }


def _seconds(value: float | None) -> str:
    return "never shown" if value is None else f"{value:.2f} s"


def _median_cell(result: dict | None, cpu_key: str | None = None) -> str:
    """A script's median ("median_s"), and in brackets its CPU median when it gives one."""
    if not result:
        return "not measured"
    if "error" in result:
        return f"n/a ({result['error']})"
    cell = _seconds(result.get("median_s"))
    if cpu_key and result.get(cpu_key) is not None:
        cell += f" ({result[cpu_key]:.2f} s)"
    return cell


# ---------------------------------------------------------------- measurements


def bench_size(n: int, repeats: int, seed: int, keep: bool, log, extras: argparse.Namespace | None = None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"okb-bench-{n}-"))
    try:
        content, rows = make_content(n, seed, work)
        plain_config = make_plain(rows, work)
        m: dict[str, list] = {
            k: []
            for k in (
                "gen",
                "full",
                "full2",
                "mkdocs",
                "nochg",
                "plain",
                "full_rss",
                "full2_rss",
                "gen_rss",
                "nochg_rss",
                "mkdocs_rss",
                "plain_rss",
                "gen_cpu",
                "full_cpu",
                "full2_cpu",
                "mkdocs_cpu",
                "nochg_cpu",
                "plain_cpu",
            )
        }
        info: dict = {"n": n, "work": str(work), "stages": [], "load": [os.getloadavg()[0]]}
        docs = work / "docs"
        one, two = config_in(work, content, ["en"]), config_in(work, content, ["en", "fr"])
        for rep in range(repeats):
            # (a) generator alone, fresh docs dir
            wall, rss, out, cpu = _run(_worker_cmd("generate", content, _fresh(docs)))
            r = _result(out)
            m["gen"].append(r["seconds"])
            m["gen_rss"].append(rss)
            m["gen_cpu"].append(r["cpu"])
            info["published"], info["pages"] = r["published"], r["pages"]
            log(f"  N={n} rep {rep + 1}: gen {r['seconds']:.2f}s (cpu {r['cpu']:.2f}s) {r['timings']}")
            # (d) no-change rebuild on the now up-to-date docs dir
            wall, rss, out, cpu = _run(_worker_cmd("generate", content, docs))
            r = _result(out)
            if r["written"]:  # templates edited meanwhile, or output that is not deterministic
                log(f"  WARNING: the no-change rebuild wrote {r['written']} file(s)")
            info["nochg_written"] = max(info.get("nochg_written", 0), r["written"])
            m["nochg"].append(r["seconds"])
            m["nochg_rss"].append(rss)
            m["nochg_cpu"].append(r["cpu"])
            log(f"  N={n} rep {rep + 1}: nochg {r['seconds']:.2f}s (cpu {r['cpu']:.2f}s)")
            # (c) MkDocs alone on the generated Markdown
            wall, rss, out, cpu = _run(_worker_cmd("run_mkdocs", CONFIG, docs, _fresh(work / "site-mkdocs")))
            r = _result(out)
            m["mkdocs"].append(r["seconds"])
            m["mkdocs_rss"].append(rss)
            m["mkdocs_cpu"].append(r["cpu"])
            log(f"  N={n} rep {rep + 1}: mkdocs {r['seconds']:.2f}s (cpu {r['cpu']:.2f}s)")
            # (b) full build through the CLI, then (b2) the same in two languages, right after it
            for key, languages, site_name in (("full", one, "site"), ("full2", two, "site-two")):
                for folder in work.glob(".docs-full.*"):
                    shutil.rmtree(folder, ignore_errors=True)
                full_docs, built = _fresh(work / "docs-full"), _fresh(work / site_name)
                wall, rss, out, cpu = _run([sys.executable, *_build_args(content, built, full_docs, languages)])
                m[key].append(wall)
                m[f"{key}_rss"].append(rss)
                m[f"{key}_cpu"].append(cpu)
                stage_line = next((line for line in out.splitlines() if line.startswith("Time:")), "")
                if key == "full":
                    info["stages"].append(stage_line)
                    site = built  # the one-language site: what the size rows measure
                log(f"  N={n} rep {rep + 1}: {key} {wall:.2f}s (cpu {cpu:.2f}s), {rss / 1024:.0f} MiB; {stage_line}")
            info["site2_bytes"] = _du(work / "site-two")
            bundles = [work / "site-two" / "pagefind", *(d / "pagefind" for d in (work / "site-two").iterdir())]
            info["site2_pagefind_bytes"] = sum(_du(p) for p in bundles if p.is_dir())  # one index per language
            shutil.rmtree(work / "site-two", ignore_errors=True)
            # (e) plain pages floor
            wall, rss, out, cpu = _run(_worker_cmd("plain_mkdocs", plain_config, _fresh(work / "site-plain")))
            r = _result(out)
            m["plain"].append(r["seconds"])
            m["plain_rss"].append(rss)
            m["plain_cpu"].append(r["cpu"])
            log(f"  N={n} rep {rep + 1}: plain {r['seconds']:.2f}s (cpu {r['cpu']:.2f}s)")
        site = work / "site"
        info["site_bytes"] = _du(site)
        index = site / "search" / "search_index.json"  # Material's built-in search, when enabled
        info["search_bytes"] = index.stat().st_size if index.exists() else 0
        pagefind = site / "pagefind"  # generator/publish/search.py's Pagefind bundle, when used
        info["pagefind_bytes"] = _du(pagefind) if pagefind.is_dir() else 0
        info["site_files"] = sum(1 for p in site.rglob("*") if p.is_file())
        info["plain_site_bytes"] = _du(work / "site-plain")
        plain_index = work / "site-plain" / "search" / "search_index.json"
        info["plain_search_bytes"] = plain_index.stat().st_size if plain_index.exists() else 0
        if extras is not None and extras.with_search:
            typings = tuple(t.strip() for t in extras.search_typing.split(",") if t.strip())
            info["search"] = search_speed(site, extras.search_runs, log, typings)
        if extras is not None and extras.with_preview:
            info["preview"] = preview_speed(n, extras.preview_edits, log)
        info["load"].append(os.getloadavg()[0])
        info["runs"] = {k: v for k, v in m.items()}
        info["median"] = {k: statistics.median(v) for k, v in m.items()}
        return info
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def _mib(b: float) -> str:
    return f"{b / 2**20:.1f} MiB"


def _t(r: dict, key: str) -> str:
    return f"{r['median'][key]:.2f} s ({r['median'][key + '_cpu']:.2f} s)"


def _ratio(r: dict, a: str, b: str) -> str:
    m = r["median"]
    return f"{m[a] / m[b]:.2f}× ({m[a + '_cpu'] / m[b + '_cpu']:.2f}×)"


def _per(r: dict, key: str) -> str:
    m = r["median"]
    return f"{1000 * m[key] / r['published']:.1f} ms ({1000 * m[key + '_cpu'] / r['published']:.1f} ms)"


def _guard_row(r: dict) -> str:
    """The "guard N s" of the full build's Time: lines (median) and its share of the full build's wall clock."""
    found = [
        float(part.split()[1])
        for line in r["stages"]
        for part in line.removeprefix("Time:").split(",")
        if part.strip().startswith("guard ")
    ]
    if not found:
        return "n/a"
    guard = statistics.median(found)
    return f"{guard:.2f} s ({100 * guard / r['median']['full']:.0f}%)"


FORM_NAMES = {"csv": "one CSV", "xlsx": "one XLSX", "txt": "a .txt per fragment"}
KIND_NAMES = {"edit": "edit a description", "delete": "delete a row", "add": "add a row"}
TYPING_NAMES = {
    "tap": "First search result, slow phone: tap → result",
    "open-and-type": "First search result, slow phone: opening the home page and typing → result",
    "locator": "First search result, slow phone: Playwright's click and fill → result",
}


def _preview_cell(form: str, kind: str):
    """serve_speed.py's median for one kind of change: save → shown (server CPU to shown)."""

    def cell(r: dict) -> str:
        result = r.get("preview", {}).get(form)
        if not result or "error" in result:
            return _median_cell(result)
        return _median_cell(result.get("kinds", {}).get(kind), cpu_key="cpu_median_s")

    return cell


def _preview_memory(r: dict) -> str:
    """The preview server's peak memory per input form (serve_speed.py's server_peak_rss_mib)."""
    cells = []
    for form in PREVIEW_FORMS:
        value = r.get("preview", {}).get(form, {}).get("server_peak_rss_mib")
        cells.append("n/a" if value is None else f"{value:.1f}")
    return " / ".join(cells) + " MiB"


def _search_cell(typing: str):
    return lambda r: _median_cell(r.get("search", {}).get(typing))


def _rss(r: dict, *keys: str) -> str:
    return " / ".join(f"{r['median'][key] / 1024:.1f}" for key in keys) + " MiB"


def _preview_rows(results: list[dict]) -> list:
    if not any("preview" in r for r in results):
        return []
    rows: list = [
        (
            f"Preview, {FORM_NAMES[form]}: {KIND_NAMES[kind]} (save → shown; server CPU)",
            _preview_cell(form, kind),
        )
        for form in PREVIEW_FORMS
        for kind in PREVIEW_KINDS
    ]
    return [*rows, ("Peak RSS, preview server: CSV / XLSX / .txt", _preview_memory)]


def _repeat_visit(r: dict) -> str:
    """search_speed.py's second search of a visit, on another page: the search files it
    downloaded again (0: the browser's cache served them all)."""
    found = [s["second_page_downloads"] for s in r.get("search", {}).values() if "second_page_downloads" in s]
    return f"{max(found)} files" if found else "not measured"


def _search_rows(results: list[dict]) -> list:
    typings = [t for t in TYPING_NAMES if any(t in r.get("search", {}) for r in results)]
    rows: list = [(f"{TYPING_NAMES[t]} (median)", _search_cell(t)) for t in typings]
    if typings:
        rows.append(("Search on a second page of the visit: files downloaded again", _repeat_visit))
    return rows


def table(results: list[dict]) -> str:
    rows = [
        ("Fragments (input / published)", lambda r: f"{r['n']} / {r['published']}"),
        ("Pages generated", lambda r: f"{r['pages']}"),
        ("(a) generator stage, fresh docs", lambda r: _t(r, "gen")),
        ("(b) full build, CLI subprocess", lambda r: _t(r, "full")),
        ("(b) of which leak guard, wall (share)", _guard_row),
        ("(b2) full build, two languages", lambda r: _t(r, "full2")),
        ("Two languages ÷ one, full build, wall (CPU)", lambda r: _ratio(r, "full2", "full")),
        ("(c) MkDocs alone, generated docs", lambda r: _t(r, "mkdocs")),
        ("(d) generator no-change rebuild", lambda r: _t(r, "nochg")),
        ("(e) floor: MkDocs alone, plain pages", lambda r: _t(r, "plain")),
        ("Full build ÷ floor, wall (CPU)", lambda r: _ratio(r, "full", "plain")),
        ("MkDocs generated ÷ floor, wall (CPU)", lambda r: _ratio(r, "mkdocs", "plain")),
        (
            "Generator: input fragments/s, wall (CPU)",
            lambda r: f"{r['n'] / r['median']['gen']:.0f} ({r['n'] / r['median']['gen_cpu']:.0f})",
        ),
        ("Full build per published fragment, wall (CPU)", lambda r: _per(r, "full")),
        ("Plain MkDocs per published fragment, wall (CPU)", lambda r: _per(r, "plain")),
        *_preview_rows(results),
        *_search_rows(results),
        ("Peak RSS, full build: one / two languages", lambda r: _rss(r, "full_rss", "full2_rss")),
        ("Peak RSS, (a) generator / (d) no change", lambda r: _rss(r, "gen_rss", "nochg_rss")),
        ("Peak RSS, (c) MkDocs alone / (e) floor", lambda r: _rss(r, "mkdocs_rss", "plain_rss")),
        ("site/ size (files), one language", lambda r: f"{_mib(r['site_bytes'])} ({r['site_files']})"),
        ("site/ size, two languages", lambda r: _mib(r["site2_bytes"])),
        ("search/search_index.json (Material)", lambda r: _mib(r["search_bytes"])),
        ("pagefind/ bundle, one language", lambda r: _mib(r.get("pagefind_bytes", 0))),
        ("pagefind/ bundles, two languages", lambda r: _mib(r.get("site2_pagefind_bytes", 0))),
        (
            "plain site/ / plain search index",
            lambda r: f"{_mib(r['plain_site_bytes'])} / {_mib(r['plain_search_bytes'])}",
        ),
        ("Runs (median of)", lambda r: f"{len(r['runs']['full'])}"),
        ("Load average (1 min), start / end of this size", lambda r: " / ".join(f"{x:.1f}" for x in r["load"])),
    ]
    lines = ["Times: median wall clock (median CPU time, user+sys, of the measured process).", ""]
    lines += ["| Measure | " + " | ".join(f"N={r['n']}" for r in results) + " |"]
    lines.append("|---|" + "---:|" * len(results))
    for label, fn in rows:
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- profile

CATEGORIES = [  # (label, substring of the file path), first match wins, for "tottime by area"
    ("generator/ (our code)", str(ROOT / "generator") + "/"),
    ("templates/ (our Jinja templates)", str(ROOT / "templates") + "/"),
    ("material: theme templates (Jinja)", "material/templates/"),
    ("jinja2", "/jinja2/"),
    ("yaml", "/yaml/"),
    ("material: search plugin", "material/plugins/search"),
    ("mkdocs: search plugin", "mkdocs/contrib/search"),
    ("material: tags plugin", "material/plugins/tags"),
    ("material (other)", "/material/"),
    ("markdown (Python-Markdown)", "/markdown/"),
    ("pymdownx", "/pymdownx/"),
    ("mkdocs: structure (pages, nav, files)", "mkdocs/structure"),
    ("mkdocs: build/commands", "mkdocs/commands"),
    ("mkdocs (other)", "/mkdocs/"),
    ("html/parser, regex, json, std lib", "/lib/python"),
]


STAGES = [  # (label, end of file path, function name): inclusive times of the main stages
    ("whole build (pipeline.build)", "generator/publish/sequence.py", "build"),
    ("generator stage (pipeline.generate)", "generator/publish/sequence.py", "generate"),
    ("  read sources (sources.read_sources)", "generator/read/sources.py", "read_sources"),
    ("  normalise (normalise.normalise)", "generator/normalise/fragments.py", "normalise"),
    ("  index (indexes.build_index)", "generator/pages/indexes.py", "build_index"),
    ("  render pages (renderer.Renderer.render)", "generator/pages/renderer.py", "render"),
    ("    of which front matter YAML (front_matter.front_matter)", "generator/pages/front_matter.py", "front_matter"),
    ("    of which links (renderer.Renderer.href)", "generator/pages/renderer.py", "href"),
    ("  write docs (write.write_docs)", "generator/publish/write.py", "write_docs"),
    ("search index (Pagefind, search.index_site)", "generator/publish/search.py", "index_site"),
    ("the engine (sequence.run_engine)", "generator/publish/sequence.py", "run_engine"),
    ("  read Markdown + front matter YAML (Page.read_source)", "mkdocs/structure/pages.py", "read_source"),
    ("  Markdown to HTML (Page.render)", "mkdocs/structure/pages.py", "render"),
    ("    raw-HTML scan, MkDocs (_RawHTMLPreprocessor)", "mkdocs/structure/pages.py", "run"),
    ("    raw-HTML stash, Markdown (HtmlBlockPreprocessor)", "markdown/preprocessors.py", "run"),
    ("    toc extension (TocTreeprocessor)", "markdown/extensions/toc.py", "run"),
    (
        "  search plugin: parse page HTML (add_entry_from_context)",
        "material/plugins/search/plugin.py",
        "add_entry_from_context",
    ),
    ("  search plugin: write index (on_post_build)", "material/plugins/search/plugin.py", "on_post_build"),
    ("  tags plugin (on_page_markdown)", "material/plugins/tags/plugin.py", "on_page_markdown"),
    ("  tags plugin (on_page_context)", "material/plugins/tags/plugin.py", "on_page_context"),
    ("  tags plugin (on_env)", "material/plugins/tags/plugin.py", "on_env"),
    ("  build pages (_build_page: page_context plugins + theme + write)", "mkdocs/commands/build.py", "_build_page"),
    ("    theme template rendering (Material main.html)", "material/templates/main.html", "root"),
    ("  sitemap.xml and 404 (_build_theme_template)", "mkdocs/commands/build.py", "_build_theme_template"),
    ("  copy static files (File.copy_file)", "mkdocs/structure/files.py", "copy_file"),
    ("  write HTML (utils.write_file)", "mkdocs/utils/__init__.py", "write_file"),
]


def profile(n: int, seed: int, out_dir: Path, top: int, languages: list[str]) -> None:
    import pstats

    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"okb-profile-{n}-"))
    try:
        content, _ = make_content(n, seed, work)
        prof = out_dir / f"full-build-{n}-{'-'.join(languages)}.prof"
        config = config_in(work, content, languages)
        wall, rss, out, _cpu = _run(
            [
                sys.executable,
                "-m",
                "cProfile",
                "-o",
                str(prof),
                *_build_args(content, work / "site", work / "docs", config),
            ]
        )
        print(f"Profiled full build at N={n}: {wall:.1f} s wall under cProfile, {rss / 1024:.0f} MiB; {prof}")
        print(next((line for line in out.splitlines() if line.startswith("Time:")), ""))
        stats = pstats.Stats(str(prof))
        by_area: dict[str, float] = {}
        for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():
            label = next((lab for lab, key in CATEGORIES if key in filename), "other (builtins, C)")
            if filename == "~":
                label = "builtins/C functions"
            by_area[label] = by_area.get(label, 0.0) + tt
        total = sum(by_area.values())
        print("\n| Area (own time, tottime) | s | % |\n|---|---:|---:|")
        for label, tt in sorted(by_area.items(), key=lambda kv: -kv[1]):
            print(f"| {label} | {tt:.2f} | {100 * tt / total:.1f} |")
        print("\n| Stage (inclusive time, cumtime) | s | % of build |\n|---|---:|---:|")
        cum = {}
        for (filename, _, name), (_, _, _, ct, _) in stats.stats.items():
            for label, file_part, func in STAGES:
                if filename.endswith(file_part) and name == func:
                    cum[label] = cum.get(label, 0.0) + ct
        whole = cum.get("whole build (pipeline.build)") or 1.0
        for label, _, _ in STAGES:
            if label in cum:
                print(f"| {label} | {cum[label]:.2f} | {100 * cum[label] / whole:.1f} |")
        print(f"\nTop {top} by cumulative time:")
        stats.sort_stats("cumulative").print_stats(top)
        print(f"Top {top} by own time:")
        stats.sort_stats("tottime").print_stats(top)
        print("Our code (generator/, templates/) by cumulative time:")
        stats.sort_stats("cumulative").print_stats(r"generator/|templates/", top)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        _worker(argv[1], argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="500,5000,20000", help="comma-separated fragment counts")
    parser.add_argument("--repeats", type=int, default=3, help="runs per size (median); default 3")
    parser.add_argument("--large", type=int, default=10000, help="sizes above this use --large-repeats")
    parser.add_argument("--large-repeats", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--profile", type=int, metavar="N", help="instead: cProfile the full CLI build at N fragments")
    parser.add_argument("--profile-languages", default="en", help="the site's languages when profiling: en or en,fr")
    parser.add_argument("--profile-dir", type=Path, default=Path(tempfile.gettempdir()) / "okb-bench-profile")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--with-preview", action="store_true", help="also bench/serve_speed.py per input form")
    parser.add_argument("--preview-edits", type=int, default=5)
    parser.add_argument("--with-search", action="store_true", help="also bench/search_speed.py on the built site")
    parser.add_argument("--search-runs", type=int, default=9)
    parser.add_argument(
        "--search-typing",
        default=",".join(SEARCH_TYPING),
        help="search_speed.py --typing modes, comma-separated (default: tap,open-and-type)",
    )
    args = parser.parse_args(argv)
    if args.profile:
        profile(args.profile, args.seed, args.profile_dir, args.top, args.profile_languages.split(","))
        return 0

    def log(text):
        return print(text, file=sys.stderr, flush=True)

    results = []
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        repeats = args.large_repeats if n > args.large else args.repeats
        log(f"N={n}: {repeats} run(s)")
        results.append(bench_size(n, repeats, args.seed, args.keep, log, args))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
