"""The grid map's geometry: a journey view in, every box, line of text and path placed.

Stages are bands of columns, one column per touchpoint; lanes are rows, in the HTML map's
order and with its names. Every cell is measured first, then a row is made as tall as its
tallest cell across the whole map, so that every stage's band starts and ends on the same lines
and every card of a row has the same top. Routes and links between columns run in channels
between the rows (`routes`); the emotion curve has a row of its own (`curve`).

Sizes follow shared/MAP-DESIGN.md: lane headers 140 px, columns 168 px, gutters 12 px; type
28 (title), 16 bold (stages), 13 bold (names), 12 (body), 11 (captions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from jmap.i18n import N_, _, ngettext
from jmap.model import Backstage, Kpi, Opportunity, Persona
from jmap.render import sparkline
from jmap.render.curve import BRANCH_DASH
from jmap.render.grid import curve, routes
from jmap.render.grid.shapes import Box, Circle, Group, Mark, Path, Polyline, Rect, Shape, Text
from jmap.render.grid.text import Weight, metrics, wrap
from jmap.view import (
    MOODS,
    Everyone,
    JourneyView,
    PainView,
    StageView,
    TouchpointView,
    kpi_status,
)
from jmap.wording import (
    BRANCH_KEY,
    CATEGORY_WORDS,
    EVIDENCE_WORDS,
    INTERACTION_NOTE,
    INTERNAL_INTERACTION_NOTE,
    KPI_STATUS_WORDS,
    LINE_OF_INTERACTION,
    LINE_OF_INTERNAL_INTERACTION,
    LINE_OF_VISIBILITY,
    MOMENT_FLAG,
    MOMENTS_HEADING,
    PRIORITY_WORDS,
    REVIEW_LABEL,
    SEVERITY_WORDS,
    STAFF_FEELING,
    STATUS_WORDS,
    TIME_HEADING,
    TOP_OPPORTUNITIES_HEADING,
    TREND_LABEL,
    VISIBILITY_NOTE,
    channel_words,
    evidence_facts,
    kpi_words,
    moment_words,
    mood_words,
    owner_name,
    path_time_words,
    review_words,
    time_words,
    top_opportunity_words,
    touchpoint_time_words,
    work_words,
)

MARGIN = 24.0
LANE_HEADER = 140.0
COLUMN = 168.0
GUTTER = 12.0
PAD = 8.0
TITLE = 28.0
STAGE = 16.0
NAME = 13.0
BODY = 12.0
CAPTION = 11.0
LEADING = 1.4
GAP = 6.0  # between items in a cell
CURVE_STEP = 26.0
CURVE_ROOM = 24.0  # above score 5 and below score 1: room for the labels of lowest points
SCALE = 34.0  # the scale's labels, at the right of the curve's lane header
FIRST_WIDTH = 640.0  # the widest the moments that matter and top opportunities are set
TREND = (48.0, 14.0)  # a KPI's trend line, width and height


@dataclass
class GridMap:
    """The whole map, placed: draw it in the order of `layers`."""

    width: float
    height: float
    title: str
    description: str
    layers: list[Group]
    cards: list[Box] = field(default_factory=list)  # every card and badge: none overlap
    lines: list[list[tuple[float, float]]] = field(default_factory=list)  # routes, as points
    # Where the grid is, for slicing it into pages (render/grid/pages.py): each row's lane key,
    # top and bottom; each stage's first column and column count; the grid's top and bottom.
    rows: list[tuple[str, float, float]] = field(default_factory=list)
    stages: list[tuple[int, int]] = field(default_factory=list)
    grid: tuple[float, float] = (0.0, 0.0)
    # What the map draws beyond every map's parts ("blueprint", "status"): the stylesheet
    # carries their rules only where they are drawn, so other maps' bytes stay as they were.
    features: set[str] = field(default_factory=set)


Items = list[Shape | Group]
_T = TypeVar("_T")


def text_block(
    text: str,
    x: float,
    top: float,
    limit: float,
    size: float,
    css: str,
    weight: Weight = "regular",
) -> tuple[list[Text], float]:
    """`text` wrapped to `limit` px from `top` down; the lines and the height they take."""
    font = metrics()
    pitch = size * LEADING
    offset = (pitch - (font.ascent + font.descent) * size) / 2 + font.ascent * size
    lines = wrap(text, limit, size, weight)
    placed = [
        Text(x, top + number * pitch + offset, line, size, css, weight)
        for number, line in enumerate(lines)
    ]
    return placed, pitch * len(lines)


class Stack:
    """Items put one under another inside a width, from a top."""

    def __init__(self, x: float, top: float, limit: float) -> None:
        self.x, self.top, self.limit = x, top, limit
        self.y = top
        self.items: Items = []

    def text(
        self, text: str, size: float, css: str, weight: Weight = "regular", indent: float = 0
    ) -> None:
        lines, h = text_block(text, self.x + indent, self.y, self.limit - indent, size, css, weight)
        self.items.extend(lines)
        self.y += h

    def bullet(self, text: str, css: str = "jm-body") -> None:
        self.items.append(Text(self.x, self.y + _baseline(BODY), "•", BODY, "jm-muted"))
        self.text(text, BODY, css, indent=10)

    def gap(self, size: float = GAP) -> None:
        self.y += size

    @property
    def height(self) -> float:
        return self.y - self.top


def _baseline(size: float) -> float:
    font = metrics()
    pitch = size * LEADING
    return (pitch - (font.ascent + font.descent) * size) / 2 + font.ascent * size


def shifted(item: Shape | Group, dy: float) -> Shape | Group:
    """An item moved down by dy (cells are laid out at 0, then moved to their row)."""
    if isinstance(item, Group):
        return _copy(
            item,
            items=[shifted(inner, dy) for inner in item.items],
            frame=None if item.frame is None else _copy(item.frame, y=item.frame.y + dy),
        )
    if isinstance(item, Text | Mark | Circle):
        return _copy(item, y=item.y + dy)
    if isinstance(item, Rect):
        return _copy(item, box=_copy(item.box, y=item.box.y + dy))
    if isinstance(item, Polyline):
        return _copy(item, points=tuple((x, y + dy) for x, y in item.points))
    raise TypeError(item)  # pragma: no cover - cells hold no paths


def _copy(item: _T, **changes: object) -> _T:
    """`dataclasses.replace` for the shapes, which have no __post_init__ or InitVar: a copy of
    the fields with some changed. A map moves some 700 shapes, and `replace` (which checks
    every field against __init__) was a tenth of the time of drawing it."""
    copied = object.__new__(type(item))
    copied.__dict__.update(item.__dict__, **changes)  # frozen forbids only __setattr__
    return copied


@dataclass
class Cell:
    items: Items
    height: float


Builder = Callable[[TouchpointView, float, float], Cell]  # touchpoint, x, width -> cell


@dataclass
class Columns:
    """Where each grid column is: a touchpoint, or the place of a stage without any yet."""

    slots: list[TouchpointView | None]
    stages: list[tuple[StageView, int, int]]  # stage, first column, column count

    @classmethod
    def of(cls, view: JourneyView) -> Columns:
        slots: list[TouchpointView | None] = []
        stages = []
        for stage in view.stages:
            stages.append((stage, len(slots), max(1, len(stage.touchpoints))))
            slots.extend(stage.touchpoints or [None])
        return cls(slots, stages)

    @staticmethod
    def x(index: int) -> float:
        return MARGIN + LANE_HEADER + GUTTER + index * (COLUMN + GUTTER)

    def index(self, tp: TouchpointView) -> int:
        return self.slots.index(tp)

    @property
    def right(self) -> float:
        return self.x(len(self.slots) - 1) + COLUMN


def layout(view: JourneyView) -> GridMap:
    return _Layout(view).run()


class _Layout:
    def __init__(self, view: JourneyView) -> None:
        self.view = view
        self.columns = Columns.of(view)
        self.width = self.columns.right + MARGIN
        self.back: list[Group] = []  # stage bands and lane headers
        self.front: list[Group] = []
        self.cards: list[Box] = []
        self.lines: list[list[tuple[float, float]]] = []
        self.rows: list[tuple[str, float, float]] = []
        self.y = MARGIN
        self.touchpoint_cards: dict[str, Box] = {}
        # data-id of a pain point or opportunity -> its card and column
        self.placed: dict[str, tuple[Box, int]] = {}
        self.grid_top = 0.0
        self.features: set[str] = set()
        # Pain point id -> the pain and its touchpoint: what an opportunity card names it answers.
        self._pains_by_id = {
            pain.pain.id: (pain, where) for pain, where in view.pains if pain.pain.id
        }

    def run(self) -> GridMap:
        header = self._header()
        self.grid_top = self.y
        self._stage_row()
        self._touchpoint_row()
        self._next_channel()
        view = self.view
        tps = view.touchpoints
        if any(tp.touchpoint.physical_evidence for tp in tps):
            self._lane(
                N_("Physical evidence"),
                N_("what the customer sees and gets"),
                "physical-evidence",
                self._physical_evidence,
                framed=True,
            )
        if any(tp.touchpoint.actions for tp in tps):
            self._lane(N_("Actions"), N_("what they do"), "actions", self._actions, framed=True)
        if any(tp.touchpoint.thoughts for tp in tps):
            self._lane(
                N_("Thoughts"), N_("what they think and say"), "thoughts", self._thoughts, True
            )
        if view.has_emotions:
            self._curve_row()
            self._lane(N_("Feeling"), N_("score and mood"), "feeling", self._feelings, framed=True)
        if any(tp.pains for tp in tps):
            self._lane(N_("Pain points"), N_("worst first"), "pains", self._pains, framed=False)
        if any(tp.touchpoint.opportunities for tp in tps):
            links = self._answer_links()
            channel_top = self.y - GUTTER
            count = routes.tracks(links)
            if count:
                self.y = channel_top + routes.height(count) + GUTTER
            self._lane(
                N_("Opportunities"),
                N_("and what they answer"),
                "opportunities",
                self._opportunities,
                False,
            )
            if count:
                self._finish_links(links, channel_top)
        # A service blueprint's lines (docs/output.md): interaction, visibility, internal
        # interaction, each drawn even where the lane under it is empty, so the map reads as one.
        if view.is_blueprint:
            self.features.add("blueprint")
            self._line_row(LINE_OF_INTERACTION, INTERACTION_NOTE, "interaction", "")
            if any(tp.touchpoint.frontstage for tp in tps):
                self._lane(
                    N_("Frontstage"),
                    N_("staff and systems in view"),
                    "frontstage",
                    self._staff,
                    True,
                )
        if view.has_backstage or view.is_blueprint:
            self._line_row(LINE_OF_VISIBILITY, VISIBILITY_NOTE, "visibility", "8 4")
        if view.has_backstage:
            self._lane(
                N_("Backstage"), N_("people and systems"), "backstage", self._backstage, True
            )
        if view.is_blueprint:
            self._line_row(
                LINE_OF_INTERNAL_INTERACTION, INTERNAL_INTERACTION_NOTE, "internal", "2 4"
            )
            if any(tp.touchpoint.support_processes for tp in tps):
                self._lane(
                    N_("Support processes"),
                    N_("and the systems behind them"),
                    "support",
                    self._support,
                    True,
                )
        if any(stage.stage.kpis for stage in view.stages):
            self._stage_kpis_row()
        if any(tp.touchpoint.kpis for tp in tps):
            self._lane(N_("Touchpoint KPIs"), N_("value / target"), "kpis", self._kpis, framed=True)
        if any(tp.touchpoint.evidence for tp in tps):
            self._lane(
                N_("Evidence"), N_("the research behind it"), "evidence", self._evidence, True
            )
        grid_bottom = self.y - GUTTER + PAD
        self._stage_bands(grid_bottom)
        height = grid_bottom + MARGIN
        paper = Group("paper", items=[Rect(Box(0, 0, self.width, height), "jm-paper")])
        return GridMap(
            self.width,
            height,
            _("Journey map: {title}").format(title=view.journey.title),
            _description(view),
            [paper, *self.back, header, *self.front],
            self.cards,
            self.lines,
            self.rows,
            [(first, count) for _, first, count in self.columns.stages],
            (self.grid_top, grid_bottom),
            self.features,
        )

    # The header: what the journey is, and how to read the map.

    def _header(self) -> Group:
        limit = self.width - 2 * MARGIN
        stack = Stack(MARGIN, self.y, limit)
        heading(stack, self.view)
        stack.gap(10)
        group = Group("header", items=stack.items)
        self.y = stack.y
        self._first(group, limit)
        self._legend(group, limit)
        self.y += 16
        return group

    def _first(self, group: Group, limit: float) -> None:
        """What a reader needs first: the moments that matter and the top opportunities, side
        by side under the title."""
        view = self.view
        blocks = [
            (_(MOMENTS_HEADING), [moment_words(view, tp) for tp in view.top_moments]),
            (
                _(TOP_OPPORTUNITIES_HEADING),
                [
                    f"{n}. {top_opportunity_words(r)}"
                    for n, r in enumerate(view.top_opportunities, 1)
                ],
            ),
        ]
        blocks = [(heading, lines) for heading, lines in blocks if lines]
        if not blocks:
            return
        # Side by side at the left, each as wide as a line that reads well, or half the map.
        width = min(FIRST_WIDTH, (limit - GUTTER * 2 * (len(blocks) - 1)) / len(blocks))
        bottom = self.y
        for number, (heading, lines) in enumerate(blocks):
            stack = Stack(MARGIN + number * (width + GUTTER * 2), self.y, width)
            stack.text(heading.upper(), CAPTION, "jm-muted", "bold")
            stack.gap(2)
            for line in lines:
                stack.text(line, BODY, "jm-body")
                stack.gap(2)
            group.add(*stack.items)
            bottom = max(bottom, stack.y)
        self.y = bottom + 10

    def _legend(self, group: Group, limit: float) -> None:
        """Samples of what the map draws, flowing left to right and wrapping."""
        entries: list[tuple[float, Callable[[float, float], Items]]] = []
        caption = _("{label}:").format(label=_("Emotion"))
        entries.append((_text_width(caption, "bold") + 6, _legend_caption(caption)))
        for score in range(5, 0, -1):
            entries.append(_mood_chip(score))
        if self.view.has_emotions:
            for index, line in enumerate(self.view.curves):
                entries.append(
                    _curve_sample(
                        index,
                        line.persona.name if len(self.view.curves) > 1 else _("emotion curve"),
                    )
                )
            entries.append(_ring_sample())
            if self.view.has_branches:
                entries.append(_branch_sample())
        if any(not tp.is_default_next for tp in self.view.touchpoints):
            entries.append(_route_sample())
        x, row_top = MARGIN, self.y
        for w, make in entries:
            if x > MARGIN and x + w > MARGIN + limit:
                x, row_top = MARGIN, row_top + 24
            group.add(*make(x, row_top))
            x += w + 14
        self.y = row_top + 22

    # The rows.

    def _lane_header(self, name: str, note: str, top: float, height: float, key: str) -> None:
        self.rows.append((key, top, top + height))
        group = Group("lane", key, frame=Box(MARGIN, top, LANE_HEADER, height))
        group.add(Rect(Box(MARGIN, top, LANE_HEADER, height), "jm-lane", 4))
        limit = LANE_HEADER - 2 * PAD - (SCALE if key == "emotion" else 0)
        stack = Stack(MARGIN + PAD, top + PAD, limit)
        stack.text(_(name), NAME, "jm-lane-name", "bold")
        if note:
            stack.text(_(note), CAPTION, "jm-muted")
        group.add(*stack.items)
        self.back.append(group)

    def _lane_header_height(self, name: str, note: str, key: str) -> float:
        limit = LANE_HEADER - 2 * PAD - (SCALE if key == "emotion" else 0)
        stack = Stack(0, 0, limit)
        stack.text(_(name), NAME, "jm-lane-name", "bold")
        if note:
            stack.text(_(note), CAPTION, "jm-muted")
        return stack.height + 2 * PAD

    def _lane(self, name: str, note: str, key: str, build: Builder, framed: bool) -> None:
        """A row with a cell per touchpoint, as tall as its tallest cell."""
        pad = PAD if framed else 0
        cells: dict[int, Cell] = {}
        for index, tp in enumerate(self.columns.slots):
            if tp is None:
                continue
            cell = build(tp, Columns.x(index) + pad, COLUMN - 2 * pad)
            if cell.items:
                cells[index] = cell
        height = max(
            [cell.height + 2 * pad for cell in cells.values()]
            + [self._lane_header_height(name, note, key)]
        )
        top = self.y
        self._lane_header(name, note, top, height, key)
        row = Group(f"row row-{key}")
        for index, cell in cells.items():
            tp = self.columns.slots[index]
            assert tp is not None
            x = Columns.x(index)
            moved = [shifted(item, top + pad) for item in cell.items]
            if framed:
                box = Box(x, top, COLUMN, height)
                self.cards.append(box)
                frame = Rect(box, f"jm-cell jm-cell-{key}", 4)
                row.add(Group("cell", tp.id, items=[frame, *moved], frame=box))
            else:
                row.add(*moved)
            self._collect(moved, index)
        self.front.append(row)
        self.y = top + height + GUTTER

    def _collect(self, items: Items, column: int) -> None:
        """Note where the pain points and opportunities went, for the links between them."""
        for item in items:
            if isinstance(item, Group) and item.frame and item.css in ("pain-point", "opportunity"):
                self.cards.append(item.frame)
                self.placed[item.data_id or ""] = (item.frame, column)

    def _stage_row(self) -> None:
        blocks = []
        for number, (stage, first, count) in enumerate(self.columns.stages, start=1):
            left = Columns.x(first) - GUTTER / 2
            w = count * (COLUMN + GUTTER)
            blocks.append((stage, number, left, w, stage_header(stage, number, left, w)))
        height = max(cell.height for *_, cell in blocks)
        height = max(height, self._lane_header_height(N_("Stage"), N_("and goals"), "stage"))
        self._lane_header(N_("Stage"), N_("and goals"), self.y, height, "stage")
        self.stage_headers = [
            (stage, number, left, w, [shifted(item, self.y) for item in cell.items])
            for stage, number, left, w, cell in blocks
        ]
        self.y += height + GUTTER

    def _stage_bands(self, bottom: float) -> None:
        bands = []
        for stage, number, left, w, items in self.stage_headers:
            band = Box(left, self.grid_top, w, bottom - self.grid_top)
            tint = f"jm-tint-{(number - 1) % 6 + 1}"
            group = Group("stage", stage.stage.id, frame=band)
            group.add(Rect(band, tint, 6), *items)
            bands.append(group)
        self.back[:0] = bands

    def _touchpoint_row(self) -> None:
        cells = {}
        for index, tp in enumerate(self.columns.slots):
            x = Columns.x(index) + PAD
            stack = Stack(x, 0, COLUMN - 2 * PAD)
            if tp is None:
                stack.text(_("No touchpoints yet"), BODY, "jm-muted")
            else:
                _touchpoint_card(stack, tp, self.view)
            cells[index] = stack
        name, note = N_("Touchpoint"), N_("and channel")
        height = max(
            [stack.height + 2 * PAD for stack in cells.values()]
            + [self._lane_header_height(name, note, "touchpoint")]
        )
        top = self.y
        self._lane_header(name, note, top, height, "touchpoint")
        row = Group("row row-touchpoint")
        for index, stack in cells.items():
            tp = self.columns.slots[index]
            box = Box(Columns.x(index), top, COLUMN, height)
            moved = [shifted(item, top + PAD) for item in stack.items]
            if tp is None:
                row.add(
                    Group(
                        "empty-stage", items=[Rect(box, "jm-cell jm-empty", 4), *moved], frame=box
                    )
                )
                continue
            self.cards.append(box)
            self.touchpoint_cards[tp.id] = box
            css = "jm-card jm-lowest-card" if tp.lowest_for else "jm-card"
            row.add(Group("touchpoint", tp.id, _tooltip(tp), [Rect(box, css, 6), *moved], box))
        self.front.append(row)
        self.y = top + height + GUTTER

    def _next_channel(self) -> None:
        """Routes written in `next`, under the touchpoint cards."""
        lines = _next_lines(self.view, self.touchpoint_cards)
        count = routes.tracks(lines)
        if not count:
            return
        top = self.y - GUTTER
        self.front.append(routes.draw(lines, top, "routes"))
        self.lines.extend(line.points for line in lines)
        self.y = top + routes.height(count) + GUTTER

    def _answer_links(self) -> list[routes.Line]:
        """Links from an opportunity to the pain points it answers in other columns. They leave
        a pain point sideways into a column gutter, run down it to the channel under the pain
        points, and come up the gutter beside the opportunity; its end is set once the
        opportunity is placed (`_finish_links`)."""
        lines: list[routes.Line] = []
        for index, tp in enumerate(self.columns.slots):
            if tp is None:
                continue
            for number, opportunity in enumerate(tp.touchpoint.opportunities, start=1):
                for pain_id in opportunity.answers:
                    if pain_id not in self.placed:
                        continue
                    pain, column = self.placed[pain_id]
                    if column == index:
                        continue  # the opportunity's card says what it answers
                    rightwards = index > column
                    nudge = (len(lines) % 3 - 1) * 3.0
                    exit_x = (
                        (pain.right if rightwards else pain.x)
                        + (GUTTER / 2 if rightwards else -GUTTER / 2)
                        + nudge
                    )
                    enter_x = (
                        Columns.x(index) - GUTTER / 2
                        if rightwards
                        else Columns.x(index) + COLUMN + GUTTER / 2
                    ) + nudge
                    mid = pain.y + pain.h / 2
                    lines.append(
                        routes.Line(
                            "jm-answer",
                            f"{opportunity_key(opportunity, number, tp)}>{pain_id}",
                            [(pain.right if rightwards else pain.x, mid), (exit_x, mid)],
                            [(enter_x, 0.0)],
                        )
                    )
        return lines

    def _finish_links(self, lines: list[routes.Line], top: float) -> None:
        for line in lines:
            card, _ = self.placed[line.data_id.split(">")[0]]
            enter_x = line.end[0][0]
            mid = card.y + min(card.h / 2, 14)
            edge = card.x if enter_x < card.x else card.right
            line.end = [(enter_x, mid), (edge, mid)]
        self.front.append(routes.draw(lines, top, "answer-links"))
        self.lines.extend(line.points for line in lines)

    def _curve_row(self) -> None:
        name, note = N_("Emotion"), N_("the curve")
        # More curves, more labels of lowest points: more room above and below the scale.
        room = CURVE_ROOM + 14 * min(3, len(self.view.curves) - 1)
        plot_h = 4 * CURVE_STEP + 2 * room
        height = max(plot_h, self._lane_header_height(name, note, "emotion"))
        top = self.y
        self._lane_header(name, note, top, height, "emotion")
        box = Box(
            Columns.x(0) - GUTTER / 2, top, self.columns.right - Columns.x(0) + GUTTER, height
        )
        plot = curve.Plot(
            box,
            top + (height - 4 * CURVE_STEP) / 2,
            CURVE_STEP,
            {
                tp.id: Columns.x(index) + COLUMN / 2
                for index, tp in enumerate(self.columns.slots)
                if tp is not None
            },
        )
        scale = Group("scale")
        for score in range(1, 6):
            mood = MOODS[score]
            scale.add(
                Text(
                    MARGIN + LANE_HEADER - PAD,
                    plot.y(score) + 4,
                    f"{mood.symbol} {score}",
                    CAPTION,
                    "jm-muted",
                    anchor="end",
                )
            )
        self.back.append(scale)
        self.front.append(Group("emotion-curve", items=curve.draw(self.view, plot)))
        self.y = top + height + GUTTER

    def _line_row(self, name: str, note: str, key: str, dash: str) -> None:
        """A line across the map under a row of its own: its name in the lane header, what it
        divides written beside it. `key` is its class (`visibility`, `interaction`, ...)."""
        top = self.y
        stack = Stack(Columns.x(0), top + 2, self.columns.right - Columns.x(0))
        stack.text(_(note), CAPTION, "jm-muted")
        height = max(stack.height + 10, self._lane_header_height(name, "", key))
        self._lane_header(name, "", top, height, key)
        line_y = top + height - 3
        group = Group(
            key,
            items=[
                *stack.items,
                Path(
                    f"M{curve.fmt(MARGIN)} {curve.fmt(line_y)}H{curve.fmt(self.columns.right)}",
                    f"jm-{key}",
                    dash,
                ),
            ],
        )
        self.front.append(group)
        self.y = top + height + GUTTER

    def _stage_kpis_row(self) -> None:
        cells = []
        for stage, first, count in self.columns.stages:
            x = Columns.x(first)
            w = count * (COLUMN + GUTTER) - GUTTER
            stack = Stack(x + PAD, 0, w - 2 * PAD)
            for kpi in stage.stage.kpis:
                self._kpi(stack, kpi)
            cells.append((stage, x, w, stack))
        name, note = N_("Stage KPIs"), N_("value / target")
        height = max(
            [stack.height + 2 * PAD for *_, stack in cells]
            + [self._lane_header_height(name, note, "stage-kpis")]
        )
        top = self.y
        self._lane_header(name, note, top, height, "stage-kpis")
        row = Group("row row-stage-kpis")
        for stage, x, w, stack in cells:
            if not stage.stage.kpis:
                continue
            box = Box(x, top, w, height)
            self.cards.append(box)
            moved = [shifted(item, top + PAD) for item in stack.items]
            row.add(
                Group("cell", stage.stage.id, items=[Rect(box, "jm-cell", 4), *moved], frame=box)
            )
        self.front.append(row)
        self.y = top + height + GUTTER

    # The cells of each lane.

    def _actions(self, tp: TouchpointView, x: float, w: float) -> Cell:
        stack = Stack(x, 0, w)
        for number, action in enumerate(tp.touchpoint.actions):
            if number:
                stack.gap(3)
            if action.persona:
                self._owner(stack, action.persona)
                stack.text(action.text, BODY, "jm-body", indent=10)
            else:
                stack.bullet(action.text)
        return Cell(stack.items, stack.height)

    def _thoughts(self, tp: TouchpointView, x: float, w: float) -> Cell:
        stack = Stack(x, 0, w)
        for number, thought in enumerate(tp.touchpoint.thoughts):
            if number:
                stack.gap(GAP)
            if thought.persona:
                self._owner(stack, thought.persona)
            stack.text(f"“{thought.text}”", BODY, "jm-thought")
        return Cell(stack.items, stack.height)

    def _owner(self, stack: Stack, persona_id: str) -> None:
        """Whose the item below is: the persona's name, after its curve's marker where it has
        a curve of its own (the name alone where one curve stands for everyone)."""
        indent = 0.0
        style = self._curve_style(persona_id)
        if style is not None:
            y = stack.y + _baseline(CAPTION) - CAPTION * 0.35
            stack.items.append(_owner_mark(style, stack.x, y))
            indent = OWNER_INDENT
        stack.text(owner_name(self.view.personas, persona_id), CAPTION, "jm-actor", "bold", indent)

    def _curve_style(self, persona_id: str) -> curve.CurveStyle | None:
        """The line style of the persona's own curve; None where one curve stands for all."""
        if len(self.view.curves) < 2:
            return None
        index = next(
            (
                n
                for n, line in enumerate(self.view.curves)
                if not isinstance(line.persona, Everyone) and line.persona.id == persona_id
            ),
            None,
        )
        return None if index is None else curve.curve_style(index)

    def _feelings(self, tp: TouchpointView, x: float, w: float) -> Cell:
        items: Items = []
        y = 0.0
        for number, feeling in enumerate(tp.feelings):
            if number:
                y += 4
            owner = ""
            if len(self.view.curves) > 1 and not isinstance(feeling.persona, Everyone):
                owner = f"{feeling.persona.name}: "
            lines, h = text_block(
                owner + mood_words(feeling.mood),
                x + 6,
                y + 2,
                w - 12,
                BODY,
                f"jm-mood-ink-{feeling.mood.score}",
            )
            box = Box(x, y, w, h + 4)
            items.append(
                Group(
                    "feeling",
                    items=[Rect(box, f"jm-mood-{feeling.mood.score}", 3), *lines],
                    frame=box,
                )
            )
            y += h + 4
        return Cell(items, y)

    def _pains(self, tp: TouchpointView, x: float, w: float) -> Cell:
        items: Items = []
        y = 0.0
        for pain in tp.pains:
            style = self._curve_style(pain.pain.persona) if pain.pain.persona else None
            group, h = _pain_card(pain, self.view.personas, x, y, w, style)
            items.append(group)
            y += h + GAP
        return Cell(items, max(0.0, y - GAP))

    def _opportunities(self, tp: TouchpointView, x: float, w: float) -> Cell:
        items: Items = []
        y = 0.0
        pains = self._pains_by_id
        for number, opportunity in enumerate(tp.touchpoint.opportunities, start=1):
            if opportunity.status:
                self.features.add("status")
            group, h = _opportunity_card(opportunity, number, tp, pains, x, y, w)
            items.append(group)
            y += h + GAP
        return Cell(items, max(0.0, y - GAP))

    def _backstage(self, tp: TouchpointView, x: float, w: float) -> Cell:
        return _staff_cell(tp.touchpoint.backstage, x, w)

    def _staff(self, tp: TouchpointView, x: float, w: float) -> Cell:
        return _staff_cell(tp.touchpoint.frontstage, x, w)

    def _support(self, tp: TouchpointView, x: float, w: float) -> Cell:
        stack = Stack(x, 0, w)
        for number, process in enumerate(tp.touchpoint.support_processes):
            if number:
                stack.gap(GAP)
            if process.actor:
                stack.text(process.actor, CAPTION, "jm-actor", "bold")
            stack.text(process.text, BODY, "jm-body")
        return Cell(stack.items, stack.height)

    def _physical_evidence(self, tp: TouchpointView, x: float, w: float) -> Cell:
        stack = Stack(x, 0, w)
        for number, thing in enumerate(tp.touchpoint.physical_evidence):
            if number:
                stack.gap(3)
            stack.bullet(thing)
        return Cell(stack.items, stack.height)

    def _kpis(self, tp: TouchpointView, x: float, w: float) -> Cell:
        stack = Stack(x, 0, w)
        for kpi in tp.touchpoint.kpis:
            self._kpi(stack, kpi)
        return Cell(stack.items, stack.height)

    def _kpi(self, stack: Stack, kpi: Kpi) -> None:
        """A KPI's words, then a line with its trend (from data) and whether it is on track,
        in the ink of its status: the sign and words say it without the colour."""
        stack.bullet(kpi_words(kpi, status=False))
        status = kpi_status(kpi)
        if kpi.data is None and status is None:
            return
        self.features.add("kpi")
        x, pitch = stack.x + 10, BODY * LEADING
        if kpi.data is not None:
            series = kpi.data.series
            top = stack.y + (pitch - TREND[1]) / 2
            line = Polyline(
                tuple((x + px, top + py) for px, py in sparkline.coordinates(series, *TREND)),
                "jm-trend",
            )
            title = f"{_(TREND_LABEL)}: {sparkline.summary(series)}"
            stack.items.append(Group("trend", title=title, items=[line]))
            x += TREND[0] + GAP
        if status is None:
            stack.y += pitch
            return
        lines, h = text_block(
            KPI_STATUS_WORDS[status],
            x,
            stack.y,
            stack.x + stack.limit - x,
            BODY,
            f"jm-{status.replace(' ', '-')}",
        )
        stack.items.extend(lines)
        stack.y += max(h, pitch)

    def _evidence(self, tp: TouchpointView, x: float, w: float) -> Cell:
        stack = Stack(x, 0, w)
        for number, evidence in enumerate(tp.touchpoint.evidence):
            if number:
                stack.gap(GAP)
            if evidence.kind:
                stack.text(_(EVIDENCE_WORDS[evidence.kind]).upper(), CAPTION, "jm-muted", "bold")
            facts = evidence_facts(evidence)
            if facts:
                stack.text(facts, CAPTION, "jm-muted")
            stack.text(evidence.text, BODY, "jm-body")
            if evidence.quote:
                stack.gap(2)
                stack.text(f"“{evidence.quote}”", BODY, "jm-thought")
        return Cell(stack.items, stack.height)


