"""generator/publish/write.py: a preview's save writes a changed docs file over the old one, in place."""

from __future__ import annotations

import os

from generator.publish.write import DocsState, write_docs


def test_a_preview_save_writes_a_changed_file_in_place_holding_exactly_its_new_bytes(tmp_path):
    docs, state = tmp_path / "docs", DocsState()
    write_docs({"a.md": b"a long first text\n", "b.md": b"b\n"}, docs, state)
    inode = os.stat(docs / "a.md").st_ino
    summary = write_docs({"a.md": b"short\n", "b.md": b"b\n", "c/d.md": b"new\n"}, docs, state)
    assert (docs / "a.md").read_bytes() == b"short\n", "cut to its new length"
    assert os.stat(docs / "a.md").st_ino == inode, "written over, not renamed over"
    assert (docs / "c" / "d.md").read_bytes() == b"new\n"
    assert summary.written_paths == ("a.md", "c/d.md") and summary.unchanged == 1
    assert not [path.name for path in docs.rglob(".*.tmp")]


def test_a_link_put_in_the_docs_folder_is_replaced_never_written_through(tmp_path):
    docs, state, outside = tmp_path / "docs", DocsState(), tmp_path / "outside.txt"
    outside.write_bytes(b"not the generator's\n")
    write_docs({"a.md": b"a\n"}, docs, state)
    (docs / "a.md").unlink()
    (docs / "a.md").symlink_to(outside)
    write_docs({"a.md": b"changed\n"}, docs, state)
    assert outside.read_bytes() == b"not the generator's\n"
    assert not (docs / "a.md").is_symlink() and (docs / "a.md").read_bytes() == b"changed\n"


def test_a_file_changed_by_hand_is_written_again_by_the_next_save(tmp_path):
    docs, state = tmp_path / "docs", DocsState()
    write_docs({"a.md": b"generated\n"}, docs, state)
    (docs / "a.md").write_bytes(b"edited by hand, longer\n")
    summary = write_docs({"a.md": b"generated\n"}, docs, state)
    assert (docs / "a.md").read_bytes() == b"generated\n" and summary.written_paths == ("a.md",)


def test_a_file_with_another_name_is_replaced_never_written_through(tmp_path):
    docs, state, other = tmp_path / "docs", DocsState(), tmp_path / "other.md"
    write_docs({"a.md": b"a\n"}, docs, state)
    os.link(docs / "a.md", other)
    write_docs({"a.md": b"changed\n"}, docs, state)
    assert other.read_bytes() == b"a\n" and (docs / "a.md").read_bytes() == b"changed\n"
