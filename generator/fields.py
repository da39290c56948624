"""The one table of fields.

Long on purpose (~580 lines): the table is data, one entry per field, read as one whole.

Each entry says everything the stages need to know about one field of an outcome record:
its standard name and the names it is known by in exports, how its value is normalised,
what kind of value it holds, the label it is shown with, where it shows on the site (a
page section, a row of the Details table, a facet with pages of its own) and what it is
called and typed as in the open data. Reading, normalising, redaction, front matter, the
fragment page, the open data and the field reference (`python -m generator fields`) all
read this table; adding a field is one entry here plus its labels in templates/labels.yml
(the label named by `label`, and `field_<key>` for each open-data column's meaning).

A programme's own column names come from content/fields.yml (see `FieldTable.with_mapping`):
they can only rename, never add a field, so a column the table does not know is never
published.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator import folders
from generator.normalise import values as norm
from generator.normalise.places import normalise_place
from generator.normalise.vocabulary import (
    CHANGE_TYPES,
    CONFIDENTIAL_VALUES,
    NO_VALUES,
    NOT_CONFIDENTIAL_VALUES,
    RATINGS_CONTRIBUTION,
    RATINGS_SIGNIFICANCE,
    SUBSTANTIATION,
    SUBSTANTIATION_SPELLINGS,
    TEXT_LANGUAGES,
    VOCABULARY_SECTIONS,
    YES_VALUES,
    slugify,
)
from generator.privacy.redact import words

# Where a field shows. A field with none of these is read (the gate needs the flag) but
# never published.
SECTION = "section"  # a page section: a heading and the text (free-text fields)
DETAILS = "details"  # a row of the fragment page's Details table
FACET = "facet"  # a chip at the top of the fragment page, and listing pages of its own
# Links between outcomes: "Builds on" (the published outcomes it lists) and "Led to" (the
# published outcomes that list it) on the fragment page; only IDs of published outcomes.
LINKS = "links"

# How a facet's values are ordered, on its browse page and in filters.
BY_KEY = "key"  # by slug ("burkina-faso" before "mali"; objectives by code; "harvest-2" before "harvest-10")
BY_NAME = "name"  # by the name readers see, in the site's language ("Cameroun", "Côte d'Ivoire", "Tchad")
BY_VOCABULARY = "vocabulary"  # in the order of the field's accepted values, others after
NEWEST_FIRST = "newest"  # years: newest first, "not given" last
LARGEST_FIRST = "largest"  # ratings: large, medium, small


@dataclass(frozen=True)
class Kind:
    """What every field of one kind of value is to the stages that treat fields by kind.

    short_values: its values are short ones (a country, a code, a type of change, a year)
    that the leak guard looks for one by one in the built site when only held-back outcomes
    have them; the other kinds are free text (checked as runs of words), IDs (checked as
    IDs) or closed vocabularies whose values say nothing of an outcome (YES/NO, ratings).
    """

    name: str
    short_values: bool
    # Its facet's values are named by templates/labels.yml, "<facet>_<slug>" ("significance_large":
    # "Large", "Grande"; "polarity_negative"), in every place a facet shows: filters, search,
    # chips, browse pages, charts, Details. A value with no such label shows as written.
    labelled: bool = False
    # (room for more per-kind facts beside it, e.g. whether text runs over several lines)
    # Whether the value's text is published as it was written. False for a list of other
    # outcomes' IDs, of which only the published ones are written (resolved after the gate):
    # the guard must not count such text as public, or a held-back ID it names would be
    # taken for a public one and no longer looked for.
    published_as_written: bool = True


KINDS: Mapping[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("id", short_values=False),  # the guard looks for the ID itself
        Kind("text", short_values=False),
        Kind("label", short_values=True),
        Kind("place", short_values=True),  # a country or region: a Term (generator/normalise/places.py)
        Kind("year", short_values=True),
        Kind("flag", short_values=False, labelled=True),
        Kind("rating", short_values=False, labelled=True),
        Kind("list", short_values=True),
        Kind("objective", short_values=True),
        Kind("links", short_values=True),
        # IDs of other outcomes (related outcomes): only the published ones are ever
        # written, so the raw text is no public text to the guard (privacy/guard/check.py)
        Kind("ids", short_values=False, published_as_written=False),
        # the language an outcome is written in ("en", "fr"): a code, not a value of the outcome
        Kind("language", short_values=False),
        Kind("confidentiality", short_values=False),  # read by the gate, never published
    )
}


@dataclass(frozen=True)
class Column:
    """One column of the open data (outcomes.csv, outcomes.json).

    `part` picks one part of a composite value (an objective's code or label, the outcome
    or output codes of a Results Framework link); None takes the value as it is."""

    name: str
    type: str  # as documented on the open-data page: "string", "string or null", …
    part: str | None = None


@dataclass(frozen=True)
class FacetChart:
    """A facet's bar chart on the dashboard: its place among the charts, its anchor (the same
    in every language) and the label key of its bars' column heading."""

    position: int
    anchor: str
    heading: str


