"""What several parts of the drawing must agree on: node ids, names and paths through the map.

Every node is named through the functions here, so an edge always meets the node it means.
Ids are made from the journey's own ids and positions, never from counters, so the same journey
gives the same bytes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jmap.render.dot.style import CURVE_STYLES, CurveStyle
from jmap.view import Everyone, persona_key

if TYPE_CHECKING:
    from jmap.model import Opportunity, Persona
    from jmap.view import JourneyView, PainView, StageView, TouchpointView


@dataclass(frozen=True)
class OpportunityNode:
    id: str
    opportunity: Opportunity


@dataclass(frozen=True)
class MapFacts:
    """The view plus what several parts of the drawing need to agree on."""

    view: JourneyView
    touchpoints: dict[str, TouchpointView]  # by id, to follow `next`
    persona_names: dict[str, str]  # persona id -> the short name used on cards
    opportunities: dict[str, list[OpportunityNode]]  # touchpoint id -> its opportunities
    main_path: frozenset[str]  # touchpoints reached by always taking the first `next`
    # persona id (None for everyone's one curve) -> the line of their emotion curve
    curve_styles: dict[str | None, CurveStyle]
    # touchpoint id -> the pain points and opportunities under its card, top to bottom
    column_items: dict[str, list[PainView | OpportunityNode]]
    # id() of an opportunity -> its node: by identity, since two opportunities may be equal
    # in every field yet be two cards
    opportunity_nodes: dict[int, OpportunityNode]

    @classmethod
    def of(cls, view: JourneyView) -> MapFacts:
        touchpoints = {tp.id: tp for tp in view.touchpoints}
        opportunities = {tp.id: _opportunity_nodes(tp) for tp in view.touchpoints}
        nodes = {
            id(node.opportunity): node
            for node in itertools.chain.from_iterable(opportunities.values())
        }
        return cls(
            view,
            touchpoints,
            _short_persona_names(view.personas),
            opportunities,
            _main_path(view, touchpoints),
            {
                persona_key(curve.persona): CURVE_STYLES[number % len(CURVE_STYLES)]
                for number, curve in enumerate(view.curves)
            },
            {tp.id: _column_items(tp, opportunities[tp.id], nodes) for tp in view.touchpoints},
            nodes,
        )

    def following(self, touchpoint: TouchpointView) -> list[TouchpointView]:
        """The touchpoints its `next` leads to, in the order written."""
        return [self.touchpoints[target] for target in touchpoint.next]

    def opportunity_node(self, opportunity: Opportunity) -> OpportunityNode:
        return self.opportunity_nodes[id(opportunity)]

    def persona_name(self, persona: Persona | Everyone) -> str | None:
        """How a card names a persona; None for everyone, who needs no name."""
        if isinstance(persona, Everyone):
            return None
        return self.persona_names.get(persona.id, persona.name)


def touchpoint_id(touchpoint: TouchpointView) -> str:
    return f"tp-{touchpoint.id}"


def pain_id(pain: PainView) -> str:
    return f"pain-{pain.key}"


def backstage_id(touchpoint: TouchpointView) -> str:
    return f"backstage-{touchpoint.id}"


def empty_stage_id(stage: StageView) -> str:
    return f"stage-{stage.stage.id}.empty"


def first_node(stage: StageView) -> str:
    return touchpoint_id(stage.touchpoints[0]) if stage.touchpoints else empty_stage_id(stage)


def last_node(stage: StageView) -> str:
    return touchpoint_id(stage.touchpoints[-1]) if stage.touchpoints else empty_stage_id(stage)


def _opportunity_nodes(touchpoint: TouchpointView) -> list[OpportunityNode]:
    return [
        # A dot cannot appear in a written id, so a made-up one never clashes with it.
        OpportunityNode(f"opportunity-{o.id or f'{touchpoint.id}.{number}'}", o)
        for number, o in enumerate(touchpoint.touchpoint.opportunities, start=1)
    ]


def _column_items(
    touchpoint: TouchpointView,
    own: list[OpportunityNode],
    nodes: dict[int, OpportunityNode],
) -> list[PainView | OpportunityNode]:
    """Pain points worst first, each followed by this touchpoint's opportunities that answer
    it (after the last one they answer), then the opportunities that answer none here."""
    last_answered: dict[str, int] = {}
    for position, pain in enumerate(touchpoint.pains):
        for opportunity in pain.answered_by:
            node = nodes[id(opportunity)]
            if node in own:
                last_answered[node.id] = position
    items: list[PainView | OpportunityNode] = []
    for position, pain in enumerate(touchpoint.pains):
        items.append(pain)
        items.extend(node for node in own if last_answered.get(node.id) == position)
    items.extend(node for node in own if node.id not in last_answered)
    return items


def _main_path(view: JourneyView, by_id: dict[str, TouchpointView]) -> frozenset[str]:
    path: set[str] = set()
    current = view.touchpoints[0] if view.touchpoints else None
    while current is not None and current.id not in path:
        path.add(current.id)
        current = by_id[current.next[0]] if current.next else None
    return frozenset(path)


def _short_persona_names(personas: Sequence[Persona]) -> dict[str, str]:
    """'Priya, operations manager' -> 'Priya' on cards, unless two personas would collide."""
    short = {p.id: p.name.split(",")[0].strip() or p.name for p in personas}
    if len(set(short.values())) < len(short):
        return {p.id: p.name for p in personas}
    return short
