"""The `pdf` format: a deck of 16:9 pages to show a journey to the people who decide.

Page 1 is an overview (`overview`): the journey, its emotion curves, the moments that matter
and the top opportunities. Then the grid map in pages (`jmap.render.grid.pages`): as many
columns across as keep body text at BODY_PX px on a 1920x1080 screen, stages side by side and
a stage cut between its touchpoints where that fills a page (its header laid out again for each
piece, "Name (cont.)" after the first: `_Headers`), as many whole rows down as fit, the lane
headers on every page, and a footer with the journey's title and n/N. Measured: the
40-touchpoint test journey took 25 pages with whole stages, 19 now (16 is the floor: 5 groups of
8 columns, 3 pages of rows each, and the overview); the examples are unchanged (7, 10, 7).

Each page is drawn from the grid map's own SVG (render/grid: one drawing, one stylesheet) by
fpdf2, which keeps text as text: selectable, and found by a PDF reader's search. The fonts are
the TrueType copies of the map's font and, for what it lacks, the fallback fonts jmap ships
(render/grid/fonts: CJK, Hangul, emoji; `fonts` cuts text runs between them), each embedded
as a subset of the characters drawn. The fallbacks make the wheel ~3.3 MB instead of ~0.4 MB
(6.5 MB installed instead of 1.2 MB); a deck of CJK text is ~60 KB.

Why fpdf2, measured on examples/omnichannel-support.yaml (11 touchpoints), one core:
- fpdf2 2.8.9 (pure Python wheel, LGPL-3.0; needs fontTools, Pillow, defusedxml, all with
  wheels for Linux, macOS and Windows): draws the map's SVG, CSS classes and text included,
  ~0.35 s for the whole map, import ~0.5 s; text selectable; bytes the same run after run
  once the creation date and file id are fixed; subsets TrueType fonts, so the 4 MB CJK font
  adds only the characters drawn (reading its tables adds ~0.2 s to a deck that needs it, and
  nothing to one that does not). Chosen.
- svglib 2.3 + reportlab 5.1 (~9.7 MB, with lxml 12 MB): ~0.37 s for the whole map, import
  ~0.3 s, text selectable; but reportlab takes TrueType outlines only and no page clipping of
  a drawing, so the pages would need more of our own code.
- typst 0.15 (a compiler in a wheel, 81 MB installed): ~0.09 s a page, but it draws an SVG's
  text as outlines, so the map's text would not be text; the deck would be a second layout of
  the map in Typst markup.
Time for a whole deck is measured by tests/test_pdf.py's budget.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from typing import TYPE_CHECKING

from jmap import i18n
from jmap.palette import Palette
from jmap.render.deck.fonts import Coverage, add_fonts, pieces, split_runs
from jmap.render.deck.overview import overview
from jmap.render.grid.draw import svg
from jmap.render.grid.layout import (
    BODY,
    CAPTION,
    COLUMN,
    MARGIN,
    Cell,
    Columns,
    GridMap,
    layout,
    shifted,
    stage_header,
)
from jmap.render.grid.pages import LANES, Part, Slice, crop, slices
from jmap.render.grid.shapes import Box, Group, Path, Rect, Shape
from jmap.render.grid.text import FONT_FAMILY, uncovered

if TYPE_CHECKING:
    from fpdf import FPDF

    from jmap.render import RenderContext
    from jmap.view import JourneyView

SCREEN = (1920.0, 1080.0)  # what a page is laid out for, in px
BODY_PX = 14.0  # body text on that screen
SCALE = BODY_PX / BODY  # map units to screen px
POINTS = 0.5  # screen px to PDF points: a 960 x 540 pt page, PowerPoint's 16:9
FOOTER = 28.0  # map units at the bottom of a page, for the footer
COLUMNS_X = LANES.right + 6  # where a page's columns start, in map units
STUB = 28.0  # map units of a curve's line drawn past a page's first and last column centres
# No clock and no random id: the same journey gives the same bytes.
CREATED = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
FILE_ID = "<4A4D4150>"  # "JMAP"


def render(view: JourneyView, context: RenderContext) -> bytes:
    return deck(view, context.palette)


def deck(view: JourneyView, palette: Palette) -> bytes:
    from fpdf import FPDF  # only when a PDF is made: importing it takes ~0.5 s

    width, height = SCREEN[0] / SCALE, SCREEN[1] / SCALE  # the page in map units
    drawing = layout(view)
    headers = _Headers(view, drawing)
    pages = slices(drawing, width - MARGIN - COLUMNS_X, height - MARGIN - FOOTER, headers.fit)

    class Deck(FPDF):
        def file_id(self) -> str:
            return FILE_ID + FILE_ID

    pdf = Deck(unit="pt", format=(SCREEN[0] * POINTS, SCREEN[1] * POINTS))
    pdf.set_creation_date(CREATED)
    pdf.set_producer("jmap")
    pdf.set_creator("jmap")
    pdf.set_title(view.journey.title)
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    first = overview(view, width, height - FOOTER)
    needs = uncovered(svg(drawing, view.journey.id) + svg(first, view.journey.id))
    draw = _Drawer(pdf, view.journey.id, palette, add_fonts(pdf, needs))
    total = 1 + len(pages)
    pdf.add_page()
    draw.place(first, Box(0, 0, width, height - FOOTER), 0, 0)
    draw.footer(view.journey.title, 1, total)
    for number, page in enumerate(pages, start=2):
        pdf.add_page()
        _map_page(draw, headers.restaged(drawing, page), page)
        draw.footer(view.journey.title, number, total)
    return bytes(pdf.output())


class _Headers:
    """The header of a stage cut across pages: on each page, laid out for the columns shown
    there; the first piece has the stage's name and goals, the others its name with "(cont.)"."""

    def __init__(self, view: JourneyView, drawing: GridMap) -> None:
        self.stages = Columns.of(view).stages
        _, self.top, bottom = next(row for row in drawing.rows if row[0] == "stage")
        self.height = bottom - self.top

    def header(self, part: Part) -> Cell:
        stage, _, _ = self.stages[part.stage]
        if part.continued:
            shown = stage.stage.model_copy(
                update={
                    "name": i18n._("{stage} (cont.)").format(stage=stage.stage.name),
                    "description": None,
                    "customer_goal": None,
                    "business_goal": None,
                }
            )
            stage = dataclasses.replace(stage, stage=shown)
        return stage_header(stage, part.stage + 1, part.left, part.width)

    def fit(self, part: Part) -> bool:
        return self.header(part).height <= self.height

    def restaged(self, drawing: GridMap, page: Slice) -> GridMap:
        """`drawing` with the header of each stage the page shows a piece of laid out for it."""
        cut = {
            self.stages[part.stage][0].stage.id: part
            for part in page.parts
            if part.count < self.stages[part.stage][2]
        }
        if not cut:
            return drawing

        def visit(group: Group) -> Group:
            part = cut.get(group.data_id or "") if group.css == "stage" else None
            if part is None:
                return dataclasses.replace(
                    group,
                    items=[
                        visit(item) if isinstance(item, Group) else item for item in group.items
                    ],
                )
            tint = group.items[0]  # the stage's band, from the stage row to the grid's bottom
            assert isinstance(tint, Rect)
            band = dataclasses.replace(tint, box=Box(part.left, tint.box.y, part.width, tint.box.h))
            items: list[Shape | Group] = [band]
            items.extend(shifted(item, self.top) for item in self.header(part).items)
            return dataclasses.replace(group, items=items, frame=band.box)

        return dataclasses.replace(drawing, layers=[visit(layer) for layer in drawing.layers])


