"""A safe YAML loader that refuses what silently goes wrong in rule files.

Duplicate keys (YAML keeps the last one), anchors and aliases (a small file can expand into a huge
structure) are errors. Every mapping remembers the line of each key so later validation can point at it.
"""

from __future__ import annotations

import yaml

from .model import RuleError


class Position(int):
    """A 1-based line number that also knows its column, so an error can point at both."""

    column: int | None = None

    def __new__(cls, line: int, column: int | None = None) -> "Position":
        position = super().__new__(cls, line)
        position.column = column
        return position

    def __reduce__(self):
        return Position, (int(self), self.column)


class Located(dict):
    """A mapping that knows the 1-based line and column of each of its keys and of itself."""

    line: int = 0
    column: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return Position(*self.key_lines.get(key, (self.line, self.column)))

    def column_of(self, key: str) -> int:
        return self.key_lines.get(key, (self.line, self.column))[1]


class LocatedList(list):
    line: int = 0
    item_lines: list


class LocatedStr(str):
    """A scalar string that remembers where it was and how it was quoted."""

    line: int = 0
    column: int = 0
    style: str | None = None


class _StrictLoader(yaml.SafeLoader):
    def __init__(self, stream, path: str) -> None:
        super().__init__(stream)
        self.path = path

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise RuleError(self.path, event.start_mark.line + 1,
                            "YAML aliases (*name) are not allowed in rule files",
                            column=event.start_mark.column + 1)
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise RuleError(self.path, event.start_mark.line + 1,
                            f"YAML anchors (&{anchor}) are not allowed in rule files",
                            column=event.start_mark.column + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise RuleError(self.path, key_node.start_mark.line + 1,
                                f"keys must be strings, got {key!r}", column=key_node.start_mark.column + 1)
            if key in seen:
                raise RuleError(self.path, key_node.start_mark.line + 1,
                                f"duplicate key (first at line {seen[key]})", key=key,
                                column=key_node.start_mark.column + 1)
            seen[key] = key_node.start_mark.line + 1
        plain = super().construct_mapping(node, deep=True)
        located = Located(plain)
        located.line = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        located.column = node.start_mark.column + 1
        located.key_lines = {k.value: (k.start_mark.line + 1, k.start_mark.column + 1)
                             for k, _ in node.value if isinstance(k.value, str)}
        return located

    def construct_sequence(self, node, deep=False):
        located = LocatedList(super().construct_sequence(node, deep=True))
        located.line = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        located.item_lines = [Position(child.start_mark.line + 1, child.start_mark.column + 1)
                              for child in node.value]
        return located

    def construct_yaml_str(self, node):
        value = LocatedStr(super().construct_scalar(node))
        value.line = node.start_mark.line + 1
        value.column = node.start_mark.column + 1
        value.style = node.style
        return value


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _StrictLoader.construct_sequence)
_StrictLoader.add_constructor("tag:yaml.org,2002:str", _StrictLoader.construct_yaml_str)


def load(text: str, path: str):
    """Parse one YAML document strictly; syntax errors become RuleError with the position."""
    loader = _StrictLoader(text, path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise RuleError(path, line, f"invalid YAML: {problem}", column=column) from None
    except yaml.YAMLError as exc:
        raise RuleError(path, None, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
