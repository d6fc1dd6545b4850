"""`jmap validate`, `python -m jmap` and the API on valid journeys and on folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import jmap
from jmap.model import Route
from tests.helpers import EXAMPLES, ROOT, run_cli

MINIMAL = "jmap: 1\ntitle: Buying shoes\nstages:\n  - name: Awareness\n"


def test_there_are_realistic_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_example_validates(example: Path) -> None:
    result = run_cli(["validate", str(example)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[0] == f"ok: {example}"
    assert jmap.validate(example) == []


def test_examples_folder_validates_through_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "validate", "examples"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        done.stdout.splitlines()[-1] == f"{len(EXAMPLES)} journeys checked: {len(EXAMPLES)} valid"
    )


def test_a_folder_is_searched_for_journeys_only(tmp_path: Path) -> None:
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "nested" / "deeper" / "one.yml").write_text(MINIMAL)
    (tmp_path / "two.yaml").write_text(MINIMAL)
    (tmp_path / "docker-compose.yaml").write_text("services:\n  web: {image: nginx}\n")
    (tmp_path / "notes.txt").write_text(MINIMAL)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "three.yaml").write_text(MINIMAL)
    result = run_cli(["validate", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"ok: {tmp_path / 'two.yaml'}",
        f"ok: {tmp_path / 'nested' / 'deeper' / 'one.yml'}",
        "2 journeys checked: 2 valid",
    ]


def test_a_named_file_without_jmap_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text("services: {}\n")
    result = run_cli(["validate", str(path)])
    assert result.exit_code == 1
    assert "not a jmap journey" in result.stdout


def test_one_invalid_file_among_valid_ones_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(MINIMAL)
    (tmp_path / "bad.yaml").write_text(MINIMAL + "    colour: red\n")
    result = run_cli(["validate", "-q", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{tmp_path / 'bad.yaml'}:5:5: error: unknown field 'colour'; allowed here: id, name,"
        " description, owner, customer_goal, business_goal, kpis, touchpoints",
        "2 journeys checked: 1 valid, 1 invalid (1 error)",
    ]


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    missing = run_cli(["validate", str(tmp_path / "missing.yaml")])
    assert missing.exit_code == 2
    assert missing.stderr == f"{tmp_path / 'missing.yaml'}: error: no such file or directory\n"
    empty = run_cli(["validate", str(tmp_path)])
    assert empty.exit_code == 2
    assert "no journey files found" in empty.stderr
    assert run_cli(["validate", "--no-such-option"]).exit_code == 2


def test_version_and_help() -> None:
    assert run_cli(["--version"]).stdout == f"jmap {jmap.__version__}\n"
    for command in ([], ["validate"], ["schema"], ["init"]):
        result = run_cli([*command, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.stdout


def test_api_load_fills_defaults(tmp_path: Path) -> None:
    path = tmp_path / "Shoe Purchase.yaml"
    path.write_text(
        "jmap: 1\ntitle: Shoes\npersonas: [{name: Sam}, {name: Alex}]\nstages:\n"
        "  - name: Awareness\n    touchpoints:\n      - {name: Sees ad, emotion: positive}\n"
        "      - {name: Clicks, emotion: {sam: very-negative}, personas: [sam]}\n"
    )
    journey = jmap.load(path)
    assert journey.id == "shoe-purchase"
    first, second = journey.touchpoints()
    assert (first.id, first.emotion, first.personas, first.next) == (
        "sees-ad",
        4,
        ["sam", "alex"],
        [Route(to="clicks")],
    )
    assert (second.emotion, second.emotion_of("sam"), second.next) == ({"sam": 1}, 1, [])


def test_api_raises_journey_error_with_every_problem() -> None:
    with pytest.raises(jmap.JourneyError) as raised:
        jmap.loads("jmap: 1\ntitle: [x]\nstages: []\n", path="inline.yaml")
    assert [str(problem) for problem in raised.value.problems] == [
        "inline.yaml:2:8: error: title must be text, got a list; put it in quotes if it is text",
        "inline.yaml:3:9: error: a journey needs at least one stage under `stages:`",
    ]


def test_yaml_1_2_scalars_keep_text_as_text() -> None:
    journey = jmap.loads(
        "jmap: 1\ntitle: Norway\ntags: [no, yes, on, 2025-01-31, 010, 3.10]\nstages: [{name: A}]\n"
    )
    assert journey.tags == ["no", "yes", "on", "2025-01-31", "010", "3.10"]


NUMBERS_AS_TEXT = """\
jmap: 1
title: 1.10
owner: 0x1F
personas: [{id: 07, name: 1E2}]
stages:
  - name: 08
    customer_goal: +3
    kpis: [{name: 2025, value: 4.60, target: 08, unit: 1.0}]
    touchpoints:
      - name: 1_0
        personas: [07]
        emotion: {07: 02}
        pain_points: [1.50]
        backstage: [{text: 0o17, actor: .inf}]
