"""A journey diff in words: sections of rows that the text, Markdown and HTML formats lay out.

Every format says the same thing in the same order, so the wording lives here once. Rows are
plain text; each renderer escapes them for its format. A row's `tone` says how a change reads
for a reviewer (added, removed, better, worse, or just changed); formats show it with a word
and a sign or a badge, so it never depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from jmap.diff.changes import (
    CurveChange,
    EmotionChange,
    FieldChange,
    ItemChange,
    JourneyDiff,
    KpiChange,
    Low,
    OpportunityChange,
    PainChange,
    PathAverage,
    PathChange,
    Place,
    TimeChange,
    TouchpointChange,
)
from jmap.durations import words
from jmap.model import Kpi
from jmap.view import MOODS, TimeTotal
from jmap.wording import kpi_measure, on_path, path_course, plural, time_words

Tone = Literal["added", "removed", "changed", "better", "worse"]
ARROW = "→"
# Long prose (a description) is cut in summaries; the JSON format has it whole.
_SHORT = 80

CATEGORY_NAMES = {
    "journey": "journey",
    "stages": "stages",
    "personas": "personas",
    "channels": "channels",
    "touchpoints": "touchpoints",
    "branches": "branches",
    "times": "path times",
    "emotions": "emotions",
    "pain_points": "pain points",
    "opportunities": "opportunities",
    "kpis": "KPIs",
}
_KIND_NAMES = {"severity": "changed in severity"}


@dataclass(frozen=True)
class Row:
    kind: str  # the word for the change: added, removed, moved, renamed, severity, better, ...
    tone: Tone
    subject: str  # what changed, by name
    detail: str  # how; may be empty


@dataclass(frozen=True)
class Section:
    key: str  # stable, for anchors and classes: "touchpoints", "pain-points", ...
    title: str
    noun: str  # what a row's subject is: "Touchpoint", "Pain point", ...
    rows: list[Row]


def sections(diff: JourneyDiff) -> list[Section]:
    """The sections that have rows, in a fixed order."""
    found = [
        Section("journey", "Journey", "Field", [_field_row(f) for f in diff.fields]),
        Section("stages", "Stages", "Stage", [_item_row(c, stage=True) for c in diff.stages]),
        Section("personas", "Personas", "Persona", [_item_row(c) for c in diff.personas]),
        Section("channels", "Channels", "Channel", [_item_row(c) for c in diff.channels]),
        Section(
            "touchpoints",
            "Touchpoints",
            "Touchpoint",
            [_touchpoint_row(c) for c in diff.touchpoints],
        ),
        Section("branches", "Branches", "Branch", [_branch_row(c) for c in diff.branches]),
        Section("times", "Time", "Path", [_time_row(c) for c in diff.times]),
        Section("emotions", "Emotions", "Touchpoint", [_emotion_row(c) for c in diff.emotions]),
        Section("curves", "Emotion curves", "Curve", [_curve_row(c) for c in diff.changed_curves]),
        Section("pain-points", "Pain points", "Pain point", [_pain_row(c) for c in diff.pains]),
        Section(
            "opportunities",
            "Opportunities",
            "Opportunity",
            [_opportunity_row(c) for c in diff.opportunities],
        ),
        Section("kpis", "KPIs", "KPI", [_kpi_row(c) for c in diff.kpis]),
    ]
    return [section for section in found if section.rows]


def summary(diff: JourneyDiff) -> str:
    """One line: how many changes of each kind, per category; or that there are none."""
    counts = diff.counts()
    if not counts:
        return "no changes"
    total = sum(n for _, kinds in counts for _, n in kinds)
    parts = []
    for category, kinds in counts:
        listed = ", ".join(f"{n} {_KIND_NAMES.get(kind, kind)}" for kind, n in kinds)
        parts.append(f"{CATEGORY_NAMES[category]} {listed}")
    return f"{plural(total, 'change')}: {'; '.join(parts)}"


def sides(diff: JourneyDiff) -> str:
    """Which two versions were compared, `old → new`; empty when the caller named neither."""
    if diff.old_label is None and diff.new_label is None:
        return ""
    return f"{diff.old_label or '(none)'} {ARROW} {diff.new_label or '(none)'}"


def status(diff: JourneyDiff) -> str:
    """What a title says besides the journey's name: that it is new or deleted."""
    return {"added": "new journey", "removed": "deleted"}.get(diff.status, "")


def totals(diffs: Sequence[JourneyDiff]) -> str:
    """For several journeys: how many were compared and how many changed."""
    changed = sum(1 for d in diffs if d.changed)
    return f"{plural(len(diffs), 'journey')} compared, {changed} changed"


