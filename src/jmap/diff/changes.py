"""What changed from one version of a journey to another: the tree `compare` builds.

Every change names what it is about by id and by name, and carries the old and the new version
of it (None on the side where it does not exist), so that a renderer can say "Maya 2 -> 4" or
"high -> critical" without looking anything up. The tree holds no rendering and does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from jmap.model import SEVERITY_RANK, Kpi, Opportunity, PainPoint
from jmap.view import (
    EVERYONE,
    Curve,
    Everyone,
    JourneyView,
    Path,
    StageView,
    TimeTotal,
    TouchpointView,
)

ItemKind = Literal["added", "removed", "renamed", "moved", "changed"]
Status = Literal["added", "removed", "changed", "unchanged"]
# The kinds of change, in the order summaries list them.
KINDS = ("added", "removed", "moved", "renamed", "severity", "delivered", "changed")


@dataclass(frozen=True)
class Ref:
    """Something a change is about, by id and by the name a reader knows it by."""

    id: str
    name: str


@dataclass(frozen=True)
class FieldChange:
    """One field with a new value. Prose lists (thoughts, actions, ...) are only named: their
    `old` and `new` are None; a field that was not set is shown as None on its side."""

    field: str
    old: str | None = None
    new: str | None = None

    @property
    def shown(self) -> bool:
        return self.old is not None or self.new is not None


@dataclass(frozen=True)
class PersonasChange(FieldChange):
    """Who a touchpoint is for, in words (`old`, `new`) and exactly: the personas listed, none
    (`personas: []`), or EVERYONE where that is every persona of the journey (`personas:`
    left out, or all of them listed)."""

    old_personas: tuple[Ref, ...] | Everyone = EVERYONE
    new_personas: tuple[Ref, ...] | Everyone = EVERYONE


@dataclass(frozen=True)
class ItemChange:
    """A stage, persona or channel that was added, removed, renamed, moved or changed."""

    change: ItemKind
    id: str
    old_name: str | None
    new_name: str | None
    old_position: int | None  # 1-based, in its list
    new_position: int | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def name(self) -> str:
        return self.new_name or self.old_name or self.id


@dataclass(frozen=True)
class Place:
    """Where a touchpoint is: its stage, and its number on the map (1-based, whole journey)."""

    stage: Ref
    number: int


@dataclass(frozen=True)
class TouchpointChange:
    change: ItemKind
    id: str
    old_name: str | None
    new_name: str | None
    old: Place | None
    new: Place | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def name(self) -> str:
        return self.new_name or self.old_name or self.id


@dataclass(frozen=True)
class EmotionChange:
    """One persona's emotion at a touchpoint both versions have; None where none is recorded."""

    touchpoint: Ref
    persona: Ref | Everyone  # EVERYONE: where both versions draw one curve for all personas
    old: int | None
    new: int | None

    @property
    def delta(self) -> int | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass(frozen=True)
class PathRef:
    """A path of a journey, matched across versions by `id`: None for the main path, else the
    id of the branch's first touchpoint (a touchpoint is on one path only). `name` as the maps
    say it (jmap.wording.path_name)."""

    id: str | None
    name: str

    @property
    def is_main(self) -> bool:
        return self.id is None


def path_ref(path: Path) -> PathRef:
    return PathRef(None if path.is_main else path.touchpoints[0].id, path.name)


@dataclass(frozen=True)
class Low:
    """The lowest point of a curve: the score, every touchpoint where it is reached and the
    path each of those is on."""

    score: int
    at: tuple[Ref, ...]
    on: tuple[PathRef, ...] = ()


@dataclass(frozen=True)
class PathAverage:
    """A curve's average along one path in each version (None: not there, or no own score)."""

    old_path: PathRef | None  # as each version names it
    new_path: PathRef | None
    old: float | None
    new: float | None

    @property
    def path(self) -> PathRef:
        found = self.new_path or self.old_path
        assert found is not None
        return found

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass(frozen=True)
class PathChange:
    """A branch added or removed, or one that now leaves or rejoins elsewhere (`fields`)."""

    change: Literal["added", "removed", "changed"]
    old: Path | None
    new: Path | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def path(self) -> Path:
        found = self.new or self.old
        assert found is not None
        return found


