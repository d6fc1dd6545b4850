"""YAML text -> plain Python data, remembering where every key and value came from.

pyyaml's own constructors lose positions, silently keep the last of two duplicate keys, read
`no` as false and `010` as 8 (YAML 1.1), and expand aliases without bound. So we let pyyaml
compose the node graph and build the data ourselves: YAML 1.2 core scalars, duplicate keys
reported, every node position recorded under its path, and hard limits on depth and on the
number of values after alias expansion.

The events come from libyaml, pyyaml's C parser, when pyyaml was built with it: scanning in
Python took most of the time of loading a journey. A text libyaml refuses is read again by
pyyaml's Python parser, for its messages (see `_compose`). The nodes are composed by pyyaml's
Python composer either way, since only that one can stop at the depth limit (see
`_LimitedComposer`). Lines and columns are worked out from each mark's character index, the
same for both parsers (see `_Lines`).
"""

from __future__ import annotations

import bisect
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner, ScannerError

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


class _WrittenInt(int):
    """An integer that remembers how it was written: `08`, `0x1F`, `+3`."""

    written: str


class _WrittenFloat(float):
    """A float that remembers how it was written: `1.10`, `1E2`, `.inf`."""

    written: str


def as_written(value: Any) -> Any:
    """A number read from YAML -> the text it was written as; any other value as it is.

    Text fields take numbers this way, so that `title: 1.10` is "1.10", not "1.1", and `08`
    is "08". Everywhere else the number is an ordinary int or float.
    """
    return value.written if isinstance(value, _WrittenInt | _WrittenFloat) else value


def _written(number: int | float, text: str) -> int | float:
    kept = _WrittenInt(number) if isinstance(number, int) else _WrittenFloat(number)
    kept.written = text
    return kept


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


class _CoreSchema(Resolver):
    """pyyaml's resolver with the core schema's implicit tags instead of YAML 1.1's."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - pyyaml's class-level registry


for _name, _pattern, _first in _CORE_RESOLVERS:
    _CoreSchema.add_implicit_resolver(_TAG + _name, re.compile(_pattern), list(_first))
_CoreSchema.add_implicit_resolver(_TAG + "null", re.compile(r"^$"), [""])


class _Mark(Protocol):
    # Where pyyaml or libyaml says an event or error is. `index` counts characters of the text
    # for both (libyaml would not count a leading byte-order mark: `parse` removes it first).
    index: int


# Line breaks as YAML 1.2 and every editor count them. pyyaml and libyaml also break lines at
# U+0085, U+2028 and U+2029 (YAML 1.1), so their own line numbers run ahead after one of
# those in quoted text; positions are worked out from the character index instead.
_LINE_BREAK = re.compile(r"\r\n?|\n")


class _Lines:
    """Line and column of a character index into one text."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(found.end() for found in _LINE_BREAK.finditer(text))]

    def of_index(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1

    def at(self, mark: _Mark) -> tuple[int, int]:
        return self.of_index(mark.index)

    def of(self, node: Node) -> tuple[int, int]:
        return self.at(node.start_mark)


class _LimitedComposer(Composer):
    """pyyaml's Python composer, refusing to nest deeper than the limit.

    It recurses once per nesting level, as libyaml's own composer does, but only this one can
    be stopped before Python's recursion limit (or the C stack) is reached.
    """

    def __init__(self, lines: _Lines, max_depth: int) -> None:
        Composer.__init__(self)
        self._lines = lines
        self._depth = 0
        self._max_depth = max_depth
        # Without aliases the data holds exactly the nodes composed: counting them is then
        # all the check for alias bombs needs (see `_check_expanded_size`).
        self.nodes = 0
        self.aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):  # type: ignore[attr-defined]
            self.aliases += 1
        else:
            self.nodes += 1
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise SourceError(
                    f"nesting deeper than {self._max_depth} levels; a journey needs far fewer"
                    f" (to allow more, {raise_hint('max_depth')})",
                    *self._lines.at(mark),
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class PythonParser(_LimitedComposer, Reader, Scanner, Parser, _CoreSchema):
    """pyyaml's pure-Python parser: used when pyyaml has no libyaml, and for texts it refuses."""

    def __init__(self, text: str, lines: _Lines, max_depth: int) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        _LimitedComposer.__init__(self, lines, max_depth)
        _CoreSchema.__init__(self)

    def get_single_node(self) -> Node | None:
        try:
            return super().get_single_node()
        except ValueError:
            # pyyaml's scanner calls chr() on a \U escape past U+10FFFF, and chr() refuses it;
            # report it as the invalid escape it is, in libyaml's words.
            raise ScannerError(
                "while scanning a double-quoted scalar",
                None,
                "found invalid Unicode character escape code",
                self.get_mark(),
            ) from None


class _NodeReader(Protocol):
    nodes: int
    aliases: int

    def get_single_node(self) -> Node | None: ...
    def dispose(self) -> None: ...


_ParserClass = Callable[[str, _Lines, int], _NodeReader]

# The parsers `parse` can use, by name; it uses the first. libyaml, when pyyaml has it, reads
# a journey about eight times as fast as pyyaml's Python scanner and parser.
PARSERS: dict[str, _ParserClass] = {}

if yaml.__with_libyaml__:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]  # the stubs omit it

    class LibyamlParser(_LimitedComposer, CParser, _CoreSchema):
        """libyaml's C parser for the events, pyyaml's Python composer for the nodes.

        The composer comes first so that its methods are used rather than CParser's own
        composer (`get_single_node` and the rest), which recurses without any limit.
        """

        def __init__(self, text: str, lines: _Lines, max_depth: int) -> None:
            CParser.__init__(self, text)
            _LimitedComposer.__init__(self, lines, max_depth)
            _CoreSchema.__init__(self)

    PARSERS["libyaml"] = LibyamlParser
