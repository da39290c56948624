"""Every URL folder and fixed page of the site, by its docs path, in one place.

MkDocs turns a docs path into an address by its own rules (site_config.Urls); these are
the docs paths the generator writes. A facet's browse pages go into the folder its entry
in the field table names (generator/fields.py), one of these. mkdocs.yml's nav and
not_in_nav name the same folders: tests/test_folders.py checks they agree.
"""

from __future__ import annotations

HOME = "index.md"
DASHBOARD = "dashboard.md"
CROSSTABS = "cross-tabulations.md"  # outcomes counted by two fields at once, and the timeline
OPEN_DATA = "open-data.md"
ABOUT = "about.md"
FEED = "feed.xml"
OPEN_DATA_CSV = "outcomes.csv"
OPEN_DATA_JSON = "outcomes.json"
SITE_LOGO = "assets/site-logo"  # content/site.yml's logo, scrubbed, with its own suffix

FRAGMENTS = "fragments"  # one page per public outcome, and All outcomes
RESULTS_FRAMEWORK = "results-framework"  # the framework's outcomes and outputs
COUNTRIES = "countries"
OBJECTIVES = "objectives"
CHANGE_TYPES = "change-types"
YEARS = "years"
# The facets without a tab of their own (the field table's Facet.tab): reached from the home
# page, the chips and the dashboard.
HARVESTS = "harvests"
SOCIAL_ACTORS = "social-actors"
SCALES = "scales"
SIGNIFICANCE = "significance"
CONTRIBUTION = "contribution"
INTENT = "intended-or-unintended"
POLARITY = "positive-or-negative"
SUBSTANTIATION = "substantiation"

ALL_OUTCOMES = f"{FRAGMENTS}/index.md"
FILTER_LIST = f"{FRAGMENTS}/filter-list.json"
NOT_LINKED = f"{RESULTS_FRAMEWORK}/not-linked.md"


def index_of(folder: str) -> str:
    """The page of a folder: the section page of its browse pages."""
    return f"{folder}/index.md"


def site_logo(suffix: str) -> str:
    """The docs path of the site's logo: '.png' → 'assets/site-logo.png'."""
    return SITE_LOGO + suffix


def fragment_page(slug: str) -> str:
    return f"{FRAGMENTS}/{slug}.md"
