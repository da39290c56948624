"""The confidentiality gate. It fails closed.

A fragment passes only when its confidentiality flag is, exactly, one of the listed
"not confidential" spellings (case and surrounding spaces aside). Every other value,
including numbers that only look like zero (-0, 00, 0e0, 1e-400), is held back; so is a
fragment with no ID or no outcome description (it would be an empty page). It runs
on raw records, before anything is derived from them, so nothing of a held-back
fragment (not even a warning about one of its values) goes further.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.errors import Location
from generator.model import RawRecord
from generator.normalise.vocabulary import CONFIDENTIAL_VALUES, NOT_CONFIDENTIAL_VALUES

# Reasons for holding a fragment back, as the report shows them.
FLAGGED = "flagged confidential"
BLANK = "confidentiality flag is blank"
MISSING = "no confidentiality field"
UNRECOGNISED = "confidentiality flag not recognised"
NO_ID = "no fragment ID"
NO_DESCRIPTION = "no outcome description"

# What an editor can do about each reason (shown in the report).
WHAT_TO_DO = {
    FLAGGED: "",
    BLANK: "to publish, write 0 or no in the confidentiality field; 1 or yes keeps it private",
    MISSING: "add the field 'Outcome statements is CONFIDENTIAL' with 0 or no to publish",
    UNRECOGNISED: "write exactly 0 or no to publish, 1 or yes to keep private",
    NO_ID: "give the fragment an ID in the FragmentID field",
    NO_DESCRIPTION: "write what changed in the field 'Outcome description', or map the column that holds it in content/fields.yml",
}


def flag_text(record: RawRecord) -> str:
    """The flag as compared: runs of spaces as one space, lower case. Nothing else is forgiven."""
    return " ".join(record.text("confidential").split()).lower()


def hold_back_reason(record: RawRecord) -> str | None:
    """None when the record may be published, otherwise why it is held back."""
    if record.hold_back:
        return record.hold_back
    if "confidential" not in record.values:
        return MISSING
    flag = flag_text(record)
    if not flag:
        return BLANK
    if flag in CONFIDENTIAL_VALUES:
        return FLAGGED
    if flag not in NOT_CONFIDENTIAL_VALUES:
        return UNRECOGNISED
    if not record.text("fragment_id").strip():
        return NO_ID
    if not record.text("description").strip():
        return NO_DESCRIPTION  # an outcome is its description: never an empty page
    return None


@dataclass
class GateResult:
    public: list[RawRecord]
    held_back_records: list[RawRecord] = field(default_factory=list)  # for the guard only: never printed
    held_back: Counter[str] = field(default_factory=Counter)  # reason → count
    held_back_at: list[tuple[str, Location]] = field(default_factory=list)  # reason, where: no content


def split_public(records: list[RawRecord]) -> GateResult:
    result = GateResult(public=[])
    for record in records:
        reason = hold_back_reason(record)
        if reason is None:
            result.public.append(record)
        else:
            result.held_back_records.append(record)
            result.held_back[reason] += 1
            result.held_back_at.append((reason, record.location))
    return result