@dataclass(frozen=True)
class Facet:
    """How readers find outcomes by a field's value. The positions order the facets where
    several show together; None: the facet is not shown there.

    `plural` names the facet's section: the label key of its title (and its chart's,
    chart_<plural>); `folder` is the URL folder of its browse pages (generator/folders.py),
    "" for none. A facet of a `links` field (the Results Framework) browses through the
    framework's own pages. `tab`: its section page is a tab of the site (mkdocs.yml's nav);
    the others are reached from the home page's list of sections, the chips and the charts.
    `yes_no`: a flag's value slugs for YES and NO ("unintended", "intended"): its browse
    pages' names and its labels' ("intent_unintended")."""

    name: str  # a listing's kind, a filter's select, a list item's data-*, a chip's kind
    plural: str = ""
    folder: str = ""
    sort: str = BY_KEY
    chip: int | None = None  # among the chips at the top of an outcome's page
    filter: int | None = None  # among the selects of a listing's filter (and search's, if search)
    search: bool = False  # also a filter of search (Pagefind), in the filters' order
    chart: FacetChart | None = None
    label: str = ""  # label key of its name in filters and search; default: its name
    tab: bool = True
    yes_no: tuple[str, str] = ("yes", "no")
    named_chip: bool = False  # its chip says what the value is of: "Significance: Large", not "Large"

    @property
    def label_key(self) -> str:
        return self.label or self.name


@dataclass(frozen=True)
class Field:
    key: str  # the name in code, front matter and open data
    name: str  # the standard name, as the reference and messages show it
    aliases: tuple[str, ...]  # other names it is known by in exports
    kind: str  # what its value is: a key of KINDS (id, text, label, place, year, flag, rating, list, objective, links, ids, confidentiality)
    normalise: Callable[[str], norm.Result]
    label: str = ""  # label key in templates/labels.yml for its heading or Details row
    shows: frozenset[str] = frozenset()  # SECTION, DETAILS, FACET
    opendata: tuple[Column, ...] = ()
    values: tuple[str, ...] = ()  # the accepted values, where the set is closed (for the reference)
    facet: Facet | None = None  # how readers browse and filter by its values
    # Common wordings of the field in exports, English and French: they only make "did you
    # mean" find the field, never map a column (an unmapped column is never published, and
    # a wording may mean something else in another programme's export).
    wordings: tuple[str, ...] = ()
    note: str = ""  # what an editor must know to fill it in, for the field reference

    @property
    def published(self) -> bool:
        return bool(self.shows or self.opendata)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def short_values(self) -> bool:
        """Whether the leak guard looks for each of its values (see Kind)."""
        return KINDS[self.kind].short_values

    @property
    def published_as_written(self) -> bool:
        """Whether its raw text is published as written (see Kind)."""
        return KINDS[self.kind].published_as_written


def _one(key: str, type_: str) -> tuple[Column, ...]:
    return (Column(key, type_),)


