"""The site engine: MkDocs 1.x or ProperDocs, its maintained fork. The only module of the
generator that imports the engine; everything engine-specific lives here.

ProperDocs is its own package (`properdocs`), reads `mkdocs.yml`, and loads plugins and
themes from both entry-point groups (`properdocs.plugins` and `mkdocs.plugins`, where
ours and Material's are registered). Its command imports `properdocs.replacement`, which
makes every `mkdocs.*` import give the matching `properdocs.*` module (and keeps the
legacy names, MkDocsConfig, MkDocsException). Material and our plugin import `mkdocs.*`,
so the same alias is set up here before anything of the engine is imported: one engine per
process, whichever command started it.

Which engine: the one already running this process (`properdocs serve` / `mkdocs serve`
load the plugin), else the one the environment variable OKB_ENGINE names (`properdocs` or
`mkdocs`), else ProperDocs when it is installed, else MkDocs.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from dataclasses import dataclass
from typing import Final

from generator.errors import BuildError


class EngineError(BuildError):
    """The engine asked for cannot be used; the message says what to do. Raised while this
    module is imported, so the command that imported it reports it like any build error."""


@dataclass(frozen=True)
class Engine:
    name: str  # the package and the command: `properdocs build`, `mkdocs serve`
    label: str  # for messages
    logger: str  # the root of the engine's loggers, where its warnings go


ENGINES: Final = {
    "properdocs": Engine("properdocs", "ProperDocs", "properdocs"),
    "mkdocs": Engine("mkdocs", "MkDocs", "mkdocs"),
}
PREFERRED: Final = ("properdocs", "mkdocs")
ENGINE_VARIABLE: Final = "OKB_ENGINE"


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def choose(environ: dict[str, str] | os._Environ[str], loaded: set[str] | frozenset[str]) -> Engine:
    """The engine for this process, from the modules already loaded and the environment."""
    if "properdocs" in loaded:  # `properdocs serve` / `build` loaded our plugin
        return ENGINES["properdocs"]
    if "mkdocs" in loaded:  # `mkdocs serve` / `build` did
        return ENGINES["mkdocs"]
    asked = environ.get(ENGINE_VARIABLE, "").strip().lower()
    if asked:
        if asked not in ENGINES:
            raise EngineError(
                f"{ENGINE_VARIABLE}={asked!r} is not an engine this project knows: "
                f"write {' or '.join(ENGINES)}, or remove the variable"
            )
        if not _installed(asked):
            raise EngineError(
                f"{ENGINE_VARIABLE} asks for {ENGINES[asked].label}, which is not installed: "
                f"run 'pip install {asked}' in the project's environment, or remove the variable"
            )
        return ENGINES[asked]
    for name in PREFERRED:
        if _installed(name):
            return ENGINES[name]
    raise EngineError("neither ProperDocs nor MkDocs is installed: run 'pip install -e .' in the project folder")


ENGINE: Final = choose(os.environ, frozenset(sys.modules))
if ENGINE.name == "properdocs":
    # As the properdocs command does: mkdocs.* imports (ours below, Material's) give ProperDocs.
    importlib.import_module("properdocs.replacement")

# The engine's API as the generator uses it. Under ProperDocs these names are its modules
# (through the alias above); the types are MkDocs' own, which ProperDocs keeps.
from mkdocs import utils  # noqa: E402
from mkdocs.commands import build as build_module  # noqa: E402
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import config_options, load_config  # noqa: E402
from mkdocs.config.base import Config  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import ConfigurationError, MkDocsException, PluginError  # noqa: E402
from mkdocs.livereload import LiveReloadServer  # noqa: E402
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions  # noqa: E402
from mkdocs.structure.nav import Navigation  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402
from mkdocs.structure.toc import get_toc  # noqa: E402
from mkdocs.utils import meta  # noqa: E402

__all__ = [
    "ENGINE",
    "ENGINES",
    "ENGINE_VARIABLE",
    "BasePlugin",
    "CombinedEvent",
    "Config",
    "ConfigurationError",
    "Engine",
    "EngineError",
    "File",
    "Files",
    "InclusionLevel",
    "LiveReloadServer",
    "MkDocsConfig",
    "MkDocsException",
    "Navigation",
    "Page",
    "PluginError",
    "build",
    "build_module",
    "choose",
    "config_options",
    "event_priority",
    "get_toc",
    "load_config",
    "meta",
    "set_exclusions",
    "utils",
]
