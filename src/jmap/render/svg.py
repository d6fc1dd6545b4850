"""The journey map as SVG: the DOT map laid out by the build's layout engine.

Graphviz names the drawing after the graph's id only; the journey's title is added as the
SVG's accessible name, so a screen reader announces the map rather than "shoe-purchase".
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from jmap.render.dot.text import xml_text

if TYPE_CHECKING:
    from jmap.render import RenderContext
    from jmap.view import JourneyView

_SVG_START = re.compile(r"<svg\b[^>]*>")


def render(view: JourneyView, context: RenderContext) -> str:
    return _with_accessible_name(context.layout(context.render("dot", view)), view)


def _with_accessible_name(svg: str, view: JourneyView) -> str:
    start = _SVG_START.search(svg)
    if start is None:  # pragma: no cover - every layout engine writes an <svg> element
        return svg
    name = html.escape(xml_text(f"Journey map: {view.journey.title}"), quote=True)
    # Named after the journey, so that a page showing several maps has no duplicate ids.
    title_id = f"journey-{view.journey.id}.title"
    opening = start.group(0)[:-1] + f' role="img" aria-labelledby="{title_id}">'
    title = f'\n<title id="{title_id}">{name}</title>'
    return svg[: start.start()] + opening + title + svg[start.end() :]
