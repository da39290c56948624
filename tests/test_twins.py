"""Editors write once, and nothing on a French page is left in English (issue 22, points 4
and 2), on a site built in English and French (`languages: [en, fr]`).

Hand-written pages come in both languages, `x.md` and its twin `x.fr.md`; a page with no
twin is published in the other language's tree too, as written, under a note in that
language with a link to the page on the site in its own language, its text marked with its
language; `check` lists those pages. And every page of the French tree is read as a reader
and a screen reader meet it (visible text, title, aria-label, alt, placeholder): no English
interface text, from templates/labels.yml or from the theme, outside text marked
lang="en" (outcomes written in English)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import material
import pytest
import yaml

from generator.read.hand_written_pages import language_pages, pages_without_twin
from support import FIXTURES, ROOT, kept_build, run_cli_in_process, write_config

ADDRESS = "https://example.github.io/outcome-knowledge-base/"
OPTIONS = {"templates": str(ROOT / "templates"), "languages": ["en", "fr"]}


def _content(folder: Path) -> Path:
    """The fixture site's content with the twins' overlay: pages in one language, the
    vocabularies and the Results Framework in both, site.yml's name and description in both."""
    content = folder / "content"
    shutil.copytree(FIXTURES / "site", content, dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "twins", content, dirs_exist_ok=True)
    return content


def _plugins(content: Path) -> list[object]:
    return [{"search": {"enabled": False}}, {"outcome-kb": {**OPTIONS, "content": str(content)}}]


@pytest.fixture(scope="module")
def site(site_cache) -> Path:
    content = _content(site_cache / "twins-content")
    return kept_build(site_cache, "twins", content, plugins=_plugins(content), site_url=ADDRESS).site


# --- Which page each language publishes ----------------------------------------------------

PAGES = {
    "about.md": b"About",
    "about.fr.md": b"A propos",
    "method.md": b"Method",
    "terrain.fr.md": b"Terrain",
    "notes.de.md": b"Notizen",
    "map.png": b"PNG",
}


def test_each_language_publishes_every_page_at_one_path_its_own_twin_first():
    english = language_pages(PAGES, "en", ("en", "fr"))
    french = language_pages(PAGES, "fr", ("en", "fr"))
    assert english.pages == {"about.md": b"About", "map.png": b"PNG", "method.md": b"Method", "terrain.md": b"Terrain"}
    assert french.pages == {
        "about.md": b"A propos",
        "map.png": b"PNG",
        "method.md": b"Method",
        "terrain.md": b"Terrain",
    }
    assert english.only_in == {"terrain.md": "fr"} and french.only_in == {"method.md": "en"}
    assert french.origins["about.md"] == "about.fr.md" and english.origins["terrain.md"] == "terrain.fr.md"


def test_with_french_first_a_page_without_a_language_in_its_name_is_french_unless_it_has_a_french_twin():
    pages = {"about.md": b"About", "about.fr.md": b"A propos", "contact.md": b"Contact", "contact.en.md": b"Contact us"}
    french = language_pages(pages, "fr", ("fr", "en"))
    english = language_pages(pages, "en", ("fr", "en"))
    assert french.pages == {"about.md": b"A propos", "contact.md": b"Contact"}
    assert english.pages == {"about.md": b"About", "contact.md": b"Contact us"}
    assert french.only_in == english.only_in == {}


def test_a_site_in_one_language_keeps_its_pages_and_leaves_out_the_other_languages():
    assert language_pages(PAGES, "en").pages == {"about.md": b"About", "method.md": b"Method", "map.png": b"PNG"}
    assert language_pages(PAGES, "fr", ("fr",)).pages == {
        "about.md": b"A propos",
        "method.md": b"Method",
        "terrain.md": b"Terrain",
        "map.png": b"PNG",
    }
    assert pages_without_twin(PAGES, ("en",)) == []


