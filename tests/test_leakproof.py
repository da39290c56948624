"""Leak-proof by construction: an adversarial suite, one group per class of attack.

Every cell, line or name that belongs to a held-back (confidential) fragment or is on the
redaction list carries a marker (CANARY…, or the name Amina Diallo), and each test checks
that no marker reaches what a user or a visitor can see: the docs folder, the built site
(file names included), the report `check` and `build` print, and stderr. When the product
refuses the input instead, the test checks the refusal: exit status 1, a message naming
the file and the line or row, and the previous site left exactly as it was.

Full builds are used only where the built site is the subject; everything else runs
`check` or generate(), which read the same way.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import io
import json
import logging
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from generator import cli
from generator.errors import BuildError
from generator.pages import feed
from generator.privacy.redact import fold_words
from generator.privacy.site_check import check_for_leaks
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import ENGINE_COMMAND, ROOT, one_language_config_text, readable_text, scratch_project, write_fragment

# --------------------------------------------------------------------------- helpers

# A project of the suite's own (mkdocs.yml, the templates, an empty content/ folder), so that
# no list, label or field name of the sample content/ folder applies to these tests.
PROJECT = scratch_project("okb-leakproof-")
PROJECT_CONFIG = PROJECT / "mkdocs.yml"


@dataclass
class Run:
    """What a user sees of one command: its exit status, stdout, and stderr with every log line."""

    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + "\n" + self.err


def run(*argv: str) -> Run:
    """`python -m generator ARGV`, in this process (much faster than a subprocess), with the
    suite's own project unless ARGV gives --config."""
    if "--config" not in argv:
        argv = (argv[0], "--config", str(PROJECT_CONFIG), *argv[1:])
    out, err = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(err)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(list(argv))
    finally:
        root.removeHandler(handler)
    return Run(code, out.getvalue(), err.getvalue())


def gen(*contents: Path, docs: Path, write: bool = True, config: Path = PROJECT_CONFIG):
    """generate(): read the content and write the docs folder, as `python -m generator generate`."""
    return generate(Settings(contents=list(contents), docs_dir=docs, config_file=config), write=write)


def tree_text(*folders: Path) -> str:
    """Every file and folder name under the folders, and every file's text (gunzipped)."""
    parts = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            parts.append(str(path.relative_to(folder)))
            if path.is_file() and not path.is_symlink():
                parts.append(readable_text(path.read_bytes()))
    return "\n".join(parts)


