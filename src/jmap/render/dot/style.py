"""How the map looks: font and sizes, named once so that cards and legends agree.

Its colours are in `jmap.palette` (`SVG`, and `EMOTIONS` through the moods of the view).
"""

from __future__ import annotations

from dataclasses import dataclass

from jmap.palette import SVG

# Graphviz estimates text widths from built-in metrics; only Helvetica/Arial ones match what a
# browser draws, any other name falls back to Times metrics and text overflows its box.
FONT = "Helvetica"
WRAP = 30  # characters per line of user text, so cards stay narrow and columns comparable
CARD_WIDTH = 220  # points: every card at least this wide, so a column's cards line up
SCALE_ROW = 16  # points per step of a card's emotion scale


@dataclass(frozen=True)
class CurveStyle:
    ink: str
    style: str  # a Graphviz edge style
    words: str  # how the legend names it


# One per persona's curve, told apart by pattern as well as by colour. The legend's words name
# the colours of `SVG.curves`: a new colour there wants its name here.
CURVE_STYLES = tuple(
    CurveStyle(ink, style, words)
    for ink, (style, words) in zip(
        SVG.curves,
        (
            ("solid", "solid dark line"),
            ("dashed", "dashed purple line"),
            ("dotted", "dotted brown line"),
            ("bold", "thick teal line"),
            ("dashed", "dashed pink line"),
        ),
        strict=True,
    )
)
