"""The grid map's layout, checked on its own boxes: for any journey, no two texts overlap, every
text stays inside its card, no two cards overlap, routes cross no card and no text, and the
labels of the lowest points cover no marker.

Chromium measures the drawn map in tests/render/test_grid_browser.py; these checks run on the layout
itself, which is fast enough for hypothesis to try many journeys.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

import jmap
from jmap.render.grid.layout import BODY, GridMap, layout
from jmap.render.grid.routes import segments
from jmap.render.grid.shapes import Box, Group, Mark, Text
from jmap.view import journey_view
from tests.helpers import EXAMPLES, ROOT
from tests.loading.test_properties import dump, journeys
from tests.test_pipeline_properties import _is_valid, next_graphs

DATA = ROOT / "tests" / "data" / "grid"
SLIDE = 1920


def placed(drawing: GridMap) -> list[tuple[Text, Box | None]]:
    """Every text with the frame of the innermost group around it that has one."""
    found: list[tuple[Text, Box | None]] = []

    def walk(group: Group, frame: Box | None) -> None:
        frame = group.frame or frame
        for item in group.items:
            if isinstance(item, Group):
                walk(item, frame)
            elif isinstance(item, Text):
                found.append((item, frame))

    for layer in drawing.layers:
        walk(layer, None)
    return found


def marks(drawing: GridMap) -> list[Mark]:
    return [i for layer in drawing.layers for i in layer.walk() if isinstance(i, Mark)]


def check(drawing: GridMap) -> None:
    page = Box(0, 0, drawing.width, drawing.height)
    texts = placed(drawing)
    for text, frame in texts:
        assert page.contains(text.box), text
        if frame is not None:
            assert frame.contains(text.box), (text, frame)
    boxes = [text.box for text, _ in texts if text.text.strip()]
    for one, other in itertools.combinations(boxes, 2):
        assert not one.overlaps(other), (one, other)
    for one, other in itertools.combinations(drawing.cards, 2):
        assert not one.overlaps(other), (one, other)
    inside = [card.grown(-0.5) for card in drawing.cards]
    for line in drawing.lines:
        for leg in segments(line):
            assert not any(leg.overlaps(card) for card in inside), (line, leg)
            assert not any(leg.overlaps(box) for box in boxes), (line, leg)
    labels = [text.box for text, _ in texts if text.css == "jm-lowest-label"]
    for label in labels:
        assert not any(label.overlaps(mark.box) for mark in marks(drawing)), label


def drawing_of(data: dict[str, Any]) -> GridMap:
    return layout(journey_view(jmap.loads(dump(data), path="generated.yaml")))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(next_graphs())
def test_any_routes_lay_out_without_overlaps(data: dict[str, Any]) -> None:
    check(drawing_of(data))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys().filter(_is_valid))
def test_any_text_lays_out_without_overlaps(data: dict[str, Any]) -> None:
    check(drawing_of(data))


def test_the_examples_and_the_big_journeys_lay_out_without_overlaps() -> None:
    for source in [*EXAMPLES, *sorted(DATA.glob("*.yaml"))]:
        check(layout(journey_view(jmap.load(source))))


def test_ten_touchpoints_on_a_slide_show_body_text_at_11_px_or_more(tmp_path: Path) -> None:
    stages = [
        {"name": f"Stage {s}", "touchpoints": [{"name": f"Step {s}.{t}"} for t in range(2)]}
        for s in range(5)
    ]
    data = {"jmap": 1, "title": "Ten touchpoints", "stages": stages}
    drawing = drawing_of(data)
    assert BODY * SLIDE / drawing.width >= 11


def test_curves_never_overshoot_the_scale() -> None:
    from jmap.render.grid.curve import segments as bezier

    # A jump from 1 to 5 and back, and a plateau: a plain cubic spline would overshoot both.
    points = [(0.0, 100.0), (50.0, 0.0), (100.0, 100.0), (150.0, 100.0), (200.0, 0.0)]
    for start, first, second, end in bezier(points):
        low, high = min(start[1], end[1]), max(start[1], end[1])
        assert low <= first[1] <= high
        assert low <= second[1] <= high
