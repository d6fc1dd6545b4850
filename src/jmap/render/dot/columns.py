"""A touchpoint's column: its card, then its pain points worst first, each followed by the
opportunities that answer it, and its backstage work at the bottom.

The nodes are declared in a cluster (so they stay together) and ordered in a rank of their own
(so they stay in one column, top to bottom); green arrows join answers to pain points.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from jmap.palette import SVG
from jmap.render.dot.cards import (
    opportunity_label,
    opportunity_tooltip,
    pain_label,
    pain_tooltip,
    touchpoint_label,
    touchpoint_tooltip,
)
from jmap.render.dot.facts import MapFacts, OpportunityNode, backstage_id, pain_id, touchpoint_id
from jmap.render.dot.syntax import Graph, Html, endpoint
from jmap.view import PainView

if TYPE_CHECKING:
    from jmap.view import TouchpointView


def touchpoint_cluster(facts: MapFacts, touchpoint: TouchpointView) -> Graph:
    """A borderless cluster around a card and its pain points and opportunities.

    Graphviz keeps a cluster compact; without one, a pain point with no edge pulling it up
    drifts down its column, away from its card. What a cluster would inherit from its stage
    (label, fill) is reset.
    """
    cluster = Graph(
        f"cluster_touchpoint_{touchpoint.id}",
        {
            "id": f"column-{touchpoint.id}",
            "label": "",
            "tooltip": "",
            "style": "solid",
            "peripheries": "0",
            "margin": "0",
        },
    )
    cluster.node(
        touchpoint_id(touchpoint),
        {
            "label": touchpoint_label(facts, touchpoint),
            "id": touchpoint_id(touchpoint),
            "tooltip": touchpoint_tooltip(facts, touchpoint),
            # Touchpoints of one group are lined up, so the main path reads as a straight row.
            "group": "main" if touchpoint.id in facts.main_path else None,
        },
    )
    for item in facts.column_items[touchpoint.id]:
        label, tooltip = _item_card(item, touchpoint)
        cluster.node(_item_id(item), {"label": label, "id": _item_id(item), "tooltip": tooltip})
    return cluster


def _item_card(item: PainView | OpportunityNode, touchpoint: TouchpointView) -> tuple[Html, str]:
    """The label and tooltip of a pain point or an opportunity under a card."""
    if isinstance(item, PainView):
        return pain_label(item), pain_tooltip(item, touchpoint)
    return opportunity_label(item.opportunity), opportunity_tooltip(item.opportunity)


def column(facts: MapFacts, touchpoint: TouchpointView) -> Graph:
    """One rank per touchpoint, its nodes in column order.

    Within a rank Graphviz puts the tail of an edge before its head, which in a left-to-right
    layout is *below* it; so each ordering edge runs from the lower node up to the one above.
    """
    rank = Graph(attributes={"rank": "same"})
    stack = _column_stack(facts, touchpoint)
    answers = _answer_pairs(facts, touchpoint)
    for upper, lower in itertools.pairwise(stack):
        rank.edge(endpoint(lower), endpoint(upper), _stack_edge(touchpoint, upper, lower, answers))
    if len(stack) == 1:
        rank.node(stack[0])
    return rank


def column_bottom(facts: MapFacts, touchpoint: TouchpointView) -> str:
    """The lowest node of a touchpoint's column above the backstage lane."""
    items = facts.column_items[touchpoint.id]
    return _item_id(items[-1]) if items else touchpoint_id(touchpoint)


def add_far_answer_edges(graph: Graph, facts: MapFacts) -> None:
    """Answer arrows between pain points and opportunities that are not neighbours (those
    are joined by `column`), including answers to a pain point at another touchpoint."""
    for touchpoint in facts.view.touchpoints:
        neighbours = set(itertools.pairwise(_column_stack(facts, touchpoint)))
        for pain, opportunity in sorted(_answer_pairs(facts, touchpoint) - neighbours):
            graph.edge(
                endpoint(pain),
                endpoint(opportunity),
                {
                    **_answer_edge(pain, opportunity),
                    "constraint": "false",  # a reminder only: it must not move columns
                },
            )


def _item_id(item: PainView | OpportunityNode) -> str:
    return pain_id(item) if isinstance(item, PainView) else item.id


def _column_stack(facts: MapFacts, touchpoint: TouchpointView) -> list[str]:
    """The ids of the column's nodes, top to bottom."""
    stack = [touchpoint_id(touchpoint)]
    stack.extend(_item_id(item) for item in facts.column_items[touchpoint.id])
    if facts.view.has_backstage:
        stack.append(backstage_id(touchpoint))
    return stack


def _answer_pairs(facts: MapFacts, touchpoint: TouchpointView) -> set[tuple[str, str]]:
    """(pain point id, opportunity id) for every answer to a pain point at this touchpoint."""
    return {
        (pain_id(pain), facts.opportunity_node(opportunity).id)
        for pain in touchpoint.pains
        for opportunity in pain.answered_by
    }


def _stack_edge(
    touchpoint: TouchpointView, upper: str, lower: str, answers: set[tuple[str, str]]
) -> dict[str, str | None]:
    """Neighbours in a column: an answer arrow, the tie from a card to its pain points, or an
    invisible edge that only keeps the order."""
    if (upper, lower) in answers:
        # Drawn from the pain point down to the opportunity, against the ordering edge.
        return {**_answer_edge(upper, lower), "dir": "back"}
    if upper == touchpoint_id(touchpoint) and lower.startswith("pain-"):
        return {"id": f"pains-of-{touchpoint.id}", "dir": "none", "color": SVG.line}
    return {"style": "invis"}


def _answer_edge(pain: str, opportunity: str) -> dict[str, str | None]:
    return {"id": f"answers-{pain}.{opportunity}", "color": SVG.opportunity.line, "penwidth": "1.5"}