# Values -----------------------------------------------------------------------------------------


def score(value: int | None) -> str:
    return "not recorded" if value is None else f"{value} {MOODS[value].label}"


def delta(value: int | float) -> str:
    return f"{value:+d}" if isinstance(value, int) else f"{value:+.2f}"


def average(value: float | None) -> str:
    return "none" if value is None else f"{value:.2f}"


def _value(text: str | None) -> str:
    if text is None:
        return "none"
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHORT else flat[: _SHORT - 1].rstrip() + "…"


def field(change: FieldChange) -> str:
    if not change.shown:
        return f"{change.field} changed"
    return f"{change.field}: {_value(change.old)} {ARROW} {_value(change.new)}"


def fields(changes: Sequence[FieldChange]) -> str:
    return "; ".join(field(change) for change in changes)


def place(where: Place) -> str:
    return f"{where.stage.name}, #{where.number}"


def measure(kpi: Kpi) -> str:
    """A KPI's value and target as the maps word them: '1.1 min / target 1.5 min'."""
    return kpi_measure(kpi) or "no value"


def low(value: Low | None, branched: bool = False) -> str:
    """A lowest point and where it is; in a journey with branches, on which path."""
    if value is None:
        return "no emotions recorded"
    if not branched or not value.on:
        return f"{score(value.score)} at {_and([ref.name for ref in value.at])}"
    # The touchpoints on each path together, paths in the order they are first met.
    by_path: dict[str | None, tuple[str, list[str]]] = {}
    for ref, path in zip(value.at, value.on, strict=True):
        by_path.setdefault(path.id, (on_path(path), []))[1].append(ref.name)
    places = [f"{_and(names)} {on}" for on, names in by_path.values()]
    return f"{score(value.score)} at {', and at '.join(places)}"


