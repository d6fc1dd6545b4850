"""Text measured in the font it is drawn in, and wrapped to a width.

The map is drawn in a Latin subset of Inter that every SVG embeds (fonts/, made by
scripts/make_grid_font.py). A character of that subset is measured by its advance width from
`fonts/metrics.json`; the subset has no kerning or ligatures, so a browser draws a line exactly
as wide as the sum. Any other character is drawn by whatever font the reader's system falls back
to, so it is measured generously: a CJK or other wide character as 1 em (what CJK fonts give
it), an emoji as 1.3 em (Noto Color Emoji's advance is 1.245 em), anything else as 1 em, wider
than any Latin, Greek, Cyrillic or Arabic letter.

Why a table and not fontTools at run time: reading the JSON table takes about 1 ms once per
process; importing fontTools and opening the font takes about 60 ms.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Literal

Weight = Literal["regular", "bold"]
WEIGHTS: tuple[Weight, ...] = ("regular", "bold")

FONT_FAMILY = "jmap Inter"  # a name of its own, so a system's Inter is never taken for it
FONTS = "jmap.render.grid.fonts"
WIDE_EM = 1.0
EMOJI_EM = 1.3
OTHER_EM = 1.0
# Characters that join the one before them: combining marks, variation selectors, the
# zero-width joiner (and what follows it, in an emoji sequence).
_ZWJ = "\u200d"


@dataclass(frozen=True)
class Metrics:
    units_per_em: int
    ascent: float  # in em
    descent: float  # in em, positive
    advances: dict[Weight, dict[str, float]]  # in em


@functools.cache
def metrics() -> Metrics:
    table = json.loads(resources.files(FONTS).joinpath("metrics.json").read_text("utf-8"))
    upm = table["units_per_em"]
    advances: dict[Weight, dict[str, float]] = {
        weight: {
            char: width / upm
            for char, width in zip(table[weight]["chars"], table[weight]["advances"], strict=True)
        }
        for weight in ("regular", "bold")
    }
    return Metrics(upm, table["ascent"] / upm, table["descent"] / upm, advances)


@functools.cache
def font_data(weight: Weight) -> bytes:
    return resources.files(FONTS).joinpath(f"inter-{weight}.woff2").read_bytes()


@functools.cache
def font_faces() -> tuple[str, ...]:
    """The CSS @font-face rules that embed the font, regular and bold, in an SVG."""
    return tuple(
        f'@font-face{{font-family:"{FONT_FAMILY}";font-weight:{number};'
        f"src:url(data:font/woff2;base64,{base64.b64encode(font_data(weight)).decode('ascii')})"
        ' format("woff2")}'
        for weight, number in (("regular", 400), ("bold", 700))
    )


def truetype_files() -> list[str]:
    """The same fonts as TrueType files named FONT_FAMILY, for the PNG and PDF renderers
    (which read fonts from paths; jmap is installed as files, so these are real paths)."""
    return [str(resources.files(FONTS).joinpath(f"inter-{weight}.ttf")) for weight in WEIGHTS]


def uncovered(text: str) -> set[str]:
    """The characters of `text` the map's own font lacks (white space aside): a renderer that
    draws with that font alone would leave them out."""
    table = metrics().advances["regular"]
    return {char for char in set(text) if char not in table and not char.isspace()}


def _fallback_em(char: str) -> float:
    if _joins(char):
        return 0.0
    code = ord(char)
    if code >= 0x1F000 or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF:
        return EMOJI_EM
    if unicodedata.east_asian_width(char) in "WF":
        return WIDE_EM
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return 0.0
    return OTHER_EM


def _joins(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me")
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag characters of flag sequences
        or char == _ZWJ
    )


def width(text: str, size: float, weight: Weight = "regular") -> float:
    """How wide `text` is drawn at `size` px, or a little wider where the font falls back."""
    table = metrics().advances[weight]
    total = 0.0
    for char in text:
        advance = table.get(char)
        total += advance if advance is not None else _fallback_em(char)
    return total * size


def clusters(text: str) -> list[str]:
    """The text cut into what must stay together on a line: a character with its accents, an
    emoji with its modifiers and the emoji it is joined to."""
    found: list[str] = []
    for char in text:
        if found and (_joins(char) or found[-1].endswith(_ZWJ)):
            found[-1] += char
        else:
            found.append(char)
    return found


def _breaks_anywhere(cluster: str) -> bool:
    """CJK and emoji may break before and after any character, with no space."""
    return (
        _fallback_em(cluster[0]) in (WIDE_EM, EMOJI_EM)
        and cluster[0] not in (metrics().advances["regular"])
    )


def wrap(text: str, limit: float, size: float, weight: Weight = "regular") -> list[str]:
    """Lines of `text` each at most `limit` px wide: at spaces where it can, between CJK
    characters, and within a word too long for a line. Nothing is cut; runs of white space
    become one space, as the SVG shows them."""
    lines: list[str] = []
    current, used = "", 0.0
    space = width(" ", size, weight)
    for token, spaced in _tokens(text):
        gap = space if current and spaced else 0.0
        needed = width(token, size, weight)
        if used + gap + needed <= limit:
            current += (" " if gap else "") + token
            used += gap + needed
            continue
        if current:
            lines.append(current)
        current, used = "", 0.0
        if needed <= limit:
            current, used = token, needed
            continue
        # A word wider than a line, in pieces.
        for cluster in clusters(token):
            step = width(cluster, size, weight)
            if current and used + step > limit:
                lines.append(current)
                current, used = "", 0.0
            current += cluster
            used += step
    if current:
        lines.append(current)
    return lines or [""]


_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
# Kinsoku, the basic rules of Japanese line breaking (JIS X 4051): a line does not start with
# closing punctuation, an iteration mark or a small kana, and does not end with an opening
# bracket. The same holds for the Chinese full-width forms among them.
_NO_LINE_START = frozenset(
    "。、，．・：；！？"  # punctuation
    "」』）】〉》〕｝"  # closing brackets
    "ー々"  # the prolonged sound mark, the iteration mark
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ"  # small kana
)
_NO_LINE_END = frozenset("「『（【〈《〔｛")


def _tokens(text: str) -> list[tuple[str, bool]]:
    """What a line may break between, each with whether a space comes before it: the words,
    and each CJK or emoji character on its own (no space sits between them)."""
    tokens: list[tuple[str, bool]] = []
    latin = metrics().advances["regular"]
    # Split at breaking spaces only: a no-break space (U+00A0) keeps what it joins on one line.
    for part in _BREAKING_SPACE.split(text):
        if not part:
            continue
        if all(char in latin for char in part):
            tokens.append((part, True))  # the common case: a word of the map's own font
            continue
        spaced = True
        piece = ""
        for cluster in clusters(part):
            if _breaks_anywhere(cluster):
                if piece:
                    tokens.append((piece, spaced))
                    spaced = False
                tokens.append((cluster, spaced))
                spaced = False
                piece = ""
            else:
                piece += cluster
        if piece:
            tokens.append((piece, spaced))
    return _kinsoku(tokens)


def _kinsoku(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """The tokens with what may not start or end a line joined to its neighbour."""
    joined: list[tuple[str, bool]] = []
    for token, spaced in tokens:
        if (
            joined
            and not spaced
            and (token[0] in _NO_LINE_START or joined[-1][0][-1] in _NO_LINE_END)
        ):
            before, before_spaced = joined.pop()
            joined.append((before + token, before_spaced))
        else:
            joined.append((token, spaced))
    return joined
