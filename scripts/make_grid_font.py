"""Make the font the SVG map is drawn and measured in: `python scripts/make_grid_font.py`.

Reads Inter (OFL-1.1) from Debian's `fonts-inter` and writes, into src/jmap/render/grid/fonts:
a small Latin subset of its regular and bold weights as WOFF2, which every SVG map embeds, and
`metrics.json`, the advance width of each character in them, which jmap measures text with.
Needs the dev tools fontTools and brotli (`pip install fonttools brotli`); jmap itself reads
only the files written here.

The subset drops the layout tables (kerning, ligatures, contextual alternates): a browser then
draws each character at exactly its advance width, so a line is as wide as the sum jmap adds up.
"""

from __future__ import annotations

import json
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/opentype/inter")
LICENCE = Path("/usr/share/doc/fonts-inter/copyright")
TARGET = Path(__file__).resolve().parent.parent / "src" / "jmap" / "render" / "grid" / "fonts"
WEIGHTS = {"regular": "Inter-Regular.otf", "bold": "Inter-Bold.otf"}
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
    (TARGET / "metrics.json").write_text(json.dumps(table, ensure_ascii=False) + "\n", "utf-8")
    (TARGET / "OFL.txt").write_text(LICENCE.read_text("utf-8"), "utf-8")


if __name__ == "__main__":
    main()