def _and(names: Sequence[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]


# Rows -------------------------------------------------------------------------------------------


def _tone(kind: str) -> Tone:
    return "added" if kind == "added" else "removed" if kind == "removed" else "changed"


def _field_row(change: FieldChange) -> Row:
    detail = f"{_value(change.old)} {ARROW} {_value(change.new)}" if change.shown else ""
    return Row("changed", "changed", change.field, detail)


def _item_row(change: ItemChange, stage: bool = False) -> Row:
    tone = _tone(change.change)
    if change.change == "renamed":
        return Row("renamed", tone, f"{change.old_name} {ARROW} {change.new_name}", "")
    if change.change == "changed":
        return Row("changed", tone, change.name, fields(change.fields))
    detail = ""
    if stage and change.change == "added":
        detail = f"stage {change.new_position}"
    elif stage and change.change == "removed":
        detail = f"was stage {change.old_position}"
    elif change.change == "moved":
        detail = f"stage {change.old_position} {ARROW} {change.new_position}"
    return Row(change.change, tone, change.name, detail)


def _touchpoint_row(change: TouchpointChange) -> Row:
    tone = _tone(change.change)
    if change.change == "renamed":
        return Row("renamed", tone, f"{change.old_name} {ARROW} {change.new_name}", "")
    if change.change == "changed":
        return Row("changed", tone, change.name, fields(change.fields))
    if change.change == "moved":
        assert change.old is not None
        assert change.new is not None
        return Row("moved", tone, change.name, f"{place(change.old)} {ARROW} {place(change.new)}")
    if change.new is not None:
        return Row(change.change, tone, change.name, place(change.new))
    assert change.old is not None
    return Row(change.change, tone, change.name, f"was {place(change.old)}")


def _direction(value: float | None) -> tuple[str, Tone]:
    if value is None or value == 0:
        return "changed", "changed"
    return ("better", "better") if value > 0 else ("worse", "worse")


def emotion(change: EmotionChange) -> str:
    shown = f"{score(change.old)} {ARROW} {score(change.new)}"
    return shown + (f" ({delta(change.delta)})" if change.delta is not None else "")


def _emotion_row(change: EmotionChange) -> Row:
    kind, tone = _direction(change.delta)
    subject = f"{change.touchpoint.name} ({change.persona.name})"
    return Row(kind, tone, subject, emotion(change))


def curve(change: CurveChange) -> str:
    """Averages and lowest point, before and after, in one line; per path where it branches."""
    branched = change.branched
    if change.new is None:
        return f"curve removed: it had an average of {_averages(change, 'old')}"
    if change.old is None:
        lowest = low(change.new_lowest, branched)
        return f"new curve: average {_averages(change, 'new')}, lowest {lowest}"
    if branched:
        shown = "averages " + "; ".join(_path_average(a) for a in change.averages)
    else:
        shown = f"average {average(change.old_average)} {ARROW} {average(change.new_average)}"
        if change.average_delta is not None:
            shown += f" ({delta(change.average_delta)})"
    before, after = change.old_lowest, change.new_lowest
    if before == after:
        return f"{shown}; lowest still {low(after, branched)}"
    return f"{shown}; lowest {low(before, branched)} {ARROW} {low(after, branched)}"


def _averages(change: CurveChange, side: str) -> str:
    """One version's averages: the main path's, and each branch's by name where it branches."""
    found = [(a.path, a.old if side == "old" else a.new) for a in change.averages]
    found = [(path, value) for path, value in found if value is not None]
    if not change.branched or len(found) < 2:
        return average(change.old_average if side == "old" else change.new_average)
    return ", ".join(f"{average(value)} {on_path(path)}" for path, value in found)


def _path_average(value: PathAverage) -> str:
    """'main path 2.22 → 2.40 (+0.18)', "'The call drops' 2.10 → none"."""
    name = value.path.name if value.path.is_main else f"'{value.path.name}'"
    shown = f"{name} {average(value.old)} {ARROW} {average(value.new)}"
    return shown + (f" ({delta(value.delta)})" if value.delta is not None else "")


def _curve_row(change: CurveChange) -> Row:
    # Better or worse by the main path's average, or else by the first path that moved.
    deltas = [a.delta for a in change.averages if a.delta]
    kind, tone = _direction(change.average_delta or (deltas[0] if deltas else None))
    if change.old is None or change.new is None:
        kind, tone = ("added", "added") if change.old is None else ("removed", "removed")
    return Row(kind, tone, change.persona.name, curve(change))


def _branch_row(change: PathChange) -> Row:
    path = change.path
    if change.change == "added":
        return Row("added", "added", path.name, path_course(path))
    if change.change == "removed":
        return Row("removed", "removed", path.name, f"was: {path_course(path)}")
    return Row("changed", "changed", path.name, fields(change.fields))


def _time_row(change: TimeChange) -> Row:
    # A way that takes longer reads as worse for the customer, a shorter one as better.
    longer = change.longer
    kind: str = "changed" if longer is None else "longer" if longer else "shorter"
    tone: Tone = "changed" if longer is None else "worse" if longer else "better"
    return Row(kind, tone, change.path.name, f"{_time(change.old)} {ARROW} {_time(change.new)}")


def _time(time: TimeTotal | None) -> str:
    """'3 days (takes 1 h · waits 3 days)': the total first, as the reader compares it."""
    if time is None:
        return "no time"
    return f"{words(time.total)} ({time_words(time)})"


def _pain_row(change: PainChange) -> Row:
    pain = change.pain
    if change.change == "added":
        return Row("added", "added", pain.text, f"{pain.severity}, at {change.at.name}")
    if change.change == "removed":
        return Row("removed", "removed", pain.text, f"{pain.severity}, was at {change.at.name}")
    assert change.old is not None
    if change.change == "severity":
        worse = change.worse
        return Row(
            "worse" if worse else "better",
            "worse" if worse else "better",
            pain.text,
            f"severity {change.old.severity} {ARROW} {pain.severity}, at {change.at.name}",
        )
    return Row("changed", "changed", pain.text, f"{fields(change.fields)}, at {change.at.name}")


def _opportunity_row(change: OpportunityChange) -> Row:
    item = change.opportunity
    if change.change == "added":
        priority = f"{item.priority} priority, " if item.priority else ""
        return Row("added", "added", item.text, f"{priority}at {change.at.name}")
    if change.change == "removed":
        return Row("removed", "removed", item.text, f"was at {change.at.name}")
    if change.change == "delivered":
        assert change.old is not None
        before = change.old.status or "no status"
        return Row("delivered", "better", item.text, f"{before} {ARROW} done, at {change.at.name}")
    return Row("changed", "changed", item.text, f"{fields(change.fields)}, at {change.at.name}")


def _kpi_row(change: KpiChange) -> Row:
    subject = f"{change.kpi.name} ({change.level} {change.at.name})"
    if change.change == "added":
        assert change.new is not None
        return Row("added", "added", subject, measure(change.new))
    if change.change == "removed":
        assert change.old is not None
        return Row("removed", "removed", subject, f"was {measure(change.old)}")
    return Row("changed", "changed", subject, fields(change.fields))
