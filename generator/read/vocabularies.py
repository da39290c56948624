"""content/vocabularies.yml: the values editors own (types of change, social actors, scale,
objectives), each with its English and French label and the other spellings it is known by;
an objective also has its code (CIV), by which it is matched.

A section the file gives replaces the built-in one (generator/normalise/vocabulary.py); a
section it leaves out keeps it. Anything the file gets wrong stops the build, naming the
line, the entry and what to write instead.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from generator.errors import InputError, Location
from generator.normalise.values import Term, Vocabulary, spelling_key, vocabulary_term
from generator.normalise.vocabulary import VOCABULARY_SECTIONS
from generator.read.yamlfile import line_of, mapping_items, read_yaml_nodes

SECTIONS = tuple(section for section, _, _, _ in VOCABULARY_SECTIONS)
ENTRY_KEYS = ("en", "fr", "also")
EXAMPLE = "such as '- en: Policy change' with 'fr: Changement de politique' and 'also: [Policy]' below it"
# Objectives: each has its code first ("CIV"), as a cell "CIV: label" starts.
CODED = "objectives"
OBJECTIVE_EXAMPLE = (
    "such as '- code: CIV' with 'en: Less suppression of civic space' and "
    "'fr: Moins de restrictions de l'espace civique' below it"
)
CODE = re.compile(r"[A-Za-z]{2,8}", re.ASCII)  # as a cell's code is read (generator/normalise/values.py)


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
        first = "'- code:'" if section == CODED else "'- en:'"
        raise InputError(
            line_of(path, node), f"'{section}' should be a list of values, one per line starting with {first}",
            hint=OBJECTIVE_EXAMPLE if section == CODED else EXAMPLE,
        )  # fmt: skip
    terms: list[tuple[Term, tuple[str, ...]]] = []
    claimed: dict[str, tuple[str, Location]] = {}
    for number, entry in enumerate(node.value, start=1):
        term, also = _entry(path, section, number, entry)
        codes = (term.key,) if section == CODED else ()
        if codes and spelling_key(term.key) in claimed:
            raise InputError(
                line_of(path, entry),
                f"value {number} of {section} ('{term.label('en')}') has the code '{term.key}', which is also "
                f"the code or a spelling of the value at {claimed[spelling_key(term.key)][1]}",
                hint="a code can mean one objective only: give each its own code, or merge the two",
            )
        for spelling in (*codes, term.label("en"), term.label("fr"), *also):
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
    coded = section == CODED
    keys = ("code", *ENTRY_KEYS) if coded else ENTRY_KEYS
    if not isinstance(node, yaml.MappingNode):
        raise InputError(
            line_of(path, node),
            f"{where} should have {'a code, ' if coded else ''}'en:' and 'fr:' labels",
            hint=OBJECTIVE_EXAMPLE if coded else EXAMPLE,
        )
    given: dict[str, yaml.Node] = {}
    for key, value in mapping_items(path, node, f"{where} with {', '.join(repr(k + ':') for k in keys)}"):
        name = key.value.strip().lower()
        if name not in keys:
            raise InputError(
                line_of(path, key),
                f"{where} has '{key.value}', which is not read",
                hint=("each objective has 'code:' (its code, such as CIV), " if coded else "each value has ")
                + "'en:' (its English label), 'fr:' (its French label) and, if needed, "
                "'also:' (the other spellings it is known by)",
            )
        given[name] = value
    code = _code(path, where, node, given.get("code")) if coded else ""
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
    term = (
        Term(code, (("en", labels["en"]), ("fr", labels["fr"])))
        if coded
        else vocabulary_term(labels["en"], labels["fr"])
    )
    return term, _spellings(path, where, labels["en"], given.get("also"))


def _code(path: Path, where: str, entry: yaml.Node, node: yaml.Node | None) -> str:
    """An objective's code, in capitals: two to eight letters, as a cell "CIV: label" gives it."""
    if not isinstance(node, yaml.ScalarNode) or not CODE.fullmatch(node.value.strip()):
        written = f" ('{node.value.strip()}')" if isinstance(node, yaml.ScalarNode) and node.value.strip() else ""
        raise InputError(
            line_of(path, node if node is not None else entry),
            f"{where} has no code{written}: an objective's code is two to eight letters, the part before ':' "
            "in your export's cells",
            hint="write it after 'code:', such as 'code: CIV'",
        )
    return str(node.value).strip().upper()


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
