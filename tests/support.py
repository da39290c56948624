"""What the tests share: building fixture content, the fixture's facts, reading built files.

Test modules import from here (never from one another); tests/conftest.py holds the
pytest fixtures built on these.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gzip
import hashlib
import importlib.util
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from generator import cli
from generator import plugin as plugin_module
from generator.engine import ENGINE
from generator.pages import labels, renderer, templating
from generator.publish import generate as generate_module
from generator.publish import sequence as sequence_module
from generator.publish.build_types import BuildReport, Settings
from generator.publish.sequence import build
from generator.read import sample

ROOT = Path(__file__).resolve().parent.parent
# Debian's Chromium, driven by Playwright (never `playwright install`: no browser downloads here).
CHROMIUM = Path("/usr/bin/chromium")
# No host but 127.0.0.1 resolves in the tests' Chromium (IP literals and HTTPS hosts
# included: each fails with net::ERR_NAME_NOT_RESOLVED before any connection), so that no
# page can reach another host; which requests a page made is recorded by the browser tests'
# guard (tests/browser/conftest.py), which fails the test for any of them. A Playwright route
# did both before, but turned the browser's HTTP cache off while it was set (~0.3 s more a
# page load: bench/README.md "Test suite speed, tenth round").
FOREIGN_HOSTS_UNRESOLVED = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    FOREIGN_HOSTS_UNRESOLVED,
]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONFIG = ROOT / "mkdocs.yml"
# The engine's own command (`mkdocs` or `properdocs`, as OKB_ENGINE or what is installed
# chose: generator/engine.py), as an editor runs it from the environment's bin folder.
ENGINE_COMMAND = str(Path(sys.executable).with_name(ENGINE.name))
# Workers can share kept sites (kept_fixture_site) where files can be locked (not on Windows).
CAN_LOCK = importlib.util.find_spec("fcntl") is not None


@dataclass
class BuiltSite:
    site: Path
    docs: Path
    report: BuildReport

    def page(self, url_path: str) -> str:
        """The HTML of a page by its URL path, e.g. 'countries/mali/'."""
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")

    def all_text(self, except_data: bool = False) -> str:
        """Every file of the site (HTML, search index, sitemap, tags.json…) as one string, plus file names.

        except_data leaves out the files that hold the published text exactly as typed
        (markup included) as data, never rendered as a page: outcomes.csv, for spreadsheets,
        and Pagefind's records, which the search script shows as text."""
        parts = []
        for path in sorted(self.site.rglob("*")):
            if except_data and (path.name == "outcomes.csv" or path.suffix == ".pf_fragment"):
                continue
            parts.append(str(path.relative_to(self.site)))
            if path.is_file() and path.suffix not in {".png", ".ico", ".woff2"}:
                parts.append(readable_text(path.read_bytes()))
        return "\n".join(parts)


