"""User text on its way into the DOT: escaped, padded for wide characters, and wrapped.

User text reaches the DOT only through `label_text` (HTML-escaped, for HTML-like labels) or
`tooltip_text` (backslashes made literal, for tooltips); the `graphviz` package does all DOT
quoting.
"""

from __future__ import annotations

import html
import itertools
import unicodedata
from collections.abc import Iterable, Iterator

import graphviz


def label_text(value: object) -> str:
    """User text for an HTML-like label: escaped, and padded where Graphviz underestimates it.

    Graphviz expands escapes such as \\N (the node's name) even in HTML-like labels, after
    undoing one level of backslashes: doubled, a backslash stays a backslash. It measures each
    byte of a non-ASCII character as a space, so an East Asian wide character comes out about
    a sixth of an em too narrow; a no-break space (two such bytes) per three of them makes up
    for it.
    """
    text = str(value)
    wide = sum(1 for char in text if _is_wide(char))
    escaped = html.escape(text.replace("\\", "\\\\"), quote=True)
    return escaped + "&#160;" * -(-wide // 3)


def tooltip_text(lines: Iterable[str]) -> str:
    """Lines for a tooltip, joined with DOT's newline escape.

    A tooltip goes through two levels of backslash escapes before \\N and the like are
    expanded, so a literal backslash is written as four (`graphviz.escape`, doubling, is not
    enough). `nohtml`, because a tooltip that starts with < and ends with > is still text.
    """
    literal = (line.replace("\\", "\\" * 4) for line in lines)
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
