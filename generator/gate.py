"""The confidentiality gate. It fails closed.

A fragment passes only when its confidentiality flag clearly says "not confidential".
It runs on raw records, before anything is derived from them, so nothing of a
held-back fragment (not even a warning about one of its values) goes further.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.errors import Location
from generator.model import RawRecord
from generator.vocabulary import CONFIDENTIAL_VALUES, NOT_CONFIDENTIAL_VALUES

# Reasons for holding a fragment back, as the report shows them.
FLAGGED = "flagged confidential"
BLANK = "confidentiality flag is blank"
MISSING = "no confidentiality field"
UNRECOGNISED = "confidentiality flag not recognised"
NO_ID = "no fragment ID"

# What an editor can do about each reason (shown in the report).
WHAT_TO_DO = {
    FLAGGED: "",
    BLANK: "to publish, write 0 or no in the confidentiality field; 1 or yes keeps it private",
    MISSING: "add the field 'Outcome statements is CONFIDENTIAL' with 0 or no to publish",
    UNRECOGNISED: "write 0 or no to publish, 1 or yes to keep private",
    NO_ID: "give the fragment an ID in the FragmentID field",
}


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0.0
    except ValueError:
        return False


def hold_back_reason(record: RawRecord) -> str | None:
    """None when the record may be published, otherwise why it is held back."""
    if "confidential" not in record.values:
        return MISSING
    flag = " ".join(record.text("confidential").split()).lower()
    if not flag:
        return BLANK
    if flag in CONFIDENTIAL_VALUES or (flag not in NOT_CONFIDENTIAL_VALUES and _is_nonzero_number(flag)):
        return FLAGGED
    if flag in NOT_CONFIDENTIAL_VALUES or _is_zero(flag):
        if not record.text("fragment_id"):
            return NO_ID
        return None
    return UNRECOGNISED


def _is_nonzero_number(text: str) -> bool:
    try:
        return float(text) != 0.0
    except ValueError:
        return False


@dataclass
class GateResult:
    public: list[RawRecord]
    held_back: Counter = field(default_factory=Counter)  # reason → count
    held_back_at: list[tuple[str, Location]] = field(default_factory=list)  # reason, where: no content


def split_public(records: list[RawRecord]) -> GateResult:
    result = GateResult(public=[])
    for record in records:
        reason = hold_back_reason(record)
        if reason is None:
            result.public.append(record)
        else:
            result.held_back[reason] += 1
            result.held_back_at.append((reason, record.location))
    return result
