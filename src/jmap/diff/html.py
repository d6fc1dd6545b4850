"""The diff as one self-contained HTML page: the new map with the changes marked on it, the old
and new emotion curves drawn over each other, and every change in tables.

The map here is the journey grid of the HTML map (stages in columns, touchpoints, feelings,
pain points, opportunities, KPIs), laid out from both versions together: what was removed
keeps a struck-through column where it was. Each change carries a badge that says in words
what happened ("Added", "Moved from Desire, #7", "Worse: high → critical"), so nothing is told
by colour alone. Python works out what each cell shows; `diff.html.j2` lays it out and
escapes every text. Like the map, the page loads nothing and runs no script.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape

from jmap import __version__
from jmap.diff.changes import (
    CurveChange,
    JourneyDiff,
    KpiChange,
    MergedStage,
    MergedTouchpoint,
    OpportunityChange,
    PainChange,
)
from jmap.diff.sections import (
    ARROW,
    Section,
    Tone,
    curve,
    delta,
    emotion,
    measure,
    place,
    sections,
    sides,
    status,
    summary,
    totals,
)
from jmap.errors import unicode_text
from jmap.render.curve import Frame, Plotted, fmt, marker, plot, wrap
from jmap.templating import environment
from jmap.view import MOODS, Curve, Mood, TouchpointView
from jmap.wording import channel_names

TEMPLATE = "diff.html.j2"


@dataclass(frozen=True)
class Badge:
    tone: Tone
    text: str


@dataclass(frozen=True)
class Entry:
    """A pain point, opportunity or KPI in a grid cell, with what happened to it."""

    text: str
    note: str  # the severity of a pain point, the value of a KPI; may be empty
    severity: str | None
    badges: list[Badge]
    gone: bool


@dataclass(frozen=True)
class FeelingCell:
    persona: str  # empty when the journey has one curve
    old: Mood | None
    new: Mood | None
    delta: int | None
    gone: bool  # the touchpoint was removed: only the old feeling is left
    # Both versions have the touchpoint and the persona, so a difference is a change (in an
    # added touchpoint every feeling is new, and its column already says so).
    compared: bool

    @property
    def changed(self) -> bool:
        return self.compared and self.old != self.new


@dataclass(frozen=True)
class GridStage:
    name: str
    number: int  # 1-based position in the merged layout: the stage colour
    span: int
    badges: list[Badge]
    gone: bool

    @property
    def band(self) -> int:
        return (self.number - 1) % 6 + 1


@dataclass(frozen=True)
class GridColumn:
    id: str | None  # None for the place of a stage that has no touchpoints
    band: int
    starts_stage: bool
    number: int | None
    name: str
    channel: str | None
    badges: list[Badge]
    gone: bool
    feelings: list[FeelingCell]
    pains: list[Entry]
    opportunities: list[Entry]
    kpis: list[Entry]

    @property
    def changed(self) -> bool:
        entries = self.pains + self.opportunities + self.kpis
        return (
            bool(self.badges)
            or any(f.changed for f in self.feelings)
            or any(e.badges for e in entries)
        )


@dataclass(frozen=True)
class ChartRow:
    name: str
    stage: str
    old: Mood | None
    new: Mood | None
    delta: int | None
    gone: bool


@dataclass(frozen=True)
class Chart:
    persona: str
    svg: Markup
    description: str
    rows: list[ChartRow]
    style: int  # the persona's line colour, `jm-p<style>` as on the map


@dataclass(frozen=True)
class JourneyPage:
    diff: JourneyDiff
    anchor: str
    title: str
    status: str
    sides: str
    summary: str
    stages: list[GridStage]
    columns: list[GridColumn]
    charts: list[Chart]
    sections: list[Section]

    @property
    def lanes(self) -> dict[str, bool]:
        return {
            "feelings": any(c.feelings for c in self.columns),
            "pains": any(c.pains for c in self.columns),
            "opportunities": any(c.opportunities for c in self.columns),
            "kpis": any(c.kpis for c in self.columns),
        }


@dataclass
class Page:
    journeys: list[JourneyPage]
    title: str
    totals: str
    version: str = __version__
    moods: list[Mood] = field(default_factory=lambda: [MOODS[s] for s in range(5, 0, -1)])


def render(diffs: Sequence[JourneyDiff], *, colour: bool = False) -> str:
    return environment().get_template(TEMPLATE).render(page=build_page(diffs))


def build_page(diffs: Sequence[JourneyDiff]) -> Page:
    journeys = [_journey(diff, f"j{n}") for n, diff in enumerate(diffs, start=1)]
    if len(diffs) == 1:
        title = f"Changes to {diffs[0].title}"
    else:
        title = f"Changes to {len(diffs)} journeys" if diffs else "No journeys changed"
    return Page(journeys, title, totals(diffs))


def _journey(diff: JourneyDiff, anchor: str) -> JourneyPage:
    stages, columns = _grid(diff)
    return JourneyPage(
        diff=diff,
        anchor=anchor,
        title=diff.title,
        status=status(diff),
        sides=unicode_text(sides(diff)),  # file names, which may not be UTF-8
        summary=summary(diff),
        stages=stages,
        columns=columns,
        charts=[
            _chart(diff, change, index, f"{anchor}-curve-{index}")
            for index, change in enumerate(diff.curves, start=1)
        ],
        sections=sections(diff),
    )


# The grid ----------------------------------------------------------------------------------------


def _grid(diff: JourneyDiff) -> tuple[list[GridStage], list[GridColumn]]:
    stages: list[GridStage] = []
    columns: list[GridColumn] = []
    for number, merged in enumerate(diff.layout, start=1):
        stage = GridStage(
            merged.name,
            number,
            max(1, len(merged.touchpoints)),
            _stage_badges(diff, merged),
            merged.new is None,
        )
        stages.append(stage)
        if not merged.touchpoints:
            columns.append(_empty_column(stage))
        for index, tp in enumerate(merged.touchpoints):
            columns.append(_column(diff, tp, stage, index == 0))
    return stages, columns


def _stage_badges(diff: JourneyDiff, merged: MergedStage) -> list[Badge]:
    badges = []
    for change in diff.stages:
        if change.id != merged.id:
            continue
        if change.change == "added":
            badges.append(Badge("added", "Added"))
        elif change.change == "removed":
            badges.append(Badge("removed", "Removed"))
        elif change.change == "moved":
            badges.append(Badge("changed", f"Moved from stage {change.old_position}"))
        elif change.change == "renamed":
            badges.append(Badge("changed", f"Renamed from {change.old_name}"))
        else:
            names = ", ".join(f.field.replace("_", " ") for f in change.fields)
            badges.append(Badge("changed", f"Changed: {names}"))
    return badges


def _empty_column(stage: GridStage) -> GridColumn:
    return GridColumn(None, stage.band, True, None, "", None, [], stage.gone, [], [], [], [])


def _column(
    diff: JourneyDiff, merged: MergedTouchpoint, stage: GridStage, first: bool
) -> GridColumn:
    shown = merged.shown
    gone = merged.new is None
    return GridColumn(
        id=merged.id,
        band=stage.band,
        starts_stage=first,
        # A removed touchpoint has no number on the new map; its old one would repeat a new one.
        number=None if gone else shown.index + 1,
        name=shown.touchpoint.name,
        channel=channel_names(shown) or None,
        badges=_touchpoint_badges(diff, merged.id),
        gone=gone,
        feelings=_feelings(diff, merged),
        pains=_pains(diff.pains, merged, gone),
        opportunities=_opportunities(diff.opportunities, merged, gone),
        kpis=_kpis(diff.kpis, merged, gone),
    )


def _touchpoint_badges(diff: JourneyDiff, touchpoint_id: str) -> list[Badge]:
    badges = []
    for change in diff.touchpoints:
        if change.id != touchpoint_id:
            continue
        if change.change == "added":
            badges.append(Badge("added", "Added"))
        elif change.change == "removed":
            badges.append(Badge("removed", "Removed"))
        elif change.change == "moved":
            assert change.old is not None
            badges.append(Badge("changed", f"Moved from {place(change.old)}"))
        elif change.change == "renamed":
            badges.append(Badge("changed", f"Renamed from {change.old_name}"))
        else:
            names = ", ".join(f.field for f in change.fields)
            badges.append(Badge("changed", f"Changed: {names}"))
    return badges


def _score_at(curve_: Curve | None, touchpoint_id: str) -> Mood | None:
    if curve_ is None:
        return None
    return next((p.mood for p in curve_.points if p.touchpoint.id == touchpoint_id), None)


def _feelings(diff: JourneyDiff, merged: MergedTouchpoint) -> list[FeelingCell]:
    cells = []
    named = len(diff.curves) > 1
    for change in diff.curves:
        before = _score_at(change.old, merged.id) if merged.old else None
        after = _score_at(change.new, merged.id) if merged.new else None
        if before is None and after is None:
            continue
        step = after.score - before.score if before and after else None
        cells.append(
            FeelingCell(
                change.persona.name if named else "",
                before,
                after,
                step,
                merged.new is None,
                bool(merged.old and merged.new and change.old and change.new),
            )
        )
    return cells


def _change_badge(change: PainChange | OpportunityChange) -> Badge:
    if change.change == "added":
        return Badge("added", "Added")
    if change.change == "removed":
        return Badge("removed", "Removed")
    if change.change == "delivered":
        return Badge("better", "Delivered")
    if isinstance(change, PainChange) and change.change == "severity":
        assert change.old is not None
        severity = f"{change.old.severity} {ARROW} {change.pain.severity}"
        if change.worse:
            return Badge("worse", f"Worse: {severity}")
        return Badge("better", f"Better: {severity}")
    return Badge("changed", "Changed: " + ", ".join(f.field for f in change.fields))


def _removed_here(
    changes: Sequence[PainChange] | Sequence[OpportunityChange], merged: MergedTouchpoint
) -> list[PainChange | OpportunityChange]:
    """What was removed from a touchpoint that is still there: shown struck through."""
    if merged.new is None:
        return []
    return [c for c in changes if c.change == "removed" and c.old_at and c.old_at.id == merged.id]


def _pains(changes: Sequence[PainChange], merged: MergedTouchpoint, gone: bool) -> list[Entry]:
    entries = []
    for pain in merged.shown.touchpoint.pain_points:
        badges = [] if gone else [_change_badge(c) for c in changes if c.new is pain]
        entries.append(Entry(pain.text, pain.severity, pain.severity, badges, gone))
    for change in _removed_here(changes, merged):
        assert isinstance(change, PainChange)
        assert change.old is not None
        old = change.old
        entries.append(Entry(old.text, old.severity, old.severity, [_change_badge(change)], True))
    return entries


def _opportunities(
    changes: Sequence[OpportunityChange], merged: MergedTouchpoint, gone: bool
) -> list[Entry]:
    entries = []
    for item in merged.shown.touchpoint.opportunities:
        badges = [] if gone else [_change_badge(c) for c in changes if c.new is item]
        note = f"{item.priority} priority" if item.priority else ""
        entries.append(Entry(item.text, note, None, badges, gone))
    for change in _removed_here(changes, merged):
        assert change.old is not None
        entries.append(Entry(change.old.text, "", None, [_change_badge(change)], True))
    return entries


def _kpis(changes: Sequence[KpiChange], merged: MergedTouchpoint, gone: bool) -> list[Entry]:
    mine = [c for c in changes if c.level == "touchpoint" and c.at.id == merged.id]
    entries = []
    for kpi in merged.shown.touchpoint.kpis:
        badges = []
        for change in mine:
            if gone or change.new is not kpi:
                continue
            if change.change == "added":
                badges.append(Badge("added", "Added"))
            elif change.old is not None:
                badges.append(Badge("changed", f"Was {measure(change.old)}"))
        entries.append(Entry(kpi.name, measure(kpi), None, badges, gone))
    for change in mine:
        if not gone and change.change == "removed" and change.old is not None:
            removed = Badge("removed", "Removed")
            entries.append(Entry(change.old.name, measure(change.old), None, [removed], True))
    return entries


# The emotion curves, old and new over each other -------------------------------------------

_COLUMN = 104.0
_LEFT = 132.0
_TOP = 44.0
_STEP = 44.0
_FRAME = Frame(left=_LEFT, column=_COLUMN, top=_TOP, step=_STEP)


@dataclass(frozen=True)
class _Axis:
    """The chart's columns: every touchpoint of both versions in the grid's order, and a gap
    for a stage without touchpoints; `edges` are where each stage starts and the last ends."""

    columns: list[TouchpointView | None]
    labels: list[tuple[str, bool]]  # the name under each column, and whether it was removed
    edges: list[int]

    @property
    def right(self) -> float:
        return _FRAME.left + len(self.columns) * _FRAME.column


def _axis(diff: JourneyDiff) -> _Axis:
    axis = _Axis([], [], [0])
    for merged in diff.layout:
        for tp in merged.touchpoints:
            axis.columns.append(tp.shown)
            name = tp.shown.touchpoint.name
            axis.labels.append(
                (name if tp.new is None else f"{tp.shown.index + 1}. {name}", tp.new is None)
            )
        if not merged.touchpoints:
            axis.columns.append(None)
            axis.labels.append(("", False))
        axis.edges.append(len(axis.columns))
    return axis


def _chart(diff: JourneyDiff, change: CurveChange, style: int, anchor: str) -> Chart:
    axis = _axis(diff)
    bottom = _FRAME.y(1)
    width, height = axis.right + 12, bottom + 84
    title = f"Emotion curve of {change.persona.name}, before and after"
    description = _chart_description(diff, change)
    parts = [
        f'<svg class="jm-curve jm-chart dm-chart" viewBox="0 0 {fmt(width)} {fmt(height)}"'
        f' width="{fmt(width)}" height="{fmt(height)}" role="img"'
        f' aria-labelledby="{anchor}-title {anchor}-desc">',
        f'<title id="{anchor}-title">{escape(title)}</title>',
        f'<desc id="{anchor}-desc">{escape(description)}</desc>',
    ]
    parts += _scale(axis, bottom)
    before = sorted(plot(change.old, axis.columns, _FRAME), key=lambda p: p.x) if change.old else []
    after = sorted(plot(change.new, axis.columns, _FRAME), key=lambda p: p.x) if change.new else []
    # The old curve first, so that where nothing changed the new one covers it.
    parts.append(_polyline(before, "dm-old"))
    parts.append(_polyline(after, f"jm-line jm-p{style}"))
    parts += [marker("circle", p.x, p.y, 7, "dm-old-mark") for p in before]
    parts += _new_points(after, before, style)
    for index, (name, gone) in enumerate(axis.labels):
        if name:
            parts.append(_label(index, name, gone, bottom))
    parts.append("</svg>")
    return Chart(
        persona=change.persona.name,
        svg=Markup("".join(parts)),
        description=description,
        rows=_chart_rows(diff, change),
        style=style,
    )


def _scale(axis: _Axis, bottom: float) -> list[str]:
    """Stage bands behind the plot, and a guide line with its words for each score."""
    parts = []
    for number, (start, end) in enumerate(pairwise(axis.edges)):
        parts.append(
            f'<rect class="jm-band jm-band-{number % 6 + 1}"'
            f' x="{fmt(_FRAME.left + start * _FRAME.column)}" y="4"'
            f' width="{fmt((end - start) * _FRAME.column)}" height="{fmt(bottom + 14)}"/>'
        )
    for value in range(5, 0, -1):
        y, mood = _FRAME.y(value), MOODS[value]
        parts.append(
            f'<line class="jm-guide" x1="{fmt(_FRAME.left)}" y1="{fmt(y)}"'
            f' x2="{fmt(axis.right)}" y2="{fmt(y)}"/>'
            f'<text class="jm-axis-label" x="{fmt(_FRAME.left - 10)}" y="{fmt(y + 4)}">'
            f"{value} {mood.symbol} {mood.label}</text>"
        )
    return parts


def _polyline(points: list[Plotted], css: str) -> str:
    if len(points) < 2:
        return ""
    return (
        f'<polyline class="{css}" points="{" ".join(f"{fmt(p.x)},{fmt(p.y)}" for p in points)}"/>'
    )


def _new_points(after: list[Plotted], before: list[Plotted], style: int) -> list[str]:
    """The new curve's points: filled with their mood and carrying the score, the lowest
    ringed, and the step from the old score written beside those that changed."""
    parts = []
    lowest = min((p.point.mood.score for p in after), default=0)
    was = {p.point.touchpoint.id: p.point.mood.score for p in before}
    for p in after:
        mood = p.point.mood
        if mood.score == lowest:
            parts.append(f'<circle class="jm-lowest-ring" cx="{fmt(p.x)}" cy="{fmt(p.y)}" r="18"/>')
        parts.append(
            f'<g class="jm-point" fill="{mood.colour}">'
            f"{marker('circle', p.x, p.y, 13, f'jm-mark jm-p{style}')}"
            f'<text class="jm-score" x="{fmt(p.x)}" y="{fmt(p.y + 4.9)}" fill="{mood.ink}">'
            f"{mood.score}</text></g>"
        )
        old = was.get(p.point.touchpoint.id)
        if old is not None and old != mood.score:
            y = p.y - 22 if p.y - 22 > 14 else p.y + 32
            parts.append(
                f'<text class="dm-delta" x="{fmt(p.x + 20)}" y="{fmt(y)}">'
                f"{delta(mood.score - old)}</text>"
            )
    return parts


def _label(index: int, name: str, gone: bool, bottom: float) -> str:
    x = fmt(_FRAME.x(index))
    lines = wrap(name + (" (removed)" if gone else ""), 15, 3)
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if i == 0 else 13}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    css = "jm-x-label dm-gone-label" if gone else "jm-x-label"
    return f'<text class="{css}" x="{x}" y="{fmt(bottom + 40)}">{spans}</text>'


def _chart_description(diff: JourneyDiff, change: CurveChange) -> str:
    """The chart in words: averages, lowest points, and each emotion that changed."""
    sentence = f"{change.persona.name}: {curve(change)}."
    moved = [e for e in diff.emotions if e.persona == change.persona]
    if moved:
        listed = "; ".join(f"{e.touchpoint.name} {emotion(e)}" for e in moved)
        sentence += f" Changed: {listed}."
    elif change.old is not None and change.new is not None:
        sentence += " No emotion changed at a touchpoint both versions have."
    return sentence


def _chart_rows(diff: JourneyDiff, change: CurveChange) -> list[ChartRow]:
    rows = []
    for merged in (tp for stage in diff.layout for tp in stage.touchpoints):
        before = _score_at(change.old, merged.id) if merged.old else None
        after = _score_at(change.new, merged.id) if merged.new else None
        if before is None and after is None:
            continue
        shown = merged.shown
        name = shown.touchpoint.name
        rows.append(
            ChartRow(
                name if merged.new is None else f"{shown.index + 1}. {name}",
                shown.stage.name,
                before,
                after,
                after.score - before.score if before and after else None,
                merged.new is None,
            )
        )
    return rows
