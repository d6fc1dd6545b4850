"""The emotion curve of the grid map: one line per persona across the whole journey.

Points sit at the centres of the touchpoint columns on a 1-5 scale and are joined by a monotone
cubic (Fritsch and Carlson's tangents, as d3's `curveMonotoneX`), which never overshoots the
scale between two points. A curve follows the journey's paths (jmap.paths): its main-path line
is solid, and each branch is a dashed line of its own that leaves the main line where the branch
forks and comes back where it rejoins, so alternatives never read as one sequence. Each persona
has its own colour and marker shape, so no curve is told apart by colour alone, and dashes are
left to mean a branch. The lowest points of each curve are ringed and labelled; a label goes
where it covers no point, no line and no other label: above, below, right or left of its point,
else further away with a leader line.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from jmap.render.curve import BRANCH_DASH
from jmap.render.grid.shapes import Box, Circle, Group, Mark, Path, Shape, Text
from jmap.render.grid.text import metrics
from jmap.view import Curve, CurvePoint, Everyone, JourneyView, TouchpointView
from jmap.wording import lowest_words

# Six Okabe-Ito colours (palette.GRID.curves) and four shapes: no two of six curves share both.
SHAPES = ("circle", "square", "diamond", "triangle", "circle", "square")
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


def curve_style(index: int) -> CurveStyle:
    return CurveStyle(index % len(SHAPES) + 1, SHAPES[index % len(SHAPES)])


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


@functools.lru_cache(maxsize=4096)  # a map writes the same coordinates and sizes again and again
def fmt(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: stable across platforms."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


Placed = tuple[float, float, TouchpointView]


@dataclass
class _Line:
    """One path's piece of a curve: the points it runs through, and samples along it."""

    points: list[Placed]
    main: bool
    samples: list[tuple[float, float]] = field(init=False)
    xs: list[float] = field(init=False)
    ordered: bool = field(init=False)  # samples run left to right (a loop back may not)

    def __post_init__(self) -> None:
        self.samples = [(x, y) for x, y, _ in self.points]
        if len(self.points) > 1:
            self.samples = []
            for segment in segments([(x, y) for x, y, _ in self.points]):
                self.samples.extend(
                    _bezier(segment, n / LINE_SAMPLES) for n in range(LINE_SAMPLES + 1)
                )
        self.xs = [x for x, _ in self.samples]
        self.ordered = all(a <= b for a, b in itertools.pairwise(self.xs))


@dataclass
class _Drawn:
    curve: Curve
    style: CurveStyle
    points: list[Placed]  # every point of the curve, in file order
    lines: list[_Line]  # the main path's first, then each branch's


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
        for line in entry.lines:
            if len(line.points) > 1:
                css = f"jm-line jm-c{entry.style.number}"
                if line.main:
                    group.add(Path(_path(line.points), css))
                else:
                    group.add(Path(_path(line.points), f"{css} jm-branch", BRANCH_DASH))
        groups.append(group)
    marks: list[Mark] = []
    for entry, group in zip(drawn, groups, strict=True):
        for x, y, _ in entry.points:
            mark = Mark(entry.style.shape, x, y, MARK_R, f"jm-mark jm-c{entry.style.number}")
            marks.append(mark)
            group.add(mark)
    labels: list[Box] = []
    mark_boxes = [mark.box for mark in marks]  # what a label must not cover, worked out once
    for entry, group in zip(drawn, groups, strict=True):
        for x, y, tp in _lowest(entry):
            whose = short_name(entry.curve) if len(drawn) > 1 else None
            # The whole label as the ring's tooltip; on the map, the path's name where it fits.
            ring = Group("lowest", title=lowest_words(tp, whose, at=True))
            ring.add(Circle(x, y, RING_R, "jm-ring"))
            texts = dict.fromkeys((lowest_words(tp, whose), lowest_words(tp, whose, path=False)))
            ring.add(*_label(list(texts), x, y, plot, drawn, mark_boxes, labels))
            group.add(ring)
    items.extend(groups)
    return items


