"""The journey map as a grid that jmap lays out and draws itself: the `svg` format.

`layout` places every card, line of text and route (in `text`'s font metrics, with `curve` and
`routes`); `draw` writes the result as SVG. No Graphviz: a journey map is a grid whose geometry
jmap knows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jmap.render.grid.draw import svg
from jmap.render.grid.layout import layout

if TYPE_CHECKING:
    from jmap.render import RenderContext
    from jmap.view import JourneyView


def render(view: JourneyView, context: RenderContext) -> str:
    colours = context.palette
    return svg(layout(view), view.journey.id, colours, colours.LOGO)