def digest(folder: Path) -> dict[str, str]:
    """Every file of a folder by path, as a hash of its bytes: equal digests, identical folders."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        for path in sorted(folder.rglob("*"))
    }


def assert_absent(text: str, *markers: str, folded: str | None = None) -> None:
    """No marker in text, whatever its case, accents, separators or invisible characters.
    `folded`: fold_words(text), when the caller has it already."""
    folded = f" {fold_words(text) if folded is None else folded} "
    lower = text.lower()
    for marker in markers:
        assert marker.lower() not in lower, marker
        assert f" {fold_words(marker)} " not in folded, marker


# A file's text and its fold_words, by the file's bytes: the theme's style sheets and
# scripts (3 MB, most of a site) are the same in every build and are folded once.
_TEXTS: dict[bytes, tuple[str, str]] = {}


def assert_absent_from_tree(*folders: Path, markers: tuple[str, ...]) -> None:
    """assert_absent on every file and folder name under the folders and every file's text
    (gunzipped), as on tree_text(*folders), naming the file that holds a marker."""
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            name = str(path.relative_to(folder))
            assert_absent(name, *markers)
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                key = hashlib.sha256(data).digest()
                if key not in _TEXTS:
                    text = readable_text(data)
                    _TEXTS[key] = (text, fold_words(text))
                text, folded = _TEXTS[key]
                try:
                    assert_absent(text, *markers, folded=folded)
                except AssertionError as error:
                    raise AssertionError(f"{name}: {error}") from None


def published_ids(docs: Path) -> set[str]:
    """The IDs the open data publishes (docs/outcomes.json)."""
    return {item["fragment_id"] for item in json.loads((docs / "outcomes.json").read_text(encoding="utf-8"))}


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory) -> Path:
    """A site already online: a refused build must leave it byte for byte as it is."""
    tmp = tmp_path_factory.mktemp("previous")
    (tmp / "content").mkdir()
    write_fragment(tmp / "content", "old1", Outcome_description="The site as it was before the bad build.")
    result = run(
        "build", "--content", str(tmp / "content"), "--site-dir", str(tmp / "site"), "--docs-dir", str(tmp / "docs")
    )
    assert result.code == 0, result.err
    return tmp / "site"


def refused_build(content: Path, site: Path, docs: Path) -> Run:
    """A build that must be refused: exit 1, 'Error: …', and the previous site untouched."""
    before = digest(site)
    result = run("build", "--content", str(content), "--site-dir", str(site), "--docs-dir", str(docs))
    assert result.code == 1, result.text
    assert result.err.startswith("Error: "), result.err
    assert "Nothing was published: the previous site is as it was." in result.err
    assert digest(site) == before
    return result


# ===================================================================== 1. strict CSV

HEADER = ["FragmentID", "Confidential", "Country", "Year", "Outcome description"]
PUBLIC_1 = "P-1,0,Mali,2023,Women traders in Sikasso formed a committee.\n"
PUBLIC_3 = "P-3,no,Niger,2022,Herders in Tahoua agreed on a corridor.\n"
SECRET_2 = "CANARYID2,1,Canaryland,2023,CANARYDESC the envoy met the militia.\n"
CSV_MARKERS = ("CANARYID2", "Canaryland", "CANARYDESC")
CSV_HEAD = ",".join(HEADER) + "\n"
HUGE = "x" * 2_000_001

# name → (file text, the message a user sees, after "Error: <path>")
CSV_REFUSALS = {
    "unclosed quote swallowing a confidential row": (
        CSV_HEAD + 'P-1,0,Mali,2023,"Women traders\n' + SECRET_2 + PUBLIC_3,
        ", line 2: row 2 has a quote that is never closed: the file ends inside a quoted cell",
    ),
    "unclosed quote in the confidential row": (
        CSV_HEAD + PUBLIC_1 + 'CANARYID2,1,Canaryland,2023,"CANARYDESC the envoy\n' + PUBLIC_3,
        ", line 3: row 3 has a quote that is never closed: the file ends inside a quoted cell",
    ),
    "stray unquoted comma shifts a NO into the flag column": (
        "FragmentID,Country,Confidential,Year,Outcome description\n"
        "P-1,Mali,0,2023,Women traders formed a committee.\n"
        "CANARYID2,Canaryland, no access,1,2023,CANARYDESC the envoy met the militia.\n",
        ", line 3: row 3 has 6 cells but the header row has 5",
    ),
    "ragged row with fewer cells": (
        CSV_HEAD + PUBLIC_1 + "CANARYID2,1,Canaryland\n" + PUBLIC_3,
        ", line 3: row 3 has 3 cells but the header row has 5",
    ),
    "ragged row with more cells": (
        CSV_HEAD + PUBLIC_1 + "CANARYID2,1,Canaryland,2023,CANARYDESC,extra\n" + PUBLIC_3,
        ", line 3: row 3 has 6 cells but the header row has 5",
    ),
    "quote closed a row later in the same column": (
        CSV_HEAD + 'P-1,0,"Mali,2023,Women traders\nCANARYID2,1,Canaryland",2023,CANARYDESC the envoy\n' + PUBLIC_3,
        ", line 2, field 'Country': a quoted cell in row 2 seems to contain other rows (check the quotes around line 2)",
    ),
    "quote in the last column closed after the confidential row": (
        CSV_HEAD + 'P-1,0,Mali,2023,"Women traders\n' + SECRET_2 + 'P-3,no,Niger,2022,Herders"\n',
        ", line 2, field 'Outcome description': a quoted cell in row 2 seems to contain other rows",
    ),
    "text after a closing quote": (
        CSV_HEAD + PUBLIC_1 + 'CANARYID2,1,Canaryland,2023,"CANARYDESC" the envoy\n',
        ", line 3: row 3 has text right after the closing quote of a cell",
    ),
    "sep= line, then a ragged row: lines still counted from the top": (
        "sep=;\n\n" + CSV_HEAD.replace(",", ";") + PUBLIC_1.replace(",", ";") + "CANARYID2;1;Canaryland\n",
        ", line 5: row 3 has 3 cells but the header row has 5",
    ),
    "huge cell": (
        CSV_HEAD + PUBLIC_1 + f'CANARYID2,1,Canaryland,2023,"CANARYDESC {HUGE}"\n',
        ", row 3, field 'Outcome description': the cell has 2,000,012 characters, more than the 2,000,000 allowed",
    ),
}


class TestStrictCsv:
    """A CSV file that does not parse cleanly is refused, naming file and line; one that
    does is read exactly. Either way no cell of a confidential row is shown."""

    @pytest.mark.parametrize("case", CSV_REFUSALS, ids=list(CSV_REFUSALS))
    def test_check_refuses_a_broken_export_naming_file_and_line(self, tmp_path, case):
        text, message = CSV_REFUSALS[case]
        path = tmp_path / "export.csv"
        path.write_text(text, encoding="utf-8")
        result = run("check", "--content", str(path))
        assert result.code == 1
        assert result.err.startswith(f"Error: {path}{message}"), result.err
        assert result.out == ""
        assert_absent(result.text, *CSV_MARKERS)

    @pytest.mark.parametrize(
        "case", ["unclosed quote swallowing a confidential row", "quote closed a row later in the same column"]
    )
    def test_build_refuses_and_the_previous_site_stays(self, tmp_path, previous_site, case):
        (tmp_path / "content").mkdir()
        (tmp_path / "content" / "export.csv").write_text(CSV_REFUSALS[case][0], encoding="utf-8")
        result = refused_build(tmp_path / "content", previous_site, tmp_path / "docs")
        assert_absent(result.text, *CSV_MARKERS)
        assert not (tmp_path / "docs").exists() or CSV_MARKERS[0] not in tree_text(tmp_path / "docs")

    @pytest.mark.parametrize(
        "name, data",
        [
            (
                "UTF-16 with a byte order mark (Excel's Unicode Text)",
                (CSV_HEAD + PUBLIC_1 + SECRET_2 + PUBLIC_3).encode("utf-16"),
            ),
            (
                "UTF-16 big-endian with a byte order mark",
                (CSV_HEAD + PUBLIC_1 + SECRET_2 + PUBLIC_3).encode("utf-16")[:2][::-1]
                + (CSV_HEAD + PUBLIC_1 + SECRET_2 + PUBLIC_3).encode("utf-16-be"),
            ),
            ("sep=; line", ("sep=;\n" + CSV_HEAD + PUBLIC_1 + SECRET_2 + PUBLIC_3).replace(",", ";").encode()),
            ("blank first lines", ("\n \n" + CSV_HEAD + PUBLIC_1 + SECRET_2 + PUBLIC_3).encode()),
            (
                "Windows line ends and a UTF-8 byte order mark",
                ("\ufeff" + CSV_HEAD + PUBLIC_1 + SECRET_2 + PUBLIC_3).replace("\n", "\r\n").encode(),
            ),
        ],
    )
    def test_exports_that_parse_are_read_exactly_and_the_confidential_row_held_back(self, tmp_path, name, data):
        (tmp_path / "content").mkdir()
        (tmp_path / "content" / "export.csv").write_bytes(data)
        report = gen(tmp_path / "content", docs=tmp_path / "docs")
        assert published_ids(tmp_path / "docs") == {"P-1", "P-3"}
        assert dict(report.held_back) == {"flagged confidential": 1}
        assert_absent(tree_text(tmp_path / "docs"), *CSV_MARKERS)
        printed = io.StringIO()
        cli.print_report(report, printed)
        assert_absent(printed.getvalue(), *CSV_MARKERS)

    def test_utf16_without_a_byte_order_mark_is_refused(self, tmp_path):
        path = tmp_path / "export.csv"
        path.write_bytes((CSV_HEAD + PUBLIC_1 + SECRET_2).encode("utf-16-le"))
        result = run("check", "--content", str(path))
        assert result.code == 1
        assert (
            result.err
            == f"Error: {path}: this is not a CSV text file (it contains binary data) (check that the file really is a CSV export)\n"
        )


# ===================================================================== 2. text fragments

TEXT_BASE = (
    "**FragmentID**: T-{n}\n"
    "**Outcome statements is CONFIDENTIAL**: 0\n"
    "**Country**: Mali\n"
    "**Outcome description**: Since 2023 the market committee of fragment {n} meets monthly.\n"
)
# Lines that start an unknown field, however it is written: its text is dropped.
UNKNOWN_FIELD_LINES = {
    "colon inside the bold": "**Internal notes:** CANARYNOTE{n} call the minister",
    "indented with spaces": "   **Internal notes**: CANARYNOTE{n} call the minister",
    "indented with a tab": "\t**Internal notes**: CANARYNOTE{n} call the minister",
    "indented with a no-break space": "\u00a0**Internal notes**: CANARYNOTE{n} call the minister",
    "full-width colon": "**Internal notes**\uff1a CANARYNOTE{n} call the minister",
    "underlined": "__Internal notes__: CANARYNOTE{n} call the minister",
    "list item": "- **Internal notes**: CANARYNOTE{n} call the minister",
    "list item touching the name": "-**Internal notes**: CANARYNOTE{n} call the minister",
    "numbered list item": "1. **Internal notes**: CANARYNOTE{n} call the minister",
    "space before the colon": "**Internal notes** : CANARYNOTE{n} call the minister",
    "bold italic": "***Internal notes***: CANARYNOTE{n} call the minister",
}
# Lines that may have been meant as a field line: the fragment is held back.
AMBIGUOUS_LINES = {
    "plain label": "Internal notes: CANARYNOTE{n} call the minister",
    "plain label, full-width colon": "Internal notes\uff1a CANARYNOTE{n} call the minister",
    "bold never closed": "**Internal notes: CANARYNOTE{n} call the minister",
    "plain known field name": "significance: CANARYNOTE{n} call the minister",
    "single stars": "*Contact*: CANARYNOTE{n} call the minister",
}


@pytest.fixture(scope="module")
def text_variants(tmp_path_factory):
    """One fragment per way of writing a field line, all generated together, and the report."""
    tmp = tmp_path_factory.mktemp("text")
    (tmp / "content").mkdir()
    numbers = {}
    for n, (name, line) in enumerate({**UNKNOWN_FIELD_LINES, **AMBIGUOUS_LINES}.items(), start=1):
        (tmp / "content" / f"t{n}.txt").write_text(
            TEXT_BASE.format(n=n) + line.format(n=n) + "\nafter it\n", encoding="utf-8"
        )
        numbers[name] = n
    report = gen(tmp / "content", docs=tmp / "docs")
    printed = io.StringIO()
    cli.print_report(report, printed)
    return tmp, numbers, printed.getvalue()


class TestTextFragments:
    """An unknown field's text is never published, however its line is written; a line
    that may be a field name holds the fragment back, with a warning naming file and line."""

    @pytest.mark.parametrize("name", UNKNOWN_FIELD_LINES)
    def test_unknown_field_is_dropped_and_the_fragment_published(self, text_variants, name):
        tmp, numbers, printed = text_variants
        n = numbers[name]
        assert f"T-{n}" in published_ids(tmp / "docs")
        assert_absent(tree_text(tmp / "docs"), f"CANARYNOTE{n}", "call the minister")
        assert "'Internal notes' is not a known field" in printed

    @pytest.mark.parametrize("name", AMBIGUOUS_LINES)
    def test_ambiguous_line_holds_the_fragment_back_with_a_located_warning(self, text_variants, name):
        tmp, numbers, printed = text_variants
        n = numbers[name]
        path = tmp / "content" / f"t{n}.txt"
        assert f"T-{n}" not in published_ids(tmp / "docs")
        assert_absent(tree_text(tmp / "docs"), f"CANARYNOTE{n}", f"fragment {n} meets")
        assert (
            f"{path}, line 5, field 'Outcome description': this line looks like a field name but is not "
            "written as **Name**: value, so the fragment is held back"
        ) in printed
        assert "a line looks like a field name but is not written as **Name**: value (line 5)" in printed

    def test_report_never_shows_the_text_of_any_variant(self, text_variants):
        _, numbers, printed = text_variants
        assert_absent(printed, "call the minister", *(f"CANARYNOTE{n}" for n in numbers.values()))

    def test_check_prints_nothing_of_the_lines(self, text_variants):
        tmp, numbers, _ = text_variants
        result = run("check", "--content", str(tmp / "content"))
        assert result.code == 0
        assert_absent(result.text, "call the minister", *(f"CANARYNOTE{n}" for n in numbers.values()))


# ===================================================================== 3. the exact gate

HELD_BACK_FLAGS = {
    "-0": "-0", "00": "00", "0e0": "0e0", "1e-400": "1e-400", "0.00": "0.00", "+0": "+0", "0,0": "0,0",
    "arabic-indic zero": "\u0660", "full-width zero": "\uff10", "no.": "no.", "n o": "n o", "nope": "nope",
    "'0": "'0", "0 then zero-width space": "0\u200b", "zero-width space then 0": "\u200b0", "Cyrillic O": "\u041e",
    "blank": "", "spaces": "   ", "?": "?", "tbc": "tbc", "1": "1", "yes": "yes",
}  # fmt: skip
PUBLIC_FLAGS = {
    "0": "0", " 0 (spaces around)": " 0 ", "0 and a no-break space": "0\u00a0", "0.0": "0.0", "NO": "NO", "No": "No",
    "n": "n", "FALSE": "FALSE", "non": "non", "Public": "Public", "not  confidential": "not  confidential",
}  # fmt: skip


@pytest.fixture(scope="module")
def gate_site(tmp_path_factory):
    """One export with a row per flag spelling (each held-back row's cells carry a marker),
    and a workbook with numeric and boolean flag cells; generated together."""
    tmp = tmp_path_factory.mktemp("gate")
    (tmp / "content").mkdir()
    rows = [["FragmentID", "Outcome statements is CONFIDENTIAL", "Country", "Outcome description"]]
    for n, flag in enumerate(HELD_BACK_FLAGS.values()):
        rows.append([f"CANARYGATE{n}", flag, f"Canarycountry{n}", f"CANARYSTORY{n} the envoy met them"])
    for n, flag in enumerate(PUBLIC_FLAGS.values()):
        rows.append([f"PUB-{n}", flag, "Mali", f"Public story {n}"])
    write_csv(tmp / "content" / "flags.csv", rows)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["FragmentID", "Confidential", "Outcome description"])
    for fragment_id, flag in [
        ("XL-ZERO", 0),
        ("XL-FALSE", False),
        ("XL-ZERO-FLOAT", 0.0),
        ("CANARYXLTRUE", True),
        ("CANARYXLONE", 1),
        ("CANARYXLTINY", 1e-300),
        ("CANARYXLBLANK", None),
    ]:
        sheet.append([fragment_id, flag, f"Story of {fragment_id}"])
    workbook.save(tmp / "content" / "flags.xlsx")
    report = gen(tmp / "content", docs=tmp / "docs")
    return tmp, report


class TestExactGate:
    """Only the listed spellings publish; numbers that only look like zero, look-alike digits
    and punctuation hold the fragment back."""

    @pytest.mark.parametrize("n, name", list(enumerate(HELD_BACK_FLAGS)), ids=list(HELD_BACK_FLAGS))
    def test_flag_that_is_not_exactly_a_public_spelling_holds_back(self, gate_site, n, name):
        tmp, _ = gate_site
        assert f"CANARYGATE{n}" not in published_ids(tmp / "docs")
        assert_absent(tree_text(tmp / "docs"), f"CANARYGATE{n}", f"Canarycountry{n}", f"CANARYSTORY{n}")

    @pytest.mark.parametrize("n, name", list(enumerate(PUBLIC_FLAGS)), ids=list(PUBLIC_FLAGS))
    def test_listed_spelling_publishes(self, gate_site, n, name):
        tmp, _ = gate_site
        assert f"PUB-{n}" in published_ids(tmp / "docs")

    def test_workbook_numeric_zero_and_false_cells_publish_other_cells_hold_back(self, gate_site):
        tmp, _ = gate_site
        ids = published_ids(tmp / "docs")
        assert {"XL-ZERO", "XL-FALSE", "XL-ZERO-FLOAT"} <= ids
        assert not {i for i in ids if i.startswith("CANARY")}
        assert_absent(tree_text(tmp / "docs"), "CANARYXL")

    def test_report_counts_the_reasons_and_names_rows_only(self, gate_site):
        tmp, report = gate_site
        assert report.published == len(PUBLIC_FLAGS) + 3
        assert sum(report.held_back.values()) == len(HELD_BACK_FLAGS) + 4
        printed = io.StringIO()
        cli.print_report(report, printed)
        assert f"{tmp / 'content' / 'flags.csv'}, rows " in printed.getvalue()
        assert_absent(printed.getvalue(), "CANARYGATE", "Canarycountry", "CANARYSTORY", "CANARYXL")


# ===================================================================== 4. redaction

NAMES = ("Amina Diallo", "Zoé Traoré")
NAME_VARIANTS = {
    "no-break space": "Amina\u00a0Diallo",
    "two spaces": "Amina  Diallo",
    "line break": "Amina\nDiallo",
    "zero-width space": "Ami\u200bna Diallo",
    "zero-width joiner between the words": "Amina\u200d Diallo",
    "decomposed accents": "Zoe\u0301 Traore\u0301",
    "upper case": "AMINA DIALLO",
    "URL": "https://example.org/people/amina-diallo/",
    "e-mail": "amina.diallo@example.org",
    "underscores": "Amina_Diallo",
}


def redaction_project(root: Path, redact_name: str = "Redact.txt") -> Path:
    """A project of its own: mkdocs.yml (a copy), the templates (linked) and content/, whose
    redaction list names NAMES. Returns the mkdocs.yml."""
    content = root / "content"
    (content / "fragments").mkdir(parents=True)
    (content / "pages").mkdir()
    # The project's mkdocs.yml in one language: redaction is not about languages (test_bilingual.py
    # shows the guard covers the French tree), and the engine's work is halved.
    (root / "mkdocs.yml").write_text(one_language_config_text(), encoding="utf-8")
    (root / "templates").symlink_to(ROOT / "templates")
    (content / redact_name).write_text(
        "# people who asked not to be named\n" + "\n".join(NAMES) + "\n", encoding="utf-8"
    )
    (content / "pages" / "about.md").write_text("# About\n\nWe thank Amina Diallo for her help.\n", encoding="utf-8")
    (content / "results-framework.yml").write_text(
        'outcomes:\n  "1.1": Protection of Amina Diallo\noutputs: {}\n', encoding="utf-8"
    )
    for n, (name, variant) in enumerate(NAME_VARIANTS.items()):
        write_fragment(
            content / "fragments", f"r{n}", FragmentID=f"R-{n}",
            Outcome_description=f"Since 2023 {variant} ({name}) leads the women's committee.",
            Link_to_Outcomes_in_Results_Framework="1.1",
        )  # fmt: skip
    write_fragment(content / "fragments", "rid", FragmentID="HRD-Amina-Diallo-7", coutnry="Amina Diallo District")
    return root / "mkdocs.yml"


NO_NAMES = (*NAMES, "Zoe Traore", "amina-diallo", "amina_diallo", "amina.diallo")


def assert_no_name(text: str) -> None:
    assert_absent(text, *NO_NAMES)


@pytest.fixture(scope="module")
def redacted_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redaction")
    config = redaction_project(tmp / "project")
    result = run("build", "--config", str(config), "--content", str(tmp / "project" / "content"),
                 "--site-dir", str(tmp / "site"), "--docs-dir", str(tmp / "docs"))  # fmt: skip
    assert result.code == 0, result.err
    return tmp, result


class TestRedaction:
    """A name on the redaction list is masked however it is written, wherever it is."""

    def test_the_name_appears_nowhere_in_the_site_docs_file_names_report_or_stderr(self, redacted_build):
        tmp, result = redacted_build
        assert_absent_from_tree(tmp / "site", tmp / "docs", markers=NO_NAMES)
        assert_no_name(result.text)

    def test_masks_are_visible_where_the_name_was(self, redacted_build):
        tmp, result = redacted_build
        about = (tmp / "site" / "about" / "index.html").read_text(encoding="utf-8")
        assert "We thank [redacted] for her help." in about
        assert "Protection of [redacted]" in tree_text(tmp / "site" / "results-framework")
        assert "HRD-[redacted]-7" in published_ids(tmp / "docs")
        assert re.search(r"Redacted: \d+ occurrence\(s\) of names in redact.txt", result.out)

    @pytest.mark.parametrize("which", ["subfolder", "single file"])
    def test_the_project_list_applies_when_content_is_a_subfolder_or_one_file(self, tmp_path, which):
        config = redaction_project(tmp_path / "project")
        fragments = tmp_path / "project" / "content" / "fragments"
        content = fragments if which == "subfolder" else fragments / "r0.txt"
        gen(content, docs=tmp_path / "docs", config=config)
        assert published_ids(tmp_path / "docs") >= {"R-0"}
        assert_no_name(tree_text(tmp_path / "docs"))
        result = run("check", "--config", str(config), "--content", str(content))
        assert result.code == 0
        assert "Redacted: " in result.out
        assert_no_name(result.text)

    @pytest.mark.parametrize("name", ["redact.txt.txt", "Redaction.txt", "redact.csv", "REDACT.TXT.txt"])
    def test_a_list_that_would_not_be_applied_stops_the_build(self, tmp_path, name):
        config = redaction_project(tmp_path / "project", redact_name=name)
        wrong = tmp_path / "project" / "content" / name
        for content in (tmp_path / "project" / "content", tmp_path / "project" / "content" / "fragments"):
            result = run("check", "--config", str(config), "--content", str(content))
            assert result.code == 1
            assert result.err == (
                f"Error: {wrong}: this looks like a redaction list, but only a file named redact.txt is applied "
                "(rename it to redact.txt (check that Windows did not hide a second .txt))\n"
            )

    def test_a_list_in_a_subfolder_stops_the_build(self, tmp_path):
        config = redaction_project(tmp_path / "project", redact_name="fragments/redact.txt")
        result = run("check", "--config", str(config), "--content", str(tmp_path / "project" / "content"))
        assert result.code == 1
        assert result.err.startswith(
            f"Error: {tmp_path / 'project' / 'content' / 'fragments' / 'redact.txt'}: only the redaction list at the top "
            "of the content folder"
        )

    def test_a_redacted_name_in_an_unknown_field_name_is_never_printed(self, tmp_path):
        content = tmp_path / "content"
        content.mkdir()
        (content / "redact.txt").write_text("Amina Diallo\n", encoding="utf-8")
        (content / "a.txt").write_text(
            TEXT_BASE.format(n=1) + "**Contact Amina Diallo**: +227 90 00 00\n", encoding="utf-8"
        )
        write_csv(content / "e.csv", [["FragmentID", "Confidential", "Contact Amina Diallo"], ["C-1", "0", "+227"]])
        result = run("check", "--content", str(content))
        assert result.code == 0
        assert "is not a known field" in result.out
        assert_no_name(result.text)


# ===================================================================== 5. content hygiene


class TestContentHygiene:
    """Only the content folder's own files are read, outcome records never skip the gate
    through content/pages/, and hand-written pages load nothing from another host."""

    @pytest.mark.parametrize("folder", ["pages", "fragments"])
    def test_link_to_a_file_outside_the_content_folder_is_refused_naming_the_link(self, tmp_path, folder):
        outside = tmp_path / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text(
            TEXT_BASE.format(n=9).replace(": 0\n", ": 1\n") + "CANARYLINK\n", encoding="utf-8"
        )
        content = tmp_path / "content"
        (content / folder).mkdir(parents=True)
        write_fragment(content, "ok")
        link = content / folder / "notes.txt"
        link.symlink_to(outside / "secret.txt")
        result = run("check", "--content", str(content))
        assert result.code == 1
        assert (
            result.err
            == f"Error: {link}: this is a link to a file outside the content folder (copy the file in instead)\n"
        )
        assert_absent(result.text, "CANARYLINK")

    @pytest.mark.parametrize("name", ["export.csv", "harvest.xlsx", "s-9.txt", "old/SECRET.TXT"])
    def test_outcome_records_in_the_pages_folder_are_refused(self, tmp_path, name):
        content = tmp_path / "content"
        page = content / "pages" / name
        page.parent.mkdir(parents=True)
        if name.lower().endswith(".txt"):
            page.write_text(TEXT_BASE.format(n=9).replace(": 0\n", ": 1\n"), encoding="utf-8")
        else:
            page.write_bytes(b"FragmentID,Confidential\nCANARYPAGE,1\n")
        write_fragment(content, "ok")
        result = run("check", "--content", str(content))
        assert result.code == 1
        assert result.err == (
            f"Error: {page}: outcome records belong in content/fragments/, not content/pages/ "
            "(files there are published as they are)\n"
        )

    @pytest.mark.parametrize(
        "markup, problem",
        [
            (
                '<img src="https://cdn.example.com/pixel.png" alt="">',
                "this page loads https://cdn.example.com/pixel.png from another host",
            ),
            ("<script src=//tracker.example/t.js></script>", "this page has a <script> element"),
            ('<iframe src="https://video.example/embed/1"></iframe>', "this page has an <iframe>"),
            (
                "<div style=\"background: url('https://img.example/bg.png')\">Welcome</div>",
                "this page loads https://img.example/bg.png from another host",
            ),
        ],
        ids=["img", "script", "iframe", "css url()"],
    )
    def test_page_loading_from_another_host_fails_the_build_naming_page_line_and_address(
        self, tmp_path, previous_site, markup, problem
    ):
        content = tmp_path / "content"
        (content / "pages").mkdir(parents=True)
        write_fragment(content, "ok")
        page = content / "pages" / "partners.md"
        page.write_text(f"# Partners\n\nOur partners.\n\n{markup}\n", encoding="utf-8")
        result = refused_build(content, previous_site, tmp_path / "docs")
        assert result.err.startswith(f"Error: {page}, line 5: {problem}"), result.err


# ===================================================================== 6. nothing of a held-back fragment in logs

SECRET_TEXT = (
    "**FragmentID**: CANARYLOG-9\n"
    "**Outcome statements is CONFIDENTIAL**: 1\n"
    "**Country**: Canarystan\n"
    "**Year**: twenty CANARYYEAR\n"
    "**Outcome description**: CANARYLOGDESC the envoy met the militia.\n"
    "**Contact Amina Diallo**: +227 90 CANARYPHONE\n"
)
LOG_MARKERS = ("CANARYLOG", "Canarystan", "CANARYYEAR", "CANARYPHONE", "Amina Diallo", "Contact Amina")


class TestNothingHeldBackInLogs:
    """The report, warnings and errors name files, rows, lines and field names, never a
    held-back fragment's values, ID or unknown field names."""

    def test_duplicate_id_with_one_copy_held_back_names_both_places_not_the_id(self, tmp_path):
        content = tmp_path / "content"
        content.mkdir()
        write_fragment(content, "a", FragmentID="CANARYDUP-1")
        write_fragment(content, "b", FragmentID="CANARYDUP-1", Outcome_statements_is_CONFIDENTIAL="yes")
        result = run("check", "--content", str(content))
        assert result.code == 1
        assert result.err == (
            f"Error: {content / 'b.txt'}, line 1, field 'FragmentID': this fragment has the same ID as the one at "
            f"{content / 'a.txt'}, line 1 (one of them is held back, so the ID is not shown) (give each fragment its own ID)\n"
        )
        assert_absent(result.text, "CANARYDUP")

    def test_duplicate_id_in_one_export_names_both_rows(self, tmp_path, previous_site):
        content = tmp_path / "content"
        content.mkdir()
        write_csv(content / "e.csv", [["FragmentID", "Confidential", "Outcome description"],
                                      ["CANARYDUP-2", "0", "Public story"], ["CANARYDUP-2", "1", "CANARYDUPDESC"]])  # fmt: skip
        result = refused_build(content, previous_site, tmp_path / "docs")
        assert (
            f"{content / 'e.csv'}, row 3, field 'FragmentID': this fragment has the same ID as the one at {content / 'e.csv'}, row 2"
            in result.err
        )
        assert_absent(result.text, "CANARYDUP")

    def test_check_prints_nothing_of_a_held_back_text_fragment(self, tmp_path):
        content = tmp_path / "content"
        content.mkdir()
        (content / "secret.txt").write_text(SECRET_TEXT, encoding="utf-8")
        write_fragment(content, "pub")
        result = run("check", "--content", str(content))
        assert result.code == 0
        assert f"{content}/: secret.txt" in result.out  # where, never what
        assert "unknown fields in 1 held-back text file(s) (not named: they are held back)" in result.out
        assert_absent(result.text, *LOG_MARKERS)

    def test_build_prints_nothing_of_a_held_back_text_fragment_on_stdout_or_stderr(self, tmp_path, capfd):
        """capfd sees whatever MkDocs, Pagefind and the guard's process write to the terminal
        themselves, beside what the command prints and logs."""
        content = tmp_path / "content"
        content.mkdir()
        (content / "secret.txt").write_text(SECRET_TEXT, encoding="utf-8")
        write_fragment(content, "pub")
        result = run(
            "build",
            "--content",
            str(content),
            "--site-dir",
            str(tmp_path / "site"),
            "--docs-dir",
            str(tmp_path / "docs"),
        )
        terminal = capfd.readouterr()
        assert result.code == 0, result.err
        assert "Published: 1 of 2" in result.out  # the report was printed, and read here
        assert_absent(result.text + terminal.out + terminal.err, *LOG_MARKERS)
        assert_absent_from_tree(tmp_path / "site", tmp_path / "docs", markers=LOG_MARKERS)

    def test_warnings_quote_public_values_only(self, tmp_path):
        content = tmp_path / "content"
        content.mkdir()
        (content / "secret.txt").write_text(SECRET_TEXT, encoding="utf-8")
        write_fragment(content, "pub", Year="20x23")
        write_csv(content / "e.csv", [["FragmentID", "Confidential", "Year", "Outcome description"],
                                      ["CANARYROW-1", "1", "CANARYROWYEAR", "CANARYROWDESC"], ["E-2", "0", "2023", "Fine"]])  # fmt: skip
        result = run("check", "--content", str(content))
        assert result.code == 0
        assert f"{content / 'pub.txt'}, line 5, field 'Year': '20x23' is not a year" in result.out
        # and, first, the site's name, still the sample's (tests/test_new.py)
        assert "Warnings: 2\n" in result.out
        assert_absent(result.text, *LOG_MARKERS, "CANARYROW")


# ===================================================================== 7. robust reading


def workbook_bytes(tmp_path: Path, edit=None) -> Path:
    """A small workbook (one confidential row with markers); `edit(name, data)` may change its parts."""
    path = tmp_path / "harvest.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["FragmentID", "Confidential", "Country", "Outcome description"])
    sheet.append(["XL-1", 0, "Mali", "Public story one"])
    sheet.append(["CANARYXL-2", 1, "Canaryland", "CANARYXLDESC the envoy"])
    sheet.append(["XL-3", "no", "Niger", "Public story three"])
    workbook.save(path)
    if edit is not None:
        with zipfile.ZipFile(path) as archive:
            parts = [(item.filename, archive.read(item)) for item in archive.infolist()]
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts:
                changed = edit(name, data)
                if changed is not None:
                    archive.writestr(name, changed)
    return path


SHEET = "xl/worksheets/sheet1.xml"
DAMAGES = {
    "sheet cut in half": lambda name, data: data[: len(data) // 2] if name == SHEET else data,
    "no workbook part": lambda name, data: None if name == "xl/workbook.xml" else data,
    "content types replaced": lambda name, data: b"CANARY not xml" if name == "[Content_Types].xml" else data,
    "number cell holding text": lambda name, data: data.replace(b'<c r="B3" t="n"><v>1</v></c>', b'<c r="B3" t="n"><v>CANARY</v></c>') if name == SHEET else data,
}  # fmt: skip


class TestRobustReading:
    """Damaged or odd input gives one clear line or a correct site, never a traceback."""

    @pytest.mark.parametrize("damage", DAMAGES)
    def test_damaged_workbook_gives_one_line_naming_the_file(self, tmp_path, damage):
        path = workbook_bytes(tmp_path, DAMAGES[damage])
        result = run("check", "--content", str(path))
        assert result.code == 1
        assert re.fullmatch(
            rf"Error: {re.escape(str(path))}(, row \d+)?: this is not a readable \.xlsx workbook[^\n]*\n", result.err
        ), result.err
        assert_absent(result.text, "CANARYXL", "Canaryland")

    @pytest.mark.parametrize("data", [b"", b"CANARY not a zip", b"PK\x03\x04cut"], ids=["empty", "text", "cut zip"])
    def test_file_that_is_not_a_workbook_gives_one_line(self, tmp_path, data):
        path = tmp_path / "harvest.xlsx"
        path.write_bytes(data)
        result = run("check", "--content", str(path))
        assert (result.code, result.err) == (
            1,
            f"Error: {path}: this is not a readable .xlsx workbook (open it in Excel or LibreOffice and save it again as .xlsx)\n",
        )

    def test_damaged_workbook_in_a_real_process_prints_no_traceback(self, tmp_path):
        path = workbook_bytes(tmp_path, DAMAGES["sheet cut in half"])
        result = subprocess.run([sys.executable, "-m", "generator", "check", "--content", str(path)],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1

    def test_wrong_stored_sheet_size_is_read_fully(self, tmp_path):
        def shrink(name, data):
            return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', data) if name == SHEET else data

        path = workbook_bytes(tmp_path, shrink)
        report = gen(path, docs=tmp_path / "docs")
        assert published_ids(tmp_path / "docs") == {"XL-1", "XL-3"}
        assert dict(report.held_back) == {"flagged confidential": 1}
        assert_absent(tree_text(tmp_path / "docs"), "CANARYXL", "Canaryland")

    def test_nested_yaml_aliases_are_refused_quickly(self, tmp_path):
        content = tmp_path / "content"
        content.mkdir()
        write_fragment(content, "ok")
        lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
        lines += ["outcomes:", '  "1.1": *a9', "outputs: {}"]
        (content / "results-framework.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        result = run("check", "--content", str(content))
        assert time.perf_counter() - started < 5
        assert result.code == 1
        assert result.err.startswith(
            f"Error: {content / 'results-framework.yml'}, line 1: this is not valid here: anchors (&name) are not allowed here"
        )

    def test_nested_yaml_aliases_in_fields_yml_are_refused_too(self, tmp_path):
        content = tmp_path / "content"
        content.mkdir()
        write_fragment(content, "ok")
        (content / "fields.yml").write_text('a: &a ["x", "x"]\nCountry: *a\n', encoding="utf-8")
        result = run("check", "--content", str(content))
        assert result.code == 1
        assert result.err.startswith(
            f"Error: {content / 'fields.yml'}, line 1: this is not valid here: anchors (&name)"
        )


LONG = "Long" + "x" * 266  # 270 characters
ODD_COUNTRIES = {"arabic": "مالي", "cyrillic": "Россия", "chinese": "中国", "long": LONG, "index": "Index"}


@pytest.fixture(scope="module")
def robust_site(tmp_path_factory):
    """One site holding the odd names: a 270-character ID and country, an ID and a country
    named Index, countries in three scripts, Results Framework codes 1.1 and 1.10, and a
    country only a held-back fragment has."""
    tmp = tmp_path_factory.mktemp("robust")
    content = tmp / "content"
    content.mkdir()
    (content / "results-framework.yml").write_text(
        'outcomes:\n  "1.1": Label of one point one\n  "1.10": Label of one point ten\noutputs: {}\n', encoding="utf-8"
    )
    for name, country in ODD_COUNTRIES.items():
        write_fragment(content, f"c-{name}", coutnry=country)
    write_fragment(content, "long-id", FragmentID="ID" + "y" * 268)
    write_fragment(content, "index-id", FragmentID="Index")
    write_fragment(content, "lower-index", FragmentID="index-2", coutnry="index")
    write_fragment(content, "rf-1", Link_to_Outcomes_in_Results_Framework="1.1")
    write_fragment(content, "rf-10", Link_to_Outcomes_in_Results_Framework="1.10")
    write_fragment(
        content, "hidden", FragmentID="CANARYHID-1", coutnry="Canaryonlyland", Outcome_statements_is_CONFIDENTIAL="1"
    )
    result = run("build", "--content", str(content), "--site-dir", str(tmp / "site"), "--docs-dir", str(tmp / "docs"))
    assert result.code == 0, result.err
    return tmp


class TestOddNamesBuild:
    """Names that could break addresses or replace a listing get pages of their own."""

    def test_every_odd_id_and_country_has_a_short_page_of_its_own(self, robust_site):
        site = robust_site / "site"
        docs = robust_site / "docs"
        ids = published_ids(docs)
        assert {"ID" + "y" * 268, "Index", "index-2"} <= ids
        records = json.loads((docs / "outcomes.json").read_text(encoding="utf-8"))
        slugs = [record["url"].rstrip("/").rsplit("/", 1)[-1] for record in records]
        assert len(set(slugs)) == len(slugs) == len(ids)
        assert all(len(slug) <= 64 for slug in slugs)
        for slug in slugs:
            assert (site / "fragments" / slug / "index.html").is_file(), slug
        country_pages = [path for path in (docs / "countries").glob("*.md") if path.name != "index.md"]
        assert len(country_pages) == len(ODD_COUNTRIES) + 1  # Mali, from the default fragments
        assert all(len(path.stem) <= 64 for path in country_pages)

    def test_index_names_do_not_replace_the_listings(self, robust_site):
        site = robust_site / "site"
        listing = (site / "fragments" / "index.html").read_text(encoding="utf-8")
        assert listing.count('class="okb-item"') == len(published_ids(robust_site / "docs")) == 10
        countries = (site / "countries" / "index.html").read_text(encoding="utf-8")
        for country in ODD_COUNTRIES.values():
            assert country in countries

    def test_countries_in_three_scripts_get_distinct_pages(self, robust_site):
        text = {name: tree_text(robust_site / "site" / "countries") for name in ("all",)}["all"]
        for name in ("arabic", "cyrillic", "chinese"):
            assert ODD_COUNTRIES[name] in text
        pages = {path.stem for path in (robust_site / "docs" / "countries").glob("*.md")}
        assert len(pages) == len(ODD_COUNTRIES) + 2  # + Mali + the index

    def test_codes_1_1_and_1_10_stay_distinct(self, robust_site):
        rf = robust_site / "site" / "results-framework"
        one = (rf / "outcome-1-1" / "index.html").read_text(encoding="utf-8")
        ten = (rf / "outcome-1-10" / "index.html").read_text(encoding="utf-8")
        assert "Label of one point one" in one and "Label of one point ten" not in one
        assert "Label of one point ten" in ten and "Label of one point one" not in ten

    def test_a_country_only_a_held_back_fragment_has_is_nowhere(self, robust_site):
        assert_absent_from_tree(robust_site / "site", robust_site / "docs", markers=("Canaryonlyland", "CANARYHID"))


# ===================================================================== 8. the guard

HELD_BACK_STORY = "The envoy quietly negotiated a ceasefire with the river militias near Kidal."
GUARD_CSV = [
    ["FragmentID", "Confidential", "Country", "Year", "Outcome description"],
    ["PUB-1", "0", "Mali", "2023", "Women traders in Sikasso formed a market committee."],
    ["CANARYHB-9", "1", "Canarystan", "2023", HELD_BACK_STORY],
]
GUARD_MARKERS = ("CANARYHB", "Canarystan", "quietly negotiated", "river militias")


def guard_content(root: Path) -> Path:
    content = root / "content"
    content.mkdir(parents=True)
    write_csv(content / "export.csv", GUARD_CSV)
    (content / "redact.txt").write_text("Amina Diallo\n", encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def guard_report(tmp_path_factory):
    """The report of one generation: its guard knows the held-back fragment and the redacted name."""
    tmp = tmp_path_factory.mktemp("guard")
    return gen(guard_content(tmp), docs=tmp / "docs")


def planted_leaks(guard_report, tmp_path: Path, name: str, data: bytes) -> str:
    """check_for_leaks, the build's last step, on a tree holding one planted file: its message."""
    (tmp_path / "tree" / name).parent.mkdir(parents=True)
    (tmp_path / "tree" / name).write_bytes(data)
    with pytest.raises(BuildError) as caught:
        check_for_leaks(guard_report.guard, tmp_path / "tree")
    return str(caught.value)


PLANTS = {
    "text in a page": ("page/index.html", f"<p>{HELD_BACK_STORY}</p>", "words from a held-back outcome"),
    "text split by markup": ("page/index.html", "<p>The envoy <em>quietly</em> negotiated a<br>ceasefire with the river</p>", "words from a held-back outcome"),
    "text as JSON escapes": ("data.json", json.dumps({"d": HELD_BACK_STORY.replace("e", "\u00e9")}, ensure_ascii=True).replace("\\u00e9", "\\u0065"), "words from a held-back outcome"),
    "text as HTML entities": ("page/index.html", "The&#32;envoy&nbsp;quietly negotiated a ceasefire with", "words from a held-back outcome"),
    "ID in text": ("page/index.html", "<p>See CANARYHB-9.</p>", "the ID of a held-back outcome"),
    "country in a data attribute": ("page/index.html", '<li data-country="canarystan">x</li>', "a value only held-back outcomes have"),
    "ID as a folder name": ("fragments/canaryhb-9/index.html", "<p>Hello</p>", "in a file or folder name: the ID of a held-back outcome"),
    "redacted name as a file name": ("amina-diallo.html", "<p>Hello</p>", "in a file or folder name: a redacted name"),
    "redacted name in text": ("page/index.html", "<p>Thanks to AMINA DIALLO.</p>", "a redacted name"),
}  # fmt: skip
PLANTS_THE_GUARD_MISSES = {
    "text in an HTML comment": ("page/index.html", f"<p>Hello</p><!-- {HELD_BACK_STORY} -->", "words from a held-back outcome"),
    "ID in an HTML comment": ("page/index.html", "<p>Hello</p><!-- CANARYHB-9 -->", "the ID of a held-back outcome"),
    "redacted name in an HTML comment": ("page/index.html", "<!-- Amina Diallo -->", "a redacted name"),
    "ID in a link address": ("page/index.html", '<a href="../fragments/canaryhb-9/">next</a>', "the ID of a held-back outcome"),
    "redacted name in a mailto address": ("page/index.html", '<a href="mailto:amina.diallo@example.org">write</a>', "a redacted name"),
    "text in a link address": ("page/index.html", '<a href="https://example.org/the-envoy-quietly-negotiated-a-ceasefire-with-the-river">x</a>', "words from a held-back outcome"),
    "text percent-encoded in an address": ("page/index.html", '<img src="/t.gif?q=The%20envoy%20quietly%20negotiated%20a%20ceasefire%20with">', "words from a held-back outcome"),
}  # fmt: skip


@pytest.fixture(scope="module")
def page_named_after_a_held_back_id(tmp_path_factory, previous_site):
    """A build over the good previous site, of content with a hand-written page named after a held-back ID."""
    tmp = tmp_path_factory.mktemp("named-page")
    content = guard_content(tmp)
    (content / "pages").mkdir()
    (content / "pages" / "canaryhb-9.md").write_text("# Notes\n\nA page of our own.\n", encoding="utf-8")
    before = digest(previous_site)
    result = run("build", "--content", str(content), "--site-dir", str(previous_site), "--docs-dir", str(tmp / "docs"))
    return result, before == digest(previous_site)


@pytest.fixture(scope="module")
def plain_mkdocs_build(tmp_path_factory):
    """`mkdocs build` in a project whose home template quotes a held-back outcome, over a
    site already there."""
    project = tmp_path_factory.mktemp("mkdocs-project")
    (project / "mkdocs.yml").write_text(one_language_config_text(), encoding="utf-8")  # one language is enough
    shutil.copytree(ROOT / "templates", project / "templates")
    with open(project / "templates" / "home.md.j2", "a", encoding="utf-8") as handle:
        handle.write(f"\n<p>{HELD_BACK_STORY}</p>\n")
    guard_content(project)
    (project / "docs").mkdir()
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("<p>The site as it was.</p>\n", encoding="utf-8")
    before = digest(project / "site")
    result = subprocess.run([ENGINE_COMMAND, "build", "-f", str(project / "mkdocs.yml")],
                            cwd=project, capture_output=True, text=True, timeout=120)  # fmt: skip
    return project, result, before


class TestGuard:
    """Whatever a faulty stage, template or page puts into the site, the guard fails the
    build naming the file and the kind of text, never the text; the previous site stays."""

    def test_text_a_faulty_stage_plants_fails_the_build_and_the_previous_site_stays(
        self, tmp_path, previous_site, monkeypatch
    ):
        original = feed.feed_files

        def faulty_feed(*args, **kwargs):
            files = original(*args, **kwargs)
            files["feed.xml"] = files["feed.xml"].replace(
                b"</feed>", f"<!-- --><summary>{HELD_BACK_STORY}</summary></feed>".encode()
            )
            return files

        monkeypatch.setattr(feed, "feed_files", faulty_feed)
        result = refused_build(guard_content(tmp_path), previous_site, tmp_path / "docs")
        assert result.err.startswith(
            "Error: the leak guard stopped the build: feed.xml: words from a held-back outcome"
        )
        assert_absent(result.text, *GUARD_MARKERS)

    @pytest.mark.parametrize("plant", PLANTS)
    def test_planted_text_is_found_however_it_is_written(self, guard_report, tmp_path, plant):
        name, text, kind = PLANTS[plant]
        message = planted_leaks(guard_report, tmp_path, name, text.encode())
        if "file or folder name" in kind:
            assert f": {kind}" in message  # the place is told without the name, which is the secret
        else:
            assert f"{name}: {kind}" in message
        assert_absent(message, *GUARD_MARKERS, "Amina Diallo")

    def test_planted_text_in_a_compressed_file_is_found(self, guard_report, tmp_path):
        message = planted_leaks(guard_report, tmp_path, "sitemap.xml.gz", gzip.compress(HELD_BACK_STORY.encode()))
        assert "sitemap.xml.gz: words from a held-back outcome" in message

    @pytest.mark.parametrize("plant", PLANTS_THE_GUARD_MISSES)
    def test_planted_text_in_comments_and_addresses_is_found(self, guard_report, tmp_path, plant):
        name, text, kind = PLANTS_THE_GUARD_MISSES[plant]
        message = planted_leaks(guard_report, tmp_path, name, text.encode())
        assert f"{name}: {kind}" in message

    def test_a_page_named_after_a_held_back_id_fails_the_build(self, page_named_after_a_held_back_id):
        result, site_unchanged = page_named_after_a_held_back_id
        assert result.code == 1 and site_unchanged
        assert result.err.startswith("Error: the leak guard stopped the build: ")
        assert "in a file or folder name: the ID of a held-back outcome" in result.err

    def test_the_failure_message_does_not_show_the_held_back_id(self, page_named_after_a_held_back_id):
        result, _ = page_named_after_a_held_back_id
        assert result.code == 1
        assert_absent(result.text, "CANARYHB")

    @pytest.mark.parametrize("name", ["fragments/canaryhb-9/index.html", "people/amina-diallo.html"])
    def test_the_message_for_a_leaking_name_does_not_show_the_name(self, guard_report, tmp_path, name):
        message = planted_leaks(guard_report, tmp_path, name, b"<p>Hello</p>")
        assert "in a file or folder name: " in message
        assert_absent(message, "CANARYHB", "Amina Diallo")

    def test_a_page_quoting_six_words_of_a_held_back_outcome_fails_the_build(self, tmp_path, previous_site):
        content = guard_content(tmp_path)
        (content / "pages").mkdir()
        (content / "pages" / "news.md").write_text(
            "# News\n\nWe heard that the envoy quietly negotiated a ceasefire with the river militias.\n",
            encoding="utf-8",
        )
        result = refused_build(content, previous_site, tmp_path / "docs")
        assert "news/index.html: words from a held-back outcome" in result.err

    def test_text_the_theme_adds_to_every_page_fails_the_build_and_the_previous_site_stays(
        self, tmp_path, previous_site
    ):
        """The guard checks each page as MkDocs produces it (the plugin's on_post_page): a
        theme override that quotes a held-back outcome in every page is caught there."""
        project = tmp_path / "project"
        shutil.copytree(PROJECT, project, symlinks=True)
        (project / "templates").unlink()
        shutil.copytree(ROOT / "templates", project / "templates")
        with open(project / "templates" / "theme" / "main.html", "a", encoding="utf-8") as handle:
            # A block main.html does not override already (a second one would not compile).
            handle.write(f"\n{{% block hero %}}<p>{HELD_BACK_STORY}</p>{{% endblock %}}\n")
        before = digest(previous_site)
        result = run(
            "build", "--config", str(project / "mkdocs.yml"), "--content", str(guard_content(tmp_path)),
            "--site-dir", str(previous_site), "--docs-dir", str(tmp_path / "docs"),
        )  # fmt: skip
        assert result.code == 1, result.text
        assert result.err.startswith("Error: the leak guard stopped the build: "), result.err
        assert "index.html: words from a held-back outcome" in result.err
        assert digest(previous_site) == before
        assert_absent(result.text, *GUARD_MARKERS)

    def test_plain_mkdocs_build_runs_the_guard_and_fails(self, plain_mkdocs_build):
        _project, result, _ = plain_mkdocs_build
        assert result.returncode == 1, result.stderr
        assert (
            "Outcome knowledge base: the leak guard stopped the build: index.html: words from a held-back outcome"
            in result.stderr
        )
        assert_absent(result.stdout + result.stderr, *GUARD_MARKERS)

    def test_plain_mkdocs_build_leaves_the_previous_site_as_it_was(self, plain_mkdocs_build):
        project, result, before = plain_mkdocs_build
        assert result.returncode == 1
        assert digest(project / "site") == before
        assert_absent_from_tree(project / "site", markers=GUARD_MARKERS)