"""


def test_a_number_in_a_text_field_is_text_as_written() -> None:
    journey = jmap.loads(NUMBERS_AS_TEXT)
    stage = journey.stages[0]
    touchpoint = stage.touchpoints[0]
    persona = journey.personas[0]
    assert [journey.title, journey.owner, persona.id, persona.name] == ["1.10", "0x1F", "07", "1E2"]
    assert [stage.name, stage.customer_goal, stage.kpis[0].name, stage.kpis[0].unit] == [
        *("08", "+3", "2025", "1.0"),
    ]
    assert [touchpoint.name, touchpoint.pain_points[0].text, touchpoint.personas] == [
        *("1_0", "1.50", ["07"]),
    ]
    assert [touchpoint.backstage[0].text, touchpoint.backstage[0].actor] == ["0o17", ".inf"]


def test_a_number_in_a_number_field_stays_a_number() -> None:
    journey = jmap.loads(NUMBERS_AS_TEXT)
    kpi = journey.stages[0].kpis[0]
    touchpoint = journey.stages[0].touchpoints[0]
    assert (kpi.value, kpi.target, touchpoint.emotion) == (4.6, 8, {"07": 2})
    assert [type(kpi.value), type(kpi.target), type(touchpoint.emotion_of("07"))] == [
        *(float, int, int),
    ]
    assert journey.model_dump(mode="json")["stages"][0]["kpis"][0]["value"] == 4.6


def test_an_id_written_as_a_number_is_referred_to_as_written() -> None:
    text = (
        "jmap: 1\ntitle: T\nstages:\n  - name: S\n    touchpoints:\n"
        "      - {id: 7, name: A, next: [07]}\n      - {id: 07, name: B, next: [7]}\n"
    )
    journey = jmap.loads(text)
    routes = [(tp.id, [route.to for route in tp.next or []]) for tp in journey.touchpoints()]
    assert routes == [("7", ["07"]), ("07", ["7"])]


def test_a_blank_text_is_refused_but_a_blank_description_is_kept() -> None:
    with pytest.raises(jmap.JourneyError) as raised:
        jmap.loads(
            'jmap: 1\ntitle: T\ntags: [" "]\nstages:\n  - name: A\n'
            '    touchpoints: [{name: B, actions: ["\\n"]}]\n'
        )
    assert [str(problem) for problem in raised.value.problems] == [
        "<string>:3:8: error: tags must not be blank: it holds only spaces, tabs or line breaks",
        "<string>:6:39: error: actions must not be blank: it holds only spaces, tabs or line"
        " breaks",
    ]
    assert jmap.loads(MINIMAL + 'description: "  "\n').description == "  "


def test_a_message_escapes_what_a_terminal_would_act_on() -> None:
    text = (
        'jmap: 1\ntitle: T\ninclude: ["a\\e]0;owned\\a.yaml"]\nstages:\n'
        '  - {name: A, touchpoints: [{name: B, channel: "web\\u2028\\t\\0 é\\\\n"}]}\n'
    )
    with pytest.raises(jmap.JourneyError) as raised:
        jmap.loads(text)
    messages = [problem.message for problem in raised.value.problems]
    assert all(message.isprintable() for message in messages), messages
    assert "include 'a\\x1b]0;owned\\x07.yaml'" in messages[0]


# Ids name the map files: `<id>.flow.svg` must fit the 255 bytes most file systems allow in a
# name.
LONGEST_ID = 246


def _too_long(size: int) -> str:
    return (
        f"the id is {size} bytes long; a map's file name allows an id of at most {LONGEST_ID}"
        " bytes: shorten the id"
    )


def _with_id(ident: str) -> str:
    return f"jmap: 1\ntitle: Buying shoes\nid: {ident}\nstages:\n  - name: Awareness\n"


@pytest.mark.parametrize("size", [LONGEST_ID + 1, 300])
def test_an_id_too_long_for_a_file_name_is_refused_at_the_id(tmp_path: Path, size: int) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(_with_id("a" * size), encoding="utf-8")
    result = run_cli(["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (f"{path}:3:5: error: {_too_long(size)}")


def test_an_id_is_measured_in_bytes(tmp_path: Path) -> None:
    # 100 CJK characters are 300 bytes in UTF-8: not an id, and too long for a file name.
    path = tmp_path / "j.yaml"
    path.write_text(_with_id("日" * 100), encoding="utf-8")
    result = run_cli(["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:3:5: error: id '{'日' * 100}' is not a valid id: use lowercase letters, digits"
        " and '-'",
        f"{path}:3:5: error: {_too_long(300)}",
        "1 journey checked: 0 valid, 1 invalid (2 errors)",
    ]


def test_an_id_written_as_a_long_number_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(_with_id("7" * 260), encoding="utf-8")
    result = run_cli(["validate", str(path)])
    assert result.stdout.splitlines()[0] == (f"{path}:3:5: error: {_too_long(260)}")


def test_build_and_lint_refuse_an_id_too_long_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "j.yaml").write_text(_with_id("a" * 260), encoding="utf-8")
    expected = f"j.yaml:3:5: error: {_too_long(260)}"
    for command in (["build", "-o", "out", "j.yaml"], ["lint", "j.yaml"]):
        done = subprocess.run(
            [sys.executable, "-m", "jmap", *command],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stdout + done.stderr
        assert expected in done.stdout, done.stdout
        assert "Traceback" not in done.stdout + done.stderr
    assert not list((tmp_path / "out").glob("a*"))


def test_an_id_at_the_limit_builds_in_every_format(tmp_path: Path) -> None:
    ident = "a" * LONGEST_ID
    (tmp_path / "j.yaml").write_text(_with_id(ident), encoding="utf-8")
    formats = "svg,html,md,mermaid,json,dot"
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "build", "-q", "-o", "out", "--format", formats, "j.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    written = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert [name for name in written if name.startswith(ident)] == [
        f"{ident}.{extension}" for extension in sorted(["svg", "html", "md", "mmd", "json", "dot"])
    ]


def test_a_file_name_that_gives_an_id_too_long_needs_an_id(tmp_path: Path) -> None:
    # The journey's id is the slug of its file name unless it has an `id:`. A slug too long is
    # refused rather than cut: a cut id would be a map name nobody chose, and could clash.
    # The longest name a file system allows (255 bytes) still gives an id one byte too long.
    path = tmp_path / f"{'a' * (LONGEST_ID + 1)}.yml"
    path.write_text(MINIMAL, encoding="utf-8")
    result = run_cli(["validate", str(path)])
    assert result.stdout.splitlines()[0] == (
        f"{path}:1:1: error: the file name gives an id of {LONGEST_ID + 1} bytes; a map's file"
        f" name allows an id of at most {LONGEST_ID} bytes: add a shorter `id:`"
    )
    path.write_text(MINIMAL + "id: shoes\n", encoding="utf-8")
    assert run_cli(["validate", str(path)]).exit_code == 0
