"""A team's theme ([tool.jmap.theme], --theme FILE) through the CLI: the colours, font and logo
in every output, the themes refused and where, and contrast kept whatever the theme."""

from __future__ import annotations

import base64
import io
import re
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.browser import visit

if TYPE_CHECKING:
    from playwright.sync_api import Browser
from tests.helpers import EXAMPLES, run_cli

JOURNEY = EXAMPLES[0]
SECOND = EXAMPLES[1]
ACCENT, TEXT, STAGE_1, STAGE_2 = "#6d28d9", "#111827", "#0e7490", "#9d174d"
THEME = f"""accent = "{ACCENT}"
text = "{TEXT}"
stages = ["{STAGE_1}", "{STAGE_2}"]
font = "Source Serif 4, Georgia, serif"
"""
LOGO_RGB = (255, 0, 170)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG of one colour, written by hand: the test needs no image library."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\0" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def pyproject(folder: Path, theme: str) -> Path:
    file = folder / "pyproject.toml"
    file.write_text(
        f'[project]\nname = "x"\n\n[tool.jmap]\nformats = ["svg"]\n\n[tool.jmap.theme]\n{theme}'
    )
    return file


def build(folder: Path, *args: str) -> tuple[int, str]:
    result = run_cli(["build", *args, "-o", str(folder / "maps")])
    return result.exit_code, result.stdout + result.stderr


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def pdf_fills(data: bytes) -> set[tuple[int, int, int]]:
    """The fill colours (`r g b rg`) of a PDF's content streams."""
    found = set()
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", content):
            found.add((round(float(r) * 255), round(float(g) * 255), round(float(b) * 255)))
    return found


def png_has(data: bytes, colour: tuple[int, int, int]) -> bool:
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    return any(count and pixel == colour for count, pixel in image.getcolors(1 << 24) or [])


def test_a_theme_recolours_svg_png_pdf_html_and_the_portfolio(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject(tmp_path, THEME)
    monkeypatch.chdir(tmp_path)
    code, said = build(tmp_path, str(JOURNEY), str(SECOND), "-f", "svg,html,png,pdf")
    assert code in (0, 1), said  # 1: lint findings in the examples are not this test's
    maps = tmp_path / "maps"
    svg = (maps / f"{_id(JOURNEY)}.svg").read_text()
    assert f".jm-title{{fill:{ACCENT}}}" in svg
    assert f".jm-band-1{{fill:{STAGE_1}}}" in svg
    assert f".jm-band-2{{fill:{STAGE_2}}}" in svg
    assert f".jm-band-3{{fill:{STAGE_1}}}" in svg  # the list is cycled
    assert f"fill:{TEXT}}}" in svg
    for page in (maps / f"{_id(JOURNEY)}.html", maps / "index.html"):
        html = page.read_text()
        assert f"--accent: {ACCENT};" in html, page
        assert f"--ink: {TEXT};" in html, page
        assert f"--band-2: {STAGE_2};" in html, page
        assert 'font-family: "Source Serif 4", "Georgia", serif;' in html, page
    fills = pdf_fills((maps / f"{_id(JOURNEY)}.pdf").read_bytes())
    assert {rgb(ACCENT), rgb(STAGE_1), rgb(STAGE_2)} <= fills
    assert png_has((maps / f"{_id(JOURNEY)}.png").read_bytes(), rgb(STAGE_2))

    # Without the theme, none of it: the colours came from the theme.
    (tmp_path / "pyproject.toml").unlink()
    plain = tmp_path / "plain"
    result = run_cli(["build", str(JOURNEY), "-f", "svg,pdf", "-o", str(plain)])
    assert result.exit_code in (0, 1), result.stdout
    svg = (plain / f"{_id(JOURNEY)}.svg").read_text()
    assert STAGE_2 not in svg
    assert ACCENT not in svg
    assert rgb(STAGE_2) not in pdf_fills((plain / f"{_id(JOURNEY)}.pdf").read_bytes())


def _id(journey: Path) -> str:
    match = re.search(r"^id: *(\S+)", journey.read_text(), re.M)
    return match.group(1) if match else journey.stem


def test_a_logo_is_in_every_format(tmp_path: Path) -> None:
    logo = png(60, 20, LOGO_RGB)
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.png").write_bytes(logo)
    theme = tmp_path / "brand" / "theme.toml"
    theme.write_text('logo = "logo.png"\n')  # relative to the theme file
    code, said = build(
        tmp_path, str(JOURNEY), str(SECOND), "--theme", str(theme), "-f", "svg,html,png,pdf"
    )
    assert code in (0, 1), said
    maps = tmp_path / "maps"
    uri = "data:image/png;base64," + base64.b64encode(logo).decode()
    svg = (maps / f"{_id(JOURNEY)}.svg").read_text()
    assert '<image class="jm-logo"' in svg
    assert uri in svg
    # 60x20 drawn 40 high: 120 wide
    assert 'width="120" height="40"' in svg
    for page in (maps / f"{_id(JOURNEY)}.html", maps / "index.html"):
        assert f'<img class="brand-logo" src="{uri}"' in page.read_text(), page
    assert png_has((maps / f"{_id(JOURNEY)}.png").read_bytes(), LOGO_RGB)
    assert b"/Subtype /Image" in (maps / f"{_id(JOURNEY)}.pdf").read_bytes()


def test_an_svg_logo_is_embedded_as_svg(tmp_path: Path) -> None:
    logo = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 40">'
        b'<rect width="80" height="40" fill="#123456"/></svg>'
    )
    (tmp_path / "logo.svg").write_bytes(logo)
    theme = tmp_path / "theme.toml"
    theme.write_text('logo = "logo.svg"\n')
    code, said = build(tmp_path, str(JOURNEY), "--theme", str(theme), "-f", "svg,png")
    assert code in (0, 1), said
    svg = (tmp_path / "maps" / f"{_id(JOURNEY)}.svg").read_text()
    assert "data:image/svg+xml;base64," + base64.b64encode(logo).decode() in svg
    assert 'width="80" height="40"' in svg
    assert png_has((tmp_path / "maps" / f"{_id(JOURNEY)}.png").read_bytes(), (0x12, 0x34, 0x56))


