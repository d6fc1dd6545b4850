"""The grid map as a PNG: the `svg` format's drawing, rasterised at twice its size on white.

resvg (the `resvg-py` wheel: Rust, MIT, abi3 wheels for Linux, macOS and Windows, no system
library) draws it. resvg reads neither WOFF2 nor @font-face, so it is given the TrueType copies
of the font the map was measured in, and no system font: the same journey gives the same bytes
on every machine. A map whose text has characters that font lacks (CJK, emoji) would lose them,
so for such a map the system's fonts are loaded too, to draw them as a browser would: its bytes
then depend on the fonts the machine has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jmap.palette import GRID
from jmap.render.grid.text import truetype_files, uncovered

if TYPE_CHECKING:
    from jmap.render import RenderContext
    from jmap.view import JourneyView

ZOOM = 2  # for screens with twice the pixels, and slides zoomed in


def render(view: JourneyView, context: RenderContext) -> bytes:
    return rasterise(context.render("svg", view))


def rasterise(svg: str) -> bytes:
    import resvg_py  # only when a PNG is made: a build of other formats never loads it

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            zoom=ZOOM,
            background=GRID.paper,
            skip_system_fonts=not uncovered(svg),
            font_files=truetype_files(),
        )
    )
