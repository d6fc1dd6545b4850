"""User text on its way into the DOT: escaped, padded for wide characters, and wrapped.

User text reaches the DOT only through `label_text` (HTML-escaped, for HTML-like labels) or
`tooltip_text` (backslashes made literal, for tooltips); the `graphviz` package does all DOT
quoting. Both pass it through `xml_text` first: a journey may hold control characters (YAML
writes them as escapes, "\\x1b"), which XML cannot carry even as character references, so
Graphviz refuses the label and an SVG holding one would not parse.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

import graphviz

# What XML 1.0 forbids anywhere in a document, shown as the Unicode picture of that control
# character ("\x1b" as "␛"); U+FFFE and U+FFFF as the replacement character. Surrogates never
# get this far: the loader refuses text that holds one.
_NOT_XML = {code: 0x2400 + code for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}
_NOT_XML |= {0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}
# An `&` that Graphviz would read as the start of a character reference in a plain string.
_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def xml_text(text: str) -> str:
    """Text with every character XML cannot hold replaced by a visible stand-in."""
    return text.translate(_NOT_XML)


def label_text(value: object) -> str:
    """User text for an HTML-like label: escaped, and padded where Graphviz underestimates it.

    Graphviz expands escapes such as \\N (the node's name) even in HTML-like labels, after
    undoing one level of backslashes: doubled, a backslash stays a backslash. It measures each
    byte of a non-ASCII character as a space, so an East Asian wide character comes out about
    a sixth of an em too narrow; a no-break space (two such bytes) per three of them makes up
    for it. A line break in an HTML-like label is dropped, gluing the words either side
    together; a text that is not wrapped into lines (a title, a name) gets a space instead.
    """
    text = " ".join(xml_text(str(value)).splitlines())
    wide = sum(1 for char in text if _is_wide(char))
    escaped = html.escape(text.replace("\\", "\\\\"), quote=True)
    return escaped + "&#160;" * -(-wide // 3)


def tooltip_text(lines: Iterable[str]) -> str:
    """Lines for a tooltip, joined with DOT's newline escape.

    A tooltip goes through two levels of backslash escapes before \\N and the like are
    expanded, so a literal backslash is written as four (`graphviz.escape`, doubling, is not
    enough). Graphviz also reads character references in a tooltip ("&lt;" becomes "<",
    "&#14;" a control character the SVG cannot hold), so an `&` that starts one is written as
    `&amp;`. `nohtml`, because a tooltip that starts with < and ends with > is still text.
    """
    literal = (_REFERENCE.sub("&amp;", xml_text(line)).replace("\\", "\\" * 4) for line in lines)
    tooltip: str = graphviz.nohtml("\\n".join(literal))
    return tooltip


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrapping by display width (a wide character counts two)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for index, piece in enumerate(_breakable_pieces(word, width)):
            glue = " " if index == 0 and line else ""
            if line and _display_width(line + glue + piece) > width:
                lines.append(line)
                line = piece
            else:
                line += glue + piece
    if line:
        lines.append(line)
    return lines or [""]


def _breakable_pieces(word: str, width: int) -> Iterator[str]:
    """A word as the parts a line may break between: each wide character on its own (scripts
    written without spaces break between characters), other runs cut to the line width."""
    for wide, run in itertools.groupby(word, key=_is_wide):
        chars = "".join(run)
        if wide:
            yield from chars
        else:
            yield from (chars[i : i + width] for i in range(0, len(chars), width))


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _display_width(text: str) -> int:
    return sum(2 if _is_wide(char) else 1 for char in text)