FIELDS: tuple[Field, ...] = (
    Field(
        "fragment_id",
        "FragmentID",
        ("Fragment ID", "ID", "Outcome ID"),
        "id",
        norm.normalise_label,
        label="fragment_id",
        shows=frozenset({DETAILS}),
        opendata=_one("fragment_id", "string"),
        wordings=("Identifiant", "Identifiant du changement", "Code", "Outcome code", "Outcome number"),
    ),
    Field(
        "description",
        "Outcome description",
        ("Description", "Outcome statement"),
        "text",
        norm.normalise_text,
        label="outcome",
        shows=frozenset({SECTION}),
        opendata=_one("description", "string"),
        wordings=("What changed", "Outcome", "Description du changement", "Changement", "Énoncé du changement"),
    ),
    Field(
        "significance",
        "Significance of the outcome",
        ("Significance",),
        "text",
        norm.normalise_text,
        label="significance",
        shows=frozenset({SECTION}),
        opendata=_one("significance", "string"),
        wordings=("Why it matters", "Why it is significant", "Importance", "Importance du changement", "Pertinence"),
    ),
    Field(
        "contribution",
        "Contribution of the programme",
        ("Contribution of the program", "Programme contribution"),
        "text",
        norm.normalise_text,
        label="contribution_of_programme",
        shows=frozenset({SECTION}),
        opendata=_one("contribution", "string"),
        wordings=("How we contributed", "Our contribution", "Contribution", "Contribution du programme"),
    ),
    Field(
        "other_actors",
        "Contribution of other actors and factors",
        ("Other actors and factors",),
        "text",
        norm.normalise_text,
        label="other_actors",
        shows=frozenset({SECTION}),
        opendata=_one("other_actors", "string"),
        wordings=("Other actors", "Other factors", "Autres acteurs", "Contribution des autres acteurs"),
    ),
    Field(
        "evidence",
        "Evidence supporting the outcome statement",
        ("Evidence",),
        "text",
        norm.normalise_text,
        label="evidence",
        shows=frozenset({SECTION}),
        opendata=_one("evidence", "string"),
        wordings=("Sources", "Source of evidence", "Preuves", "Sources de vérification"),
    ),
    Field(
        "additional_info",
        "Additional information (use if needed)",
        ("Additional information",),
        "text",
        norm.normalise_text,
        label="additional_info",
        shows=frozenset({SECTION}),
        opendata=_one("additional_info", "string"),
        wordings=("Notes", "Comments", "Remarques", "Commentaires", "Informations complémentaires"),
    ),
    Field(
        "country",
        "Country",
        ("coutnry", "contry", "Pays", "Country or region"),
        "place",
        normalise_place,
        label="country",
        shows=frozenset({FACET}),
        opendata=_one("country", "string or null"),
        facet=Facet(
            "country",
            "countries",
            folders.COUNTRIES,
            BY_NAME,
            chip=1,
            filter=1,
            search=True,
            chart=FacetChart(2, "outcomes-per-country", "country_or_region"),
        ),
        wordings=("Location", "Countries", "Region", "Localisation", "Lieu"),
    ),
    Field(
        "year",
        "Year",
        ("Année", "Annee"),
        "year",
        norm.normalise_year,
        label="year",
        shows=frozenset({FACET}),
        opendata=_one("year", "integer or null"),
        facet=Facet(
            "year",
            "years",
            folders.YEARS,
            NEWEST_FIRST,
            chip=2,
            filter=4,
            search=True,
            chart=FacetChart(1, "outcomes-per-year", "year"),
        ),
        wordings=("Date", "Year of change", "Année du changement"),
    ),
    Field(
        "harvest_period",
        "OH-harvesting period",
        ("Harvesting period", "Harvest period", "Harvest"),
        "label",
        norm.normalise_label,
        label="harvest_period",
        shows=frozenset({DETAILS}),
        opendata=_one("harvest_period", "string or null"),
        facet=Facet(
            "harvest",
            "harvests",
            folders.HARVESTS,
            chip=6,
            filter=5,
            search=True,
            chart=FacetChart(5, "outcomes-per-harvest", "harvest_period"),
            label="harvest_period",
            tab=False,
        ),
        wordings=("Période de collecte", "Période de récolte"),
    ),
    Field(
        "status",
        "Outcome status",
        ("Status",),
        "label",
        norm.normalise_label,
        label="status",
        shows=frozenset({DETAILS}),
        opendata=_one("status", "string or null"),
        wordings=("Statut",),
    ),
    Field(
        "objective",
        "Link to SCC Specific Objectives",
        ("Specific objective", "Objective"),
        "objective",
        norm.normalise_objective,
        label="objective",
        shows=frozenset({FACET, DETAILS}),
        facet=Facet("objective", "objectives", folders.OBJECTIVES, chip=4, filter=2, search=True),
        opendata=(
            Column("objective_code", "string or null", "code"),
            Column("objective_label", "string or null", "label"),
        ),
        wordings=("Specific objectives", "Objectif spécifique", "Objectif"),
    ),
    Field(
        "results_framework",
        "Link to Outcomes in Results Framework",
        ("Results Framework", "Link to Results Framework"),
        "links",
        norm.normalise_results_framework,
        label="results_framework",
        shows=frozenset({FACET, DETAILS}),
        facet=Facet(
            "output",
            "outputs",
            folders.RESULTS_FRAMEWORK,
            chip=3,
            chart=FacetChart(4, "outcomes-per-results-framework-output", "output"),
        ),
        opendata=(
            Column("outcome_codes", "array of strings", "outcomes"),
            Column("output_codes", "array of strings", "outputs"),
        ),
        wordings=("Output", "Outputs", "Result", "Cadre de résultats", "Produit", "Extrant"),
    ),
    Field(
        "change_types",
        "MCQType of change",
        ("Type of change", "Types of change"),
        "list",
        norm.VocabularyValues(norm.built_in_vocabulary("change_types"), several=True),
        label="change_type",
        shows=frozenset({FACET}),
        facet=Facet(
            "change_type",
            "change_types",
            folders.CHANGE_TYPES,
            BY_VOCABULARY,
            chip=5,
            filter=3,
            search=True,
            chart=FacetChart(3, "outcomes-per-type-of-change", "change_type"),
        ),
        opendata=_one("change_types", "array of strings"),
        values=CHANGE_TYPES,
        wordings=("Kind of change", "Change type", "Type de changement", "Types de changement"),
    ),
    Field(
        "change_cluster",
        "TypeOfChangeCluster",
        ("Type of change cluster",),
        "label",
        norm.normalise_label,
        label="change_cluster",
        shows=frozenset({DETAILS}),
        opendata=_one("change_cluster", "string or null"),
        wordings=("Cluster", "Groupe de changements"),
    ),
    Field(
        "rating_significance",
        "Rating significance",
        ("Significance rating",),
        "rating",
        norm.rating(RATINGS_SIGNIFICANCE),
        label="rating_significance",
        shows=frozenset({DETAILS}),
        opendata=_one("rating_significance", "string or null"),
        values=RATINGS_SIGNIFICANCE,
        facet=Facet(
            "significance",
            "significance_ratings",
            folders.SIGNIFICANCE,
            LARGEST_FIRST,
            chip=9,
            filter=8,
            search=True,
            chart=FacetChart(8, "outcomes-by-significance", "filter_significance"),
            label="filter_significance",
            tab=False,
            named_chip=True,
        ),
    ),
    Field(
        "rating_contribution",
        "Rating contribution",
        ("Contribution rating",),
        "rating",
        norm.rating(RATINGS_CONTRIBUTION),
        label="rating_contribution",
        shows=frozenset({DETAILS}),
        opendata=_one("rating_contribution", "string or null"),
        values=RATINGS_CONTRIBUTION,
        facet=Facet(
            "contribution",
            "contribution_ratings",
            folders.CONTRIBUTION,
            LARGEST_FIRST,
            chip=10,
            filter=9,
            search=True,
            chart=FacetChart(9, "outcomes-by-contribution", "filter_contribution"),
            label="filter_contribution",
            tab=False,
            named_chip=True,
        ),
    ),
    Field(
        "social_actor",
        "Social actor",
        ("Social actors",),
        "label",
        norm.VocabularyValues(norm.built_in_vocabulary("social_actors")),
        label="social_actor",
        shows=frozenset({DETAILS}),
        opendata=_one("social_actor", "string or null"),
        values=norm.built_in_vocabulary("social_actors").english,
        facet=Facet(
            "social_actor",
            "social_actors",
            folders.SOCIAL_ACTORS,
            chip=7,
            filter=6,
            search=True,
            chart=FacetChart(6, "outcomes-per-social-actor", "social_actor"),
            tab=False,
        ),
        wordings=("Actor", "Actors", "Who changed", "Acteur social", "Acteurs sociaux", "Acteur"),
    ),
    Field(
        "scale",
        "Scale",
        (),
        "label",
        norm.VocabularyValues(norm.built_in_vocabulary("scale")),
        label="scale",
        shows=frozenset({DETAILS}),
        opendata=_one("scale", "string or null"),
        values=norm.built_in_vocabulary("scale").english,
        facet=Facet(
            "scale",
            "scales",
            folders.SCALES,
            chip=8,
            filter=7,
            search=True,
            chart=FacetChart(7, "outcomes-per-scale", "scale"),
            tab=False,
        ),
        wordings=("Level", "Échelle", "Niveau"),
    ),
    Field(
        "unintended",
        "The change was unintended",
        ("Unintended",),
        "flag",
        norm.normalise_flag,
        label="unintended",
        shows=frozenset({DETAILS}),
        opendata=_one("unintended", "boolean or null"),
        values=("YES", "NO"),
        facet=Facet(
            "intent",
            "intents",
            folders.INTENT,
            chip=11,
            filter=10,
            search=True,
            chart=FacetChart(10, "intended-and-unintended-outcomes", "filter_intent"),
            label="filter_intent",
            tab=False,
            yes_no=("unintended", "intended"),
        ),
        wordings=("Unexpected", "Non intentionnel", "Inattendu"),
    ),
    Field(
        "negative",
        "Outcome is negative",
        ("Negative",),
        "flag",
        norm.normalise_flag,
        label="negative_outcome",
        shows=frozenset({DETAILS}),
        opendata=_one("negative", "boolean or null"),
        values=("YES", "NO"),
        facet=Facet(
            "polarity",
            "polarities",
            folders.POLARITY,
            chip=12,
            filter=11,
            search=True,
            chart=FacetChart(11, "positive-and-negative-outcomes", "filter_polarity"),
            label="filter_polarity",
            tab=False,
            yes_no=("negative", "positive"),
        ),
        wordings=("Négatif",),
    ),
    Field(
        "substantiation",
        "Substantiation",
        ("Substantiation status", "Substantiated"),
        "rating",
        norm.closed(SUBSTANTIATION, SUBSTANTIATION_SPELLINGS),
        label="substantiation",
        shows=frozenset({DETAILS}),
        opendata=_one("substantiation", "string or null"),
        values=SUBSTANTIATION,
        note="whether someone independent of the programme confirmed the outcome; French spellings are "
        "read too (vérifié, partiellement vérifié, non vérifié, pas encore vérifié)",
        facet=Facet(
            "substantiation",
            "substantiations",
            folders.SUBSTANTIATION,
            BY_VOCABULARY,
            chip=13,
            filter=12,
            search=True,
            chart=FacetChart(12, "outcomes-by-substantiation", "substantiation"),
            tab=False,
        ),
        wordings=("Verification", "Verified", "Corroboration", "Statut de la vérification"),
    ),
    # A role, never a name: who confirmed the outcome is a person the site must not name.
    Field(
        "substantiator",
        "Substantiated by (role)",
        ("Substantiator", "Substantiator role", "Substantiated by"),
        "label",
        norm.normalise_label,
        label="substantiated_by",
        shows=frozenset({DETAILS}),
        opendata=_one("substantiator", "string or null"),
        note='a role, never a name: who confirmed the outcome, such as "an independent journalist"; the site '
        "publishes it, so a person's name must not be written here",
        wordings=("Verified by", "Confirmed by", "Corroboré par", "Vérifié par", "Rôle du vérificateur"),
    ),
    Field(
        "related_outcomes",
        "Related outcomes",
        ("Related outcome IDs", "Builds on", "Effets liés"),
        "ids",
        norm.normalise_ids,
        label="builds_on",
        shows=frozenset({LINKS}),
        opendata=_one("related_outcomes", "array of strings"),
        wordings=("Related", "Linked outcomes", "Previous outcomes", "Effets reliés", "Effets précédents"),
    ),
    # The language the outcome's text is written in: its text is marked with it (lang) on a
    # page of the other language, and its list entries carry a language mark. Never translated.
    Field(
        "language",
        "Language",
        ("Langue", "Language of the outcome"),
        "language",
        norm.normalise_language,
        opendata=_one("language", "string or null"),
        values=tuple(code for code, _ in TEXT_LANGUAGES),
        note="the language the outcome is written in: en or fr (English, Français… are read too); "
        "left empty, the site's language",
        wordings=("Lang", "Text language", "Langue du texte", "Langue de rédaction"),
    ),
    # Read for the gate only (generator/privacy/gate.py): never published.
    Field(
        "confidential",
        "Outcome statements is CONFIDENTIAL",
        ("Outcome statement is confidential", "Confidential", "Confidentiality"),
        "confidentiality",
        norm.normalise_text,
        values=tuple(sorted(NOT_CONFIDENTIAL_VALUES)) + tuple(sorted(CONFIDENTIAL_VALUES)),
        wordings=("Private", "Sensitive", "Confidentiel", "Confidentialité"),
    ),
)


