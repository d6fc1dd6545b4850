"""The emotion curve of the grid map: one line per persona across the whole journey.

Points sit at the centres of the touchpoint columns on a 1-5 scale and are joined by a monotone
cubic (Fritsch and Carlson's tangents, as d3's `curveMonotoneX`), which never overshoots the
scale between two points. Each persona has its own colour, marker shape and dash, so no curve is
told apart by colour alone. The lowest points of each curve are ringed and labelled; a label
goes where it covers no point, no line and no other label: above, below, right or left of its
point, else further away with a leader line.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from jmap.render.grid.shapes import Box, Circle, Group, Mark, Path, Shape, Text
from jmap.render.grid.text import metrics
from jmap.view import Curve, Everyone, JourneyView, TouchpointView

SHAPES = ("circle", "square", "diamond", "triangle", "circle", "square")
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 2", "1 2")
MARK_R = 5.5
RING_R = 10.0
LABEL_SIZE = 11.0
LINE_SAMPLES = 16  # points per segment when testing whether a label covers a line
# Every curve is drawn in the Okabe-Ito colour `jm-c<n>`; see palette.GRID.curves.
EVERYONE_ID = "*"  # the data-id of the one curve that stands for every persona


@dataclass(frozen=True)
class CurveStyle:
    number: int  # 1-based: the CSS class jm-c<number>
    shape: str
    dash: str


def curve_style(index: int) -> CurveStyle:
    return CurveStyle(index % len(SHAPES) + 1, SHAPES[index % len(SHAPES)], DASHES[index % 6])


def short_name(curve: Curve) -> str:
    """A persona's name up to its first comma: "Priya" for "Priya, operations manager"."""
    return curve.persona.name.split(",")[0].strip() or curve.persona.name


def curve_id(curve: Curve) -> str:
    return EVERYONE_ID if isinstance(curve.persona, Everyone) else curve.persona.id


@dataclass(frozen=True)
class Plot:
    """Where the curve is drawn: `centres` maps a touchpoint id to its column's centre."""

    box: Box  # the curve lane's area, between the column gutters
    top: float  # y of score 5
    step: float  # height of one score step
    centres: dict[str, float]

    def y(self, score: float) -> float:
        return self.top + (5 - score) * self.step


def tangents(xs: list[float], ys: list[float]) -> list[float]:
    """Slopes at each point that keep a cubic Hermite curve monotone between points."""
    count = len(xs)
    secants = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(count - 1)]
    slopes = [0.0] * count
    slopes[0], slopes[-1] = secants[0], secants[-1]
    for i in range(1, count - 1):
        before, after = secants[i - 1], secants[i]
        if before * after <= 0:
            continue  # a peak or a valley: flat there, so the curve does not overshoot
        h0, h1 = xs[i] - xs[i - 1], xs[i + 1] - xs[i]
        weighted = (before * h1 + after * h0) / (h0 + h1)
        slopes[i] = math.copysign(2 * min(abs(before), abs(after), abs(weighted) / 2), after)
    return slopes


def segments(
    points: list[tuple[float, float]],
) -> Iterator[tuple[tuple[float, float], ...]]:
    """Bezier segments (start, control 1, control 2, end) through the points."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    slopes = tangents(xs, ys)
    for i in range(len(points) - 1):
        third = (xs[i + 1] - xs[i]) / 3
        yield (
            points[i],
            (xs[i] + third, ys[i] + slopes[i] * third),
            (xs[i + 1] - third, ys[i + 1] - slopes[i + 1] * third),
            points[i + 1],
        )


def _bezier(segment: tuple[tuple[float, float], ...], t: float) -> tuple[float, float]:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = segment
    u = 1 - t
    x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
    y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
    return x, y


def fmt(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: stable across platforms."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass
class _Drawn:
    curve: Curve
    style: CurveStyle
    points: list[tuple[float, float, TouchpointView]]
    samples: list[tuple[float, float]]  # along the line, left to right
    xs: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.xs = [x for x, _ in self.samples]


def draw(view: JourneyView, plot: Plot) -> list[Shape | Group]:
    """Guides, then every curve's line, then rings, markers and the labels of lowest points."""
    items: list[Shape | Group] = []
    for score in range(1, 6):
        y = plot.y(score)
        items.append(Path(f"M{fmt(plot.box.x)} {fmt(y)}H{fmt(plot.box.right)}", "jm-guide", "2 4"))
    drawn = [_plot(curve, index, plot, len(view.curves)) for index, curve in enumerate(view.curves)]
    groups = []
    for entry in drawn:
        group = Group("curve", curve_id(entry.curve))
        if len(entry.points) > 1:
            group.add(
                Path(_path(entry.points), f"jm-line jm-c{entry.style.number}", entry.style.dash)
            )
        groups.append(group)
    marks: list[Mark] = []
    for entry, group in zip(drawn, groups, strict=True):
        for x, y, _ in entry.points:
            mark = Mark(entry.style.shape, x, y, MARK_R, f"jm-mark jm-c{entry.style.number}")
            marks.append(mark)
            group.add(mark)
    labels: list[Box] = []
    for entry, group in zip(drawn, groups, strict=True):
        for x, y, _ in _lowest(entry):
            group.add(Circle(x, y, RING_R, "jm-ring"))
            text = "lowest" if len(drawn) == 1 else f"lowest: {short_name(entry.curve)}"
            group.add(*_label(text, x, y, plot, drawn, marks, labels))
    items.extend(groups)
    return items