def _staff_cell(work: Sequence[Backstage], x: float, w: float) -> Cell:
    """Frontstage or backstage work: who, what, and how the staff doing it feel and what
    hurts them, where the journey says so."""
    stack = Stack(x, 0, w)
    for number, item in enumerate(work):
        if number:
            stack.gap(GAP)
        if item.actor:
            stack.text(item.actor, CAPTION, "jm-actor", "bold")
        stack.text(item.text, BODY, "jm-body")
        if item.emotion is not None:
            mood = MOODS[item.emotion]
            stack.gap(3)
            lines, h = text_block(
                f"{_(STAFF_FEELING)} {mood_words(mood)}",
                x + 6,
                stack.y + 2,
                w - 12,
                CAPTION,
                f"jm-mood-ink-{mood.score}",
            )
            box = Box(x, stack.y, w, h + 4)
            stack.items.append(
                Group("staff-feeling", items=[Rect(box, f"jm-mood-{mood.score}", 3), *lines])
            )
            stack.y += h + 4
        for pain in item.pain_points:
            stack.gap(3)
            stack.text(f"{pain.severity.upper()} PAIN", CAPTION, "jm-muted", "bold")
            stack.text(pain.text, BODY, "jm-body")
    return Cell(stack.items, stack.height)


def opportunity_key(opportunity: Opportunity, number: int, tp: TouchpointView) -> str:
    """An opportunity's data-id: its id, or "<touchpoint id>.opportunity-<n>" (a dot never
    occurs in a written id, so a made-up key never clashes with one)."""
    return opportunity.id or f"{tp.id}.opportunity-{number}"


