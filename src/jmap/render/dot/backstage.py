"""The backstage lane: the work behind each touchpoint, under a line of visibility."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jmap.palette import SVG
from jmap.render.dot.facts import backstage_id
from jmap.render.dot.markup import bare_table, cell, font, heading, html_label, lines, table
from jmap.render.dot.style import CARD_WIDTH
from jmap.render.dot.syntax import Graph, Html
from jmap.render.dot.text import tooltip_text

if TYPE_CHECKING:
    from jmap.view import JourneyView, TouchpointView


def backstage_lane(view: JourneyView) -> Graph:
    """A cluster with one node per touchpoint; each column's ordering edges end at its node
    here, which keeps it under its touchpoint."""
    title = heading("LINE OF VISIBILITY", 12) + font(
        "   above: what the customer sees · below: the work behind it", 11, SVG.muted
    )
    lane = Graph(
        "cluster_backstage",
        {
            "id": "backstage",  # never a touchpoint's backstage-<id>: ids are not empty
            "label": html_label(bare_table([cell(title)])),
            "labeljust": "l",
            "style": "dashed,filled",
            "fillcolor": SVG.backstage.fill,
            "color": SVG.muted,
            "penwidth": "1.5",
            "margin": "12",
        },
    )
    for touchpoint in view.touchpoints:
        if touchpoint.touchpoint.backstage:
            lane.node(
                backstage_id(touchpoint),
                {
                    "label": _backstage_label(touchpoint),
                    "id": backstage_id(touchpoint),
                    "tooltip": _backstage_tooltip(touchpoint),
                },
            )
        else:
            # Holds the place, so the lane spans the journey from the first column to the last.
            lane.node(
                backstage_id(touchpoint),
                {
                    "label": "",
                    "shape": "box",
                    "width": _PLACEHOLDER_WIDTH,
                    "height": "0.1",
                    "style": "invis",
                },
            )
    return lane


_PLACEHOLDER_WIDTH = str(CARD_WIDTH / 72)  # inches


def _backstage_label(touchpoint: TouchpointView) -> Html:
    rows = [cell(heading("BACKSTAGE"), WIDTH=CARD_WIDTH)]
    for work in touchpoint.touchpoint.backstage:
        actor = f"<B>{lines(work.actor)}</B>" if work.actor else ""
        rows.append(cell(actor + lines(work.text)))
    return html_label(table(rows, COLOR=SVG.backstage.line, BGCOLOR=SVG.paper))


def _backstage_tooltip(touchpoint: TouchpointView) -> str:
    sentences = [f"Backstage of {touchpoint.touchpoint.name}"]
    sentences.extend(
        f"{work.actor}: {work.text}" if work.actor else work.text
        for work in touchpoint.touchpoint.backstage
    )
    return tooltip_text(sentences)