def _plot(curve: Curve, index: int, plot: Plot, count: int) -> _Drawn:
    # Curves that share a point are set a little apart, so that every marker shows.
    nudge = (index - (count - 1) / 2) * 4.0 if count > 1 else 0.0
    points = [
        (plot.centres[p.touchpoint.id] + nudge, plot.y(p.mood.score), p.touchpoint)
        for p in curve.points
        if p.touchpoint.id in plot.centres
    ]
    samples: list[tuple[float, float]] = [(x, y) for x, y, _ in points]
    if len(points) > 1:
        samples = []
        for segment in segments([(x, y) for x, y, _ in points]):
            samples.extend(_bezier(segment, n / LINE_SAMPLES) for n in range(LINE_SAMPLES + 1))
    return _Drawn(curve, curve_style(index), points, samples)


def _path(points: list[tuple[float, float, TouchpointView]]) -> str:
    parts = [f"M{fmt(points[0][0])} {fmt(points[0][1])}"]
    for _, (x1, y1), (x2, y2), (x3, y3) in segments([(x, y) for x, y, _ in points]):
        parts.append(f"C{fmt(x1)} {fmt(y1)} {fmt(x2)} {fmt(y2)} {fmt(x3)} {fmt(y3)}")
    return "".join(parts)


def _lowest(entry: _Drawn) -> list[tuple[float, float, TouchpointView]]:
    lowest = {point.touchpoint.id for point in entry.curve.lowest}
    return [point for point in entry.points if point[2].id in lowest]


def _label(
    text: str,
    x: float,
    y: float,
    plot: Plot,
    drawn: list[_Drawn],
    marks: list[Mark],
    placed: list[Box],
) -> list[Shape]:
    """The label of a lowest point, where it covers nothing; `placed` collects label boxes."""
    probe = Text(0, 0, text, LABEL_SIZE, "jm-lowest-label", "bold")
    w = probe.width
    font = metrics()
    h = (font.ascent + font.descent) * LABEL_SIZE
    gap = RING_R + 3
    near = [
        (x - w / 2, y - gap - h),
        (x - w / 2, y + gap),
        (x + gap, y - h / 2),
        (x - gap - w, y - h / 2),
    ]
    far = [
        (x + dx - w / 2, y + dy)
        for distance in range(1, 12)
        for dy in (-gap - h - 14 * distance, gap + 14 * distance)
        for dx in (0.0, 40.0, -40.0, 80.0, -80.0)
    ]
    for number, (left, top) in enumerate(near + far):
        box = Box(left, top, w, h)
        if not plot.box.contains(box) or _covers(box.grown(2), drawn, marks, placed):
            continue
        placed.append(box)
        label = Text(left, top + font.ascent * LABEL_SIZE, text, LABEL_SIZE, probe.css, "bold")
        if number < len(near):
            return [label]
        # A leader line from the ring to the nearest edge of the label.
        end_x = min(max(x, box.x), box.right)
        end_y = box.bottom if box.bottom < y else box.y
        start_y = y - RING_R if end_y < y else y + RING_R
        leader = f"M{fmt(x)} {fmt(start_y)}L{fmt(end_x)} {fmt(end_y)}"
        return [Path(leader, "jm-leader"), label]
    # Nowhere free in the lane (a very crowded curve): the ring alone still marks the point.
    return []


def _covers(box: Box, drawn: list[_Drawn], marks: list[Mark], placed: list[Box]) -> bool:
    if any(box.overlaps(other) for other in placed):
        return True
    if any(box.overlaps(mark.box) for mark in marks):
        return True
    return any(_crosses(box, entry) for entry in drawn)


def _crosses(box: Box, entry: _Drawn) -> bool:
    """Whether the curve passes through the box. Its samples run left to right, so only those
    from just before the box's left edge to just after its right edge can."""
    samples = entry.samples
    first = max(0, bisect.bisect_left(entry.xs, box.x) - 1)
    last = bisect.bisect_right(entry.xs, box.right) + 1
    for (x0, y0), (x1, y1) in itertools.pairwise(samples[first:last]):
        if max(x0, x1) < box.x or min(x0, x1) > box.right:
            continue
        if max(y0, y1) < box.y or min(y0, y1) > box.bottom:
            continue
        return True
    return (
        len(samples) == 1
        and box.x <= samples[0][0] <= box.right
        and (box.y <= samples[0][1] <= box.bottom)
    )
