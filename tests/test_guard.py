"""generator.privacy.guard: anything only held-back fragments have is found wherever the build put it."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from generator.privacy.guard import seen_lines
from generator.privacy.guard.check import Guard
from generator.privacy.guard.decode import readable_words
from generator.privacy.guard.terms import (
    HELD_BACK_ID,
    HELD_BACK_VALUE,
    IN_A_NAME,
    REDACTED_NAME,
    WORDS_FROM_HELD_BACK,
    Leak,
)

SECRET = "Since 2023 the Tegu women's shelter hid eleven defenders from the police"
SHARED = "Since 2023 local authorities in Kote have met civil society every month"
HELD_BACK = [
    {
        "fragment_id": "SCC-WAF2301/CIV00099",
        "country": "Freedonia",
        "objective": "XYZ: Secret objective name",
        "change_types": "Policy change  Hidden change",
        "year": "2031.0",
        "description": SECRET + ". " + SHARED + ".",
        "significance": "It matters.",
    },
    {"fragment_id": "F7", "country": "Mali", "description": "Short."},
]
PUBLIC = [
    {
        "fragment_id": "SCC-WAF2301/CIV00001",
        "country": "Mali",
        "objective": "CIV: Less suppression of civic space",
        "change_types": "Policy change",
        "year": "2023",
        "description": SHARED + ".",
    },
]
CHROME = "<header class='md-header'><nav>Skip to content · Outcome knowledge base · Search</nav></header>\n" * 30


def guard(**changes: object) -> Guard:
    arguments: dict[str, object] = {"held_back": HELD_BACK, "public": PUBLIC, "redacted": ["Aïcha Traoré"]}
    arguments.update(changes)
    return Guard(**arguments)  # type: ignore[arg-type]


def page(body: str) -> bytes:
    return f"<!doctype html><html><head><title>x</title></head><body>\n{CHROME}<main>\n{body}\n</main>\n{CHROME}</body></html>".encode()


def kinds(leaks: list[Leak]) -> list[str]:
    return [leak.kind for leak in leaks]


# --- runs of words ----------------------------------------------------------------------------


def test_a_held_back_run_of_six_words_is_found() -> None:
    leaks = guard().check_file(
        "fragments/x/index.html", page("<p>We heard the Tegu women's shelter hid eleven defenders.</p>")
    )
    assert leaks == [Leak("fragments/x/index.html", WORDS_FROM_HELD_BACK)]


def test_five_words_are_not_enough() -> None:
    assert guard().check_file("a.html", page("<p>Tegu women's shelter hid</p>")) == []


def test_a_run_public_text_also_has_is_not_a_leak() -> None:
    assert guard().check_file("a.html", page(f"<p>{SHARED}.</p>")) == []


def test_nothing_public_is_a_leak() -> None:
    public_page = page(
        "<h1>Mali</h1><p>" + SHARED + "</p><dd>SCC-WAF2301/CIV00001</dd><dd>Policy change</dd><dd>2023</dd>"
    )
    assert guard().check_file("countries/mali/index.html", public_page) == []


@pytest.mark.parametrize(
    "body",
    [
        "<p>the Tegu women&#39;s shelter hid eleven defenders</p>",
        "<p>the Tegu women&amp;#39;s shelter hid eleven defenders</p>",  # escaped twice (a feed)
        "<p>the <em>Tegu</em> women’s <a href='x'>shelter</a> hid eleven defenders</p>",
        "<p>the Tegu women's\nshelter\n\nhid eleven defenders</p>",
        "<p>THE TÉGU WOMEN'S SHELTER HID ELEVEN DEFENDERS</p>",
        "<p>the Tegu women\u2019s\u00a0shelter hid ele\u00adven defenders</p>",
        '<meta name="description" content="the Tegu women&#x27;s shelter hid eleven defenders">',
    ],
)
def test_escaped_marked_up_and_split_runs_are_found(body: str) -> None:
    assert kinds(guard().check_file("a.html", page(body))) == [WORDS_FROM_HELD_BACK]


def test_json_escaped_runs_are_found() -> None:
    data = json.dumps({"content": "<p>the Tegu women's shelter hid eleven defenders</p>"}).replace("<", "\\u003c")
    data = data.replace("/", "\\/").replace("'", "\\u0027")
    assert "Tegu women's" not in data
    assert kinds(
        guard().check_file("pagefind/fragment/en_1.pf_fragment", gzip.compress(b"pagefind_dcd" + data.encode()))
    ) == [WORDS_FROM_HELD_BACK]


def test_gzipped_files_are_read() -> None:
    data = gzip.compress(b"<url><loc>x</loc></url> the Tegu women's shelter hid eleven defenders")
    assert kinds(guard().check_file("sitemap.xml.gz", data)) == [WORDS_FROM_HELD_BACK]


def test_runs_across_sentences_are_not_held_back_runs() -> None:
    # "…from the police. Since 2023 local authorities…": the end of one public field next to
    # the start of another makes such runs by chance.
    assert guard().check_file("a.csv", b"defenders from the police Since 2023 local authorities") == []


# --- IDs and values -------------------------------------------------------------------------------


def test_a_held_back_id_is_found_in_text_and_as_a_folder_name() -> None:
    g = guard()
    assert kinds(g.check_file("sitemap.xml", b"<loc>https://x.org/fragments/scc-waf2301-civ00099/</loc>")) == [
        HELD_BACK_ID
    ]
    assert kinds(g.check_file("a.json", b'{"id": "SCC-WAF2301\\/CIV00099"}')) == [HELD_BACK_ID]
    assert g.check_file("fragments/scc-waf2301-civ00099/index.html", page("<p>nothing</p>")) == [
        Leak("fragments/scc-waf2301-civ00099/index.html", IN_A_NAME + HELD_BACK_ID)
    ]


def test_a_short_id_is_looked_for_in_names_only() -> None:
    g = guard()
    assert g.check_file("a.html", page("<p>F7 F7</p>")) == []
    assert kinds(g.check_file("fragments/f7/index.html", b"")) == [IN_A_NAME + HELD_BACK_ID]
    assert g.check_file("fragments/f7-other/index.html", b"") == []


def test_a_held_back_only_country_is_found_in_text_and_names() -> None:
    g = guard()
    assert kinds(g.check_file("index.html", page("<li>Freedonia (1)</li>"))) == [HELD_BACK_VALUE]
    assert kinds(g.check_file("countries/freedonia/index.html", page("<p>x</p>"))) == [IN_A_NAME + HELD_BACK_VALUE]
    assert kinds(g.check_file("countries/freedonia-north/index.html", b"")) == [IN_A_NAME + HELD_BACK_VALUE]
    assert g.check_file("countries/freedonian/index.html", b"") == []  # another word


def test_values_of_lists_codes_and_years_are_checked() -> None:
    g = guard()
    assert kinds(g.check_file("a.html", page("<span>Hidden change</span>"))) == [HELD_BACK_VALUE]
    assert kinds(g.check_file("objectives/xyz/index.html", b"")) == [IN_A_NAME + HELD_BACK_VALUE]
    assert kinds(g.check_file("years/2031/index.html", b"")) == [IN_A_NAME + HELD_BACK_VALUE]
    assert g.check_file("a.html", page("<p>2031 xyz</p>")) == []  # short or numbers: names only


def test_a_value_a_public_fragment_has_is_not_a_leak() -> None:
    g = guard()
    assert g.check_file("countries/mali/index.html", page("<h1>Mali</h1><p>Policy change</p>")) == []


def test_a_value_public_text_mentions_is_not_a_leak() -> None:
    public = [{**PUBLIC[0], "significance": "Refugees from Freedonia arrived."}]
    assert guard(public=public).check_file("countries/freedonia/index.html", page("<p>Freedonia</p>")) == []


def test_allowed_text_exempts_a_value() -> None:
    g = guard(allowed_text=["About Freedonia and its partners"])
    assert g.check_file("about/index.html", page("<p>Freedonia</p>")) == []
    assert kinds(g.check_file("a.html", page("<p>Hidden change</p>"))) == [HELD_BACK_VALUE]


# --- redacted phrases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Aïcha Traoré", "AICHA\u00a0TRAORE", "Ai\u0308cha  Traore\u0301", "aicha-traore@x.org", "Aïcha&nbsp;Traoré"],
)
def test_a_redacted_phrase_is_found_however_written(text: str) -> None:
    assert kinds(guard().check_file("a.html", page(f"<p>met {text} there</p>"))) == [REDACTED_NAME]


def test_a_redacted_phrase_in_a_name() -> None:
    assert kinds(guard().check_file("people/aicha-traore-cv.pdf", b"")) == [IN_A_NAME + REDACTED_NAME]
    assert guard().check_file("a.html", page("<p>Aïcha met Traoré</p>")) == []


# --- leaks never carry the text; several kinds at once -------------------------------------------


def test_a_leak_names_the_file_and_kind_never_the_text() -> None:
    body = "<p>the Tegu women's shelter hid eleven defenders in Freedonia, said Aïcha Traoré, SCC-WAF2301/CIV00099</p>"
    leaks = guard().check_file("x/freedonia/p.html", page(body))
    assert set(kinds(leaks)) == {
        WORDS_FROM_HELD_BACK,
        HELD_BACK_VALUE,
        REDACTED_NAME,
        HELD_BACK_ID,
        IN_A_NAME + HELD_BACK_VALUE,
    }
    secrets = ["tegu", "shelter", "freedonia", "aicha", "aïcha", "traor", "civ00099", "scc"]
    for leak in leaks:
        assert leak.path == "x/freedonia/p.html"
        assert not any(secret in leak.kind.lower() for secret in secrets)


# --- check_tree ------------------------------------------------------------------------------------


def write(root: Path, path: str, data: bytes) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_bytes(data)


def test_check_tree_finds_leaks_in_files_and_folder_names(tmp_path: Path) -> None:
    write(tmp_path, "index.html", page("<p>Welcome</p>"))
    write(tmp_path, "countries/mali/index.html", page("<p>Mali</p>"))
    write(tmp_path, "countries/freedonia/index.html", page("<p>nothing else</p>"))
    write(tmp_path, "fragments/a/index.html", page("<p>the Tegu women's shelter hid eleven defenders</p>"))
    write(tmp_path, "search/index.gz", gzip.compress(b"SCC-WAF2301/CIV00099"))
    assert guard().check_tree(tmp_path) == [
        Leak("countries/freedonia", IN_A_NAME + HELD_BACK_VALUE),  # once, not again for each file in it
        Leak("fragments/a/index.html", WORDS_FROM_HELD_BACK),
        Leak("search/index.gz", HELD_BACK_ID),
    ]


def test_check_tree_skips_theme_assets_and_binaries_but_not_their_names(tmp_path: Path) -> None:
    for path in [
        "assets/javascripts/bundle.js",
        "assets/images/x.png",
        "pagefind/pagefind.js",
        "pagefind/wasm.en.pagefind",
    ]:
        write(tmp_path, path, f"{path}: the Tegu women's shelter hid eleven defenders".encode())
    write(tmp_path, "assets/images/freedonia.png", b"")
    assert guard().check_tree(tmp_path) == [Leak("assets/images/freedonia.png", IN_A_NAME + HELD_BACK_VALUE)]
    assert kinds(guard().check_tree(tmp_path, skip=())) == [IN_A_NAME + HELD_BACK_VALUE] + [WORDS_FROM_HELD_BACK] * 4


def test_repeated_chrome_is_checked_once_and_new_text_beside_it_still_is(tmp_path: Path) -> None:
    for number in range(300):
        write(
            tmp_path,
            f"fragments/f{number:03}/index.html",
            page(f"<p>the Tegu women's</p>\n<p>Outcome {number} was public</p>"),
        )
    # The run starts in a line every page has, and ends in a new one.
    write(tmp_path, "fragments/zz/index.html", page("<p>the Tegu women's</p>\n<p>shelter hid eleven defenders</p>"))
    started = time.perf_counter()
    leaks = guard().check_tree(tmp_path)
    elapsed = time.perf_counter() - started
    assert leaks == [Leak("fragments/zz/index.html", WORDS_FROM_HELD_BACK)]
    assert elapsed < 2.0


def test_a_run_across_a_line_break_next_to_seen_lines_is_found(tmp_path: Path) -> None:
    chrome = b"<div>\nSkip to content\n</div>\n<p>the Tegu women's</p>\n"
    write(tmp_path, "a/index.html", chrome + b"<p>nothing</p>\n")
    write(tmp_path, "b/index.html", chrome + b"<p>shelter hid eleven defenders</p>\n")
    assert guard().check_tree(tmp_path) == [Leak("b/index.html", WORDS_FROM_HELD_BACK)]


@pytest.mark.parametrize("piece_bytes", [1, 40, 100, 1000])
def test_a_large_file_checked_in_pieces_finds_what_it_finds_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece_bytes: int
) -> None:
    # A held-back run and a redacted name longer than two runs, one word a line: every piece
    # size cuts them somewhere, and each is still read whole in one piece.
    long_name = "Amina Zara Diallo Keita Coulibaly Sissoko Bamba Konate Sylla Toure Camara Dembele Sangare"
    public_lines = [f"<p>line {number} of public text</p>" for number in range(60)]
    body = public_lines[:30] + SECRET.split() + public_lines[30:45] + long_name.split() + public_lines[45:]
    data = "\n".join(body).encode()
    checker = guard(redacted=["Aïcha Traoré", long_name])
    whole = checker.check_file("big.html", data)
    assert whole == [Leak("big.html", WORDS_FROM_HELD_BACK), Leak("big.html", REDACTED_NAME)]
    monkeypatch.setattr(seen_lines, "PIECE_BYTES", piece_bytes)
    write(tmp_path, "big.html", data)
    assert checker.check_tree(tmp_path, processes=1) == whole


def test_readable_words() -> None:
    assert readable_words('<p class="x">Caf&eacute; <b>na\\u00efve</b></p><img alt="Le Pont">') == [
        "cafe",
        "naive",
        "le",
        "pont",
    ]


# --- the fast reading of words -------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.privacy.guard.decode import WordReader as _WordReader  # noqa: E402
from generator.privacy.guard.decode import readable_text  # noqa: E402
from generator.privacy.redact import words  # noqa: E402

TRICKY_TEXTS = [
    "Côte d’Ivoire · Société… «Tégu» ½ ﬁnance İstanbul STRASSE straße",
    "ele\u00adven zero\u200bwidth e\u0301te\u0301 No\u00a0break",
    "Søren Ærø Łódź 東京 Ελλάδα ΣΟΦΊΑ",  # letters that fold to letters outside ASCII
    "lone \ud800 surrogate, replacement \ufffd, astral \U0001d400\U0001f600 tags \U000e0041",
    "under_score a-b a.b 2023.0 x%20y",
    # A binary file read as text (Pagefind's index): stray letters of many scripts, side by side.
    "\x01\u0642\ufffd\u0402\u07c2\ua002\u7002\x00\u0242\u0e01\u0e02ab\u0543\u02c0\u06c3",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_the_word_reader_gives_the_words_redact_gives(text: str) -> None:
    assert _WordReader().words(text) == [word.encode("utf-8", "surrogatepass") for word in words(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2FFFF), max_size=60))
def test_the_word_reader_gives_the_words_redact_gives_for_any_text(text: str) -> None:
    reader = _WordReader()
    expected = [word.encode("utf-8", "surrogatepass") for word in words(text)]
    assert reader.words(text) == expected
    assert reader.words(text) == expected  # again, with the characters' folds remembered


@given(st.binary(max_size=80) | st.text(max_size=80).map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_readable_words_of_bytes_are_those_of_the_decoded_text(data: bytes) -> None:
    expected = [word.encode("utf-8", "surrogatepass") for word in readable_words(data.decode("utf-8", "replace"))]
    assert _WordReader().readable_words(data) == expected


def test_readable_text_keeps_attribute_text_and_drops_markup() -> None:
    assert readable_text("<p title='a b'>x&amp;y</p>").split() == ["x&y", "a", "b"]


# --- what the reading must not miss -----------------------------------------------------------------


def test_a_run_of_words_that_public_text_all_has_in_another_order_is_found() -> None:
    # Every word of this run is in SECRET or SHARED (public), only not in this order.
    public = [{**PUBLIC[0], "significance": "the police hid from the women's shelter of Tegu eleven defenders"}]
    body = "<p>the Tegu women's shelter hid eleven defenders</p>"
    assert kinds(guard(public=public).check_file("a.html", page(body))) == [WORDS_FROM_HELD_BACK]


def test_a_value_whose_words_are_all_public_but_one_is_found() -> None:
    # "Policy change" is public; "Hidden change" shares "change": its anchor is "hidden".
    assert kinds(guard().check_file("a.html", page("<p>Policy change, Hidden change</p>"))) == [HELD_BACK_VALUE]


# --- one walk over several folders, and in several processes -----------------------------------------


def test_check_tree_with_the_docs_folder_checks_a_copied_file_once(tmp_path: Path) -> None:
    site, docs = tmp_path / "site", tmp_path / "docs"
    leaking = b"the Tegu women's shelter hid eleven defenders"
    write(site, "outcomes.csv", leaking)
    write(docs, "outcomes.csv", leaking)  # MkDocs copied it
    write(
        docs, "fragments/a.md", b"# A\n\nSince 2023 the Tegu women's shelter hid eleven\ndefenders, said Freedonia.\n"
    )
    assert guard().check_tree(site, docs) == [
        Leak("outcomes.csv", WORDS_FROM_HELD_BACK),
        Leak("fragments/a.md", WORDS_FROM_HELD_BACK),
        Leak("fragments/a.md", HELD_BACK_VALUE),
    ]
    assert guard().check_tree(docs) == [  # alone, the docs' copy is named
        Leak("outcomes.csv", WORDS_FROM_HELD_BACK),
        Leak("fragments/a.md", WORDS_FROM_HELD_BACK),
        Leak("fragments/a.md", HELD_BACK_VALUE),
    ]


def a_site_with_leaks_everywhere(root: Path) -> None:
    for number in range(60):
        secret = "<p>shelter hid eleven defenders</p>" if number % 7 == 0 else f"<p>Outcome {number}</p>"
        write(root, f"fragments/f{number:03}/index.html", page(f"<p>the Tegu women's</p>\n{secret}"))
        if number % 11 == 0:
            write(root, f"countries/freedonia-{number}/index.html", page("<p>Hidden change</p>"))
    # The same leaking line in many files, early and late: named in the first only.
    for name in ["a", "m", "z"]:
        write(root, f"{name}.html", page("<p>the Tegu women's shelter hid eleven defenders</p>"))
    write(root, "zz/index.gz", gzip.compress(b"SCC-WAF2301/CIV00099"))


@pytest.mark.parametrize("processes", [2, 3])
def test_parallel_and_serial_checks_give_the_same_leaks_in_the_same_order(tmp_path: Path, processes: int) -> None:
    from generator.forking import can_fork as _can_fork

    if not _can_fork():
        pytest.skip("no fork here: check_tree runs in one process")
    a_site_with_leaks_everywhere(tmp_path / "site")
    a_site_with_leaks_everywhere(tmp_path / "docs")
    g = guard()
    serial = g.check_tree(tmp_path / "site", tmp_path / "docs", processes=1)
    assert len(serial) > 10
    assert g.check_tree(tmp_path / "site", tmp_path / "docs", processes=processes) == serial


def test_the_walk_lists_what_os_walk_lists_in_the_same_order(tmp_path: Path) -> None:
    import os

    from generator.privacy.guard.walk import skipper as _skipper
    from generator.privacy.guard.walk import walk as _walk

    a_site_with_leaks_everywhere(tmp_path / "site")
    (tmp_path / "site" / "link-to-fragments").symlink_to(tmp_path / "site" / "fragments")
    (tmp_path / "site" / "link.html").symlink_to(tmp_path / "site" / "a.html")
    expected: list[tuple[str, bool]] = []
    for directory, folders, files in os.walk(tmp_path / "site"):
        folders.sort()
        relative = Path(directory).relative_to(tmp_path / "site").as_posix()
        prefix = "" if relative == "." else relative + "/"
        expected += [(prefix + name, False) for name in folders]
        expected += [(prefix + name, not os.path.islink(os.path.join(directory, name))) for name in sorted(files)]
    assert [(entry.path, entry.read) for entry in _walk(tmp_path / "site", _skipper(()))] == expected


def test_the_guard_process_finds_what_the_guard_finds_here(tmp_path):
    """GuardProcess makes the guard and reads the first folder in a process of its own:
    the leaks are the same as checking both folders here, the first folder's first."""
    from generator.privacy.guard.process import GuardProcess

    held = {
        "fragment_id": "SECRET-77",
        "description": "the envoy quietly negotiated a ceasefire with the river militias",
    }
    public = {"fragment_id": "P-1", "description": "the market committee meets every month"}

    def make() -> Guard:
        return Guard(held_back=[held], public=[public], redacted=["Amina Diallo"])

    docs, site = tmp_path / "docs", tmp_path / "site"
    (docs / "fragments").mkdir(parents=True)
    (site / "news").mkdir(parents=True)
    (docs / "fragments" / "p.md").write_text(
        "We heard the envoy quietly negotiated a ceasefire with the river militias."
    )
    (site / "news" / "index.html").write_text("<p>Amina&nbsp;Diallo spoke.</p>")
    here = make().check_tree(docs, processes=1) + make().check_tree(site)
    assert [leak.kind for leak in here] == [WORDS_FROM_HELD_BACK, REDACTED_NAME]
    assert GuardProcess(make, docs).check(site) == here


