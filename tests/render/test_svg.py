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
from jmap.wording import mood_words
from tests.grid import SVG, frame, group, groups, has_group, texts, title, words
from tests.helpers import EXAMPLES, ROOT

SEVERITY_WORDS = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW"}


@dataclass
class Map:
    svg: ET.Element
    journey: dict[str, Any]  # the normalised journey, as `jmap build -f json` writes it

    def touchpoints(self) -> Iterator[dict[str, Any]]:
        for stage in self.journey["stages"]:
            yield from stage["touchpoints"]

    def card(self, touchpoint: dict[str, Any]) -> ET.Element:
        return group(self.svg, "touchpoint", touchpoint["id"])

    def cell(self, lane: str, touchpoint: dict[str, Any]) -> ET.Element:
        (row,) = groups(self.svg, f"row-{lane}")
        return group(row, "cell", touchpoint["id"])

    def pain(self, touchpoint: dict[str, Any], number: int) -> ET.Element:
        pain = touchpoint["pain_points"][number - 1]
        return group(self.svg, "pain-point", pain["id"] or f"{touchpoint['id']}.pain-{number}")

    def opportunity_id(self, touchpoint: dict[str, Any], number: int) -> str:
        opportunity = touchpoint["opportunities"][number - 1]
        return opportunity["id"] or f"{touchpoint['id']}.opportunity-{number}"


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


def test_every_example_is_an_svg_with_an_accessible_name(examples: dict[str, Map]) -> None:
    assert len(examples) == len(EXAMPLES)
    for drawing in examples.values():
        assert drawing.svg.tag == f"{SVG}svg"
        assert drawing.svg.attrib["role"] == "img"
        title_id, desc_id = drawing.svg.attrib["aria-labelledby"].split()
        named = {e.get("id"): e for e in drawing.svg.iter() if e.get("id")}
        assert named[title_id].text == f"Journey map: {drawing.journey['title']}"
        assert drawing.journey["title"] in (named[desc_id].text or "") or (
            drawing.journey["description"] or "" in (named[desc_id].text or "")
        )
        assert drawing.journey["title"] in texts(drawing.svg)