@pytest.mark.parametrize(
    ("theme", "files", "where", "message"),
    [
        (
            'accent = "blue"\n',
            {},
            (1, 10),
            "theme.accent must be a colour written #rrggbb, such as \"#1d4ed8\"; got 'blue'",
        ),
        (
            'stages = ["#0f766e", "#12"]\n',
            {},
            (1, 22),
            "theme.stages[1] must be a colour written #rrggbb",
        ),
        (
            'text = "#606060"\nstage_tints = ["#cccccc"]\n',
            {},
            (1, 8),
            "theme text #606060 on stage tint 1 #cccccc has contrast 3.9:1; WCAG AA needs 4.5:1",
        ),
        (
            'stages = ["#0f766e", "#fde047"]\n',
            {},
            (1, 22),
            "stage name #ffffff on stage colour 2 #fde047 has contrast 1.3:1; WCAG AA needs 4.5:1",
        ),
        ('accent = "#7fa7ff"\n', {}, (1, 10), "theme accent #7fa7ff on page background #f4f5f7"),
        ('logo = "missing.svg"\n', {}, (1, 8), "theme.logo: cannot read missing.svg"),
        (
            'logo = "big.png"\n',
            {"big.png": png(1, 1, (0, 0, 0)) + b"\0" * 210_000},
            (1, 8),
            "theme.logo big.png is 206 KB; a logo may be at most 200 KB",
        ),
        (
            'logo = "photo.jpg"\n',
            {"photo.jpg": b"\xff\xd8\xff\xe0" + b"\0" * 64},
            (1, 8),
            "theme.logo photo.jpg is neither a PNG nor an SVG file",
        ),
        ('colour = "#000000"\n', {}, (1, 1), "unknown theme key 'colour'"),
        (
            'font = "x; } body { color: red"\n',
            {},
            (1, 8),
            "theme.font must be a CSS font-family list",
        ),
    ],
    ids=[
        "colour",
        "list-item",
        "contrast",
        "stage-name",
        "accent",
        "logo-missing",
        "logo-big",
        "logo-jpeg",
        "unknown",
        "font",
    ],
)
def test_a_bad_theme_is_refused_where_it_is_written(
    tmp_path: Path,
    theme: str,
    files: dict[str, bytes],
    where: tuple[int, int],
    message: str,
) -> None:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    file = tmp_path / "theme.toml"
    file.write_text(theme)
    code, said = build(tmp_path, str(JOURNEY), "--theme", str(file))
    line, column = where
    assert code == 2
    assert said.startswith(f"{file}:{line}:{column}: error: {message}"), said
    assert said.count("\n") == 1, said  # one line, no traceback
    assert not (tmp_path / "maps").exists()  # nothing written


def test_the_project_theme_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = pyproject(tmp_path, 'accent = "#1d4ed8"\ntext = "#606060"\nstage_tints = ["#cccccc"]\n')
    monkeypatch.chdir(tmp_path)
    code, said = build(tmp_path, str(JOURNEY))
    assert code == 2
    assert said == (
        f"{file.resolve()}:9:8: error: theme text #606060 on stage tint 1 #cccccc has contrast"
        " 3.9:1; WCAG AA needs 4.5:1: make one of them lighter or darker\n"
    )


def test_a_new_theme_rebuilds_and_two_themes_do_not_mix(tmp_path: Path) -> None:
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text('accent = "#6d28d9"\n')
    two.write_text('accent = "#9d174d"\n')
    out = tmp_path / "maps"
    svg = out / f"{_id(JOURNEY)}.svg"
    for theme, accent in [(one, "#6d28d9"), (two, "#9d174d"), (one, "#6d28d9")]:
        result = run_cli(
            ["build", str(JOURNEY), "--theme", str(theme), "-f", "svg", "-o", str(out)]
        )
        assert result.exit_code in (0, 1), result.stdout
        assert f".jm-title{{fill:{accent}}}" in svg.read_text()
    other = run_cli(
        ["build", str(JOURNEY), "--theme", str(two), "-f", "svg", "-o", str(tmp_path / "b")]
    )
    assert other.exit_code in (0, 1)
    assert "#6d28d9" not in (tmp_path / "b" / svg.name).read_text()


