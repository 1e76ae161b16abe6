"""PyYAML's safe loader (the C one where libyaml is built in), extended to record where each
value was written and to refuse repeated containers (alias bombs), merge keys (merge bombs), deep
nesting and duplicate keys.

Imported only when a YAML document is read, so commands that never parse YAML skip PyYAML.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import yaml

try:  # the C loader is ten times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from reprisal_cli.positions import MAX_DEPTH, PathPart, Position


class PositionedLoader(_BaseLoader):
    """Safe loader that records positions, refuses reused containers and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.positions: dict[int, dict[PathPart, Position]] = {}
        self._seen_containers: set[int] = set()
        self._depth = 0

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node without one. Without path resolvers (the safe loader has none), a
        list's, a mapping's and a quoted scalar's are the default ones; only a plain scalar's
        needs PyYAML's resolvers, matched against its text."""
        if self.yaml_path_resolvers:
            return _resolve(self, kind, value, implicit)
        if kind is not yaml.ScalarNode:
            return _MAP if kind is yaml.MappingNode else _SEQ
        if not implicit[0]:  # quoted: a string
            return _STR
        return _resolve(self, kind, value, implicit)

    def construct_tree(self, node: yaml.Node) -> Any:
        """The data of a node, positions recorded.

        Walks the nodes itself for the plain tags (strings, the YAML scalars, lists and
        mappings) rather than through PyYAML's generic constructor, which cost more than the C
        parser for an answers file; other tags go through that constructor (the safe one:
        unknown tags are refused there), which hands plain lists and mappings back here. The
        refusals: a list or mapping used twice (aliases), nesting deeper than `MAX_DEPTH`, a
        repeated key, a key that is not a plain value.
        """
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            if node.tag not in _SCALARS:
                return self.construct_object(node, deep=True)
            try:
                return self.yaml_constructors[node.tag](self, node)
            except (ValueError, OverflowError):
                return _as_written(node)
        if node.tag not in (_MAP, _SEQ):
            return self.construct_object(node, deep=True)
        if id(node) in self._seen_containers:
            raise DocumentError(
                "anchors and aliases that repeat a list or mapping are not allowed",
                node.start_mark,
            )
        self._seen_containers.add(id(node))
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise DocumentError(f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
        marks: dict[PathPart, Position] = {}
        data: Any
        if isinstance(node, yaml.SequenceNode):
            data = []
            for index, child in enumerate(node.value):
                data.append(self.construct_tree(child))
                marks[index] = _pos(child.start_mark)
        else:
            assert isinstance(node, yaml.MappingNode)
            if any(key.tag == _MERGE for key, _ in node.value):
                self.flatten_mapping(node)
            data = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise DocumentError("a mapping key must be a plain value", key_node.start_mark)
                key = self.construct_tree(key_node)
                if not isinstance(key, Hashable):
                    raise DocumentError("a mapping key must be a plain value", key_node.start_mark)
                if key in data:
                    raise DocumentError(f"key {key!r} appears twice", key_node.start_mark)
                data[key] = self.construct_tree(value_node)
                if isinstance(key, (str, int)):
                    marks[key] = _pos(key_node.start_mark)
        self.positions[id(data)] = marks
        self._depth -= 1
        return data

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Merge keys (`<<`) are refused wherever they are, before PyYAML expands them: nested
        merges of the same mapping grow exponentially there (a 600-byte file took 5 GB with
        PyYAML 6.0.2), and no answers or knowledge-base file needs them."""
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                raise DocumentError(
                    "merge keys (<<) are not allowed: write the keys out", key_node.start_mark
                )
        super().flatten_mapping(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # PyYAML's constructors (of !!set, !!omap ...) reach plain lists and mappings here.
        if node.tag in (_MAP, _SEQ):
            return self.construct_tree(node)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self._seen_containers and node in self.constructed_objects:
                raise DocumentError(
                    "anchors and aliases that repeat a list or mapping are not allowed",
                    node.start_mark,
                )
            self._seen_containers.add(id(node))
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError):
            if isinstance(node, yaml.ScalarNode):
                return _as_written(node)
            raise DocumentError(f"a {node.tag} that cannot be read", node.start_mark) from None


# PyYAML's own resolver (its stubs leave it untyped).
_resolve: Callable[[Any, type[yaml.Node], Any, tuple[bool, bool]], str] = _BaseLoader.resolve

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
# Scalar tags whose safe constructors return the value at once (no generator, no bookkeeping).
_SCALARS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "binary", "timestamp")
)


class DocumentError(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _as_written(node: yaml.ScalarNode) -> str:
    """A scalar that reads as a date or a number but is none Python can hold (2017-02-30, an
    integer of 5,000 digits): kept as the text written, for the check of its field to say what
    is wrong with it, where, and what is allowed."""
    return str(node.value)


def _pos(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)
