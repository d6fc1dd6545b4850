"""Two versions of a journey -> what changed, as a tree of dataclasses the renderers lay out.

Stages, touchpoints, personas and channels always have an id, and are matched by it: the same
id with a new name is a rename, not a removal and an addition. Pain points and opportunities
have an id only where one is written; those are matched by id, the rest by their text within
the same touchpoint. KPIs have no id and are matched by name within the stage or touchpoint
they measure. Emotions are compared through the view model (`jmap.view`), so the numbers are
the ones the maps draw.

Every list is in journey order: the new journey's order, with what was removed placed where it
was (see `_merge`). The same two journeys always give the same diff.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Literal, TypeVar

from jmap.diff.changes import (
    CurveChange,
    EmotionChange,
    FieldChange,
    ItemChange,
    ItemKind,
    JourneyDiff,
    KpiChange,
    MergedStage,
    MergedTouchpoint,
    OpportunityChange,
    PainChange,
    PathChange,
    PersonasChange,
    Place,
    Ref,
    TimeChange,
    TouchpointChange,
    path_ref,
)
from jmap.model import Channel, Duration, Journey, Kpi, Opportunity, PainPoint, Persona
from jmap.view import (
    EVERYONE,
    Curve,
    Everyone,
    JourneyView,
    TouchpointView,
    curve_along,
    journey_view,
    persona_key,
)
from jmap.wording import channel_names

# How a touchpoint's `personas` reads when it is no list of names.
EVERY_PERSONA = "every persona"
NO_PERSONA = "no persona"


def compare(
    old: Journey | None,
    new: Journey | None,
    old_label: str | None = None,
    new_label: str | None = None,
) -> JourneyDiff:
    """What changed from `old` to `new`; either may be None for a journey added or deleted."""
    if old is None and new is None:
        raise ValueError("compare needs at least one journey")
    old_view = journey_view(old) if old is not None else None
    new_view = journey_view(new) if new is not None else None
    layout = _layout(old_view, new_view)
    curves = _curve_pairs(old_view, new_view)
    order = {tp.id: n for n, tp in enumerate(t for s in layout for t in s.touchpoints)}
    return JourneyDiff(
        old_label=old_label,
        new_label=new_label,
        old=old_view,
        new=new_view,
        fields=_journey_fields(old, new),
        stages=_stages(old_view, new_view, layout),
        personas=_named(
            old.personas if old else [],
            new.personas if new else [],
            ("description", "goals", "needs", "frustrations"),
        ),
        channels=_named(
            old.channels if old else [],
            new.channels if new else [],
            ("kind", "media", "description"),
        ),
        touchpoints=_touchpoints(old_view, new_view, layout),
        emotions=_emotions(layout, curves),
        curves=tuple(CurveChange(_who(p), before, after) for p, before, after in curves),
        pains=_pains(old_view, new_view, order),
        opportunities=_opportunities(old_view, new_view, order),
        kpis=_kpis(old_view, new_view, layout),
        layout=layout,
        branches=_branches(old_view, new_view),
        times=_times(old_view, new_view),
    )


# Layout -------------------------------------------------------------------------------------


def _merge(new_ids: Sequence[str], old_ids: Sequence[str], gone: set[str]) -> list[str]:
    """The new ids in order, with each id of `gone` placed after the nearest id before it in
    the old order that the new list also has (or first). Old ids that are in neither (moved
    somewhere else) are skipped."""
    kept = set(new_ids)
    after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for item in old_ids:
        if item in kept:
            anchor = item
        elif item in gone:
            after.setdefault(anchor, []).append(item)
    merged = list(after.get(None, []))
    for item in new_ids:
        merged.append(item)
        merged.extend(after.get(item, []))
    return merged


def _layout(old: JourneyView | None, new: JourneyView | None) -> tuple[MergedStage, ...]:
    old_stages = {s.stage.id: s for s in old.stages} if old else {}
    new_stages = {s.stage.id: s for s in new.stages} if new else {}
    old_tps = {tp.id: tp for tp in old.touchpoints} if old else {}
    new_tps = {tp.id: tp for tp in new.touchpoints} if new else {}
    stage_ids = _merge(list(new_stages), list(old_stages), set(old_stages) - set(new_stages))
    gone = set(old_tps) - set(new_tps)
    merged = []
    for stage_id in stage_ids:
        before, after = old_stages.get(stage_id), new_stages.get(stage_id)
        ids = _merge(
            [tp.id for tp in after.touchpoints] if after else [],
            [tp.id for tp in before.touchpoints] if before else [],
            gone,
        )
        touchpoints = tuple(MergedTouchpoint(i, old_tps.get(i), new_tps.get(i)) for i in ids)
        merged.append(MergedStage(stage_id, before, after, touchpoints))
    return tuple(merged)


def _in_order(old_ids: Sequence[str], new_ids: Sequence[str]) -> set[str]:
    """The most ids common to both lists that keep their order: a longest increasing
    subsequence of old positions taken in new order. Ids not in it are the ones that moved."""
    position = {item: n for n, item in enumerate(old_ids)}
    sequence = [item for item in new_ids if item in position]
    tails: list[int] = []  # old position of the smallest tail of an increasing run of length n+1
    tail_at: list[int] = []  # index in `sequence` of that tail
    previous = [-1] * len(sequence)
    for index, item in enumerate(sequence):
        length = bisect_left(tails, position[item])
        if length:
            previous[index] = tail_at[length - 1]
        if length == len(tails):
            tails.append(position[item])
            tail_at.append(index)
        else:
            tails[length] = position[item]
            tail_at[length] = index
    kept: set[str] = set()
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        kept.add(sequence[index])
        index = previous[index]
    return kept


# Journey, stages, personas, channels -----------------------------------------------------------


def _text(value: object) -> str | None:
    """A field's value as a reader sees it: lists joined, numbers as written, None for unset."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) if value else None
    if isinstance(value, Duration):
        return value.text  # as written: '10 min'
    return str(value)


