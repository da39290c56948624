"""content/vocabularies.yml: the values editors own (types of change, social actors, scale),
each with its English and French label and the other spellings it is known by.

A section the file gives replaces the built-in one (generator/normalise/vocabulary.py); a
section it leaves out keeps it. Anything the file gets wrong stops the build, naming the
line, the entry and what to write instead.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from generator.errors import InputError, Location
from generator.normalise.values import Term, Vocabulary, spelling_key, vocabulary_term
from generator.normalise.vocabulary import VOCABULARY_SECTIONS
from generator.read.yamlfile import line_of, mapping_items, read_yaml_nodes

SECTIONS = tuple(section for section, _, _, _ in VOCABULARY_SECTIONS)
ENTRY_KEYS = ("en", "fr", "also")
EXAMPLE = "such as '- en: Policy change' with 'fr: Changement de politique' and 'also: [Policy]' below it"


def read_vocabularies(path: Path) -> tuple[Vocabulary, ...]:
    """The vocabularies the file gives, in the file's order; their messages name the file
    as the editor knows it (content/vocabularies.yml from the project's folder)."""
    vocabularies = []
    seen: dict[str, Location] = {}
    items = mapping_items(path, read_yaml_nodes(path), f"vocabularies, each a list of values ({', '.join(SECTIONS)})")
    for key, value in items:
        section = key.value.strip()
        if section not in SECTIONS:
            close = difflib.get_close_matches(section, SECTIONS, n=1, cutoff=0.6)
            also = f"; did you mean '{close[0]}'?" if close else ""
            raise InputError(
                line_of(path, key),
                f"'{section}' is not a vocabulary we know{also}",
                hint=f"the vocabularies are {', '.join(SECTIONS)}",
            )
        if section in seen:
            raise InputError(
                line_of(path, key), f"'{section}' is given twice; it is also at {seen[section]}", hint="keep one list"
            )
        seen[section] = line_of(path, key)
        vocabularies.append(_vocabulary(path, section, value))
    return tuple(vocabularies)


def _vocabulary(path: Path, section: str, node: yaml.Node) -> Vocabulary:
    if isinstance(node, yaml.ScalarNode) and not node.value.strip():
        return Vocabulary(section, (), _shown(path))  # "social_actors:" with nothing: no known values
    if not isinstance(node, yaml.SequenceNode):
        raise InputError(
            line_of(path, node), f"'{section}' should be a list of values, one per line starting with '- en:'",
            hint=EXAMPLE,
        )  # fmt: skip
    terms: list[tuple[Term, tuple[str, ...]]] = []
    claimed: dict[str, tuple[str, Location]] = {}
    for number, entry in enumerate(node.value, start=1):
        term, also = _entry(path, section, number, entry)
        for spelling in (term.label("en"), term.label("fr"), *also):
            before = claimed.get(spelling_key(spelling))
            if before is not None and before[0] != term.key:
                raise InputError(
                    line_of(path, entry),
                    f"'{spelling}' in value {number} of {section} ('{term.label('en')}') is also a spelling of "
                    f"the value at {before[1]}",
                    hint="a spelling can mean one value only: remove it from one of them, or merge the two",
                )
            claimed[spelling_key(spelling)] = (term.key, line_of(path, entry))
        terms.append((term, also))
    return Vocabulary(section, tuple(terms), _shown(path))


def _shown(path: Path) -> str:
    """The file's path from the working folder when it is under it, else as given."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _entry(path: Path, section: str, number: int, node: yaml.Node) -> tuple[Term, tuple[str, ...]]:
    where = f"value {number} of {section}"
    if not isinstance(node, yaml.MappingNode):
        raise InputError(line_of(path, node), f"{where} should have 'en:' and 'fr:' labels", hint=EXAMPLE)
    given: dict[str, yaml.Node] = {}
    for key, value in mapping_items(path, node, f"{where} with 'en:', 'fr:' and 'also:'"):
        name = key.value.strip().lower()
        if name not in ENTRY_KEYS:
            raise InputError(
                line_of(path, key),
                f"{where} has '{key.value}', which is not read",
                hint="each value has 'en:' (its English label), 'fr:' (its French label) and, if needed, "
                "'also:' (the other spellings it is known by)",
            )
        given[name] = value
    labels: dict[str, str] = {}
    for language, name in (("en", "English"), ("fr", "French")):
        label_node = given.get(language)
        if not isinstance(label_node, yaml.ScalarNode) or not spelling_key(label_node.value):
            label = f" ('{labels['en']}')" if labels else ""
            raise InputError(
                line_of(path, label_node if label_node is not None else node),
                f"{where}{label} has no {name} label",
                hint=f"write its {name} label after '{language}:'",
            )
        labels[language] = " ".join(label_node.value.split())
    return vocabulary_term(labels["en"], labels["fr"]), _spellings(path, where, labels["en"], given.get("also"))


def _spellings(path: Path, where: str, english: str, node: yaml.Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    spellings = []
    for item in items:
        if not isinstance(item, yaml.ScalarNode) or not spelling_key(item.value):
            raise InputError(
                line_of(path, item),
                f"{where} ('{english}') has an 'also:' spelling that is not text",
                hint="write the other spellings as a list, such as 'also: [Policy, Changement politique]'",
            )
        spellings.append(" ".join(item.value.split()))
    return tuple(spellings)
