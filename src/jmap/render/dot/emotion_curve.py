"""The emotion curve: lines joining the mood bars on the cards' scales, one line per curve."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jmap.render.dot.facts import MapFacts, touchpoint_id
from jmap.render.dot.syntax import endpoint
from jmap.view import persona_key

if TYPE_CHECKING:
    from jmap.render.dot.syntax import Graph


def add_curve_edges(graph: Graph, facts: MapFacts) -> None:
    """One line per curve from bar to bar along the flow, so that a curve branches with it.

    A line stops where its persona is absent: a segment spanning columns would be routed
    around the cards in between, and the gap says truthfully that they were not there.
    """
    for source in facts.view.touchpoints:
        for target in facts.following(source):
            if target.index > source.index:
                # Invisible and heavy: it keeps the top rows of the scales level across the map.
                graph.edge(
                    endpoint(touchpoint_id(source), "s5", "e"),
                    endpoint(touchpoint_id(target), "s5", "w"),
                    {"style": "invis", "weight": "100"},
                )
    for curve in facts.view.curves:
        key = persona_key(curve.persona)
        line = facts.curve_styles[key]
        # Unique in the map, which draws either everyone's one curve or one per persona.
        name = "everyone" if key is None else key
        scores = {point.touchpoint.id: point.mood.score for point in curve.points}
        for point in curve.points:
            source = point.touchpoint
            # Forward only: a loop back would draw the curve backwards over the map.
            following = (t for t in facts.following(source) if t.id in scores)
            for target in (t for t in following if t.index > source.index):
                graph.edge(
                    endpoint(touchpoint_id(source), f"s{scores[source.id]}", "e"),
                    endpoint(touchpoint_id(target), f"s{scores[target.id]}", "w"),
                    {
                        "id": f"curve-{name}.{source.id}.{target.id}",
                        "color": line.ink,
                        "style": line.style,
                        "penwidth": "2",
                        "arrowhead": "none",
                        # Pulls on nothing, but stays ranked like the flow it follows: Graphviz
                        # routes such edges as smooth S-curves, unranked ones loop over cards.
                        "weight": "0",
                    },
                )
