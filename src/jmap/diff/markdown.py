"""The diff as GitHub-flavoured Markdown, for a pull-request comment.

A heading per journey, the compared versions and a one-line summary, then a table per
category of change. Every user-written text goes through `md` and every file name through
`code` (jmap.render.markdown_text), so a `|` in a touchpoint's name never splits a cell, `<b>`
shows as typed, and a committed file name cannot leave its code span.
"""

from __future__ import annotations

from collections.abc import Sequence

from jmap.diff.changes import JourneyDiff
from jmap.diff.sections import ARROW, sections, status, summary, totals
from jmap.render.markdown_text import code, md


def render(diffs: Sequence[JourneyDiff], *, colour: bool = False) -> str:
    blocks: list[str] = []
    if len(diffs) != 1:
        blocks.append(f"**{totals(diffs)}**" if diffs else "No journeys changed.")
    for diff in diffs:
        blocks.append(_journey(diff))
    return "\n\n".join(blocks) + "\n"


def _journey(diff: JourneyDiff) -> str:
    note = f" ({status(diff)})" if status(diff) else ""
    lines = [f"### {md(diff.title)}{note}", ""]
    if diff.old_label is not None or diff.new_label is not None:
        old = code(diff.old_label) if diff.old_label else "(none)"
        new = code(diff.new_label) if diff.new_label else "(none)"
        lines += [f"{old} {ARROW} {new}", ""]
    lines.append(f"**{md(summary(diff))}**" if diff.changed else "No changes.")
    for section in sections(diff):
        lines += ["", f"#### {section.title}", ""]
        lines.append(f"| Change | {section.noun} | Details |")
        lines.append("| --- | --- | --- |")
        for row in section.rows:
            lines.append(f"| {row.kind} | {md(row.subject)} | {md(row.detail)} |")
    return "\n".join(lines)
