"""Normalising messy values into a typed Fragment."""

import pytest

from generator.errors import InputError, Location
from generator.fields import DEFAULT_TABLE
from generator.model import Objective, RawRecord, RawValue
from generator.normalise.fragments import Normaliser, check_unique_ids
from generator.normalise.values import (
    FrameworkLinks,
    normalise_flag,
    normalise_objective,
    normalise_year,
    parse_results_framework,
    title_from_description,
)
from generator.privacy.redact import Redactor

canonical_field = DEFAULT_TABLE.key_for
normalise_change_types = DEFAULT_TABLE["change_types"].normalise


def record(path="f.csv", row=2, **values):
    location = Location(path, row=row)
    return RawRecord(location, {name: RawValue(name, text, location) for name, text in values.items()})


@pytest.mark.parametrize("name", ["coutnry", "Country", " COUNTRY ", "country  "])
def test_country_aliases(name):
    assert canonical_field(name) == "country"


@pytest.mark.parametrize(
    "name", ["FragmentID", "Fragment ID", "fragment_id", "Additional information (use if needed) ", "MCQType of change"]
)
def test_field_names_match_forgivingly(name):
    assert canonical_field(name) is not None


@pytest.mark.parametrize("text, year", [("2023", 2023), ("2023.0", 2023), (" 2023", 2023), ("", None)])
def test_year(text, year):
    assert normalise_year(text) == (year, None)


@pytest.mark.parametrize("text, hint", [("2021-2022", "is a range"), ("last year", "is not a year")])
def test_bad_year_explains(text, hint):
    value, problem = normalise_year(text)
    assert value is None and hint in problem


@pytest.mark.parametrize("text, value", [("YES", True), ("no", False), (" Yes ", True), ("N", False), ("", None)])
def test_yes_no_flags(text, value):
    assert normalise_flag(text) == (value, None)


@pytest.mark.parametrize(
    "text",
    [
        "Policy change  Legal change",
        "Policy change;Legal change",
        "Policy change, Legal change",
        "policy change ; LEGAL CHANGE",
        "Policy change\nLegal change",
    ],
)
def test_change_types_split_on_any_separator(text):
    types, problem = normalise_change_types(text)
    assert ([term.key for term in types], problem) == (["policy-change", "legal-change"], None)


def test_a_change_type_is_known_by_any_spelling_and_named_in_each_language():
    types, problem = normalise_change_types("behavior CHANGE; Changement de comportement, Sûreté et securite")
    assert problem is None
    assert [(term.key, term.label("en"), term.label("fr")) for term in types] == [
        ("behaviour-change", "Behaviour change", "Changement de comportement"),
        ("safety-and-security", "Safety and Security", "Sûreté et sécurité"),
    ]


def test_an_unknown_change_type_is_published_as_written_and_the_message_says_so():
    types, problem = normalise_change_types("Policy change  Weather change")
    assert [(term.key, term.label("fr")) for term in types] == [
        ("policy-change", "Changement de politique"),
        ("weather-change", "Weather change"),
    ]
    assert problem == (
        "'Weather change' is not in content/vocabularies.yml; published as a new type of change 'Weather change': "
        "add it to content/vocabularies.yml with its English and French labels, or correct the spelling"
    )


def test_a_misspelt_change_type_is_given_the_nearest_one():
    _, problem = normalise_change_types("Practise change")
    assert problem is not None and problem.endswith("or correct the spelling (did you mean 'Practice change'?)")


@pytest.mark.parametrize(
    "text, outcomes, outputs",
    [
        ("Outcome 1.4                                    Output 1.4.2", ("1.4",), ("1.4.2",)),
        ("Outcome 2.1; Output 2.1.1; Output 2.1.3", ("2.1",), ("2.1.1", "2.1.3")),
        ("Outcome 3.1\nOutput 3.1.2", ("3.1",), ("3.1.2",)),
        ("1.4.2", ("1.4",), ("1.4.2",)),
        ("Output 1.4.2", ("1.4",), ("1.4.2",)),
        ("", (), ()),
    ],
)
def test_results_framework_links(text, outcomes, outputs):
    assert parse_results_framework(text) == (FrameworkLinks(outcomes, outputs), [])


def test_unrecognised_output_code_is_warned():
    fragment, problems = Normaliser(known_outputs=frozenset({"1.4.2"}))(
        record(fragment_id="A-1", results_framework="Output 1.4.9", confidential="0")
    )
    assert fragment.output_codes == ("1.4.9",)
    assert [str(p) for p in problems] == [
        "f.csv, row 2, field 'results_framework': unrecognised output code '1.4.9': it is not in results-framework.yml"
    ]


def test_objective_code_and_label():
    assert normalise_objective("CIV: Less suppression of civic space") == (
        Objective("CIV", "Less suppression of civic space"),
        None,
    )


def test_title_is_first_sentence_shortened():
    assert title_from_description("Since 2023, X happened. Then more.", "A") == "Since 2023, X happened."
    long = "Since 2023, " + "very " * 40 + "long."
    title = title_from_description(long, "A")
    assert title.endswith("…") and len(title) <= 91


def test_title_never_carries_markup_characters():
    assert title_from_description("<b>Bold</b> & co", "A") == "‹b›Bold‹/b› ＆ co"


def test_normalise_full_record_and_warnings_name_file_row_field():
    fragment, problems = Normaliser(redact=Redactor(()))(
        record(
            fragment_id="SCC-SAH2508/CIV008",
            country=" Sahel ",
            year="2021-2022",
            description="Since 2023, the CBDDH improved protection.",
            results_framework="Outcome 1.4      Output 1.4.2",
            objective="CIV: Less suppression of civic space",
            change_types="Capacity change  Safety and Security",
            confidential="0",
        ),
    )
    assert fragment.slug == "scc-sah2508-civ008"
    assert fragment.country is not None and fragment.country.label() == "Sahel"
    assert fragment.output_codes == ("1.4.2",)
    assert [term.label() for term in fragment.change_types] == ["Capacity change", "Safety and Security"]
    assert [str(p) for p in problems] == [
        "f.csv, row 2, field 'year': '2021-2022' is a range, not a year; give the one year in which the change was seen"
    ]


def test_duplicate_id_names_both_places():
    first, second = record(row=2, fragment_id="A-1"), record(path="g.txt", row=None, fragment_id="A-1")
    with pytest.raises(InputError) as error:
        check_unique_ids([first, second], [first, second], "FragmentID")
    assert str(error.value) == (
        "g.txt, field 'FragmentID': fragment ID 'A-1' is used twice; it is also at f.csv, row 2 (give each fragment its own ID)"
    )


def test_duplicate_id_of_a_held_back_fragment_names_places_never_the_id():
    public, held_back = record(row=2, fragment_id="SECRET-7"), record(path="g.txt", row=None, fragment_id="SECRET-7")
    with pytest.raises(InputError) as error:
        check_unique_ids([public, held_back], [public], "FragmentID")
    message = str(error.value)
    assert "SECRET" not in message
    assert message == (
        "g.txt, field 'FragmentID': this fragment has the same ID as the one at f.csv, row 2 "
        "(one of them is held back, so the ID is not shown) (give each fragment its own ID)"
    )


def test_two_held_back_copies_of_an_id_are_not_an_error():
    first, second = record(row=2, fragment_id="S-1"), record(row=3, fragment_id="S-1")
    check_unique_ids([first, second], [], "FragmentID")


def test_redaction_is_case_insensitive_and_counted():
    redact = Redactor(("Amina Diallo",))
    assert redact("Met AMINA diallo and amina Diallo.") == "Met [redacted] and [redacted]."
    assert redact.count == 2
