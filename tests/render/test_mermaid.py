"""The Mermaid journey, checked by Mermaid itself: it parses, and draws what the journey says.

Mermaid's journey grammar gives no error for most text it misreads (a task called `title x`
silently becomes the diagram's title, `a%%b` silently disappears), so these tests read the
drawn SVG back and compare every title, section and task name with the journey. They need
Chromium, playwright and tests/node/node_modules (see tests/mermaid_check.py) and are skipped
without them, unless JMAP_REQUIRE_BROWSER=1 makes that a failure (as in CI).
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from jmap.loading.loader import load
from jmap.model import Journey
from jmap.palette import GRID
from jmap.view import EVERYONE, TouchpointView, journey_view
from tests.browser import require
from tests.helpers import EXAMPLES, ROOT, run_cli
from tests.mermaid_check import MMDC, Drawn, MermaidPage, missing, puppeteer_config


def built(journey: Path, output: Path) -> str:
    result = run_cli(["build", str(journey), "-f", "mermaid", "-o", str(output)])
    assert result.exit_code == 0, result.stdout + result.stderr
    return (output / f"{load(journey).id}.mmd").read_text(encoding="utf-8")


def flat(text: str) -> str:
    """Text as a drawing shows it: on one line, runs of spaces as one."""
    return " ".join(text.split())


def in_order(journey: Journey) -> list[TouchpointView]:
    """The touchpoints in the order the diagram has them: the file's, or, where the journey
    has branches, the main path's and then each branch's."""
    view = journey_view(journey)
    if not view.has_branches:
        return view.touchpoints
    return [touchpoint for path in view.paths for touchpoint in path.touchpoints]


def expected_sections(journey: Journey) -> list[str]:
    """A section per stage; where the journey has branches, per run of a path in a stage."""
    view = journey_view(journey)
    if not view.has_branches:
        return [flat(s.stage.name) for s in view.stages if any(t.feelings for t in s.touchpoints)]
    sections: list[str] = []
    for path in view.paths:
        runs: list[list[TouchpointView]] = []
        for tp in path.touchpoints:
            if not runs or runs[-1][0].stage is not tp.stage:
                runs.append([])
            runs[-1].append(tp)
        for run in runs:
            if any(tp.feelings for tp in run):
                name = run[0].stage.name
                sections.append(flat(name if path.is_main else f"{name}, branch: {path.name}"))
    return sections


def expected_tasks(journey: Journey) -> list[tuple[str, int, list[str]]]:
    """(task name, score, actors) for each task: one per distinct feeling at a touchpoint."""
    tasks: list[tuple[str, int, list[str]]] = []
    for touchpoint in in_order(journey):
        by_score: dict[int, list[str]] = {}
        for feeling in touchpoint.feelings:
            who = touchpoint.personas if feeling.persona is EVERYONE else [feeling.persona]
            by_score.setdefault(feeling.mood.score, []).extend(flat(p.name) for p in who)
        name = flat(touchpoint.touchpoint.name)
        for score, actors in by_score.items():
            # Where personas feel differently, each task's name says whose it is.
            whose = ", ".join(actor.split(",")[0].strip() or actor for actor in actors)
            tasks.append((f"{name} ({whose})" if len(by_score) > 1 else name, score, actors))
    return tasks


def assert_draws(drawn: Drawn, journey: Journey) -> None:
    assert drawn.title == flat(journey.title)
    assert drawn.sections == expected_sections(journey)
    tasks = expected_tasks(journey)
    assert drawn.tasks == [name for name, _, _ in tasks]
    assert drawn.scores == [score for _, score, _ in tasks]
    assert drawn.actors == [actors for _, _, actors in tasks]
    assert set(drawn.circles) == {actor for _, _, actors in tasks for actor in actors}
    # Text is text: nothing a name contains became an element.
    assert not drawn.elements & {"a", "b", "i", "img", "script", "iframe"}, drawn.elements


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_example_draws_its_journey(
    mermaid: MermaidPage, example: Path, tmp_path: Path
) -> None:
    drawn = mermaid.draw(built(example, tmp_path))
    assert_draws(drawn, load(example))
    # The actor legend shows every persona that feels something, however its name wraps.
    legend = " ".join(drawn.legend)
    assert all(actor in legend for actor in drawn.circles)


# Each of these once broke or silently changed a Mermaid journey (mermaid 11.17.2).
HAZARDS = [
    "title x",
    "Section y",
    "journey z",
    "JOURNEY-x",
    "accTitle: q",
    "accDescr: y",
    "accDescr{ multi",
    "a%%b",
    "%lead",
    "x %% y",
    "%%{init: {'theme':'dark'}}%%",
    "#59; typed literally",
    "a&#59;b",
    "Call #support; then",
    "Q&A: 5, 6; #7",
    "<b>bold</b> & <i>it</i>",
    "line<br>break",
    "<img src=x onerror=alert(1)>",
    "style: a #b; c",
    "classDef: q #a;",
    "pilcrow ¶ß and ﬂ° placeholders",
    "quotes \"double\" and 'single'",
    "back`tick`s",
    "é ☃ 😀 👩‍👩‍👧",
    "שלום עולם",
    "مرحبا: بالعالم",
    "}",
    "  spaces   inside  ",
    "two\nlines",
    "x: 5: y",
]


def hazard_journey(folder: Path) -> Path:
    people = [
        {"id": "ann", "name": "Ann, the; #1: 50%"},
        {"id": "bo", "name": "Bo"},
        {"id": "cy", "name": "title Cy, %%x"},
    ]
    stages: list[dict[str, Any]] = []
    for start in range(0, len(HAZARDS), 5):
        names = HAZARDS[start : start + 5]
        touchpoints: list[dict[str, Any]] = [
            {"id": f"t{start + i}", "name": name, "emotion": (start + i) % 5 + 1}
            for i, name in enumerate(names)
        ]
        stages.append({"id": f"s{start}", "name": names[0], "touchpoints": touchpoints})
    # Personas who feel differently, one who feels nothing, and a touchpoint with no emotion.
    stages[0]["touchpoints"][0]["emotion"] = {"ann": 1, "bo": 5, "cy": 1}
    stages[1]["touchpoints"][1]["emotion"] = {"ann": 2, "bo": 4}
    del stages[2]["touchpoints"][2]["emotion"]
    stages[3]["touchpoints"][0]["personas"] = ["bo", "cy"]
    stages.append({"id": "empty", "name": "A stage with no touchpoints"})
    journey = {
        "jmap": 1,
        "id": "hazards",
        "title": "title: a;b #c, %%d <br> & accTitle: x",
        "personas": people,
        "stages": stages,
    }
    path = folder / "hazards.yaml"
    path.write_text(yaml.safe_dump(journey, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_branches_are_drawn_after_the_main_path_and_noted(
    mermaid: MermaidPage, tmp_path: Path
) -> None:
    source = built(ROOT / "examples" / "omnichannel-support.yaml", tmp_path)
    drawn = mermaid.draw(source)
    # The agreement is followed by what follows it on the main path, not by its alternative.
    after = drawn.tasks[drawn.tasks.index("Agrees a replacement") + 1]
    assert after == "Gets confirmation email"
    assert drawn.sections[-1] == "Resolution, branch: The transfer drops the call"
    assert drawn.tasks[-2:] == ["Call drops on transfer", "Gets a callback next day"]
    notes = [line.strip() for line in source.splitlines() if line.strip().startswith("%% ")]
    assert notes[0].startswith("%% Mermaid's journey diagram draws one sequence and cannot show")
    assert notes[1:] == [
        "%% Branch The transfer drops the call: leaves after Explains issue to agent, rejoins at"
        " Gets confirmation email.",
        "%% Routes from Explains issue to agent: Agrees a replacement or Call drops on transfer"
        " (when: The transfer drops the call).",
    ]


def test_a_note_cannot_become_a_directive(mermaid: MermaidPage, tmp_path: Path) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(
        "jmap: 1\ntitle: Notes\nstages:\n  - name: S\n    touchpoints:\n"
        "      - {id: a, name: A, emotion: 3, next: [{to: b, when: 'DIRECTIVE'}]}\n"
        "      - {id: b, name: B, emotion: 4}\n".replace(
            "DIRECTIVE", '%%{init: {"theme": "dark"}}%%'
        ),
        encoding="utf-8",
    )
    source = built(path, tmp_path)
    assert '%%{init: {"theme' not in source
    assert mermaid.draw(source).tasks == ["A", "B"]


def test_hostile_names_are_drawn_exactly_as_written(mermaid: MermaidPage, tmp_path: Path) -> None:
    journey = hazard_journey(tmp_path)
    code = built(journey, tmp_path)
    assert_draws(mermaid.draw(code), load(journey))
    assert "%% no emotion recorded for" in code


def test_a_journey_without_personas_has_tasks_without_actors(
    mermaid: MermaidPage, tmp_path: Path
) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text(
        "jmap: 1\ntitle: Plain\nstages:\n  - name: Only\n    touchpoints:\n"
        "      - {name: Sees ad, emotion: 4}\n      - {name: Buys}\n",
        "utf-8",
    )
    drawn = mermaid.draw(built(path, tmp_path))
    assert (drawn.tasks, drawn.scores, drawn.actors) == (["Sees ad"], [4], [[]])


@pytest.mark.slow
def test_the_mermaid_cli_renders_an_example(tmp_path: Path) -> None:
    reason = missing() or (None if shutil.which("node") else "node is not on PATH")
    if reason is None and not MMDC.exists():
        reason = "tests/node/node_modules/.bin/mmdc is missing"
    require(reason)
    source = tmp_path / "journey.mmd"
    source.write_text(built(EXAMPLES[0], tmp_path), "utf-8")
    target = tmp_path / "journey.svg"
    command = [str(MMDC), "-q", "-i", str(source), "-o", str(target)]
    command += ["-p", str(puppeteer_config(tmp_path))]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    root = ET.parse(target).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {"".join(element.itertext()).strip() for element in root.iter()}
    assert load(EXAMPLES[0]).title in texts


# --- as GitHub shows it -------------------------------------------------------------------------


def test_personas_who_feel_differently_are_named_on_their_tasks(
    mermaid: MermaidPage, tmp_path: Path
) -> None:
    drawn = mermaid.draw(built(ROOT / "examples" / "b2b-software-purchase.yaml", tmp_path))
    trial = [task for task in drawn.tasks if task.startswith("Runs a 14-day trial")]
    assert trial == ["Runs a 14-day trial (Priya)", "Runs a 14-day trial (Daniel)"]
    # Where everyone feels the same, the name is the touchpoint's alone.
    assert "Reads peer reviews" in drawn.tasks


def test_each_persona_has_a_colour_of_its_own_from_the_svg_map(
    mermaid: MermaidPage, tmp_path: Path
) -> None:
    journey = hazard_journey(tmp_path)
    looked = mermaid.look(built(journey, tmp_path))
    # Mermaid's own would be two greens and a cyan: these are the SVG map's curve colours,
    # chosen to be told apart by colour-blind readers, on white and on GitHub's dark page.
    assert len(looked.fills) == 3
    assert len(set(looked.fills)) == 3
    curves = {"rgb({}, {}, {})".format(*bytes.fromhex(colour[1:])) for colour in GRID.curves[:3]}
    assert set(looked.fills) == curves


LONG = (
    "Calls the support line a second time after the chat assistant fails to find the order number"
)


def test_long_task_names_are_wrapped_not_cut(mermaid: MermaidPage, tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text(
        "jmap: 1\ntitle: Long names\npersonas: [{id: a, name: Ann}, {id: b, name: Bo}]\n"
        "stages:\n  - name: Only\n    touchpoints:\n"
        f"      - {{name: '{LONG}', emotion: {{a: 1, b: 5}}}}\n"
        "      - {name: Supercalifragilisticexpialidociousness, emotion: 3}\n"
        "      - {name: Short, emotion: 4}\n",
        "utf-8",
    )
    code = built(path, tmp_path)
    assert mermaid.draw(code).tasks[0] == f"{LONG} (Ann)"
    assert mermaid.look(code).cut == []


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_no_example_task_is_cut_and_the_diagram_is_compact(
    mermaid: MermaidPage, example: Path, tmp_path: Path
) -> None:
    code = built(example, tmp_path)
    looked = mermaid.look(code)
    assert looked.cut == []
    # Mermaid's defaults give 200 px a task; jmap's layout (docs/output.md) at most 170.
    tasks = len(mermaid.draw(code).tasks)
    assert looked.width < 170 * tasks + 600
