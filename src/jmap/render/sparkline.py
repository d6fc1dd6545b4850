"""A KPI's trend as a small line: the points of an SVG polyline, or a row of block characters.

One place for the rule every output follows: the periods (months) are spaced evenly from left
to right, the lowest value at the bottom and the highest at the top; a flat trend is drawn
across the middle. Returns numbers and text only: the HTML map draws the points, the SVG
grid map (and so the PDF deck) the coordinates, Markdown the blocks.
"""

from __future__ import annotations

from collections.abc import Sequence

from jmap.model import Point

WIDTH, HEIGHT = 60, 16  # of the line's box, in the units of the points
_BLOCKS = "▁▂▃▄▅▆▇█"


def _heights(series: Sequence[Point]) -> list[float]:
    """Each value as a share of the range, 0 (the lowest) to 1 (the highest)."""
    values = [float(point.value) for point in series]
    low, high = min(values), max(values)
    if high == low:
        return [0.5 for _ in values]
    return [(value - low) / (high - low) for value in values]


def coordinates(
    series: Sequence[Point], width: float = WIDTH, height: float = HEIGHT
) -> list[tuple[float, float]]:
    """The line's points in a box of `width` x `height`, (0, 0) at its top left; one period
    is a dash across the box."""
    heights = _heights(series)
    if len(heights) == 1:
        y = _y(heights[0], height)
        return [(0.0, y), (width, y)]
    step = width / (len(heights) - 1)
    return [(step * index, _y(share, height)) for index, share in enumerate(heights)]


def points(series: Sequence[Point], width: float = WIDTH, height: float = HEIGHT) -> str:
    """`x,y x,y ...` for a polyline in a box of `width` x `height`."""
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in coordinates(series, width, height))


def blocks(series: Sequence[Point]) -> str:
    """`▁▃▅█`: one block per period, for text."""
    return "".join(_BLOCKS[round(share * (len(_BLOCKS) - 1))] for share in _heights(series))


def summary(series: Sequence[Point]) -> str:
    """'2025-01: 0 → 2025-03: 33.3', what the line shows, in words (for screen readers)."""
    first, last = series[0], series[-1]
    if first is last:
        return f"{first.period}: {first.value}"
    return f"{first.period}: {first.value} → {last.period}: {last.value}"


def _y(share: float, height: float) -> float:
    # A margin of one unit keeps the stroke inside the box at the top and the bottom.
    return 1 + (1 - share) * (height - 2)


def _n(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")
