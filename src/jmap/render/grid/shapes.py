"""What the grid map is drawn with: boxes, lines of text, paths and groups, in CSS pixels.

The layout places these; `draw` writes them as SVG. Every text knows its box from the font's
metrics, so the layout, its tests and the drawing agree on where each line of text is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from jmap.render.grid.text import Weight, metrics, width


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return (
            self.x < other.right + gap
            and other.x < self.right + gap
            and self.y < other.bottom + gap
            and other.y < self.bottom + gap
        )

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x
            and other.right <= self.right
            and self.y <= other.y
            and other.bottom <= self.bottom
        )

    def grown(self, by: float) -> Box:
        return Box(self.x - by, self.y - by, self.w + 2 * by, self.h + 2 * by)


@dataclass(frozen=True)
class Text:
    """One line of text; `y` is its baseline."""

    x: float
    y: float
    text: str
    size: float
    css: str
    weight: Weight = "regular"
    anchor: Literal["start", "middle", "end"] = "start"

    @property
    def width(self) -> float:
        return width(self.text, self.size, self.weight)

    @property
    def box(self) -> Box:
        font = metrics()
        left = {"start": self.x, "middle": self.x - self.width / 2, "end": self.x - self.width}
        top = self.y - font.ascent * self.size
        return Box(left[self.anchor], top, self.width, (font.ascent + font.descent) * self.size)


@dataclass(frozen=True)
class Rect:
    box: Box
    css: str
    rx: float = 0.0


@dataclass(frozen=True)
class Path:
    d: str
    css: str
    dash: str = ""


@dataclass(frozen=True)
class Mark:
    """A point of a curve: a marker shape centred on (x, y)."""

    shape: str
    x: float
    y: float
    r: float
    css: str

    @property
    def box(self) -> Box:
        reach = self.r * 1.3
        return Box(self.x - reach, self.y - reach, 2 * reach, 2 * reach)


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    css: str


@dataclass(frozen=True)
class Polyline:
    """An open line through points: a KPI's trend by month (jmap.render.sparkline)."""

    points: tuple[tuple[float, float], ...]
    css: str

    @property
    def box(self) -> Box:
        xs = [x for x, _ in self.points]
        ys = [y for _, y in self.points]
        return Box(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


Shape = Text | Rect | Path | Mark | Circle | Polyline


@dataclass
class Group:
    """A `<g>`: with a class and data-id for what a reader, a test or a stylesheet picks out."""

    css: str | None = None
    data_id: str | None = None
    title: str | None = None
    items: list[Shape | Group] = field(default_factory=list)
    frame: Box | None = None  # the card or band the group's texts must stay inside

    def add(self, *items: Shape | Group) -> None:
        self.items.extend(items)

    def walk(self) -> list[Shape | Group]:
        found: list[Shape | Group] = []
        for item in self.items:
            found.append(item)
            if isinstance(item, Group):
                found.extend(item.walk())
        return found

    def texts(self) -> list[Text]:
        return [item for item in self.walk() if isinstance(item, Text)]
