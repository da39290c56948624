"""One build, both languages (issue 22, point 1): with `languages: [en, fr]` in the plugin's
options, one build writes the English site at the root and the French one under fr/, each
page linked to its twin by the header's switch, named with hreflang in its head and in the
sitemap, with the right <html lang>, a search index per language and one leak guard over
both trees. Checked on the built HTML of the fixture content."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest

from generator import forking
from generator.errors import BuildError, InputError
from generator.publish.build_types import Settings
from generator.publish.sequence import build
from support import FIXTURES, ROOT, kept_build, kept_content, write_config

SITE_YML = """\
name:
  en: Sahel Civic Space outcomes
  fr: Effets Espace civique Sahel
description:
  en: The programme supports human rights defenders in the Sahel.
  fr: Le programme soutient les défenseurs des droits humains au Sahel.
"""
ADDRESS = "https://example.github.io/outcome-knowledge-base/"


def _build(
    folder: Path,
    site_yml: str = SITE_YML,
    languages: list[str] | None = None,
    templates: Path = ROOT / "templates",
    redact: Path | None = None,
    built: Path | None = None,
) -> Path:
    """The fixture content with `site_yml` built into folder/site; or, given the `built` site of
    the same content and configuration, that site and its stamp copied there instead."""
    content = folder / "content"
    shutil.copytree(FIXTURES / "site", content)
    (content / "site.yml").write_text(site_yml, encoding="utf-8")
    options: dict[str, object] = {"content": str(content), "templates": str(templates)}
    if languages is not None:
        options["languages"] = languages
    plugins = [{"search": {"enabled": False}}, {"outcome-kb": options}]
    config = write_config(folder, plugins=plugins, site_url=ADDRESS)
    site = folder / "site"
    if built is not None:
        shutil.copytree(built, site)
        shutil.copy2(built.with_name(".site.okb-build.json"), folder)
        return site
    settings = Settings(contents=[content], docs_dir=folder / "docs", config_file=config, redact_file=redact)
    build(settings, config, site)
    return site


def _kept(site_cache: Path, name: str, languages: list[str], site_yml: str = SITE_YML) -> Path:
    """The fixture content with `site_yml` built in `languages` as _build builds it, kept between
    runs (support.kept_build) while nothing it is made from changes (the generator's code
    included: a changed guard or template builds it again), as the browser tests' sites. For
    a build whose site the test reads, not one whose refusal or failure is its subject."""

    def write(content: Path) -> None:
        shutil.copytree(FIXTURES / "site", content)
        (content / "site.yml").write_text(site_yml, encoding="utf-8")

    with kept_content(site_cache, f"{name}-content", write) as content:
        options = {"content": str(content), "templates": str(ROOT / "templates"), "languages": languages}
        plugins = [{"search": {"enabled": False}}, {"outcome-kb": options}]
        return kept_build(site_cache, name, content, plugins=plugins, site_url=ADDRESS).site


@pytest.fixture(scope="module")
def site(site_cache) -> Path:
    """The fixture content with a two-language site.yml, in both languages: kept between runs
    (support.kept_build) while nothing it is made from changes, as the browser tests' sites."""
    content = site_cache / "bilingual-content" / "content"
    shutil.copytree(FIXTURES / "site", content, dirs_exist_ok=True)
    (content / "site.yml").write_text(SITE_YML, encoding="utf-8")
    options = {"content": str(content), "templates": str(ROOT / "templates"), "languages": ["en", "fr"]}
    plugins = [{"search": {"enabled": False}}, {"outcome-kb": options}]
    return kept_build(site_cache, "bilingual", content, plugins=plugins, site_url=ADDRESS).site


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("index.html"))


def _switch(html: str) -> dict[str, str]:
    """The header's language switch: language → href."""
    found = re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"[^>]*class="md-select__link"', html)
    return {language: href for href, language in found}


def _follow(site: Path, page: Path, href: str) -> Path:
    """The file a relative link of `page` leads to."""
    folder = posixpath.dirname(page.relative_to(site).as_posix())
    target = posixpath.normpath(posixpath.join(folder, href))
    assert not target.startswith(".."), f"{href} leaves the site"
    return site / target / "index.html"


