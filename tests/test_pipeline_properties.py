"""Property tests of the whole pipeline: any valid journey builds in every format, the same
bytes twice, and each output reads back as what it claims to be."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jmap
from jmap.build.run import BuildOptions, build
from jmap.model import Journey
from jmap.render import FORMATS
from jmap.view import journey_view
from tests.corpora import SLIDES
from tests.grid import frame, group, has_group
from tests.loading.test_properties import dump, journeys
from tests.render.test_markdown import read_page

# Every format but the slides, which draw the SVG map (checked here) at some 0.5 s a journey;
# tests/render/test_golden.py checks that they are the same bytes twice and under two hash seeds.
EVERY_FORMAT = tuple(name for name in FORMATS if name not in SLIDES)
STAGE_TABLE = "Touchpoint"  # the first header cell of a stage's table


def _build_into(folder: Path, source: Path) -> dict[str, bytes]:
    report = build([source], BuildOptions(output=folder, formats=EVERY_FORMAT, jobs=1))
    assert [str(problem) for built in report.journeys for problem in built.problems] == []
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _is_valid(data: dict[str, Any]) -> bool:
    """`journeys` may now and then draw a text of spaces only, which the loader refuses: the
    property is about the journeys it accepts."""
    try:
        jmap.loads(dump(data), path="generated.yaml")
    except jmap.JourneyError:
        return False
    return True


# Each example builds every format (about 0.1 s); 25 journeys of up to 16
# touchpoints in every format cover the renderers without slowing the suite.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys().filter(_is_valid))
def test_any_valid_journey_builds_in_every_format_the_same_twice(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        source = folder / "generated.yaml"
        source.write_text(dump(data), encoding="utf-8")
        journey = jmap.load(source)
        first = _build_into(folder / "one", source)
        second = _build_into(folder / "two", source)

    assert first == second
    stem = journey.id
    assert sorted(first) == sorted(
        [".jmap-manifest.json", *(f"{stem}.{FORMATS[name].extension}" for name in EVERY_FORMAT)]
    )
    text = {name: content.decode("utf-8") for name, content in first.items()}

    svg = ElementTree.fromstring(first[f"{stem}.svg"])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"

    document = json.loads(text[f"{stem}.json"])
    assert document.pop("generator").startswith("jmap ")
    assert Journey.model_validate(document) == journey

    # A table per stage with touchpoints, a column per touchpoint after the lane names, and no
    # text that breaks out of its cell (tests/render/test_markdown.py checks the cells of the
    # examples text for text).
    page = read_page(text[f"{stem}.md"])
    tables = [table.rows for table in page.tables if table.rows[0][0] == STAGE_TABLE]
    assert [len(rows[0]) - 1 for rows in tables] == [
        len(stage.touchpoints) for stage in journey.stages if stage.touchpoints
    ]
    assert all(len(row) == len(rows[0]) for rows in tables for row in rows)
    fences = [(fence.info, fence.content) for fence in page.fences]
    assert fences in ([], [("mermaid", text[f"{stem}.mmd"])])

    html = text[f"{stem}.html"]
    assert html.startswith("<!DOCTYPE html>\n")
    assert html.rstrip().endswith("</html>")
    assert text[f"{stem}.dot"].startswith("digraph ")


# The smallest journeys the property tests found for each failure of the Graphviz map,
# reduced by hand: Graphviz failed on them ("lost g d edge", "trouble in init_rank",
# "triangulation failed") or drew a stage over the columns of the stages before it. Kept for
# the grid map, which draws the same routes.
LOOPS = {
    "lost-edge": """jmap: 1
title: Jumps ahead, then back
stages:
  - name: One
    touchpoints:
      - {id: a, name: x, next: [g, d]}
      - {id: b, name: x}
  - name: Two
    touchpoints:
      - {id: c, name: x, next: []}
      - {id: d, name: x}
  - name: Three
    touchpoints:
      - {id: e, name: x, next: []}
      - {id: f, name: x}
  - name: Four
    touchpoints:
      - {id: g, name: x, next: [d]}
""",
    "trouble-in-init-rank": """jmap: 1
title: Loops back with emotions
personas:
  - {id: p, name: P}
stages:
  - name: One
    touchpoints:
      - {id: a, name: x, next: [f]}
      - {id: b, name: x, next: [g, d]}
      - {id: c, name: x}
  - name: Two
    touchpoints:
      - {id: c2, name: x}
      - {id: d, name: x}
  - name: Three
    touchpoints:
      - {id: e, name: x, next: []}
      - {id: f, name: x, emotion: 1}
  - name: Four
    touchpoints:
      - {id: g, name: x, emotion: {p: 1}, next: [a, d]}
      - {id: h, name: x}
