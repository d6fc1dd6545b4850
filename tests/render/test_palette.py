"""One palette: a colour changed in jmap.palette changes in every output that shows it.

Each test runs jmap in a process of its own whose palette was changed before jmap drew
anything, as a team that edits jmap/palette.py would: the SVG and HTML maps and the portfolio
page from `jmap build`, and the HTML diff from `jmap diff`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import journey_folder

# Runs `jmap ARGS` after the given lines have changed the palette.
_PATCHED_JMAP = """
import sys
from dataclasses import fields, is_dataclass, replace

import jmap.palette as palette

{patch}

from jmap.cli import main

sys.argv[0] = "jmap"
main()
"""

# Gives every colour of the palette a colour of its own that jmap never draws with otherwise.
_EVERY_COLOUR = """
sentinels = iter(f"#0a{n:04x}" for n in range(1, 0x10000))

def recolour(value):
    if isinstance(value, str):
        return next(sentinels)
    if isinstance(value, dict):
        return {key: recolour(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(recolour(item) for item in value)
    if is_dataclass(value):
        return replace(value, **{f.name: recolour(getattr(value, f.name)) for f in fields(value)})
    raise TypeError(value)

for name in [name for name in vars(palette) if name.isupper() and name != "DEFAULT"]:
    setattr(palette, name, recolour(getattr(palette, name)))
# The palette renderers are given is made of the module's colours as it is imported: again.
palette.DEFAULT = palette.Palette(
    palette.LIGHT, palette.DARK, palette.GRID, palette.FLOW, palette.EMOTIONS,
    palette.SEVERITY_EDGES, palette.PAPER,
)
"""

# A hex colour as CSS, SVG and Graphviz write it; not a character reference such as `&#160;`.
_HEX = re.compile(r"(?<![&\w])#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?![\w-])")
# A colour by name in an attribute of the SVG map.
_NAMED = re.compile(r'(?:fill|stroke|color)="(?!none")([a-z]+)"')


def _jmap(patch: str, *args: str | Path, cwd: Path) -> None:
    code = _PATCHED_JMAP.format(patch=patch)
    result = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def _outputs(patch: str, tmp_path: Path) -> dict[str, str]:
    """Every coloured output of two journeys, drawn with the palette as `patch` leaves it."""
    first, second = journey_folder(tmp_path / "journeys", 2)
    maps = tmp_path / "maps"
    _jmap(
        patch, "build", "-q", "-j", "1", "-f", "svg,html", "-o", maps, first, second, cwd=tmp_path
    )
    _jmap(patch, "diff", "-f", "html", "-o", tmp_path / "diff.html", first, second, cwd=tmp_path)
    return {
        "SVG map": (maps / "journey-000.svg").read_text(encoding="utf-8"),
        "HTML map": (maps / "journey-000.html").read_text(encoding="utf-8"),
        "portfolio page": (maps / "index.html").read_text(encoding="utf-8"),
        "HTML diff": (tmp_path / "diff.html").read_text(encoding="utf-8"),
    }


def test_emotion_2_takes_its_colour_from_the_palette_in_every_output(tmp_path: Path) -> None:
    patch = 'palette.EMOTIONS[2] = palette.Swatch("#0a0b0c", "#0d0e0f")'
    for output, text in _outputs(patch, tmp_path).items():
        assert "#0a0b0c" in text, output
        assert "#0d0e0f" in text, output
        assert "#ef8a62" not in text.lower(), output  # emotion 2's own colour


def test_every_colour_of_every_output_is_one_of_the_palette(tmp_path: Path) -> None:
    for output, text in _outputs(_EVERY_COLOUR, tmp_path).items():
        colours = set(_HEX.findall(text))
        assert colours, output
        assert {c for c in colours if not re.fullmatch(r"#0a[0-9a-f]{4}", c)} == set(), output
        assert set(_NAMED.findall(text)) == set(), output