def _description(view: JourneyView) -> str:
    journey = view.journey
    parts = [journey.description or "", journey_facts(view)]
    if journey.owner:
        parts.append(f"Owner: {journey.owner}.")
    return " ".join(part.strip() for part in parts if part and part.strip())


def heading(stack: Stack, view: JourneyView) -> None:
    """What the journey is, as every page that shows it opens: kind and state, title,
    description, and the facts line (the map's header and the deck's overview)."""
    journey = view.journey
    state = _("Future state") if journey.state == "future" else _("Current state")
    kind = _("Customer journey map")
    stack.text(f"{kind.upper()} · {state.upper()}", CAPTION, "jm-muted", "bold")
    stack.text(journey.title, TITLE, "jm-title", "bold")
    if journey.description:
        stack.gap(2)
        stack.text(journey.description, NAME, "jm-muted")
    stack.gap(4)
    stack.text(journey_facts(view), BODY, "jm-body")
    review = review_words(journey)
    if review:
        stack.text(f"{_(REVIEW_LABEL)}: {review}", BODY, "jm-body")
    if view.timed_paths:
        lines = [path_time_words(path) for path in view.timed_paths]
        stack.text(f"{_(TIME_HEADING)}: {'; '.join(lines)}", BODY, "jm-body")


def journey_facts(view: JourneyView) -> str:
    facts = [
        ngettext("{n} stage", "{n} stages", len(view.stages)).format(n=len(view.stages)),
        ngettext("{n} touchpoint", "{n} touchpoints", len(view.touchpoints)).format(
            n=len(view.touchpoints)
        ),
    ]
    if view.personas:
        facts.append(
            ngettext("{n} persona", "{n} personas", len(view.personas)).format(n=len(view.personas))
        )
    facts.append(
        ngettext("{n} pain point", "{n} pain points", len(view.pains)).format(n=len(view.pains))
    )
    if view.journey.owner:
        facts.append(f"{_('Owner')}: {view.journey.owner}")
    return " · ".join(facts)


