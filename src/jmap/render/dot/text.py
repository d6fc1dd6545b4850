"""User text on its way into the DOT: made XML-safe, wrapped, and escaped for Graphviz.

User text reaches the DOT only through `label_text` (a node's or an edge's label) or
`tooltip_text`; `syntax` does all DOT quoting. Both pass it through `xml_text` first: a journey
may hold control characters (YAML writes them as escapes, "\\x1b"), which XML cannot carry even
as character references, so an SVG holding one would not parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# What XML 1.0 forbids anywhere in a document, shown as the Unicode picture of that control
# character ("\x1b" as "␛"); U+FFFE and U+FFFF as the replacement character. Surrogates never
# get this far: the loader refuses text that holds one.
_NOT_XML = {code: 0x2400 + code for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}
_NOT_XML |= {0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}
_ANY_NOT_XML = re.compile("[" + "".join(map(chr, _NOT_XML)) + "]")
# An `&` that Graphviz would read as the start of a character reference in a plain string.
_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def xml_text(text: str) -> str:
    """Text with every character XML cannot hold replaced by a visible stand-in."""
    return text.translate(_NOT_XML) if _ANY_NOT_XML.search(text) else text


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
