"""Property tests: a valid export with confidential rows, mutated at random, never leaks.

Every cell of a confidential row (and every near-miss line added to a fragment) holds a
marker, CANARY-<n>-<field>; nothing public holds the word "canary". Mutations drop or insert
separators, quotes and line breaks, rename, shuffle and duplicate headers, change flag
spellings (a confidential row's flag only ever to a spelling that does not publish), and add
near-miss field lines. Whatever the build then does, refuse or publish, no marker may reach
the docs folder (contents or names), the printed report or an error message, and every
published ID must come from a public row.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.commands.report import print_report
from generator.errors import InputError
from generator.privacy.redact import fold_words
from generator.publish.build_types import BuildReport, Settings
from generator.publish.generate import generate
from generator.publish.sequence import build
from support import readable_text, scratch_project

# A project of the tests' own: no list, label or field name of the sample content/ applies.
SCRATCH = scratch_project("okb-leak-properties-")
PROJECT_CONFIG = SCRATCH / "mkdocs.yml"

FIELDS = ["FragmentID", "Outcome statements is CONFIDENTIAL", "Country", "Year", "Outcome description",
          "Significance of the outcome", "Internal notes"]  # fmt: skip
PUBLIC_ROWS = [
    ["P-1", "0", "Mali", "2023", "Women traders in Sikasso formed a market committee.", "Prices fell.", "call back"],
    ["P-2", "no", "Niger", "2022", "Herders and farmers in Tahoua agreed on a corridor.", "Fewer clashes.", ""],
    ["P-3", "FALSE", "Mali", "2021", "The radio station gave airtime to young women.", "", "ok"],
    ["P-4", "public", "Burkina Faso", "2023", "A council adopted a budget line for shelters.", "Large.", "x"],
]
CONFIDENTIAL_FLAGS = ["1", "yes", "Confidential"]
PUBLIC_IDS = {row[0] for row in PUBLIC_ROWS}
PUBLIC_VALUES = {cell for row in PUBLIC_ROWS for cell in row}


def confidential_row(n: int, flag: str) -> list[str]:
    """Every cell but the flag holds its own marker (twice, so one survives an inserted separator)."""
    cells = [f"CANARY-{n}-{field.split()[0].lower()}" for field in FIELDS]
    cells = [f"{cell} {cell}" if index > 3 else cell for index, cell in enumerate(cells)]
    cells[1] = flag
    cells[3] = f"CANARY-{n}-year"
    return cells


# Flag spellings. A confidential row only ever gets one that must hold it back.
HOLDING_FLAGS = ["1", "yes", "Y", "true", "oui", "-0", "00", "0e0", "1e-400", "0.00", "+0", "0,0", "\u0660", "\uff10",
                 "no.", "n o", "nope", "'0", "0\u200b", "\u041e", "", "  ", "tbc", "O", "N0", "confidential"]  # fmt: skip
ANY_FLAGS = HOLDING_FLAGS + ["0", " 0 ", "0.0", "NO", "No", "n", "FALSE", "non", "Public", "not confidential"]
HEADER_NAMES = {  # near misses and other names of each column, known or not
    "FragmentID": ["FragmentID", "fragmentid", "Fragment ID", "ID", "Outcome ID", "Fragment-ID", "Fragment Id "],
    "Outcome statements is CONFIDENTIAL": ["Confidential", "CONFIDENTIAL", "Confidentiality", "Confidental",
                                           "Outcome statement is confidential", "Confidential?", "Is confidential"],
    "Country": ["Country", "country", "coutnry", "Pays", "Location"],
    "Year": ["Year", "Année", "Yr"],
    "Outcome description": ["Outcome description", "Description", "Outcome statement", "Outcome  description"],
    "Significance of the outcome": ["Significance", "Significance of the outcome", "Signif."],
    "Internal notes": ["Internal notes", "Notes", "Contact", "Additional information", "Evidence"],
}  # fmt: skip
SEPARATORS = [",", ";", "\t", '"', "\n", '""', '"\n', ',"']


def scan(folder: Path) -> str:
    if not folder.exists():
        return ""
    return "\n".join(
        str(path.relative_to(folder)) + "\n" + (readable_text(path.read_bytes()) if path.is_file() else "")
        for path in sorted(folder.rglob("*"))
    )


def assert_no_marker(text: str, where: str) -> None:
    assert "canary" not in text.lower(), f"a marker of a confidential row reached {where}"
    assert "canary" not in fold_words(text), f"a marker of a confidential row reached {where}"


def published_ids(docs: Path) -> set[str]:
    return {item["fragment_id"] for item in json.loads((docs / "outcomes.json").read_text(encoding="utf-8"))}


def check_outcome(content: Path, out: Path, public_values: set[str], run=None) -> BuildReport | None:
    """Run the pipeline (generate() unless `run` is given) and check every branch: a refusal
    names the file it refuses, shows no marker and wrote nothing; a success writes and
    prints no marker, and publishes only public rows. Returns the report, or None for a refusal."""
    docs = out / "docs"
    try:
        report = (
            run(content, out)
            if run
            else generate(Settings(contents=[content], docs_dir=docs, config_file=PROJECT_CONFIG))
        )
    except InputError as error:
        event("refused")
        message = str(error)
        assert_no_marker(message, "the error message")
        refused = [path for path in content.iterdir() if message.startswith(str(path))]
        assert refused, f"the refusal names no file of the content: {message}"
        assert not any(path.is_file() for path in out.rglob("*")), "a refused input wrote files"
        return None
    event(f"built, {report.published} published")
    assert_no_marker(scan(out), "the output folders")
    printed = io.StringIO()
    print_report(report, printed)
    assert_no_marker(printed.getvalue(), "the printed report")
    assert (docs / "index.md").is_file()
    published = published_ids(docs)
    assert len(published) == report.published
    strays = {bare(i) for i in published} - {bare(v) for v in public_values}
    assert all(any(stray in line for line in public_lines(content)) for stray in strays), (
        "a published ID is no public row's value"
    )
    return report


def public_lines(content: Path) -> list[str]:
    """The content's lines that hold no marker, bare: a separator dropped after a public row's
    ID and another inserted further on moves the next cell's first letters into the ID
    ("P-2,Niger" to "P-2N,iger"), and it is still that row, whose line it is part of."""
    return [
        bare(line)
        for path in sorted(content.rglob("*"))
        if path.is_file()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if "canary" not in line.lower()
    ]


def bare(value: str) -> str:
    """An ID without delimiters, quotes and spaces: a mutation may put a stray one into a
    public row's ID, and it is still that row."""
    return re.sub(r"[,;\"'\t\s]", "", value)