def _text_width(text: str, weight: Weight = "regular", size: float = CAPTION) -> float:
    return Text(0, 0, text, size, "", weight).width


def _legend_caption(text: str) -> Callable[[float, float], Items]:
    def make(x: float, y: float) -> Items:
        return [Text(x, y + 14, text, CAPTION, "jm-muted", "bold")]

    return make


def _mood_chip(score: int) -> tuple[float, Callable[[float, float], Items]]:
    mood = MOODS[score]
    words = mood_words(mood)
    w = _text_width(words) + 12

    def make(x: float, y: float) -> Items:
        return [
            Rect(Box(x, y, w, 20), f"jm-mood-{score}", 3),
            Text(x + 6, y + 14, words, CAPTION, f"jm-mood-ink-{score}"),
        ]

    return w, make


def _curve_sample(index: int, name: str) -> tuple[float, Callable[[float, float], Items]]:
    style = curve.curve_style(index)
    w = 40 + _text_width(name)

    def make(x: float, y: float) -> Items:
        css = f"jm-c{style.number}"
        return [
            Path(f"M{curve.fmt(x)} {curve.fmt(y + 10)}h32", f"jm-line {css}"),
            Mark(style.shape, x + 16, y + 10, curve.MARK_R, f"jm-mark {css}"),
            Text(x + 38, y + 14, name, CAPTION, "jm-body"),
        ]

    return w, make


