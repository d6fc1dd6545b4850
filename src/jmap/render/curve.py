"""The emotion curve as inline SVG: pure functions from the view to markup.

Two drawings share one geometry. `grid_curve` fills the emotion lane of the HTML grid: one
column unit per grid column, so that a point sits above its touchpoint when the drawing spans
the lane at its natural aspect ratio. `chart` is the stand-alone figure, with a scale, stage
bands, touchpoint names and the lowest points named.

Persona lines differ by colour and marker shape; a point is filled with its mood's colour and
carries the score, so nothing is told by colour alone. A line follows the journey's paths
(jmap.paths): the main path solid, each branch dashed (`BRANCH_DASH`, the one meaning dashes
have) from the point it leaves to the point it rejoins, so alternatives never read as a
sequence. Colours of lines, guides and labels are CSS classes (`jm-*`), so the page's light and
dark themes restyle them.
Numbers are written with `fmt`, so the same view always gives the same bytes; the HTML diff
writes its chart with it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from jmap.i18n import _
from jmap.view import MOODS, Curve, CurvePoint, JourneyView, TouchpointView
from jmap.wording import lowest_words, path_averages, path_note

# Marker shapes, one per curve, in the order of `view.curves`; colours are --p1 to --p5.
SHAPES = ("circle", "square", "diamond", "triangle", "hexagon")
# How a branch's line is drawn, in every emotion curve (the grid map's too): persona lines are
# solid, so a dash means an alternative path and nothing else.
BRANCH_DASH = "8 5"


@dataclass(frozen=True)
class LineStyle:
    number: int  # 1-based; the CSS class `jm-p<number>` colours the line
    shape: str

    @property
    def css(self) -> str:
        return f"jm-p{self.number}"


def line_style(index: int) -> LineStyle:
    """The look of the curve at `index` in `view.curves`."""
    return LineStyle(index % len(SHAPES) + 1, SHAPES[index % len(SHAPES)])


@dataclass(frozen=True)
class Plotted:
    x: float
    y: float
    point: CurvePoint


@dataclass(frozen=True)
class Frame:
    """Where scores and grid columns land in a drawing's coordinates."""

    left: float  # x of the first column's left edge
    column: float  # width of one column
    top: float  # y of score 5
    step: float  # height of one score step

    def x(self, column: int) -> float:
        return self.left + (column + 0.5) * self.column

    def y(self, score: int) -> float:
        return self.top + (5 - score) * self.step


def plot(curve: Curve, columns: Sequence[TouchpointView | None], frame: Frame) -> list[Plotted]:
    """The curve's points placed in the frame; `columns` may hold gaps (stages still empty)."""
    where = {tp.id: index for index, tp in enumerate(columns) if tp is not None}
    return [
        Plotted(frame.x(where[p.touchpoint.id]), frame.y(p.mood.score), p)
        for p in curve.points
        if p.touchpoint.id in where
    ]


def lines(
    curve: Curve, columns: Sequence[TouchpointView | None], frame: Frame
) -> list[tuple[bool, list[Plotted]]]:
    """The curve's lines, one per path it has feelings on: (is it the main path, its points),
    a branch's from the point it leaves through its own to the point it rejoins."""
    where = {tp.id: index for index, tp in enumerate(columns) if tp is not None}
    found = []
    for segment in curve.segments:
        if not segment.points:
            continue
        way = [segment.start, *segment.points, segment.end]
        placed = [
            Plotted(frame.x(where[p.touchpoint.id]), frame.y(p.mood.score), p)
            for p in way
            if p is not None and p.touchpoint.id in where
        ]
        found.append((segment.path.is_main, placed))
    return found


