"""The journey map as Graphviz DOT: the source of the SVG map.

The map reads left to right. Each stage is a column (a cluster) headed by its goals and KPIs;
each touchpoint is a card with its channel and emotion, and below it its pain points (worst
first), each followed by the opportunities that answer it. Backstage work sits in a lane under
a line of visibility. Solid arrows follow the journey; routes written in `next` are dashed.

The modules here build the parts; this one puts them together in the order Graphviz needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jmap.palette import SVG
from jmap.render.dot.backstage import backstage_lane
from jmap.render.dot.columns import add_far_answer_edges, column
from jmap.render.dot.emotion_curve import add_curve_edges
from jmap.render.dot.facts import MapFacts
from jmap.render.dot.flow import add_flow_edges, add_order_edges
from jmap.render.dot.header import header_label
from jmap.render.dot.stages import stage_cluster
from jmap.render.dot.style import FONT
from jmap.render.dot.syntax import Graph

if TYPE_CHECKING:
    from jmap.render import RenderContext
    from jmap.view import JourneyView


def render(view: JourneyView, context: RenderContext) -> str:
    return _journey_graph(MapFacts.of(view)).source()


def _journey_graph(facts: MapFacts) -> Graph:
    view = facts.view
    graph = Graph(
        view.journey.id,
        {
            "id": f"journey-{view.journey.id}",
            "rankdir": "LR",
            "newrank": "true",
            "fontname": FONT,
            "fontsize": "12",
            "fontcolor": SVG.ink,
            "bgcolor": SVG.paper,
            "label": header_label(facts),
            "labelloc": "t",
            "labeljust": "l",
            "pad": "0.3",
            "nodesep": "0.18",
            "ranksep": "0.55",
            "outputorder": "edgesfirst",
        },
    )
    graph.defaults(
        "node", {"fontname": FONT, "fontsize": "12", "fontcolor": SVG.ink, "shape": "plain"}
    )
    graph.defaults(
        "edge", {"fontname": FONT, "fontsize": "11", "color": SVG.line, "fontcolor": SVG.muted}
    )
    # Declared before the stages: together with each column's ordering edges, that is what
    # puts the lane below the stages rather than above them.
    if view.has_backstage:
        graph.subgraph(backstage_lane(view))
    for number, stage in enumerate(view.stages, start=1):
        graph.subgraph(stage_cluster(facts, stage, number))
    for touchpoint in view.touchpoints:
        graph.subgraph(column(facts, touchpoint))
    add_far_answer_edges(graph, facts)
    add_flow_edges(graph, facts)
    if view.has_emotions:
        add_curve_edges(graph, facts)
    add_order_edges(graph, facts)
    return graph
