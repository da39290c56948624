"""Small YAML files that editors write (results-framework.yml, fields.yml), read safely.

Every value is read as the text written (so `1.10:` stays "1.10", never the number 1.1),
anchors and aliases are refused (a dozen nested aliases can exhaust memory), and errors
name the file and line.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.errors import InputError, Location


class _TextLoader(yaml.BaseLoader):
    """Scalars as strings (BaseLoader resolves no types); no anchors or aliases."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed here; write the value out", problem_mark=event.start_mark
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors (&name) are not allowed here; write the value out", problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)


def read_yaml_nodes(path: Path) -> yaml.Node | None:
    """The file's YAML as nodes, which keep their line numbers for messages."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(Location(str(path)), "the file is not UTF-8 text", hint="save it as UTF-8") from None
    try:
        return yaml.compose(text, Loader=_TextLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        location = Location(str(path), line=mark.line + 1 if mark else None)
        raise InputError(
            location, f"this is not valid here: {error.problem}", hint="check the indentation and the colons"
        ) from None
    except yaml.YAMLError as error:
        raise InputError(Location(str(path)), f"this is not valid YAML ({error})") from None


def line_of(path: Path, node: yaml.Node) -> Location:
    return Location(str(path), line=node.start_mark.line + 1)


def mapping_items(path: Path, node: yaml.Node | None, what: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """The (key, value) nodes of a mapping with text keys; anything else is refused, saying `what` was expected."""
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        raise InputError(line_of(path, node), f"expected {what}")
    items = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise InputError(line_of(path, key), f"expected {what}")
        items.append((key, value))
    return items
