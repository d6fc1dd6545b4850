"""A key indented out of its mapping, said in the file's own terms.

When a key is less indented than the keys of the item it belongs to, YAML sees the item end
and then a key where none may be, and says "expected <block end>, but found '?'". The fix is
the number of spaces: this finds the mapping whose keys are nearest the key's column among
those still open above it (a touchpoint, a stage, the journey), and names it by its `name:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `key: value`, `- key: value` or `- text`, with the column the key (or text) starts at.
_ROW = re.compile(
    r"(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?:(?P<key>[^\s#'\"\-][^:#]*?):(?:\s|$))?"
)
_NAMING_KEYS = ("name", "text", "id")
_LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True)
class _Row:
    line: int  # 1-based
    indent: int  # spaces before the first `-` or key
    column: int  # spaces before the key or text, after any `- `
    key: str | None
    value: str
    item: bool  # the row starts a list item: `- ...`


def misindented(text: str, line: int) -> str | None:
    """What to say about the key on `line` (1-based) that YAML found out of place, or None
    when that line is not a key, or no mapping above it is open."""
    lines = _LINE_BREAK.split(text)  # as jmap counts lines (jmap.loading.document)
    if not 1 <= line <= len(lines):
        return None
    here = _row(lines[line - 1], line)
    if here is None or here.key is None or here.item:
        return None
    # The mappings still open at `line`, innermost first: (column of its keys, its rows).
    open_: list[tuple[int, list[_Row]]] = []
    limit = here.column + 10_000
    for number in range(line - 1, 0, -1):
        row = _row(lines[number - 1], number)
        if row is None:
            continue
        if row.key is not None and row.column <= limit:
            if open_ and open_[-1][0] == row.column:
                open_[-1][1].append(row)
            else:
                open_.append((row.column, [row]))
        limit = min(limit, row.indent if row.item else row.column)
        if limit == 0 and row.column == 0:
            break
    candidates = [(column, rows) for column, rows in open_ if column != here.column]
    if not candidates:
        return None
    # The nearest column; of two as near, the deeper one, which the key was most likely in.
    column, rows = min(candidates, key=lambda found: (abs(found[0] - here.column), -found[0]))
    return (
        f"'{here.key}' is indented {here.column} spaces, but the keys of {_named(rows, open_)}"
        f" are indented {column}; indent it {column} spaces to put it there"
    )


def _named(rows: list[_Row], open_: list[tuple[int, list[_Row]]]) -> str:
    """`touchpoint 'A' (line 6)`: the mapping of `rows`, by the list it is in and its name."""
    first = rows[-1]  # rows were gathered upwards
    if first.column == 0:
        return "the journey (the top level)"
    name = next((row.value for row in rows if row.key in _NAMING_KEYS and row.value), "")
    parent = next(
        (found[0].key for column, found in open_ if column < first.indent and found), None
    )
    kind = singular(parent) if first.item and parent else f"'{parent}'" if parent else "the item"
    shown = f" '{name}'" if name else ""
    return f"{kind}{shown} (line {first.line})"


def singular(key: str) -> str:
    """`touchpoints` -> "touchpoint", `opportunities` -> "opportunity": one item of a list."""
    words = key.replace("_", " ")
    return words[:-3] + "y" if words.endswith("ies") else words.removesuffix("s")


def _row(text: str, line: int) -> _Row | None:
    stripped = text.strip()
    if not stripped or stripped.startswith("#") or "\t" in text[: len(text) - len(text.lstrip())]:
        return None
    found = _ROW.match(text)
    assert found is not None  # every part is optional
    indent = len(found.group("indent"))
    column = indent + len(found.group("dashes"))
    value = text[found.end() :].split(" #", 1)[0].strip().strip("'\"")
    return _Row(line, indent, column, found.group("key"), value, bool(found.group("dashes")))