def _ring_sample() -> tuple[float, Callable[[float, float], Items]]:
    words = _("lowest point of a curve")
    w = 26 + _text_width(words)

    def make(x: float, y: float) -> Items:
        return [
            Circle(x + 10, y + 10, 8, "jm-ring"),
            Text(x + 24, y + 14, words, CAPTION, "jm-body"),
        ]

    return w, make


def _branch_sample() -> tuple[float, Callable[[float, float], Items]]:
    w = 40 + _text_width(_(BRANCH_KEY))

    def make(x: float, y: float) -> Items:
        line = f"M{curve.fmt(x)} {curve.fmt(y + 10)}h32"
        return [
            Path(line, "jm-line jm-branch jm-key-line", BRANCH_DASH),
            Text(x + 38, y + 14, _(BRANCH_KEY), CAPTION, "jm-body"),
        ]

    return w, make


def _route_sample() -> tuple[float, Callable[[float, float], Items]]:
    words = _("route written in next")
    w = 40 + _text_width(words)

    def make(x: float, y: float) -> Items:
        points = [(x, y + 10), (x + 30, y + 10)]
        return [
            Path(routes.rounded(points), "jm-route"),
            Path(routes.arrow(points), "jm-route-head"),
            Text(x + 38, y + 14, words, CAPTION, "jm-body"),
        ]

    return w, make


