"""A team's theme: `[tool.jmap.theme]` in the project configuration, or `jmap build --theme
FILE` (a TOML file with the same keys at its top).

A theme changes entries of `jmap.palette` (the accent, the text colour, the stages' colours),
the HTML pages' font and adds a logo; `palette_for` makes the `Palette` every renderer then
reads from its render context. What it may not change, and why:
- the emotion and severity colours: they were chosen to stay apart for colour-blind readers
  (palette.EMOTIONS), and every output's legend relies on them;
- the backgrounds (paper, page, cards): the emotion and severity swatches are checked against
  them;
- the SVG, PNG and PDF font: the grid map is laid out in the metrics of the font it embeds
  (render/grid/text), so another font would overflow its cards. The theme's font is the HTML
  pages' (map and portfolio) only.
Every text keeps WCAG AA contrast on what it is written on, in the light scheme and in the dark
one derived from the theme (`_dark`): a theme that breaks it is refused, naming the two
colours, at the line of the key that set one of them.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
import re
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jmap import palette as default
from jmap.config import ConfigError, key_line, read_toml
from jmap.palette import Band, Logo, Palette

KEYS = ("accent", "text", "stages", "stage_tints", "font", "logo")
SLOTS = 6  # the stage colours the maps cycle through (band-1 to band-6)
LOGO_BYTES = 200 * 1024
LOGO_HEIGHT = 40.0  # a logo's height in the SVG map, in its units (px at 1x)
LOGO_WIDEST = 240.0  # and its widest: a wide logo is drawn lower
BODY_TEXT = 4.5  # WCAG AA contrast for body text; every text jmap writes on a fill is body
# size, but for the map's title, which its accent colours (28 px bold: large text).
LARGE_TEXT = 3.0
UI_PART = 3.0  # WCAG's non-text contrast: a dark-mode stage band against the page
TINT = 0.12  # a stage's tint, where the theme gives none: its colour, 12 % over white
DARK_TINT = 0.22  # in the dark scheme: 22 % over the dark surface

_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_FONT = re.compile(r"""[A-Za-z0-9 ,'"_.-]{1,200}""")
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Brand:
    """A theme as written: colours as #rrggbb, None (or empty) where jmap's own stay."""

    accent: str | None = None
    text: str | None = None
    stages: tuple[str, ...] = ()
    stage_tints: tuple[str, ...] = ()
    font: str | None = None
    logo: Logo | None = None


def read_theme_file(path: Path) -> Brand:
    """`--theme FILE`: a TOML file with the keys of [tool.jmap.theme] at its top."""
    try:
        text, document = read_toml(path)
    except OSError as error:
        raise ConfigError(f"{path}: error: cannot read the theme: {error.strerror}") from None
    return parse_theme(path, text, document, ())


def parse_theme(file: Path, text: str, table: Any, where: tuple[str, ...]) -> Brand:
    """The theme in `table`, written in `file` (its `text`) under the keys `where`: checked
    value by value, then as a whole for contrast."""
    place = _Place(file, text, where)
    if not isinstance(table, dict):
        raise place.error(None, "theme must be a table: [tool.jmap.theme] or [theme]")
    for key in table:
        if key not in KEYS:
            from jmap.errors import did_you_mean

            hint = did_you_mean(key, KEYS) or f"; known keys: {', '.join(KEYS)}"
            raise place.error(key, f"unknown theme key '{key}'{hint}", at_value=False)
    values: dict[str, Any] = {}
    for key in ("accent", "text"):
        if key in table:
            values[key] = _colour(place, key, table[key])
    for key in ("stages", "stage_tints"):
        if key in table:
            written = table[key]
            if not isinstance(written, list) or not 1 <= len(written) <= SLOTS:
                raise place.error(
                    key,
                    f'theme.{key} must be a list of 1 to {SLOTS} colours, such as ["#0f766e",'
                    ' "#4f46e5"]; the maps cycle through them',
                )
            values[key] = tuple(_colour(place, key, item, n) for n, item in enumerate(written))
    if "font" in table:
        font = table["font"]
        if not isinstance(font, str) or not _FONT.fullmatch(font.strip()):
            raise place.error(
                "font",
                'theme.font must be a CSS font-family list, such as "Source Sans 3, Arial,'
                ' sans-serif" (letters, digits, spaces, commas, quotes and hyphens)',
            )
        values["font"] = _css_font(font)
    if "logo" in table:
        values["logo"] = _logo(place, table["logo"])
    brand = Brand(**values)
    _check_contrast(place, brand)
    return brand


@functools.cache
def palette_for(brand: Brand | None) -> Palette:
    """The palette a build with `brand` draws with: one object per theme, so caches keyed by
    it (the SVG stylesheet) keep one entry per theme."""
    if brand is None:
        return default.DEFAULT
    light_stages = _stages(brand)
    light = dataclasses.replace(
        default.LIGHT,
        ink=brand.text or default.LIGHT.ink,
        accent=brand.accent or default.LIGHT.accent,
        focus=brand.accent or default.LIGHT.focus,
        stages=light_stages,
    )
    grid = dataclasses.replace(
        default.GRID, ink=brand.text or default.GRID.ink, stages=light_stages
    )
    return Palette(
        LIGHT=light,
        DARK=_dark(brand, light_stages),
        GRID=grid,
        FLOW=default.FLOW,
        EMOTIONS=default.EMOTIONS,
        SEVERITY_EDGES=default.SEVERITY_EDGES,
        PAPER=default.PAPER,
        FONT=brand.font,
        LOGO=brand.logo,
        TITLE=brand.accent,
    )


def _stages(brand: Brand) -> tuple[Band, ...]:
    bands = brand.stages or tuple(stage.band for stage in default.LIGHT.stages)
    if brand.stage_tints:
        tints = brand.stage_tints
    elif brand.stages:
        tints = tuple(mix(band, "#ffffff", TINT) for band in bands)
    else:
        tints = tuple(stage.tint for stage in default.LIGHT.stages)
    return tuple(Band(bands[n % len(bands)], tints[n % len(tints)]) for n in range(SLOTS))


def _dark(brand: Brand, light_stages: tuple[Band, ...]) -> default.Theme:
    """The dark scheme follows the theme: each stage's colour, lightened until it stands out
    on the dark page, over a dark tint of it; the accent lightened until it reads as text on
    every dark background. The text colours stay the dark scheme's own: a brand's text colour
    is for light paper."""
    dark = default.DARK
    stages = dark.stages
    if brand.stages or brand.stage_tints:
        stages = tuple(
            Band(
                _lightened(stage.band, [dark.surface], UI_PART),
                mix(stage.band, dark.surface, DARK_TINT),
            )
            for stage in light_stages
        )
    accent = dark.accent
    if brand.accent:
        grounds = [dark.bg, dark.surface, dark.surface_2, *(stage.tint for stage in stages)]
        accent = _lightened(brand.accent, grounds, BODY_TEXT)
    return dataclasses.replace(dark, accent=accent, focus=accent, stages=stages)


def _lightened(colour: str, grounds: list[str], need: float) -> str:
    """`colour` mixed with white in steps of 5 %, the first that has `need` contrast on every
    one of `grounds` (white, at worst)."""
    for step in range(21):
        candidate = mix("#ffffff", colour, step / 20)
        if all(contrast(candidate, ground) >= need for ground in grounds):
            return candidate
    return "#ffffff"


# Colour arithmetic: WCAG 2's relative luminance and contrast ratio, and sRGB mixing.


def rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(2 * d for d in digits)
    red, green, blue = (int(digits[n : n + 2], 16) for n in (0, 2, 4))
    return red, green, blue


def mix(colour: str, under: str, amount: float) -> str:
    """`amount` of `colour` over `under`, like a translucent fill."""
    top, bottom = rgb(colour), rgb(under)
    channels = (round(t * amount + b * (1 - amount)) for t, b in zip(top, bottom, strict=True))
    return "#" + "".join(f"{c:02x}" for c in channels)


def luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Pair:
    """A text colour on a background that must keep `need` contrast; `key` is the theme key
    (and list index) a user changes to fix it."""

    ink_name: str
    ink: str
    ground_name: str
    ground: str
    need: float
    key: tuple[str, int | None]


def text_pairs(brand: Brand) -> list[Pair]:
    """Every text on every background the theme changes, light scheme first: what
    `parse_theme` checks (and tests check in the outputs)."""
    colours = palette_for(brand)
    light, dark, grid = colours.LIGHT, colours.DARK, colours.GRID
    text_key: tuple[str, int | None] | None = ("text", None) if brand.text else None
    accent_key: tuple[str, int | None] | None = ("accent", None) if brand.accent else None
    pairs: list[Pair] = []

    def add(
        ink_name: str, ink: str, ground_name: str, ground: str, need: float, *keys: Any
    ) -> None:
        key = next((k for k in keys if k is not None), None)
        if key is not None:  # else jmap's own colours, on jmap's own
            pairs.append(Pair(ink_name, ink, ground_name, ground, need, key))

    pages = [
        ("page background", light.bg),
        ("card", light.surface),
        ("panel", light.surface_2),
        ("lane header", grid.lane_header),
    ]
    for name, ground in pages:
        add("theme text", light.ink, name, ground, BODY_TEXT, text_key)
        add("theme accent", light.accent, name, ground, BODY_TEXT, accent_key)
    if colours.TITLE:
        add("map title", colours.TITLE, "map paper", grid.paper, LARGE_TEXT, accent_key)
    for n, stage in enumerate(light.stages):
        tint_key = _stage_key(brand, n, tints=True)
        tint = f"stage tint {n + 1}"
        add("theme text", light.ink, tint, stage.tint, BODY_TEXT, text_key, tint_key)
        add("muted text", light.muted, tint, stage.tint, BODY_TEXT, tint_key)
        add("theme accent", light.accent, tint, stage.tint, BODY_TEXT, accent_key, tint_key)
        band_key = _stage_key(brand, n, tints=False)
        stage_name = f"stage colour {n + 1}"
        add("stage name", grid.stage_ink, stage_name, stage.band, BODY_TEXT, band_key)
    for name, ground in [("page", dark.bg), ("card", dark.surface), ("panel", dark.surface_2)]:
        add("dark-mode accent", dark.accent, f"dark-mode {name}", ground, BODY_TEXT, accent_key)
    for n, stage in enumerate(dark.stages):
        tint_key = _stage_key(brand, n, tints=True)
        tint = f"dark-mode stage tint {n + 1}"
        add("dark-mode text", dark.ink, tint, stage.tint, BODY_TEXT, tint_key)
        add("dark-mode muted text", dark.muted, tint, stage.tint, BODY_TEXT, tint_key)
        add("dark-mode accent", dark.accent, tint, stage.tint, BODY_TEXT, accent_key, tint_key)
    return pairs


def _stage_key(brand: Brand, n: int, *, tints: bool) -> tuple[str, int | None] | None:
    """The key that set stage slot `n`'s tint (or band): the stage list cycles."""
    if tints and brand.stage_tints:
        return ("stage_tints", n % len(brand.stage_tints))
    if brand.stages:
        return ("stages", n % len(brand.stages))
    return None


def _check_contrast(place: _Place, brand: Brand) -> None:
    for pair in text_pairs(brand):
        ratio = contrast(pair.ink, pair.ground)
        if ratio < pair.need:
            shown = math.floor(ratio * 10) / 10  # 4.46 is not 4.5: never round up to a pass
            key, index = pair.key
            raise place.error(
                key,
                f"{pair.ink_name} {pair.ink} on {pair.ground_name} {pair.ground} has contrast"
                f" {shown:g}:1; WCAG AA needs {pair.need:g}:1: make one of them lighter or"
                " darker",
                index,
            )


def _colour(place: _Place, key: str, value: Any, index: int | None = None) -> str:
    if not isinstance(value, str) or not _COLOUR.fullmatch(value.strip()):
        named = f"theme.{key}" + (f"[{index}]" if index is not None else "")
        got = f"; got {value!r}" if isinstance(value, str | int | float) else ""
        raise place.error(
            key, f'{named} must be a colour written #rrggbb, such as "#1d4ed8"{got}', index
        )
    digits = value.strip().lower()
    return digits if len(digits) == 7 else "#" + "".join(2 * d for d in digits[1:])


_GENERIC_FONTS = frozenset(
    [
        "serif",
        "sans-serif",
        "monospace",
        "cursive",
        "fantasy",
        "system-ui",
        "ui-serif",
        "ui-sans-serif",
        "ui-monospace",
        "ui-rounded",
        "math",
        "emoji",
        "fangsong",
    ]
)


def _css_font(written: str) -> str:
    """`Source Sans 3, sans-serif` as CSS: `"Source Sans 3", sans-serif`. A family name
    that is not a generic one is quoted, since "3" alone is not a CSS name."""
    names = [name.strip().strip("\"'").strip() for name in written.split(",")]
    return ", ".join(name if name in _GENERIC_FONTS else f'"{name}"' for name in names if name)


def _logo(place: _Place, value: Any) -> Logo:
    if not isinstance(value, str) or not value.strip():
        raise place.error(
            "logo", 'theme.logo must be the path of an SVG or PNG file, such as "brand/logo.svg"'
        )
    path = place.file.parent / value
    try:
        size = path.stat().st_size
        if size > LOGO_BYTES:
            raise place.error(
                "logo",
                f"theme.logo {value} is {math.ceil(size / 1024)} KB; a logo may be at most"
                f" {LOGO_BYTES // 1024} KB, since every map embeds it: export it smaller",
            )
        data = path.read_bytes()
    except OSError as error:
        raise place.error(
            "logo", f"theme.logo: cannot read {value}: {error.strerror or error}"
        ) from None
    if data.startswith(_PNG) and len(data) >= 24:
        mime = "image/png"
        width, height = struct.unpack(">II", data[16:24])
    else:
        mime = "image/svg+xml"
        found = _svg_size(data)
        if found is None:
            raise place.error(
                "logo",
                f"theme.logo {value} is neither a PNG nor an SVG file with a viewBox (or width"
                " and height): export the logo as one",
            )
        width, height = found
    if width <= 0 or height <= 0:
        raise place.error("logo", f"theme.logo {value} has no size: export it again")
    drawn_width, drawn_height = LOGO_HEIGHT * width / height, LOGO_HEIGHT
    if drawn_width > LOGO_WIDEST:
        drawn_width, drawn_height = LOGO_WIDEST, LOGO_WIDEST * height / width
    return Logo(
        mime,
        data,
        round(drawn_width, 2),
        round(drawn_height, 2),
        hashlib.sha256(data).hexdigest(),
    )


def _svg_size(data: bytes) -> tuple[float, float] | None:
    """An SVG's width and height, from its viewBox or its width and height; None for what
    is not an SVG document (or one with a DOCTYPE, which could define entities)."""
    import xml.etree.ElementTree as ElementTree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    if root.tag not in ("{http://www.w3.org/2000/svg}svg", "svg"):
        return None
    box = root.get("viewBox", "").replace(",", " ").split()
    try:
        if len(box) == 4:
            return float(box[2]), float(box[3])
        return (
            float(root.get("width", "").removesuffix("px")),
            float(root.get("height", "").removesuffix("px")),
        )
    except ValueError:
        return None


@dataclass(frozen=True)
class _Place:
    """Where the theme is written, for located errors."""

    file: Path
    text: str
    where: tuple[str, ...]  # the keys of the theme table: ("theme",) in [tool.jmap]

    def error(
        self, key: str | None, message: str, index: int | None = None, *, at_value: bool = True
    ) -> ConfigError:
        """An error at `key`'s value (its `index`th item), or at the key itself."""
        keys = (*self.where, *([key] if key else []))
        line = key_line(self.file, *keys, text=self.text)
        column = _value_column(self.text, line, index) if key and at_value else 1
        return ConfigError(f"{self.file}:{line}:{column}: error: {message}")


_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'[^'\n]*'""")


def _value_column(text: str, line: int, index: int | None) -> int:
    """The column of the value on `line` (`key = value`), or of its `index`th string."""
    lines = text.splitlines()
    if not 0 < line <= len(lines) or "=" not in lines[line - 1]:
        return 1
    written = lines[line - 1]
    start = written.index("=") + 1
    start += len(written[start:]) - len(written[start:].lstrip())
    if index is not None:
        strings = list(_STRING.finditer(written, start))
        if index < len(strings):
            return strings[index].start() + 1
    return start + 1
