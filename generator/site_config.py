"""The settings of mkdocs.yml that the generator needs: the site's name, address and language.

The open data and the Atom feed give each outcome's page as an absolute address,
which only mkdocs.yml's `site_url` knows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.errors import InputError, Location
from generator.render import page_url


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' tags (!ENV, !!python/name:…) as nothing instead of failing."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteConfig:
    name: str
    url: str  # always ends with "/"
    config_file: str = "mkdocs.yml"
    language: str = "en"  # theme.language: the language of the pages' interface text

    def absolute_url(self, docs_path: str) -> str:
        """The public address of a generated page or file: fragments/a.md → https://…/fragments/a/."""
        if not self.url:
            raise InputError(
                Location(self.config_file),
                "site_url is not set: the open data and the feed need the site's public address",
                hint="add a line such as 'site_url: https://my-org.github.io/outcome-knowledge-base/'",
            )
        return self.url + (page_url(docs_path) if docs_path.endswith(".md") else docs_path)


def read_site_config(config_file: Path) -> SiteConfig:
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8-sig"), Loader=_ConfigLoader) or {}
    except FileNotFoundError:
        data = {}
    except yaml.YAMLError as error:
        raise InputError(Location(str(config_file)), f"this is not valid YAML ({error})") from None
    url = str(data.get("site_url") or "").strip() if isinstance(data, dict) else ""
    name = str(data.get("site_name") or "").strip() if isinstance(data, dict) else ""
    if url and not url.endswith("/"):
        url += "/"
    theme = data.get("theme") if isinstance(data, dict) else None
    language = str(theme.get("language") or "en") if isinstance(theme, dict) else "en"
    return SiteConfig(name=name or "Outcome knowledge base", url=url, config_file=str(config_file), language=language)
