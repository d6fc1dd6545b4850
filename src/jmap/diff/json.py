"""The diff as JSON for other tools; the schema is documented in docs/diff.md.

Every change is an object with `change` (what kind), the thing's id where it has one, and `old`
and `new`: the thing as each version has it, or null on the side where it does not exist.
Averages are rounded to two decimals so that the bytes do not depend on float printing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from jmap import __version__
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
    PathChange,
    PathRef,
    PersonasChange,
    Place,
    Ref,
    TimeChange,
    TouchpointChange,
)
from jmap.errors import unicode_text
from jmap.model import Kpi, Opportunity, PainPoint
from jmap.render.json import time_in_seconds
from jmap.view import Everyone, JourneyView, Path, TouchpointView

FORMAT_VERSION = 1


def render(diffs: Sequence[JourneyDiff], *, colour: bool = False) -> str:
    document = {
        "jmap_diff": FORMAT_VERSION,
        "generator": f"jmap {__version__}",
        "changed": any(diff.changed for diff in diffs),
        "journeys": [journey(diff) for diff in diffs],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def journey(diff: JourneyDiff) -> dict[str, Any]:
    return {
        "status": diff.status,
        "changed": diff.changed,
        "old": _version(diff.old_label, diff.old),
        "new": _version(diff.new_label, diff.new),
        "summary": {category: dict(kinds) for category, kinds in diff.counts()},
        "journey": [_field(f) for f in diff.fields],
        "stages": [_item(c) for c in diff.stages],
        "personas": [_item(c) for c in diff.personas],
        "channels": [_item(c) for c in diff.channels],
        "touchpoints": [_touchpoint(c) for c in diff.touchpoints],
        "branches": [_branch(c) for c in diff.branches],
        "times": [_time_change(c) for c in diff.times],
        "emotions": [_emotion(c) for c in diff.emotions],
        "curves": [_curve(c) for c in diff.curves],
        "pain_points": [_pain(c) for c in diff.pains],
        "opportunities": [_opportunity(c) for c in diff.opportunities],
        "kpis": [_kpi(c) for c in diff.kpis],
    }


def _version(label: str | None, view: JourneyView | None) -> dict[str, Any] | None:
    if view is None:
        return None
    journey = view.journey
    shown = None if label is None else unicode_text(label)  # a file name: maybe not UTF-8
    return {"label": shown, "id": journey.id, "title": journey.title, "state": journey.state}


def _ref(ref: Ref | None) -> dict[str, str] | None:
    return None if ref is None else _ref_of(ref)


def _persona(who: Ref | Everyone) -> dict[str, Any]:
    """A persona; every persona at once has no id, which tells it from a persona of its name."""
    return {"id": None, "name": who.name} if isinstance(who, Everyone) else _ref_of(who)


def _audience(who: tuple[Ref, ...] | Everyone) -> list[dict[str, str]] | None:
    """The personas of a touchpoint; null for every persona, as a `personas:` left out."""
    return None if isinstance(who, Everyone) else [_ref_of(ref) for ref in who]


def _ref_of(ref: Ref) -> dict[str, str]:
    return {"id": ref.id, "name": ref.name}


def _field(change: FieldChange) -> dict[str, Any]:
    found: dict[str, Any] = {"field": change.field, "old": change.old, "new": change.new}
    if isinstance(change, PersonasChange):
        found["old_personas"] = _audience(change.old_personas)
        found["new_personas"] = _audience(change.new_personas)
    return found


def _fields(changes: Sequence[FieldChange]) -> list[dict[str, Any]]:
    return [_field(change) for change in changes]


def _item(change: ItemChange) -> dict[str, Any]:
    def side(name: str | None, position: int | None) -> dict[str, Any] | None:
        return None if name is None else {"name": name, "position": position}

    return {
        "change": change.change,
        "id": change.id,
        "old": side(change.old_name, change.old_position),
        "new": side(change.new_name, change.new_position),
        "fields": _fields(change.fields),
    }


def _place(name: str | None, where: Place | None) -> dict[str, Any] | None:
    if where is None:
        return None
    return {"name": name, "stage": _ref(where.stage), "number": where.number}


def _touchpoint(change: TouchpointChange) -> dict[str, Any]:
    return {
        "change": change.change,
        "id": change.id,
        "old": _place(change.old_name, change.old),
        "new": _place(change.new_name, change.new),
        "fields": _fields(change.fields),
    }


def _emotion(change: EmotionChange) -> dict[str, Any]:
    return {
        "touchpoint": _ref(change.touchpoint),
        "persona": _persona(change.persona),
        "old": change.old,
        "new": change.new,
        "delta": change.delta,
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _low(low: Low | None) -> dict[str, Any] | None:
    if low is None:
        return None
    touchpoints = []
    for n, ref in enumerate(low.at):
        found: dict[str, Any] = _ref_of(ref)
        if n < len(low.on):
            found["path"] = _path_ref(low.on[n])
        touchpoints.append(found)
    return {"score": low.score, "touchpoints": touchpoints}


def _path_ref(path: PathRef) -> dict[str, Any]:
    """A path: `id` null for the main path, else the id of the branch's first touchpoint."""
    return {"id": path.id, "name": path.name}