def _map_page(draw: _Drawer, drawing: GridMap, page: Slice) -> None:
    """The lane headers of the page's rows at the left, its stages' columns beside them. The
    emotion curves' lines are clipped to the page's first and last columns and a STUB past
    them, which reads as "goes on" where a curve continues on the next page."""
    first, last = page.parts[0].first, page.parts[-1].first + page.parts[-1].count - 1
    left = Columns.x(first) + COLUMN / 2 - STUB
    right = Columns.x(last) + COLUMN / 2 + STUB
    y = MARGIN
    for strip in page.strips:
        lanes = Box(LANES.x, strip.top, LANES.w, strip.height)
        draw.place(crop(drawing, lanes), lanes, MARGIN, y)
        window = Box(page.left, strip.top, page.width, strip.height)
        rest, lines, curves = _curve_lines(crop(drawing, window))
        draw.place(rest, window, COLUMNS_X, y)
        if lines is not None and curves is not None:
            span = Box(left, strip.top, right - left, strip.height)
            draw.place(lines, window, COLUMNS_X, y, span)
            draw.place(curves, window, COLUMNS_X, y)
        y += strip.height


def _curve_lines(drawing: GridMap) -> tuple[GridMap, GridMap | None, GridMap | None]:
    """`drawing` without its emotion curves; the curves' lines; the rest of the curves (their
    markers and labels, drawn over the lines)."""
    lines: list[Group] = []
    curves: list[Group] = []

    def visit(group: Group) -> Group:
        kept: list[Shape | Group] = []
        for item in group.items:
            if isinstance(item, Group) and item.css == "curve":
                line: list[Shape | Group] = [
                    part for part in item.items if isinstance(part, Path) and "jm-line" in part.css
                ]
                lines.append(dataclasses.replace(item, items=line))
                others = [part for part in item.items if part not in line]
                curves.append(dataclasses.replace(item, items=others))
            elif isinstance(item, Group):
                kept.append(visit(item))
            else:
                kept.append(item)
        return dataclasses.replace(group, items=kept)

    rest = dataclasses.replace(drawing, layers=[visit(layer) for layer in drawing.layers])
    if not curves:
        return rest, None, None
    return (
        rest,
        dataclasses.replace(drawing, layers=[Group(items=list(lines))]),
        dataclasses.replace(drawing, layers=[Group(items=list(curves))]),
    )