def readable_text(data: bytes) -> str:
    """A file's text, gunzipped first where it is compressed (sitemap.xml.gz, Pagefind's index)."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def build_site(tmp_path: Path, *contents: Path, site_name: str = "site") -> BuiltSite:
    """`contents` built with the project's configuration in one language (ONE_LANGUAGE_CONFIG)."""
    docs = tmp_path / "docs"
    site = tmp_path / site_name
    report = build(one_language_settings(contents=list(contents), docs_dir=docs), ONE_LANGUAGE_CONFIG, site)
    return BuiltSite(site, docs, report)


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` in a process of its own. Only for what needs a real process
    (the module's entry point, output of child processes); run_cli_in_process otherwise."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def run_cli_in_process(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m generator ARGS` as generator.cli.main in this process: the same exit status,
    stdout and stderr (log lines included) as run_cli, without a Python start-up and the
    imports of MkDocs each time. An exception that escapes main() fails the test, as a
    traceback would show in a real process."""
    out, err = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))  # cli.main's format
    root = logging.getLogger()
    root.addHandler(handler)
    before = Path.cwd()
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as stop:  # argparse: --help, or a usage error
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        os.chdir(before)
        root.removeHandler(handler)
    return subprocess.CompletedProcess(["python", "-m", "generator", *args], code, out.getvalue(), err.getvalue())


def synthetic_export(folder: Path, count: int, seed: int = 3) -> Path:
    """A CSV export of `count` synthetic outcomes (bench/make_fragments.py, ~25% confidential)
    in `folder`: long enough lists to page (generator/pages/paging.py)."""
    export = folder / "export.csv"
    # Written beside and then moved into place: a worker building from an export already
    # there (kept_fixture_site) never reads half of the same bytes being written again.
    fresh = folder / f".export-{os.getpid()}.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_fragments.py"), str(count), str(fresh), "--seed", str(seed)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    fresh.replace(export)
    return export


def write_fragment(folder: Path, name: str, **fields: str) -> Path:
    """Write a text fragment; keyword names use '_' for spaces (Outcome_description=…)."""
    defaults = {
        "FragmentID": name.upper(),
        "Outcome description": f"Since 2023, something changed for {name}.",
        "Outcome statements is CONFIDENTIAL": "0",
        "coutnry": "Mali",
        "Year": "2023",
    }
    values = {**defaults, **{key.replace("_", " "): value for key, value in fields.items()}}
    path = folder / f"{name}.txt"
    path.write_text("".join(f"**{key}**: {value}\n" for key, value in values.items()), encoding="utf-8")
    return path


# ------------------------------------------------------------------ the fixture site's facts

PUBLIC_IDS = {
    "DEMO-SAH2301/CIV001", "DEMO-SAH2302/CIV002", "DEMO-EHA2201/PEA003", "DEMO-EHA2203/GEN004",
    "DEMO-SAH2104/EXT005", "DEMO-EHA2105/PEA006", "DEMO-EHA2406/CIV007", "DEMO-SAH2407/GEN008",
    "DEMO-EHA2502/EXT011", "DEMO-SAH2503/PEA012",
}  # fmt: skip
CONFIDENTIAL_ONLY = [
    "CANARY-FIXTURE", "HIDDEN-ATL1999", "hidden-atl1999", "Atlantis", "atlantis", "ZZZ", "zzz", "Hidden objective",
    "9.8.7", "9-8-7", "Outcome 9.8", "outcome-9-8", "1999", "Secret change", "secret-change",
    "DEMO-SAH2309/CIV009", "demo-sah2309-civ009", "DEMO-EHA2310/PEA010", "demo-eha2310-pea010",
    "DEMO-SAH2504/CIV013", "demo-sah2504-civ013", "harvest 9",
]  # fmt: skip
UNPUBLISHED_COLUMNS = ["contact via phone", "do not publish", "+254 700", "+227 90", "Internal notes"]


def slug(fragment_id):
    return re.sub(r"[^a-z0-9]+", "-", fragment_id.lower()).strip("-")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def links_of(html):
    parser = Links()
    parser.feed(html)
    return parser.hrefs


# ------------------------------------------------------------------ Pagefind's files

SIGNATURE = b"pagefind_dcd"
# What one search downloads grows with the size of the pages' records, not the site:
# a result page shows 10 results, each a fragment file. 3 kB per record keeps a full
# page of results under ~1.5 s at 200 kB/s (1.6 Mbit/s); the fixture's stories take
# about 0.5 kB each gzipped, real stories up to about 2 kB.
MAX_FRAGMENT_RECORD = 3_000
# Everything the index holds (words, filters, records, metadata), per public fragment:
# about 1.0 kB for the fixture, 0.8 kB at 5,000 synthetic fragments (bench/search_speed.py).
# Material's built-in index, which every visitor downloaded, was 5.6 kB per fragment.
MAX_INDEX_PER_FRAGMENT = 2_500


def decoded(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE), path
    return data[len(SIGNATURE) :]


def records(site: Path) -> list[dict]:
    return [json.loads(decoded(path)) for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment"))]


def index_files(site: Path) -> list[Path]:
    bundle = site / "pagefind"
    return [
        p
        for p in bundle.rglob("*")
        if p.is_file() and (p.suffix in {".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta"})
    ]


# ------------------------------------------------------------------ configurations for tests


class _ProjectConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data for a test's own copy: `!ENV [NAME, default]` reads as its default."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if len(values) > 1 else None
    return None


_ProjectConfigLoader.add_constructor("!ENV", _env_default)


def _project_plugin_options() -> dict[str, Any]:
    config = yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=_ProjectConfigLoader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "outcome-kb" in plugin:
            return dict(plugin["outcome-kb"] or {})
    return {}


# The project's languages (mkdocs.yml: English and French, one site). A test that builds a
# site of its own builds theme.language alone unless it asks for these (write_config).
PROJECT_LANGUAGES: tuple[str, ...] = tuple(_project_plugin_options().get("languages", ()))


def write_config(folder: Path, name: str = "mkdocs.yml", languages: Sequence[str] = (), **changes: object) -> Path:
    """A copy of the project's mkdocs.yml in `folder`, its paths made absolute, with changes:
    top-level keys, or theme_<key> for a key of theme. Its site is in one language,
    theme.language (theme_language=…), unless `languages` lists the site's (PROJECT_LANGUAGES
    for the project's two): a test about something else builds one language, at half the cost."""
    config = yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=_ProjectConfigLoader)
    config["theme"]["custom_dir"] = str(ROOT / config["theme"]["custom_dir"])
    config["watch"] = [str(ROOT / path) for path in config.get("watch", [])]
    options: dict[str, object] = {"content": str(ROOT / "content"), "templates": str(ROOT / "templates")}
    if languages:
        options["languages"] = list(languages)
    config["plugins"] = [
        {"outcome-kb": options}
        if plugin == "outcome-kb" or (isinstance(plugin, dict) and "outcome-kb" in plugin)
        else plugin
        for plugin in config["plugins"]
    ]
    for key, value in changes.items():
        if key.startswith("theme_"):
            config["theme"][key[len("theme_") :]] = value
        else:
            config[key] = value
    path = folder / name
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def fixture_site_built_again(folder: Path, languages: Sequence[str] = PROJECT_LANGUAGES) -> Path:
    """The fixture content built again into folder/site, configured as the shared fixture site
    is (a test that changes how the build works compares the two: files_that_differ)."""
    config = write_config(folder, languages=languages)
    site = folder / "site"
    build(Settings(contents=[FIXTURES / "site"], docs_dir=folder / "docs", config_file=config), config, site)
    return site