def test_every_touchpoint_is_a_card_with_a_tooltip(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        for touchpoint in drawing.touchpoints():
            card = drawing.card(touchpoint)
            assert title(card).startswith(touchpoint["name"])
            assert " ".join(touchpoint["name"].split()[:2]) in words(card)


def test_every_part_is_a_group_with_a_class_and_the_journey_id_for_it(
    examples: dict[str, Map],
) -> None:
    for drawing in examples.values():
        stages = [g.get("data-id") for g in groups(drawing.svg, "stage")]
        assert stages == [stage["id"] for stage in drawing.journey["stages"]]
        cards = [g.get("data-id") for g in groups(drawing.svg, "touchpoint")]
        assert cards == [touchpoint["id"] for touchpoint in drawing.touchpoints()]
        pains = {g.get("data-id") for g in groups(drawing.svg, "pain-point")}
        opportunities = {g.get("data-id") for g in groups(drawing.svg, "opportunity")}
        for touchpoint in drawing.touchpoints():
            for number, pain in enumerate(touchpoint["pain_points"], start=1):
                assert (pain["id"] or f"{touchpoint['id']}.pain-{number}") in pains
            for number in range(1, len(touchpoint["opportunities"]) + 1):
                assert drawing.opportunity_id(touchpoint, number) in opportunities
        curves = [g.get("data-id") for g in groups(drawing.svg, "curve")]
        personas = [p["id"] for p in drawing.journey["personas"]]
        assert curves in (["*"], personas)


def test_stages_are_columns_in_file_order_with_aligned_edges(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        bands = [frame(group(drawing.svg, "stage", s["id"])) for s in drawing.journey["stages"]]
        assert [band.left for band in bands] == sorted({band.left for band in bands})
        assert len({band.top for band in bands}) == 1
        assert len({band.bottom for band in bands}) == 1
        for stage, band in zip(drawing.journey["stages"], bands, strict=True):
            for touchpoint in stage["touchpoints"]:
                card = frame(drawing.card(touchpoint))
                assert band.left < card.left < card.right < band.right


def test_pain_points_are_marked_with_their_severity_in_words(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        for touchpoint in drawing.touchpoints():
            card = frame(drawing.card(touchpoint))
            for number, pain in enumerate(touchpoint["pain_points"], start=1):
                shown = drawing.pain(touchpoint, number)
                assert SEVERITY_WORDS[pain["severity"]] in texts(shown)
                assert " ".join(pain["text"].split()[:2]) in words(shown)
                below = frame(shown)
                assert below.top > card.bottom, "a pain point sits below its touchpoint"
                assert card.left <= below.left < below.right <= card.right


def test_every_emotion_is_written_as_score_and_label(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        for touchpoint in drawing.touchpoints():
            emotion = touchpoint["emotion"]
            scores = emotion.values() if isinstance(emotion, dict) else [emotion]
            shown = words(drawing.cell("feeling", touchpoint))
            for score in scores:
                assert mood_words(MOODS[score]) in shown


def test_the_lowest_points_are_ringed_and_named(examples: dict[str, Map]) -> None:
    drawing = examples["shoe-purchase"]  # one persona, so one curve
    lowest = min(tp["emotion"] for tp in drawing.touchpoints())
    (line,) = groups(drawing.svg, "curve")
    rings = [
        float(c.get("cx", 0)) for c in line.iter(f"{SVG}circle") if "jm-ring" in c.get("class", "")
    ]
    assert texts(line).count("lowest") == len(rings)
    for touchpoint in drawing.touchpoints():
        card = frame(drawing.card(touchpoint))
        ringed = any(card.left < x < card.right for x in rings)
        assert ringed == (touchpoint["emotion"] == lowest), touchpoint["id"]
        assert ("Moment that matters" in " ".join(texts(drawing.card(touchpoint)))) == ringed


def test_opportunities_are_joined_to_the_pain_points_they_answer(
    examples: dict[str, Map],
) -> None:
    for drawing in examples.values():
        where = {
            pain["id"]: touchpoint["id"]
            for touchpoint in drawing.touchpoints()
            for pain in touchpoint["pain_points"]
            if pain["id"]
        }
        for touchpoint in drawing.touchpoints():
            for number, opportunity in enumerate(touchpoint["opportunities"], start=1):
                identifier = drawing.opportunity_id(touchpoint, number)
                shown = group(drawing.svg, "opportunity", identifier)
                assert " ".join(opportunity["text"].split()[:2]) in words(shown)
                for pain in opportunity["answers"]:
                    assert "answers:" in words(shown)
                    linked = has_group(drawing.svg, "route", f"{identifier}>{pain}")
                    assert linked == (where[pain] != touchpoint["id"]), (identifier, pain)


def test_backstage_sits_in_a_lane_under_the_line_of_visibility(examples: dict[str, Map]) -> None:
    for drawing in examples.values():
        (line,) = groups(drawing.svg, "visibility")
        assert "Line of visibility" in texts(drawing.svg)
        path = next(line.iter(f"{SVG}path")).get("d", "")
        visibility_y = float(path.split()[1].split("H")[0])
        for touchpoint in drawing.touchpoints():
            assert frame(drawing.card(touchpoint)).bottom < visibility_y
            if touchpoint["backstage"]:
                cell = drawing.cell("backstage", touchpoint)
                assert frame(cell).top > visibility_y
                for work in touchpoint["backstage"]:
                    assert (work["actor"] or work["text"].split()[0]) in words(cell)


def test_a_journey_without_backstage_has_no_lane(tmp_path: Path) -> None:
    drawing = build_one(
        tmp_path,
        "jmap: 1\ntitle: Front stage only\nstages:\n"
        "  - name: Awareness\n    touchpoints:\n      - name: Sees an ad\n        emotion: 4\n",
    )
    assert not groups(drawing.svg, "visibility")
    assert not groups(drawing.svg, "row-backstage")
    assert "Line of visibility" not in words(drawing.svg)


def test_routes_written_in_next_are_drawn_and_labelled(examples: dict[str, Map]) -> None:
    drawing = examples["omnichannel-support"]
    order = [tp["id"] for tp in drawing.touchpoints()]
    forks = 0
    labelled = 0
    for index, touchpoint in enumerate(drawing.touchpoints()):
        # A route is a touchpoint id, or {to, when} where it has a label (the JSON output).
        routes = [r if isinstance(r, dict) else {"to": r} for r in touchpoint["next"]]
        targets = [route["to"] for route in routes]
        written = targets != order[index + 1 : index + 2] or any("when" in r for r in routes)
        for route in routes:
            target = route["to"]
            drawn = has_group(drawing.svg, "route", f"{touchpoint['id']}>{target}")
            assert drawn == written
            if written and len(targets) > 1:
                line = group(drawing.svg, "route", f"{touchpoint['id']}>{target}")
                assert texts(line) == [route.get("when", "branch")]
                labelled += "when" in route
                assert "jm-route" in next(line.iter(f"{SVG}path")).get("class", "")
                forks += 1
    assert forks >= 2, "the example's failed-call branch"
    assert labelled == 1, "the failed call's route says when it is taken"


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
    shown = words(drawing.svg)  # lines wrap at spaces: joined again, they are the text
    assert f'{XSS} & "quotes" ]]> \\N' in shown
    assert "Stage <b>1</b> & ]]>" in shown
    assert "back\\slash \\N \\l" in shown
    t1 = drawing.journey["stages"][0]["touchpoints"][0]
    assert title(drawing.card(t1)).startswith(f"{XSS} (Stage <b>1</b> & ]]>")
    assert "<script>alert(1)</script> \\N \\G \\" in words(drawing.cell("thoughts", t1))
    assert "A backslash at the end \\" in words(drawing.pain(t1, 1))


def display_width(line: str, size: float) -> float:
    """A generous estimate of a line's width: wide characters are a full em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.6 * size for c in line)


def test_wide_characters_fit_their_card(tmp_path: Path) -> None:
    drawing = build_one(tmp_path, NASTY)
    card = drawing.card(drawing.journey["stages"][0]["touchpoints"][1])
    left, right = frame(card).left, frame(card).right
    lines = list(card.iter(f"{SVG}text"))
    # Wrapped between characters, as CJK text wraps: nothing is cut.
    assert "非常に長いチャットのチャネルの名前です非常に長い名前" in "".join(
        "".join(line.itertext()) for line in lines
    )
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
    card = drawing.card(drawing.journey["stages"][0]["touchpoints"][0])
    assert frame(card).right - frame(card).left < 300
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
    assert b"<svg" in expected


def test_the_heading_shows_the_moments_that_matter_and_the_top_three_opportunities(
    tmp_path: Path,
) -> None:
    ranking = ROOT / "tests" / "data" / "ranking.yaml"
    (only,) = build_maps(tmp_path, ranking).values()
    (header,) = groups(only.svg, "header")
    lines = texts(header)
    moments = lines.index("MOMENTS THAT MATTER")
    assert lines[moments + 1] == "2. Second step (Only): ▼▼ 1 very negative"
    top = lines.index("TOP OPPORTUNITIES")
    shown = " ".join(lines[top + 1 :])
    # High priority beats a worse pain; three personas beat one; then the journey's order.
    assert shown.index("1. High fix for a small pain (high priority) at 1. First step;") == 0
    assert shown.index("2. Medium fix for everyone") < shown.index("3. Medium fix for Ann")
    assert "answers critical: Everyone hurts" in shown
    assert "Medium fix for Bo" not in shown
    # Above the grid: the first stage starts below the heading's last line.
    (stage,) = groups(only.svg, "stage")[:1]
    last = list(header.iter(f"{SVG}text"))[-1]
    assert float(last.get("y", 0)) < frame(stage).top
