"""The grid map cut into pages: stages across, whole rows down, for the PDF deck.

A page shows a window of the map: some stages' columns (whole stages, or a piece of one cut
between its touchpoints), some rows, and the lane headers of those
rows beside them. `slices` chooses the windows for a page of a given size in map units; `crop`
keeps what a window shows, so that a text is on the one page that shows it (a search finds it
there, not on every page). Lines may run out of a window (the emotion curve, routes): they are
kept whole, and the page clips them to its window.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from jmap.render.grid.layout import COLUMN, GUTTER, LANE_HEADER, MARGIN, Columns, GridMap
from jmap.render.grid.shapes import Box, Circle, Group, Mark, Path, Polyline, Rect, Shape, Text

LANES = Box(MARGIN, 0, LANE_HEADER, 0)  # the lane headers' column (its top and height vary)


@dataclass(frozen=True)
class Strip:
    """Rows of the map, from `top` to `bottom`, as one piece of a page."""

    top: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Part:
    """The columns of one stage on one page: all of them, or a piece of a stage cut between
    its touchpoints (`continued`: a piece after its first)."""

    stage: int  # from 0
    first: int  # the first column shown
    count: int
    continued: bool

    @property
    def left(self) -> float:
        return Columns.x(self.first) - GUTTER / 2

    @property
    def width(self) -> float:
        return self.count * (COLUMN + GUTTER)


@dataclass(frozen=True)
class Slice:
    """One page of the map: the columns from `left` to `right`, and strips of rows."""

    left: float
    right: float
    strips: tuple[Strip, ...]
    parts: tuple[Part, ...]  # the stages shown, whole or in part

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return sum(strip.height for strip in self.strips)


Fits = Callable[[Part], bool]  # whether a piece of a stage has room for its own header
FULL = 0.85  # a page this full starts a stage that fits a page on the next page, uncut
SMALLEST = 2  # columns: no piece of a cut stage is narrower, unless the stage is


def slices(drawing: GridMap, width: float, height: float, fits: Fits) -> list[Slice]:
    """Windows of `drawing` that each fit `width` x `height` map units (beside the lane headers),
    packed so that pages are well filled: whole stages side by side, and a stage that does not
    fit the room left on a page cut between its touchpoints to fill it (unless the page is
    FULL already), where `fits` says each piece has room for its header. Down, as many whole
    rows as fit; a page below the first of its rows repeats the stage row, so that every page
    says which stages it shows."""
    across = max(1, int(width // (COLUMN + GUTTER)))
    return [
        Slice(parts[0].left, parts[-1].left + parts[-1].width, strips, tuple(parts))
        for parts in _column_groups(drawing, across, fits)
        for strips in _row_groups(drawing, height)
    ]


def _column_groups(drawing: GridMap, across: int, fits: Fits) -> list[list[Part]]:
    pages: list[list[Part]] = [[]]
    for number, (first, count) in enumerate(drawing.stages):
        start, left = first, count
        while left:
            page = pages[-1]
            room = across - sum(part.count for part in page)
            if left <= room:
                page.append(Part(number, start, left, start > first))
                break
            cut = _cut(number, start, left, room, first, fits)
            if page and (cut is None or (left <= across and room <= across * (1 - FULL))):
                pages.append([])  # the stage (or its rest) starts the next page
                continue
            if cut is None:  # wider than a page, and no piece has room for its header
                cut = room
            page.append(Part(number, start, cut, start > first))
            start, left = start + cut, left - cut
            pages.append([])
    return [page for page in pages if page]


def _cut(number: int, start: int, left: int, room: int, first: int, fits: Fits) -> int | None:
    """The most columns of a stage's `left` columns from `start` that fill the `room` on a
    page, where both that piece and the rest have room for their headers."""
    for cut in range(min(room, left - SMALLEST), SMALLEST - 1, -1):
        if fits(Part(number, start, cut, start > first)) and fits(
            Part(number, start + cut, left - cut, True)
        ):
            return cut
    return None


def _row_groups(drawing: GridMap, height: float) -> list[tuple[Strip, ...]]:
    """Rows packed into pages; a row runs to the next row's top, so the routes between rows
    stay with the row above them. A row taller than a page has a page of its own (and is cut
    at the page's bottom: no journey that fits jmap's limits comes near that)."""
    top, bottom = drawing.grid
    starts = [row_top for _, row_top, _ in drawing.rows if row_top >= top]
    ends = [*starts[1:], bottom]
    rows = [Strip(start, end) for start, end in zip(starts, ends, strict=True)]
    if not rows:
        return [(Strip(top, bottom),)]
    heading = rows[0]  # the stage row: names and goals of the stages
    pages: list[list[Strip]] = []
    page, filled = [heading], False
    for row in rows[1:]:
        if filled and sum(strip.height for strip in page) + row.height > height:
            pages.append(page)
            page = [heading] if heading.height + row.height <= height else []
        _extend(page, row)
        filled = True
    pages.append(page)
    return [tuple(page) for page in pages]


def _extend(page: list[Strip], row: Strip) -> None:
    """Add a row to a page: to its last strip when they touch, else as a strip of its own."""
    if page and page[-1].bottom == row.top:
        page[-1] = Strip(page[-1].top, row.bottom)
    else:
        page.append(row)


def crop(drawing: GridMap, window: Box) -> GridMap:
    """What `window` shows of `drawing`: every text, mark and box whose middle is in it, every
    other box that reaches into it, and every line (the page clips them)."""
    layers = [_group(layer, window) for layer in drawing.layers]
    return dataclasses.replace(drawing, layers=[layer for layer in layers if layer is not None])


def _group(group: Group, window: Box) -> Group | None:
    items = [kept for inner in group.items if (kept := _kept(inner, window)) is not None]
    if not items:
        return None
    # No <title>: a tooltip has no use on paper, and PDF readers would show nothing of it.
    return dataclasses.replace(group, items=items, title=None)


def _kept(item: Shape | Group, window: Box) -> Group | Shape | None:
    if isinstance(item, Group):
        return _group(item, window)
    if isinstance(item, Path):
        return item
    if isinstance(item, Rect):
        return item if item.box.overlaps(window) else None
    if isinstance(item, Text | Mark | Polyline):
        box = item.box
    else:
        assert isinstance(item, Circle)
        box = Box(item.x - item.r, item.y - item.r, 2 * item.r, 2 * item.r)
    middle = Box(box.x + box.w / 2, box.y + box.h / 2, 0, 0)
    return item if window.contains(middle) else None
