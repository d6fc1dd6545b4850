"""The grid map cut into pages: whole stages across, whole rows down, for the PDF deck.

A page shows a window of the map: some stages' columns, some rows, and the lane headers of those
rows beside them. `slices` chooses the windows for a page of a given size in map units; `crop`
keeps what a window shows, so that a text is on the one page that shows it (a search finds it
there, not on every page). Lines may run out of a window (the emotion curve, routes): they are
kept whole, and the page clips them to its window.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from jmap.render.grid.layout import COLUMN, GUTTER, LANE_HEADER, MARGIN, Columns, GridMap
from jmap.render.grid.shapes import Box, Circle, Group, Mark, Path, Rect, Shape, Text

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
class Slice:
    """One page of the map: the columns from `left` to `right`, and strips of rows."""

    left: float
    right: float
    strips: tuple[Strip, ...]
    stages: tuple[int, ...]  # the stages shown, from 0

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return sum(strip.height for strip in self.strips)


def slices(drawing: GridMap, width: float, height: float) -> list[Slice]:
    """Windows of `drawing` that each fit `width` x `height` map units (beside the lane headers):
    as many whole stages as fit across (a stage wider than a page is cut between its columns),
    and as many whole rows as fit down; a page below the first of its columns repeats the stage
    row, so that every page says which stages it shows."""
    across = max(1, int(width // (COLUMN + GUTTER)))
    return [
        Slice(left, right, strips, stages)
        for left, right, stages in _column_groups(drawing, across)
        for strips in _row_groups(drawing, height)
    ]


def _column_groups(drawing: GridMap, across: int) -> list[tuple[float, float, tuple[int, ...]]]:
    groups: list[tuple[int, int, list[int]]] = []  # first column, count, stages
    for number, (first, count) in enumerate(drawing.stages):
        if groups and groups[-1][1] + count <= across:
            groups[-1] = (groups[-1][0], groups[-1][1] + count, [*groups[-1][2], number])
            continue
        for start in range(first, first + count, across):  # a stage too wide for one page
            groups.append((start, min(across, first + count - start), [number]))
    return [
        (
            Columns.x(first) - GUTTER / 2,
            Columns.x(first) - GUTTER / 2 + count * (COLUMN + GUTTER),
            tuple(stages),
        )
        for first, count, stages in groups
    ]


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
    if isinstance(item, Text | Mark):
        box = item.box
    else:
        assert isinstance(item, Circle)
        box = Box(item.x - item.r, item.y - item.r, 2 * item.r, 2 * item.r)
    middle = Box(box.x + box.w / 2, box.y + box.h / 2, 0, 0)
    return item if window.contains(middle) else None