def stage_header(stage: StageView, number: int, left: float, w: float) -> Cell:
    """The top of a stage's band: its number and name on the stage's colour, then its goals."""
    limit = w - 2 * PAD
    band = (number - 1) % 6 + 1
    inner = Stack(left + PAD, 6, limit)
    inner.text(_("Stage {number}").format(number=number).upper(), CAPTION, "jm-stage-ink", "bold")
    inner.text(stage.stage.name, STAGE, "jm-stage-ink", "bold")
    strip = inner.height + 12
    items: Items = [Rect(Box(left, 0, w, strip), f"jm-band-{band}", 6), *inner.items]
    below = Stack(left + PAD, strip + 6, limit)
    if stage.stage.description:
        below.text(stage.stage.description, BODY, "jm-muted")
        below.gap(4)
    for label, goal in (
        (_("Customer goal"), stage.stage.customer_goal),
        (_("Business goal"), stage.stage.business_goal),
    ):
        if goal:
            below.text(label.upper(), CAPTION, "jm-muted", "bold")
            below.text(goal, BODY, "jm-body")
            below.gap(4)
    for label, fact in (
        (_("Owner"), stage.stage.owner),
        (_(TIME_HEADING), time_words(stage.time) if stage.time else None),
    ):
        if fact:
            below.text(label.upper(), CAPTION, "jm-muted", "bold")
            below.text(fact, BODY, "jm-body")
            below.gap(4)
    items.extend(below.items)
    return Cell(items, below.y)


