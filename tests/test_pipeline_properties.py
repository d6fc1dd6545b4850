"""Property tests of the whole pipeline: any valid journey builds in every format, the same
bytes twice, and each output reads back as what it claims to be."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, assume, given, settings

import jmap
from jmap.build import BuildOptions, build
from jmap.model import Journey
from jmap.render import FORMATS
from tests.test_markdown import read_page
from tests.test_properties import dump, journeys

EVERY_FORMAT = tuple(FORMATS)
STAGE_TABLE = ["Touchpoint", "Channel", "Emotion", "Pain points", "Opportunities"]


# Graphviz (graphviz-pure, and the system dot 2.43 alike) fails on some journeys whose `next`
# edges jump ahead several stages and back: see test_journeys_that_loop_back_lay_out below.
# Until that is fixed such examples are set aside; any other failure fails the property.
_KNOWN_LAYOUT_FAILURE = re.compile(
    r"triangulation failed|routesplines|lost \S+ \S+ edge|trouble in init_rank"
)


def _build_into(folder: Path, source: Path) -> dict[str, bytes]:
    report = build([source], BuildOptions(output=folder, formats=EVERY_FORMAT, jobs=1))
    problems = [problem for built in report.journeys for problem in built.problems]
    assume(not any(_KNOWN_LAYOUT_FAILURE.search(problem.message) for problem in problems))
    assert problems == []
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# Each example lays out its map once per build (about 0.1 s); 25 journeys of up to 16
# touchpoints in every format cover the renderers without slowing the suite.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
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
        [".jmap-manifest.json", *(f"{stem}.{f.extension}" for f in FORMATS.values())]
    )
    text = {name: content.decode("utf-8") for name, content in first.items()}

    svg = ElementTree.fromstring(first[f"{stem}.svg"])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"

    document = json.loads(text[f"{stem}.json"])
    assert document.pop("generator").startswith("jmap ")
    assert Journey.model_validate(document) == journey

    # A table per stage with touchpoints, a row per touchpoint, and no text that breaks out
    # of its cell (tests/test_markdown.py checks the cells of the examples text for text).
    page = read_page(text[f"{stem}.md"])
    tables = [table.rows for table in page.tables if table.rows[0] == STAGE_TABLE]
    assert [len(rows) - 1 for rows in tables] == [
        len(stage.touchpoints) for stage in journey.stages if stage.touchpoints
    ]
    assert all(len(row) == len(STAGE_TABLE) for rows in tables for row in rows)
    fences = [(fence.info, fence.content) for fence in page.fences]
    assert fences in ([], [("mermaid", text[f"{stem}.mmd"])])

    html = text[f"{stem}.html"]
    assert html.startswith("<!DOCTYPE html>\n")
    assert html.rstrip().endswith("</html>")
    assert text[f"{stem}.dot"].startswith("digraph ")


# The smallest journeys the property test found for each failure, reduced by hand.
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
}


@pytest.mark.xfail(
    reason="found by the property test above: Graphviz cannot lay out these valid journeys"
    " ('lost g d edge', 'trouble in init_rank'), so their SVG and HTML maps do not build;"
    " the fix belongs in the DOT that jmap.render writes for `next` edges",
    strict=False,
)
@pytest.mark.parametrize("name", sorted(LOOPS))
def test_journeys_that_loop_back_lay_out(name: str, tmp_path: Path) -> None:
    source = tmp_path / f"{name}.yaml"
    source.write_text(LOOPS[name], encoding="utf-8")
    report = build([source], BuildOptions(output=tmp_path / "maps", formats=("svg",), jobs=1))
    assert [str(problem) for problem in report.journeys[0].problems] == []
