"""generator/preview/memo.py: what a preview reuses from one generation to the next, and the check
(OKB_VERIFY_MEMO) that every reused result is what its inputs give now."""

from __future__ import annotations

import shutil

import pytest

from generator.pages import renderer
from generator.preview.kept import Kept
from generator.preview.memo import VERIFY_VARIABLE, Memo, MemoMismatch
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from support import FIXTURES


class Counting:
    """A compute function that says how often it ran and gives a new object each time."""

    def __init__(self, value: str) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> list[str]:
        self.calls += 1
        return [self.value]


def test_a_result_is_reused_while_its_inputs_are_equal():
    memo: Memo[list[str]] = Memo("pages", verify=False)
    first = memo.get("a.md", ("title", 1), Counting("A"))
    memo.finish()
    memo.start()
    again = Counting("A")
    assert memo.get("a.md", ("title", 1), again) is first
    assert again.calls == 0 and memo.computed == 0


def test_a_result_is_computed_again_when_its_inputs_differ():
    memo: Memo[list[str]] = Memo("pages", verify=False)
    memo.get("a.md", ("title", 1), Counting("A"))
    memo.finish()
    memo.start()
    assert memo.get("a.md", ("title", 2), Counting("B")) == ["B"]
    assert memo.computed == 1


def test_a_complete_generation_forgets_what_it_did_not_use():
    memo: Memo[list[str]] = Memo("pages", verify=False)
    memo.get("a.md", 1, Counting("A"))
    memo.get("b.md", 1, Counting("B"))
    memo.finish()
    memo.start()
    memo.get("a.md", 1, Counting("A"))
    dropped = memo.finish()
    assert len(memo) == 1
    assert isinstance(dropped, dict) and "b.md" in dropped, "given back, for the caller to let go of"
    memo.start()
    later = Counting("B")
    memo.get("b.md", 1, later)
    assert later.calls == 1, "b.md was not used by the last complete generation: made again"


def test_a_memo_asked_only_while_another_result_is_made_keeps_what_a_generation_did_not_ask_for():
    # A list entry is asked for only while a listing's page is rendered: a generation that
    # reuses the page does not ask for it, and the next one that renders the page needs it.
    memo: Memo[list[str]] = Memo("list items", verify=False, forget_unused=False)
    first = memo.get("a", 1, Counting("A"))
    memo.get("b", 1, Counting("B"))
    memo.finish()
    memo.start()
    memo.get("b", 2, Counting("B2"))
    memo.finish()
    memo.start()
    again = Counting("A")
    assert memo.get("a", 1, again) is first and again.calls == 0
    changed = Counting("B")
    assert memo.get("b", 1, changed) == ["B"] and changed.calls == 1, "one result per name: the newest"
    memo.finish()
    assert len(memo) == 2


def test_a_generation_that_stops_half_way_leaves_every_result_usable():
    memo: Memo[list[str]] = Memo("pages", verify=False)
    memo.get("a.md", 1, Counting("A"))
    memo.get("b.md", 1, Counting("B"))
    memo.finish()
    memo.start()
    memo.get("a.md", 2, Counting("A2"))  # then the generation fails: no finish()
    memo.start()
    a, b = Counting("A2"), Counting("B")
    assert memo.get("a.md", 2, a) == ["A2"] and memo.get("b.md", 1, b) == ["B"]
    assert a.calls == b.calls == 0


def test_verify_mode_recomputes_every_reused_result_and_accepts_an_equal_one():
    memo: Memo[list[str]] = Memo("pages", verify=True)
    memo.get("a.md", 1, Counting("A"))
    memo.finish()
    memo.start()
    again = Counting("A")
    assert memo.get("a.md", 1, again) == ["A"]
    assert again.calls == 1 and memo.computed == 0


def test_verify_mode_names_the_memo_and_the_name_of_a_wrong_result():
    memo: Memo[list[str]] = Memo("pages", verify=True)
    memo.get("countries/mali.md", ("Mali", 2), Counting("old text"))
    memo.finish()
    memo.start()
    with pytest.raises(MemoMismatch) as raised:
        # The same declared inputs, but the page is made from something they leave out.
        memo.get("countries/mali.md", ("Mali", 2), Counting("new text"))
    assert str(raised.value) == (
        "The preview's memo 'pages' reused a result for 'countries/mali.md' that is not what its inputs "
        "give now: the inputs it is given leave out something the result is made from (OKB_VERIFY_MEMO check)"
    )
    assert "old text" not in str(raised.value) and "new text" not in str(raised.value)


@pytest.mark.parametrize(("value", "verify"), [("1", True), ("yes", True), ("0", False), ("", False)])
def test_the_environment_variable_switches_verify_mode_on(monkeypatch, value, verify):
    monkeypatch.setenv(VERIFY_VARIABLE, value)
    assert Memo("pages").verify is verify
    assert Kept().fragments.verify is verify


def test_the_verified_memos_fixture_switches_it_on(verified_memos):
    assert Memo("pages").verify and Kept().sources.verify


def forgetful_listing_inputs(monkeypatch):
    """A listing page's declared inputs without its outcomes: the mistake `shows=` invites."""
    declared = renderer.Renderer._listing_page_inputs

    def without_outcomes(self, listing, page, parent, children):
        return declared(self, listing, page, parent, children)[:3]

    monkeypatch.setattr(renderer.Renderer, "_listing_page_inputs", without_outcomes)


def edited_preview(tmp_path):
    """A preview's kept generation of the fixture content, then one fragment's title edited."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    settings = Settings(contents=[content], docs_dir=tmp_path / "docs", project_content=content, search=False)
    kept = Kept()
    generate(settings, reuse=False, kept=kept)
    story = content / "fragments" / "civ007.txt"
    story.write_text(story.read_text(encoding="utf-8").replace("a district council", "a county council"), "utf-8")
    return settings, kept


def test_verify_mode_catches_a_listing_page_whose_declared_inputs_leave_out_its_outcomes(
    tmp_path, monkeypatch, verified_memos
):
    forgetful_listing_inputs(monkeypatch)
    settings, kept = edited_preview(tmp_path)
    with pytest.raises(MemoMismatch) as raised:
        generate(settings, reuse=True, kept=kept)
    assert raised.value.memo == "pages"
    assert raised.value.name == "fragments/index.md"


def test_without_verify_mode_the_same_mistake_leaves_a_stale_listing(tmp_path, monkeypatch):
    """What the check is for: the wrong reuse above passes silently otherwise."""
    monkeypatch.delenv(VERIFY_VARIABLE, raising=False)
    forgetful_listing_inputs(monkeypatch)
    settings, kept = edited_preview(tmp_path)
    generate(settings, reuse=True, kept=kept)
    listing = (settings.docs_dir / "fragments" / "index.md").read_text(encoding="utf-8")
    assert "a district council" in listing and "a county council" not in listing


def test_a_memo_that_keeps_everything_gives_back_nothing_to_let_go_of():
    within: Memo[list[str]] = Memo("list items", verify=False, forget_unused=False)
    within.get("a", 1, Counting("A"))
    assert within.finish() is None, "keeps everything: nothing to let go of"
