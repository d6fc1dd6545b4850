"""The journey's flow graph: touchpoints as nodes grouped by stage, and every route between them.

A node shows the touchpoint's name and how each persona feels there, in words and symbols as
well as in its fill (the colour of its lowest emotion). A touchpoint's first route, which is
the next touchpoint in the file unless `next` says otherwise, is a solid arrow: the way its
journey goes on. Its other routes are the alternatives, dashed. A route's `when` is its label.

The labels are plain text, and each node is given the size its text takes in the font the SVG
embeds (render/grid/text.py): Graphviz spends its time on the layout, not on parsing labels,
and no text overflows its node in a browser.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from jmap.i18n import _
from jmap.palette import FLOW
from jmap.render.dot.syntax import Graph, endpoint
from jmap.render.dot.text import label_text, tooltip_text
from jmap.render.grid.text import width, wrap
from jmap.view import Everyone
from jmap.wording import channel_words, mood_words

if TYPE_CHECKING:
    from jmap.view import JourneyView, StageView, TouchpointView

# Graphviz estimates text in Helvetica, the widest of the fonts it knows the metrics of; the
# SVG draws it in the embedded font, and a node is as large as that font needs (see `_size`).
FONT = "Helvetica"
SIZE = 12.0  # node text, px (Graphviz's points are the SVG's px)
ROUTE_SIZE = 11.0
LINE = 1.2  # Graphviz's line height, in em
NODE_TEXT = 150.0  # the widest line of a node's name; a longer name wraps
FEELING_TEXT = 220.0  # the widest line of a feeling: "Persona: ▼▼ 1 very negative" fits
ROUTE_TEXT = 140.0
STAGE_TEXT = 280.0  # a stage's name, at 14 px; a cluster is at least as wide as its label
TITLE_TEXT = 900.0  # the journey's title, at 16 px
PAD_X, PAD_Y = 10.0, 7.0


def flow_graph(view: JourneyView) -> Graph:
    graph = Graph(
        view.journey.id,
        {
            "id": f"flow-{view.journey.id}",
            "class": "flow",
            "rankdir": "LR",
            "fontname": FONT,
            "fontsize": "16",
            "fontcolor": FLOW.ink,
            "bgcolor": FLOW.paper,
            "label": label_text(wrap(view.journey.title, TITLE_TEXT, 16)),
            "labelloc": "t",
            "labeljust": "l",
            "pad": "0.2",
            "nodesep": "0.3",
            "ranksep": "0.45",
        },
    )
    graph.defaults(
        "node",
        {
            "shape": "box",
            "style": "rounded,filled",
            "fontname": FONT,
            "fontsize": _number(SIZE),
            "fontcolor": FLOW.ink,
            "color": FLOW.node_line,
            "fillcolor": FLOW.paper,
            "margin": "0.08,0.04",
        },
    )
    graph.defaults(
        "edge",
        {
            "fontname": FONT,
            "fontsize": _number(ROUTE_SIZE),
            "fontcolor": FLOW.branch,
            "color": FLOW.route,
            "penwidth": "1.4",
            "arrowsize": "0.7",
        },
    )
    for number, stage in enumerate(view.stages, start=1):
        graph.subgraph(_stage(view, stage, number))
    _add_routes(graph, view)
    _add_order(graph, view)
    return graph


def _stage(view: JourneyView, stage: StageView, number: int) -> Graph:
    band = FLOW.stages[(number - 1) % len(FLOW.stages)]
    cluster = Graph(
        f"cluster_stage_{stage.stage.id}",
        {
            "id": f"stage-{stage.stage.id}",
            "class": "stage",
            "label": label_text(wrap(f"{number} · {stage.stage.name}", STAGE_TEXT, 14)),
            "labeljust": "l",
            "fontsize": "14",
            "style": "rounded,filled",
            "fillcolor": band.tint,
            "color": band.band,
            "margin": "10",
        },
    )
    for touchpoint in stage.touchpoints:
        cluster.node(_node_id(touchpoint), _touchpoint(view, touchpoint))
    if not stage.touchpoints:
        # An empty cluster is not drawn: the stage holds a place until it has touchpoints.
        lines = ["no touchpoints yet"]
        cluster.node(
            _empty_id(stage),
            {
                "label": label_text(lines),
                "id": _empty_id(stage),
                "style": "rounded,dashed",
                "fontcolor": FLOW.muted,
                **_size(lines),
            },
        )
    return cluster


def _touchpoint(view: JourneyView, touchpoint: TouchpointView) -> dict[str, str | None]:
    lines = wrap(touchpoint.touchpoint.name, NODE_TEXT, SIZE)
    names = _short_names(view) if len(view.curves) > 1 else {}
    for feeling in touchpoint.feelings:
        name = None if isinstance(feeling.persona, Everyone) else names.get(feeling.persona.id)
        who = f"{name}: " if name else ""
        lines.extend(wrap(who + mood_words(feeling.mood), FEELING_TEXT, SIZE))
    attributes: dict[str, str | None] = {
        "label": label_text(lines),
        "id": _node_id(touchpoint),
        "class": "touchpoint",
        "tooltip": tooltip_text(_tooltip(touchpoint)),
        **_size(lines),
    }
    if touchpoint.feelings:
        # The lowest feeling colours the node; every feeling is written in it.
        lowest = min((feeling.mood for feeling in touchpoint.feelings), key=lambda m: m.score)
        attributes["fillcolor"] = lowest.colour
        attributes["fontcolor"] = lowest.ink
    return attributes


def _add_routes(graph: Graph, view: JourneyView) -> None:
    by_id = {touchpoint.id: touchpoint for touchpoint in view.touchpoints}
    for touchpoint in view.touchpoints:
        seen: set[str] = set()
        for number, route in enumerate(touchpoint.routes):
            ident = f"route-{touchpoint.id}.{route.to}"
            if ident in seen:  # the same target twice: still one id per arrow
                ident += f".{number}"
            seen.add(ident)
            attributes: dict[str, str | None] = {"id": ident, "class": "route"}
            if number:
                attributes.update(
                    {"class": "route branch", "style": "dashed", "color": FLOW.branch}
                )
            else:
                attributes["weight"] = "2"  # the way the journey goes on runs straight
            if route.when:
                attributes["label"] = label_text(wrap(route.when, ROUTE_TEXT, ROUTE_SIZE))
            target = by_id[route.to]
            graph.edge(endpoint(_node_id(touchpoint)), endpoint(_node_id(target)), attributes)


def _add_order(graph: Graph, view: JourneyView) -> None:
    """Keep the file's order where no route gives one: a touchpoint no route leads to (a new
    start after a dead end) comes after the one written before it, and an empty stage's
    placeholder after the node before it and before the node after it."""
    reached = {route.to for touchpoint in view.touchpoints for route in touchpoint.routes}
    previous: str | None = None
    previous_placeholder = False
    for stage in view.stages:
        nodes = [(_node_id(tp), tp.id in reached) for tp in stage.touchpoints]
        placeholder = not nodes
        for node, is_reached in nodes or [(_empty_id(stage), False)]:
            if previous is not None and (placeholder or previous_placeholder or not is_reached):
                graph.edge(endpoint(previous), endpoint(node), {"style": "invis"})
            previous, previous_placeholder = node, placeholder


def _size(lines: list[str]) -> dict[str, str | None]:
    """A node's least width and height, in inches: its text in the embedded font, padded.
    Graphviz makes it larger where its own estimate is larger, never smaller."""
    text_width = max(width(line, SIZE) for line in lines)
    text_height = len(lines) * SIZE * LINE
    return {
        "width": _inches(text_width + 2 * PAD_X),
        "height": _inches(text_height + 2 * PAD_Y),
    }


def _inches(px: float) -> str:
    return _number(math.ceil(px / 72 * 100) / 100)


def _number(value: float) -> str:
    return f"{value:g}"


def _tooltip(touchpoint: TouchpointView) -> list[str]:
    lines = [f"{touchpoint.touchpoint.name} ({touchpoint.stage.name}, {channel_words(touchpoint)})"]
    for feeling in touchpoint.feelings:
        who = "" if isinstance(feeling.persona, Everyone) else f"{feeling.persona.name}: "
        lines.append(_("Feels: {feeling}").format(feeling=f"{who}{mood_words(feeling.mood)}"))
    return lines


def _short_names(view: JourneyView) -> dict[str, str]:
    """'Priya, operations manager' -> 'Priya' in a node, unless two personas would collide."""
    short = {p.id: p.name.split(",")[0].strip() or p.name for p in view.personas}
    if len(set(short.values())) < len(short):
        return {p.id: p.name for p in view.personas}
    return short


def _node_id(touchpoint: TouchpointView) -> str:
    return f"tp-{touchpoint.id}"


def _empty_id(stage: StageView) -> str:
    # A dot cannot appear in a written id, so this never meets a touchpoint's.
    return f"stage-{stage.stage.id}.empty"
