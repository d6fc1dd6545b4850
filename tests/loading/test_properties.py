"""Property tests: generated valid journeys load as written; a mutation gives a located error."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jmap
from jmap.model import EMOTION_LABELS

ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
# Any printable text: the loader must keep it exactly, whatever script or symbol it uses.
# (Not only spaces: a blank text is refused like an empty one.)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda text: "zz-" not in text and not text.isspace())
scores = st.integers(1, 5) | st.sampled_from(sorted(EMOTION_LABELS))


class _QuotingDumper(yaml.SafeDumper):
    """Writes every string double-quoted, so text like `no` or `0o7` stays text."""


_QuotingDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_QuotingDumper, allow_unicode=True, sort_keys=False, width=1000)


@st.composite
def journeys(draw: st.DrawFn) -> dict[str, Any]:
    personas = draw(st.lists(ids, max_size=3, unique=True))
    channels = draw(st.lists(ids, max_size=3, unique=True))
    stage_sizes = draw(st.lists(st.integers(0, 4), min_size=1, max_size=4))
    stage_ids = draw(
        st.lists(ids, min_size=len(stage_sizes), max_size=len(stage_sizes), unique=True)
    )
    total = sum(stage_sizes)
    touchpoint_ids = draw(st.lists(ids, min_size=total, max_size=total, unique=True))
    stages, position = [], 0
    for stage_id, size in zip(stage_ids, stage_sizes, strict=True):
        touchpoints = []
        for touchpoint_id in touchpoint_ids[position : position + size]:
            touchpoint: dict[str, Any] = {"id": touchpoint_id, "name": draw(texts)}
            with_channel = draw(st.booleans())
            if channels and with_channel:
                touchpoint["channel"] = draw(st.sampled_from(channels))
            form = draw(st.sampled_from(["none", "shared", "per-persona"]))
            if form == "shared":
                touchpoint["emotion"] = draw(scores)
            elif form == "per-persona" and personas:
                chosen = draw(st.lists(st.sampled_from(personas), min_size=1, unique=True))
                touchpoint["emotion"] = {persona: draw(scores) for persona in chosen}
            touchpoint["thoughts"] = draw(st.lists(texts, max_size=2))
            touchpoint["pain_points"] = draw(
                st.lists(
                    texts
                    | st.fixed_dictionaries(
                        {"text": texts, "severity": st.sampled_from(["low", "critical"])}
                    ),
                    max_size=2,
                )
            )
            if draw(st.booleans()):
                # A route is a touchpoint id, or a mapping with its label.
                target = st.sampled_from(touchpoint_ids)
                route = target | st.fixed_dictionaries({"to": target, "when": texts})
                touchpoint["next"] = draw(st.lists(route, max_size=2))
            touchpoints.append(touchpoint)
        position += size
        stages.append({"id": stage_id, "name": draw(texts), "touchpoints": touchpoints})
    return {
        "jmap": 1,
        "title": draw(texts),
        "personas": [{"id": p, "name": draw(texts)} for p in personas],
        "channels": [{"id": c, "name": draw(texts)} for c in channels],
        "stages": stages,
    }


def _score(value: int | str) -> int:
    return EMOTION_LABELS[value] if isinstance(value, str) else value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_valid_journeys_load_as_written(data: dict[str, Any]) -> None:
    journey = jmap.loads(dump(data), path="generated.yaml")
    assert journey.title == data["title"]
    assert [stage.id for stage in journey.stages] == [stage["id"] for stage in data["stages"]]
    written = [tp for stage in data["stages"] for tp in stage["touchpoints"]]
    loaded = list(journey.touchpoints())
    assert [tp.name for tp in loaded] == [tp["name"] for tp in written]
    for index, (source, touchpoint) in enumerate(zip(written, loaded, strict=True)):
        emotion = source.get("emotion")
        if isinstance(emotion, dict):
            assert touchpoint.emotion == {key: _score(value) for key, value in emotion.items()}
        elif emotion is not None:
            assert touchpoint.emotion == _score(emotion)
        following = [written[index + 1]["id"]] if index + 1 < len(written) else []
        routes = [r if isinstance(r, dict) else {"to": r} for r in source.get("next", following)]
        assert [(r.to, r.when) for r in touchpoint.next or []] == [
            (route["to"], route.get("when")) for route in routes
        ]
        assert [pain.text for pain in touchpoint.pain_points] == [
            pain if isinstance(pain, str) else pain["text"] for pain in source["pain_points"]
        ]


def _position_of(text: str, needle: str) -> tuple[int, int]:
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


@st.composite
def broken_journeys(draw: st.DrawFn) -> tuple[dict[str, Any], str, str]:
    """A valid journey with one mistake; returns it, the marker text and the expected message."""
    data = draw(journeys())
    touchpoints = [tp for stage in data["stages"] for tp in stage["touchpoints"]]
    mistakes = ["unknown-key", "stage-key"]
    if touchpoints:
        mistakes += ["bad-emotion", "unknown-channel", "unknown-next"]
    mistake = draw(st.sampled_from(mistakes))
    if mistake == "unknown-key":
        data["zz-colour"] = "red"
        return data, '"zz-colour"', "unknown field 'zz-colour'"
    if mistake == "stage-key":
        draw(st.sampled_from(data["stages"]))["zz-owner"] = "CX"
        return data, '"zz-owner"', "unknown field 'zz-owner'"
    touchpoint = draw(st.sampled_from(touchpoints))
    if mistake == "bad-emotion":
        touchpoint["emotion"] = "zz-furious"
        return data, '"zz-furious"', "emotion must be a score from 1"
    if mistake == "unknown-channel":
        touchpoint["channel"] = "zz-fax"
        return data, '"zz-fax"', "unknown channel 'zz-fax'"
    touchpoint["next"] = ["zz-nowhere"]
    return data, '"zz-nowhere"', "unknown touchpoint 'zz-nowhere'"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_journeys())
def test_one_mistake_gives_one_error_at_its_place(case: tuple[dict[str, Any], str, str]) -> None:
    data, marker, message = case
    text = dump(data)
    try:
        jmap.loads(text, path="generated.yaml")
    except jmap.JourneyError as error:
        problems = error.problems
    else:
        raise AssertionError("the broken journey loaded")
    assert len(problems) == 1
    (problem,) = problems
    assert (problem.line, problem.column) == _position_of(text, marker)
    assert problem.message.startswith(message)