def test_pages_checked_as_produced_are_checked_again_if_the_site_holds_other_bytes(tmp_path):
    """A page handed to the guard as MkDocs produces it is checked then; the site's walk
    reads it again only when the file is not those bytes (something changed it later),
    so what the site holds is what was checked."""
    from generator.privacy.guard.process import GuardProcess

    held = {"fragment_id": "SECRET-77", "description": "the envoy quietly negotiated a ceasefire with the river"}

    def make() -> Guard:
        return Guard(held_back=[held], public=[], redacted=["Amina Diallo"])

    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    (site / "a").mkdir(parents=True)
    (site / "b").mkdir(parents=True)
    produced_a = b"<p>Amina Diallo spoke.</p>"
    (site / "a" / "index.html").write_bytes(produced_a)  # written as produced
    (site / "b" / "index.html").write_bytes(b"<p>the envoy quietly negotiated a ceasefire with the river</p>")
    with GuardProcess(make, docs) as guard:
        guard.page("a/index.html", produced_a)
        guard.page("b/index.html", b"<p>Nothing to see.</p>")  # changed after it was produced
        leaks = guard.check(site)
    assert leaks == [Leak("a/index.html", REDACTED_NAME), Leak("b/index.html", WORDS_FROM_HELD_BACK)]


@pytest.mark.parametrize("waiting_bytes", [0, 32 << 20])
def test_pages_checked_while_the_docs_folder_is_read_are_named_after_its_leaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, waiting_bytes: int
) -> None:
    """Pages that come while the guard reads the docs folder are held up to WAITING_BYTES,
    beyond which the oldest is checked at once: what is found, and its order (the docs
    folder's leaks, the pages', the site's), is the same either way."""
    from generator.privacy.guard import process
    from generator.privacy.guard.process import GuardProcess

    monkeypatch.setattr(process, "WAITING_BYTES", waiting_bytes)  # the guard's process is forked: it has it too
    held = {"fragment_id": "SECRET-77", "description": "the envoy quietly negotiated a ceasefire with the river"}

    def make() -> Guard:
        return Guard(held_back=[held], public=[], redacted=["Amina Diallo"])

    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    for number in range(200):
        (docs / f"p{number:03}.md").write_text(f"Page {number}.\n" * 200)
    (docs / "z.md").write_text("the envoy quietly negotiated a ceasefire with the river")
    (site / "a").mkdir(parents=True)
    produced = {f"p{number:03}/index.html": f"<p>Page {number}.</p>".encode() for number in range(50)}
    produced["p049/index.html"] = b"<p>Amina Diallo spoke.</p>"
    for path, data in produced.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    (site / "a" / "feed.xml").write_text("<title>the envoy quietly negotiated a ceasefire with the river</title>")
    with GuardProcess(make, docs) as guard:
        _hand_over(guard.page, produced)
        leaks = guard.check(site)
    assert leaks == [
        Leak("z.md", WORDS_FROM_HELD_BACK),
        Leak("p049/index.html", REDACTED_NAME),
        Leak("a/feed.xml", WORDS_FROM_HELD_BACK),
    ]


