"""`python -m generator fields`: the field reference, printed from the table of fields and
the project's own vocabularies (content/vocabularies.yml as read)."""

from __future__ import annotations

from pathlib import Path

from generator.commands.output import Output
from generator.fields import DEFAULT_TABLE, DETAILS, FACET, LINKS, SECTION, FieldTable
from generator.normalise.places import places as known_places
from generator.normalise.values import ObjectiveValues, VocabularyValues
from generator.normalise.vocabulary import NOT_CONFIDENTIAL_VALUES, VOCABULARIES_FILE
from generator.read.vocabularies import read_vocabularies


def project_table(config_file: Path) -> FieldTable:
    """The table of fields with the project's vocabularies (the content/ beside the settings
    file, as the other commands read it): what `fields` lists. A broken file stops it, as
    it stops a build (InputError)."""
    path = config_file.resolve().parent / "content" / VOCABULARIES_FILE
    return DEFAULT_TABLE.with_vocabularies(read_vocabularies(path)) if path.is_file() else DEFAULT_TABLE


def print_fields(table: FieldTable, out: Output) -> None:
    """The field reference: generated from the table, so it cannot drift from the code."""
    places = {
        SECTION: "a section of the outcome's page",
        DETAILS: "the Details table of its page",
        FACET: "a tag at the top of its page, with a page listing every outcome that has the same value",
        LINKS: (
            "links on its page under 'Builds on', and on each listed outcome's page under 'Led to'"
            " (IDs separated by commas, semicolons, spaces or new lines; only published outcomes are"
            " linked, any other ID is left out)"
        ),
    }
    for entry in table:
        print(entry.name, file=out)
        others = [name for name in table.known_names(entry.key) if name != entry.name]
        if others:
            print("  also known as: " + ", ".join(others), file=out)
        if isinstance(entry.normalise, (VocabularyValues, ObjectiveValues)):
            print(
                f"  values (from {entry.normalise.vocabulary.source}; any other is published as written, "
                "with a warning): " + ", ".join(entry.values),
                file=out,
            )
        elif entry.values:
            print("  accepted values: " + ", ".join(entry.values), file=out)
        if entry.kind == "place":
            regions = ", ".join(
                term.label("en") for key, term in known_places().terms.items() if key not in known_places().countries
            )
            print(
                "  accepted values: a country, in any common spelling, English or French (Cameroun, Ivory Coast, RDC), "
                f"shown by its short name in the site's language; or a region: {regions}. "
                "Any other value is published as written, and check warns about it",
                file=out,
            )
        if entry.key == "confidential":
            print(
                "  published: never; decides whether the outcome is published: only "
                + ", ".join(sorted(NOT_CONFIDENTIAL_VALUES))
                + " publish it (any case); anything else, "
                "blank included, holds it back",
                file=out,
            )
            continue
        if entry.note:
            print("  note: " + entry.note, file=out)
        facet = entry.facet
        if facet is None:
            where = [places[place] for place in (SECTION, DETAILS, FACET, LINKS) if place in entry.shows]
        else:  # the field table's facet says where readers find outcomes by its value
            where = [places[place] for place in (SECTION, DETAILS) if place in entry.shows]
            where += [
                text
                for text, shown in (
                    ("a tag at the top of its page", facet.chip is not None),
                    ("a filter of the lists of outcomes" + (" and of search" if facet.search else ""), facet.filter),
                    ("a page listing every outcome that has the same value", facet.folder),
                    ("a chart on the dashboard", facet.chart),
                )
                if shown
            ]
        columns = ", ".join(column.name for column in entry.opendata)
        if columns:
            where.append(f"the open data (outcomes.csv and outcomes.json: {columns})")
        print("  published in: " + ("; ".join(where) if where else "nowhere"), file=out)