def _curve(change: CurveChange) -> dict[str, Any]:
    def side(present: bool, average: float | None, low: Low | None, old: bool) -> Any:
        if not present:
            return None
        paths = []
        for average_ in change.averages:
            path, value = (
                (average_.old_path, average_.old) if old else (average_.new_path, average_.new)
            )
            if path is not None:
                paths.append({**_path_ref(path), "average": _rounded(value)})
        return {"average": _rounded(average), "lowest": _low(low), "paths": paths}

    return {
        "persona": _persona(change.persona),
        "changed": change.changed,
        "old": side(change.old is not None, change.old_average, change.old_lowest, True),
        "new": side(change.new is not None, change.new_average, change.new_lowest, False),
        "average_delta": _rounded(change.average_delta),
    }


def _path(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None

    def at(where: TouchpointView | None) -> dict[str, str] | None:
        return None if where is None else _ref_of(Ref(where.id, where.touchpoint.name))

    return {
        "name": path.name,
        "when": path.route.when if path.route else None,
        "leaves_after": at(path.fork),
        "rejoins_at": at(path.rejoin),
        "touchpoints": [at(tp) for tp in path.touchpoints],
    }


def _branch(change: PathChange) -> dict[str, Any]:
    return {
        "change": change.change,
        "id": change.path.touchpoints[0].id,
        "old": _path(change.old),
        "new": _path(change.new),
        "fields": _fields(change.fields),
    }


def _time_change(change: TimeChange) -> dict[str, Any]:
    return {
        "change": "changed",
        "path": _path_ref(change.path),
        "old": time_in_seconds(change.old),
        "new": time_in_seconds(change.new),
    }


def _pain_point(pain: PainPoint | None, at: Ref | None) -> dict[str, Any] | None:
    if pain is None:
        return None
    return {
        "text": pain.text,
        "severity": pain.severity,
        "category": pain.category,
        "touchpoint": _ref(at),
    }


def _pain(change: PainChange) -> dict[str, Any]:
    return {
        "change": change.change,
        "id": change.pain.id,
        "old": _pain_point(change.old, change.old_at),
        "new": _pain_point(change.new, change.new_at),
        "fields": _fields(change.fields),
    }


def _opportunity_item(item: Opportunity | None, at: Ref | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "text": item.text,
        "owner": item.owner,
        "priority": item.priority,
        "status": item.status,
        "impact": item.impact,
        "effort": item.effort,
        "answers": list(item.answers),
        "touchpoint": _ref(at),
    }


def _opportunity(change: OpportunityChange) -> dict[str, Any]:
    return {
        "change": change.change,
        "id": change.opportunity.id,
        "old": _opportunity_item(change.old, change.old_at),
        "new": _opportunity_item(change.new, change.new_at),
        "fields": _fields(change.fields),
    }


def _measure(kpi: Kpi | None) -> dict[str, Any] | None:
    if kpi is None:
        return None
    return {"value": kpi.value, "target": kpi.target, "unit": kpi.unit}


def _kpi(change: KpiChange) -> dict[str, Any]:
    return {
        "change": change.change,
        "name": change.kpi.name,
        "level": change.level,
        "at": _ref(change.at),
        "old": _measure(change.old),
        "new": _measure(change.new),
        "fields": _fields(change.fields),
    }
