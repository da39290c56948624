"""The confidentiality gate fails closed: only a clear 'not confidential' publishes."""

import pytest

from generator.errors import Location
from generator.model import RawRecord, RawValue
from generator.privacy import gate


def record(flag=None, fragment_id="A-1", description="Two villages share a well."):
    location = Location("f.csv", row=2)
    values = {
        "fragment_id": RawValue("FragmentID", fragment_id, location),
        "description": RawValue("Outcome description", description, location),
    }
    if flag is not None:
        values["confidential"] = RawValue("Confidential", flag, location)
    return RawRecord(location, values)


@pytest.mark.parametrize(
    "flag",
    [
        "0",
        "0.0",
        " 0 ",
        "\t0\n",
        "no\u00a0",
        "not  confidential",
        "no",
        "No",
        "NO",
        "no ",
        "N",
        "n",
        "FALSE",
        "false",
        "non",
        "Not confidential",
        "public",
    ],
)
def test_clear_not_confidential_publishes(flag):
    assert gate.hold_back_reason(record(flag)) is None


@pytest.mark.parametrize("flag", ["1", "1.0", "yes", "Yes", " Y", "yes ", "TRUE", "oui", "Confidential"])
def test_confidential_is_held_back(flag):
    assert gate.hold_back_reason(record(flag)) == gate.FLAGGED


@pytest.mark.parametrize("flag", ["", "   "])
def test_blank_is_held_back(flag):
    assert gate.hold_back_reason(record(flag)) == gate.BLANK


# Only the listed spellings publish: numbers that merely equal zero, other digits and
# look-alike characters are not recognised, so the fragment stays private.
@pytest.mark.parametrize(
    "flag",
    [
        "?",
        "tbc",
        "maybe",
        "0/1",
        "nope",
        "n/a",
        "-",
        "2",
        "-0",
        "00",
        "0.00",
        "0e0",
        "1e-400",
        "+0",
        "0x0",
        "\u0660",
        "\uff10",
        "٠",
        "no.",
        "n0",
        "no\u200b",
        "0\u200b",
        "f",
        "o",
        "faux",
        "none",
    ],
)
def test_unrecognised_is_held_back(flag):
    assert gate.hold_back_reason(record(flag)) == gate.UNRECOGNISED


def test_missing_field_is_held_back():
    assert gate.hold_back_reason(record(None)) == gate.MISSING


def test_no_id_is_held_back():
    assert gate.hold_back_reason(record("0", fragment_id="")) == gate.NO_ID


def test_ambiguous_record_is_held_back_whatever_its_flag():
    ambiguous = record("0")
    ambiguous.hold_back = "a line looks like a field but is not written as one"
    assert gate.hold_back_reason(ambiguous) == "a line looks like a field but is not written as one"


def test_split_counts_reasons_and_keeps_only_locations():
    result = gate.split_public([record("0"), record("1"), record(""), record("?"), record(None)])
    assert len(result.public) == 1
    assert dict(result.held_back) == {gate.FLAGGED: 1, gate.BLANK: 1, gate.UNRECOGNISED: 1, gate.MISSING: 1}
    assert all(isinstance(where, Location) for _, where in result.held_back_at)


@pytest.mark.parametrize("description", ["", "   ", "\n\t"])
def test_a_public_record_without_a_description_is_held_back(description):
    assert (
        gate.hold_back_reason(record("no", description=description)) == gate.NO_DESCRIPTION == "no outcome description"
    )