def test_check_lists_the_pages_without_a_twin_and_what_to_write(tmp_path):
    content = _content(tmp_path)
    config = write_config(tmp_path, plugins=_plugins(content), site_url=ADDRESS)
    result = run_cli_in_process("check", "--config", str(config), "--content", str(content))
    assert result.returncode == 0, result.stderr
    method, terrain = content / "pages" / "method.md", content / "pages" / "terrain.fr.md"
    assert (
        f"  {method}: this page is in English only: the French pages show it as it is, with a note saying so "
        f"(write {content / 'pages' / 'method.fr.md'}, the page in French)\n"
        f"  {terrain}: this page is in French only: the English pages show it as it is, with a note saying so "
        f"(write {content / 'pages' / 'terrain.en.md'}, the page in English)\n"
    ) in result.stdout
    assert "about.md" not in result.stdout.split("Warnings")[-1]


# --- A page with no twin, as a reader meets it ---------------------------------------------


def _main(html: str) -> str:
    return html[html.index('<article class="md-content__inner md-typeset">') : html.index("</article>")]


def test_an_english_only_page_is_on_the_french_site_in_english_under_a_french_note(site):
    html = (site / "fr" / "method" / "index.html").read_text(encoding="utf-8")
    article = _main(html)
    assert '<html lang="fr"' in html
    assert re.search(
        r'<p class="okb-only-in">Cette page n&#39;existe qu&#39;en anglais\.\s*'
        r'<a href="\.\./\.\./method/" hreflang="en">La lire sur le site en anglais</a>\s*</p>',
        article,
    )
    marked = article[article.index('<div lang="en">') :]
    assert "How we harvest outcomes</h1>" in marked and "We talk to the people who saw the change" in marked
    assert "okb_written_in" not in html  # the front matter's note is data for the theme, not text
    # Its own language's page has no note; the switch of either leads to the other.
    own = (site / "method" / "index.html").read_text(encoding="utf-8")
    assert "okb-only-in" not in own and 'lang="en">' not in _main(own)
    assert 'href="../../method/" hreflang="en" lang="en" class="md-select__link"' in html
    assert 'href="../fr/method/" hreflang="fr" lang="fr" class="md-select__link"' in own


def test_a_french_only_page_is_on_the_english_site_in_french_under_an_english_note(site):
    article = _main((site / "terrain" / "index.html").read_text(encoding="utf-8"))
    assert re.search(
        r'<p class="okb-only-in">This page is only in French\.\s*'
        r'<a href="\.\./fr/terrain/" hreflang="fr">Read it on the site in French</a>\s*</p>',
        article,
    )
    assert "Les équipes rencontrent les défenseurs" in article[article.index('<div lang="fr">') :]
    assert "okb-only-in" not in (site / "fr" / "terrain" / "index.html").read_text(encoding="utf-8")


def test_a_page_with_its_twin_shows_each_language_its_own(site):
    french = _main((site / "fr" / "about" / "index.html").read_text(encoding="utf-8"))
    english = _main((site / "about" / "index.html").read_text(encoding="utf-8"))
    assert "À propos" in french and "okb-only-in" not in french
    assert "About this site" in english and "okb-only-in" not in english


# --- No English interface text on a French page --------------------------------------------

MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"
# The theme's strings that are settings, not text a reader sees.
MATERIAL_SETTINGS = {"language", "direction", "search.config.lang", "search.config.pipeline", "search.config.separator"}
# Names written the same in both languages' pages: the method's own name.
PROPER_NAMES = ("Outcome Harvesting",)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _interface_strings(language: str, other: str) -> dict[str, str]:
    """Every interface text of `language` that `other` writes differently: templates/labels.yml's
    and the theme's own (Material's partials/languages), each → where it comes from. A {name}
    (or the theme's #) stands for any text."""
    labels = yaml.safe_load((ROOT / "templates" / "labels.yml").read_text(encoding="utf-8"))
    strings = {
        texts[language]: f"labels.yml: {key}"
        for key, texts in labels.items()
        if isinstance(texts.get(language), str) and texts[language] != texts.get(other)
    }
    theme = {
        name: dict(re.findall(r'"([\w.]+)": "([^"]*)"', (MATERIAL_LANGUAGES / f"{name}.html").read_text("utf-8")))
        for name in (language, other)
    }
    for key, text in theme[language].items():
        if key not in MATERIAL_SETTINGS and text != theme[other].get(key):
            strings.setdefault(text.replace("#", "{n}"), f"the theme: {key}")
    return strings


