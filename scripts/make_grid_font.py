"""Make the font the SVG map is drawn and measured in: `python scripts/make_grid_font.py`.

Reads Inter (OFL-1.1) from Debian's `fonts-inter` and writes, into src/jmap/render/grid/fonts:
a small Latin subset of its regular and bold weights as WOFF2, which every SVG map embeds; the
same subset as TrueType (`inter-*.ttf`, quadratic outlines, family "jmap Inter"), which the PNG
and PDF renderers draw with (resvg reads no WOFF2 and no @font-face; PDF embeds TrueType best);
and `metrics.json`, the advance width of each character in them, which jmap measures text with.
Needs the dev tools fontTools and brotli (`pip install fonttools brotli`); jmap itself reads
only the files written here.

It also writes the fallback fonts the PNG and PDF draw what Inter lacks with, so that a map in
any of these scripts is drawn the same on every machine, with no system font (`fallback-*.ttf`,
each with its licence beside it; render/grid/text.py FALLBACKS lists them in the order they are
tried):
- `fallback-cjk.ttf`, "jmap CJK": Droid Sans Fallback (Apache-2.0), Chinese and Japanese,
  from Debian's `fonts-droid-fallback`;
- `fallback-hangul.ttf`, "jmap Hangul": the Hangul of NanumSquare (OFL-1.1), Korean, from
  Debian's `fonts-nanum` (`apt-get download fonts-nanum && dpkg-deb -x fonts-nanum_*.deb DIR`,
  then JMAP_NANUM=DIR/usr/share/fonts/truetype/nanum);
- `fallback-emoji.ttf`, "jmap Emoji": Noto Emoji (OFL-1.1, monochrome) at weight 400, from the
  `manimgx-fonts` wheel (`pip download --no-deps manimgx-fonts==2026.9.26.post1`, unzip it,
  then JMAP_NOTO_EMOJI=DIR/manimgx_fonts).
Each keeps its own advance widths, which render/grid/text.py's fallback measures are at least.

The subset drops the layout tables (kerning, ligatures, contextual alternates): a browser then
draws each character at exactly its advance width, so a line is as wide as the sum jmap adds up.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.varLib import instancer

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
    for fallback in FALLBACKS:
        _fallback(fallback)


@dataclass(frozen=True)
class Fallback:
    name: str  # fallback-<name>.ttf
    family: str  # a name of jmap's own (the OFL reserves the Nanum names for unmodified fonts)
    source: Path
    licences: tuple[Path, ...]  # the source's notice, then the licence's full text
    ranges: list[tuple[int, int]] | None  # None: every character the source has
    layout: bool  # keep GSUB: emoji sequences (resvg shapes them into one glyph)


_NANUM = Path(os.environ.get("JMAP_NANUM", "/usr/share/fonts/truetype/nanum"))
_NOTO_EMOJI = Path(os.environ.get("JMAP_NOTO_EMOJI", "manimgx_fonts"))
FALLBACKS = [
    Fallback(
        "cjk",
        "jmap CJK",
        Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
        (
            Path("/usr/share/doc/fonts-droid-fallback/copyright"),
            Path("/usr/share/common-licenses/Apache-2.0"),
        ),
        None,
        False,
    ),
    Fallback(
        "hangul",
        "jmap Hangul",
        _NANUM / "NanumSquareR.ttf",
        (_NANUM.parent.parent.parent / "doc" / "fonts-nanum" / "copyright",),
        [(0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7A3)],
        False,
    ),
    Fallback(
        "emoji",
        "jmap Emoji",
        _NOTO_EMOJI / "NotoEmoji[wght].ttf",
        (_NOTO_EMOJI.parent / "manimgx_fonts-2026.9.26.post1.dist-info" / "licenses" / "LICENSE",),
        None,
        True,
    ),
]


def _fallback(fallback: Fallback) -> None:
    font = TTFont(fallback.source, recalcTimestamp=False)
    if "fvar" in font:
        font = instancer.instantiateVariableFont(font, {"wght": 400})
    cmap = font.getBestCmap()
    wanted = [
        code
        for code in sorted(cmap)
        if fallback.ranges is None or any(low <= code <= high for low, high in fallback.ranges)
    ]
    options = subset.Options()
    options.layout_features = ["*"] if fallback.layout else []
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    _rename(font, fallback.family, "Regular")
    out = TARGET / f"fallback-{fallback.name}.ttf"
    font.save(out, reorderTables=True)
    licence = "\n\n".join(path.read_text("utf-8") for path in fallback.licences)
    (TARGET / f"fallback-{fallback.name}.LICENSE.txt").write_text(
        f"fallback-{fallback.name}.ttf is {fallback.source.name}, subset by"
        " scripts/make_grid_font.py (hinting and unused tables dropped, renamed"
        f' "{fallback.family}").\n\n{licence}',
        "utf-8",
    )
    print(f"{out.name}: {out.stat().st_size} bytes, {len(font.getBestCmap())} characters")


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
    _rename(font, FAMILY, style)
    return font


def _rename(font: TTFont, family: str, style: str) -> None:
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID in (2, 17):
            record.string = style
        elif record.nameID == 4:
            record.string = f"{family} {style}"
        elif record.nameID == 6:
            record.string = f"{family.replace(' ', '')}-{style}"


if __name__ == "__main__":
    main()
