"""content/fields.yml: the programme's own column names for the fields of the field table.
It can only rename a field, never add one."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator import fields
from generator.errors import InputError, Location
from generator.fields import FieldTable
from generator.read.yamlfile import line_of, mapping_items, read_yaml_nodes


def read_field_names(path: Path, table: FieldTable) -> FieldTable:
    """content/fields.yml: a field's name (standard or known) → the programme's column names.

    It can only rename: an unknown key, a column name claimed by two fields, or a file that
    is not such a mapping stops the build, naming the line."""
    return table.with_names(column_names(path, table))


def column_names(path: Path, table: FieldTable) -> dict[str, list[str]]:
    """The column names content/fields.yml gives each field, by the field's key."""
    hint = "write one line per field, such as 'Country: [Location of change]' (see python -m generator fields)"
    names: dict[str, list[str]] = {}
    claimed: dict[str, tuple[str, Location]] = {}
    for key, value in mapping_items(path, read_yaml_nodes(path), "field names, each with a list of column names"):
        field_key = table.key_for(key.value)
        if field_key is None:
            suggestion = table.suggest(key.value)
            also = f"; did you mean '{suggestion}'?" if suggestion else ""
            raise InputError(line_of(path, key), f"'{key.value}' is not a known field{also}", hint=hint)
        columns = value.value if isinstance(value, yaml.SequenceNode) else [value]
        for column in columns:
            if not isinstance(column, yaml.ScalarNode) or not column.value.strip():
                raise InputError(line_of(path, column), "expected a column name", hint=hint)
            if not fields.field_key(column.value):
                raise InputError(
                    line_of(path, column),
                    f"'{column.value}' has no letter or digit, so it cannot tell one column from another",
                    hint="write the column's name as it is in the export",
                )
            other = table.key_for(column.value)
            if other is not None and other != field_key:
                raise InputError(
                    line_of(path, column),
                    f"'{column.value}' is already the name of the field '{table[other].name}'",
                    hint="a column can mean one field only",
                )
            before = claimed.get(fields.field_key(column.value))
            if before is not None and before[0] != field_key:
                raise InputError(
                    line_of(path, column),
                    f"'{column.value}' is also given for '{table[before[0]].name}' at {before[1]}",
                    hint="a column can mean one field only",
                )
            claimed[fields.field_key(column.value)] = (field_key, line_of(path, column))
            names.setdefault(field_key, []).append(column.value.strip())
    return names
