"""What the corpora broke, kept as quick tests of one journey each."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from jmap.errors import JourneyError
from jmap.loading.loader import loads
from jmap.slug import is_id
from tests.corpora import (
    STRINGS,
    assert_inside,
    dump,
    flat,
    problems,
)
from tests.helpers import run_cli

# What the corpora broke, kept quick -------------------------------------------------------------


def test_control_characters_and_references_stay_text_in_the_svg(tmp_path: Path) -> None:
    title = "Red \x1b[31m &#14; &lt;b&gt;\nsecond line"
    journey = {
        "jmap": 1,
        "id": "broke",
        "title": title,
        "stages": [{"id": "s", "name": "S", "touchpoints": [{"id": "t", "name": title}]}],
    }
    source = tmp_path / "broke.yaml"
    source.write_text(dump(journey), "utf-8")
    result = run_cli(["build", str(source), "-f", "svg", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    root = ET.parse(tmp_path / "broke.svg").getroot()
    # Graphviz refused the escape character; XML cannot hold it, so it shows as its picture.
    shown = "Red \u241b[31m &#14; &lt;b&gt;"
    texts = [
        "".join(element.itertext()) for element in root.iter("{http://www.w3.org/2000/svg}text")
    ]
    # The heading, wrapped at spaces: a line break is a place to wrap, and glues no words.
    assert f"{shown} second line" in " ".join(texts)
    # Tooltips show a reference as typed, where Graphviz read it as the character it names.
    tooltips = [element.text or "" for element in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any(f"{shown}\nsecond line" in tip for tip in tooltips), tooltips


def test_mermaid_gets_a_task_for_every_touchpoint(tmp_path: Path) -> None:
    names = ["\ufeff", "nul \x00 here", "\ufeff\u2028 \t"]
    touchpoints = [{"id": f"t{n}", "name": name, "emotion": 3} for n, name in enumerate(names)]
    stages = [{"id": "s", "name": "S", "touchpoints": touchpoints}]
    journey = {"jmap": 1, "id": "tasks", "title": "T", "stages": stages}
    source = tmp_path / "tasks.yaml"
    source.write_text(dump(journey), "utf-8")
    assert run_cli(["build", str(source), "-f", "mermaid", "-o", str(tmp_path)]).exit_code == 0
    tasks = (tmp_path / "tasks.mmd").read_text("utf-8").splitlines()[-3:]
    # Mermaid skips JavaScript's whitespace (U+FEFF among it) before a task name: a name of
    # nothing else left a line without a task, which Mermaid cannot parse.
    assert [flat(line) for line in tasks] == ["#32;: 3", "nul \ufffd here: 3", "#32;: 3"]


# Ids and text YAML cannot carry --------------------------------------------------------------


def id_journey(ident: str) -> dict[str, Any]:
    """A journey with `ident` as every id it defines and every reference it makes."""
    touchpoint = {
        "id": ident,
        "name": "Looks",
        "channel": ident,
        "personas": [ident],
        "emotion": {ident: 2},
        "next": [ident],
        "pain_points": [{"id": ident, "text": "Slow"}],
        "opportunities": [{"id": ident, "text": "Faster", "answers": [ident]}],
    }
    return {
        "jmap": 1,
        "id": ident,
        "title": "Ids",
        "personas": [{"id": ident, "name": "Ann"}],
        "channels": [{"id": ident, "name": "Web"}],
        "stages": [{"id": ident, "name": "Look", "touchpoints": [touchpoint]}],
    }


# Seven ids defined, five references to them: each written on a line of its own.
ID_PLACES = 12


@pytest.mark.slow
def test_a_string_is_an_id_only_if_it_is_one() -> None:
    accepted = []
    for ident in STRINGS:
        text = dump(id_journey(ident))
        found = problems(text, "ids.yaml")
        if not found:
            journey = loads(text, "ids.yaml")
            assert journey.id == journey.stages[0].touchpoints[0].id == ident
            accepted.append(ident)
            continue
        assert len({problem.line for problem in found}) >= ID_PLACES, found
        for problem in found:
            assert_inside(problem, text)
    assert accepted == [ident for ident in STRINGS if is_id(ident)]
    assert len(accepted) > 10


def test_a_lone_surrogate_is_a_located_error() -> None:
    # YAML can write one as an escape; no file can hold it as UTF-8.
    with pytest.raises(JourneyError) as raised:
        loads('jmap: 1\ntitle: "half \\ud800 a pair"\nstages: [{name: A}]\n', "s.yaml")
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (2, 8)


# Found by these corpora, fixed in the loader -------------------------------------------------


def test_a_journey_written_as_json_keeps_its_emoji() -> None:
    text = json.dumps({"jmap": 1, "title": "Run 🏃", "stages": [{"name": "Go"}]})
    assert loads(text, "json.yaml").title == "Run 🏃"


def test_a_number_in_a_text_field_stays_as_written() -> None:
    journey = loads(
        "jmap: 1\ntitle: 1.10\nstages:\n  - name: 08\n    touchpoints: [{name: 1E2}]\n", "n.yaml"
    )
    assert [journey.title, journey.stages[0].name, journey.stages[0].touchpoints[0].name] == [
        "1.10",
        "08",
        "1E2",
    ]


def test_a_bad_persona_id_in_an_emotion_points_at_the_key() -> None:
    text = (
        "jmap: 1\ntitle: T\npersonas: [{id: ann, name: Ann}]\nstages:\n  - name: S\n"
        "    touchpoints:\n      - name: Looks\n        emotion:\n          Ann: 2\n"
    )
    with pytest.raises(JourneyError) as raised:
        loads(text, "e.yaml")
    messages = {(p.line, p.column): p.message for p in raised.value.problems}
    assert "[key]" not in " ".join(messages.values())
    assert "'Ann' is not a valid id" in messages[(9, 11)]


def test_a_problem_is_one_plain_line_whatever_it_quotes() -> None:
    text = 'jmap: 1\ntitle: T\nid: "two\\nlines \\e[2J"\nstages: [{name: A}]\n'
    with pytest.raises(JourneyError) as raised:
        loads(text, "m.yaml")
    for problem in raised.value.problems:
        assert str(problem).isprintable(), str(problem)


def test_a_unicode_line_separator_is_not_a_new_line_of_the_file() -> None:
    text = 'jmap: 1\ndescription: "one\u2028two"\ntitle: T\nstages: [{name: A}]\nextra: 1\n'
    with pytest.raises(JourneyError) as raised:
        loads(text, "l.yaml")
    (problem,) = raised.value.problems
    assert (problem.line, problem.column) == (5, 1)


def test_a_blank_text_is_refused_like_an_empty_one() -> None:
    with pytest.raises(JourneyError) as raised:
        loads('jmap: 1\ntitle: "  "\nstages: [{id: a, name: "\\t"}]\n', "b.yaml")
    assert [(p.line, p.column) for p in raised.value.problems] == [(2, 8), (3, 24)]
