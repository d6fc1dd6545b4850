"""Make the font the SVG map is drawn and measured in: `python scripts/make_grid_font.py`.

Reads Inter (OFL-1.1) from Debian's `fonts-inter` and writes, into src/jmap/render/grid/fonts:
a small Latin subset of its regular and bold weights as WOFF2, which every SVG map embeds; the
same subset as TrueType (`inter-*.ttf`, quadratic outlines, family "jmap Inter"), which the PNG
and PDF renderers draw with (resvg reads no WOFF2 and no @font-face; PDF embeds TrueType best);
and `metrics.json`, the advance width of each character in them, which jmap measures text with.
Needs the dev tools fontTools and brotli (`pip install fonttools brotli`); jmap itself reads
only the files written here.

The subset drops the layout tables (kerning, ligatures, contextual alternates): a browser then
draws each character at exactly its advance width, so a line is as wide as the sum jmap adds up.
"""

from __future__ import annotations

import json
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/inter")
LICENCE = Path("/usr/share/doc/fonts-inter/copyright")
TARGET = Path(__file__).resolve().parent.parent / "src" / "jmap" / "render" / "grid" / "fonts"
WEIGHTS = {"regular": "Inter-Regular.otf", "bold": "Inter-Bold.otf"}
FAMILY = "jmap Inter"  # text.FONT_FAMILY: the name the SVG's font-family asks for
MAX_ERROR = 1.0  # font units: how far a quadratic outline may stray from Inter's cubic one
# Latin with its accents, the usual punctuation, and the symbols the map draws itself.
RANGES = [
    (0x20, 0x7E),
    (0xA0, 0x17F),
    (0x2010, 0x2027),
    (0x2030, 0x203A),
    (0x20AC, 0x20AC),
    (0x2122, 0x2122),
    (0x2190, 0x2193),
    (0x2212, 0x2212),
    (0x25A0, 0x25A0),
    (0x25B2, 0x25B2),
    (0x25BC, 0x25BC),
    (0x25C6, 0x25C6),
    (0x25CF, 0x25CF),
]


def main() -> None:
    wanted = [code for low, high in RANGES for code in range(low, high + 1)]
    table: dict[str, object] = {}
    for weight, file_name in WEIGHTS.items():
        # The source's own timestamps, not today's: the same source gives the same bytes.
        font = TTFont(SOURCE / file_name, recalcTimestamp=False)
        options = subset.Options()
        options.layout_features = []
        options.hinting = False
        options.desubroutinize = True
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
        options.flavor = "woff2"
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        out = TARGET / f"inter-{weight}.woff2"
        font.flavor = "woff2"
        font.save(out, reorderTables=True)
        cmap = font.getBestCmap()
        table["units_per_em"] = font["head"].unitsPerEm
        table["ascent"] = font["hhea"].ascent
        table["descent"] = -font["hhea"].descent
        table[weight] = {
            "chars": "".join(chr(code) for code in sorted(cmap)),
            "advances": [font["hmtx"][cmap[code]][0] for code in sorted(cmap)],
        }
        print(f"{out.name}: {out.stat().st_size} bytes, {len(cmap)} characters")
        truetype = TARGET / f"inter-{weight}.ttf"
        _truetype(font, weight.capitalize()).save(truetype, reorderTables=True)
        print(f"{truetype.name}: {truetype.stat().st_size} bytes")
    (TARGET / "metrics.json").write_text(json.dumps(table, ensure_ascii=False) + "\n", "utf-8")
    (TARGET / "OFL.txt").write_text(LICENCE.read_text("utf-8"), "utf-8")


def _truetype(font: TTFont, style: str) -> TTFont:
    """The subset with TrueType (quadratic) outlines and the family name jmap draws with; the
    advance widths, and so metrics.json, stay the same."""
    font.flavor = None
    glyphs = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    font.sfntVersion = "\x00\x01\x00\x00"
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (2, 17):
            record.string = style
        elif record.nameID == 4:
            record.string = f"{FAMILY} {style}"
        elif record.nameID == 6:
            record.string = f"{FAMILY.replace(' ', '')}-{style}"
    return font


if __name__ == "__main__":
    main()
