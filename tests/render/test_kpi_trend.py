"""A KPI's trend line and status in the SVG grid map and the PDF deck, built through the CLI
from a journey whose KPIs read a data file (HTML and Markdown: tests/loading/test_sources.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from jmap.palette import GRID
from tests.helpers import run_cli

JOURNEY = """jmap: 1
title: Delivery
stages:
  - name: Receive
    kpis:
      - name: NPS after delivery
        source: {file: ../data/nps.csv, aggregate: nps}
        target: 40
        direction: higher
      - name: Days to door
        value: 2
        target: 3
        direction: lower
      - name: Parcels
        value: 1200
    touchpoints:
      - name: Delivered
        emotion: 4
        kpis:
          - name: Delivery rating
            source: {file: ../data/nps.csv, aggregate: mean}
"""
# NPS by month: 0, 100, 33.3 (January's 9 and 3, February's 10 and 8, March's 9, 10 and 6).
ROWS = (
    "date,value\n2025-01-05,9\n2025-01-20,3\n2025-02-03,10\n2025-02-10,8\n"
    "2025-03-01,9\n2025-03-02,10\n2025-03-09,6\n"
)


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trend")
    (root / "jmap.toml").write_text("")
    (root / "data").mkdir()
    (root / "data" / "nps.csv").write_text(ROWS, encoding="utf-8")
    (root / "journeys").mkdir()
    (root / "journeys" / "j.yaml").write_text(JOURNEY, encoding="utf-8")
    out = root / "maps"
    result = run_cli(["build", str(root / "journeys" / "j.yaml"), "-o", str(out), "-f", "svg,pdf"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return out


def _trends(svg: str) -> list[tuple[str, str]]:
    """(title, points) of each trend line the map draws."""
    return re.findall(
        r'<g class="trend">\n<title>([^<]*)</title>\n<polyline points="([^"]+)" class="jm-trend"/>',
        svg,
    )


def test_the_svg_draws_each_kpi_trend_from_data_with_its_words(maps: Path) -> None:
    svg = (maps / "j.svg").read_text(encoding="utf-8")
    trends = _trends(svg)
    assert [title for title, _ in trends] == [
        "trend by month: 2025-01: 0 → 2025-03: 33.3",  # the stage's NPS
        "trend by month: 2025-01: 6 → 2025-03: 8.3",  # the touchpoint's mean rating
    ]
    # One point a month, left to right; the lowest (January's 0) at the bottom.
    points = [tuple(map(float, p.split(","))) for p in trends[0][1].split()]
    assert len(points) == 3
    assert [x for x, _ in points] == sorted({x for x, _ in points})
    assert max(points, key=lambda p: p[1]) == points[0]
    assert min(points, key=lambda p: p[1]) == points[1]
    # Only a KPI from data has a line: three lines of KPIs in the stage, two of them numbers.
    assert svg.count("<polyline") == 2
    assert ".jm-trend{fill:none;" in svg


def test_the_svg_colours_on_and_off_track_and_keeps_the_words(maps: Path) -> None:
    svg = (maps / "j.svg").read_text(encoding="utf-8")
    assert re.search(r'class="jm-off-track">×\u00a0off track</text>', svg)  # NPS 33.3 < 40
    assert re.search(r'class="jm-on-track">●\u00a0on track</text>', svg)  # 2 days <= 3
    assert f".jm-on-track{{fill:{GRID.on_track}}}" in svg
    assert f".jm-off-track{{fill:{GRID.off_track}}}" in svg
    words = " ".join(re.findall(r'class="jm-body">([^<]*)</text>', svg))
    assert "NPS after delivery: 33.3 (target 40 ↑ higher is better)" in words
    assert "Parcels: 1200" in words
    assert "track" not in words  # said once, in its colour, not also in the KPI's words


def test_the_pdf_deck_draws_the_trend_lines(maps: Path) -> None:
    svg = (maps / "j.svg").read_text(encoding="utf-8")
    deck = PdfReader(maps / "j.pdf")
    streams = [page.get_contents() for page in deck.pages]
    pages = " ".join(s.get_data().decode("latin-1") for s in streams if s is not None)
    trends = _trends(svg)
    assert len(trends) == 2
    for _, points in trends:
        # The deck draws the map's own SVG: the polyline as a stroked open path, point by point.
        first, *rest = (p.replace(",", " ") for p in points.split())
        assert f"{first} m {' l '.join(rest)} l S" in pages, points
    text = " ".join(" ".join(page.extract_text().split()) for page in deck.pages)
    assert "off track" in text
    assert "on track" in text
