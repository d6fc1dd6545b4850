"""The journey's flow graph, the one drawing jmap leaves to Graphviz: branches and loops.

`--format dot` writes its Graphviz source (`render`); `--format flow` writes it laid out by the
build's engine (`flow`), with the font it was measured in embedded, as the grid map embeds it.
`flow.py` makes the graph, `syntax.py` writes DOT and `text.py` puts user text into it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from jmap.render.dot.flow import flow_graph
from jmap.render.grid.text import FONT_FAMILY, font_faces

if TYPE_CHECKING:
    from jmap.render import RenderContext
    from jmap.view import JourneyView


def render(view: JourneyView, context: RenderContext) -> str:
    return flow_graph(view).source()


def flow(view: JourneyView, context: RenderContext) -> str:
    """The flow graph as SVG. The DOT is the one `render` made for this journey, so a build
    that writes both, or lays out a batch of journeys first, makes and lays it out once."""
    svg = context.layout(context.render("dot", view))
    start = svg.find("<svg")
    end = svg.find(">", start) + 1
    if start < 0 or end == 0:  # pragma: no cover - Graphviz always writes an <svg> element
        return svg
    return f"{svg[:end]}\n<style>{_stylesheet()}</style>{svg[end:]}"


@functools.cache
def _stylesheet() -> str:
    # A rule of a stylesheet outranks the font-family Graphviz writes on each text.
    return "\n".join(
        [*font_faces(), f'text{{font-family:"{FONT_FAMILY}",sans-serif;font-kerning:none}}']
    )