def _field_changes(
    old: object, new: object, names: Iterable[str], listed: Iterable[str] = ()
) -> tuple[FieldChange, ...]:
    """The fields among `names` whose values differ; those in `listed` are only named."""
    only_named = set(listed)
    changes = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if name in only_named:
            changes.append(FieldChange(name))
        else:
            changes.append(FieldChange(name, _text(before), _text(after)))
    return tuple(changes)


def _journey_fields(old: Journey | None, new: Journey | None) -> tuple[FieldChange, ...]:
    if old is None or new is None:
        return ()
    return _field_changes(
        old,
        new,
        ("title", "id", "state", "owner", "reviewed", "review_every", "description", "tags"),
    )


def _named(
    old: Sequence[Persona | Channel], new: Sequence[Persona | Channel], details: tuple[str, ...]
) -> tuple[ItemChange, ...]:
    """Personas or channels: added, removed, renamed, or changed in `details`. Their order is
    not compared: it changes nothing a map shows but the order of legends."""
    before = {item.id: (n, item) for n, item in enumerate(old, start=1)}
    after = {item.id: (n, item) for n, item in enumerate(new, start=1)}
    changes: list[ItemChange] = []
    for item_id in _merge(list(after), list(before), set(before) - set(after)):
        old_n, old_item = before.get(item_id, (None, None))
        new_n, new_item = after.get(item_id, (None, None))
        old_name = old_item.name if old_item else None
        new_name = new_item.name if new_item else None
        if old_item is None or new_item is None:
            kind: ItemKind = "added" if old_item is None else "removed"
            changes.append(ItemChange(kind, item_id, old_name, new_name, old_n, new_n))
            continue
        if old_name != new_name:
            changes.append(ItemChange("renamed", item_id, old_name, new_name, old_n, new_n))
        listed = {"goals", "needs", "frustrations"}
        fields = _field_changes(old_item, new_item, details, listed & set(details))
        if fields:
            changes.append(ItemChange("changed", item_id, old_name, new_name, old_n, new_n, fields))
    return tuple(changes)


def _stages(
    old: JourneyView | None, new: JourneyView | None, layout: tuple[MergedStage, ...]
) -> tuple[ItemChange, ...]:
    old_n = {s.stage.id: n for n, s in enumerate(old.stages, start=1)} if old else {}
    new_n = {s.stage.id: n for n, s in enumerate(new.stages, start=1)} if new else {}
    unmoved = _in_order(list(old_n), list(new_n))
    changes: list[ItemChange] = []
    for merged in layout:
        before = merged.old.stage if merged.old else None
        after = merged.new.stage if merged.new else None
        where = (old_n.get(merged.id), new_n.get(merged.id))
        names = (before.name if before else None, after.name if after else None)
        if before is None or after is None:
            kind: ItemKind = "added" if before is None else "removed"
            changes.append(ItemChange(kind, merged.id, *names, *where))
            continue
        if merged.id not in unmoved:
            changes.append(ItemChange("moved", merged.id, *names, *where))
        if before.name != after.name:
            changes.append(ItemChange("renamed", merged.id, *names, *where))
        fields = _field_changes(
            before, after, ("description", "customer_goal", "business_goal", "owner")
        )
        if fields:
            changes.append(ItemChange("changed", merged.id, *names, *where, fields))
    return tuple(changes)