def files_that_differ(site: Path, other: Path, pattern: str = "*") -> list[str]:
    """The files of two sites, by path, that differ or are in one only (their relative paths)."""

    def files(root: Path) -> dict[str, bytes]:
        return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob(pattern) if path.is_file()}

    one, two = files(site), files(other)
    return sorted(path for path in one.keys() | two.keys() if one.get(path) != two.get(path))


def kept_fixture_site(cache: Path, name: str, content: Path = FIXTURES / "site", **changes: object) -> Path:
    """The site folder of kept_build(cache, name, content, **changes)."""
    return kept_build(cache, name, content, **changes).site


def kept_build(
    cache: Path, name: str, content: Path = FIXTURES / "site", project_content: Path | None = None, **changes: object
) -> BuiltSite:
    """The site of `content` (with a copy of mkdocs.yml with `changes`, as write_config takes
    them), built into `cache`/`name` and kept there: a later call, from another worker or a
    later run, finds it built and reuses it. The generator decides that itself, from the
    stamp it keeps beside every site (generator/publish/stamp.py: content, templates, configuration,
    its own code, package versions), exactly as a `python -m generator build` with nothing
    changed does; a changed input rebuilds it. A lock makes workers that want the same site
    at once build it once. Returns the site, its docs folder and the build's report (the
    kept one, as the generator saved it, when the site was reused): the same name with the
    same content and changes is one site, whether a browser or a non-browser module asks.
    project_content: the settings folder (content/ of the project: site.yml, vocabularies) when
    not the one beside the kept configuration, which has none (ROOT / "content" for the
    project's own, as build_site and one_language_settings read it)."""
    folder = (cache / name).resolve()  # the stamp holds the paths as given
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / ".lock"):
        config = write_config(folder, **changes)
        site = folder / "site"
        given = {"project_content": project_content} if project_content is not None else {}
        settings = Settings(contents=[content], docs_dir=folder / "docs", config_file=config, **given)
        report = build(settings, config, site)
    return BuiltSite(site, folder / "docs", report)