def _normaliser(entry: Field, vocabulary: norm.Vocabulary) -> Callable[[str], norm.Result]:
    """The normaliser of a field whose values a vocabulary names (objectives match by code too)."""
    if entry.kind == "objective":
        return norm.ObjectiveValues(vocabulary)
    return norm.VocabularyValues(vocabulary, several=entry.kind == "list")


def _values(entry: Field, vocabulary: norm.Vocabulary) -> tuple[str, ...]:
    """A vocabulary's values as the field reference lists them: "CIV: Less suppression…" for objectives."""
    if entry.kind == "objective":
        return tuple(f"{term.key}: {term.label('en')}" for term, _ in vocabulary.terms)
    return vocabulary.english


def facet_values(entry: Field, value: Any, language: str = "en") -> list[tuple[str, str]]:
    """(slug, visible name) of each value a field's normalised value gives its facet, by
    the field's kind; [] when the value is not given. The slug is the value's key in
    addresses, filters and list items: a vocabulary's Term gives its page slug (the same in
    every language and spelling: a country's follows its English name) and its label in
    `language`, the site's (theme.language)."""
    if value is None or value == "" or value == ():
        return []
    if isinstance(value, norm.Term):
        return [(value.page_slug, value.label(language))]
    if isinstance(value, tuple) and value and all(isinstance(item, norm.Term) for item in value):
        return [(item.page_slug, item.label(language)) for item in value]
    if entry.kind == "objective":
        return [(slugify(value.code), value.name_in(language))]
    if entry.kind == "links":  # the Results Framework's outputs
        return [("output-" + code.replace(".", "-"), code) for code in value.outputs]
    if entry.kind == "list":
        return [(slugify(item), item) for item in value]
    if entry.kind == "flag":  # its name: labelled_values()
        slug = (entry.facet.yes_no if entry.facet else ("yes", "no"))[0 if value else 1]
        return [(slug, slug)]
    if entry.kind == "year":
        return [(str(value), str(value))]
    return [(slugify(str(value)), str(value))]