@dataclasses.dataclass
class _Drawer:
    """Draws on the deck's pages in the palette's colours (jmap's, or a theme's)."""

    pdf: FPDF
    journey_id: str
    palette: Palette
    fonts: Coverage

    def place(
        self, drawing: GridMap, window: Box, x: float, y: float, clip: Box | None = None
    ) -> None:
        """Draw `window` of `drawing` with its top left at (x, y) map units on the page,
        clipped to the window (or to `clip`, a part of it), each character in a font that
        has it."""
        from fpdf.drawing_primitives import Transform
        from fpdf.svg import SVGObject

        scale = SCALE * POINTS
        picture = SVGObject(svg(drawing, self.journey_id, self.palette))
        _, _, paths = picture.transform_to_rect_viewport(1, drawing.width, drawing.height)
        split_runs(paths, self.fonts)
        paths.transform = (
            Transform.translation(-window.x, -window.y)
            @ Transform.scaling(scale)
            @ Transform.translation(x * scale, y * scale)
        )
        shown = window if clip is None else clip
        left, top = x + shown.x - window.x, y + shown.y - window.y
        with self.pdf.rect_clip(left * scale, top * scale, shown.w * scale, shown.h * scale):
            self.pdf.draw_path(paths)

    def footer(self, title: str, number: int, total: int) -> None:
        """The journey's title at the left, n/N at the right and a theme's logo before it."""
        pdf, fonts, scale = self.pdf, self.fonts, SCALE * POINTS
        size = CAPTION * scale
        bottom = (SCREEN[1] * POINTS) - (FOOTER / 2 - CAPTION / 2) * scale
        pdf.set_font(FONT_FAMILY, "", size)
        pdf.set_text_color(*_rgb(self.palette.GRID.muted))
        x = MARGIN * scale
        for family, text in pieces(title, fonts):
            pdf.set_font(family or FONT_FAMILY, "", size)
            pdf.text(x, bottom, text)
            x += pdf.get_string_width(text)
        pdf.set_font(FONT_FAMILY, "", size)
        count = f"{number}/{total}"
        right = SCREEN[0] * POINTS - MARGIN * scale - pdf.get_string_width(count)
        pdf.text(right, bottom, count)
        logo = self.palette.LOGO
        if logo is not None:
            import io

            # As tall as the footer leaves room for, at the logo's own proportions.
            high = (FOOTER - 8) * scale
            wide = high * logo.width / logo.height
            top = SCREEN[1] * POINTS - (FOOTER - 4) * scale
            pdf.image(io.BytesIO(logo.data), right - wide - MARGIN * scale, top, wide, high)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# fpdf2 says on its log what of an SVG it does not draw (the maps' <title> and <desc>, which
# are for screen readers, so the deck needs neither) and which characters its fonts lack (what
# docs/output.md says of CJK and emoji); a build's output stays jmap's own.
logging.getLogger("fpdf").setLevel(logging.ERROR)