def _plot(curve: Curve, index: int, plot: Plot, count: int) -> _Drawn:
    # Curves that share a point are set a little apart, so that every marker shows.
    nudge = (index - (count - 1) / 2) * 4.0 if count > 1 else 0.0

    def place(point: CurvePoint) -> Placed:
        tp = point.touchpoint
        return (plot.centres[tp.id] + nudge, plot.y(point.mood.score), tp)

    points = [place(p) for p in curve.points if p.touchpoint.id in plot.centres]
    lines = []
    for segment in curve.segments:
        if not segment.points:  # a branch this persona has no feelings on: nothing to draw
            continue
        way = [segment.start, *segment.points, segment.end]
        placed = [place(p) for p in way if p is not None and p.touchpoint.id in plot.centres]
        lines.append(_Line(placed, segment.path.is_main))
    return _Drawn(curve, curve_style(index), points, lines)


def _path(points: list[Placed]) -> str:
    parts = [f"M{fmt(points[0][0])} {fmt(points[0][1])}"]
    for _, (x1, y1), (x2, y2), (x3, y3) in segments([(x, y) for x, y, _ in points]):
        parts.append(f"C{fmt(x1)} {fmt(y1)} {fmt(x2)} {fmt(y2)} {fmt(x3)} {fmt(y3)}")
    return "".join(parts)


def _lowest(entry: _Drawn) -> list[Placed]:
    lowest = {point.touchpoint.id for point in entry.curve.lowest}
    return [point for point in entry.points if point[2].id in lowest]


def _label(
    texts: list[str],
    x: float,
    y: float,
    plot: Plot,
    drawn: list[_Drawn],
    marks: list[Box],
    placed: list[Box],
) -> list[Shape]:
    """The label of a lowest point, where it covers nothing; `placed` collects label boxes.

    `texts` are what it may say, most first: each is tried next to the point, then further
    away with a leader line, before a shorter one is."""
    font = metrics()
    h = (font.ascent + font.descent) * LABEL_SIZE
    gap = RING_R + 3
    candidates: list[tuple[bool, Text, float, float]] = []
    for text in texts:
        probe = Text(0, 0, text, LABEL_SIZE, "jm-lowest-label", "bold")
        w = probe.width
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
        candidates.extend((True, probe, left, top) for left, top in near)
        candidates.extend((False, probe, left, top) for left, top in far)
    # Only the markers within reach of some candidate can be covered by one: on a long curve,
    # checking every marker against every candidate made labelling quadratic.
    reach = max((abs(left - x) + probe.width + 4 for _, probe, left, _ in candidates), default=0)
    nearby = [box for box in marks if box.right >= x - reach and box.x <= x + reach]
    for is_near, probe, left, top in candidates:
        box = Box(left, top, probe.width, h)
        if not plot.box.contains(box) or _covers(box.grown(2), drawn, nearby, placed):
            continue
        placed.append(box)
        baseline = top + font.ascent * LABEL_SIZE
        label = Text(left, baseline, probe.text, LABEL_SIZE, probe.css, "bold")
        if is_near:
            return [label]
        # A leader line from the ring to the nearest edge of the label.
        end_x = min(max(x, box.x), box.right)
        end_y = box.bottom if box.bottom < y else box.y
        start_y = y - RING_R if end_y < y else y + RING_R
        leader = f"M{fmt(x)} {fmt(start_y)}L{fmt(end_x)} {fmt(end_y)}"
        return [Path(leader, "jm-leader"), label]
    # Nowhere free in the lane (a very crowded curve): the ring alone still marks the point.
    return []


def _covers(box: Box, drawn: list[_Drawn], marks: list[Box], placed: list[Box]) -> bool:
    if any(box.overlaps(other) for other in placed):
        return True
    if any(box.overlaps(mark) for mark in marks):
        return True
    return any(_crosses(box, line) for entry in drawn for line in entry.lines)


def _crosses(box: Box, line: _Line) -> bool:
    """Whether the line passes through the box. Where its samples run left to right, only those
    from just before the box's left edge to just after its right edge can."""
    samples = line.samples
    if line.ordered:
        first = max(0, bisect.bisect_left(line.xs, box.x) - 1)
        samples = samples[first : bisect.bisect_right(line.xs, box.right) + 1]
    for (x0, y0), (x1, y1) in itertools.pairwise(samples):
        if max(x0, x1) < box.x or min(x0, x1) > box.right:
            continue
        if max(y0, y1) < box.y or min(y0, y1) > box.bottom:
            continue
        return True
    return (
        len(line.samples) == 1
        and box.x <= line.samples[0][0] <= box.right
        and (box.y <= line.samples[0][1] <= box.bottom)
    )