def fresh(name: str) -> tuple[Path, Path]:
    folder = SCRATCH / name
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "content").mkdir(parents=True)
    return folder / "content", folder / "out"


# --------------------------------------------------------------------------- CSV exports


@st.composite
def mutated_exports(draw) -> str:
    """A valid export (4 public rows, 2–3 confidential ones, in any order), then mutated."""
    secrets = [
        confidential_row(n, draw(st.sampled_from(CONFIDENTIAL_FLAGS))) for n in range(1, draw(st.integers(2, 3)) + 1)
    ]
    rows = draw(st.permutations(PUBLIC_ROWS + secrets))
    rows = [list(row) for row in rows]
    header = list(FIELDS)
    # Flag spellings: any for a public row, only holding ones for a confidential row.
    for row in rows:
        if draw(st.booleans()):
            row[1] = draw(st.sampled_from(HOLDING_FLAGS if row[0].startswith("CANARY") else ANY_FLAGS))
    # Headers: other names, near misses, a duplicate, two names swapped, columns reordered.
    for index, name in enumerate(FIELDS):
        if draw(st.integers(0, 3)) == 0:
            header[index] = draw(st.sampled_from(HEADER_NAMES[name]))
    if draw(st.integers(0, 5)) == 0:
        a, b = draw(st.integers(0, len(header) - 1)), draw(st.integers(0, len(header) - 1))
        header[a] = header[b]
    if draw(st.integers(0, 4)) == 0:
        a, b = draw(st.integers(0, len(header) - 1)), draw(st.integers(0, len(header) - 1))
        header[a], header[b] = header[b], header[a]
    order = draw(st.permutations(range(len(header))))
    table = [[line[i] for i in order] for line in [header, *rows]]
    delimiter = draw(st.sampled_from([",", ",", ";", "\t"]))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(table)
    text = buffer.getvalue()
    if draw(st.integers(0, 4)) == 0:
        text = draw(st.sampled_from(["\n", f"sep={delimiter}\n", "\ufeff", " \n\n"])) + text
    # Separators and quotes dropped or inserted at random places.
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            places = [i for i, char in enumerate(text) if char in ',;\t"\n']
            if places:
                at = draw(st.sampled_from(places))
                text = text[:at] + text[at + 1 :]
        else:
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(SEPARATORS)) + text[at:]
    return text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_exports())
