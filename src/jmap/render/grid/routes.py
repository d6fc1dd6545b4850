"""Lines between cards that are not neighbours, drawn where no card or text is: in channels.

A channel is a strip across the map between two rows of cards. Each line runs out of its card
into the strip (straight down from a touchpoint card; sideways into a column gutter and down it
from a pain point), along a track of its own in the strip, and back to its target the same way.
Two lines share a track only where they do not overlap, so lines never run on top of each
other, and a route's label sits on its track where no other line crosses it. Corners are
rounded.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from jmap.render.grid.curve import fmt
from jmap.render.grid.shapes import Box, Group, Path, Text
from jmap.render.grid.text import metrics

TRACK = 18.0  # between two tracks: room for a label over the lower one
FIRST_TRACK = 20.0  # from the top of the channel
BOTTOM = 10.0  # below the last track
CORNER = 6.0
ARROW = 5.0
LABEL_SIZE = 11.0


@dataclass
class Line:
    """A line to draw in a channel. `down` and `up` are its two ends: points on the edges of
    cards, and the x at which it runs vertically into the channel from each."""

    css: str
    data_id: str
    start: list[tuple[float, float]]  # from the source to where it enters the channel (x, y)
    end: list[tuple[float, float]]  # from where it leaves the channel to the target
    label: str = ""
    track: int = 0
    points: list[tuple[float, float]] = field(default_factory=list)

    @property
    def span(self) -> tuple[float, float]:
        a, b = self.start[-1][0], self.end[0][0]
        return min(a, b), max(a, b)


def tracks(lines: list[Line]) -> int:
    """Give every line a track, sharing one only where their spans and labels stay apart;
    return how many tracks the channel needs."""
    taken: list[list[tuple[float, float]]] = []
    for line in sorted(lines, key=lambda line: (line.span[1] - line.span[0], line.data_id)):
        low, high = line.span
        for number, spans in enumerate(taken):
            if all(high + 8 < other_low or low - 8 > other_high for other_low, other_high in spans):
                line.track = number
                spans.append((low, high))
                break
        else:
            line.track = len(taken)
            taken.append([(low, high)])
    return len(taken)


def height(count: int) -> float:
    return 0.0 if count == 0 else FIRST_TRACK + (count - 1) * TRACK + BOTTOM


def draw(lines: list[Line], top: float, css: str) -> Group:
    """The lines of one channel whose strip starts at `top`, with their labels."""
    group = Group(css)
    for line in lines:
        y = top + FIRST_TRACK + line.track * TRACK
        line.points = [*line.start, (line.start[-1][0], y), (line.end[0][0], y), *line.end]
    labels: list[Box] = []
    for line in sorted(lines, key=lambda line: line.data_id):
        shapes = Group("route", line.data_id)
        shapes.add(
            Path(rounded(line.points), line.css), Path(arrow(line.points), line.css + "-head")
        )
        if line.label:
            label = _label(line, lines, top, labels)
            if label is not None:
                shapes.add(label)
        group.add(shapes)
    return group


def rounded(points: list[tuple[float, float]]) -> str:
    """An orthogonal polyline with its corners rounded."""
    points = _simplified(points)
    parts = [f"M{fmt(points[0][0])} {fmt(points[0][1])}"]
    for before, corner, after in zip(points, points[1:], points[2:], strict=False):
        radius = min(CORNER, _length(before, corner) / 2, _length(corner, after) / 2)
        a = _towards(corner, before, radius)
        b = _towards(corner, after, radius)
        parts.append(
            f"L{fmt(a[0])} {fmt(a[1])}Q{fmt(corner[0])} {fmt(corner[1])} {fmt(b[0])} {fmt(b[1])}"
        )
    last = points[-1]
    parts.append(f"L{fmt(last[0])} {fmt(last[1])}")
    return "".join(parts)


def arrow(points: list[tuple[float, float]]) -> str:
    """An arrowhead at the last point, pointing along the last leg."""
    points = _simplified(points)
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = _length((x0, y0), (x1, y1)) or 1.0
    dx, dy = (x1 - x0) / length, (y1 - y0) / length
    bx, by = x1 - dx * ARROW * 1.6, y1 - dy * ARROW * 1.6
    left = (bx - dy * ARROW, by + dx * ARROW)
    right = (bx + dy * ARROW, by - dx * ARROW)
    return f"M{fmt(x1)} {fmt(y1)}L{fmt(left[0])} {fmt(left[1])}L{fmt(right[0])} {fmt(right[1])}Z"


def segments(points: list[tuple[float, float]]) -> list[Box]:
    """The legs of a line as thin boxes, for checking that it crosses nothing."""
    return [
        Box(min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]), abs(a[1] - b[1]))
        for a, b in itertools.pairwise(points)
    ]


def _simplified(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = [points[0]]
    for point in points[1:]:
        if point != kept[-1]:
            kept.append(point)
    return kept


def _length(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(abs(a[0] - b[0]) + abs(a[1] - b[1]))


def _towards(
    start: tuple[float, float], end: tuple[float, float], distance: float
) -> tuple[float, float]:
    length = _length(start, end) or 1.0
    return (
        start[0] + (end[0] - start[0]) * distance / length,
        start[1] + (end[1] - start[1]) * distance / length,
    )


def _label(line: Line, lines: list[Line], top: float, placed: list[Box]) -> Text | None:
    """The route's label above its track, where no other line's leg and no label is."""
    font = metrics()
    probe = Text(0, 0, line.label, LABEL_SIZE, "jm-route-label", "bold")
    h = (font.ascent + font.descent) * LABEL_SIZE
    track_y = top + FIRST_TRACK + line.track * TRACK
    label_top = track_y - 3 - h
    low, high = line.span
    x = low + 6
    while x + probe.width <= high - 6:
        box = Box(x, label_top, probe.width, h)
        grown = box.grown(2)
        crossed = any(
            grown.overlaps(leg)
            for other in lines
            if other is not line
            for leg in segments(other.points)
        )
        if not crossed and not any(grown.overlaps(other) for other in placed):
            placed.append(box)
            return Text(
                x, label_top + font.ascent * LABEL_SIZE, line.label, LABEL_SIZE, probe.css, "bold"
            )
        x += 4
    return None
