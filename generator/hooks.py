"""MkDocs hook: regenerate the Markdown from content/ before each `mkdocs serve` or `mkdocs build`,
and give a plain `mkdocs build` its search index.

The generator writes only files whose bytes changed, so a rebuild triggered by its
own writes finds nothing to do and `mkdocs serve` does not loop. Zensical ignores
hooks; there, run `python -m generator build` (or generate) first.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

from generator import pipeline, search
from generator.errors import BuildError, InputError
from generator.labels import load_labels

log = logging.getLogger("mkdocs.hooks.outcome_kb")


_command = "build"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_pre_build(config) -> None:
    if pipeline.generated_by_cli:
        return
    root = Path(config.config_file_path).parent
    settings = pipeline.Settings(
        contents=[root / "content"],
        docs_dir=Path(config.docs_dir),
        templates=root / "templates",
        config_file=Path(config.config_file_path),
        language=_language(config),
    )
    try:
        report = pipeline.generate(settings)
    except (InputError, BuildError) as error:
        raise PluginError(f"Outcome knowledge base: {error}") from None
    log.info("Generated %d pages from %d public fragments", report.pages, report.published)


def on_post_build(config) -> None:
    """Index the built site for search, as `python -m generator build` does; `mkdocs serve`
    skips it to keep previews quick (its search box then finds nothing)."""
    if pipeline.generated_by_cli or _command == "serve":
        return
    try:
        search.index_site(Path(config.site_dir))
    except BuildError as error:
        raise PluginError(f"Outcome knowledge base: {error}") from None


def _language(config) -> str:
    return str(config.theme.get("language") or "en")


def on_nav(nav, config, files):
    """Translate the nav titles of mkdocs.yml that are the English text of a label in
    templates/labels.yml ("All outcomes" → "Tous les effets" when theme.language is fr).
    Titles written in any other words are left as they are."""
    language = _language(config)
    if language == "en":
        return nav

    templates = Path(config.config_file_path).parent / "templates"
    if not templates.is_dir():  # a configuration kept outside the project folder
        templates = pipeline.PROJECT_ROOT / "templates"
    try:
        english, local = load_labels(templates, "en"), load_labels(templates, language)
    except BuildError as error:
        raise PluginError(f"Outcome knowledge base: {error}") from None
    translation = {text: local[key] for key, text in english.items() if isinstance(text, str)}
    stack = list(nav.items)
    while stack:
        item = stack.pop()
        if isinstance(item.title, str) and item.title in translation:
            item.title = translation[item.title]
        stack.extend(getattr(item, "children", None) or [])
    return nav
