"""User text on its way into the DOT: made XML-safe, wrapped, and escaped for Graphviz.

User text reaches the DOT only through `label_text` (a node's or an edge's label) or
`tooltip_text`; `syntax` does all DOT quoting. Both pass it through `xml_text` first (see
jmap.render.xml_text), so that the SVG Graphviz writes parses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jmap.render.xml_text import xml_text

# An `&` that Graphviz would read as the start of a character reference in a plain string.
_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def label_text(lines: Iterable[str]) -> str:
    """Lines of a plain label, each centred, joined with DOT's newline escape.

    Graphviz expands escapes such as \\N (the node's name) in a label and reads character
    references in it ("&lt;" becomes "<"): a doubled backslash stays a backslash, and an `&`
    that starts a reference is written as `&amp;`, so the label shows what the journey says.
    """
    return "\\n".join([_literal(xml_text(" ".join(line.split()))) for line in lines])


def tooltip_text(lines: Iterable[str]) -> str:
    """Lines for a tooltip, joined with DOT's newline escape.

    A tooltip goes through two levels of backslash escapes before \\N and the like are
    expanded, so a literal backslash is written as four (doubling is not enough).
    """
    return "\\n".join([_literal(xml_text(line), backslash=4) for line in lines])


def _literal(line: str, backslash: int = 2) -> str:
    if "&" in line:
        line = _REFERENCE.sub("&amp;", line)
    return line.replace("\\", "\\" * backslash)