@contextlib.contextmanager
def kept_content(cache: Path, name: str, write: Callable[[Path], object]) -> Iterator[Path]:
    """Content a test writes (write(folder), which makes the folder), for kept_build: at one place in `cache` (a kept
    site's stamp holds the paths as given), written afresh each time (the same bytes keep the
    stamp), under a lock held while the caller builds from it, so that two runs sharing the
    cache never build from half of it."""
    folder = (cache / name).resolve()
    folder.parent.mkdir(parents=True, exist_ok=True)
    with _locked(folder.parent / f"{folder.name}.lock"):
        shutil.rmtree(folder, ignore_errors=True)
        write(folder)  # which makes the folder
        yield folder


# Two outcomes, one written in French and one in English, each with its Language.
SEARCH_LANGUAGES = FIXTURES / "search-languages"


def kept_two_language_build(cache: Path, content: Path = SEARCH_LANGUAGES) -> BuiltSite:
    """`content` built as one site in English (at the root) and French (under fr/), the
    plugin's `languages: [en, fr]`, kept as kept_build keeps its sites: the browser tests
    and the non-browser ones share it."""
    options = {"content": str(content), "templates": str(ROOT / "templates"), "languages": ["en", "fr"]}
    plugins = [{"search": {"enabled": False}}, {"outcome-kb": options}]
    # A public address on this machine, where nothing answers: Material's script fetches
    # sitemap.xml beside every <link rel="alternate"> of a page (the hreflang links, which
    # name public addresses), and a test's browser must ask no other host.
    return kept_build(
        cache, f"two-languages-{content.name}", content, plugins=plugins, site_url="http://127.0.0.1:9/okb/"
    )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (made if missing) while in use. Without fcntl (Windows)
    there is none: tests/conftest.py's site_cache then gives each worker a folder of its own."""
    if not CAN_LOCK:
        yield
        return
    import fcntl

    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def one_language_config_text() -> str:
    """The project's mkdocs.yml without its languages: a site in theme.language alone."""
    text = CONFIG.read_text(encoding="utf-8")
    both = "  - outcome-kb:\n      languages: [en, fr]\n"
    assert both in text, "mkdocs.yml lists the plugin's languages as tests/support.py expects"
    return text.replace(both, "  - outcome-kb\n")


def _one_language_config() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="okb-one-language-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    # The command line reads the settings folder beside its --config (content/): the project's own.
    (folder / "content").symlink_to(ROOT / "content", target_is_directory=True)
    return write_config(folder)


# The project's configuration in one language (its paths absolute, in a folder of its own):
# what a test builds when it is not about languages. Its settings folder is content/ as the
# project's own (one_language_settings; for the command line, a link beside it).
ONE_LANGUAGE_CONFIG = _one_language_config()
# The same for `python -m generator build` (run_cli_in_process): a build in one language at half
# the engine's cost, for a test that is not about languages.
ONE_LANGUAGE_ARGS = ("--config", str(ONE_LANGUAGE_CONFIG))


def one_language_settings(**given: Any) -> Settings:
    """Settings for a build with ONE_LANGUAGE_CONFIG: the project's content/ settings, as with mkdocs.yml."""
    return Settings(**{"project_content": ROOT / "content", **given})