# Touchpoints -----------------------------------------------------------------------------------


def _ref(persona: Persona) -> Ref:
    return Ref(persona.id, persona.name)


def _who(persona: Persona | Everyone) -> Ref | Everyone:
    return persona if isinstance(persona, Everyone) else _ref(persona)


def _ref_tp(tp: TouchpointView) -> Ref:
    return Ref(tp.id, tp.touchpoint.name)


def _place(tp: TouchpointView) -> Place:
    return Place(Ref(tp.stage.id, tp.stage.name), tp.index + 1)


def _touchpoints(
    old: JourneyView | None, new: JourneyView | None, layout: tuple[MergedStage, ...]
) -> tuple[TouchpointChange, ...]:
    # Moved: to another stage, or out of order among the touchpoints its stage has in both
    # versions. Comparing within a stage keeps a moved stage from moving all its touchpoints.
    unmoved: set[str] = set()
    for stage in layout:
        if stage.old and stage.new:
            unmoved |= _in_order(
                [tp.id for tp in stage.old.touchpoints], [tp.id for tp in stage.new.touchpoints]
            )
    changes: list[TouchpointChange] = []
    for merged in (tp for stage in layout for tp in stage.touchpoints):
        before, after = merged.old, merged.new
        names = (
            before.touchpoint.name if before else None,
            after.touchpoint.name if after else None,
        )
        places = (_place(before) if before else None, _place(after) if after else None)
        if before is None or after is None:
            kind: ItemKind = "added" if before is None else "removed"
            changes.append(TouchpointChange(kind, merged.id, *names, *places))
            continue
        if before.stage.id != after.stage.id or merged.id not in unmoved:
            changes.append(TouchpointChange("moved", merged.id, *names, *places))
        if names[0] != names[1]:
            changes.append(TouchpointChange("renamed", merged.id, *names, *places))
        assert old is not None
        assert new is not None
        fields = _touchpoint_fields(old, before, new, after)
        if fields:
            changes.append(TouchpointChange("changed", merged.id, *names, *places, fields))
    return tuple(changes)


def _touchpoint_fields(
    old: JourneyView, before: TouchpointView, new: JourneyView, after: TouchpointView
) -> tuple[FieldChange, ...]:
    changes = []
    old_channel = channel_names(before) or None
    new_channel = channel_names(after) or None
    if before.touchpoint.channel_ids() != after.touchpoint.channel_ids() or (
        old_channel != new_channel
    ):
        changes.append(FieldChange("channel", old_channel, new_channel))
    changes.extend(
        _field_changes(before.touchpoint, after.touchpoint, ("description", "duration", "wait"))
    )
    # Who meets the touchpoint: every persona stays every persona when one joins the journey.
    old_who = _audience(old, before)
    new_who = _audience(new, after)
    if old_who != new_who:
        words = (_audience_text(old_who), _audience_text(new_who))
        changes.append(PersonasChange("personas", *words, old_who, new_who))
    prose = (
        "actions",
        "thoughts",
        "physical_evidence",
        "frontstage",
        "backstage",
        "support_processes",
        "evidence",
    )
    changes.extend(_field_changes(before.touchpoint, after.touchpoint, prose, prose))
    # A `next` that only follows the order is not news: the move already is.
    # A route's `when` is part of it: a new label alone is a change.
    routes_before = [(route.to, route.when) for route in before.routes]
    routes_after = [(route.to, route.when) for route in after.routes]
    if not (before.is_default_next and after.is_default_next) and routes_before != routes_after:
        names = {tp.id: tp.touchpoint.name for tp in old.touchpoints}
        names.update({tp.id: tp.touchpoint.name for tp in new.touchpoints})

        def shown(routes: list[tuple[str, str | None]]) -> str:
            return (
                _text([names[to] + (f" (when: {when})" if when else "") for to, when in routes])
                or "the end"
            )

        changes.append(FieldChange("next", shown(routes_before), shown(routes_after)))
    return tuple(changes)


