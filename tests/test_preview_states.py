"""The preview's kept state against a fresh generation, after random sequences of edits.

`mkdocs serve` regenerates with what the last generation kept (generator/preview/kept.py,
generator/preview/memo.py) and rewrites only the files whose bytes changed. Whatever the editor did
before, the docs folder must then be exactly what a fresh generation of the same content
writes. A Hypothesis state machine edits, adds, deletes, renames and flips the
confidentiality of fragments in text files and in a CSV export (and empties or fills the
redaction list), and compares the two
folders byte for byte after every step; the memos run in verify mode (OKB_VERIFY_MEMO),
so a reused result that is no longer right fails the step that reused it.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from generator.errors import InputError
from generator.preview.kept import Kept
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.site_config import read_site_config
from support import CONFIG

pytestmark = pytest.mark.usefixtures("verified_memos")

SITE = read_site_config(CONFIG)
COLUMNS = ("FragmentID", "Outcome description", "coutnry", "Year", "Outcome statements is CONFIDENTIAL")
REDACTED = "Ama Quarshie"  # in the redaction list (redact.txt): masked wherever a description names her

countries = st.sampled_from(["Mali", "Niger", "Uganda", "Kenya"])
years = st.sampled_from(["2021", "2023", "2024"])
descriptions = st.builds(
    "Since {}, {} {} {}.".format,
    years,
    st.sampled_from(["the district council", "a women's network", f"{REDACTED}'s coalition", "the ministry"]),
    st.sampled_from(["has published", "has funded", "has stopped"]),
    st.sampled_from(["its budget", "safe houses", "radio debates", "permits"]),
)
flags = st.sampled_from(["0", "1", "no", "yes", "Confidential", ""])  # blank and unknown hold back too
picks = st.integers(min_value=0, max_value=99)  # which of the existing fragments


def fragment_values(fragment_id: str, description: str, country: str, year: str, flag: str) -> dict[str, str]:
    return dict(zip(COLUMNS, (fragment_id, description, country, year, flag)))


class PreviewAgainstFreshGeneration(RuleBasedStateMachine):
    """The content as the editor left it: text fragments by file name, and the rows of one CSV."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="okb-preview-states-"))
        self.content = self.root / "content"
        (self.content / "fragments").mkdir(parents=True)
        (self.content / "redact.txt").write_text(REDACTED + "\n", encoding="utf-8")
        self.texts: dict[str, dict[str, str]] = {}
        self.rows: list[dict[str, str]] = []
        self.next_id = 0
        self.kept = Kept()
        self.settings = Settings(
            contents=[self.content],
            docs_dir=self.root / "docs",
            project_content=self.content,
            site=SITE,
            search=False,
        )
        self.generations = 0

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ the content

    def new_id(self) -> str:
        self.next_id += 1
        return f"TEST-{self.next_id:03d}"

    def write_text(self, name: str) -> None:
        values = self.texts[name]
        text = "".join(f"**{key}**: {value}\n" for key, value in values.items())
        (self.content / "fragments" / name).write_text(text, encoding="utf-8")

    def write_csv(self) -> None:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        (self.content / "fragments" / "export.csv").write_text(out.getvalue(), encoding="utf-8")

    def text_name(self, pick: int) -> str:
        return sorted(self.texts)[pick % len(self.texts)]

    def row(self, pick: int) -> dict[str, str]:
        return self.rows[pick % len(self.rows)]

    # ------------------------------------------------------------------ the rules

    @initialize(
        first=st.tuples(descriptions, countries, years),
        second=st.tuples(descriptions, countries, years),
        third=st.tuples(descriptions, countries, years),
    )
    def start(self, first, second, third) -> None:
        """Two text fragments (one confidential) and a CSV with one public row, generated once."""
        self.texts["a.txt"] = fragment_values(self.new_id(), *first, "0")
        self.texts["b.txt"] = fragment_values(self.new_id(), *second, "1")
        self.rows.append(fragment_values(self.new_id(), *third, "0"))
        for name in self.texts:
            self.write_text(name)
        self.write_csv()

    @rule(description=descriptions, country=countries, year=years, flag=flags)
    def add_text(self, description, country, year, flag) -> None:
        name = f"added-{self.next_id + 1}.txt"
        self.texts[name] = fragment_values(self.new_id(), description, country, year, flag)
        self.write_text(name)

    @precondition(lambda self: self.texts)
    @rule(pick=picks, key=st.sampled_from(COLUMNS[1:4]), data=st.data())
    def edit_text(self, pick, key, data) -> None:
        value = data.draw({"Outcome description": descriptions, "coutnry": countries, "Year": years}[key])
        name = self.text_name(pick)
        self.texts[name][key] = value
        self.write_text(name)

    @precondition(lambda self: self.texts)
    @rule(pick=picks, flag=flags)
    def flag_text(self, pick, flag) -> None:
        name = self.text_name(pick)
        self.texts[name]["Outcome statements is CONFIDENTIAL"] = flag
        self.write_text(name)

    @precondition(lambda self: self.texts)
    @rule(pick=picks)
    def delete_text(self, pick) -> None:
        name = self.text_name(pick)
        del self.texts[name]
        (self.content / "fragments" / name).unlink()

    @precondition(lambda self: self.texts)
    @rule(pick=picks)
    def rename_text_file(self, pick) -> None:
        name = self.text_name(pick)
        new_name = f"renamed-{self.next_id}-{name}"
        self.next_id += 1
        (self.content / "fragments" / name).rename(self.content / "fragments" / new_name)
        self.texts[new_name] = self.texts.pop(name)

    @precondition(lambda self: self.texts)
    @rule(pick=picks)
    def rename_text_fragment(self, pick) -> None:
        name = self.text_name(pick)
        self.texts[name]["FragmentID"] = self.new_id()
        self.write_text(name)

    @rule(description=descriptions, country=countries, year=years, flag=flags, at=picks)
    def add_row(self, description, country, year, flag, at) -> None:
        self.rows.insert(at % (len(self.rows) + 1), fragment_values(self.new_id(), description, country, year, flag))
        self.write_csv()

    @precondition(lambda self: self.rows)
    @rule(pick=picks, key=st.sampled_from(COLUMNS[1:4]), data=st.data())
    def edit_row(self, pick, key, data) -> None:
        self.row(pick)[key] = data.draw({"Outcome description": descriptions, "coutnry": countries, "Year": years}[key])
        self.write_csv()

    @precondition(lambda self: self.rows)
    @rule(pick=picks, flag=flags)
    def flag_row(self, pick, flag) -> None:
        self.row(pick)["Outcome statements is CONFIDENTIAL"] = flag
        self.write_csv()

    @precondition(lambda self: len(self.rows) > 1)
    @rule(pick=picks)
    def delete_row(self, pick) -> None:
        """A row deleted: the rows below it move up one (their locations change)."""
        del self.rows[pick % len(self.rows)]
        self.write_csv()

    @precondition(lambda self: self.rows)
    @rule(pick=picks)
    def rename_row_fragment(self, pick) -> None:
        self.row(pick)["FragmentID"] = self.new_id()
        self.write_csv()

    def freed_ids(self) -> list[str]:
        """IDs that fragments had and none has now (a deleted or renamed fragment's)."""
        current = {values["FragmentID"] for values in [*self.texts.values(), *self.rows]}
        return [f"TEST-{number:03d}" for number in range(1, self.next_id + 1) if f"TEST-{number:03d}" not in current]

    @precondition(lambda self: self.texts and self.freed_ids())
    @rule(pick=picks, freed=picks)
    def text_takes_a_freed_id(self, pick, freed) -> None:
        """What was kept under the old fragment's ID must not come back for the new one."""
        name = self.text_name(pick)
        ids = self.freed_ids()
        self.texts[name]["FragmentID"] = ids[freed % len(ids)]
        self.write_text(name)

    @rule()
    def toggle_redaction_list(self) -> None:
        """The redaction list emptied or filled again: every record is normalised anew."""
        redact = self.content / "redact.txt"
        redact.write_text("" if redact.read_text(encoding="utf-8") else REDACTED + "\n", encoding="utf-8")

    @precondition(lambda self: self.rows and self.texts)
    @rule(pick=picks)
    def refused_then_fixed(self, pick) -> None:
        """A saved file that stops the generation (an ID already taken), then deleted again:
        the preview keeps what it had, and the next generation is still right."""
        twin = self.content / "fragments" / "twin.txt"
        taken = self.row(pick)["FragmentID"]
        twin.write_text(
            f"**FragmentID**: {taken}\n**Outcome description**: Since 2023, a twin.\n"
            "**Outcome statements is CONFIDENTIAL**: 0\n",
            encoding="utf-8",
        )
        with pytest.raises(InputError):
            generate(self.settings, reuse=True, kept=self.kept)
        twin.unlink()

    # ------------------------------------------------------------------ the check

    @invariant()
    def docs_are_what_a_fresh_generation_writes(self) -> None:
        if not (self.content / "fragments" / "export.csv").exists():
            return  # before start()
        generate(self.settings, reuse=self.generations > 0, kept=self.kept)
        self.generations += 1
        fresh = self.root / f"fresh-{self.generations}"
        generate(
            Settings(contents=[self.content], docs_dir=fresh, project_content=self.content, site=SITE, search=False),
            reuse=False,
        )
        kept_tree, fresh_tree = tree(self.settings.docs_dir), tree(fresh)
        assert sorted(kept_tree) == sorted(fresh_tree)
        different = [path for path in kept_tree if kept_tree[path] != fresh_tree[path]]
        assert not different, f"the preview's docs differ from a fresh generation's in {different}"
        shutil.rmtree(fresh)


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


PreviewAgainstFreshGeneration.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_preview_after_random_edits_writes_what_a_fresh_generation_writes():
    PreviewAgainstFreshGeneration.TestCase().runTest()
