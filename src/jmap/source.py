"""YAML text -> plain Python data, remembering where every key and value came from.

pyyaml's own constructors lose positions, silently keep the last of two duplicate keys, read
`no` as false and `010` as 8 (YAML 1.1), and expand aliases without bound. So we let pyyaml's
safe parser compose the node graph and build the data ourselves: YAML 1.2 core scalars,
duplicate keys reported, every node position recorded under its path, and hard limits on
depth and on the number of values after alias expansion.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from jmap.limits import Limits, raise_hint

Path = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based
    # The file the value was written in, when it is not the journey file itself: a journey's
    # shared personas and channels come from the files it includes.
    file: str | None = None


@dataclass
class Document:
    """Parsed data plus the position of each value (`values`) and mapping key (`keys`)."""

    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """How many values and keys the data holds, counting aliases as the copies they are."""
        return len(self.values) + len(self.keys)


class SourceError(Exception):
    """The text is not YAML jmap can read; carries a 1-based position."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# YAML 1.2 core schema: only these plain scalars are not strings. `yes`, `on`, `2025-01-31`
# stay text, which is what someone writing a journey means.
_CORE_RESOLVERS: list[tuple[str, str, str]] = [
    ("null", r"^(?:~|null|Null|NULL|)$", "~nN"),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
]


class _Loader(yaml.SafeLoader):
    """pyyaml's safe parser and composer with core-schema tags and a nesting limit."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - pyyaml's class-level registry

    def __init__(self, text: str, max_depth: int) -> None:
        super().__init__(text)
        self._depth = 0
        self._max_depth = max_depth

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise SourceError(
                    f"nesting deeper than {self._max_depth} levels; a journey needs far fewer"
                    f" (to allow more, {raise_hint('max_depth')})",
                    mark.line + 1,
                    mark.column + 1,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


for _name, _pattern, _first in _CORE_RESOLVERS:
    _Loader.add_implicit_resolver(_TAG + _name, re.compile(_pattern), list(_first))
_Loader.add_implicit_resolver(_TAG + "null", re.compile(r"^$"), [""])


def decode(raw: bytes) -> str:
    """UTF-8 bytes (a byte-order mark allowed) -> text, or an error at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise SourceError(
            f"the file is not UTF-8 (byte {raw[error.start]:#04x}); save it as UTF-8", line, column
        ) from None


def parse(text: str, limits: Limits, counted: int = 0) -> Document | None:
    """Parse one YAML document; None when the text holds no document at all.

    `counted` values were read before from other files of the same journey (the files it
    includes); they count towards `limits.max_nodes` too.
    """
    loader: _Loader | None = None
    try:
        # pyyaml checks for unprintable characters as soon as the loader is made.
        loader = _Loader(text, limits.max_depth)
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise _from_marked(error) from None
    except yaml.reader.ReaderError as error:
        line, column = _line_column(text, error.position)
        raise SourceError(
            f"character {error.character:#06x} is not allowed in YAML; remove it",
            line,
            column,
        ) from None
    except yaml.YAMLError as error:  # pragma: no cover - pyyaml raises the two above
        raise SourceError(f"invalid YAML: {error}", 1, 1) from None
    except RecursionError:  # pragma: no cover - only with max_depth set past DEEPEST by the API
        raise SourceError(_TOO_DEEP, 1, 1) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return None
    _check_expanded_size(root, limits.max_nodes, counted)
    builder = _Builder(limits)
    try:
        data = builder.build(root, ())
    except RecursionError:  # pragma: no cover - as above
        raise SourceError(_TOO_DEEP, 1, 1) from None
    return Document(data, builder.values, builder.keys)


_TOO_DEEP = "the file nests too deeply for Python to read; lower `limits.max_depth`"


