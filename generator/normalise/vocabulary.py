"""Field names and value vocabularies, as data.

Every accepted flag and rating is listed here, and the built-in vocabularies (types of
change, social actors, scale) that apply where content/vocabularies.yml gives none; the
fields themselves, and the names they are known by, are in generator/fields.py.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

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

# The languages an outcome's text may be written in (its Language field): each code, and the
# spellings that name it (its English name first, as messages name it), matched folded
# (case and accents do not matter).
TEXT_LANGUAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("en", ("English", "en", "eng", "Anglais", "Inglés")),
    ("fr", ("French", "fr", "fra", "fre", "Français", "Francais")),
)

# The vocabularies editors own (content/vocabularies.yml, read by generator/read/vocabularies.py):
# (its section in the file, the field it names the values of, one value, several values).
VOCABULARIES_FILE = "vocabularies.yml"
VOCABULARY_SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("change_types", "change_types", "type of change", "types of change"),
    ("social_actors", "social_actor", "social actor", "social actors"),
    ("scale", "scale", "scale", "scales"),
    # Each objective also has its code (CIV), by which a cell "CIV: …" or "CIV" matches it;
    # no built-in list: where the file gives none, objectives are published as written.
    ("objectives", "objective", "objective", "objectives"),
)

# The built-in vocabularies, used where content/vocabularies.yml gives none (the sample's
# file holds the same): per section, each value as (English label, French label, other
# spellings), in the order the programme lists them. Matching folds case, accents and spaces.
BUILT_IN_VOCABULARIES: tuple[tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]], ...] = (
    (
        "change_types",
        (
            ("Policy change", "Changement de politique", ()),
            ("Legal change", "Changement juridique", ()),
            ("Practice change", "Changement de pratique", ()),
            ("Behaviour change", "Changement de comportement", ("Behavior change",)),
            ("Discourse change", "Changement de discours", ()),
            ("Capacity change", "Changement de capacités", ()),
            ("Relationship and collaboration", "Relations et collaboration", ()),
            ("Access to resources", "Accès aux ressources", ()),
            ("Safety and Security", "Sûreté et sécurité", ("Safety and security change",)),
        ),
    ),
    (
        "social_actors",
        (
            ("Civic change agents", "Acteurs du changement civique", ()),
            ("Community members", "Membres de la communauté", ()),
            ("Government and duty bearers", "Gouvernement et détenteurs d'obligations", ()),
            ("International bodies", "Organismes internationaux", ()),
            ("Media actors", "Acteurs des médias", ()),
            ("Private sector actors", "Acteurs du secteur privé", ()),
            ("Traditional leaders", "Chefs traditionnels", ()),
        ),
    ),
    (
        "scale",
        (
            ("Individual", "Individuel", ()),
            ("Organisation", "Organisation", ("Organization",)),
            ("Local", "Local", ()),
            ("National", "National", ()),
            ("Regional", "Régional", ()),
            ("International", "International", ()),
        ),
    ),
)

# Types of change, in the order the programme lists them (the built-in vocabulary's English labels).
CHANGE_TYPES: tuple[str, ...] = tuple(english for english, _, _ in dict(BUILT_IN_VOCABULARIES)["change_types"])

RATINGS_SIGNIFICANCE = ("small", "medium", "large")
RATINGS_CONTRIBUTION = ("low", "medium", "high")

# Substantiation (was the outcome confirmed by someone independent?), in the order of the
# filters and charts, and the other spellings each is known by, English and French. They
# are matched by slug (generator.normalise.values.closed): case, accents, spaces and
# punctuation do not matter.
SUBSTANTIATION = ("substantiated", "partly substantiated", "not substantiated", "not yet substantiated")
SUBSTANTIATION_SPELLINGS: tuple[tuple[str, str], ...] = (
    *(
        ("substantiated", spelling)
        for spelling in ("fully substantiated", "confirmed", "corroboré", "vérifié", "confirmé", "étayé")
    ),
    *(
        ("partly substantiated", spelling)
        for spelling in (
            "partially substantiated",
            "partly",
            "partially",
            "partiellement corroboré",
            "partiellement vérifié",
            "partiellement confirmé",
            "partiellement étayé",
        )
    ),
    *(
        ("not substantiated", spelling)
        for spelling in (
            "unsubstantiated",
            "not confirmed",
            "non corroboré",
            "non vérifié",
            "non confirmé",
            "non étayé",
        )
    ),
    *(
        ("not yet substantiated", spelling)
        for spelling in (
            "not yet",
            "pending",
            "pas encore corroboré",
            "pas encore vérifié",
            "pas encore confirmé",
            "en attente",
            "à vérifier",
        )
    ),
)


# Page addresses: longer slugs are cut and given a hash, so that a 270-character ID or
# country still makes a file name every file system accepts.
SLUG_LENGTH = 64
# Names a slug may not take: generated pages of the same folder (index.md), and names
# Windows refuses as file names.
RESERVED_SLUGS = frozenset(
    {"index", "con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
)


def _short_hash(text: str) -> str:
    # Case-folded: "Index" and "INDEX" share one page, as "Mali" and "MALI" do.
    return hashlib.sha256(unicodedata.normalize("NFC", text).casefold().encode("utf-8")).hexdigest()[:8]


@functools.cache  # the same few names are slugified thousands of times
def slugify(text: str) -> str:
    """A URL-safe, lower-case ASCII slug, distinct for distinct names and stable between builds.

    'Côte d'Ivoire' → 'cote-d-ivoire'. A name whose letters do not all have an ASCII form
    (Arabic, Cyrillic, Chinese…) keeps what has one and gets a hash of the whole name, so
    different names never share a page; so does a slug that is too long or reserved."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = decomposed.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    lost = any(ch.isalnum() and not ch.isascii() for ch in decomposed if not unicodedata.combining(ch))
    if lost or not slug or slug in RESERVED_SLUGS or len(slug) > SLUG_LENGTH:
        slug = "-".join(part for part in (slug[: SLUG_LENGTH - 9].strip("-"), _short_hash(text)) if part)
    return slug