def scratch_project(prefix: str) -> Path:
    """A project of a test module's own (mkdocs.yml, the templates, an empty content/
    folder), removed at exit, so that no list, label or field name of the sample content/
    folder applies to its tests. Its configuration is `<project>/mkdocs.yml`."""
    project = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, project, ignore_errors=True)
    (project / "mkdocs.yml").write_text(one_language_config_text(), encoding="utf-8")
    (project / "templates").symlink_to(ROOT / "templates")
    (project / "content").mkdir()
    return project


# ------------------------------------------------------------------ templates read once


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's own cache of compiled templates, kept in memory: a template is compiled again
    whenever its source changes (Jinja checks a checksum of the source)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _jinja_compiling_once() -> types.SimpleNamespace:
    """jinja2 as a module's `jinja2` name sees it, but its Environments share one cache of
    compiled templates (Jinja checks each template's source before it reuses one)."""
    own_jinja = types.SimpleNamespace(**{name: getattr(jinja2, name) for name in dir(jinja2)})
    own_jinja.Environment = functools.partial(jinja2.Environment, bytecode_cache=_CompiledTemplates())
    return own_jinja


@contextlib.contextmanager
def templates_read_once() -> Iterator[None]:
    """Within it, every generation reuses the compiled page templates and the parsed
    labels.yml instead of making them again (over half the time of generate() on a few
    fragments). For tests that run generate() many times, e.g. once per Hypothesis example:
    what is reused depends on the templates folder alone, never on the content, so every
    example still reads, gates, renders and writes its own content.

    It replaces generator.pages.templating's `jinja2` name and the `load_labels` name of
    every module that reads labels.yml in a build (the renderer, the generation, the build
    sequence, the plugin: ~5 ms a reading, several a build) while it lasts: if they stop
    using them (they cache them themselves, say), monkeypatch fails loudly and this helper
    can go."""
    own_jinja = _jinja_compiling_once()
    parsed: dict[tuple[str, str, bytes], dict[str, Any]] = {}

    def load_labels(templates: Path, language: str) -> dict[str, Any]:
        try:
            key = (str(templates), language, (templates / labels.LABELS_FILE).read_bytes())
        except OSError:
            return labels.load_labels(templates, language)  # and its error
        if key not in parsed:
            parsed[key] = labels.load_labels(templates, language)
        return dict(parsed[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(templating, "jinja2", own_jinja)
        for reader in (renderer, generate_module, sequence_module, plugin_module):
            patch.setattr(reader, "load_labels", load_labels)
        yield


@contextlib.contextmanager
def entry_points_read_once() -> Iterator[None]:
    """Within it, the engine finds its installed themes and plugins from one reading of the
    packages' entry points instead of reading every installed package's metadata again at
    each configuration it loads (a few milliseconds each time, some thousand times a run:
    every generate() and build loads one, and the engine clears its own theme cache on every
    theme it loads). What is installed does not change while the suite runs; each
    configuration is still read and checked in full.

    It replaces the `entry_points` name of the engine's utils and plugins modules (mkdocs.*,
    ProperDocs' own under ProperDocs: generator/engine.py) while it lasts: if they stop
    using it, monkeypatch fails loudly and this helper can go."""
    import importlib.metadata

    import mkdocs.plugins
    import mkdocs.utils

    read: dict[str, importlib.metadata.EntryPoints] = {}

    def entry_points(*, group: str) -> importlib.metadata.EntryPoints:
        if group not in read:
            read[group] = importlib.metadata.entry_points(group=group)
        return read[group]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mkdocs.utils, "entry_points", entry_points)
        patch.setattr(mkdocs.plugins, "entry_points", entry_points)
        yield


@contextlib.contextmanager
def engine_templates_compiled_once() -> Iterator[None]:
    """Within it, the engine's theme environments (Material's templates and the project's
    templates/theme/, one environment per configuration it loads) share Jinja's cache of
    compiled templates instead of parsing and compiling each template again in every build:
    ~0.1 s of a small build's ~0.6 s of CPU (measured 2026-12-04, five builds each way, three
    alternations). Jinja compares a checksum of each template's source before it reuses one,
    so a changed template is compiled again; everything is still rendered in full.

    It replaces the `jinja2` name of the engine's theme module (mkdocs.theme, ProperDocs' own
    under ProperDocs: generator/engine.py) while it lasts: if the engine stops using it,
    monkeypatch fails loudly and this helper can go."""
    import mkdocs.theme

    own_jinja = _jinja_compiling_once()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mkdocs.theme, "jinja2", own_jinja)
        yield