@dataclass(frozen=True)
class TimeChange:
    """A path in both versions whose total time (the durations and waits of its whole way,
    jmap.view.Path.time) changed; None on the side where it has no time."""

    path: PathRef
    old: TimeTotal | None
    new: TimeTotal | None

    @property
    def longer(self) -> bool | None:
        """Whether the whole way takes longer now; None when the total is the same."""
        before = self.old.total if self.old else 0.0
        after = self.new.total if self.new else 0.0
        return None if before == after else after > before


@dataclass(frozen=True)
class CurveChange:
    """One persona's emotion curve in both versions (None: that version has no such curve)."""

    persona: Ref | Everyone  # EVERYONE: the one curve of every persona
    old: Curve | None
    new: Curve | None

    @property
    def old_average(self) -> float | None:
        return self.old.average if self.old else None

    @property
    def new_average(self) -> float | None:
        return self.new.average if self.new else None

    @property
    def average_delta(self) -> float | None:
        if self.old_average is None or self.new_average is None:
            return None
        return self.new_average - self.old_average

    @property
    def old_lowest(self) -> Low | None:
        return _low(self.old)

    @property
    def new_lowest(self) -> Low | None:
        return _low(self.new)

    @property
    def averages(self) -> tuple[PathAverage, ...]:
        """Per path, the main path first, then the new version's branches, then those it lost."""
        before, after = _averages(self.old), _averages(self.new)
        ids = [*after, *(path for path in before if path not in after)]
        return tuple(
            PathAverage(
                before[path][0] if path in before else None,
                after[path][0] if path in after else None,
                before[path][1] if path in before else None,
                after[path][1] if path in after else None,
            )
            for path in ids
        )

    @property
    def branched(self) -> bool:
        """Whether either version's curve has points off the main path."""
        return any(curve is not None and curve.branched for curve in (self.old, self.new))

    @property
    def changed(self) -> bool:
        return _scores(self.old) != _scores(self.new) or any(
            average.old != average.new for average in self.averages
        )


def _averages(curve: Curve | None) -> dict[str | None, tuple[PathRef, float]]:
    """By path id, the path and the curve's average along it."""
    if curve is None:
        return {}
    found = {}
    for average in curve.averages:
        ref = path_ref(average.path)
        found[ref.id] = (ref, average.average)
    return found


def _low(curve: Curve | None) -> Low | None:
    if curve is None or not curve.points:
        return None
    lowest = curve.lowest
    return Low(
        lowest[0].mood.score,
        tuple(Ref(p.touchpoint.id, p.touchpoint.touchpoint.name) for p in lowest),
        tuple(path_ref(p.touchpoint.path) for p in lowest if p.touchpoint.path is not None),
    )


def _scores(curve: Curve | None) -> list[tuple[str, int]] | None:
    if curve is None:
        return None
    return [(p.touchpoint.id, p.mood.score) for p in curve.points]


@dataclass(frozen=True)
class PainChange:
    """`severity` when only the severity changed in a way a reader ranks; `changed` for the
    other fields (text, category, touchpoint, evidence, id)."""

    change: Literal["added", "removed", "severity", "changed"]
    old: PainPoint | None
    new: PainPoint | None
    old_at: Ref | None
    new_at: Ref | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def pain(self) -> PainPoint:
        found = self.new or self.old
        assert found is not None
        return found

    @property
    def at(self) -> Ref:
        found = self.new_at or self.old_at
        assert found is not None
        return found

    @property
    def worse(self) -> bool | None:
        """Whether the new severity ranks higher; None unless both sides have the pain point."""
        if self.old is None or self.new is None or self.old.severity == self.new.severity:
            return None
        return SEVERITY_RANK[self.new.severity] > SEVERITY_RANK[self.old.severity]