def _touchpoint_card(stack: Stack, tp: TouchpointView, view: JourneyView) -> None:
    stack.text(f"{tp.index + 1}. {tp.touchpoint.name}", NAME, "jm-name", "bold")
    stack.gap(2)
    if tp.channel:
        stack.text(channel_words(tp), BODY, "jm-muted")
    if tp.personas and len(tp.personas) < len(view.personas):
        only = _("Only {personas}").format(personas="; ".join(p.name for p in tp.personas))
        stack.text(only, CAPTION, "jm-muted", "bold")
    if tp.touchpoint.description:
        stack.gap(4)
        stack.text(tp.touchpoint.description, BODY, "jm-body")
    if tp.touchpoint.duration or tp.touchpoint.wait:
        stack.gap(4)
        stack.text(touchpoint_time_words(tp.touchpoint), CAPTION, "jm-muted", "bold")
    if tp.lowest_for:
        stack.gap(4)
        stack.text(f"◆ {_(MOMENT_FLAG)}", CAPTION, "jm-moment", "bold")
    if not tp.is_default_next:
        stack.gap(4)
        if tp.next:
            # Each route's `when` here too: its label on the route may not find room.
            names = _(" or ").join(
                _name(view, route.to)
                + (" ({})".format(_("when: {when}").format(when=route.when)) if route.when else "")
                for route in tp.routes
            )
            stack.text(_("Next: {names}").format(names=names), CAPTION, "jm-route-label", "bold")
        else:
            stack.text(_("The journey ends here"), CAPTION, "jm-route-label", "bold")


def _name(view: JourneyView, touchpoint_id: str) -> str:
    return next(tp.touchpoint.name for tp in view.touchpoints if tp.id == touchpoint_id)


def _tooltip(tp: TouchpointView) -> str:
    """The touchpoint's `<title>`, a line a fact: its name, stage, channel and feelings."""
    lines = [f"{tp.touchpoint.name} ({tp.stage.name}, {channel_words(tp)})"]
    for feeling in tp.feelings:
        who = "" if isinstance(feeling.persona, Everyone) else f"{feeling.persona.name}: "
        lines.append(_("Feels: {feeling}").format(feeling=f"{who}{mood_words(feeling.mood)}"))
    if tp.lowest_for:
        lines.append(_("Lowest point of the emotions"))
    return "\n".join(lines)


