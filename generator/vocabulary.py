"""Field names and value vocabularies, as data.

Every spelling of a column or `**Field**:` name that the exports use maps to one
canonical field here, and every accepted flag or rating value is listed here.
Adding a spelling means adding a string to a list below, not an `if` elsewhere.
"""
from __future__ import annotations

import functools
import re
import unicodedata

# Canonical field → the names it is known by in exports. Matching ignores case,
# spaces and punctuation (see field_key), so "Fragment ID", "fragment_id" and
# "FragmentID " are one name.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "fragment_id": ("FragmentID", "Fragment ID", "ID", "Outcome ID"),
    "status": ("Outcome status", "Status"),
    "harvest_period": ("OH-harvesting period", "Harvesting period", "Harvest period", "Harvest"),
    "country": ("Country", "coutnry", "contry", "Pays", "Country or region"),
    "year": ("Year", "Année", "Annee"),
    "description": ("Outcome description", "Description", "Outcome statement"),
    "significance": ("Significance of the outcome", "Significance"),
    "additional_info": ("Additional information (use if needed)", "Additional information"),
    "rating_significance": ("Rating significance", "Significance rating"),
    "social_actor": ("Social actor", "Social actors"),
    "scale": ("Scale",),
    "contribution": ("Contribution of the programme", "Contribution of the program", "Programme contribution"),
    "other_actors": ("Contribution of other actors and factors", "Other actors and factors"),
    "rating_contribution": ("Rating contribution", "Contribution rating"),
    "unintended": ("The change was unintended", "Unintended"),
    "evidence": ("Evidence supporting the outcome statement", "Evidence"),
    "confidential": (
        "Outcome statements is CONFIDENTIAL",
        "Outcome statement is confidential",
        "Confidential",
        "Confidentiality",
    ),
    "results_framework": ("Link to Outcomes in Results Framework", "Results Framework", "Link to Results Framework"),
    "objective": ("Link to SCC Specific Objectives", "Specific objective", "Objective"),
    "negative": ("Outcome is negative", "Negative"),
    "change_types": ("MCQType of change", "Type of change", "Types of change"),
    "change_cluster": ("TypeOfChangeCluster", "Type of change cluster"),
}

# Human names for canonical fields, used in messages ("field 'Year'").
FIELD_LABELS: dict[str, str] = {name: aliases[0] for name, aliases in FIELD_ALIASES.items()}


def field_key(name: str) -> str:
    """The matching key of a field name: lower case, letters and digits only."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


_FIELD_BY_KEY: dict[str, str] = {
    field_key(alias): canonical for canonical, aliases in FIELD_ALIASES.items() for alias in aliases
}


def canonical_field(name: str) -> str | None:
    """The canonical field a column or `**Field**:` name stands for, or None if unknown."""
    return _FIELD_BY_KEY.get(field_key(name))


# Confidentiality: only these values publish a fragment (compared after trimming, with runs
# of spaces as one and in lower case). A spreadsheet's numeric 0 cell reads as "0" or "0.0",
# its FALSE cell as "false". Everything else holds the fragment back.
NOT_CONFIDENTIAL_VALUES = frozenset(
    {"0", "0.0", "no", "n", "false", "non", "not confidential", "non confidentiel", "public"}
)
# Values that say "confidential" (reported as flagged; any other value as not recognised).
CONFIDENTIAL_VALUES = frozenset(
    {"1", "1.0", "yes", "y", "true", "oui", "confidential", "confidentiel", "confidentielle"}
)

# YES/NO flags (unintended, negative).
YES_VALUES = frozenset({"yes", "y", "true", "1", "oui", "o"})
NO_VALUES = frozenset({"no", "n", "false", "0", "non"})

# Types of change, in the order the programme lists them. Matching ignores case.
CHANGE_TYPES: tuple[str, ...] = (
    "Policy change",
    "Legal change",
    "Practice change",
    "Behaviour change",
    "Discourse change",
    "Capacity change",
    "Relationship and collaboration",
    "Access to resources",
    "Safety and Security",
)
CHANGE_TYPE_ALIASES: dict[str, str] = {
    **{name.lower(): name for name in CHANGE_TYPES},
    "behavior change": "Behaviour change",
    "safety and security change": "Safety and Security",
}

RATINGS_SIGNIFICANCE = ("small", "medium", "large")
RATINGS_CONTRIBUTION = ("low", "medium", "high")


@functools.lru_cache(maxsize=None)  # the same few names are slugified thousands of times
def slugify(text: str) -> str:
    """A URL-safe, lower-case ASCII slug: 'Côte d'Ivoire' → 'cote-d-ivoire'."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug or "x"