PARSERS["python"] = PythonParser


def decode(raw: bytes) -> str:
    """UTF-8 bytes (a byte-order mark allowed) -> text, or an error at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8", "replace").removeprefix("\ufeff")
        raise SourceError(
            f"the file is not UTF-8 (byte {raw[error.start]:#04x}); save it as UTF-8",
            *_Lines(before).of_index(len(before)),
        ) from None


def parse(text: str, limits: Limits, counted: int = 0) -> Document | None:
    """Parse one YAML document; None when the text holds no document at all.

    `counted` values were read before from other files of the same journey (the files it
    includes); they count towards `limits.max_nodes` too.
    """
    # Editors hide a byte-order mark; libyaml skips it without counting it in its positions.
    text = text.removeprefix("\ufeff")
    lines = _Lines(text)
    _check_characters(text, lines)
    try:
        composed = _compose(text, lines, limits.max_depth)
    except yaml.MarkedYAMLError as error:
        raise _from_marked(error, lines) from None
    except yaml.YAMLError as error:  # pragma: no cover - the parsers raise marked errors
        raise SourceError(f"invalid YAML: {error}", 1, 1) from None
    except RecursionError:  # pragma: no cover - only with max_depth set past DEEPEST by the API
        raise SourceError(_TOO_DEEP, 1, 1) from None
    root = composed.root
    if root is None:
        return None
    if composed.aliases or composed.nodes + counted > limits.max_nodes:
        _check_expanded_size(root, limits.max_nodes, counted, lines)
    builder = _Builder(limits, lines)
    try:
        data = builder.build(root, ())
    except RecursionError:  # pragma: no cover - as above
        raise SourceError(_TOO_DEEP, 1, 1) from None
    return Document(data, builder.values, builder.keys)


_TOO_DEEP = "the file nests too deeply for Python to read; lower `limits.max_depth`"


def _check_characters(text: str, lines: _Lines) -> None:
    """Refuse the characters YAML does not allow anywhere, as both parsers would.

    Checked up front: libyaml reports them by byte offset, and pyyaml by character.
    """
    found = Reader.NON_PRINTABLE.search(text)
    if found:
        raise SourceError(
            f"character {ord(found.group()):#06x} is not allowed in YAML; remove it",
            *lines.of_index(found.start()),
        )


class _Composed(NamedTuple):
    root: Node | None
    nodes: int  # how many nodes the text writes out
    aliases: int  # how many aliases it uses


def _compose(text: str, lines: _Lines, max_depth: int) -> _Composed:
    """The node graph of the one document in the text, by the first parser of `PARSERS`.

    A text libyaml refuses is read again by pyyaml's Python parser, whose verdict stands: its
    messages say what it found as well as what it expected ("expected ',' or ']', but got
    ':'"); it reads the surrogate-pair escapes JSON writes for an emoji, which libyaml
    refuses; and it reads a few valid texts libyaml refuses (a reserved directive, a tab
    indenting a block scalar). Only a file that libyaml refuses pays for the second reading.
    """
    parser = next(iter(PARSERS.values()))
    try:
        return _compose_with(parser, text, lines, max_depth)
    except yaml.MarkedYAMLError:
        if parser is PythonParser:
            raise
    return _compose_with(PythonParser, text, lines, max_depth)


def _compose_with(parser: _ParserClass, text: str, lines: _Lines, max_depth: int) -> _Composed:
    reading = parser(text, lines, max_depth)
    try:
        root = reading.get_single_node()
        return _Composed(root, reading.nodes, reading.aliases)
    finally:
        reading.dispose()


class _Builder:
    def __init__(self, limits: Limits, lines: _Lines) -> None:
        self.limits = limits
        self.lines = lines
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}

    def build(self, node: Node, path: Path) -> Any:
        if len(path) > self.limits.max_depth:
            # Aliases can nest deeper than the text does.
            raise SourceError(
                f"nesting deeper than {self.limits.max_depth} levels through aliases"
                f" (to allow more, {raise_hint('max_depth')})",
                *self.lines.of(node),
            )
        self.values.setdefault(path, Position(*self.lines.of(node)))
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            self._expect_tag(node, "seq")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        self._expect_tag(node, "map")
        return self._mapping(node, path)

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise SourceError(
                    "a key must be plain text, not a list or mapping", *self.lines.of(key_node)
                )
            # Keys are names, so they stay the text that was typed: `1:` is the key "1".
            key = self._text(key_node)
            here = Position(*self.lines.of(key_node))
            # A plain scalar's style is None from pyyaml, '' from libyaml.
            if key == "<<" and not key_node.style:
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

    def _text(self, node: ScalarNode) -> str:
        """The scalar's text, within the length limit, surrogate pairs joined."""
        text: str = node.value
        length, limit = len(text), self.limits.max_text_length
        if length > limit:
            raise SourceError(
                f"this text is {length:,} characters long, over the limit of {limit:,};"
                f" shorten it, or {raise_hint('max_text_length')}",
                *self.lines.of(node),
            )
        if _SURROGATE.search(text):
            text = _join_surrogate_pairs(text, *self.lines.of(node))
        return text

    def _scalar(self, node: ScalarNode) -> Any:
        kind = node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
        text = self._text(node)
        if kind not in ("str", "null", "bool", "int", "float"):
            raise self._unsupported_tag(node)
        try:
            return _core_value(kind, text)
        except (KeyError, ValueError):
            raise self._not_a(kind, text, node) from None

    def _not_a(self, kind: str, text: str, node: ScalarNode) -> SourceError:
        most = sys.get_int_max_str_digits()  # Python reads no longer numbers: quadratic time
        if kind == "int" and most and len(text) > most:
            message = f"a number of {len(text):,} digits is longer than the {most:,} allowed"
            return SourceError(f"{message}; quote it if it is text", *self.lines.of(node))
        shown = text if len(text) <= 40 else text[:40] + "..."
        return SourceError(f"'{shown}' is not a valid !!{kind}", *self.lines.of(node))

    def _expect_tag(self, node: Node, kind: str) -> None:
        if node.tag != _TAG + kind:
            raise self._unsupported_tag(node)

    def _unsupported_tag(self, node: Node) -> SourceError:
        shown = "!!" + node.tag.removeprefix(_TAG) if node.tag.startswith(_TAG) else node.tag
        return SourceError(
            f"YAML tag '{shown}' is not supported; remove the tag", *self.lines.of(node)
        )


def _core_value(kind: str, text: str) -> Any:
    """A scalar of one of the core schema's tags -> its value; numbers keep their spelling."""
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        return {"true": True, "false": False}[text.lower()]
    if kind == "int":
        if text[:2] in ("0o", "0x"):
            return _written(int(text[2:], 8 if text[1] == "o" else 16), text)
        return _written(int(text), text)
    lowered = text.lower().lstrip("+")
    if lowered in (".inf", "-.inf"):
        return _written(-math.inf if lowered.startswith("-") else math.inf, text)
    if lowered == ".nan":
        return _written(math.nan, text)
    return _written(float(text), text)


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_PAIR = re.compile("([\ud800-\udbff])([\udc00-\udfff])")


def _join_surrogate_pairs(text: str, line: int, column: int) -> str:
    """Each pair of `\\u` escapes of a UTF-16 surrogate pair -> the one character they encode.

    YAML reads the escapes one by one, so an emoji JSON wrote as "\\ud83d\\ude00" arrives as two
    halves. A half on its own is no character at all, and no file could hold it.
    """
    joined = _SURROGATE_PAIR.sub(
        lambda pair: chr(0x10000 + (ord(pair[1]) - 0xD800) * 0x400 + ord(pair[2]) - 0xDC00), text
    )
    lone = _SURROGATE.search(joined)
    if lone:
        raise SourceError(
            f"the escape \\u{ord(lone.group()):04x} is half of a UTF-16 surrogate pair, not a"
            " character; write the character itself, or both halves of its pair",
            line,
            column,
        )
    return joined


def _check_expanded_size(root: Node, limit: int, counted: int, lines: _Lines) -> None:
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
                    *lines.of(node),
                )
        elif key in entered:
            raise SourceError("an alias refers to a value that contains it", *lines.of(node))
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


def _from_marked(error: yaml.MarkedYAMLError, lines: _Lines) -> SourceError:
    mark = error.problem_mark or error.context_mark
    line, column = lines.at(mark) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    if "expected a single document" in (error.context or ""):
        return SourceError(
            "more than one YAML document ('---'); a journey file holds exactly one", line, column
        )
    hint = next((words for start, words in _HINTS.items() if problem.startswith(start)), "")
    context = f" {error.context}" if error.context and not hint else ""
    return SourceError(f"invalid YAML: {problem}{context}{hint}", line, column)


# Hints for the pyyaml messages people meet most, by how the message starts. (libyaml's
# messages never reach a user: see `_compose`.)
_HINTS = {
    "found character '\\t'": " (YAML does not allow a tab here; use spaces)",
    "mapping values are not allowed here": (
        " (a ': ' inside a value needs quotes, or the indentation is off)"
    ),
    "found undefined alias": " (define the anchor '&name' before using '*name')",
    "found invalid Unicode character escape code": (
        " (a \\U escape names a character from \\U00000000 to \\U0010FFFF)"
    ),
}
