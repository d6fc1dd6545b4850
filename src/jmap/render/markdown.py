"""The journey as GitHub-flavoured Markdown: a map that reads well on GitHub and GitLab.

The template (`map.md.j2`, which a team may override) lays the page out; this module gives it
the journey view and small functions for the parts that need care. Markdown has no
autoescaping, so every user-written text goes through `md`, which escapes what Markdown,
GitHub and GitLab would otherwise read as markup: a persona called `*bold* | <img src=x>` shows
as those characters, a `|` never splits a table cell, and `www.example.com` is not made a link
(links are jmap's to make, never a text's). `code` is the one other way text reaches Markdown,
for file names. The maps, the portfolio and `jmap diff` use these two and no other. The
functions are passed to the template with the view instead of being added to the shared Jinja
environment, so rendering one format never changes the environment another format renders with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from jmap.errors import printable
from jmap.render.mermaid import mermaid_block
from jmap.view import EVERYONE, Everyone

if TYPE_CHECKING:
    from jmap.model import Kpi, Opportunity
    from jmap.render import RenderContext
    from jmap.view import CurvePoint, Feeling, JourneyView, Mood, TouchpointView

TEMPLATE = "map.md.j2"

# Backslash-escaped wherever they appear. Beyond CommonMark's own markup: `|` splits GFM table
# cells, `~` strikes through, `$` starts math on GitHub, `{` `}` mark GitLab's inline diffs.
_BACKSLASHED = frozenset("\\`*_[]<>|~#${}")
# An `&` that would start a character reference (`&lt;`, `&#60;`) is written as `&amp;`.
_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What starts a list item or a thematic break (`---`) when it opens a line or a list item.
_BLOCK_START = re.compile(r"^(?:[-+](?=[-\s]|$)|\d{1,9}[.)](?=\s|$))")
# Several items in one table cell: Markdown has no lists inside cells.
_BREAK = "<br>"
# What GFM makes a link of in plain text (its autolink extension): `www.`, a scheme with `://`
# and an email address. A backslash before the `.` or the first `/` keeps it text, as GitHub's
# parser looks for them in the text as written. An address it finds after the text is parsed,
# where an escape is gone: an empty HTML comment, which shows nothing, keeps the `@` apart.
_AUTOLINKS = re.compile(r"(?i:(?<=www)\.)|(?<=:)/(?=/)|@")
_AUTOLINK_BREAKS = {".": "\\.", "/": "\\/", "@": "@<!-- -->"}


def render(view: JourneyView, context: RenderContext) -> str:
    template = context.templates.get_template(TEMPLATE)
    text = template.render(
        view=view,
        journey=view.journey,
        everyone=EVERYONE,
        mermaid=fenced(mermaid_block(view), "mermaid"),
        split=any(len({f.mood.score for f in tp.feelings}) > 1 for tp in view.touchpoints),
        md=md,
        md_all=md_all,
        mood=mood,
        emotions=lambda touchpoint: emotions(view, touchpoint),
        pains=pains,
        opportunities=opportunities,
        places=places,
        measure=measure,
        kpis=kpis,
    )
    return _tidy(text)


def md(text: str | None) -> str:
    """User-written text as Markdown that shows exactly that text, on one line.

    Line breaks become `<br>`, so the result is safe in a table cell, a heading or a list item.
    """
    if text is None:
        return ""
    lines = []
    for line in text.strip().splitlines():
        line = _REFERENCE.sub("&amp;", line.strip())
        line = "".join(f"\\{char}" if char in _BACKSLASHED else char for char in line)
        lines.append(_AUTOLINKS.sub(lambda found: _AUTOLINK_BREAKS[found.group()], line))
    return _BLOCK_START.sub(_escape_block_start, _BREAK.join(lines))


def md_all(texts: Iterable[str]) -> list[str]:
    """`md` of each text: templates cannot map a function that is not a Jinja filter."""
    return [md(text) for text in texts]


def _escape_block_start(match: re.Match[str]) -> str:
    # The last character is the one that makes the block: `-`, `+`, or `.` or `)` after a number.
    start = match.group()
    return f"{start[:-1]}\\{start[-1]}"


def code(text: str) -> str:
    """Text, such as a file name, as an inline code span: shown exactly, in a fixed font.

    Nothing inside a code span is markup, but a line break inside can end the paragraph, and
    the span with it, so the text is made `printable` (one line, no controls) first; the fence
    is longer than any run of backticks inside.
    """
    text = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def fenced(code: str, info: str) -> str:
    """A fenced code block, its fence longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{code}\n{fence}"


def mood(value: Mood) -> str:
    """An emotion shown by symbol, score and words, so it never depends on colour."""
    return f"{value.symbol} {value.score} {value.label}"


def emotions(view: JourneyView, touchpoint: TouchpointView) -> str:
    """The feelings at a touchpoint, naming who feels each when the journey has several personas."""
    shown = []
    for felt in touchpoint.feelings:
        who = _who(view, touchpoint, felt)
        shown.append(mood(felt.mood) + (f" ({md(', '.join(who))})" if who else ""))
    return _BREAK.join(shown)


def _who(view: JourneyView, touchpoint: TouchpointView, felt: Feeling) -> list[str]:
    if len(view.personas) < 2:
        return []
    if not isinstance(felt.persona, Everyone):
        return [felt.persona.name]
    # Everyone at the touchpoint feels the same; name them unless that is every persona.
    if len(touchpoint.personas) == len(view.personas):
        return []
    return [persona.name for persona in touchpoint.personas]


def pains(touchpoint: TouchpointView) -> str:
    """The pain points of a touchpoint, worst first, each with its severity."""
    return _BREAK.join(
        f"**{pain.pain.severity}:** {md(pain.pain.text)}" for pain in touchpoint.pains
    )


def opportunities(touchpoint: TouchpointView) -> str:
    """The opportunities at a touchpoint, each with its owner and priority where known."""
    return _BREAK.join(_opportunity(item) for item in touchpoint.touchpoint.opportunities)


def _opportunity(item: Opportunity) -> str:
    details = [md(item.owner)] if item.owner else []
    if item.priority:
        details.append(f"{item.priority} priority")
    return md(item.text) + (f" ({', '.join(details)})" if details else "")


def places(points: Iterable[CurvePoint]) -> str:
    """Where on the journey some points of a curve are: touchpoint and stage."""
    return "; ".join(
        f"{md(point.touchpoint.touchpoint.name)} ({md(point.touchpoint.stage.name)})"
        for point in points
    )


def measure(value: int | float | str | None) -> str:
    """A KPI value or target as written in the journey."""
    return "" if value is None else md(str(value))


def kpis(view: JourneyView) -> list[tuple[str, str, Kpi]]:
    """Every KPI with the stage and touchpoint it measures, stage KPIs first."""
    rows: list[tuple[str, str, Kpi]] = []
    for stage in view.stages:
        rows.extend((stage.stage.name, "", kpi) for kpi in stage.stage.kpis)
        for touchpoint in stage.touchpoints:
            rows.extend(
                (stage.stage.name, touchpoint.touchpoint.name, kpi)
                for kpi in touchpoint.touchpoint.kpis
            )
    return rows


def _tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines, one final newline: the same bytes whatever
    a template's whitespace control does."""
    lines = [line.rstrip() for line in text.splitlines()]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidy.strip("\n") + "\n"