def test_both_trees_have_every_generated_page(site):
    english = {page.relative_to(site) for page in _pages(site) if not page.is_relative_to(site / "fr")}
    french = {page.relative_to(site / "fr") for page in _pages(site / "fr")}
    assert english == french
    for path in ("dashboard", "countries", "open-data", "about", "cross-tabulations", "fragments"):
        assert Path(path, "index.html") in french
    for name in ("feed.xml", "outcomes.csv", "outcomes.json", "sitemap.xml"):
        assert (site / name).is_file() and (site / "fr" / name).is_file()
    assert "Tous les effets" in (site / "fr" / "fragments" / "index.html").read_text(encoding="utf-8")
    assert "Effets Espace civique Sahel" in (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert f"{ADDRESS}fr/fragments/" in (site / "fr" / "feed.xml").read_text(encoding="utf-8")


def test_every_page_says_its_language(site):
    for page in _pages(site):
        expected = "fr" if page.is_relative_to(site / "fr") else "en"
        assert f'<html lang="{expected}"' in page.read_text(encoding="utf-8"), page


def test_a_french_outcome_page_switches_to_its_english_twin_and_back(site):
    french = next((site / "fr" / "fragments").glob("*/index.html"))
    english = _follow(site, french, _switch(french.read_text(encoding="utf-8"))["en"])
    assert english == site / french.relative_to(site / "fr")
    html = english.read_text(encoding="utf-8")
    assert '<html lang="en"' in html
    assert _follow(site, english, _switch(html)["fr"]) == french
    assert re.search(r'hreflang="fr" lang="fr" class="md-select__link"[^>]*>\s*Français', html)


def test_the_switch_leads_to_the_twin_from_every_page(site):
    for page in _pages(site):
        switch = _switch(page.read_text(encoding="utf-8"))
        in_french = page.is_relative_to(site / "fr")
        own = page.relative_to(site / "fr") if in_french else page.relative_to(site)
        assert _follow(site, page, switch["en"]) == site / own, page
        assert _follow(site, page, switch["fr"]) == site / "fr" / own, page


def test_every_head_and_the_sitemaps_name_the_twins(site):
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        in_french = page.is_relative_to(site / "fr")
        own = (page.relative_to(site / "fr") if in_french else page.relative_to(site)).parent.as_posix()
        own = "" if own == "." else own + "/"
        assert f'<link rel="alternate" hreflang="en" href="{ADDRESS}{own}">' in html, page
        assert f'<link rel="alternate" hreflang="fr" href="{ADDRESS}fr/{own}">' in html, page
        assert f'<link rel="alternate" hreflang="x-default" href="{ADDRESS}{own}">' in html, page
    for sitemap in (site / "sitemap.xml", site / "fr" / "sitemap.xml"):
        xml = sitemap.read_text(encoding="utf-8")
        assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in xml
        assert f'<xhtml:link rel="alternate" hreflang="en" href="{ADDRESS}countries/"/>' in xml
        assert f'<xhtml:link rel="alternate" hreflang="fr" href="{ADDRESS}fr/countries/"/>' in xml
    assert f"<loc>{ADDRESS}fr/countries/</loc>" in (site / "fr" / "sitemap.xml").read_text(encoding="utf-8")


def test_each_language_has_its_own_search_index(site):
    for folder, language in ((site, "en"), (site / "fr", "fr")):
        entry = json.loads((folder / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [language]
        assert entry["languages"][language]["page_count"] > 0


HELD_BACK = "Since 1999, a defender in Atlantis has been protected by the network."  # zzz-only-confidential.txt


def test_the_guard_covers_the_french_tree(tmp_path):
    """A held-back outcome's text in a site text only the French pages show (the French home
    page's heading) stops the build. The message names the French docs file as it is on disk
    (.docs.fr beside docs), then the page in the site; names and kinds only, never the text."""
    planted = SITE_YML + f"programme:\n  en: Sahel programme\n  fr: Programme Sahel. {HELD_BACK}\n"
    with pytest.raises(BuildError) as stopped:
        _build(tmp_path, planted, languages=["en", "fr"])
    assert str(stopped.value) == (
        "the leak guard stopped the build: .docs.fr/index.md: words from a held-back outcome; "
        "fr/index.html: words from a held-back outcome. Nothing was published. Check that no outcome record, "
        "hand-written page or label copies text of a held-back outcome or a redacted name"
    )
    assert not (tmp_path / "site").exists()


def test_a_french_site_text_may_name_what_a_held_back_outcome_names(site_cache):
    """Every language's site.yml texts are the editors' own, as the first language's are: a
    value they name (a country a held-back outcome is about) is no leak on either tree (the
    guard would stop the kept build)."""
    named = SITE_YML.replace("au Sahel.", "au Sahel et en Atlantis.")
    site = _kept(site_cache, "bilingual-named", ["en", "fr"], named)
    assert "au Sahel et en Atlantis." in (site / "fr" / "index.html").read_text(encoding="utf-8")


def test_a_held_back_story_planted_in_a_french_only_label_stops_the_build(tmp_path):
    """The other languages' interface text is allowed as the first language's is, failing
    closed the same way: a value it names is no leak, a held-back outcome's words are."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    labels = templates / "labels.yml"
    text = labels.read_text(encoding="utf-8")
    french = "fr: Tous les effets}"
    assert french in text
    labels.write_text(text.replace(french, f'fr: "Tous les effets. {HELD_BACK}"}}'), encoding="utf-8")
    with pytest.raises(BuildError) as stopped:
        _build(tmp_path, languages=["en", "fr"], templates=templates)
    message = str(stopped.value)
    assert message.startswith("the leak guard stopped the build: .docs.fr/"), message
    assert "Atlantis" not in message and "defender" not in message
    assert not (tmp_path / "site").exists()


def test_one_language_stays_possible(site_cache):
    site = _kept(site_cache, "bilingual-fr-only", ["fr"])
    assert not (site / "fr").exists() and not (site / "en").exists()
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in html
    assert "md-select__link" not in html and "hreflang" not in html


def test_a_language_code_that_is_not_one_stops_the_build_naming_mkdocs_yml(tmp_path):
    with pytest.raises(BuildError) as stopped:
        _build(tmp_path, languages=["en", "French"])
    assert str(stopped.value) == (
        f"{tmp_path / 'mkdocs.yml'}: 'French' in the outcome-kb plugin's languages is not a language code: "
        "write codes such as 'en' and 'fr' (the first is the language at the site's root)"
    )


@pytest.mark.parametrize("fork", [True, False], ids=["helper process", "without fork"])
def test_a_failure_of_the_other_languages_engine_build_stops_the_build_and_leaves_no_litter(
    tmp_path, monkeypatch, fork, site
):
    """The French site is built by the engine beside the English one (in a helper process
    where the system can fork): when only the French build fails, the build stops with the
    engine's message, which names the page, the last site stays as it was and no work
    folder is left behind. The last site is a copy of the module's kept one (the same content
    and configuration, with its stamp): how it was built is not the subject."""
    _build(tmp_path, languages=["en", "fr"], built=site)
    before = sorted(path.relative_to(tmp_path).as_posix() for path in (tmp_path / "site").rglob("*"))
    about = tmp_path / "content" / "pages" / "about.fr.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nVoir [la méthode](methode-introuvable.md).\n")
    if not fork:
        monkeypatch.setattr(forking, "can_fork", lambda: False)
    with pytest.raises(BuildError) as stopped:
        build(
            Settings(contents=[tmp_path / "content"], docs_dir=tmp_path / "docs", config_file=tmp_path / "mkdocs.yml"),
            tmp_path / "mkdocs.yml",
            tmp_path / "site",
        )
    assert str(stopped.value) == (
        "MkDocs could not build the site's fr/ pages: Doc file 'about.md' contains a link 'methode-introuvable.md', "
        "but the target is not found among documentation files. (a 'Doc file' named here is a page of the docs "
        "folder .docs.fr: hand-written ones come from content/pages/, from the page's .fr.md twin where it has one, "
        "the others from templates/)"
    )
    assert sorted(path.relative_to(tmp_path).as_posix() for path in (tmp_path / "site").rglob("*")) == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".site.")) == [
        ".site.okb-build.json"
    ]


@pytest.mark.parametrize("fork", [True, False], ids=["helper process", "without fork"])
def test_a_redacted_name_in_the_french_site_text_only_stops_the_build_naming_site_yml(tmp_path, monkeypatch, fork):
    """The French pages are generated beside the English ones (in a helper process where the
    system can fork): an error only the French generation meets comes back whole, naming
    the file, never the name, and the build leaves no docs folder of its own behind."""
    if not fork:
        monkeypatch.setattr(forking, "can_fork", lambda: False)
    named = SITE_YML.replace("au Sahel.", "au Sahel avec Moussa Sangaré.")
    (tmp_path / "redact.txt").write_text("Moussa Sangaré\n", encoding="utf-8")
    with pytest.raises(InputError) as stopped:
        _build(tmp_path, named, languages=["en", "fr"], redact=tmp_path / "redact.txt")
    assert str(stopped.value) == (
        f"{tmp_path / 'content' / 'site.yml'}: a name of the redaction list (redact.txt) is in this file's texts, "
        "which every page shows (write the texts without it, then build again)"
    )
    assert not (tmp_path / "site").exists()
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []
