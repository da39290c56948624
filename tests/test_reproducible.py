"""Two builds of the same input from scratch give the same site, byte for byte.

A site that changes with every build cannot be checked against another build of the
same content, and makes every deploy upload files nothing changed. Pagefind named its
filter files after contents in hash-map order (generator/publish/pagefind_bundle.py), and MkDocs
dates the sitemap on the day of the build (publish/sequence.py sets the date from the data).
"""

from __future__ import annotations

import datetime as real_datetime
import gzip
import hashlib
import sys
from pathlib import Path

import pytest

from generator import engine
from generator.pages import render
from generator.publish import pagefind_bundle
from generator.publish.build_types import Settings
from generator.publish.generate import generate
from generator.publish.sequence import build
from support import FIXTURES, ROOT


def _files(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


class _AnotherDay(real_datetime.datetime):
    """MkDocs' clock, one year and a day later: a build on another day."""

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return real_datetime.datetime.now(tz) + real_datetime.timedelta(days=366)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory, fixture_site) -> tuple[Path, Path]:
    """The session's fixture site (built from scratch by the generator, kept while nothing it
    is made from changes, with a copy of mkdocs.yml) and a build from scratch on another day,
    with the same copy of mkdocs.yml (the same inputs: the project's mkdocs.yml would add the
    project's content/vocabularies.yml, French names of objectives the fixture gives in English
    only), into a folder of another name."""
    first = fixture_site
    config = first.site.parent / "mkdocs.yml"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        patch.setattr(engine.utils, "datetime", _AnotherDay)
        folder = tmp_path_factory.mktemp("second")  # both languages, as the fixture site
        settings = Settings(contents=[FIXTURES / "site"], docs_dir=folder / "docs", config_file=config)
        build(settings, config, folder / "elsewhere")
    return first.site, folder / "elsewhere"


def test_two_builds_from_scratch_give_the_same_files(two_builds):
    first, second = (_files(site) for site in two_builds)
    assert sorted(first) == sorted(second), "the two sites hold other file names"
    differing = [path for path in first if first[path] != second[path]]
    assert not differing, f"these files differ between two builds of the same input: {differing}"


def test_the_search_index_and_its_filters_are_there(two_builds):
    site = two_builds[0]
    filters = sorted((site / "pagefind" / "filter").glob("*.pf_filter"))
    assert filters, "the fixture's outcomes have filters (country, year…)"
    for path in filters:
        name, values = pagefind_bundle.read_compressed(path)  # type: ignore[misc]
        assert [value[0] for value in values] == sorted(value[0] for value in values), name
    assert (site / "sitemap.xml.gz").is_file()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()


def test_cbor_round_trip():
    value = ["Country", [["Mali", [0, 3, 300]], ["Niger", [70000, 5_000_000_000]]], -25, b"\x00"]
    assert pagefind_bundle.cbor_decode(pagefind_bundle.cbor_encode(value)) == value


def test_an_unknown_bundle_is_left_as_it_is(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text('{"languages": {"en": {"hash": "en_0"}}}', encoding="utf-8")
    (tmp_path / "pagefind.en_0.pf_meta").write_bytes(gzip.compress(b"something else"))
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert not pagefind_bundle.canonicalise(tmp_path)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def _docs(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_pages_rendered_on_two_processes_are_those_of_one(tmp_path, monkeypatch):
    """render.FragmentPages shares the fragment pages between two processes: the docs
    folder is the same bytes as when one process renders them all."""
    sys.path.insert(0, str(ROOT / "bench"))
    import make_fragments

    content = tmp_path / "export.csv"
    # 200 rows, 154 published: three shares of pages (render.FRAGMENT_SHARE), enough for the
    # second process to take one. No search records: they are made before the pages are.
    make_fragments.write_csv(make_fragments.make_rows(200, seed=3), content)
    shares = []
    monkeypatch.setattr(render.FragmentPages, "_render_share", _counted(render.FragmentPages._render_share, shares))
    report = generate(Settings(contents=[content], docs_dir=tmp_path / "two", search=False))
    all_shares = -(-report.published // render.FRAGMENT_SHARE)
    assert all_shares > 2 and len(shares) < all_shares, "the other process rendered some of the pages"
    monkeypatch.setattr(render.forking, "can_fork", lambda: False)
    by_one = generate(Settings(contents=[content], docs_dir=tmp_path / "one", search=False))
    two, one = _docs(tmp_path / "two"), _docs(tmp_path / "one")
    assert sorted(two) == sorted(one)
    assert [path for path in one if one[path] != two[path]] == []
    # The other process wrote its pages itself (write.EarlyWrites): the report counts them.
    assert report.written is not None and by_one.written is not None
    assert (report.pages, report.written.written) == (by_one.pages, by_one.written.written)


def test_pages_written_by_two_processes_into_an_earlier_docs_folder_keep_it_exact(tmp_path):
    """The fragment pages' second process writes its pages itself (write.EarlyWrites): into a
    docs folder of an earlier build, a page with the same bytes is left as it is, a changed one
    written, and a page no longer made removed, as by one process."""
    sys.path.insert(0, str(ROOT / "bench"))
    import make_fragments

    content = tmp_path / "export.csv"
    make_fragments.write_csv(make_fragments.make_rows(200, seed=3), content)
    docs = tmp_path / "docs"
    first = generate(Settings(contents=[content], docs_dir=docs, search=False))
    assert first.written is not None and first.written.unchanged == 0
    fresh = _docs(docs)
    pages = sorted(path for path in fresh if path.startswith("fragments/") and path.count("/") == 1)
    (docs / pages[-1]).write_text("changed", encoding="utf-8")  # the last share: likelier the other process's
    (docs / pages[0]).write_text("changed", encoding="utf-8")
    (docs / "fragments" / "gone").mkdir()
    (docs / "fragments" / "gone" / "old.md").write_text("no longer made", encoding="utf-8")
    again = generate(Settings(contents=[content], docs_dir=docs, search=False), reuse=False)
    assert again.written is not None
    assert (again.written.written, again.written.removed) == (2, 1)
    assert again.written.written + again.written.unchanged == first.written.written
    assert _docs(docs) == fresh


def _counted(function, calls):
    def counting(self, share):
        calls.append(share)
        return function(self, share)

    return counting


def test_normalising_shared_with_a_helper_gives_what_one_process_gives(tmp_path, monkeypatch):
    """From normalise.fragments.SHARED_FROM public records, a forked helper normalises the
    second half: the docs folder, the warnings (in the rows' order, each naming its row) and
    the count of masked names are those of one process doing it all."""
    from generator.normalise import fragments as norm

    sys.path.insert(0, str(ROOT / "bench"))
    import make_fragments

    content = tmp_path / "content"
    content.mkdir()
    make_fragments.write_csv(make_fragments.make_rows(120, seed=5), content / "export.csv")
    (content / "redact.txt").write_text("Juba\nCameroon\n", encoding="utf-8")  # names in both halves' rows

    def built(name: str):
        report = generate(Settings(contents=[content], docs_dir=tmp_path / name, search=False))
        return report, _docs(tmp_path / name)

    calls = []
    monkeypatch.setattr(norm, "SHARED_FROM", 10)
    monkeypatch.setattr(norm.forking, "call", _counted_call(norm.forking.call, calls))
    shared, shared_docs = built("shared")
    assert len(calls) == 1, "a helper normalised half of the records"
    monkeypatch.setattr(norm.forking, "can_fork", lambda: False)
    alone, alone_docs = built("alone")
    assert shared_docs == alone_docs
    assert shared.problems and [str(problem) for problem in shared.problems] == [
        str(problem) for problem in alone.problems
    ]
    assert shared.personal_details == alone.personal_details
    assert shared.redactions == alone.redactions > 0
    assert shared.published == alone.published


def _counted_call(function, calls):
    def counting(*args):
        calls.append(args[0])
        return function(*args)

    return counting