def _audience(view: JourneyView, tp: TouchpointView) -> tuple[Ref, ...] | Everyone:
    """The personas a touchpoint is for; EVERYONE when that is all of them. The model keeps
    `personas: []` (none) apart from a `personas:` left out (all), which it fills in."""
    if {p.id for p in tp.personas} == {p.id for p in view.personas}:
        return EVERYONE
    return tuple(_ref(p) for p in tp.personas)


def _audience_text(audience: tuple[Ref, ...] | Everyone) -> str:
    if isinstance(audience, Everyone):
        return EVERY_PERSONA
    return _text([ref.name for ref in audience]) or NO_PERSONA


# Branches ----------------------------------------------------------------------------------------


def _branches(old: JourneyView | None, new: JourneyView | None) -> tuple[PathChange, ...]:
    """Branches added, removed, or leaving or rejoining elsewhere; a branch is matched by its
    first touchpoint. A new `when` on its route is the fork's `next` change, not news here."""
    before = {path_ref(p).id: p for p in (old.paths if old else []) if not p.is_main}
    after = {path_ref(p).id: p for p in (new.paths if new else []) if not p.is_main}
    changes = []
    for key in [*after, *(key for key in before if key not in after)]:
        if key not in before or key not in after:
            kind: Literal["added", "removed"] = "added" if key not in before else "removed"
            changes.append(PathChange(kind, before.get(key), after.get(key)))
            continue
        was, now = before[key], after[key]
        fields = []
        for name, old_end, new_end, none in (
            ("leaves after", was.fork, now.fork, "no route"),
            ("rejoins at", was.rejoin, now.rejoin, "the end"),
        ):
            old_name = old_end.touchpoint.name if old_end else none
            new_name = new_end.touchpoint.name if new_end else none
            moved = (old_end.id if old_end else None) != (new_end.id if new_end else None)
            if moved or old_name != new_name:
                fields.append(FieldChange(name, old_name, new_name))
        if fields:
            changes.append(PathChange("changed", was, now, tuple(fields)))
    return tuple(changes)


def _times(old: JourneyView | None, new: JourneyView | None) -> tuple[TimeChange, ...]:
    """Paths in both versions (matched as branches are) whose total time changed; a path
    added or removed is a branch change, not news here."""
    if old is None or new is None:
        return ()
    before = {path_ref(p).id: p for p in old.paths}
    changes = []
    for path in new.paths:
        was = before.get(path_ref(path).id)
        if was is not None and was.time != path.time:
            changes.append(TimeChange(path_ref(path), was.time, path.time))
    return tuple(changes)


# Emotions ----------------------------------------------------------------------------------------


def _curve_pairs(
    old: JourneyView | None, new: JourneyView | None
) -> list[tuple[Persona | Everyone, Curve | None, Curve | None]]:
    """The curves to compare, per persona. When both versions draw the same curves (one per
    persona, or one for everyone) they pair up by persona; when one draws a curve for everyone
    and the other one per persona, the shared one is read as each persona's."""
    if new is None:
        assert old is not None
        return [(c.persona, c, None) for c in old.curves]
    if old is None:
        return [(c.persona, None, c) for c in new.curves]
    old_keys = [persona_key(c.persona) for c in old.curves]
    new_keys = [persona_key(c.persona) for c in new.curves]
    if set(old_keys) == set(new_keys):
        by_key = dict(zip(old_keys, old.curves, strict=True))
        return [(c.persona, by_key[key], c) for key, c in zip(new_keys, new.curves, strict=True)]
    personas = {p.id: p for p in old.personas}
    personas = {**personas, **{p.id: p for p in new.personas}}
    ordered = [p.id for p in new.personas] + [p.id for p in old.personas]
    return [
        (personas[i], _curve_for(old, personas[i]), _curve_for(new, personas[i]))
        for i in dict.fromkeys(ordered)
    ]


def _curve_for(view: JourneyView, persona: Persona) -> Curve | None:
    for curve in view.curves:
        if persona_key(curve.persona) == persona.id:
            return curve
    if [persona_key(c.persona) for c in view.curves] != [None]:
        return None  # the persona is not in this version
    if view.personas and persona.id not in {p.id for p in view.personas}:
        return None
    shared = view.curves[0]
    points = [
        point
        for point in shared.points
        if not view.personas or persona.id in (point.touchpoint.touchpoint.personas or [])
    ]
    return curve_along(persona, points, view.paths)


