"""The diff as text for a terminal: one line per change under a heading per category.

Each line starts with a sign (`+` added, `-` removed, `~` anything else) and a word for the
change, so it reads the same without colour; colour (ANSI, only when asked for) repeats what
the sign and the word say. Every text from a journey or a file name goes through `printable`, so
the only escape sequences in the output are the colours jmap adds.
"""

from __future__ import annotations

from collections.abc import Sequence

from jmap.diff.changes import JourneyDiff
from jmap.diff.sections import Tone, sections, sides, status, summary, totals
from jmap.errors import printable

_SIGNS: dict[Tone, str] = {
    "added": "+",
    "removed": "-",
    "changed": "~",
    "better": "~",
    "worse": "~",
}
# SGR codes: green, red, yellow; bold for headings, dim for the compared files.
_COLOURS: dict[Tone, str] = {
    "added": "32",
    "removed": "31",
    "changed": "33",
    "better": "32",
    "worse": "31",
}
_BOLD = "1"
_DIM = "2"
_WIDTH = 9  # the longest change word ("severity", "removed") and a space


def render(diffs: Sequence[JourneyDiff], *, colour: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    lines: list[str] = []
    for diff in diffs:
        if lines:
            lines.append("")
        title = f"{diff.title} ({status(diff)})" if status(diff) else diff.title
        lines.append(paint(printable(title), _BOLD))
        if sides(diff):
            lines.append(paint(f"  {printable(sides(diff))}", _DIM))
        lines.append(f"  {printable(summary(diff))}")
        for section in sections(diff):
            lines.append(paint(section.title, _BOLD))
            for row in section.rows:
                mark = paint(f"{_SIGNS[row.tone]} {row.kind:<{_WIDTH}}", _COLOURS[row.tone])
                text = f"{row.subject}: {row.detail}" if row.detail else row.subject
                lines.append(f"  {mark}{printable(text)}")
    if len(diffs) != 1:
        if lines:
            lines.append("")
        lines.append(totals(diffs) if diffs else "no journeys changed")
    return "\n".join(lines) + "\n"