@dataclass(frozen=True)
class OpportunityChange:
    """`delivered` when its status became `done` (its other changes in `fields`), `changed`
    for the other fields."""

    change: Literal["added", "removed", "delivered", "changed"]
    old: Opportunity | None
    new: Opportunity | None
    old_at: Ref | None
    new_at: Ref | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def opportunity(self) -> Opportunity:
        found = self.new or self.old
        assert found is not None
        return found

    @property
    def at(self) -> Ref:
        found = self.new_at or self.old_at
        assert found is not None
        return found


@dataclass(frozen=True)
class KpiChange:
    """A KPI of a stage or of a touchpoint (`level`), matched by name within it."""

    change: Literal["added", "removed", "changed"]
    level: Literal["stage", "touchpoint"]
    at: Ref
    old: Kpi | None
    new: Kpi | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def kpi(self) -> Kpi:
        found = self.new or self.old
        assert found is not None
        return found


@dataclass(frozen=True)
class MergedTouchpoint:
    """A touchpoint as both versions have it; one side is None when it was added or removed."""

    id: str
    old: TouchpointView | None
    new: TouchpointView | None

    @property
    def shown(self) -> TouchpointView:
        found = self.new or self.old
        assert found is not None
        return found


@dataclass(frozen=True)
class MergedStage:
    id: str
    old: StageView | None
    new: StageView | None
    touchpoints: tuple[MergedTouchpoint, ...]

    @property
    def name(self) -> str:
        shown = self.new or self.old
        assert shown is not None
        return shown.stage.name


@dataclass(frozen=True)
class JourneyDiff:
    """What changed from one version of a journey to another.

    `old` or `new` is None when the journey was added or deleted: everything in the other is
    then added or removed. `layout` is both versions laid out together in journey order.
    """

    old_label: str | None
    new_label: str | None
    old: JourneyView | None
    new: JourneyView | None
    fields: tuple[FieldChange, ...]
    stages: tuple[ItemChange, ...]
    personas: tuple[ItemChange, ...]
    channels: tuple[ItemChange, ...]
    touchpoints: tuple[TouchpointChange, ...]
    emotions: tuple[EmotionChange, ...]
    curves: tuple[CurveChange, ...]  # every curve, changed or not
    pains: tuple[PainChange, ...]
    opportunities: tuple[OpportunityChange, ...]
    kpis: tuple[KpiChange, ...]
    layout: tuple[MergedStage, ...] = field(repr=False)
    branches: tuple[PathChange, ...] = ()
    times: tuple[TimeChange, ...] = ()

    @property
    def title(self) -> str:
        shown = self.new or self.old
        assert shown is not None
        return shown.journey.title

    @property
    def status(self) -> Status:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed" if self.changed else "unchanged"

    @property
    def changed(self) -> bool:
        return any(count for _, counts in self.counts() for _, count in counts)

    @property
    def changed_curves(self) -> tuple[CurveChange, ...]:
        return tuple(c for c in self.curves if c.changed)

    def counts(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """Per category (journey, stages, ...), how many changes of each kind, in a fixed order;
        categories without changes are left out."""
        categories: list[tuple[str, list[str]]] = [
            ("journey", ["changed"] * len(self.fields)),
            ("stages", [c.change for c in self.stages]),
            ("personas", [c.change for c in self.personas]),
            ("channels", [c.change for c in self.channels]),
            ("touchpoints", [c.change for c in self.touchpoints]),
            ("branches", [c.change for c in self.branches]),
            ("times", ["changed"] * len(self.times)),
            ("emotions", ["changed"] * len(self.emotions)),
            ("pain_points", [c.change for c in self.pains]),
            ("opportunities", [c.change for c in self.opportunities]),
            ("kpis", [c.change for c in self.kpis]),
        ]
        result = []
        for name, kinds in categories:
            if kinds:
                result.append((name, [(k, kinds.count(k)) for k in KINDS if k in kinds]))
        return result