def test_a_guard_process_never_asked_to_check_ends_with_the_build(tmp_path):
    """A build that stops before its site is checked (MkDocs failed, say) ends the guard's
    process at once: nothing is left waiting for a site that will never come."""
    import multiprocessing

    from generator.privacy.guard.process import GuardProcess

    (tmp_path / "docs").mkdir()
    started = time.perf_counter()
    with GuardProcess(lambda: Guard(held_back=[], public=[], redacted=[]), tmp_path / "docs"):
        pass
    assert multiprocessing.active_children() == []
    assert time.perf_counter() - started < 5


def _hand_over(page, pages: dict[str, bytes]) -> None:
    for path, data in pages.items():
        page(path, data)


def test_pages_a_helper_process_produces_reach_the_guard_by_its_inlet(tmp_path):
    """The other languages' engine builds run in helper processes forked after the guard's:
    each hands its pages to the guard by an inlet of its own, named in the site with the
    language's folder. They are checked as produced, and read again from the site when the
    file is not those bytes, as the build's own pages are."""
    from generator import forking
    from generator.privacy.guard.process import GuardProcess

    if not forking.can_fork():
        pytest.skip("no fork here: the other languages are built in this process")
    held = {"fragment_id": "SECRET-77", "description": "the envoy quietly negotiated a ceasefire with the river"}

    def make() -> Guard:
        return Guard(held_back=[held], public=[], redacted=["Amina Diallo"])

    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    (site / "fr" / "a").mkdir(parents=True)
    (site / "fr" / "b").mkdir(parents=True)
    # a: what the helper produced names Amina Diallo; the file was changed after (only the
    # inlet can tell). b: produced clean, the file holds a held-back outcome's words.
    (site / "fr" / "a" / "index.html").write_bytes(b"<p>Rien.</p>")
    (site / "fr" / "b" / "index.html").write_bytes(b"<p>the envoy quietly negotiated a ceasefire with the river</p>")
    produced = {"a/index.html": b"<p>Amina Diallo a pris la parole.</p>", "b/index.html": b"<p>Rien.</p>"}
    with GuardProcess(make, docs, inlets=1) as guard:
        page = guard.inlet(0, "fr/")
        helper = forking.call(_hand_over, page, produced)
        guard.inlets_handed()
        helper.result()
        leaks = guard.check(site)
    assert leaks == [Leak("fr/a/index.html", REDACTED_NAME), Leak("fr/b/index.html", WORDS_FROM_HELD_BACK)]