class _ListedTheme:
    """A theme environment whose list_templates gives what an earlier listing of the same
    theme folders gave (theme_files_listed_once)."""

    def __init__(self, env: jinja2.Environment, key: tuple[Any, ...], listed: dict[tuple[Any, ...], list[str]]) -> None:
        self.env, self.key, self.listed = env, key, listed

    def list_templates(self, filter_func: Callable[[str], bool]) -> list[str]:
        if self.key not in self.listed:
            self.listed[self.key] = self.env.list_templates(filter_func=filter_func)
        return self.listed[self.key]


def _theme_folder_state(folder: Path) -> tuple[Any, ...]:
    """A theme folder as far as its listing goes: an installed one (Material's) by its path,
    since nothing is installed while the suite runs; any other (templates/theme/, a test's
    own) by every file's name and modification time, so that a file added, removed or
    changed lists it again."""
    if folder.is_relative_to(sys.prefix):
        return (str(folder),)
    return (str(folder), *sorted((str(path), path.stat().st_mtime_ns) for path in folder.rglob("*")))


@contextlib.contextmanager
def theme_files_listed_once() -> Iterator[None]:
    """Within it, the engine lists the files of the theme folders it copies into the site
    once for each state of those folders, not in every build: it walks every file of them
    (Material's: ~14,500, most of them its icons) and matches each name against a dozen
    patterns, ~40 ms of a small build's ~0.5 s of CPU (measured 2026-12-04). The listing's
    files are still copied, and the docs folder's files still take precedence over them.

    It replaces the engine's Files.add_files_from_theme (mkdocs.structure.files, ProperDocs'
    own under ProperDocs: generator/engine.py) with one that hands it a theme environment
    whose list_templates is remembered, keyed by the theme folders' state and the
    configuration's static templates (the engine's filter reads them): if the engine stops
    listing the theme through that method, monkeypatch fails loudly and this helper can go."""
    import mkdocs.structure.files

    files_class = mkdocs.structure.files.Files
    add_files_from_theme = files_class.add_files_from_theme
    listed: dict[tuple[Any, ...], list[str]] = {}

    def add_files_from_listed_theme(files: Any, env: jinja2.Environment, config: Any) -> None:
        folders = tuple(_theme_folder_state(Path(folder)) for folder in config.theme.dirs)
        key = (folders, tuple(config.theme.static_templates))
        add_files_from_theme(files, _ListedTheme(env, key, listed), config)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files_class, "add_files_from_theme", add_files_from_listed_theme)
        yield


def tree_digest(folder: Path) -> str:
    """One hash of a folder's names and bytes: a site that must stay as it was compares equal."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# What check says of a content folder built with the sample's leftovers (generator/read/sample.py:
# the sample's site name, Results Framework labels or About page): true of most test fixtures,
# which are not a programme's content. Tests of other warnings leave these lines out.
SAMPLE_LEFTOVER_MESSAGES = (
    sample.NAME_MESSAGE,
    sample.SAMPLE_FRAMEWORK_MESSAGE,
    sample.SAMPLE_PAGE,
    sample.PLACEHOLDER_MESSAGE,
    sample.SITE_PLACEHOLDER_MESSAGE,
)


def own_warnings(lines: Iterable[str]) -> list[str]:
    """Warning lines (or messages) without the sample-leftover ones."""
    return [line for line in lines if not any(message in line for message in SAMPLE_LEFTOVER_MESSAGES)]
