"""Property tests: random values and flags never crash the build and never leak a held-back fragment.

Each example ends one of two ways, and both are checked: the input is refused with a
message that names the file and nothing is written, or exactly the public rows are
published and nothing of a held-back row is anywhere in the output.
"""

import atexit
import csv
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.normalise.vocabulary import CONFIDENTIAL_VALUES, NOT_CONFIDENTIAL_VALUES
from generator.publish.build_types import BuildReport, Settings
from generator.publish.generate import generate
from generator.publish.sequence import build
from support import ONE_LANGUAGE_CONFIG, one_language_settings, readable_text

HEADER = [
    "FragmentID", "Confidential", "Country", "Year", "Outcome description", "Significance of the outcome",
    "Link to SCC Specific Objectives", "MCQType of change", "Link to Outcomes in Results Framework", "Outcome is negative",
]  # fmt: skip

DESCRIPTION = HEADER.index("Outcome description") - 2  # among a row's texts (after ID and flag)

flags = st.one_of(
    st.sampled_from(
        sorted(NOT_CONFIDENTIAL_VALUES | CONFIDENTIAL_VALUES | {"", " ", "?", "tbc", "0.0", "1.0", " No ", "FALSE"})
    ),
    st.text(max_size=6),
)
values = st.text(max_size=40)
row = st.tuples(flags, values, values, values, values, values, values, values, values)


def is_public(flag: str) -> bool:
    """Exactly the gate's rule: only the listed spellings publish (numbers like 0e0 do not)."""
    return " ".join(flag.split()).lower() in NOT_CONFIDENTIAL_VALUES


def write_csv(folder: Path, rows) -> tuple[list[str], set[str]]:
    """Rows of random values; every held-back row's values carry a marker. Returns the
    markers and the IDs of the public rows."""
    markers, public = [], set()
    with open(folder / "export.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, (flag, *texts) in enumerate(rows):
            described = bool(texts[DESCRIPTION].strip())
            if is_public(flag) and described:
                public.add(f"ID-{number}")
            else:  # flagged, or public but with no description (held back all the same)
                marker = f"HELDBACK{number}X"
                markers.append(marker)
                texts = [
                    f"{text} {marker}" if n != DESCRIPTION or not is_public(flag) else text
                    for n, text in enumerate(texts)
                ]
            writer.writerow([f"ID-{number}", flag, *texts])
    return markers, public


SCRATCH = Path(tempfile.mkdtemp(prefix="okb-properties-"))
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)


@dataclass
class Outcome:
    """One example's end: the output folder, what must not be in it, and either the report
    or the message of the refusal."""

    out: Path
    markers: list[str]
    public_ids: set[str]
    report: BuildReport | None = None
    refusal: str = ""


def run_on_random_rows(rows, step) -> Outcome:
    """Write the rows as content and run `step(content, output)`, which may refuse the input."""
    tmp = SCRATCH / "example"
    shutil.rmtree(tmp, ignore_errors=True)  # one folder, reused by every example
    (tmp / "content").mkdir(parents=True)
    (tmp / "out").mkdir()
    markers, public_ids = write_csv(tmp / "content", rows)
    outcome = Outcome(tmp / "out", markers, public_ids)
    try:
        outcome.report = step(tmp / "content", tmp / "out")
    except InputError as error:  # a clear, located message is an acceptable answer to random input
        outcome.refusal = str(error)
    return outcome


def assert_no_marker(folder: Path, markers: list[str]) -> None:
    text = "\n".join(str(p) + (readable_text(p.read_bytes()) if p.is_file() else "") for p in sorted(folder.rglob("*")))
    for marker in markers:
        assert marker not in text


def assert_refused_cleanly(outcome: Outcome) -> None:
    """A refusal names the file (and row or field), shows no held-back value, writes nothing."""
    event("refused")
    assert outcome.refusal.startswith(str(SCRATCH / "example" / "content" / "export.csv")), outcome.refusal
    assert not any(marker in outcome.refusal for marker in outcome.markers)
    assert not any(path.is_file() for path in outcome.out.rglob("*")), "a refused input wrote files"


def assert_published_exactly_the_public_rows(outcome: Outcome) -> None:
    assert outcome.report is not None
    event(f"{outcome.report.published} published")
    assert outcome.report.published == len(outcome.public_ids)
    assert sum(outcome.report.held_back.values()) == len(outcome.markers)
    records = json.loads((outcome.out / "docs" / "outcomes.json").read_text(encoding="utf-8"))
    assert {record["fragment_id"] for record in records} == outcome.public_ids


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=6))
def test_generated_pages_never_hold_held_back_text_and_front_matter_stays_valid(rows):
    outcome = run_on_random_rows(
        rows, lambda content, out: generate(Settings(contents=[content], docs_dir=out / "docs"))
    )
    assert_no_marker(outcome.out, outcome.markers)  # whatever happened, nothing held back was written
    if outcome.refusal:
        assert_refused_cleanly(outcome)
        return
    assert_published_exactly_the_public_rows(outcome)
    docs = outcome.out / "docs"
    assert (docs / "index.md").is_file()
    for page in docs.rglob("*.md"):
        front = page.read_text(encoding="utf-8").split("---\n")[1]
        assert isinstance(yaml.safe_load(front), dict)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=2, max_size=4))
def test_full_builds_of_random_input_pass_and_never_leak(rows):
    outcome = run_on_random_rows(
        rows,
        # One language (the generation properties are not about languages): half the engine's work.
        lambda content, out: build(
            one_language_settings(contents=[content], docs_dir=out / "docs"), ONE_LANGUAGE_CONFIG, out / "site"
        ),
    )
    assert_no_marker(outcome.out, outcome.markers)  # the site, its search index and the docs folder
    if outcome.refusal:
        assert_refused_cleanly(outcome)
        return
    assert_published_exactly_the_public_rows(outcome)
    site = outcome.out / "site"
    assert (site / "index.html").is_file()
    for fragment_id in outcome.public_ids:
        assert (site / "fragments" / fragment_id.lower() / "index.html").is_file()