def label_key(entry: Field, slug: str) -> str:
    """The labels.yml key of a value's name, for the kinds whose values labels name (Kind.labelled)."""
    return f"{entry.facet.name if entry.facet else entry.key}_{slug}"


def labelled_values(entry: Field, value: Any, labels: Mapping[str, Any], language: str = "en") -> list[tuple[str, str]]:
    """facet_values() with the names readers see: for a kind whose values labels name (a
    rating, a flag: Kind.labelled), the label "<facet>_<slug>" in the site's language
    ("Large", "Unintended"); the value as written where there is none."""
    values = facet_values(entry, value, language)
    if not KINDS[entry.kind].labelled:
        return values
    return [(slug, str(labels.get(label_key(entry, slug), name.capitalize()))) for slug, name in values]


def value_order(entry: Field) -> Callable[[str, str], tuple[Any, ...]]:
    """The sort key of a facet's values (slug, visible name), by its `sort`; "" (not given) last.
    BY_NAME compares names folded, as redaction folds them (accents and case do not matter)."""
    sort = entry.facet.sort if entry.facet else BY_KEY
    rank = {slugify(known): position for position, known in enumerate(entry.values)}

    def order(slug: str, name: str = "") -> tuple[Any, ...]:
        if sort == NEWEST_FIRST:
            return (slug == "", -int(slug) if slug.isdigit() else 0)
        if sort == BY_VOCABULARY:
            return (slug == "", rank.get(slug, len(rank)), slug)
        if sort == LARGEST_FIRST:
            return (slug == "", -rank.get(slug, -1), slug)
        if sort == BY_NAME:
            return (slug == "", words(name), slug)
        # digits as numbers: "harvest-2" before "harvest-10"
        return (slug == "", [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", slug)])

    return order


# Spellings a YES/NO field accepts (the reference shows them).
FLAG_VALUES = (tuple(sorted(YES_VALUES)), tuple(sorted(NO_VALUES)))


def field_key(name: str) -> str:
    """The matching key of a field or column name: folded as redaction folds text (case,
    accents, invisible characters, look-alike letters do not matter; see generator.privacy.redact),
    letters and digits of every script kept, everything else dropped. So "Fragment ID",
    "fragment_id" and "FragmentID " are one name, and so are "الاسم" and "ال اسم", while
    "الاسم" and "الشاهد" stay two."""
    return "".join(words(name))


@dataclass(frozen=True)
class FieldTable:
    """The fields, and every name each is known by (the table's own, plus a programme's
    from content/fields.yml), matched through field_key()."""

    fields: tuple[Field, ...] = FIELDS
    programme_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # field key → column names
    _by_name: Mapping[str, str] = field(init=False, repr=False, compare=False)
    # facets(place) of this table, worked out once per place: page code asks for them per
    # fragment and per listing (~20,000 times at 5,000 fragments), and the table never changes.
    _facets: dict[str, tuple[Field, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = sorted({entry.kind for entry in self.fields} - set(KINDS))
        if unknown:
            raise ValueError(f"fields of an unknown kind: {', '.join(unknown)} (add it to KINDS)")
        by_name: dict[str, str] = {}
        for entry in self.fields:
            for name in (*entry.names, *self.programme_names.get(entry.key, ())):
                if field_key(name):  # a name of no letter or digit would match every such column
                    by_name.setdefault(field_key(name), entry.key)
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_facets", {})

    def __iter__(self) -> Any:
        return iter(self.fields)

    def __getitem__(self, key: str) -> Field:
        for entry in self.fields:
            if entry.key == key:
                return entry
        raise KeyError(key)

    def key_for(self, name: str) -> str | None:
        """The field a column or `**Field**:` name stands for, or None if unknown."""
        key = field_key(name)
        return self._by_name.get(key) if key else None

    def known_names(self, key: str) -> tuple[str, ...]:
        return (*self[key].names, *self.programme_names.get(key, ()))

    def suggest(self, name: str) -> str | None:
        """The standard name of the field an unknown name most likely means: the field with
        that common wording ('What changed' → 'Outcome description'); else the first field of
        the table with a name or wording that starts with it, or that it starts with
        ('Contribution of' → 'Contribution of the programme'); else the closest spelling
        ('Evidance' → 'Evidence'). Wordings only suggest: key_for() never reads them."""
        wanted = field_key(name)
        if not wanted:
            return None
        for entry in self.fields:
            if any(field_key(wording) == wanted for wording in entry.wordings):
                return entry.name
        for entry in self.fields:
            keys = [field_key(known) for known in (*self.known_names(entry.key), *entry.wordings)]
            if any(key.startswith(wanted) or (len(key) >= 5 and wanted.startswith(key)) for key in keys):
                return entry.name
        standard: dict[str, str] = {}
        for entry in self.fields:
            for known in (*self.known_names(entry.key), *entry.wordings):
                standard.setdefault(field_key(known), entry.name)
        close = difflib.get_close_matches(wanted, list(standard), n=1, cutoff=0.75)
        return standard[close[0]] if close else None

    def with_vocabularies(self, vocabularies: Iterable[norm.Vocabulary]) -> FieldTable:
        """The same fields, the values of those a vocabulary names (content/vocabularies.yml:
        types of change, social actors, scale) normalised by it and listed in its order."""
        field_of = {section: key for section, key, _, _ in VOCABULARY_SECTIONS}
        by_key = {field_of[vocabulary.section]: vocabulary for vocabulary in vocabularies}
        return replace(
            self,
            fields=tuple(
                replace(
                    entry, normalise=_normaliser(entry, by_key[entry.key]), values=_values(entry, by_key[entry.key])
                )
                if entry.key in by_key
                else entry
                for entry in self.fields
            ),
        )

    def with_names(self, programme_names: Mapping[str, Iterable[str]]) -> FieldTable:
        """The same fields, also known by a programme's own column names."""
        return replace(self, programme_names={key: tuple(names) for key, names in programme_names.items()})

    @property
    def short_value_fields(self) -> tuple[str, ...]:
        """The keys of the fields whose values the leak guard looks for one by one (see Kind)."""
        return tuple(entry.key for entry in self.fields if entry.short_values)

    @property
    def not_as_written_fields(self) -> tuple[str, ...]:
        """The keys of the fields whose raw text is never published as written (see Kind)."""
        return tuple(entry.key for entry in self.fields if not entry.published_as_written)

    @property
    def id_field(self) -> str:
        """The key of the field that holds an outcome's ID."""
        return next(entry.key for entry in self.fields if entry.kind == "id")

    def where(self, place: str) -> tuple[Field, ...]:
        return tuple(entry for entry in self.fields if place in entry.shows)

    def facets(self, place: str) -> tuple[Field, ...]:
        """The fields whose facet shows at `place` ("chip", "filter", "chart"), in that
        place's order; "search": the filters that search has too; "browse": the facets with
        browse pages of their own in a folder, in the filters' order."""
        found = self._facets.get(place)
        if found is None:
            found = self._facets[place] = self._facets_at(place)
        return found

    def _facets_at(self, place: str) -> tuple[Field, ...]:
        faceted = [entry for entry in self.fields if entry.facet is not None]
        if place == "search":
            return tuple(entry for entry in self.facets("filter") if entry.facet and entry.facet.search)
        if place == "browse":
            return tuple(
                entry for entry in self.facets("filter") if entry.facet and entry.facet.folder and entry.kind != "links"
            )

        def position(entry: Field) -> int | None:
            value = getattr(entry.facet, place)
            return value.position if isinstance(value, FacetChart) else value

        return tuple(sorted((e for e in faceted if position(e) is not None), key=lambda e: position(e) or 0))

    def facet(self, name: str) -> Field:
        """The field of the facet `name` (a listing's kind)."""
        for entry in self.fields:
            if entry.facet is not None and entry.facet.name == name:
                return entry
        raise KeyError(name)

    @property
    def published(self) -> tuple[Field, ...]:
        return tuple(entry for entry in self.fields if entry.published)


DEFAULT_TABLE = FieldTable()
