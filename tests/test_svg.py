"""The SVG map: what a reader of the picture relies on, checked in the SVG itself.

The expectations come from the normalised journey (the JSON output of the same build), so the
tests follow the examples when they change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jmap.build.run import BuildOptions, build
from jmap.view import MOODS
from tests.helpers import EXAMPLES, ROOT

SVG = "{http://www.w3.org/2000/svg}"
TOOLTIP = "{http://www.w3.org/1999/xlink}title"
SEVERITY_WORDS = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW"}


@dataclass
class Map:
    svg: ET.Element
    journey: dict[str, Any]  # the normalised journey, as `jmap build -f json` writes it

    def element(self, identifier: str) -> ET.Element:
        found = self.svg.find(f".//*[@id='{identifier}']")
        assert found is not None, f"no element with id {identifier}"
        return found

    def has(self, identifier: str) -> bool:
        return self.svg.find(f".//*[@id='{identifier}']") is not None

    def made_up(self, start: str, end: str) -> ET.Element:
        """The one element for something without a written id: its id is made from its place,
        so it starts with its kind and owner and ends with its number."""
        found = [
            element
            for element in self.svg.iter()
            if element.get("id", "").startswith(start) and element.get("id", "").endswith(end)
        ]
        assert len(found) == 1, f"{len(found)} elements with ids like {start}...{end}"
        return found[0]

    def pain(self, touchpoint: dict[str, Any], number: int) -> ET.Element:
        pain = touchpoint["pain_points"][number - 1]
        if pain["id"]:
            return self.element(f"pain-{pain['id']}")
        return self.made_up(f"pain-{touchpoint['id']}", f"-{number}")

    def opportunity_id(self, touchpoint: dict[str, Any], number: int) -> str:
        opportunity = touchpoint["opportunities"][number - 1]
        if opportunity["id"]:
            return f"opportunity-{opportunity['id']}"
        return self.made_up(f"opportunity-{touchpoint['id']}", f"{number}").attrib["id"]

    def touchpoints(self) -> Iterator[dict[str, Any]]:
        for stage in self.journey["stages"]:
            yield from stage["touchpoints"]


def build_maps(folder: Path, *paths: Path) -> dict[str, Map]:
    results = build(paths, BuildOptions(output=folder, formats=("svg", "json"))).journeys
    assert all(not result.problems for result in results), [r.problems for r in results]
    maps = {}
    for result in results:
        files = {path.suffix: path for path in result.written}
        journey = json.loads(files[".json"].read_text(encoding="utf-8"))
        maps[journey["id"]] = Map(ET.parse(files[".svg"]).getroot(), journey)
    return maps


def build_one(tmp_path: Path, text: str) -> Map:
    source = tmp_path / "journey.yaml"
    source.write_text(text, encoding="utf-8")
    (only,) = build_maps(tmp_path / "maps", source).values()
    return only


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Map]:
    return build_maps(tmp_path_factory.mktemp("maps"), *EXAMPLES)


def texts(element: ET.Element) -> list[str]:
    """The text a reader sees inside an element, one entry per <text> line."""
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def words(element: ET.Element) -> str:
    return " ".join(texts(element))


def box(element: ET.Element) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the first polygon in an element: a card's frame."""
    polygon = next(element.iter(f"{SVG}polygon"))
    points = [tuple(map(float, p.split(","))) for p in polygon.attrib["points"].split()]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), max(xs), min(ys), max(ys)


def tooltip(element: ET.Element) -> str:
    link = next(element.iter(f"{SVG}a"))
    return link.attrib[TOOLTIP]


def test_every_example_is_an_svg_with_an_accessible_name(examples: dict[str, Map]) -> None:
    assert len(examples) == len(EXAMPLES)
    for drawing in examples.values():
        assert drawing.svg.tag == f"{SVG}svg"
        assert drawing.svg.attrib["role"] == "img"
        title = drawing.element(drawing.svg.attrib["aria-labelledby"])
        assert title.text == f"Journey map: {drawing.journey['title']}"
        assert drawing.journey["title"] in texts(drawing.svg)


