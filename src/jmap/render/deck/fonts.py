"""The deck's fonts: the map's own (Inter) and, for what it lacks, jmap's fallback fonts.

fpdf2 draws each run of an SVG's text in one font and leaves out the characters that font
lacks (it has fallback fonts for its own text calls, not for an SVG's). So the deck cuts each
run where its characters need another font: a CJK character is drawn in "jmap CJK", an emoji in
"jmap Emoji", each as a run of its own that starts where the one before it ends, as fpdf2 lays
runs out with each font's own advance widths. fpdf2 embeds each font as a subset of the
characters drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jmap.render.grid.fonts import fallback_files
from jmap.render.grid.text import FONT_FAMILY, metrics, truetype_files

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.drawing import GraphicsContext, TextRun

Coverage = list[tuple[str, frozenset[int]]]  # fallback families, each with what it draws


def add_fonts(pdf: FPDF, needs: set[str]) -> Coverage:
    """Register the map's font, and the fallback fonts that draw any of `needs` (the characters
    the map's font lacks); their coverage, in the order they are tried."""
    regular, bold = truetype_files()
    pdf.add_font(FONT_FAMILY, "", regular)
    pdf.add_font(FONT_FAMILY, "B", bold)
    coverage: Coverage = []
    if not needs:
        return coverage  # the common case: reading the fallbacks' tables would take ~0.2 s
    wanted = {ord(char) for char in needs}
    for family, path in fallback_files():
        from fpdf.fonts import TTFFont

        pdf.add_font(family, "", path)
        font = pdf.fonts[family.lower()]
        assert isinstance(font, TTFFont)
        codes = frozenset(font.cmap)
        if codes & wanted:
            coverage.append((family, codes))
            wanted -= codes
    return coverage


def split_runs(context: GraphicsContext, coverage: Coverage) -> None:
    """Cut every text run under `context` into runs each drawn by a font that has its
    characters (fpdf2's parsed SVG: graphics contexts, painted paths, and Text items)."""
    from fpdf.drawing import GraphicsContext, PaintedPath, Text

    if not coverage:
        return
    for index, item in enumerate(context.path_items):
        if isinstance(item, Text):
            runs = tuple(piece for run in item.text_runs for piece in _split(run, coverage))
            context.path_items[index] = item._replace(text_runs=runs)
        elif isinstance(item, GraphicsContext):
            split_runs(item, coverage)
        elif isinstance(item, PaintedPath):
            # fpdf2 (pinned) keeps a path's items, its text among them, in this context.
            split_runs(item._graphics_context, coverage)


def pieces(text: str, coverage: Coverage) -> list[tuple[str | None, str]]:
    """`text` cut where its characters need another font: each piece with its fallback family,
    or None for the map's own font."""
    own = metrics().advances["regular"]
    found: list[tuple[str | None, str]] = []
    for char in text:
        family = _family(char, own, coverage)
        if found and (family == found[-1][0] or family == ""):
            found[-1] = (found[-1][0], found[-1][1] + char)
        else:
            found.append((family or None, char))
    return found


def _split(run: TextRun, coverage: Coverage) -> list[TextRun]:
    pieces_ = pieces(run.text, coverage)
    if len(pieces_) <= 1 and (not pieces_ or pieces_[0][0] is None):
        return [run]
    split = []
    for number, (family, text) in enumerate(pieces_):
        part = run._replace(text=text)
        if family is not None:
            part = part._replace(family=family, emphasis="")  # the fallbacks have one weight
        if number:  # it goes on where the piece before it ends
            part = part._replace(dx=0.0, dy=0.0, abs_x=None, abs_y=None)
        split.append(part)
    return split


def _family(char: str, own: dict[str, float], coverage: Coverage) -> str | None:
    """The fallback family that draws `char`; None for the map's own font; "" for a character
    that goes with the one before it (a joiner, a variation selector: no width). A space is
    the map's own, as wide as the map measured it (an emoji font's is 1.27 em)."""
    if char in own or char.isspace():
        return None
    code = ord(char)
    if code == 0x200D or 0xFE00 <= code <= 0xFE0F:
        return ""
    if code == 0x20E3 or 0x1F3FB <= code <= 0x1F3FF:
        # A keycap or skin tone modifies the emoji before it: a renderer that shapes text draws
        # the two as one glyph, which is how the map measures them. fpdf2 does not shape an
        # SVG's text and would draw it as a glyph of its own, past the width the text was
        # wrapped to; so it is left to the map's font, which draws nothing for it.
        return None
    for family, codes in coverage:
        if code in codes:
            return family
    return None