def _pattern(text: str) -> re.Pattern[str] | None:
    """A text as found in a page: its {parts} any text, whole words; None for a text with no
    words of its own (a placeholder and punctuation, "{name}: {count}")."""
    parts = re.split(r"(\{\w+\})", text.replace("`", ""))
    if len(re.sub(r"\{\w+\}|\W", "", text)) < 3:
        return None
    body = "".join(r"\S(?:.*?\S)?" if re.fullmatch(r"\{\w+\}", part) else re.escape(part) for part in parts).strip()
    return re.compile(r"(?<!\w)" + body.strip(r"\ ") + r"(?![\w]|\.\w)")


class _Readable(HTMLParser):
    """What a reader or a screen reader meets on a page in the page's language: text outside
    scripts, styles and code, and the title, aria-label, alt and placeholder attributes,
    except inside an element marked with another language (kept apart: `marked`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.languages: list[str | None] = []
        self.hidden = 0
        self.texts: list[str] = []
        self.marked: list[str] = []
        self.page: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        language = given.get("lang") or (self.languages[-1] if self.languages else None)
        if tag == "html":
            self.page = language
        if tag in ("script", "style", "code"):
            self.hidden += 1
        if language == self.page:
            self.texts += [value for name in ATTRIBUTES if (value := given.get(name))]
        if tag not in VOID:
            self.languages.append(language)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code"):
            self.hidden -= 1
        if tag not in VOID and self.languages:
            self.languages.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            in_page = not self.languages or self.languages[-1] == self.page
            (self.texts if in_page else self.marked).append(" ".join(data.split()))


def _left_in(
    tree: Path, strings: dict[str, str], numbers: re.Pattern[str], months: list[str], other_trees: tuple[str, ...] = ()
) -> list[str]:
    """Each page of `tree` and each text of `strings` (or a date or number in the other language's
    form) it shows outside marked text: 'page: "text" (where it comes from) in "…"'. The
    folders `other_trees` of `tree` (another language's pages: fr/) are left out."""
    patterns = [(pattern, text, where) for text, where in strings.items() if (pattern := _pattern(text))]
    patterns.append((numbers, "a number", "the other language's form"))
    patterns += [(re.compile(rf"\b{month}\b"), month, "a month's name") for month in months]
    found = []
    for page in sorted(tree.rglob("*.html")):
        if "pagefind" in page.parts or page.relative_to(tree).parts[0] in other_trees:
            continue
        reader = _Readable()
        reader.feed(page.read_text(encoding="utf-8"))
        for text in reader.texts:
            for marked in [*reader.marked, *PROPER_NAMES]:  # a tab title repeats an outcome's title
                text = text.replace(marked, "")
            text = re.sub(r"https?://\S+", "", text)  # an address is not text
            for pattern, string, where in patterns:
                if pattern.search(text):
                    found.append(f'{page.relative_to(tree)}: "{string}" ({where}) in "{text[:80]}"')
    return found


def test_no_english_interface_text_on_any_french_page(site):
    french_tree = site / "fr"
    assert len(list(french_tree.rglob("index.html"))) > 40
    left = _left_in(french_tree, _interface_strings("en", "fr"), re.compile(r"\d,\d{3}\b"), MONTHS)
    assert left == [], "\n".join(left)


def test_no_french_interface_text_on_any_english_page(site):
    english_tree = site
    mois = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    strings = _interface_strings("fr", "en")
    left = _left_in(english_tree, strings, re.compile(r"\d\u202f\d{3}\b"), mois, other_trees=("fr",))
    assert left == [], "\n".join(left)


def _filters(page: Path) -> list[str]:
    return re.findall(r'<select name="([^"]+)"', page.read_text(encoding="utf-8"))


def test_the_filters_come_in_the_same_order_in_both_languages(site):
    for path in ("fragments/index.html", "countries/index.html", "change-types/policy-change/index.html"):
        english, french = _filters(site / path), _filters(site / "fr" / path)
        assert english == french, path
    assert _filters(site / "fragments" / "index.html")[:3] == ["country", "objective", "change_type"]