""",
    # No loop at all: nothing leads to f, so nothing held it in its stage's columns.
    "dead-end-then-a-new-start": """jmap: 1
title: Ends, and starts again
stages:
  - name: One
    touchpoints:
      - {id: a, name: x, backstage: [{text: work}]}
  - name: Two
    touchpoints:
      - {id: c, name: x}
  - name: Three
    touchpoints:
      - {id: d, name: x, next: []}
      - {id: f, name: x}
""",
}


@pytest.mark.parametrize("name", sorted(LOOPS))
def test_journeys_that_loop_back_lay_out(name: str, tmp_path: Path) -> None:
    source = tmp_path / f"{name}.yaml"
    source.write_text(LOOPS[name], encoding="utf-8")
    assert_lays_out_in_file_order(source, tmp_path / "maps")


NAMES = ["x", "Reads the page", "Compares two long-named options side by side"]


@st.composite
def next_graphs(draw: st.DrawFn) -> dict[str, Any]:
    """Journeys whose `next` routes go anywhere: ahead, back, to themselves, across stages,
    to nowhere; with the cards, answers and backstage work that change the map's shape."""
    sizes = draw(st.lists(st.integers(0, 4), min_size=1, max_size=5))
    ids = [f"t{number}" for number in range(sum(sizes))]
    pains = {tp: [f"{tp}-pain{n}" for n in range(draw(st.integers(0, 2)))] for tp in ids}
    every_pain = [pain for found in pains.values() for pain in found]
    personas = draw(st.sampled_from([[], ["p"], ["p", "q"]]))
    touchpoints = []
    for touchpoint_id in ids:
        touchpoint: dict[str, Any] = {"id": touchpoint_id, "name": draw(st.sampled_from(NAMES))}
        routes = draw(st.none() | st.lists(st.sampled_from(ids), max_size=3, unique=True))
        if routes is not None:
            touchpoint["next"] = routes
        mood = draw(st.sampled_from(["none", "shared", "per-persona"]))
        if mood == "shared" or (mood == "per-persona" and not personas):
            touchpoint["emotion"] = draw(st.integers(1, 5))
        elif mood == "per-persona":
            touchpoint["emotion"] = {p: draw(st.integers(1, 5)) for p in personas}
        touchpoint["pain_points"] = [
            {"id": pain, "text": "pain", "severity": draw(st.sampled_from(["low", "high"]))}
            for pain in pains[touchpoint_id]
        ]
        if draw(st.booleans()) and every_pain:
            answered = draw(st.lists(st.sampled_from(every_pain), min_size=1, max_size=2))
            touchpoint["opportunities"] = [{"text": "idea", "answers": answered}]
        if draw(st.booleans()):
            touchpoint["backstage"] = [{"text": "work"}]
        touchpoints.append(touchpoint)
    stages, start = [], 0
    for number, size in enumerate(sizes):
        stages.append(
            {"id": f"s{number}", "name": "S", "touchpoints": touchpoints[start : start + size]}
        )
        start += size
    people = [{"id": p, "name": p.upper()} for p in personas]
    return {"jmap": 1, "title": "Routes", "personas": people, "stages": stages}


# One layout per example (about 0.1 s): the shapes that broke the map were found in a few
# hundred examples, so each run of the suite tries a different few dozen.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(next_graphs())
def test_any_next_routes_lay_out_with_stages_in_file_order(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        source = folder / "routes.yaml"
        source.write_text(dump(data), encoding="utf-8")
        assert_lays_out_in_file_order(source, folder / "maps")


def assert_lays_out_in_file_order(source: Path, output: Path) -> None:
    """The SVG map builds, each stage is drawn wholly to the right of the one before with its
    cards inside it, and every route written in `next` is drawn."""
    report = build([source], BuildOptions(output=output, formats=("svg",), jobs=1))
    assert [str(problem) for problem in report.journeys[0].problems] == []
    view = journey_view(jmap.load(source))
    svg = ElementTree.parse(output / f"{view.journey.id}.svg").getroot()
    stages = [frame(group(svg, "stage", stage.stage.id)) for stage in view.stages]
    for before, after in itertools.pairwise(stages):
        assert before.right <= after.left, "a stage overlaps the one before it"
    for stage, band in zip(view.stages, stages, strict=True):
        for touchpoint in stage.touchpoints:
            card = frame(group(svg, "touchpoint", touchpoint.id))
            assert band.left < card.left < card.right < band.right, f"{touchpoint.id} is out"
            for target in touchpoint.next:
                drawn = has_group(svg, "route", f"{touchpoint.id}>{target}")
                assert drawn != touchpoint.is_default_next, (touchpoint.id, target)
