"""The guard: checks files, names and whole trees for what only held-back fragments have
(see generator/privacy/guard/__init__.py for what it looks for and how).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from generator import forking
from generator.fields import DEFAULT_TABLE, FieldTable
from generator.privacy.guard.decode import WordReader, decompressed
from generator.privacy.guard.parallel import check_in_parallel, default_processes, in_blocks
from generator.privacy.guard.seen_lines import SeenLines, unseen_chunks
from generator.privacy.guard.terms import (
    IN_A_NAME,
    REDACTED_NAME,
    SHINGLE,
    WORDS_FROM_HELD_BACK,
    Leak,
    PublicText,
    WordBytes,
    by_anchor,
    encoded,
    held_back_runs,
    held_back_terms,
    in_name_only,
    shingles,
)
from generator.privacy.guard.walk import DEFAULT_SKIP, Entry, skipper, walk
from generator.privacy.redact import words


class Guard:
    """Checks files and names for text that only held-back fragments contain. Build once per build.

    held_back, public: one mapping per fragment, field key → the field's text (raw is best:
    every value a public fragment has makes the check of held-back ones more precise; but
    a field not published as written, the related outcomes, as published: never counted
    as public text, only its runs of words are).
    redacted: the phrases the redactor masks (each also with its words joined, as the
    redactor masks them: "aminadiallo" in a handle or an address). allowed_text: the
    site's own text (labels, scripts, the site's name): never a leak of a value, nor of a
    run of words.
    allowed_values_text: text the editors wrote (hand-written pages, Results Framework
    labels): a value or an ID it names is not a leak, but six words of a held-back story
    copied into it are. fields: the table whose kinds say which fields hold short values
    and which one the ID.
    """

    def __init__(
        self,
        held_back: Iterable[Mapping[str, str]],
        public: Iterable[Mapping[str, str]],
        redacted: Iterable[str],
        allowed_text: Iterable[str] = (),
        allowed_values_text: Iterable[str] = (),
        fields: FieldTable = DEFAULT_TABLE,
    ) -> None:
        # The short values to look for, and the ID, by the fields' kinds (generator.fields.KINDS).
        facet_fields = frozenset(fields.short_value_fields)
        id_field = fields.id_field
        held_back, public = list(held_back), list(public)
        allowed_text = list(allowed_text)
        # A list of other outcomes' IDs is published resolved, never as written: a held-back
        # ID that a public outcome lists is no public text, and still looked for as an ID.
        not_written = frozenset(fields.not_as_written_fields)
        public_text = [
            text for fragment in public for key, text in fragment.items() if key not in not_written
        ] + allowed_text
        shared = PublicText(public_text)
        # Its runs of words, as published (the generator gives it resolved), are public: a
        # held-back outcome that lists IDs as a public one does leaks nothing by that.
        listed = PublicText(text for fragment in public for key, text in fragment.items() if key in not_written)
        runs = held_back_runs(held_back, facet_fields, id_field) - shared.shingles - listed.shingles
        # The editors' text: its values are public, its runs not (taken after the runs above).
        shared.add(allowed_values_text)
        terms = held_back_terms(held_back, facet_fields, id_field, shared)
        for phrase in redacted:
            term = tuple(words(phrase))
            if term:
                terms[term] = REDACTED_NAME
            if len(term) > 1:  # its words joined, as in a handle or an address: "aminadiallo"
                terms[("".join(term),)] = REDACTED_NAME
        content_terms = {term: kind for term, kind in terms.items() if kind == REDACTED_NAME or not in_name_only(term)}
        self._shingles = {encoded(run) for run in runs}
        self._name_terms = {encoded(term): kind for term, kind in terms.items()}
        self._content_terms = {encoded(term) for term in content_terms}
        self._name_term_lengths = sorted({len(term) for term in terms})
        self._longest_content_term = max(map(len, content_terms), default=0)
        self._anchored = by_anchor(content_terms, shared.word_counts)
        self._reader = WordReader()

    # --- checking --------------------------------------------------------------------------

    def _kinds_in_words(self, found: list[bytes]) -> list[str]:
        """The kinds of leak among found (a text's folded words), each once, in a fixed order."""
        kinds: list[str] = []
        if self._has_held_back_run(found):
            kinds.append(WORDS_FROM_HELD_BACK)
        # A term's anchor is its rarest word in public text: most texts hold no anchor, which
        # isdisjoint tells without building a set. (The rarest word of each run was tried as
        # such a filter and let 98% of a site's words through: most runs are of words that
        # public text has too, only not in that order.)
        if not self._anchored.keys().isdisjoint(found):
            anchors = self._anchored.keys() & set(found)
            padded = b" " + b" ".join(found) + b" "
            for anchor in sorted(anchors):
                for term, kind in self._anchored[anchor]:
                    if kind not in kinds and b" " + b" ".join(term) + b" " in padded:
                        kinds.append(kind)
        return kinds

    def _has_held_back_run(self, found: list[bytes]) -> bool:
        return len(found) >= SHINGLE and not self._shingles.isdisjoint(shingles(found))

    def _content_leaks(self, path: str, data: bytes, seen: SeenLines | None) -> list[Leak]:
        kinds: list[str] = []
        for chunk in unseen_chunks(decompressed(data), seen, self._longest_content_term):
            for kind in self._kinds_in_words(self._reader.readable_words(chunk)):
                if kind not in kinds:
                    kinds.append(kind)
        return [Leak(path, kind) for kind in kinds]

    def _name_leaks(self, path: str, name: str) -> list[Leak]:
        """Leaks in one file or folder name, compared as slugs (a-z0-9 runs joined by '-')."""
        name_words = self._reader.words(name)
        stem_words = self._reader.words(name.rsplit(".", 1)[0]) if "." in name else name_words
        kinds = [WORDS_FROM_HELD_BACK] if self._has_held_back_run(name_words) else []
        for term in self._terms_in_name(name_words, stem_words):
            kind = self._name_terms[term]
            if kind not in kinds:
                kinds.append(kind)
        return [Leak(path, IN_A_NAME + kind) for kind in kinds]

    def _terms_in_name(self, name_words: list[bytes], stem_words: list[bytes]) -> Iterator[WordBytes]:
        """Terms that are the whole name (or its stem), or whole words of it: redacted phrases
        and terms long enough to be looked for in contents."""
        for whole in (tuple(name_words), tuple(stem_words)):
            if whole in self._name_terms:
                yield whole
        for length in self._name_term_lengths:
            for start in range(len(name_words) - length + 1):
                part = tuple(name_words[start : start + length])
                if part in self._content_terms:
                    yield part

    def check_file(self, path: str, data: bytes, skip: Collection[str] = DEFAULT_SKIP) -> list[Leak]:
        """Leaks in one file (path relative to the site, POSIX): its content, unless skip
        matches the path, and every part of its path."""
        leaks: list[Leak] = []
        for name in path.split("/"):
            leaks += [leak for leak in self._name_leaks(path, name) if leak not in leaks]
        if not skipper(skip)(path):
            leaks += self._content_leaks(path, data, None)
        return leaks

    def check_tree(
        self,
        root: Path,
        *more_roots: Path,
        skip: Collection[str] = DEFAULT_SKIP,
        processes: int | None = None,
        prefixes: Sequence[str] = (),
    ) -> list[Leak]:
        """Leaks in every file and folder under root (then under each of more_roots), by path
        relative to its root (POSIX), in walking order (folders sorted). Symbolic links are
        neither followed nor read.

        All the roots share what has been checked: give the docs folder after the site
        (check_tree(site, docs)) and the files MkDocs copied unchanged (open data, feed)
        are checked once, as is every line the Markdown shares with the HTML.

        processes: how many processes share the work (see check_in_parallel); None: two
        when the machine has two cores, the files are big enough to pay for starting a
        process, and fork is available. The result is the same however many there are.

        prefixes: what each root's paths are named with (one per root, in order; '' when
        not given), so that a leak in a second docs folder is told from one in the first.
        """
        tops = (root, *more_roots)
        named = [*prefixes, *[""] * (len(tops) - len(prefixes))]
        entries = [entry for top, prefix in zip(tops, named) for entry in walk(top, skipper(skip), prefix)]
        count = processes if processes is not None else default_processes(entries)
        if count > 1 and forking.can_fork():
            return check_in_parallel(self._check_entries, self._reader, in_blocks(entries, count))
        return self._check_entries(entries, SeenLines(self._reader))

    def _check_entries(self, entries: Iterable[Entry], seen: SeenLines) -> list[Leak]:
        """The leaks in the names and contents of entries, in their order; seen: the lines
        checked before (of the entries before them in the walk)."""
        leaks: list[Leak] = []
        for entry in entries:
            leaks += self._name_leaks(entry.path, entry.name)
            if entry.read:
                with open(entry.full, "rb") as handle:
                    leaks += self._content_leaks(entry.path, handle.read(), seen)
        return leaks
