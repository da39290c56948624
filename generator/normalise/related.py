"""Links between outcomes ("Related outcomes": the IDs of the outcomes one builds on),
resolved after the gate, against the published outcomes only.

A listed ID is matched as a page address is (generator.normalise.vocabulary.slugify: case
and punctuation aside) and becomes the published outcome's own ID. An ID of an outcome
that is not published (held back for any reason) is dropped without a word: no warning,
no count, nothing written, since any of these would tell that the outcome exists. Only an
ID that matches no row of any input at all is a warning, which then says nothing about
held-back rows (an ID that is one is silent, like a published one). The fragments that
leave here hold only published IDs, so no later stage (pages, open data, front matter,
search) can write another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from generator.errors import Problem
from generator.fields import FieldTable
from generator.model import Fragment, RawRecord
from generator.normalise.values import safe_label
from generator.normalise.vocabulary import slugify


def known_id_slugs(records: Iterable[RawRecord], redact: Callable[[str], str]) -> frozenset[str]:
    """The slug of every row's ID, published or not, as written and as redaction masks it
    (a listed ID is redacted before it is read): for the silence of held-back IDs only."""
    slugs: set[str] = set()
    for record in records:
        written = safe_label(record.text("fragment_id"))
        if written:
            slugs.add(slugify(written))
            masked = safe_label(redact(record.text("fragment_id")))
            if masked != written:
                slugs.add(slugify(masked))
    return frozenset(slugs)


def resolve_related(
    fragments: list[Fragment],
    public: list[RawRecord],
    records: list[RawRecord],
    table: FieldTable,
    redact: Callable[[str], str],
) -> tuple[list[Fragment], list[Problem]]:
    """The fragments with each links field holding only published outcomes' IDs (in the
    order listed, each once, never the outcome's own), and a warning for each listed ID
    that is no row's at all. `public`: the fragments' records, in the same order;
    `records`: every row read, held back or not (their IDs are read only when a listed ID
    is no published outcome's)."""
    assert len(fragments) == len(public), "one record per fragment, in order"
    by_slug = {fragment.slug: fragment.fragment_id for fragment in fragments}
    keys = [entry.key for entry in table if entry.kind == "ids"]
    known: frozenset[str] | None = None
    resolved_fragments: list[Fragment] = []
    problems: list[Problem] = []
    for fragment, record in zip(fragments, public):
        changed: dict[str, tuple[str, ...]] = {}
        for key in keys:
            listed: tuple[str, ...] = fragment.value(key) or ()
            resolved: list[str] = []
            for fragment_id in listed:
                slug = slugify(fragment_id)
                target = by_slug.get(slug)
                message = None
                if target is None:  # not published: a warning only if it is no row's at all
                    known = known if known is not None else known_id_slugs(records, redact)
                    if slug not in known:
                        message = f"'{fragment_id}' is not the ID of any outcome; correct it or remove it"
                elif target == fragment.fragment_id:
                    message = f"'{fragment_id}' is this outcome's own ID; remove it"
                elif target not in resolved:
                    resolved.append(target)
                if message:
                    problems.append(Problem(record.where(key), record.values[key].name, message))
            if tuple(resolved) != listed:
                changed[key] = tuple(resolved)
        resolved_fragments.append(replace(fragment, values={**fragment.values, **changed}) if changed else fragment)
    return resolved_fragments, problems
