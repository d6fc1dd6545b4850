"""The fonts jmap draws with, as package data (scripts/make_grid_font.py makes them).

The map's own font, Inter, is a Latin subset every SVG embeds. The PNG and PDF draw what it
lacks with fallback fonts shipped here too, so that neither ever reads a system font and a
journey gives the same bytes on every machine. They are tried in this order:
- "jmap CJK", Droid Sans Fallback (Apache-2.0): Chinese and Japanese, 28,601 characters,
  4.0 MB (2.1 MB in the wheel);
- "jmap Hangul", the Hangul of NanumSquare (OFL-1.1): Korean, 11,266 characters, 0.5 MB;
- "jmap Emoji", Noto Emoji (OFL-1.1), monochrome at weight 400: 1,489 characters, 0.9 MB.
Each font's licence is beside it (fallback-*.LICENSE.txt). Their advance widths are never more
than what render/grid/text.py measures such characters at (1 em for CJK and Hangul, 1.3 em for
an emoji), so text wrapped for the SVG fits where the PNG and PDF draw it.
"""

from __future__ import annotations

from importlib import resources

FALLBACKS: tuple[tuple[str, str], ...] = (
    ("jmap CJK", "fallback-cjk.ttf"),
    ("jmap Hangul", "fallback-hangul.ttf"),
    ("jmap Emoji", "fallback-emoji.ttf"),
)


def fallback_files() -> list[tuple[str, str]]:
    """Each fallback font's family and path, in the order they are tried (jmap is installed as
    files, so these are real paths)."""
    return [(family, str(resources.files(__name__).joinpath(name))) for family, name in FALLBACKS]
