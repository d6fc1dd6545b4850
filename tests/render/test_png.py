"""`--format png`: the grid map as an image twice its size, on white, its text drawn in the
font jmap ships (no system font, no browser)."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from tests.grid import parse
from tests.helpers import ROOT, run_cli

JOURNEY = ROOT / "examples" / "omnichannel-support.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("png")
    result = run_cli(["build", str(JOURNEY), "-o", str(output), "-f", "svg,png", "-q"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return output


def test_the_png_is_the_svg_map_at_twice_its_size(built: Path) -> None:
    data = (built / "omnichannel-support.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    root = parse((built / "omnichannel-support.svg").read_text(encoding="utf-8"))
    svg_width, svg_height = float(root.get("width", "0")), float(root.get("height", "0"))
    assert abs(width - 2 * svg_width) <= 1
    assert abs(height - 2 * svg_height) <= 1


def test_the_png_is_on_white_with_its_text_drawn(built: Path) -> None:
    image = Image.open(io.BytesIO((built / "omnichannel-support.png").read_bytes()))
    pixels = image.convert("RGB")
    assert pixels.getpixel((2, 2)) == (255, 255, 255)
    # The journey's title, 28 px bold from y 24 + 15 in the SVG: dark ink where it is drawn.
    title = pixels.crop((48, 2 * 42, 48 + 2 * 500, 2 * 72))
    ink = title.tobytes()
    dark = sum(1 for at in range(0, len(ink), 3) if sum(ink[at : at + 3]) < 200)
    assert dark > 2000, "the title's text is missing: the map's font was not found"