def fmt(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: stable across platforms."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def marker(shape: str, x: float, y: float, r: float, css: str) -> str:
    """A point marker centred on (x, y) with a radius of about r."""
    if shape == "circle":
        return f'<circle class="{css}" cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}"/>'
    if shape == "square":
        s = r * 0.9
        return (
            f'<rect class="{css}" x="{fmt(x - s)}" y="{fmt(y - s)}"'
            f' width="{fmt(2 * s)}" height="{fmt(2 * s)}" rx="{fmt(r * 0.15)}"/>'
        )
    corners: list[tuple[float, float]]
    if shape == "diamond":
        d = r * 1.2
        corners = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
    elif shape == "triangle":
        d = r * 1.3
        corners = [(x, y - d), (x + d * 0.95, y + d * 0.62), (x - d * 0.95, y + d * 0.62)]
    else:
        h, w = r * 1.1, r * 0.95
        corners = [(x - w, y - h / 2), (x, y - h), (x + w, y - h / 2)]
        corners += [(x + w, y + h / 2), (x, y + h), (x - w, y + h / 2)]
    points = " ".join(f"{fmt(cx)},{fmt(cy)}" for cx, cy in corners)
    return f'<polygon class="{css}" points="{points}"/>'


def swatch(index: int) -> Markup:
    """A small legend sample of the line at `index`: a stroke through its marker."""
    style = line_style(index)
    return Markup(
        '<svg class="jm-swatch" viewBox="0 0 44 16" width="44" height="16"'
        ' aria-hidden="true" focusable="false">'
        f'<line class="jm-line {style.css}" x1="2" y1="8" x2="42" y2="8"/>'
        f"{marker(style.shape, 22, 8, 5.5, f'jm-swatch-mark {style.css}')}</svg>"
    )


def branch_swatch() -> Markup:
    """The legend sample of a branch: a dashed stroke in the ink of the page."""
    return Markup(
        '<svg class="jm-swatch" viewBox="0 0 44 16" width="44" height="16"'
        ' aria-hidden="true" focusable="false">'
        f'<line class="jm-line jm-branch jm-key-line" x1="2" y1="8" x2="42" y2="8"'
        f' stroke-dasharray="{BRANCH_DASH}"/></svg>'
    )


def _line(plotted: list[Plotted], style: LineStyle, main: bool) -> str:
    if len(plotted) < 2:
        return ""
    points = " ".join(f"{fmt(p.x)},{fmt(p.y)}" for p in plotted)
    if main:
        return f'<polyline class="jm-line {style.css}" points="{points}"/>'
    return (
        f'<polyline class="jm-line jm-branch {style.css}" points="{points}"'
        f' stroke-dasharray="{BRANCH_DASH}"/>'
    )


def _points(plotted: list[Plotted], style: LineStyle, r: float) -> list[str]:
    parts = []
    for p in plotted:
        mood = p.point.mood
        parts.append(
            f'<g class="jm-point" fill="{mood.colour}">'
            f"{marker(style.shape, p.x, p.y, r, f'jm-mark {style.css}')}"
            f'<text class="jm-score" x="{fmt(p.x)}" y="{fmt(p.y + r * 0.38)}"'
            f' fill="{mood.ink}">{mood.score}</text></g>'
        )
    return parts


def _lowest_rings(plotted: list[Plotted], r: float) -> list[str]:
    bottom = min((p.point.mood.score for p in plotted), default=0)
    return [
        f'<circle class="jm-lowest-ring" cx="{fmt(p.x)}" cy="{fmt(p.y)}" r="{fmt(r + 5)}"/>'
        for p in plotted
        if p.point.mood.score == bottom
    ]


def grid_columns(view: JourneyView) -> list[TouchpointView | None]:
    """The grid's columns: each touchpoint, and a gap for a stage that has none yet."""
    columns: list[TouchpointView | None] = []
    for stage in view.stages:
        columns.extend(stage.touchpoints or [None])
    return columns


GRID_COLUMN = 200.0
GRID_HEIGHT = 156.0


def grid_curve(view: JourneyView) -> Markup:
    """The curve for the grid's emotion lane, one `GRID_COLUMN` per grid column.

    Decorative for assistive technology: the lane's next row says the same per touchpoint.
    """
    columns = grid_columns(view)
    frame = Frame(left=0, column=GRID_COLUMN, top=30, step=24)
    width = GRID_COLUMN * len(columns)
    parts = [
        f'<svg class="jm-curve jm-grid-curve" viewBox="0 0 {fmt(width)} {fmt(GRID_HEIGHT)}"'
        f' width="{fmt(width)}" height="{fmt(GRID_HEIGHT)}" aria-hidden="true" focusable="false">'
    ]
    for score in range(5, 0, -1):
        y = frame.y(score)
        parts.append(
            f'<line class="jm-guide" x1="0" y1="{fmt(y)}" x2="{fmt(width)}" y2="{fmt(y)}"/>'
        )
        parts.append(
            f'<text class="jm-guide-label" x="6" y="{fmt(y - 3)}">'
            f"{MOODS[score].symbol} {score}</text>"
        )
    for boundary in _stage_boundaries(view)[1:-1]:
        x = frame.left + boundary * frame.column
        parts.append(
            f'<line class="jm-stage-rule" x1="{fmt(x)}" y1="0" x2="{fmt(x)}"'
            f' y2="{fmt(GRID_HEIGHT)}"/>'
        )
    _draw_curves(parts, view, columns, frame, r=12)
    for plotted in _lowest_positions(view, columns, frame):
        label_y = plotted.y - 24 if plotted.y - 24 > 10 else plotted.y + 34
        parts.append(
            f'<text class="jm-lowest-label" x="{fmt(plotted.x)}" y="{fmt(label_y)}">lowest</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _stage_boundaries(view: JourneyView) -> list[int]:
    """Column indexes where each stage starts, and the end of the last stage."""
    edges = [0]
    for stage in view.stages:
        edges.append(edges[-1] + max(1, len(stage.touchpoints)))
    return edges


def _draw_curves(
    parts: list[str],
    view: JourneyView,
    columns: Sequence[TouchpointView | None],
    frame: Frame,
    r: float,
) -> None:
    # All lines first, then all points, so that no line crosses over another curve's score.
    plotted = [plot(curve, columns, frame) for curve in view.curves]
    for index, curve in enumerate(view.curves):
        for main, points in lines(curve, columns, frame):
            parts.append(_line(points, line_style(index), main))
    for points in plotted:
        parts.extend(_lowest_rings(points, r))
    for index, points in enumerate(plotted):
        parts.extend(_points(points, line_style(index), r))


def _lowest_positions(
    view: JourneyView, columns: Sequence[TouchpointView | None], frame: Frame
) -> list[Plotted]:
    """One position per touchpoint that is some curve's lowest point: the highest of its points
    there, so that a label placed above it clears every marker."""
    found: dict[str, Plotted] = {}
    for curve in view.curves:
        for lowest in plot(Curve(curve.persona, curve.lowest), columns, frame):
            key = lowest.point.touchpoint.id
            if key not in found or lowest.y < found[key].y:
                found[key] = lowest
    return sorted(found.values(), key=lambda p: p.x)


def wrap(text: str, width: int, lines: int) -> list[str]:
    """Greedy word wrap to at most `lines` lines of `width` characters, ending in '…' if cut."""
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        while len(word) > width:  # a word longer than a line is cut, not allowed to overflow
            if current:
                out.append(current)
                current = ""
            out.append(word[: width - 1] + "-")
            word = word[width - 1 :]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def _text_lines(x: float, y: float, lines: list[str], css: str, leading: float) -> str:
    spans = "".join(
        f'<tspan x="{fmt(x)}" dy="{fmt(0 if i == 0 else leading)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text class="{css}" x="{fmt(x)}" y="{fmt(y)}">{spans}</text>'


CHART_COLUMN = 104.0  # the narrowest a touchpoint's column gets
# A journey of few touchpoints spreads them out to this width, so that its chart, which the
# page stretches to fill its card, is not scaled up to giant letters on a wide screen.
CHART_MIN_WIDTH = 1040.0
_CHART_LEFT = 132.0
_CHART_RIGHT = 12.0
_CHART_TOP = 60.0
_CHART_STEP = 44.0


def chart_column(view: JourneyView) -> float:
    """The width of one touchpoint's column in `chart`."""
    columns = max(1, len(grid_columns(view)))
    return max(CHART_COLUMN, (CHART_MIN_WIDTH - _CHART_LEFT - _CHART_RIGHT) / columns)


def chart_size(view: JourneyView) -> tuple[float, float]:
    """Width and height of `chart` in CSS pixels at its natural size."""
    columns = len(grid_columns(view))
    width = _CHART_LEFT + columns * chart_column(view) + _CHART_RIGHT
    return width, _CHART_TOP + 4 * _CHART_STEP + 84


def chart(view: JourneyView, title_id: str, desc_id: str) -> Markup:
    """The stand-alone emotion chart: scale, stage bands, touchpoint names, lowest points named.

    Labelled by the ids of its <title> and <desc>, which the caller chooses so that they are
    unique in the page.
    """
    columns = grid_columns(view)
    frame = Frame(left=_CHART_LEFT, column=chart_column(view), top=_CHART_TOP, step=_CHART_STEP)
    width, height = chart_size(view)
    plot_bottom = frame.y(1)
    right = frame.left + len(columns) * frame.column
    parts = [
        f'<svg class="jm-curve jm-chart" viewBox="0 0 {fmt(width)} {fmt(height)}"'
        f' width="{fmt(width)}" height="{fmt(height)}" role="img"'
        f' aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(chart_title(view))}</title>',
        f'<desc id="{desc_id}">{escape(chart_description(view))}</desc>',
    ]
    edges = _stage_boundaries(view)
    for number, (stage, start, end) in enumerate(zip(view.stages, edges, edges[1:], strict=False)):
        x0 = frame.left + start * frame.column
        band_width = (end - start) * frame.column
        parts.append(
            f'<rect class="jm-band jm-band-{number % 6 + 1}" x="{fmt(x0)}" y="8"'
            f' width="{fmt(band_width)}" height="{fmt(plot_bottom + 18 - 8)}"/>'
        )
        name = wrap(stage.stage.name, max(4, int(band_width / 7.4)), 1)
        parts.append(_text_lines(x0 + 8, 26, name, "jm-band-label", 0))
    for score in range(5, 0, -1):
        y = frame.y(score)
        mood = MOODS[score]
        parts.append(
            f'<line class="jm-guide" x1="{fmt(frame.left)}" y1="{fmt(y)}"'
            f' x2="{fmt(right)}" y2="{fmt(y)}"/>'
        )
        parts.append(
            f'<text class="jm-axis-label" x="{fmt(frame.left - 10)}" y="{fmt(y + 4)}">'
            f"{score} {mood.symbol} {mood.label}</text>"
        )
    _draw_curves(parts, view, columns, frame, r=13)
    lows = _lowest_positions(view, columns, frame)
    taken = {round(p.x) for p in lows}
    for plotted in lows:
        room = frame.column
        if path_note(plotted.point.touchpoint):
            # The branch's name needs room: the label may spread over half of each
            # neighbouring column that has no label of its own.
            free = sum(round(plotted.x + side * frame.column) not in taken for side in (-1, 1))
            room *= 1 + free / 2
        parts.append(_lowest_label(plotted, room))
    for index, tp in enumerate(columns):
        if tp is None:
            continue
        # About 7.5 px a character at 11.5 px: a wider column holds longer lines.
        lines = wrap(f"{tp.index + 1}. {tp.touchpoint.name}", max(15, int(frame.column / 7.5)), 3)
        parts.append(_text_lines(frame.x(index), plot_bottom + 40, lines, "jm-x-label", 13))
    parts.append("</svg>")
    return Markup("".join(parts))


def _lowest_label(plotted: Plotted, room: float) -> str:
    tp = plotted.point.touchpoint
    # Whose low it is shows in the marker's shape; names would not fit a column. The branch
    # it is on, off the main path, is said: its line alone does not tell which one.
    text = wrap(lowest_words(tp, at=True), max(13, int(room / 8)), 6)
    height = 13 * len(text)
    above = plotted.y - 24 - height + 13
    y = above if above > 40 else plotted.y + 34
    return _text_lines(plotted.x, y, text, "jm-lowest-label", 13)


def chart_title(view: JourneyView) -> str:
    return _("Emotion curve of {title}").format(title=view.journey.title)


@dataclass(frozen=True)
class Summary:
    """What one curve does, in the words of the chart's summary table and its description."""

    index: int  # in `view.curves`: which line style it is drawn with
    curve: Curve

    @property
    def first(self) -> CurvePoint:
        return self._way[0]

    @property
    def last(self) -> CurvePoint:
        return self._way[-1]

    @property
    def _way(self) -> list[CurvePoint]:
        """Where it starts and ends: along the main path, where the curve has points on it."""
        main = [s.points for s in self.curve.segments if s.path.is_main and s.points]
        return main[0] if main else self.curve.points

    @property
    def lowest(self) -> list[CurvePoint]:
        return self.curve.lowest

    @property
    def average(self) -> str:
        """'2.2', or each path's by name where the curve has branches of its own."""
        return path_averages(self.curve) if self.curve.averages else ""

    @property
    def branched(self) -> bool:
        return self.curve.branched


def summaries(view: JourneyView) -> list[Summary]:
    """One summary per curve with emotions: a table row each, however many the touchpoints."""
    return [Summary(i, curve) for i, curve in enumerate(view.curves) if curve.points]


def chart_description(view: JourneyView) -> str:
    """One sentence per curve: where it starts, ends, and is lowest, in words."""
    sentences = []
    for curve in view.curves:
        if not curve.points:
            sentences.append(_("{name}: no emotions recorded.").format(name=curve.persona.name))
            continue
        summary = Summary(0, curve)
        mood = summary.lowest[0].mood
        places = ", ".join(
            p.touchpoint.touchpoint.name + path_note(p.touchpoint) for p in summary.lowest
        )
        first, last = summary.first, summary.last
        averages = (
            " " + _("Its averages: {averages}.").format(averages=summary.average)
            if summary.branched
            else ""
        )
        said = _(
            "{name}: starts {first} at {start}, is lowest, {low}, at {places}, and ends {last}"
            " at {end}."
        ).format(
            name=curve.persona.name,
            first=f"{first.mood.label} ({first.mood.score})",
            start=first.touchpoint.touchpoint.name,
            low=f"{mood.label} ({mood.score})",
            places=places,
            last=f"{last.mood.label} ({last.mood.score})",
            end=last.touchpoint.touchpoint.name,
        )
        sentences.append(said + averages)
    return " ".join(sentences)