# How far a persona's name sits right of the curve marker drawn before it.
OWNER_INDENT = 14.0


def _owner_mark(style: curve.CurveStyle, x: float, y: float) -> Mark:
    """The persona's curve marker before its name: whose it is, told as the curve tells it."""
    return Mark(style.shape, x + 5, y, 4.0, f"jm-mark jm-c{style.number}")


def _pain_card(
    pain: PainView,
    personas: list[Persona],
    x: float,
    y: float,
    w: float,
    style: curve.CurveStyle | None = None,
) -> tuple[Group, float]:
    severity = pain.pain.severity
    word = _(SEVERITY_WORDS[severity]).upper()
    badge_w = _text_width(word, "bold") + 10
    category = _(CATEGORY_WORDS[pain.pain.category])
    font = metrics()
    badge_h = (font.ascent + font.descent) * CAPTION + 4
    top = y + PAD
    items: Items = [
        Rect(Box(x + PAD, top, badge_w, badge_h), f"jm-sev-{severity}", 3),
        Text(
            x + PAD + 5,
            top + 2 + font.ascent * CAPTION,
            word,
            CAPTION,
            f"jm-sev-ink-{severity}",
            "bold",
        ),
    ]
    lines, h = text_block(
        category,
        x + PAD + badge_w + 6,
        top + (badge_h - CAPTION * LEADING) / 2,
        w - 2 * PAD - badge_w - 6,
        CAPTION,
        "jm-muted",
    )
    items.extend(lines)
    body_top = top + max(badge_h, h) + 4
    if pain.pain.persona:
        indent = 0.0
        if style is not None:
            items.append(
                _owner_mark(style, x + PAD, body_top + _baseline(CAPTION) - CAPTION * 0.35)
            )
            indent = OWNER_INDENT
        owner, oh = text_block(
            _("For {name}").format(name=owner_name(personas, pain.pain.persona)),
            x + PAD + indent,
            body_top,
            w - 2 * PAD - indent,
            CAPTION,
            "jm-actor",
            "bold",
        )
        items.extend(owner)
        body_top += oh
    text, th = text_block(pain.pain.text, x + PAD, body_top, w - 2 * PAD, BODY, "jm-body")
    items.extend(text)
    height = body_top + th + PAD - y
    box = Box(x, y, w, height)
    group = Group(
        "pain-point",
        pain.key,
        items=[Rect(box, f"jm-pain jm-pain-{severity}", 4), *items],
        frame=box,
    )
    return group, height


def _opportunity_card(
    opportunity: Opportunity,
    number: int,
    tp: TouchpointView,
    pains: dict[str, tuple[PainView, TouchpointView]],
    x: float,
    y: float,
    w: float,
) -> tuple[Group, float]:
    stack = Stack(x + PAD, y + PAD, w - 2 * PAD)
    if opportunity.status:
        _status_badge(stack, opportunity)
    stack.text(opportunity.text, BODY, "jm-body")
    work = work_words(opportunity)[1 if opportunity.status else 0 :]
    if work:
        stack.gap(2)
        stack.text(" · ".join(work), CAPTION, "jm-muted")
    meta = []
    if opportunity.priority:
        priority = _(PRIORITY_WORDS[opportunity.priority])
        meta.append(priority[:1].upper() + priority[1:])
    if opportunity.owner:
        meta.append(opportunity.owner)
    if meta:
        stack.gap(2)
        stack.text(" · ".join(meta), CAPTION, "jm-opportunity-ink", "bold")
    for pain_id in opportunity.answers:
        if pain_id in pains:
            pain, where = pains[pain_id]
            at = (
                ""
                if where.id == tp.id
                else " ({})".format(_("at {where}").format(where=where.touchpoint.name))
            )
            stack.gap(2)
            stack.text(
                _("answers: {pain}").format(pain=f"{pain.pain.text}{at}"), CAPTION, "jm-muted"
            )
    height = stack.height + 2 * PAD
    box = Box(x, y, w, height)
    key = opportunity_key(opportunity, number, tp)
    group = Group(
        "opportunity", key, items=[Rect(box, "jm-opportunity", 4), *stack.items], frame=box
    )
    return group, height


def _status_badge(stack: Stack, opportunity: Opportunity) -> None:
    """The opportunity's status as a word on a chip of its colour, on a line of its own."""
    status = opportunity.status or ""
    word = _(STATUS_WORDS[opportunity.status]).upper() if opportunity.status else ""
    font = metrics()
    badge_h = (font.ascent + font.descent) * CAPTION + 4
    css = status.replace(" ", "-")
    stack.items.append(
        Rect(Box(stack.x, stack.y, _text_width(word, "bold") + 10, badge_h), f"jm-status-{css}", 3)
    )
    stack.items.append(
        Text(
            stack.x + 5,
            stack.y + 2 + font.ascent * CAPTION,
            word,
            CAPTION,
            f"jm-status-ink-{css}",
            "bold",
        )
    )
    stack.y += badge_h + 4


def _next_lines(view: JourneyView, cards: dict[str, Box]) -> list[routes.Line]:
    """The routes written in `next` (not the plain flow to the next card): out of the bottom of
    the card's left half, into the bottom of the target's right half."""
    arrivals = Counter(target for tp in view.touchpoints for target in tp.next)
    arrived: Counter[str] = Counter()
    lines = []
    for tp in view.touchpoints:
        if tp.is_default_next:
            continue
        source = cards[tp.id]
        for number, route in enumerate(tp.routes):
            target_id = route.to
            target = cards[target_id]
            slot = arrived[target_id]
            arrived[target_id] += 1
            index = next(t.index for t in view.touchpoints if t.id == target_id)
            if route.when:
                label = route.when
            elif len(tp.next) > 1:
                label = _("branch")
            elif index <= tp.index:
                label = _("back to")
            else:
                label = _("rejoins") if arrivals[target_id] > 1 else _("skips to")
            lines.append(
                routes.Line(
                    "jm-route",
                    f"{tp.id}>{target_id}",
                    [(source.x + 16 + 10 * number, source.bottom)],
                    [(target.right - 16 - 10 * slot, target.bottom)],
                    label,
                )
            )
    return lines
