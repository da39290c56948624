"""Lighthouse scores of a built site, served as GitHub Pages serves it. A benchmark script, not a test.

    .venv/bin/python bench/lighthouse.py SITE_DIR [--runs 3] [--pages home fragment dashboard fragments/]

Serves SITE_DIR on 127.0.0.1 with text gzipped (bench/search_speed.py's server: what
GitHub Pages sends), runs Lighthouse --runs times on each page (mobile form factor,
Lighthouse's default simulated throttling, categories performance and accessibility,
headless Debian Chromium) and prints a Markdown table: per page the median of each
figure over the runs (performance and accessibility scores, LCP, CLS, TBT, bytes
transferred), then the accessibility audits that failed in any run.

Pages: `home`, `fragment` (the middle one of fragments/, as search_speed.py picks it),
`dashboard`, `all` (All outcomes, fragments/), or any path under the site ("countries/").

Lighthouse is installed from the npm registry into a cache folder outside the
repository when missing (`npm install --prefix ~/.cache/okb-lighthouse lighthouse@13`);
nothing goes into the repository. Lighthouse 13 asks for Node 22.19 or newer; on an
older Node it is installed anyway (npm warns) and the script says so.

Nothing may come from another host. Chromium gets flags that stop its own background
requests and a proxy that does not exist for every address but 127.0.0.1 (loopback
bypasses the proxy), so an outside request fails instead of leaving the machine;
Lighthouse's error reporting is off. The script fails (exit 2) if any request the page
made, as listed by Lighthouse's network-requests audit, went to another host.

Simulated throttling scales what Chromium measured on this machine: on a shared,
2-core host the scores and times move between runs; compare medians, and runs made
in the same session.
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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# The gzip server of search_speed.py: one implementation for both benchmarks.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_speed import serve

LIGHTHOUSE_VERSION = "13"
NODE_WANTED = (22, 19)  # Lighthouse 13's "engines"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "okb-lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Any request to another host goes to a proxy port where nothing listens, and fails;
    # Chromium never sends loopback addresses (our server) through a proxy.
    "--proxy-server=http://127.0.0.1:9",
]
PAGES = {"home": "", "dashboard": "dashboard/", "all": "fragments/"}
DEFAULT_PAGES = ["home", "fragment", "dashboard", "all"]
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension"}


# ---------------------------------------------------------------- Lighthouse itself


def node_version() -> tuple[int, ...]:
    try:
        out = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit("node not found: install Node.js (Debian: apt-get install nodejs npm)") from None
    return tuple(int(part) for part in out.strip().lstrip("v").split(".")[:2])


def ensure_lighthouse(cache: Path, version: str) -> Path:
    """The lighthouse command, installed into `cache` from the npm registry if missing."""
    command = cache / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        if shutil.which("npm") is None:
            raise SystemExit(
                "npm not found: install it (Debian: apt-get install npm) or Lighthouse by hand into " + str(cache)
            )
        cache.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{version} into {cache} …", file=sys.stderr)
        subprocess.run(
            ["npm", "install", "--prefix", str(cache), f"lighthouse@{version}", "--no-audit", "--no-fund"],
            check=True,
        )
    if node_version() < NODE_WANTED and version == LIGHTHOUSE_VERSION:
        print(
            f"note: Lighthouse {version} asks for Node {'.'.join(map(str, NODE_WANTED))}+, this is Node "
            f"{'.'.join(map(str, node_version()))}; running it anyway",
            file=sys.stderr,
        )
    return command


def run_lighthouse(command: Path, url: str, out: Path, chromium: str, timeout: float) -> dict:
    """One Lighthouse run; its JSON report."""
    args = [
        str(command),
        url,
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility",
        "--form-factor=mobile",  # Lighthouse's default, said out loud (with its default simulated throttling)
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--no-enable-error-reporting",  # never send anything to Lighthouse's makers
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chromium}
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"Lighthouse took more than {timeout:.0f} s on {url}") from None
    if done.returncode != 0 or not out.is_file():
        raise SystemExit(f"Lighthouse failed on {url} (exit {done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise SystemExit(f"Lighthouse could not measure {url}: {report['runtimeError']}")
    return report


# ---------------------------------------------------------------- reading a report


@dataclass
class Run:
    performance: float
    accessibility: float
    lcp_ms: float
    cls: float
    tbt_ms: float
    transfer_bytes: float
    failing_a11y: dict[str, str]  # audit id → title
    outside: list[str]  # request URLs that went to another host
    warnings: list[str]
    benchmark_index: float  # Lighthouse's measure of this host's CPU speed: lower on a loaded host


def score(report: dict, category: str) -> float:
    value = report["categories"][category]["score"]
    return float("nan") if value is None else value * 100


def audit_value(report: dict, audit: str) -> float:
    value = report["audits"][audit].get("numericValue")
    return float("nan") if value is None else float(value)


def failing_accessibility(report: dict) -> dict[str, str]:
    """Accessibility audits that ran and did not pass (manual and not-applicable ones are left out)."""
    failing = {}
    for ref in report["categories"]["accessibility"]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if (
            audit.get("scoreDisplayMode") in ("binary", "numeric")
            and audit.get("score") is not None
            and audit["score"] < 1
        ):
            items = len((audit.get("details") or {}).get("items") or [])
            failing[ref["id"]] = audit["title"] + (f" ({items} elements)" if items else "")
    return failing


def outside_requests(report: dict) -> list[str]:
    """Requests of the page that went to any host but 127.0.0.1."""
    outside = []
    for item in (report["audits"]["network-requests"].get("details") or {}).get("items") or []:
        parts = urlsplit(item.get("url", ""))
        if parts.scheme in LOCAL_SCHEMES:
            continue
        if parts.hostname not in LOCAL_HOSTS:
            outside.append(item.get("url", ""))
    return outside


def read_run(report: dict) -> Run:
    return Run(
        performance=score(report, "performance"),
        accessibility=score(report, "accessibility"),
        lcp_ms=audit_value(report, "largest-contentful-paint"),
        cls=audit_value(report, "cumulative-layout-shift"),
        tbt_ms=audit_value(report, "total-blocking-time"),
        transfer_bytes=audit_value(report, "total-byte-weight"),
        failing_a11y=failing_accessibility(report),
        outside=outside_requests(report),
        warnings=list(report.get("runWarnings") or []),
        benchmark_index=float((report.get("environment") or {}).get("benchmarkIndex") or "nan"),
    )


# ---------------------------------------------------------------- pages and the table


@dataclass
class PageResult:
    name: str
    path: str
    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)


def page_path(site: Path, name: str) -> str:
    """The URL path (under the site's root) of a named page, or the name itself as a path."""
    if name == "fragment":
        pages = sorted(p.parent for p in (site / "fragments").glob("*/index.html"))
        if not pages:
            raise SystemExit(f"{site}: no fragment page (fragments/*/index.html)")
        return pages[len(pages) // 2].relative_to(site).as_posix() + "/"
    path = PAGES.get(name, name.lstrip("/"))
    target = site / path / "index.html" if path == "" or path.endswith("/") else site / path
    if not target.is_file():
        raise SystemExit(f"{site}: no page for {name!r} ({target} is missing)")
    return path


def table(results: list[PageResult]) -> str:
    runs = len(results[0].runs) if results else 0
    lines = [
        (
            f"Median of {runs} Lighthouse runs per page (mobile, simulated throttling); host benchmark index "
            f"{statistics.median(run.benchmark_index for r in results for run in r.runs):.0f} (median)\n"
        ),
        "| Page | Path | Performance | Accessibility | LCP | CLS | TBT | Transferred | Performance per run |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | /{r.path} | **{r.median('performance'):.0f}** | {r.median('accessibility'):.0f} "
            f"| {r.median('lcp_ms') / 1000:.2f} s | {r.median('cls'):.3f} | {r.median('tbt_ms'):.0f} ms "
            f"| {r.median('transfer_bytes') / 1000:,.1f} kB | {', '.join(f'{run.performance:.0f}' for run in r.runs)} |"
        )
    lines.append("\nFailing accessibility audits (in any run):\n")
    any_failing = False
    for r in results:
        failing: dict[str, str] = {}
        for run in r.runs:
            failing.update(run.failing_a11y)
        for audit, title in sorted(failing.items()):
            any_failing = True
            lines.append(f"- {r.name}: `{audit}`: {title}")
    if not any_failing:
        lines.append("- none")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site folder (python -m generator build --site-dir …)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (default 3)")
    parser.add_argument(
        "--pages", nargs="+", default=DEFAULT_PAGES, help="home, fragment, dashboard, all, or paths under the site"
    )
    parser.add_argument("--chromium", default=CHROMIUM, help=f"Chromium to run (default {CHROMIUM})")
    parser.add_argument("--cache", type=Path, default=CACHE, help=f"where Lighthouse is installed (default {CACHE})")
    parser.add_argument("--lighthouse-version", default=LIGHTHOUSE_VERSION, help="npm version to install when missing")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per Lighthouse run (default 300)")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}: not a built site (no index.html)")
    command = ensure_lighthouse(args.cache, args.lighthouse_version)
    results = [PageResult(name, page_path(site, name)) for name in args.pages]

    reports = args.reports or Path(tempfile.mkdtemp(prefix="okb-lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}/"
    outside: set[str] = set()
    try:
        # Run after run over all pages, not page after page: the host's load then weighs
        # on every page alike.
        for number in range(1, args.runs + 1):
            for result in results:
                report = run_lighthouse(
                    command,
                    base + result.path,
                    reports / f"{result.name.replace('/', '_')}-{number}.json",
                    args.chromium,
                    args.timeout,
                )
                run = read_run(report)
                result.runs.append(run)
                outside.update(run.outside)
                print(
                    f"  run {number}, {result.name}: performance {run.performance:.0f}, accessibility {run.accessibility:.0f}, "
                    f"LCP {run.lcp_ms / 1000:.2f} s, TBT {run.tbt_ms:.0f} ms, {run.transfer_bytes / 1000:,.1f} kB, "
                    f"host benchmark index {run.benchmark_index:.0f}"
                    + "".join(f"\n    warning: {w}" for w in run.warnings),
                    file=sys.stderr,
                )
    finally:
        server.shutdown()
        server.server_close()
        if args.reports is None:
            shutil.rmtree(reports, ignore_errors=True)
    print(f"\n{site} (Lighthouse {lighthouse_version(command)})\n")
    print(table(results))
    if outside:
        print(
            "\nRequests that left 127.0.0.1 (the site must make none):\n"
            + "\n".join(f"- {u}" for u in sorted(outside)),
            file=sys.stderr,
        )
        return 2
    return 0


def lighthouse_version(command: Path) -> str:
    done = subprocess.run([str(command), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


if __name__ == "__main__":
    sys.exit(main())
