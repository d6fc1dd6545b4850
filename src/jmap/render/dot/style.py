"""How the map looks: font, sizes and colours, named once so that cards and legends agree."""

from __future__ import annotations

from dataclasses import dataclass

# Graphviz estimates text widths from built-in metrics; only Helvetica/Arial ones match what a
# browser draws, any other name falls back to Times metrics and text overflows its box.
FONT = "Helvetica"
WRAP = 30  # characters per line of user text, so cards stay narrow and columns comparable
CARD_WIDTH = 220  # points: every card at least this wide, so a column's cards line up
SCALE_ROW = 16  # points per step of a card's emotion scale

INK = "#1f2933"
MUTED = "#52606d"
LINE = "#7b8794"
CARD_LINE = "#9aa5b1"
BRANCH = "#6a3d9a"
LOWEST = "#b2182b"
OPPORTUNITY_FILL = "#e3f2e1"
OPPORTUNITY_LINE = "#2f7d32"
STAGE_FILLS = ("#f5f7fa", "#e9eef4")  # alternating, so neighbouring stages stand apart
STAGE_LINE = "#cbd2d9"
BACKSTAGE_FILL = "#f3f0e8"
BACKSTAGE_LINE = "#b8b2a7"
SCALE_STRIPES = ("#ffffff", "#eef2f6")


@dataclass(frozen=True)
class CurveStyle:
    ink: str
    style: str  # a Graphviz edge style
    words: str  # how the legend names it


# One per persona's curve, told apart by pattern as well as by colour.
CURVE_STYLES = (
    CurveStyle("#1f2933", "solid", "solid dark line"),
    CurveStyle("#6a3d9a", "dashed", "dashed purple line"),
    CurveStyle("#8c510a", "dotted", "dotted brown line"),
    CurveStyle("#01665e", "bold", "thick teal line"),
    CurveStyle("#c51b7d", "dashed", "dashed pink line"),
)


@dataclass(frozen=True)
class SeverityStyle:
    label: str
    fill: str
    ink: str  # text colour on that fill, at least 4.5:1 contrast


# Severity is always written out; the colour only repeats the word.
SEVERITIES: dict[str, SeverityStyle] = {
    "critical": SeverityStyle("CRITICAL", "#67000d", "#ffffff"),
    "high": SeverityStyle("HIGH", "#cb181d", "#ffffff"),
    "medium": SeverityStyle("MEDIUM", "#fdae6b", "#000000"),
    "low": SeverityStyle("LOW", "#fee6ce", "#000000"),
}