def test_a_mutated_export_never_shows_a_confidential_row(text):
    content, out = fresh("csv")
    (content / "export.csv").write_text(text, encoding="utf-8")
    check_outcome(content, out, PUBLIC_VALUES)


# --------------------------------------------------------------------------- text fragments

PUBLIC_FRAGMENT = [
    "**FragmentID**: T-1",
    "**Outcome statements is CONFIDENTIAL**: 0",
    "**Country**: Mali",
    "**Outcome description**: Since 2023 the market committee meets every month.",
    "It now sets the prices of grain.",
    "**Significance of the outcome**: Prices are fairer.",
]
CONFIDENTIAL_FRAGMENT = [
    "**FragmentID**: CANARY-9-id",
    "**Outcome statements is CONFIDENTIAL**: 1",
    "**Country**: CANARY-9-country",
    "**Outcome description**: CANARY-9-description CANARY-9-description",
    "CANARY-9-description continued",
    "**Significance of the outcome**: CANARY-9-significance",
]
# A near-miss field line: any indentation, bullet, emphasis and colon, a label with a
# private word (an unknown field: dropped, or a line that holds the fragment back).
INDENTS = ["", " ", "   ", "\t", "\u00a0", "- ", "* ", "+ ", "1. ", "-"]
PRIVATE_LABELS = ["Internal notes", "Contact", "Contacts", "Notes", "Confidential notes", "Private", "Interne",
                  "Do not publish", "Ne pas publier", "Contact Amina Diallo", "Note interne"]  # fmt: skip
SHAPES = ["**{}**:", "**{}:**", "__{}__:", "***{}***:", "**{}** :", "**{}**\uff1a", "{}:", "{} :", "{}\uff1a",
          "**{}:", "*{}*:", "_{}_:", "__{}:", "**{} :**"]  # fmt: skip


@st.composite
def near_miss_lines(draw, n: int) -> str:
    shape = draw(st.sampled_from(SHAPES)).format(draw(st.sampled_from(PRIVATE_LABELS)))
    return f"{draw(st.sampled_from(INDENTS))}{shape} CANARY-{n}-line call him on +227 90"


@st.composite
def mutated_fragments(draw) -> tuple[str, str]:
    public = list(PUBLIC_FRAGMENT)
    for n in range(draw(st.integers(1, 3))):
        public.insert(draw(st.integers(1, len(public))), draw(near_miss_lines(n)))
    secret = list(CONFIDENTIAL_FRAGMENT)
    secret[1] = "**Outcome statements is CONFIDENTIAL**: " + draw(st.sampled_from(HOLDING_FLAGS))
    for n in range(draw(st.integers(0, 2))):
        secret.insert(draw(st.integers(0, len(secret))), draw(near_miss_lines(10 + n)))
    secret_text = "\n".join(secret) + "\n"
    for _ in range(draw(st.integers(0, 4))):  # noise anywhere in the confidential file
        at = draw(st.integers(0, len(secret_text)))
        secret_text = (
            secret_text[:at]
            + draw(st.sampled_from(["*", "**", ":", "\n", " ", "_", "\uff1a", "\t"]))
            + secret_text[at:]
        )
    return "\n".join(public) + "\n", secret_text


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_fragments())
def test_near_miss_lines_and_a_mangled_confidential_fragment_never_show(texts):
    public, secret = texts
    content, out = fresh("txt")
    (content / "public.txt").write_text(public, encoding="utf-8")
    (content / "secret.txt").write_text(secret, encoding="utf-8")
    report = check_outcome(content, out, {"T-1"})
    if report is not None:
        assert published_ids(out / "docs") <= {"T-1"}


# --------------------------------------------------------------------------- full builds


def full_build(content: Path, out: Path) -> BuildReport:
    return build(Settings(contents=[content], docs_dir=out / "docs"), PROJECT_CONFIG, out / "site")


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_exports(), mutated_fragments())
def test_full_builds_of_mutated_input_never_leak_into_the_site_or_its_search_index(text, texts):
    content, out = fresh("full")
    (content / "export.csv").write_text(text, encoding="utf-8")
    (content / "public.txt").write_text(texts[0], encoding="utf-8")
    (content / "secret.txt").write_text(texts[1], encoding="utf-8")
    report = check_outcome(content, out, PUBLIC_VALUES | {"T-1"}, run=full_build)
    if report is not None:
        index_files = [path for path in (out / "site").rglob("*") if path.suffix.startswith(".pf_")]
        # the index was scanned; with nothing public (every row held back) it holds nothing at all
        assert bool(index_files) == bool(report.published), (report.published, index_files)