def test_every_touchpoint_is_a_card_with_a_tooltip(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        for touchpoint in drawing.touchpoints():
            card = drawing.element(f"tp-{touchpoint['id']}")
            assert touchpoint["name"] in tooltip(card)
            assert " ".join(touchpoint["name"].split()[:2]) in words(card)


def test_stages_are_columns_in_file_order(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        lefts = [box(drawing.element(f"stage-{s['id']}"))[0] for s in drawing.journey["stages"]]
        assert lefts == sorted(lefts), "stage columns out of order"
        assert len(set(lefts)) == len(lefts)
        for stage in drawing.journey["stages"]:
            left, right, _, _ = box(drawing.element(f"stage-{stage['id']}"))
            for touchpoint in stage["touchpoints"]:
                card_left, card_right, _, _ = box(drawing.element(f"tp-{touchpoint['id']}"))
                assert left < card_left < card_right < right


def test_pain_points_are_marked_with_their_severity_in_words(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        for touchpoint in drawing.touchpoints():
            _, _, card_top, _ = box(drawing.element(f"tp-{touchpoint['id']}"))
            for number, pain in enumerate(touchpoint["pain_points"], start=1):
                shown = drawing.pain(touchpoint, number)
                assert f"! {SEVERITY_WORDS[pain['severity']]}" in texts(shown)
                assert box(shown)[2] > card_top, "a pain point sits below its touchpoint"


def test_every_emotion_is_written_as_score_and_label(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        for touchpoint in drawing.touchpoints():
            emotion = touchpoint["emotion"]
            scores = emotion.values() if isinstance(emotion, dict) else [emotion]
            shown = words(drawing.element(f"tp-{touchpoint['id']}"))
            for score in scores:
                mood = MOODS[score]
                assert f"{mood.symbol} {mood.score} {mood.label}" in shown


def test_the_lowest_points_are_named(examples: dict[str, Map]) -> None:
    drawing = examples["shoe-purchase"]  # one persona, so one curve
    lowest = min(tp["emotion"] for tp in drawing.touchpoints())
    for touchpoint in drawing.touchpoints():
        marked = any(
            "LOWEST POINT" in line for line in texts(drawing.element(f"tp-{touchpoint['id']}"))
        )
        assert marked == (touchpoint["emotion"] == lowest), touchpoint["id"]


def test_opportunities_are_joined_to_the_pain_points_they_answer(
    examples: dict[str, Map],
) -> None:
    drawing = examples["shoe-purchase"]
    for touchpoint in drawing.touchpoints():
        for number, opportunity in enumerate(touchpoint["opportunities"], start=1):
            identifier = drawing.opportunity_id(touchpoint, number)
            assert opportunity["text"] in tooltip(drawing.element(identifier))
            for pain in opportunity["answers"]:
                assert drawing.has(f"answers-pain-{pain}.{identifier}")


def test_backstage_sits_in_a_lane_under_the_line_of_visibility(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        lane = drawing.element("backstage")
        assert "LINE OF VISIBILITY" in texts(lane)
        _, _, lane_top, _ = box(lane)
        for touchpoint in drawing.touchpoints():
            _, _, _, card_bottom = box(drawing.element(f"tp-{touchpoint['id']}"))
            assert card_bottom < lane_top
            for work in touchpoint["backstage"]:
                shown = words(drawing.element(f"backstage-{touchpoint['id']}"))
                assert (work["actor"] or work["text"].split()[0]) in shown


def test_a_journey_without_backstage_has_no_lane(tmp_path: Path) -> None:
    drawing = build_one(
        tmp_path,
        "jmap: 1\ntitle: Front stage only\nstages:\n"
        "  - name: Awareness\n    touchpoints:\n      - name: Sees an ad\n        emotion: 4\n",
    )
    assert not drawing.has("backstage")
    assert "LINE OF VISIBILITY" not in words(drawing.svg)


def is_dashed(edge: ET.Element) -> bool:
    return any("stroke-dasharray" in path.attrib for path in edge.iter(f"{SVG}path"))


def test_routes_written_in_next_are_dashed_and_labelled(examples: dict[str, Map]) -> None:
    drawing = examples["omnichannel-support"]
    order = [tp["id"] for tp in drawing.touchpoints()]
    forks = 0
    for index, touchpoint in enumerate(drawing.touchpoints()):
        written = touchpoint["next"] != order[index + 1 : index + 2]
        for target in touchpoint["next"]:
            if not written:
                assert not is_dashed(drawing.element(f"flow-{touchpoint['id']}.{target}"))
                continue
            route = drawing.element(f"branch-{touchpoint['id']}.{target}")
            assert is_dashed(route)
            if len(touchpoint["next"]) > 1:
                assert "branch" in texts(route)
                forks += 1
    assert forks >= 2, "the example's failed-call branch"


XSS = "<img src=x onerror=alert(1)>"
NASTY = rf"""jmap: 1
title: '{XSS} & "quotes" ]]> \N'
personas:
  - id: a
    name: "Zoë <b>bold</b>"
  - id: b
    name: 田中さん
stages:
  - id: s1
    name: "Stage <b>1</b> & ]]>"
    touchpoints:
      - id: t1
        name: '{XSS}'
        thoughts: ['It''s "bad" & <script>alert(1)</script> \N \G \']
        emotion: {{a: 2, b: 4}}
        pain_points:
          - text: 'A backslash at the end \'
            severity: critical
        backstage:
          - actor: R&D <team>
            text: 'back\slash \N \l'
      - id: t2
        name: 日本語のとても長いタッチポイントの名前です日本語のとても長い名前
        channel: chat
        emotion: 1
channels:
  - id: chat
    name: 非常に長いチャットのチャネルの名前です非常に長い名前
"""


def test_user_text_is_shown_as_text_and_never_as_markup(tmp_path: Path) -> None:
    drawing = build_one(tmp_path, NASTY)
    for element in drawing.svg.iter():
        assert element.tag.removeprefix(SVG) not in {"img", "script", "b", "foreignObject"}
        assert not any(name.lower().startswith("on") for name in element.attrib)
    shown = texts(drawing.svg)
    assert f'{XSS} & "quotes" ]]> \\N' in shown
    assert "Stage <b>1</b> & ]]>" in " ".join(shown)
    assert "back\\slash \\N \\l" in shown
    card = drawing.element("tp-t1")
    assert tooltip(card).startswith(f"{XSS} (Stage <b>1</b> & ]]>")
    assert "<script>alert(1)</script> \\N \\G \\" in tooltip(card)
    t1 = drawing.journey["stages"][0]["touchpoints"][0]
    assert "A backslash at the end \\" in texts(drawing.pain(t1, 1))


def display_width(line: str, size: float) -> float:
    """A generous estimate of a line's width: wide characters are a full em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in line)


def test_wide_characters_fit_their_card(tmp_path: Path) -> None:
    drawing = build_one(tmp_path, NASTY)
    card = drawing.element("tp-t2")
    left, right, _, _ = box(card)
    # The channel's name is not wrapped: only the padding for wide characters makes it fit.
    lines = [t for t in card.iter(f"{SVG}text") if "の" in "".join(t.itertext())]
    assert any("チャネル" in "".join(line.itertext()) for line in lines)
    for line in lines:
        text = "".join(line.itertext()).rstrip("\xa0")
        start = float(line.attrib["x"])
        assert start + display_width(text, float(line.attrib["font-size"])) <= right, text
        assert start >= left


def test_long_text_is_wrapped_into_a_card_of_normal_width(tmp_path: Path) -> None:
    name = " ".join(["Compares"] + ["many"] * 60) + " models"
    drawing = build_one(
        tmp_path,
        f"jmap: 1\ntitle: Long\nstages:\n  - name: Desire\n    touchpoints:\n"
        f"      - id: long\n        name: {name}\n        emotion: 3\n",
    )
    card = drawing.element("tp-long")
    left, right, _, _ = box(card)
    assert right - left < 300
    name_lines = [line for line in texts(card) if "many" in line]
    assert len(name_lines) > 5
    assert all(len(line) <= 32 for line in name_lines)


def test_the_same_journey_gives_the_same_bytes(tmp_path: Path) -> None:
    example = ROOT / "examples" / "omnichannel-support.yaml"
    first, second = tmp_path / "first", tmp_path / "second"
    build_maps(first, example)
    build_maps(second, example)
    env = {**os.environ, "PYTHONHASHSEED": "1"}
    subprocess.run(
        [sys.executable, "-m", "jmap", "build", str(example), "-f", "svg", "-o", "third"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    svg = "omnichannel-support.svg"
    expected = (first / svg).read_bytes()
    assert (second / svg).read_bytes() == expected
    assert (tmp_path / "third" / svg).read_bytes() == expected
