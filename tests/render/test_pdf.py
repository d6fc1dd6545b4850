"""`--format pdf`: a 16:9 deck whose text is text, read back the way a PDF reader does (pypdf):
its words, where they are and how large they are drawn."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.helpers import EXAMPLES, ROOT, run_cli

# Each deck takes some 0.5 s to lay out and write: `make check` leaves these to `make test`.
pytestmark = pytest.mark.slow

FORTY = ROOT / "tests" / "data" / "grid" / "forty.yaml"
JOURNEYS = [*EXAMPLES, FORTY]
SCREEN_WIDTH = 1920  # px: the page shown full screen on a 1920x1080 display
BODY_PX = 14.0  # MAP-DESIGN: body text at least 14 px there
CAPTION_PX = BODY_PX * 10.5 / 12  # captions no smaller than 10.5 where body text is 12


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PdfReader]:
    output = tmp_path_factory.mktemp("decks")
    result = run_cli(["build", *map(str, JOURNEYS), "-o", str(output), "-f", "pdf", "-q"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return {path.stem: PdfReader(path) for path in sorted(output.glob("*.pdf"))}


def _journey(path: Path) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _sizes(page: object) -> Counter[float]:
    """Characters by the size their text is drawn at on a 1920 px wide screen."""
    found: Counter[float] = Counter()
    width = float(page.mediabox.width)  # type: ignore[attr-defined]

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        # The text matrix then the page's: how much one unit of font size grows vertically.
        b = tm[0] * cm[1] + tm[1] * cm[3]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        drawn = size * math.hypot(b, d) * SCREEN_WIDTH / width
        found[round(drawn, 2)] += len(text.strip())

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize("journey", JOURNEYS, ids=[path.stem for path in JOURNEYS])
def test_every_touchpoint_name_is_text_in_the_deck(
    decks: dict[str, PdfReader], journey: Path
) -> None:
    data = _journey(journey)
    deck = decks[str(data["id"])]
    text = _flat(" ".join(page.extract_text() for page in deck.pages))
    stages = data["stages"]
    assert isinstance(stages, list)
    names = [tp["name"] for stage in stages for tp in stage.get("touchpoints", [])]
    assert names
    missing = [name for name in names if _flat(name) not in text]
    assert missing == []
    assert _flat(str(data["title"])) in text


@pytest.mark.parametrize("journey", JOURNEYS, ids=[path.stem for path in JOURNEYS])
def test_pages_are_16_9_with_a_footer_of_title_and_number(
    decks: dict[str, PdfReader], journey: Path
) -> None:
    data = _journey(journey)
    deck = decks[str(data["id"])]
    total = len(deck.pages)
    assert total >= 2  # the overview, then the map
    for number, page in enumerate(deck.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width / height == pytest.approx(16 / 9)
        text = page.extract_text()
        assert text.rstrip().endswith(f"{number}/{total}"), text[-200:]
        assert _flat(str(data["title"])) in _flat(text)


@pytest.mark.parametrize("journey", JOURNEYS, ids=[path.stem for path in JOURNEYS])
def test_text_is_readable_on_a_1920_px_screen(decks: dict[str, PdfReader], journey: Path) -> None:
    """Body text (what most of the deck's characters are) at 14 px or more, and nothing on any
    page smaller than a caption."""
    deck = decks[str(_journey(journey)["id"])]
    everything: Counter[float] = Counter()
    for number, page in enumerate(deck.pages, start=1):
        sizes = _sizes(page)
        assert min(sizes) >= CAPTION_PX - 0.01, f"page {number}: text of {min(sizes)} px"
        everything.update(sizes)
    body = everything.most_common(1)[0][0]
    assert body >= BODY_PX, f"body text of {body} px"


def test_the_overview_comes_first_and_every_map_page_names_its_lanes(
    decks: dict[str, PdfReader],
) -> None:
    deck = decks["omnichannel-support"]
    overview = _flat(deck.pages[0].extract_text())
    for heading in ("How it feels", "Moments that matter", "Top opportunities"):
        assert heading in overview
    # The lowest point of the curve, and the opportunity answering the worst pain point.
    assert "7. Call drops on transfer" in overview
    assert "Offer a callback that keeps her place in the queue" in overview
    for number, page in enumerate(deck.pages[1:], start=2):
        text = _flat(page.extract_text())
        assert "Stage and goals" in text, f"page {number} lacks its lane headers"


def test_each_card_text_is_on_one_page_only(decks: dict[str, PdfReader]) -> None:
    """A search finds a touchpoint's thought where it is shown, not on every page."""
    deck = decks["omnichannel-support"]
    pages = [_flat(page.extract_text()) for page in deck.pages]
    thought = "You have got to be kidding me."
    assert sum(thought in text for text in pages) == 1


SCRIPTS = ROOT / "tests" / "data" / "grid" / "scripts.yaml"
# The 40-touchpoint journey's 40 columns at 8 a page need 5 groups of columns, and its rows
# 3 pages each: 16 pages with the overview, if stages could be cut anywhere. Pieces of a cut
# stage are at least 2 columns and a stage is not cut to top up a page 85% full, which costs
# one group: 6 x 3 + 1. Stages kept whole, as before, made it 25.
FORTY_PAGES = 19


def test_cjk_hangul_emoji_and_long_texts_are_text_in_the_deck(tmp_path: Path) -> None:
    result = run_cli(["build", str(SCRIPTS), "-o", str(tmp_path), "-f", "pdf", "-q"])
    assert result.exit_code == 0, result.stdout + result.stderr
    deck = PdfReader(tmp_path / "scripts.pdf")
    text = _flat(" ".join(page.extract_text() for page in deck.pages))
    for words in (
        "日本語",
        "한국어",
        "Aiko 佐藤",
        "配送された商品が破損していたので",
        "中文文本",
        "倉庫チーム",
        "Ben 🚲",
        "😍",
        "🛒",
        "🎉",
        "then is asked to describe the damage",
    ):
        assert words in text, words
    fonts = {
        str(font["/BaseFont"]).split("+")[-1]
        for page in deck.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert {"jmapInter", "jmapCJK", "jmapHangul", "jmapEmoji"} <= fonts
    # The footer's title too (the last page shows the title only there).
    assert _flat(deck.pages[-1].extract_text()).count("日本語, 中文, 한국어, emoji 🎉") == 1


def test_a_forty_touchpoint_deck_fills_its_pages(decks: dict[str, PdfReader]) -> None:
    deck = decks["forty"]
    assert len(deck.pages) <= FORTY_PAGES
    texts = [_flat(page.extract_text()) for page in deck.pages]
    # A stage cut across pages says so on the pages after its first.
    assert any("(cont.)" in text for text in texts)