def test_a_pagefind_bundle_handed_over_when_done_is_checked_as_the_site_holds_it(tmp_path):
    """Each language's Pagefind helper hands the guard its finished bundle (search.Indexer's
    hand_over) while MkDocs still works: each file is checked then, by its path in the site,
    and the site's walk reads it again when the file in the site is not those bytes."""
    from generator import forking
    from generator.privacy.guard.process import GuardProcess
    from generator.publish.search import _hand_over_bundle

    if not forking.can_fork():
        pytest.skip("no fork here: the bundle is made in a thread, and read from the site")
    held = {"fragment_id": "SECRET-77", "description": "the envoy quietly negotiated a ceasefire with the river"}

    def make() -> Guard:
        return Guard(held_back=[held], public=[], redacted=["Amina Diallo"])

    docs, site, bundle = tmp_path / "docs", tmp_path / "site", tmp_path / "work" / "pagefind"
    docs.mkdir()
    (bundle / "fragment").mkdir(parents=True)
    (bundle / "fragment" / "en_1.pf_fragment").write_bytes(b"Amina Diallo spoke.")
    (bundle / "fragment" / "en_2.pf_fragment").write_bytes(b"Nothing to see.")
    (site / "fr" / "pagefind" / "fragment").mkdir(parents=True)
    (site / "fr" / "pagefind" / "fragment" / "en_1.pf_fragment").write_bytes(b"Amina Diallo spoke.")
    # Not the bytes handed over: read from the site again.
    (site / "fr" / "pagefind" / "fragment" / "en_2.pf_fragment").write_bytes(
        b"the envoy quietly negotiated a ceasefire with the river"
    )
    with GuardProcess(make, docs, inlets=1, trees=["fr/"]) as guard:
        hand_over = guard.inlet(0, "fr/")
        assert hand_over is not None
        helper = forking.call(_hand_over_bundle, bundle, hand_over)
        guard.inlets_handed()
        helper.result()
        leaks = guard.check(site)
    assert leaks == [
        Leak("fr/pagefind/fragment/en_1.pf_fragment", REDACTED_NAME),
        Leak("fr/pagefind/fragment/en_2.pf_fragment", WORDS_FROM_HELD_BACK),
    ]


