"""Text that starts with a YAML indicator: `unit: %` is no text to YAML, and needs quotes.

A plain value cannot start with `%`, `@` or a backtick, and `*`, `&`, `!`, `|`, `>`, `{` and
`[` there mean something else. The parsers' errors say what they met ("found character '%'
that cannot start any token"); these words say why, and give the fix as the user's own line.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MEANINGS = {
    "%": "YAML keeps '%' for directives",
    "@": "YAML reserves '@'",
    "`": "YAML reserves '`'",
    "*": "'*' names an alias in YAML",
    "&": "'&' names an anchor in YAML",
    "!": "'!' starts a YAML tag",
    "|": "'|' starts a block of text on the lines below in YAML",
    ">": "'>' starts a block of text on the lines below in YAML",
    "{": "'{' starts a mapping in YAML",
    "[": "'[' starts a list in YAML",
}

# A line's `key: value` or `- value` (with any `- ` before the key), the value to the end.
_LINE = re.compile(
    r"(?P<lead>[ \t]*(?:-[ \t]+)*)(?:(?P<key>[^\s#'\"\-][^#]*?|-[^\s#]*?):[ \t]+)?(?P<value>.*)"
)
_TRAILING_COMMENT = re.compile(r"[ \t]+#.*$|[ \t]+$")


class Quoting(NamedTuple):
    """Why a value needs quotes, and its line with them."""

    meaning: str  # what the indicator it starts with means to YAML
    fix: str  # the line as it should be: `unit: '%'`
    start: int  # the index of the value in the text

    @property
    def words(self) -> str:
        return f"{self.meaning}, so text that starts with it needs quotes: {self.fix}"


def quote_hint(text: str, index: int) -> Quoting | None:
    """Why the value holding `index` cannot stay unquoted, and the line that fixes it; None
    unless the value starts with an indicator."""
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    line = text[start : len(text) if end < 0 else end].rstrip("\r")
    written = _LINE.fullmatch(line)
    if written is None or not written.group("value"):
        return None
    value = _TRAILING_COMMENT.sub("", written.group("value"))
    first = value[:1]
    if first not in MEANINGS or not start + written.start("value") <= index < start + len(line):
        return None
    quoted = "'" + value.replace("'", "''") + "'"
    fix = f"{written.group('key')}: {quoted}" if written.group("key") else f"- {quoted}"
    return Quoting(MEANINGS[first], fix, start + written.start("value"))
