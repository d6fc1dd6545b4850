"""`jmap validate`, `python -m jmap` and the API on valid journeys and on folders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import jmap
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
        " description, customer_goal, business_goal, kpis, touchpoints",
        "2 journeys checked: 1 valid, 1 invalid (1 error)",
    ]


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    missing = run_cli(["validate", str(tmp_path / "missing.yaml")])
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'missing.yaml'}: no such file or directory\n"
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
        ["clicks"],
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
    assert journey.tags == ["no", "yes", "on", "2025-01-31", "10", "3.1"]