def _emotions(
    layout: tuple[MergedStage, ...],
    pairs: list[tuple[Persona | Everyone, Curve | None, Curve | None]],
) -> tuple[EmotionChange, ...]:
    # Only where both versions have the touchpoint and the persona: an added touchpoint or
    # persona is news of its own, and the curve summary counts its emotions.
    scores = [
        (persona, _by_touchpoint(before), _by_touchpoint(after))
        for persona, before, after in pairs
        if before is not None and after is not None
    ]
    changes = []
    for merged in (tp for stage in layout for tp in stage.touchpoints):
        if merged.old is None or merged.new is None:
            continue
        for persona, before, after in scores:
            old_score, new_score = before.get(merged.id), after.get(merged.id)
            if old_score != new_score:
                changes.append(
                    EmotionChange(_ref_tp(merged.new), _who(persona), old_score, new_score)
                )
    return tuple(changes)


def _by_touchpoint(curve: Curve) -> dict[str, int]:
    return {point.touchpoint.id: point.mood.score for point in curve.points}


# Pain points, opportunities, KPIs -----------------------------------------------------------------

_Item = TypeVar("_Item", PainPoint, Opportunity)


_Pair = tuple[int | None, int | None]  # indexes into the old and the new items


def _match(
    old: Sequence[tuple[_Item, TouchpointView]], new: Sequence[tuple[_Item, TouchpointView]]
) -> list[_Pair]:
    """The same items in both versions: by id first, then by text at the same touchpoint (in
    order, for repeats); what is left was added or removed."""
    by_id = {item.id: n for n, (item, _) in enumerate(old) if item.id}
    used: set[int] = set()
    pairs: list[_Pair] = []
    pending = []
    for m, (item, _) in enumerate(new):
        n = by_id.get(item.id) if item.id else None
        if n is not None:
            used.add(n)
            pairs.append((n, m))
        else:
            pending.append(m)
    by_text: dict[tuple[str, str], list[int]] = {}
    for n, (item, tp) in enumerate(old):
        if n not in used:
            by_text.setdefault((tp.id, item.text), []).append(n)
    for m in pending:
        item, tp = new[m]
        candidates = by_text.get((tp.id, item.text))
        n = candidates.pop(0) if candidates else None
        if n is not None:
            used.add(n)
        pairs.append((n, m))
    pairs.extend((n, None) for n in range(len(old)) if n not in used)
    return pairs


def _in_journey_order(
    pairs: list[_Pair],
    old: Sequence[tuple[_Item, TouchpointView]],
    new: Sequence[tuple[_Item, TouchpointView]],
    order: dict[str, int],
) -> list[_Pair]:
    """By the touchpoint an item is at now (or was at): new items in their order, then the
    removed ones in theirs."""

    def key(pair: _Pair) -> tuple[int, int, int]:
        n, m = pair
        if m is not None:
            return order[new[m][1].id], 0, m
        assert n is not None
        return order[old[n][1].id], 1, n

    return sorted(pairs, key=key)


def _items_of(
    view: JourneyView | None, get: Callable[[TouchpointView], list[_Item]]
) -> list[tuple[_Item, TouchpointView]]:
    if view is None:
        return []
    return [(item, tp) for tp in view.touchpoints for item in get(tp)]


def _paired(
    old: JourneyView | None,
    new: JourneyView | None,
    order: dict[str, int],
    get: Callable[[TouchpointView], list[_Item]],
) -> Iterator[tuple[tuple[_Item, TouchpointView] | None, tuple[_Item, TouchpointView] | None]]:
    """Each item of either version with its match in the other (None when added or removed)."""
    old_items = _items_of(old, get)
    new_items = _items_of(new, get)
    for n, m in _in_journey_order(_match(old_items, new_items), old_items, new_items, order):
        yield (
            old_items[n] if n is not None else None,
            new_items[m] if m is not None else None,
        )


def _moved_to(before: TouchpointView, after: TouchpointView) -> tuple[FieldChange, ...]:
    if before.id == after.id:
        return ()
    return (FieldChange("touchpoint", before.touchpoint.name, after.touchpoint.name),)


