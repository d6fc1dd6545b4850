"""The arrows between touchpoints, and the invisible edges that keep stages in file order.

A solid arrow is the plain flow: `next` not written, the journey simply continues. A route
written in `next` is dashed, coloured and labelled, so it never passes for the plain flow.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import TYPE_CHECKING

from jmap.render.dot.facts import MapFacts, first_node, last_node, touchpoint_id
from jmap.render.dot.style import BRANCH, INK

if TYPE_CHECKING:
    import graphviz

    from jmap.view import TouchpointView


def add_flow_edges(graph: graphviz.Digraph, facts: MapFacts) -> None:
    touchpoints = facts.view.touchpoints
    arrivals = Counter(target for tp in touchpoints for target in tp.next)
    for source in touchpoints:
        for target in facts.following(source):
            if source.is_default_next:
                style = _flow_style(source, target)
            else:
                style = _route_style(source, target, arrivals[target.id])
            graph.edge(
                f"{touchpoint_id(source)}:title:e", f"{touchpoint_id(target)}:title:w", **style
            )


def add_stage_order_edges(graph: graphviz.Digraph, facts: MapFacts) -> None:
    """Keep the stage columns in file order where no flow arrow links one stage to the next."""
    linked = {
        (touchpoint_id(tp), touchpoint_id(target))
        for tp in facts.view.touchpoints
        for target in facts.following(tp)
    }
    for previous, stage in itertools.pairwise(facts.view.stages):
        tail, head = last_node(previous), first_node(stage)
        if (tail, head) not in linked:
            graph.edge(tail, head, style="invis")


def _flow_style(source: TouchpointView, target: TouchpointView) -> dict[str, str]:
    return {"id": f"flow-{source.id}.{target.id}", "color": INK, "penwidth": "1.6", "weight": "10"}


def _route_style(source: TouchpointView, target: TouchpointView, arrivals: int) -> dict[str, str]:
    style = {
        "id": f"branch-{source.id}.{target.id}",
        "label": _route_label(source, target, arrivals),
        "style": "dashed",
        "color": BRANCH,
        "fontcolor": BRANCH,
        "penwidth": "1.6",
        # A step to the touchpoint written next in the file pulls hardest, so alternatives
        # share a column and a route that rejoins later stretches instead.
        "weight": "10" if target.index == source.index + 1 else "1",
    }
    if target.index <= source.index:
        style["constraint"] = "false"  # a loop back must not reorder the columns
    return style


def _route_label(source: TouchpointView, target: TouchpointView, arrivals: int) -> str:
    if len(source.next) > 1:
        return "branch"
    if target.index <= source.index:
        return "back to"
    return "rejoins" if arrivals > 1 else "skips to"
