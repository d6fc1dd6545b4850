"""User text on its way into the DOT: escaped, padded for wide characters, and wrapped.

User text reaches the DOT only through `label_text` (HTML-escaped, for HTML-like labels) or
`tooltip_text` (backslashes made literal, for tooltips); `syntax` does all DOT quoting. Both
pass it through `xml_text` first: a journey may hold control characters (YAML writes them as
escapes, "\\x1b"), which XML cannot carry even as character references, so Graphviz refuses
the label and an SVG holding one would not parse.

Most text is ASCII, which holds no wide characters and nothing XML refuses but the control
characters: each function checks that first and does the character-by-character work only for
the text that needs it.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator

# What XML 1.0 forbids anywhere in a document, shown as the Unicode picture of that control
# character ("\x1b" as "␛"); U+FFFE and U+FFFF as the replacement character. Surrogates never
# get this far: the loader refuses text that holds one.
_NOT_XML = {code: 0x2400 + code for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}
_NOT_XML |= {0xFFFE: 0xFFFD, 0xFFFF: 0xFFFD}
_ANY_NOT_XML = re.compile("[" + "".join(map(chr, _NOT_XML)) + "]")
# Where str.splitlines breaks a line.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# An `&` that Graphviz would read as the start of a character reference in a plain string.
_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def xml_text(text: str) -> str:
    """Text with every character XML cannot hold replaced by a visible stand-in."""
    return text.translate(_NOT_XML) if _ANY_NOT_XML.search(text) else text


def label_text(value: object) -> str:
    """User text for an HTML-like label: escaped, and padded where Graphviz underestimates it.

    Graphviz expands escapes such as \\N (the node's name) even in HTML-like labels, after
    undoing one level of backslashes: doubled, a backslash stays a backslash. It measures each
    byte of a non-ASCII character as a space, so an East Asian wide character comes out about
    a sixth of an em too narrow; a no-break space (two such bytes) per three of them makes up
    for it. A line break in an HTML-like label is dropped, gluing the words either side
    together; a text that is not wrapped into lines (a title, a name) gets a space instead.
    """
    text = xml_text(str(value))
    if _LINE_BREAK.search(text):
        text = " ".join(text.splitlines())
    escaped = html.escape(text.replace("\\", "\\\\"), quote=True)
    if text.isascii():
        return escaped
    wide = sum(1 for char in text if _is_wide(char))
    return escaped + "&#160;" * -(-wide // 3)


def tooltip_text(lines: Iterable[str]) -> str:
    """Lines for a tooltip, joined with DOT's newline escape.

    A tooltip goes through two levels of backslash escapes before \\N and the like are
    expanded, so a literal backslash is written as four (doubling is not enough). Graphviz
    also reads character references in a tooltip ("&lt;" becomes "<", "&#14;" a control
    character the SVG cannot hold), so an `&` that starts one is written as `&amp;`. A plain
    string: a tooltip that starts with < and ends with > is still text.
    """
    return "\\n".join([_tooltip_line(xml_text(line)) for line in lines])


def _tooltip_line(line: str) -> str:
    if "&" in line:
        line = _REFERENCE.sub("&amp;", line)
    return line.replace("\\", "\\" * 4)


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrapping by display width (a wide character counts two)."""
    if text.isascii():
        one_line = " ".join(text.split())
        if len(one_line) <= width:  # most text: a name, a thought, a short pain point
            return [one_line]
    lines: list[str] = []
    line = ""
    used = 0  # the display width of `line`
    for word in text.split():
        for index, piece in enumerate(_breakable_pieces(word, width)):
            glue = 1 if index == 0 and line else 0
            size = _display_width(piece)
            if line and used + glue + size > width:
                lines.append(line)
                line, used = piece, size
            else:
                line += " " * glue + piece
                used += glue + size
    if line:
        lines.append(line)
    return lines or [""]


def _breakable_pieces(word: str, width: int) -> Iterator[str]:
    """A word as the parts a line may break between: each wide character on its own (scripts
    written without spaces break between characters), other runs cut to the line width."""
    if word.isascii():
        yield from _cut(word, width)
        return
    for wide, run in itertools.groupby(word, key=_is_wide):
        chars = "".join(run)
        if wide:
            yield from chars
        else:
            yield from _cut(chars, width)


def _cut(chars: str, width: int) -> Iterator[str]:
    if len(chars) <= width:
        yield chars
    else:
        yield from (chars[i : i + width] for i in range(0, len(chars), width))


@functools.lru_cache(maxsize=4096)
def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(2 if _is_wide(char) else 1 for char in text)
