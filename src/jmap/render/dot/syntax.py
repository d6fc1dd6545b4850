"""The DOT language, written directly: quoted ids, attribute lists, graphs as lines of text.

This writes the bytes the `graphviz` package (0.21) would: its quoting (each text quoted once
per process, as ids and colours repeat on every card), attributes sorted by name (a node's or
an edge's label first), a tab of indentation per level of subgraph. It is a few lines of string
formatting instead of that package's general machinery, which took as long as making all the
map's labels.
"""

from __future__ import annotations

from collections.abc import Mapping

import graphviz

Attributes = Mapping[str, "str | None"]


def quote(value: str) -> str:
    """A DOT id for any text: as it is if DOT reads it so, otherwise in double quotes."""
    return _quote_text(value)


# Ids, colours and numbers repeat on every node: each is quoted once per worker process. Long
# text (tooltips) never repeats and is not kept.
_QUOTED: dict[str, str] = {}
_KEPT_LENGTH = 64
_KEPT_COUNT = 4096


def _quote_text(value: str) -> str:
    quoted = _QUOTED.get(value)
    if quoted is None:
        quoted = _quote_plain(value)
        if len(value) <= _KEPT_LENGTH:
            if len(_QUOTED) >= _KEPT_COUNT:
                _QUOTED.clear()
            _QUOTED[value] = quoted
    return quoted


def _quote_plain(value: str) -> str:
    # The `graphviz` package knows DOT's quoting rules; `nohtml` keeps text that looks like
    # `<...>` a quoted string: jmap writes no HTML-like labels.
    quoted: str = graphviz.quoting.quote(graphviz.nohtml(value))
    return quoted


def endpoint(node: str, port: str | None = None, compass: str | None = None) -> str:
    """An edge's end: a node, optionally at a port of its label and a side of that port."""
    parts = [_quote_text(node)]
    if port is not None:
        parts.append(_quote_text(port))
        if compass is not None:
            parts.append(compass)
    return ":".join(parts)


def attribute_list(attributes: Attributes, *, label_first: bool = False) -> str:
    """` [a=… b=…]`, sorted by name; None leaves an attribute out. A node's or an edge's label
    comes first (the `graphviz` package takes it as an argument of its own)."""
    pairs: list[str] = []
    for name in sorted(attributes):
        value = attributes[name]
        if value is None:
            continue
        pair = f"{name}={quote(value)}"
        if label_first and name == "label":
            pairs.insert(0, pair)
        else:
            pairs.append(pair)
    return f" [{' '.join(pairs)}]" if pairs else ""


class Graph:
    """A digraph, a cluster or an anonymous subgraph, as the lines of its body."""

    def __init__(self, name: str | None = None, attributes: Attributes | None = None) -> None:
        self.name = name
        self.lines: list[str] = []
        if attributes:
            self.lines.append(f"\tgraph{attribute_list(attributes)}\n")

    def defaults(self, kind: str, attributes: Attributes) -> None:
        """What every node or edge declared after this gets unless it says otherwise."""
        self.lines.append(f"\t{kind}{attribute_list(attributes)}\n")

    def node(self, name: str, attributes: Attributes | None = None) -> None:
        line = attribute_list(attributes or {}, label_first=True)
        self.lines.append(f"\t{_quote_text(name)}{line}\n")

    def edge(self, tail: str, head: str, attributes: Attributes | None = None) -> None:
        """An edge between two endpoints (see `endpoint`)."""
        line = attribute_list(attributes or {}, label_first=True)
        self.lines.append(f"\t{tail} -> {head}{line}\n")

    def subgraph(self, graph: Graph) -> None:
        head = f"subgraph {_quote_text(graph.name)} {{\n" if graph.name else "{\n"
        self.lines.append(f"\t{head}")
        self.lines.extend(f"\t{line}" for line in graph.lines)
        self.lines.append("\t}\n")

    def source(self) -> str:
        """The whole graph as DOT text."""
        head = f"digraph {_quote_text(self.name)} {{\n" if self.name else "digraph {\n"
        return f"{head}{''.join(self.lines)}}}\n"
