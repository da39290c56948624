"""results-framework.yml: the labels of the Results Framework's outcome and output codes."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.errors import InputError
from generator.model import FrameworkLabels
from generator.normalise.values import safe_label
from generator.read.yamlfile import line_of, mapping_items, read_yaml_nodes


def read_framework_labels(path: Path) -> FrameworkLabels:
    """outcomes: and outputs:, each mapping a code (as written: 1.10 stays 1.10) to its label."""
    sections: dict[str, dict[str, str]] = {"outcomes": {}, "outputs": {}}
    what = "two sections, 'outcomes:' and 'outputs:', each mapping a code to its label"
    for key, section in mapping_items(path, read_yaml_nodes(path), what):
        if key.value not in sections:
            raise InputError(line_of(path, key), f"'{key.value}' is not a section of this file; expected {what}")
        labels = sections[key.value]
        for code, label in mapping_items(path, section, "lines such as '\"1.1\": Label of the outcome'"):
            if not isinstance(label, yaml.ScalarNode) or not label.value.strip():
                raise InputError(
                    line_of(path, code), f"code '{code.value}' has no label", hint="write its label after the colon"
                )
            if code.value.strip() in labels:
                raise InputError(
                    line_of(path, code), f"code '{code.value}' is given twice", hint="keep one of the two lines"
                )
            labels[code.value.strip()] = safe_label(label.value)
    return FrameworkLabels(outcomes=sections["outcomes"], outputs=sections["outputs"])