# The property: whatever colours a theme has, either it is refused naming a pair under the
# WCAG minimum, or every text in the outputs has that contrast on what it is written on.


def _luminance(colour: str) -> float:
    channels = []
    for value in rgb(colour):
        c = value / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def _contrast(one: str, other: str) -> float:
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _svg_pairs(svg: str) -> list[tuple[str, str, float]]:
    rules = dict(re.findall(r"^(\.[^{]+)\{fill:(#[0-9a-f]{6})", svg, re.M))
    ink = next(c for sel, c in rules.items() if ".jm-body" in sel)
    muted = next(c for sel, c in rules.items() if ".jm-muted" in sel)
    title = rules.get(".jm-title", ink)
    pairs = [(title, rules[".jm-paper"], 3.0), (ink, rules[".jm-paper"], 4.5)]
    for n in range(1, 7):
        pairs += [(ink, rules[f".jm-tint-{n}"], 4.5), (muted, rules[f".jm-tint-{n}"], 4.5)]
        pairs.append((rules[".jm-stage-ink"], rules[f".jm-band-{n}"], 4.5))
    return pairs


def _html_pairs(html: str) -> list[tuple[str, str, float]]:
    pairs = []
    light, dark = html.split("prefers-color-scheme: dark", 1)
    for scheme in (light, dark[: dark.index("}")]):
        v = dict(re.findall(r"--([a-z0-9-]+): (#[0-9a-f]{6});", scheme))
        grounds = [v["bg"], v["surface"], v["surface-2"], *(v[f"tint-{n}"] for n in range(1, 7))]
        for ground in grounds:
            pairs += [(v["ink"], ground, 4.5), (v["accent"], ground, 4.5)]
        pairs += [(v["muted"], v[f"tint-{n}"], 4.5) for n in range(1, 7)]
    return pairs


colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    accent=st.one_of(st.none(), colours),
    text=st.one_of(st.none(), colours),
    stages=st.one_of(st.none(), st.lists(colours, min_size=1, max_size=3)),
)
def test_an_accepted_theme_keeps_every_text_readable(
    tmp_path: Path, accent: str | None, text: str | None, stages: list[str] | None
) -> None:
    lines = [f'accent = "{accent}"'] if accent else []
    lines += [f'text = "{text}"'] if text else []
    lines += [f"stages = {stages!r}".replace("'", '"')] if stages else []
    theme = tmp_path / "theme.toml"
    theme.write_text("\n".join(lines) + "\n")
    out = tmp_path / "maps"
    result = run_cli(
        ["build", str(JOURNEY), "--theme", str(theme), "-f", "svg,html", "-o", str(out), "--force"]
    )
    said = result.stdout + result.stderr
    if result.exit_code == 2:
        found = re.search(
            r"(#[0-9a-f]{6}) on .*? (#[0-9a-f]{6}) has contrast ([\d.]+):1;"
            r" WCAG AA needs ([\d.]+):1",
            said,
        )
        assert found, said
        ink, ground, shown, need = found.groups()
        assert float(shown) < float(need)
        assert _contrast(ink, ground) < float(need)
        return
    assert result.exit_code in (0, 1), said
    pairs = _svg_pairs((out / f"{_id(JOURNEY)}.svg").read_text())
    pairs += _html_pairs((out / f"{_id(JOURNEY)}.html").read_text())
    for ink, ground, need in pairs:
        assert _contrast(ink, ground) >= need, (ink, ground, need)


def test_a_themed_page_in_light_and_dark_mode(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png(60, 20, LOGO_RGB))
    theme = tmp_path / "theme.toml"
    theme.write_text(THEME + 'logo = "logo.png"\n')
    code, said = build(tmp_path, str(JOURNEY), "--theme", str(theme), "-f", "html")
    assert code in (0, 1), said
    page_file = tmp_path / "maps" / f"{_id(JOURNEY)}.html"
    seen_accents = {}
    schemes: tuple[Literal["light", "dark"], ...] = ("light", "dark")
    for scheme in schemes:
        with visit(browser, page_file, color_scheme=scheme) as seen:
            page = seen.page
            font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
            assert font.startswith('"Source Serif 4"'), font
            seen_accents[scheme] = page.evaluate(
                "() => getComputedStyle(document.documentElement)"
                ".getPropertyValue('--accent').trim()"
            )
            logo = page.evaluate(
                "() => { const i = document.querySelector('img.brand-logo');"
                " return i && i.complete ? i.naturalWidth : 0; }"
            )
            assert logo == 60
            page.screenshot(path=tmp_path / f"{scheme}.png")
            assert seen.axe_violations() == []  # axe checks every text's contrast
            assert seen.errors == []
            assert seen.foreign_requests() == []
    assert seen_accents["light"] == ACCENT
    assert seen_accents["dark"] != ACCENT  # derived for the dark page
    assert _contrast(seen_accents["dark"], "#111318") >= 4.5
