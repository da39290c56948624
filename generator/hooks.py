"""MkDocs hook: regenerate the Markdown from content/ before each `mkdocs serve` or `mkdocs build`.

The generator writes only files whose bytes changed, so a rebuild triggered by its
own writes finds nothing to do and `mkdocs serve` does not loop. Zensical ignores
hooks; there, run `python -m generator build` (or generate) first.
"""
from __future__ import annotations

import logging
from pathlib import Path

from generator import pipeline
from mkdocs.exceptions import PluginError

from generator.errors import BuildError, InputError

log = logging.getLogger("mkdocs.hooks.outcome_kb")


def on_pre_build(config) -> None:
    if pipeline.generated_by_cli:
        return
    root = Path(config.config_file_path).parent
    settings = pipeline.Settings(contents=[root / "content"], docs_dir=Path(config.docs_dir), templates=root / "templates")
    try:
        report = pipeline.generate(settings)
    except (InputError, BuildError) as error:
        raise PluginError(f"Outcome knowledge base: {error}") from None
    log.info("Generated %d pages from %d public fragments", report.pages, report.published)