def test_a_language_tree_skips_what_the_root_skips_and_reads_the_rest(tmp_path):
    """A language's tree (fr/) holds its own copies of the theme's and Pagefind's program
    files, not read there as at the root (their names still are); everything else of the
    tree is read: a held-back outcome's words in its pages, its search index or a script of
    the project's own are found, as at the root."""
    from generator.privacy.guard.process import GuardProcess

    held = {"fragment_id": "SECRET-77", "description": "the envoy quietly negotiated a ceasefire with the river"}
    words = b"the envoy quietly negotiated a ceasefire with the river"

    def make() -> Guard:
        return Guard(held_back=[held], public=[], redacted=[])

    docs, site = tmp_path / "docs", tmp_path / "site"
    docs.mkdir()
    files = {
        "assets/javascripts/bundle.js": words,  # the theme's: not read, at the root or in fr/
        "fr/assets/javascripts/bundle.js": words,
        "fr/pagefind/pagefind-ui.js": words,
        "fr/assets/facets.js": words,  # the project's own script: read
        "fr/pagefind/fragment/fr_1.pf_fragment": gzip.compress(b'{"content": "' + words + b'"}'),
        "fr/secret-77/index.html": b"<p>Rien.</p>",  # its name holds a held-back ID
        "fr/seul/index.html": b"<p>" + words + b"</p>",  # a page of the French tree only
    }
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    with GuardProcess(make, docs, trees=["fr/"]) as guard:
        leaks = guard.check(site)
    assert sorted((leak.path, leak.kind) for leak in leaks) == [
        ("fr/assets/facets.js", WORDS_FROM_HELD_BACK),
        ("fr/pagefind/fragment/fr_1.pf_fragment", WORDS_FROM_HELD_BACK),
        ("fr/secret-77", IN_A_NAME + HELD_BACK_ID),
        ("fr/seul/index.html", WORDS_FROM_HELD_BACK),
    ]


