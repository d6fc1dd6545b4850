"""YAML text -> a Document: plain Python data, remembering where every key and value came from.

pyyaml's own constructors lose positions, silently keep the last of two duplicate keys, read
`no` as false and `010` as 8 (YAML 1.1), and expand aliases without bound. So we let pyyaml
compose the node graph, refuse what is too deep or expands too far, and build the data
ourselves (jmap.loading.values): YAML 1.2 core scalars, duplicate keys reported, every node
position recorded under its path.

The events come from libyaml, pyyaml's C parser, when pyyaml was built with it: scanning in
Python took most of the time of loading a journey. A text libyaml refuses is read again by
pyyaml's Python parser, for its messages (see `_compose`). The nodes are composed by pyyaml's
Python composer either way, since only that one can stop at the depth limit (see
`_LimitedComposer`). Lines and columns are worked out from each mark's character index, the
same for both parsers (see `Lines`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple, Protocol

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner, ScannerError

from jmap.loading.document import Document, Lines, SourceError
from jmap.loading.indentation import misindented
from jmap.loading.indicators import Quoting, quote_hint
from jmap.loading.limits import Limits, raise_hint
from jmap.loading.values import TAG, Builder

# YAML 1.2 core schema: only these plain scalars are not strings. `yes`, `on`, `2025-01-31`
# stay text, which is what someone writing a journey means.
CORE_RESOLVERS: list[tuple[str, str, str]] = [
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


for _name, _pattern, _first in CORE_RESOLVERS:
    _CoreSchema.add_implicit_resolver(TAG + _name, re.compile(_pattern), list(_first))
_CoreSchema.add_implicit_resolver(TAG + "null", re.compile(r"^$"), [""])


class _LimitedComposer(Composer):
    """pyyaml's Python composer, refusing to nest deeper than the limit.

    It recurses once per nesting level, as libyaml's own composer does, but only this one can
    be stopped before Python's recursion limit (or the C stack) is reached.
    """

    def __init__(self, lines: Lines, max_depth: int) -> None:
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

    def __init__(self, text: str, lines: Lines, max_depth: int) -> None:
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


_ParserClass = Callable[[str, Lines, int], _NodeReader]

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

        def __init__(self, text: str, lines: Lines, max_depth: int) -> None:
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
            *Lines(before).of_index(len(before)),
        ) from None


def parse(text: str, limits: Limits, counted: int = 0) -> Document | None:
    """Parse one YAML document; None when the text holds no document at all.

    `counted` values were read before from other files of the same journey (the files it
    includes); they count towards `limits.max_nodes` too.
    """
    # Editors hide a byte-order mark; libyaml skips it without counting it in its positions.
    text = text.removeprefix("\ufeff")
    lines = Lines(text)
    _check_characters(text, lines)
    try:
        composed = _compose(text, lines, limits.max_depth)
    except yaml.MarkedYAMLError as error:
        raise _from_marked(error, text, lines) from None
    except yaml.YAMLError as error:  # pragma: no cover - the parsers raise marked errors
        raise SourceError(f"invalid YAML: {error}", 1, 1) from None
    except RecursionError:  # pragma: no cover - only with max_depth set past DEEPEST by the API
        raise SourceError(_TOO_DEEP, 1, 1) from None
    root = composed.root
    if root is None:
        return None
    if composed.aliases or composed.nodes + counted > limits.max_nodes:
        _check_expanded_size(root, limits.max_nodes, counted, lines)
    builder = Builder(limits, lines, text)
    try:
        data = builder.build(root, ())
    except RecursionError:  # pragma: no cover - as above
        raise SourceError(_TOO_DEEP, 1, 1) from None
    return Document(data, builder.values, builder.keys, builder.comments)


_TOO_DEEP = "the file nests too deeply for Python to read; lower `limits.max_depth`"


def _check_characters(text: str, lines: Lines) -> None:
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


def _compose(text: str, lines: Lines, max_depth: int) -> _Composed:
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


def _compose_with(parser: _ParserClass, text: str, lines: Lines, max_depth: int) -> _Composed:
    reading = parser(text, lines, max_depth)
    try:
        root = reading.get_single_node()
        return _Composed(root, reading.nodes, reading.aliases)
    finally:
        reading.dispose()


def _check_expanded_size(root: Node, limit: int, counted: int, lines: Lines) -> None:
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


def _from_marked(error: yaml.MarkedYAMLError, text: str, lines: Lines) -> SourceError:
    mark = error.problem_mark or error.context_mark
    line, column = lines.at(mark) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    if "expected a single document" in (error.context or ""):
        return SourceError(
            "more than one YAML document ('---'); a journey file holds exactly one", line, column
        )
    if problem.startswith(("expected ',' or ']'", "expected ',' or '}'")) and mark:
        kind = "list" if problem.startswith("expected ',' or ']'") else "mapping"
        cut = _comment_in_flow(text, mark.index, lines, kind)
        if cut is not None:
            return cut
    if problem in _OUT_OF_PLACE:
        misplaced = misindented(text, line)
        if misplaced is not None:
            return SourceError(f"invalid YAML: {misplaced}", line, column)
    indicator = _indicator_hint(error, text)
    if indicator is not None:
        words = indicator.words
        if problem.startswith("found undefined alias"):
            name = problem.removeprefix("found undefined alias ").strip("'")
            words = (
                f"{problem}: define the anchor '&{name}' before using '*{name}',"
                f" or quote the text: {indicator.fix}"
            )
        return SourceError(f"invalid YAML: {words}", *lines.of_index(indicator.start))
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


def _comment_in_flow(text: str, index: int, lines: Lines, kind: str) -> SourceError | None:
    """A ` #` in the unquoted text of a `[...]` or `{...}` before `index`, said as the cause.

    The comment hides the rest of its line, the closing bracket too, so the parser stops
    at whatever comes next. It follows the last token before `index` (pyyaml's scanner skips
    comments, so the tokens show where it is).
    """
    end = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            end = token.end_mark.index
    except yaml.YAMLError:
        pass
    found = _COMMENT_AFTER.match(text, end) if end is not None else None
    if found is None:
        return None
    at = found.end() - 1
    kept = _FLOW_TEXT.match(text, at)
    assert kept is not None  # it matches the '#' at least
    return SourceError(
        f"invalid YAML: ' #' starts a YAML comment, even in unquoted text, so the rest of the"
        f" line is lost from this {kind}; quote the text to keep '{kept.group().rstrip()}'",
        *lines.of_index(at),
    )


def _indicator_hint(error: yaml.MarkedYAMLError, text: str) -> Quoting | None:
    """Why a value that starts with a YAML indicator needs quotes, for the errors it causes."""
    problem, context = error.problem or "", error.context or ""
    if problem.endswith("that cannot start any token") or problem.startswith(
        ("found undefined alias", "expected <block end>, but found '<scalar>'")
    ):
        mark = error.problem_mark  # at the indicator, or after the `[...]` a text starts with
    elif context.startswith(("while scanning an a", "while scanning a block scalar")):
        mark = error.context_mark  # at the '&', '*', '|' or '>'
    else:
        return None
    return quote_hint(text, mark.index) if mark else None


# What the parser says about a key less indented than the keys of the mapping it belongs to.
_OUT_OF_PLACE = (
    "expected <block end>, but found '?'",
    "expected <block end>, but found '<block mapping start>'",
)
_COMMENT_AFTER = re.compile(r"[ \t]+#")
# A text of a flow collection runs to the next ',' or closing bracket.
_FLOW_TEXT = re.compile(r"#[^,\]}\r\n]*")
