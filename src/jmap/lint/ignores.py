"""Inline silencing: `# jmap: ignore[JM003]` on the line of a finding.

pyyaml drops comments, so the markers are read from the text. A finding always points at the
start of a key or value, so only the comment of that line matters: the text before a `#` is
scanned for quoted scalars, so that a `#` inside `"..."` or `'...'` is not taken for a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

ALL = frozenset({"*"})  # `# jmap: ignore` without ids
_MARKER = re.compile(r"(?<![\w-])jmap:\s*ignore\b(?:\[([^\]]*)\])?")


class Ignores:
    """The markers of every file findings point into, read once per file."""

    def __init__(self) -> None:
        self._files: dict[str, dict[int, frozenset[str]]] = {}

    def silences(self, path: str, line: int, rule: str) -> bool:
        if path not in self._files:
            self._files[path] = markers(_read(path))
        ids = self._files[path].get(line)
        return ids is not None and (ids is ALL or rule in ids)


def markers(text: str) -> dict[int, frozenset[str]]:
    """Line number -> the rule ids its comment silences (ALL for a bare `jmap: ignore`)."""
    found: dict[int, frozenset[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "jmap:" not in line:
            continue  # most lines: no need to look for quotes
        start = comment_start(line)
        if start is None:
            continue
        marker = _MARKER.search(line, start)
        if marker is None:
            continue
        found[number] = ALL if marker.group(1) is None else _ids(marker.group(1).split(","))
    return found


def comment_start(line: str) -> int | None:
    """Where the YAML comment of a line starts: a `#` after a space, outside quotes."""
    quote = ""
    last = ""  # the last character outside quotes that is not a space
    index = 0
    while index < len(line):
        char = line[index]
        if quote:
            if quote == '"' and char == "\\":
                index += 2
                continue
            if char == quote:
                if quote == "'" and line[index + 1 : index + 2] == "'":
                    index += 2  # '' is a quote inside single quotes
                    continue
                quote = ""
                last = char
            index += 1
            continue
        before = line[index - 1] if index else " "
        if char == "#" and before in " \t":
            return index
        # A quote opens a quoted scalar only where a scalar can start: `key: 'x'`, `- "x"`,
        # `[a, 'b']`. In `Maya's shoes` it is just a character.
        if char in "'\"" and before in " \t[{," and last in ("", ":", "-", "[", "{", ",", "?"):
            quote = char
        elif not char.isspace():
            last = char
        index += 1
    return None


def _ids(parts: Iterable[str]) -> frozenset[str]:
    return frozenset(part.strip().upper() for part in parts if part.strip())


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
