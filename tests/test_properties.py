"""Property tests: random values and flags never crash the build and never leak a held-back fragment."""
import csv
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import CONFIG
from generator.errors import InputError
from generator.pipeline import Settings, build, generate
from generator.vocabulary import CONFIDENTIAL_VALUES, NOT_CONFIDENTIAL_VALUES

HEADER = [
    "FragmentID", "Confidential", "Country", "Year", "Outcome description", "Significance of the outcome",
    "Link to SCC Specific Objectives", "MCQType of change", "Link to Outcomes in Results Framework", "Outcome is negative",
]  # fmt: skip

flags = st.one_of(
    st.sampled_from(sorted(NOT_CONFIDENTIAL_VALUES | CONFIDENTIAL_VALUES | {"", " ", "?", "tbc", "0.0", "1.0", " No ", "FALSE"})),
    st.text(max_size=6),
)
values = st.text(max_size=40)
row = st.tuples(flags, values, values, values, values, values, values, values, values)


def is_public(flag: str) -> bool:
    text = " ".join(flag.split()).lower()
    if text in NOT_CONFIDENTIAL_VALUES:
        return True
    try:
        return float(text) == 0.0
    except ValueError:
        return False


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


def site_text(folder: Path) -> str:
    return "\n".join(
        str(p) + (p.read_text(encoding="utf-8", errors="replace") if p.is_file() else "") for p in sorted(folder.rglob("*"))
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=6))
def test_generated_pages_never_hold_held_back_text_and_front_matter_stays_valid(rows):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "content").mkdir()
        markers = write_csv(tmp / "content", rows)
        try:
            generate(Settings(contents=[tmp / "content"], docs_dir=tmp / "docs"))
        except InputError:
            return  # a clear, located message is an acceptable answer to random input
        text = site_text(tmp / "docs")
        for marker in markers:
            assert marker not in text
        for page in (tmp / "docs").rglob("*.md"):
            front = page.read_text(encoding="utf-8").split("---\n")[1]
            assert isinstance(yaml.safe_load(front), dict)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=2, max_size=4))
def test_full_builds_of_random_input_pass_and_never_leak(rows):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "content").mkdir()
        markers = write_csv(tmp / "content", rows)
        try:
            build(Settings(contents=[tmp / "content"], docs_dir=tmp / "docs"), CONFIG, tmp / "site")
        except InputError:
            return
        text = site_text(tmp / "site")
        for marker in markers:
            assert marker not in text
