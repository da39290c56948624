"""One-edit preview: how long does a saved change to one fragment take to show in `mkdocs serve`?

    .venv/bin/python bench/serve_speed.py [--n 5000] [--format csv|xlsx|txt] [--edits 5]
                                          [--kinds edit,delete,add] [--save replace|overwrite]
                                          [--timeout 120] [--keep] [--json FILE]

A benchmark script, not a test. It works as an editor does:

1. makes a temporary project: a copy of mkdocs.yml, templates/ and the hook files that
   mkdocs.yml names (the generator itself is imported from the installed package), and a
   content/ folder with results-framework.yml and N synthetic fragments
   (bench/make_fragments.py) in content/fragments/, as one CSV export (--format csv), one
   workbook (--format xlsx) or as one `**Field**: value` text file per fragment (--format txt);
2. starts `<venv>/bin/mkdocs serve -a 127.0.0.1:<free port>` in it, as the README tells
   editors to, and waits until the home page is served (the first build);
3. per change (--kinds, each --edits times, each to a different public fragment):
   edit: puts a unique marker word at the start of one fragment's outcome description;
   delete: deletes its row (every row below moves up one) or its text file;
   add: inserts a new public row (a copy of one with a new ID and a marker word) in the
   middle of the export, or a new text file. It saves the file as an editor would
   (--save replace: a temporary file then os.replace, as most editors and Excel save;
   --save overwrite: the file rewritten in place), and polls the fragment's page every
   20 ms until the marker shows (edit, add) or the page is gone (delete, 404). The time
   from the save to that response is what the editor waits for. `mkdocs serve` holds
   every request while it rebuilds, so a poll can wait for a whole build: that is what
   the editor's browser, reloaded by livereload, waits for too;
4. waits until the server is idle again and counts the rebuilds that one save caused,
   from the server's log ("Building documentation..." lines): exactly 1 when the
   product works; checks that a listing page showing the fragment (All outcomes, its
   country's page) has the new text as well (edit, add), or no longer links to it (delete).

Pages are found from the generated docs folder (each docs/fragments/*.md names its
`fragment_id:` in its front matter; a listing is any page linking to it), never from
the generator's internals. The log of each edit is printed, times from the save, to
show where the time goes. Exits non-zero when an edit never showed within --timeout
(with --strict also when a save caused other than 1 rebuild or a listing kept the old
text). The machine is shared: times move with its load; compare medians.

With --json FILE it also writes the figures as JSON, for bench/run.py's table (see
`json_summary`): {"median_s": …, "runs_s": [...]} over every change, and per kind
(edit, delete, add) the same with the server's CPU to shown, plus the first build, the
server's peak memory and the load average.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fragments  # noqa: E402 - after the sys.path line: bench/ is not a package

DESCRIPTION = "Outcome description"
FRAGMENT_ID = "FragmentID"
POLL_INTERVAL = 0.02  # seconds between two polls of the edited page
SETTLE = 2.0  # seconds without a new rebuild after "Reloading browsers" before the server counts as idle

# Lines of mkdocs serve's log that mark the steps of a rebuild.
DETECTED = "Detected file changes"
BUILDING = "Building documentation..."
RELOADING = "Reloading browsers"
BUILD_ERROR = "An error happened during the rebuild"
SERVING = "Serving on"  # the end of the first build (which logs no "Reloading browsers")
TIMELINE = (DETECTED, BUILDING, "Generated ", "Documentation built in", RELOADING, "ERROR", "Error")


# ---------------------------------------------------------------- the temporary project


def hook_paths(config_text: str) -> list[str]:
    """The relative hook files mkdocs.yml names: they are loaded from beside the copy."""

    class Permissive(yaml.SafeLoader):  # mkdocs.yml may use tags such as !ENV
        pass

    Permissive.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load(config_text, Loader=Permissive) or {}
    return [h for h in config.get("hooks") or [] if isinstance(h, str) and not os.path.isabs(h)]


def make_project(work: Path, n: int, fmt: str, seed: int) -> tuple[list[dict[str, str]], list[Path]]:
    """Copy the project's configuration into `work` and write N fragments; returns the rows
    and, per row, the file that holds it."""
    config_text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    shutil.copy2(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", work / "templates")
    for hook in hook_paths(config_text):
        (work / hook).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / hook, work / hook)
    (work / "docs").mkdir()  # mkdocs wants docs_dir to exist before the hook fills it
    content = work / "content"
    (content / "fragments").mkdir(parents=True)
    (content / "results-framework.yml").write_text(make_fragments.framework_yml(), encoding="utf-8")
    rows = make_fragments.make_rows(n, seed)
    if fmt in EXPORTS:
        export = content / "fragments" / f"harvest-export.{fmt}"
        save_file(export, export_bytes(rows, fmt), "overwrite")
        return rows, [export] * len(rows)
    files = [text_file(content / "fragments", row) for row in rows]
    for row, path in zip(rows, files):
        save_file(path, txt_text(row).encode("utf-8"), "overwrite")
    return rows, files


EXPORTS = ("csv", "xlsx")  # one file holds every row; txt: one file per fragment


def text_file(folder: Path, row: dict[str, str]) -> Path:
    return folder / f"{safe_name(row[FRAGMENT_ID])}.txt"


def export_bytes(rows: list[dict[str, str]], fmt: str) -> bytes:
    if fmt == "csv":
        return csv_text(rows).encode("utf-8")
    import openpyxl  # the project's own dependency (the XLSX reader)

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(make_fragments.COLUMNS)
    for row in rows:
        sheet.append([row[name] for name in make_fragments.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_name(fragment_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", fragment_id).strip("-").lower()


def csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=make_fragments.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def txt_text(row: dict[str, str]) -> str:
    """One fragment in the `**Field**: value` form (content/fragments/*.txt); a value's
    later lines follow on their own lines, as the reader expects."""
    return "".join(f"**{name}**: {row[name]}\n" for name in make_fragments.COLUMNS)


def save_file(path: Path, data: bytes, how: str) -> None:
    """Save as an editor does. replace: write a hidden temporary file beside it, then
    os.replace (atomic; the hidden name keeps the generator from reading it);
    overwrite: truncate and write the file in place."""
    if how == "overwrite":
        with path.open("wb") as handle:
            handle.write(data)
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


# ---------------------------------------------------------------- the server and its log


@dataclass
class ServerLog:
    """The lines mkdocs serve prints (stdout and stderr), each stamped on arrival."""

    lines: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def follow(self, stream) -> None:
        for raw in stream:
            with self.lock:
                self.lines.append((time.monotonic(), raw.rstrip()))

    def since(self, moment: float) -> list[tuple[float, str]]:
        with self.lock:
            return [(t, line) for t, line in self.lines if t >= moment]

    def tail(self, count: int = 15) -> str:
        with self.lock:
            return "\n".join(line for _, line in self.lines[-count:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(work: Path, mkdocs: Path, port: int, log: ServerLog) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(mkdocs), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    threading.Thread(target=log.follow, args=(process.stdout,), daemon=True).start()
    return process


def ctrl_c_reaches_the_server() -> None:
    """Started in the background of a shell without job control (`cmd &` in a script), this
    process ignores SIGINT, and so would the server it starts: stop_server's Ctrl+C would not
    stop it, and the kill 20 s later would leave its temporary site folder (mkdocs_*) behind.
    A handler here (which a started program does not inherit, unlike an ignored signal) lets the
    server take Ctrl+C as in a terminal."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def stop_server(process: subprocess.Popen) -> None:
    """Ctrl+C, as an editor stops it: mkdocs then removes its temporary site folder."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def cpu_seconds(pid: int, *, children: bool = True) -> float:
    """CPU time (user + system) the process and its ended children (the preview's second
    renderer, generator/preview/apply.py) have used so far: on a shared host a steadier
    figure than the wall clock; `children=False`: the process's own (the preview's path to
    shown while the second renderer has a core of its own). Linux only (/proc); NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return sum(int(fields[index]) for index in (11, 12, 13, 14)[: 4 if children else 2]) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float | None:
    """The process's peak resident memory so far (VmHWM), in MiB; None where /proc has none."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def fetch(url: str, timeout: float) -> bytes | None:
    """The page's bytes, or None while the server does not answer or has no such page."""
    try:
        with urllib.request.urlopen(url, timeout=max(timeout, 0.1)) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def fetch_status(url: str, timeout: float) -> tuple[int | None, bytes | None]:
    """The page's status and bytes; (None, None) while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=max(timeout, 0.1)) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, None
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, None


def wait_for_first_build(port: int, process: subprocess.Popen, log: ServerLog, timeout: float) -> str:
    """The site's base URL once the home page is served. `/` redirects to the path of
    site_url (e.g. /outcome-knowledge-base/), which the pages live under."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped (exit {process.returncode}) before serving:\n{log.tail()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    return response.geturl()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"mkdocs serve did not serve the home page within {timeout:.0f} s:\n{log.tail()}")


def wait_until_idle(log: ServerLog, since: float, deadline: float) -> bool:
    """True once the last rebuild step since `since` is a finished (or failed) build that no
    other rebuild followed for SETTLE seconds; False at the deadline."""
    while time.monotonic() < deadline:
        steps = [
            (t, line)
            for t, line in log.since(since)
            if any(s in line for s in (DETECTED, RELOADING, BUILD_ERROR, SERVING))
        ]
        if steps and DETECTED not in steps[-1][1] and time.monotonic() - steps[-1][0] >= SETTLE:
            return True
        time.sleep(0.1)
    return False


# ---------------------------------------------------------------- pages, from the generated docs


@dataclass
class Page:
    fragment_id: str
    url: str  # relative to the site's base URL, e.g. fragments/scc-waf2203-civ00012/
    listings: dict[str, str]  # name → URL of a listing page that links to it


def page_url(docs_relative: str) -> str:
    """The URL (use_directory_urls) of a docs page: a/b.md → a/b/, a/index.md → a/."""
    stem = docs_relative[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


FRONT_MATTER_ID = re.compile(r"^fragment_id:\s*(.+?)\s*$", re.MULTILINE)
HREF = re.compile(r'href="([^"#]+)"')


def fragment_pages(docs: Path) -> dict[str, str]:
    """fragment ID → URL of its page, from the front matter of docs/fragments/*.md."""
    pages = {}
    for path in (docs / "fragments").glob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        match = FRONT_MATTER_ID.search(head)
        if match:
            value = match.group(1)
            value = yaml.safe_load(value) if value[:1] in "'\"" else value
            pages[str(value)] = page_url(path.relative_to(docs).as_posix())
    return pages


def listing_pages(docs: Path, targets: set[str]) -> dict[str, dict[str, str]]:
    """Per target page URL, the listing pages to check: All outcomes (fragments/) and the
    country's page (countries/…), whichever link to it."""
    found: dict[str, dict[str, str]] = {url: {} for url in targets}
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        name = (
            "All outcomes"
            if relative == "fragments/index.md"
            else "country"
            if relative.startswith("countries/")
            else None
        )
        if name is None:
            continue
        url = page_url(relative)
        for href in HREF.findall(path.read_text(encoding="utf-8")):
            target = urljoin("/" + url, href).lstrip("/")
            if target in found and name not in found[target]:
                found[target][name] = url
    return found


def choose_targets(rows: list[dict[str, str]], pages: dict[str, str], count: int) -> list[str]:
    """The IDs of `count` public fragments (those with a page), spread over the export."""
    public = [row[FRAGMENT_ID] for row in rows if row[FRAGMENT_ID] in pages]
    if len(public) < count:
        raise SystemExit(f"only {len(public)} public fragments have a page; ask for fewer --edits")
    return [public[(k * len(public)) // count + len(public) // (2 * count)] for k in range(count)]


# ---------------------------------------------------------------- one change


KINDS = ("edit", "delete", "add")


@dataclass
class EditResult:
    kind: str  # edit, delete or add
    fragment_id: str
    url: str
    seconds: float | None  # from the save to the change on the page; None: never within the timeout
    cpu_to_visible: float  # server CPU seconds from the save to the change on the page
    own_cpu_to_visible: float  # of which the server's own, without its helper's
    cpu_total: float  # server CPU seconds from the save until it was idle again (all rebuilds)
    rebuilds: int
    detected: int
    listings: dict[str, bool]
    timeline: list[tuple[float, str]]
    idle: bool


@dataclass
class Project:
    """The fragments as the editor has them: rows in export order, the file holding each."""

    rows: list[dict[str, str]]
    files: list[Path]
    fmt: str
    save: str

    def index(self, fragment_id: str) -> int:
        return next(i for i, row in enumerate(self.rows) if row[FRAGMENT_ID] == fragment_id)

    def save_row(self, index: int) -> None:
        """Save the file that holds row `index` (the whole export, or its text file)."""
        if self.fmt in EXPORTS:
            save_file(self.files[index], export_bytes(self.rows, self.fmt), self.save)
        else:
            save_file(self.files[index], txt_text(self.rows[index]).encode("utf-8"), self.save)

    def edit(self, fragment_id: str, marker: str) -> None:
        index = self.index(fragment_id)
        self.rows[index][DESCRIPTION] = f"{marker} {self.rows[index][DESCRIPTION]}"
        self.save_row(index)

    def delete(self, fragment_id: str) -> None:
        """The row deleted: every row below it moves up one (or its text file deleted)."""
        index = self.index(fragment_id)
        del self.rows[index]
        path = self.files.pop(index)
        if self.fmt in EXPORTS:
            save_file(path, export_bytes(self.rows, self.fmt), self.save)
        else:
            path.unlink()

    def add(self, like: str, new_id: str, marker: str) -> None:
        """A new public row (a copy of `like` with a new ID and the marker) inserted where
        `like` stands, so that every row below moves down one; or a new text file."""
        index = self.index(like)
        row = {**self.rows[index], FRAGMENT_ID: new_id}
        row[DESCRIPTION] = f"{marker} {row[DESCRIPTION]}"
        self.rows.insert(index, row)
        folder = self.files[index].parent
        self.files.insert(index, self.files[index] if self.fmt in EXPORTS else text_file(folder, row))
        self.save_row(index)


def fragment_url(fragment_id: str) -> str:
    """The page of a fragment (the generator's address rule, as a reader sees it)."""
    from generator.normalise.vocabulary import slugify

    return f"fragments/{slugify(fragment_id)}/"


def change_once(
    kind: str,
    number: int,
    project: Project,
    fragment_id: str,
    page: Page,
    work: Path,
    base: str,
    log: ServerLog,
    timeout: float,
    server_pid: int,
) -> EditResult:
    marker = f"okb{kind}{number}x{secrets.token_hex(3)}"
    cpu_before, own_before = cpu_seconds(server_pid), cpu_seconds(server_pid, children=False)
    if kind == "edit":
        project.edit(fragment_id, marker)
    elif kind == "delete":
        project.delete(fragment_id)
    else:
        new_id = f"{fragment_id}-ADD{number}"
        project.add(fragment_id, new_id, marker)
        page = Page(new_id, fragment_url(new_id), {})
    saved = time.monotonic()  # the save is complete: from here the editor waits
    deadline = saved + timeout
    url = urljoin(base, page.url)
    seconds = None
    while time.monotonic() < deadline:
        status, body = fetch_status(url, deadline - time.monotonic())
        done = status == 404 if kind == "delete" else body is not None and marker.encode() in body
        if done:
            seconds = time.monotonic() - saved
            break
        time.sleep(POLL_INTERVAL)

    cpu_to_visible = cpu_seconds(server_pid) - cpu_before
    own_cpu_to_visible = cpu_seconds(server_pid, children=False) - own_before
    idle = wait_until_idle(log, saved, time.monotonic() + timeout)
    cpu_total = cpu_seconds(server_pid) - cpu_before
    listings = {}
    if kind == "add":  # the listings that link to it now, from the regenerated docs
        page = Page(page.fragment_id, page.url, listing_pages(work / "docs", {page.url})[page.url])
    for name, listing_url in page.listings.items():
        body = fetch(urljoin(base, listing_url), timeout)
        shown = body is not None and (page.url.encode() not in body if kind == "delete" else marker.encode() in body)
        listings[f"{name} ({listing_url})"] = shown
    lines = log.since(saved)
    return EditResult(
        kind=kind,
        fragment_id=page.fragment_id,
        url=page.url,
        seconds=seconds,
        cpu_to_visible=cpu_to_visible,
        own_cpu_to_visible=own_cpu_to_visible,
        cpu_total=cpu_total,
        rebuilds=sum(BUILDING in line for _, line in lines),
        detected=sum(DETECTED in line for _, line in lines),
        listings=listings,
        timeline=[(t - saved, line) for t, line in lines if any(key in line for key in TIMELINE)],
        idle=idle,
    )


def report_edit(number: int, result: EditResult) -> None:
    shown = f"{result.seconds:.2f} s" if result.seconds is not None else "NEVER (timeout)"
    right = "gone" if result.kind == "delete" else "new text"
    listings = ", ".join(f"{name}: {right if ok else 'NOT ' + right}" for name, ok in result.listings.items())
    print(
        f"{result.kind} {number}: {result.fragment_id} → {result.url}: shown after {shown} "
        f"(server CPU {result.cpu_to_visible:.1f} s; {result.cpu_total:.1f} s until idle); "
        f"{result.rebuilds} rebuild(s), {result.detected} 'Detected file changes'; {listings or 'no listing found'}"
        + ("" if result.idle else "; the server was still busy when the check gave up"),
        file=sys.stderr,
    )
    for offset, line in result.timeline:
        print(f"    +{offset:7.2f} s  {line.strip()}", file=sys.stderr)


def summary(results: list[EditResult], n: int, fmt: str, save: str, published: int, first_build: float) -> str:
    out = [
        (
            f"\nOne-edit preview, mkdocs serve: {n} fragments ({published} public), --format {fmt}, --save {save}; "
            f"first build served after {first_build:.1f} s; load average {os.getloadavg()[0]:.1f}\n"
        ),
        "| Change | Fragment | Save → shown | Server CPU to shown | Rebuilds | Server CPU, all rebuilds | Listings right |",
        "|---|---|---|---|---|---|---|",
    ]
    for number, r in enumerate(results, 1):
        shown = f"{r.seconds:.2f} s" if r.seconds is not None else "never"
        ok = sum(r.listings.values())
        out.append(
            f"| {r.kind} {number} | {r.fragment_id} | {shown} | {r.cpu_to_visible:.1f} s | {r.rebuilds} "
            f"| {r.cpu_total:.1f} s | {ok}/{len(r.listings)} |"
        )
    out.append("")
    for kind in KINDS:
        of_kind = [r for r in results if r.kind == kind]
        times = [r.seconds for r in of_kind if r.seconds is not None]
        if times:
            out.append(
                f"{kind}: save → shown median {statistics.median(times):.2f} s (min {min(times):.2f}, "
                f"max {max(times):.2f}; {len(times)}/{len(of_kind)} shown); server CPU to shown median "
                f"{statistics.median(r.cpu_to_visible for r in of_kind):.2f} s (its own "
                f"{statistics.median(r.own_cpu_to_visible for r in of_kind):.2f} s); "
                f"rebuilds per save {[r.rebuilds for r in of_kind]}"
            )
    return "\n".join(out)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def json_summary(
    results: list[EditResult],
    n: int,
    fmt: str,
    published: int,
    first_build: float,
    peak_rss: float | None,
) -> dict:
    """The figures bench/run.py puts in its table. "median_s"/"runs_s": save → shown over
    every change (null for a change never shown); "kinds": the same per kind of change, with
    the server's CPU seconds to shown ("cpu_median_s"/"cpu_runs_s") and the rebuilds per save."""
    kinds = {}
    for kind in KINDS:
        of_kind = [r for r in results if r.kind == kind]
        if of_kind:
            kinds[kind] = {
                "median_s": _median([r.seconds for r in of_kind if r.seconds is not None]),
                "runs_s": [r.seconds for r in of_kind],
                "cpu_median_s": _median([r.cpu_to_visible for r in of_kind]),
                "cpu_runs_s": [r.cpu_to_visible for r in of_kind],
                "own_cpu_median_s": _median([r.own_cpu_to_visible for r in of_kind]),
                "rebuilds": [r.rebuilds for r in of_kind],
                "listings_right": all(all(r.listings.values()) for r in of_kind),
            }
    return {
        "median_s": _median([r.seconds for r in results if r.seconds is not None]),
        "runs_s": [r.seconds for r in results],
        "kinds": kinds,
        "n": n,
        "format": fmt,
        "published": published,
        "first_build_s": first_build,
        "server_peak_rss_mib": peak_rss,
        "load_average": os.getloadavg()[0],
    }


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="synthetic fragments (default 5000)")
    parser.add_argument(
        "--format",
        choices=("csv", "xlsx", "txt"),
        default="csv",
        help="one CSV export, one XLSX workbook, or one .txt file per fragment",
    )
    parser.add_argument(
        "--edits", type=int, default=5, help="changes of each kind, each to a different public fragment (default 5)"
    )
    parser.add_argument(
        "--kinds",
        default=",".join(KINDS),
        help="which changes, in this order: edit (a description), delete (a row or file), add (default: all three)",
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds an edit may take to show (default 120)")
    parser.add_argument("--startup-timeout", type=float, default=900, help="seconds for the first build (default 900)")
    parser.add_argument(
        "--save", choices=("replace", "overwrite"), default="replace", help="how the editor saves (default replace)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary project folder")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also fail when a save causes other than 1 rebuild or a listing keeps the old text",
    )
    parser.add_argument(
        "--mkdocs",
        type=Path,
        default=Path(sys.prefix) / "bin" / "mkdocs",
        help="the mkdocs command (default: the venv's)",
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="also write the medians as JSON here (for bench/run.py)"
    )
    args = parser.parse_args(argv)
    args.kind_list = [kind.strip() for kind in args.kinds.split(",") if kind.strip()]
    if not args.kind_list or any(kind not in KINDS for kind in args.kind_list):
        parser.error(f"--kinds: a list of {', '.join(KINDS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds = args.kind_list
    if not args.mkdocs.is_file():
        raise SystemExit(
            f"{args.mkdocs}: no such command; run with the project's venv (.venv/bin/python) or give --mkdocs"
        )

    ctrl_c_reaches_the_server()
    work = Path(tempfile.mkdtemp(prefix="okb-serve-speed-"))
    print(f"project copy: {work}", file=sys.stderr)
    process = None
    try:
        rows, files = make_project(work, args.n, args.format, args.seed)
        log = ServerLog()
        started = time.monotonic()
        port = free_port()
        process = start_server(work, args.mkdocs, port, log)
        base = wait_for_first_build(port, process, log, args.startup_timeout)
        first_build = time.monotonic() - started
        if not wait_until_idle(log, started, time.monotonic() + args.startup_timeout):
            print("warning: the server was still rebuilding after the first build", file=sys.stderr)
        print(f"serving {base} after {first_build:.1f} s", file=sys.stderr)

        pages = fragment_pages(work / "docs")
        targets = choose_targets(rows, pages, args.edits * len(kinds))
        listings = listing_pages(work / "docs", {pages[fragment_id] for fragment_id in targets})
        project = Project(rows, files, args.format, args.save)
        results = []
        for number, fragment_id in enumerate(targets, 1):
            kind = kinds[(number - 1) // args.edits]
            page = Page(fragment_id, pages[fragment_id], listings[pages[fragment_id]])
            result = change_once(kind, number, project, fragment_id, page, work, base, log, args.timeout, process.pid)
            if process.poll() is not None:
                raise SystemExit(
                    f"mkdocs serve stopped (exit {process.returncode}) during {kind} {number}:\n{log.tail()}"
                )
            report_edit(number, result)
            results.append(result)
        print(summary(results, args.n, args.format, args.save, len(pages), first_build))
        if args.json:
            figures = json_summary(results, args.n, args.format, len(pages), first_build, peak_rss_mib(process.pid))
            args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    finally:
        if process is not None:
            stop_server(process)
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    failed = [r for r in results if r.seconds is None]
    if failed:
        print(f"{len(failed)} edit(s) never showed within {args.timeout:.0f} s", file=sys.stderr)
        return 1
    if args.strict and any(r.rebuilds != 1 or not all(r.listings.values()) for r in results):
        print("--strict: a save caused other than 1 rebuild, or a listing kept the old text", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
