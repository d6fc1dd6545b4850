"""`--format png`: the grid map as an image twice its size, on white, its text drawn in the
font jmap ships (no system font, no browser)."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import subprocess
import sys
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


SCRIPTS = ROOT / "tests" / "data" / "grid" / "scripts.yaml"
# The hash of resvg-py 0.5.0 (pinned) drawing tests/data/grid/scripts.yaml (Latin, CJK, Hangul,
# emoji and 500-character texts) with the fonts jmap ships and no other; a golden file, so
# JMAP_UPDATE_GOLDEN=1 renews it with the others when the map's drawing changes on purpose.
SCRIPTS_GOLDEN = ROOT / "tests" / "golden" / "scripts-fonts.png.sha256"


def _png(tmp_path: Path, name: str, env: dict[str, str]) -> bytes:
    output = tmp_path / name
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "build", str(SCRIPTS), "-o", str(output), "-f", "png", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return (output / "scripts.png").read_bytes()


def test_cjk_and_emoji_are_drawn_in_the_same_bytes_with_or_without_system_fonts(
    tmp_path: Path,
) -> None:
    """The PNG never reads a system font: with the machine's fonts hidden from fontconfig (no
    config, an empty home) it is byte for byte what it is with them, and what it is on every
    machine."""
    with_fonts = _png(tmp_path, "with", dict(os.environ))
    empty = tmp_path / "home"
    empty.mkdir()
    hidden = {
        **os.environ,
        "FONTCONFIG_FILE": os.devnull,
        "HOME": str(empty),
        "XDG_DATA_HOME": str(empty),
    }
    without_fonts = _png(tmp_path, "without", hidden)
    assert with_fonts == without_fonts
    digest = hashlib.sha256(with_fonts).hexdigest()
    if os.environ.get("JMAP_UPDATE_GOLDEN") == "1":
        SCRIPTS_GOLDEN.write_text(digest + "\n", encoding="utf-8")
    assert digest == SCRIPTS_GOLDEN.read_text(encoding="utf-8").strip()
