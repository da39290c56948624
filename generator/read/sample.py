"""The sample shipped in content/, as data: where `python -m generator new` starts a
programme's content folder from, and the sample's files a programme may have left in place.

Once a programme has replaced the sample, its files are gone from content/: what they were
is kept here (their IDs, digests and the site's default name), so that `check` and the
build can say when a programme's outcomes are published with the sample's Results
Framework labels, the sample's About page or its site name (issue 20, point 5). A digest
is of the text with Windows line ends made plain, so a checkout on Windows compares equal.
tests/test_new.py checks that these digests and IDs are still the shipped sample's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from generator.errors import Location, Problem
from generator.read.content_folder import FRAMEWORK_FILES, settings_folders
from generator.site_config import DEFAULT_NAME

# The project's content/ as shipped: the sample `new` copies the templates (and the settings
# files below, when present) from.
SAMPLE_CONTENT = Path(__file__).resolve().parents[2] / "content"
# The blank files `new` writes: a commented results-framework.yml and About pages to fill in.
BLANK_CONTENT = Path(__file__).resolve().parents[1] / "data" / "new-content"

# The sample's outcome IDs: while any of them is published, the site is the sample's own and
# its files are where they belong.
SAMPLE_IDS = frozenset(
    {
        "DEMO-EHA2105/PEA006", "DEMO-EHA2201/PEA003", "DEMO-EHA2203/GEN004", "DEMO-EHA2310/PEA010",
        "DEMO-EHA2406/CIV007", "DEMO-EHA2502/EXT011", "DEMO-SAH2104/EXT005", "DEMO-SAH2301/CIV001",
        "DEMO-SAH2302/CIV002", "DEMO-SAH2309/CIV009", "DEMO-SAH2407/GEN008", "DEMO-SAH2503/PEA012",
        "DEMO-SAH2504/CIV013",
    }
)  # fmt: skip


# The sample's results-framework.yml, by digest.
SAMPLE_FRAMEWORK = "352f23d583a4ac59b5831a66aca1b5ed8fa12727308057d9c534aaa77d950623"
SAMPLE_FRAMEWORK_MESSAGE = "these are the sample's Results Framework labels, and the site shows them beside your codes"
SAMPLE_FRAMEWORK_HINT = "write your programme's outcome and output labels here, or delete the file"
# The sample's About pages (English, French), by digest: either may be the one published.
SAMPLE_PAGE = "this is still the sample's About page"
SAMPLE_PAGE_HINT = "write in it what your programme does and how its outcomes were harvested"
SAMPLE_PAGES = frozenset(
    {
        "316fbb095512f5285e8468361643805bdcdb244d45f332893be04b06775358c2",  # about.md
        "cea7824f237e17e4196160855e0360e3587ac141bcc82e7fe026a0b2576a0013",  # about.fr.md
    }
)
# What the blank About pages of `new` ask editors to replace; a page that still holds one
# would publish the request itself.
PLACEHOLDERS = ("[Replace this paragraph", "[Remplacez ce paragraphe")
PLACEHOLDER_MESSAGE = "this page still has paragraphs in square brackets from 'python -m generator new'"
PLACEHOLDER_HINT = "replace each one with what it asks for"
# Where the site's name is set: content/site.yml when the project has one, else mkdocs.yml.
SITE_FILE = "site.yml"
NAME_MESSAGE = f"the site is still called '{DEFAULT_NAME}', the sample's name"
# What content/site.yml from `new` asks editors to replace (content/templates/site.yml).
SITE_PLACEHOLDERS = ("[Replace this", "[Remplacez ce")
SITE_PLACEHOLDER_MESSAGE = "this file still has texts in square brackets from 'python -m generator new'"
SITE_PLACEHOLDER_HINT = "replace each one with your own words: the site's name, the programme's name and paragraph"
NAME_HINTS = {
    SITE_FILE: "write your site's name in this file",
    # no site.yml yet: the one documented place is content/site.yml (the README's "Name your site")
    "config": "write your site's name in content/site.yml: copy content/templates/site.yml there",
}
NO_OUTCOMES_MESSAGE = "there are no outcome records here yet, so the site has no outcomes"
NO_OUTCOMES_HINT = "put your spreadsheet export (.xlsx or .csv), or one .txt file per outcome, in {folder}/"


def text_digest(data: bytes) -> str:
    """The digest of a file's text: without a byte order mark, Windows line ends made plain."""
    text = data.decode("utf-8-sig", "replace").replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sample_leftovers(
    contents: list[Path],
    project_content: Path | None,
    pages: dict[str, tuple[bytes, Path]],
    site_name: str,
    config_file: Path,
    published_ids: Iterable[str],
) -> list[Problem]:
    """One warning per file of the sample still in place when the outcomes published are not
    the sample's (none while any sample outcome is published). `pages`: the hand-written
    pages published (docs path → text and the file it came from). Names files only."""
    if not SAMPLE_IDS.isdisjoint(published_ids):
        return []
    found = []
    for folder in settings_folders(contents, project_content):
        for name in FRAMEWORK_FILES:
            path = folder / name
            if path.is_file() and text_digest(path.read_bytes()) == SAMPLE_FRAMEWORK:
                found.append(Problem(Location(str(path)), None, SAMPLE_FRAMEWORK_MESSAGE, SAMPLE_FRAMEWORK_HINT))
    for docs_path, (data, source) in sorted(pages.items()):
        if not docs_path.endswith(".md"):
            continue
        where = Location(str(source))
        if text_digest(data) in SAMPLE_PAGES:
            found.append(Problem(where, None, SAMPLE_PAGE, SAMPLE_PAGE_HINT))
        elif any(mark.encode("utf-8") in data for mark in PLACEHOLDERS):
            found.append(Problem(where, None, PLACEHOLDER_MESSAGE, PLACEHOLDER_HINT))
    # content/site.yml as the other files are named (settings_folders names the project's folder as given)
    site_file = next(
        (
            folder / SITE_FILE
            for folder in settings_folders(contents, project_content)
            if project_content is not None and folder.resolve() == project_content.resolve()
        ),
        project_content / SITE_FILE if project_content is not None else None,
    )
    placeholders = (
        site_file is not None
        and site_file.is_file()
        and any(mark in site_file.read_bytes().decode("utf-8", "replace") for mark in SITE_PLACEHOLDERS)
    )
    if placeholders:  # the one warning of the file: its name is one of the texts to replace
        found.append(Problem(Location(str(site_file)), None, SITE_PLACEHOLDER_MESSAGE, SITE_PLACEHOLDER_HINT))
    elif site_name == DEFAULT_NAME:
        if site_file is not None and site_file.is_file():
            found.append(Problem(Location(str(site_file)), None, NAME_MESSAGE, NAME_HINTS[SITE_FILE]))
        else:
            found.append(Problem(Location(str(config_file)), None, NAME_MESSAGE, NAME_HINTS["config"]))
    return found


def no_outcomes(contents: list[Path], sources_read: int) -> list[Problem]:
    """A content folder with no outcome records at all (a fresh one from `new`): where to put them."""
    if sources_read or not contents or not contents[0].is_dir():
        return []
    folder = contents[0] / "fragments"
    return [Problem(Location(str(contents[0])), None, NO_OUTCOMES_MESSAGE, NO_OUTCOMES_HINT.format(folder=folder))]