def _pains(
    old: JourneyView | None, new: JourneyView | None, order: dict[str, int]
) -> tuple[PainChange, ...]:
    changes: list[PainChange] = []
    for before, after in _paired(old, new, order, lambda tp: tp.touchpoint.pain_points):
        if before is None or after is None:
            present = after or before
            assert present is not None
            at = _ref_tp(present[1])
            if before is None:
                changes.append(PainChange("added", None, present[0], None, at))
            else:
                changes.append(PainChange("removed", present[0], None, at, None))
            continue
        (old_pain, old_tp), (new_pain, new_tp) = before, after
        where = (_ref_tp(old_tp), _ref_tp(new_tp))
        if old_pain.severity != new_pain.severity:
            changes.append(PainChange("severity", old_pain, new_pain, *where))
        fields = _field_changes(old_pain, new_pain, ("text", "id", "category", "persona"))
        fields += _moved_to(old_tp, new_tp)
        fields += _field_changes(old_pain, new_pain, ("evidence",), ("evidence",))
        if fields:
            changes.append(PainChange("changed", old_pain, new_pain, *where, fields))
    return tuple(changes)


def _opportunities(
    old: JourneyView | None, new: JourneyView | None, order: dict[str, int]
) -> tuple[OpportunityChange, ...]:
    changes: list[OpportunityChange] = []
    for before, after in _paired(old, new, order, lambda tp: tp.touchpoint.opportunities):
        if before is None or after is None:
            present = after or before
            assert present is not None
            at = _ref_tp(present[1])
            if before is None:
                changes.append(OpportunityChange("added", None, present[0], None, at))
            else:
                changes.append(OpportunityChange("removed", present[0], None, at, None))
            continue
        (old_item, old_tp), (new_item, new_tp) = before, after
        fields = _field_changes(
            old_item,
            new_item,
            ("text", "id", "owner", "priority", "link", "answers", "status", "impact", "effort"),
        )
        fields += _moved_to(old_tp, new_tp)
        where = (_ref_tp(old_tp), _ref_tp(new_tp))
        # Work that got done is news of its own, not a change of one field among others.
        if new_item.status == "done" and old_item.status != "done":
            changes.append(OpportunityChange("delivered", old_item, new_item, *where, fields))
        elif fields:
            changes.append(OpportunityChange("changed", old_item, new_item, *where, fields))
    return tuple(changes)


_KpiKey = tuple[str, str, str, int]  # level, stage or touchpoint id, name, repeat number


def _kpi_index(
    view: JourneyView | None,
) -> dict[_KpiKey, tuple[Kpi, Ref]]:
    found: dict[_KpiKey, tuple[Kpi, Ref]] = {}
    if view is None:
        return found

    def add(level: str, at: Ref, kpis: list[Kpi]) -> None:
        seen: dict[str, int] = {}
        for kpi in kpis:
            seen[kpi.name] = seen.get(kpi.name, 0) + 1
            found[(level, at.id, kpi.name, seen[kpi.name])] = (kpi, at)

    for stage in view.stages:
        add("stage", Ref(stage.stage.id, stage.stage.name), stage.stage.kpis)
        for tp in stage.touchpoints:
            add("touchpoint", _ref_tp(tp), tp.touchpoint.kpis)
    return found


def _kpis(
    old: JourneyView | None, new: JourneyView | None, layout: tuple[MergedStage, ...]
) -> tuple[KpiChange, ...]:
    before, after = _kpi_index(old), _kpi_index(new)
    # Journey order: each stage's KPIs, then those of its touchpoints.
    owners: list[tuple[str, str]] = []
    for stage in layout:
        owners.append(("stage", stage.id))
        owners.extend(("touchpoint", tp.id) for tp in stage.touchpoints)
    rank = {owner: n for n, owner in enumerate(owners)}
    # A stable sort keeps each owner's KPIs in file order, the removed ones after the rest.
    every = list(after) + [k for k in before if k not in after]
    every.sort(key=lambda k: (rank[(k[0], k[1])], k not in after))
    changes: list[KpiChange] = []
    for key in every:
        level: Literal["stage", "touchpoint"] = "stage" if key[0] == "stage" else "touchpoint"
        old_kpi, old_at = before.get(key, (None, None))
        new_kpi, new_at = after.get(key, (None, None))
        at = new_at or old_at
        assert at is not None
        if old_kpi is None:
            changes.append(KpiChange("added", level, at, None, new_kpi))
        elif new_kpi is None:
            changes.append(KpiChange("removed", level, at, old_kpi, None))
        else:
            fields = _field_changes(
                old_kpi, new_kpi, ("value", "target", "unit", "description", "direction")
            )
            if fields:
                changes.append(KpiChange("changed", level, at, old_kpi, new_kpi, fields))
    return tuple(changes)