def test_the_editors_text_added_to_public_text_is_as_if_given_with_it():
    """PublicText.add: the values and word counts are those of one PublicText of all the
    texts (the guard adds the editors' text after taking the runs of the fragments' own)."""
    from generator.privacy.guard.terms import PublicText

    fragments = [SHARED, "Policy change", "Mali"]
    editors = ["Freedonia is our partner", "Secret objective name", ""]
    added = PublicText(fragments)
    added.add(editors)
    whole = PublicText(fragments + editors)
    assert added.word_counts == whole.word_counts
    assert added.shingles == whole.shingles
    for term in [("freedonia",), ("secret", "objective"), ("mali", "freedonia"), ("policy", "change"), ("kote",)]:
        assert added.has(term) == whole.has(term)
    assert added.has(("freedonia",)) and not added.has(("mali", "freedonia"))


def test_the_guard_finds_the_same_with_and_without_the_editors_text_added_later():
    """A value the editors name is not a leak; six words of a held-back story copied into
    their text still are (runs are taken before the editors' text is added)."""
    made = guard(allowed_values_text=["Freedonia is where we work", SECRET])
    assert kinds(made.check_file("about/index.html", page("<p>We work in Freedonia.</p>"))) == []
    assert kinds(made.check_file("about/index.html", page(f"<p>{SECRET}</p>"))) == [WORDS_FROM_HELD_BACK]
