"""The grid map as a PNG: the `svg` format's drawing, rasterised at twice its size on white.

resvg (the `resvg-py` wheel: Rust, MIT, abi3 wheels for Linux, macOS and Windows, no system
library) draws it. resvg reads neither WOFF2 nor @font-face, so it is given the TrueType copies
of the font the map was measured in, and for what that font lacks (CJK, Hangul, emoji) the
fallback fonts jmap ships (render/grid/fonts), and never a system font: the same journey gives
the same bytes on every machine. Loading the fallbacks takes about 5 ms; drawing an
11-touchpoint map takes 1.3-1.6 s on a shared 2-core machine, with or without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jmap.palette import GRID
from jmap.render.grid.fonts import fallback_files
from jmap.render.grid.text import truetype_files

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
            skip_system_fonts=True,
            font_files=[*truetype_files(), *(path for _, path in fallback_files())],
        )
    )
