"""results-framework.yml: the labels of the Results Framework's outcome and output codes."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.errors import InputError
from generator.model import FrameworkLabels
from generator.normalise.values import safe_label
from generator.read.yamlfile import line_of, mapping_items, read_yaml_nodes

LANGUAGE = re.compile(r"[A-Za-z]{2,3}")  # a label's language: 'en', 'fr'


def read_framework_labels(path: Path) -> FrameworkLabels:
    """outcomes: and outputs:, each mapping a code (as written: 1.10 stays 1.10) to its label,
    or to its label in each language ("1.1": {en: Label, fr: Libellé}): each language's pages
    show their own, and a language the file does not give shows the first it gives."""
    sections: dict[str, dict[str, str]] = {"outcomes": {}, "outputs": {}}
    translated: dict[str, dict[str, dict[str, str]]] = {"outcomes": {}, "outputs": {}}
    what = "two sections, 'outcomes:' and 'outputs:', each mapping a code to its label"
    for key, section in mapping_items(path, read_yaml_nodes(path), what):
        if key.value not in sections:
            raise InputError(line_of(path, key), f"'{key.value}' is not a section of this file; expected {what}")
        labels = sections[key.value]
        for code, label in mapping_items(path, section, "lines such as '\"1.1\": Label of the outcome'"):
            if code.value.strip() in labels:
                raise InputError(
                    line_of(path, code), f"code '{code.value}' is given twice", hint="keep one of the two lines"
                )
            in_languages = _labels(path, code, label)
            labels[code.value.strip()] = next(iter(in_languages.values()))
            for language, text in in_languages.items():
                if language:
                    translated[key.value].setdefault(language, {})[code.value.strip()] = text
    return FrameworkLabels(sections["outcomes"], sections["outputs"], translated["outcomes"], translated["outputs"])


def _labels(path: Path, code: yaml.ScalarNode, label: yaml.Node) -> dict[str, str]:
    """A code's label: language → label ('' for a label given in no language). Raises InputError."""
    if isinstance(label, yaml.MappingNode):
        given = {}
        for language, text in mapping_items(path, label, "a label per language, such as '{en: Label, fr: Libellé}'"):
            if not LANGUAGE.fullmatch(language.value.strip()):
                raise InputError(
                    line_of(path, language),
                    f"'{language.value}' in the labels of code '{code.value}' is not a language code",
                    hint="write codes such as 'en' and 'fr'",
                )
            if not isinstance(text, yaml.ScalarNode) or not text.value.strip():
                raise InputError(
                    line_of(path, language),
                    f"code '{code.value}' has no label in '{language.value}'",
                    hint="write its label after the colon",
                )
            given[language.value.strip().lower()] = safe_label(text.value)
        if given:
            return given
    if not isinstance(label, yaml.ScalarNode) or not label.value.strip():
        raise InputError(
            line_of(path, code), f"code '{code.value}' has no label", hint="write its label after the colon"
        )
    return {"": safe_label(label.value)}
