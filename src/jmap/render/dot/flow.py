"""The arrows between touchpoints, and the invisible edges that keep them in file order.

A solid arrow is the plain flow: `next` not written, the journey simply continues. A route
written in `next` is dashed, coloured and labelled, so it never passes for the plain flow.

Every edge that ranks touchpoints runs from one written earlier to one written later: a loop
back is written the other way round and drawn backwards. So the ranking never meets a cycle,
and the order edges can hold each stage wholly to the right of the one before.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import TYPE_CHECKING

from jmap.palette import SVG
from jmap.render.dot.columns import column_bottom
from jmap.render.dot.facts import MapFacts, first_node, last_node, touchpoint_id
from jmap.render.dot.syntax import Graph, endpoint

if TYPE_CHECKING:
    from jmap.view import TouchpointView


def add_flow_edges(graph: Graph, facts: MapFacts) -> None:
    touchpoints = facts.view.touchpoints
    arrivals = Counter(target for tp in touchpoints for target in tp.next)
    for source in touchpoints:
        for target in facts.following(source):
            if source.is_default_next:
                style = _flow_style(source, target)
            else:
                style = _route_style(source, target, arrivals[target.id])
            if target.index < source.index:
                # Written from the earlier card to the later, drawn backwards. Graphviz fails
                # on some journeys ("lost edge", "trouble in init_rank") when such an edge is
                # left pointing back with constraint=false instead.
                graph.edge(
                    endpoint(touchpoint_id(target), "title", "w"),
                    endpoint(touchpoint_id(source), "title", "e"),
                    {**style, "dir": "back"},
                )
            else:
                graph.edge(
                    endpoint(touchpoint_id(source), "title", "e"),
                    endpoint(touchpoint_id(target), "title", "w"),
                    style,
                )


def add_order_edges(graph: Graph, facts: MapFacts) -> None:
    """Keep the stages in file order, each wholly to the right of the one before.

    In a stage, each touchpoint is held no further left than the one written before it; one
    edge from each stage's last node to the next stage's first then orders whole stages. An
    unheld touchpoint would drift left, out of its stage's columns, and Graphviz then draws
    the stages overlapping, or fails to route the map's edges at all.
    """
    linked = {
        frozenset((touchpoint_id(tp), touchpoint_id(target)))
        for tp in facts.view.touchpoints
        for target in facts.following(tp)
    }
    for stage in facts.view.stages:
        for before, after in itertools.pairwise(stage.touchpoints):
            if frozenset((touchpoint_id(before), touchpoint_id(after))) not in linked:
                # minlen 0: alternatives may still share a column, one above the other. The
                # edge ends at the bottom of the later column, so that when it does share
                # the rank the edge joins neighbours (an invisible edge is routed too).
                graph.edge(
                    endpoint(touchpoint_id(before)),
                    endpoint(column_bottom(facts, after)),
                    {"style": "invis", "minlen": "0", "weight": "0"},
                )
    for previous, stage in itertools.pairwise(facts.view.stages):
        tail, head = last_node(previous), first_node(stage)
        if frozenset((tail, head)) not in linked:
            graph.edge(endpoint(tail), endpoint(head), {"style": "invis"})


def _flow_style(source: TouchpointView, target: TouchpointView) -> dict[str, str]:
    return {
        "id": f"flow-{source.id}.{target.id}",
        "color": SVG.ink,
        "penwidth": "1.6",
        "weight": "10",
    }


def _route_style(source: TouchpointView, target: TouchpointView, arrivals: int) -> dict[str, str]:
    return {
        "id": f"branch-{source.id}.{target.id}",
        "label": _route_label(source, target, arrivals),
        "style": "dashed",
        "color": SVG.branch,
        "fontcolor": SVG.branch,
        "penwidth": "1.6",
        # A step to the touchpoint written next in the file pulls hardest, so alternatives
        # share a column and a route that rejoins later stretches instead.
        "weight": "10" if target.index == source.index + 1 else "1",
    }


def _route_label(source: TouchpointView, target: TouchpointView, arrivals: int) -> str:
    if len(source.next) > 1:
        return "branch"
    if target.index <= source.index:
        return "back to"
    return "rejoins" if arrivals > 1 else "skips to"
