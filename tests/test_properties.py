"""Property tests: random values and flags never crash the build and never leak a held-back fragment."""

import atexit
import csv
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import InputError
from generator.pipeline import Settings, build, generate
from generator.vocabulary import CONFIDENTIAL_VALUES, NOT_CONFIDENTIAL_VALUES
from support import CONFIG, readable_text

HEADER = [
    "FragmentID", "Confidential", "Country", "Year", "Outcome description", "Significance of the outcome",
    "Link to SCC Specific Objectives", "MCQType of change", "Link to Outcomes in Results Framework", "Outcome is negative",
]  # fmt: skip

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


def write_csv(folder: Path, rows) -> list[str]:
    """Rows of random values; every held-back row's values carry a marker. Returns the markers."""
    markers = []
    with open(folder / "export.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, (flag, *texts) in enumerate(rows):
            if not is_public(flag):
                marker = f"HELDBACK{number}X"
                markers.append(marker)
                texts = [f"{text} {marker}" for text in texts]
            writer.writerow([f"ID-{number}", flag, *texts])
    return markers


SCRATCH = Path(tempfile.mkdtemp(prefix="okb-properties-"))
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)


def run_on_random_rows(rows, step) -> tuple[Path, list[str], str]:
    """Write the rows as content, run `step(content, output)`: the output folder, the markers
    of held-back rows, and the message if the input was refused ("" if it was not)."""
    tmp = SCRATCH / "example"
    shutil.rmtree(tmp, ignore_errors=True)  # one folder, reused by every example
    (tmp / "content").mkdir(parents=True)
    (tmp / "out").mkdir()
    markers = write_csv(tmp / "content", rows)
    try:
        step(tmp / "content", tmp / "out")
    except InputError as error:  # a clear, located message is an acceptable answer to random input…
        return tmp / "out", markers, str(error) or "refused"
    return tmp / "out", markers, ""


def assert_no_marker(folder: Path, markers: list[str]) -> None:
    text = "\n".join(str(p) + (readable_text(p.read_bytes()) if p.is_file() else "") for p in sorted(folder.rglob("*")))
    for marker in markers:
        assert marker not in text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=6))
def test_generated_pages_never_hold_held_back_text_and_front_matter_stays_valid(rows):
    docs, markers, refusal = run_on_random_rows(
        rows, lambda content, out: generate(Settings(contents=[content], docs_dir=out / "docs"))
    )
    assert_no_marker(docs, markers)  # whatever happened, nothing held back was written
    if refusal:  # … that names no held-back value
        assert not any(marker in refusal for marker in markers)
        return
    assert (docs / "docs" / "index.md").is_file()
    for page in (docs / "docs").rglob("*.md"):
        front = page.read_text(encoding="utf-8").split("---\n")[1]
        assert isinstance(yaml.safe_load(front), dict)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=2, max_size=4))
def test_full_builds_of_random_input_pass_and_never_leak(rows):
    out, markers, refusal = run_on_random_rows(
        rows, lambda content, out: build(Settings(contents=[content], docs_dir=out / "docs"), CONFIG, out / "site")
    )
    assert_no_marker(out, markers)
    if refusal:
        assert not any(marker in refusal for marker in markers) and not (out / "site").exists()
    else:
        assert (out / "site" / "index.html").is_file()
