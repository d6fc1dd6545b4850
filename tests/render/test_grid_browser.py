"""The grid map as Chromium draws it, measured: stages aligned, cards inside their stage, no
text outside its card or over another text, body text readable on a slide.

Every SVG is opened on its own in Chromium, with its embedded font; CJK and emoji come from the
system's fonts (CI installs Noto Color Emoji and a CJK font, see .ci/run).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from jmap.build.run import BuildOptions, build
from tests.browser import visit
from tests.helpers import EXAMPLES, ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DATA = ROOT / "tests" / "data" / "grid"
SOURCES = [*EXAMPLES, *sorted(DATA.glob("*.yaml"))]
# Groups drawn in a frame (their first <rect>): a text inside one stays inside the frame.
FRAMED = ["lane", "stage", "touchpoint", "cell", "pain-point", "opportunity", "feeling"]

MEASURE = """async (framed) => {
  await document.fonts.ready;
  const box = (e) => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  const frameOf = (e) => {
    for (let g = e.parentElement; g && g.tagName === 'g'; g = g.parentElement) {
      if (framed.some((c) => g.classList.contains(c))) {
        return box(g.querySelector(':scope > rect'));
      }
    }
    return null;
  };
  const texts = [...document.querySelectorAll('text')].map((e) => ({
    text: e.textContent, box: box(e), frame: frameOf(e),
  }));
  const groups = (css) => [...document.querySelectorAll(`g.${css}`)].map((g) => ({
    id: g.dataset.id, box: box(g.querySelector(':scope > rect')),
  }));
  const fonts = [...document.fonts].filter((f) => f.family.includes('jmap Inter'));
  const body = document.querySelector('text.jm-body') || document.querySelector('text');
  return {
    texts, stages: groups('stage'), cards: groups('touchpoint'),
    fonts: fonts.map((f) => f.status),
    scale: document.querySelector('svg').getScreenCTM().a,
    bodySize: parseFloat(body.getAttribute('font-size')),
    width: document.querySelector('svg').viewBox.baseVal.width,
  };
}"""


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    output = tmp_path_factory.mktemp("maps")
    report = build(SOURCES, BuildOptions(output=output, formats=("svg",)))
    assert not report.failed
    return {path.stem: path for path in output.glob("*.svg")}


def measure(browser: Browser, path: Path, size: tuple[int, int] = (1440, 900)) -> dict[str, Any]:
    with visit(browser, path, size=size) as seen:
        found: dict[str, Any] = seen.page.evaluate(MEASURE, FRAMED)
        assert seen.errors == []
        assert seen.foreign_requests() == []
    return found


def inside(inner: list[float], outer: list[float], slack: float = 0.5) -> bool:
    return (
        outer[0] - slack <= inner[0]
        and inner[2] <= outer[2] + slack
        and outer[1] - slack <= inner[1]
        and inner[3] <= outer[3] + slack
    )


def overlap(one: list[float], other: list[float], slack: float = 0.5) -> bool:
    return (
        one[0] < other[2] - slack
        and other[0] < one[2] - slack
        and one[1] < other[3] - slack
        and other[1] < one[3] - slack
    )


@pytest.mark.parametrize("stem", [source.stem for source in SOURCES])
def test_chromium_draws_every_text_inside_its_card_and_apart(
    browser: Browser, maps: dict[str, Path], stem: str
) -> None:
    found = measure(browser, maps[stem])
    assert found["fonts"] == ["loaded", "loaded"], "the embedded font is what draws the map"
    stages = found["stages"]
    assert len({stage["box"][1] for stage in stages}) == 1, "stage tops differ"
    assert len({stage["box"][3] for stage in stages}) == 1, "stage bottoms differ"
    assert [s["box"][0] for s in stages] == sorted(s["box"][0] for s in stages)
    for card in found["cards"]:
        assert any(inside(card["box"], stage["box"]) for stage in stages), card["id"]
    texts = [text for text in found["texts"] if text["text"].strip()]
    for text in texts:
        if text["frame"] is not None:
            assert inside(text["box"], text["frame"]), text
    boxes = sorted((text["box"], text["text"]) for text in texts)
    for number, (box, words) in enumerate(boxes):
        for other, other_words in boxes[number + 1 :]:
            if other[0] >= box[2]:
                break  # sorted by left edge: none further on starts before this one ends
            assert not overlap(box, other), (words, other_words)


def test_ten_touchpoints_on_a_1920_slide_show_body_text_at_11_px(
    browser: Browser, tmp_path: Path
) -> None:
    stages = "".join(
        f"  - name: Stage {s}\n    touchpoints:\n"
        + "".join(
            f"      - name: Step {s}.{t}\n        actions: [Reads the page]\n" for t in range(2)
        )
        for s in range(5)
    )
    source = tmp_path / "ten.yaml"
    source.write_text(f"jmap: 1\ntitle: Ten\nstages:\n{stages}", encoding="utf-8")
    build([source], BuildOptions(output=tmp_path, formats=("svg",)))
    svg = tmp_path / "ten.svg"
    # The map as a slide shows it: scaled to 1920 px wide.
    page = tmp_path / "slide.html"
    page.write_text(
        f'<!doctype html><body style="margin:0">{svg.read_text("utf-8")}'
        "<style>svg.jmap-grid{width:1920px;height:auto}</style>",
        encoding="utf-8",
    )
    found = measure(browser, page, size=(1920, 1080))
    assert found["bodySize"] == 12
    assert found["bodySize"] * found["scale"] >= 11, found["scale"]