class _Builder:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}

    def build(self, node: Node, path: Path) -> Any:
        if len(path) > self.limits.max_depth:
            # Aliases can nest deeper than the text does.
            raise SourceError(
                f"nesting deeper than {self.limits.max_depth} levels through aliases"
                f" (to allow more, {raise_hint('max_depth')})",
                *_position(node),
            )
        self.values.setdefault(path, Position(*_position(node)))
        if isinstance(node, ScalarNode):
            self._check_length(node)
            return _scalar(node)
        if isinstance(node, SequenceNode):
            _expect_tag(node, "seq")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        _expect_tag(node, "map")
        return self._mapping(node, path)

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise SourceError(
                    "a key must be plain text, not a list or mapping", *_position(key_node)
                )
            # Keys are names, so they stay the text that was typed: `1:` is the key "1".
            self._check_length(key_node)
            key = str(key_node.value)
            here = Position(*_position(key_node))
            if key == "<<" and key_node.style is None:
                raise SourceError(
                    "YAML merge keys ('<<') are not supported; repeat the values or use an alias",
                    here.line,
                    here.column,
                )
            if key in result:
                first = self.keys[(*path, key)]
                raise SourceError(
                    f"duplicate key '{key}' (first at line {first.line}, column {first.column});"
                    " keep only one",
                    here.line,
                    here.column,
                )
            self.keys[(*path, key)] = here
            result[key] = self.build(value_node, (*path, key))
        return result

    def _check_length(self, node: ScalarNode) -> None:
        length, limit = len(node.value), self.limits.max_text_length
        if length > limit:
            raise SourceError(
                f"this text is {length:,} characters long, over the limit of {limit:,};"
                f" shorten it, or {raise_hint('max_text_length')}",
                *_position(node),
            )


def _check_expanded_size(root: Node, limit: int, counted: int) -> None:
    """Refuse alias bombs and self-containing aliases before expanding anything.

    Counts the values the data would have once every alias is replaced by what it names,
    memoised per node so that it costs one visit per distinct node. Iterative, because a chain
    of aliases can be deeper than Python's recursion limit.
    """
    sizes: dict[int, int] = {}
    entered: set[int] = set()  # nodes whose children are still being counted: the ancestors
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        children = _children(node)
        if children_done:
            entered.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] + counted > limit:
                whole = " in the journey and its included files" if counted else ""
                raise SourceError(
                    f"more than {limit:,} values{whole} once aliases are expanded;"
                    f" use fewer aliases, or {raise_hint('max_nodes')}",
                    *_position(node),
                )
        elif key in entered:
            raise SourceError("an alias refers to a value that contains it", *_position(node))
        elif key not in sizes:
            entered.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _scalar(node: ScalarNode) -> Any:
    kind = node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
    text: str = node.value
    try:
        if kind == "str":
            return text
        if kind == "null":
            return None
        if kind == "bool":
            return {"true": True, "false": False}[text.lower()]
        if kind == "int":
            if text[:2] in ("0o", "0x"):
                return int(text[2:], 8 if text[1] == "o" else 16)
            return int(text)
        if kind == "float":
            lowered = text.lower().lstrip("+")
            if lowered in (".inf", "-.inf"):
                return -math.inf if lowered.startswith("-") else math.inf
            if lowered == ".nan":
                return math.nan
            return float(text)
    except (KeyError, ValueError):
        most = sys.get_int_max_str_digits()  # Python reads no longer numbers: quadratic time
        if kind == "int" and most and len(text) > most:
            message = f"a number of {len(text):,} digits is longer than the {most:,} allowed"
            raise SourceError(f"{message}; quote it if it is text", *_position(node)) from None
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise SourceError(f"'{shown}' is not a valid !!{kind}", *_position(node)) from None
    raise _unsupported_tag(node)


def _expect_tag(node: Node, kind: str) -> None:
    if node.tag != _TAG + kind:
        raise _unsupported_tag(node)


def _unsupported_tag(node: Node) -> SourceError:
    shown = "!!" + node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
    return SourceError(f"YAML tag '{shown}' is not supported; remove the tag", *_position(node))


def _position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _from_marked(error: yaml.MarkedYAMLError) -> SourceError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    if "expected a single document" in (error.context or ""):
        return SourceError(
            "more than one YAML document ('---'); a journey file holds exactly one", line, column
        )
    hint = next((text for start, text in _HINTS.items() if problem.startswith(start)), "")
    context = f" {error.context}" if error.context and not hint else ""
    return SourceError(f"invalid YAML: {problem}{context}{hint}", line, column)


# Hints for the pyyaml messages people meet most, by how the message starts.
_HINTS = {
    "found character '\\t'": " (YAML does not allow a tab here; use spaces)",
    "mapping values are not allowed here": (
        " (a ': ' inside a value needs quotes, or the indentation is off)"
    ),
    "found undefined alias": " (define the anchor '&name' before using '*name')",
}


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
