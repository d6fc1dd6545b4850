"""Limits: each refuses a file with a located error that says how to raise it, each has the
default docs/format.md states, and `[tool.jmap.limits]` raises it for every command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import jmap
from jmap.config import read_config
from jmap.loading.limits import DEFAULT_LIMITS, LIMIT_NAMES, Limits
from tests.helpers import ROOT, run_cli

HEADER = "jmap: 1\ntitle: Many touchpoints\nstages:\n  - name: All\n    touchpoints:\n"


def _touchpoints(count: int) -> str:
    """A journey of `count` touchpoints, the n-th on line 5 + n, at column 9."""
    return HEADER + "".join(f"      - {{name: t{n}}}\n" for n in range(1, count + 1))


def _messages(text: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    try:
        jmap.loads(text, path="j.yaml", limits=limits)
    except jmap.JourneyError as error:
        return [str(problem) for problem in error.problems]
    return []


# The defaults, and what a file over them is told


def test_every_limit_is_documented_with_its_default() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| [^|]+ \| `(\w+)` \| ([\d,]+)", text, flags=re.MULTILINE))
    limits = Limits()
    assert rows == {name: f"{getattr(limits, name):,}" for name in LIMIT_NAMES}


def test_one_touchpoint_too_many_is_refused_at_that_touchpoint() -> None:
    assert _messages(_touchpoints(2_000)) == []
    assert _messages(_touchpoints(2_001)) == [
        "j.yaml:2006:9: error: touchpoint 2,001 exceeds the limit of 2,000 touchpoints per"
        " journey; split the journey, or raise `limits.max_touchpoints` in the project config"
    ]


def test_touchpoints_are_counted_across_stages() -> None:
    text = (
        "jmap: 1\ntitle: t\nstages:\n"
        "  - {name: A, touchpoints: [{name: a}, {name: b}]}\n"
        "  - {name: B, touchpoints: [{name: c}, {name: d}]}\n"
    )
    assert _messages(text, Limits(max_touchpoints=3)) == [
        "j.yaml:5:40: error: touchpoint 4 exceeds the limit of 3 touchpoints per journey;"
        " split the journey, or raise `limits.max_touchpoints` in the project config"
    ]


def test_a_text_over_the_limit_is_refused_where_it_starts() -> None:
    text = "jmap: 1\ntitle: {}\nstages: [{{name: A}}]\n"
    assert _messages(text.format("x" * 10_000)) == []
    assert _messages(text.format("x" * 10_001)) == [
        "j.yaml:2:8: error: this text is 10,001 characters long, over the limit of 10,000;"
        " shorten it, or raise `limits.max_text_length` in the project config"
    ]


def test_a_key_counts_as_text_too() -> None:
    text = f"jmap: 1\ntitle: t\n{'k' * 50}: 1\nstages: [{{name: A}}]\n"
    assert _messages(text, Limits(max_text_length=40)) == [
        "j.yaml:3:1: error: this text is 50 characters long, over the limit of 40;"
        " shorten it, or raise `limits.max_text_length` in the project config"
    ]


def test_a_long_text_in_an_included_file_is_refused_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "jmap.toml").write_text("")
    (tmp_path / "people.yaml").write_text(f"personas:\n  - name: {'p' * 30}\n")
    journey = tmp_path / "j.yaml"
    journey.write_text("jmap: 1\ntitle: t\ninclude: people.yaml\nstages: [{name: A}]\n")
    with pytest.raises(jmap.JourneyError) as raised:
        jmap.load(journey, Limits(max_text_length=20))
    assert [str(problem) for problem in raised.value.problems] == [
        f"{tmp_path / 'people.yaml'}:2:11: error: this text is 30 characters long, over the"
        " limit of 20; shorten it, or raise `limits.max_text_length` in the project config"
        f" (included from {journey}:3:10)"
    ]


# [tool.jmap.limits]


def test_the_project_config_raises_a_limit_for_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "big.yaml").write_text(_touchpoints(2_001))
    monkeypatch.chdir(tmp_path)
    assert run_cli(["validate", "big.yaml"]).exit_code == 1
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.jmap.limits]\nmax_touchpoints = 2001\n'
    )
    result = run_cli(["validate", "big.yaml"])
    assert (result.exit_code, result.stdout) == (0, "ok: big.yaml\n1 journey checked: 1 valid\n")


LOWERED = (
    "j.yaml:8:9: error: touchpoint 3 exceeds the limit of 2 touchpoints per journey; split the"
    " journey, or raise `limits.max_touchpoints` in the project config"
)


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "j.yaml"],
        ["build", "j.yaml", "-f", "json"],
        ["lint", "j.yaml"],
        ["diff", "j.yaml", "j.yaml"],
    ],
    ids=["validate", "build", "lint", "diff"],
)
def test_every_command_that_reads_journeys_uses_the_configured_limits(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "j.yaml").write_text(_touchpoints(3))
    (tmp_path / "jmap.toml").write_text("[limits]\nmax_touchpoints = 2\n")
    monkeypatch.chdir(tmp_path)
    result = run_cli(command)
    assert result.exit_code == 1
    assert LOWERED in result.stdout + result.stderr
    assert not (tmp_path / "maps").exists()


def test_changing_a_limit_makes_the_next_build_check_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "j.yaml").write_text(_touchpoints(3))
    monkeypatch.chdir(tmp_path)
    assert run_cli(["build", "j.yaml", "-f", "json"]).exit_code == 0
    (tmp_path / "jmap.toml").write_text("[limits]\nmax_touchpoints = 2\n")
    result = run_cli(["build", "j.yaml", "-f", "json"])
    assert result.exit_code == 1
    assert LOWERED in result.stdout


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            "[tool.jmap.limits]\nmax_touchpoint = 5\n",
            "2:1: error: unknown limit 'max_touchpoint' (did you mean 'max_touchpoints'?)",
        ),
        (
            "[tool.jmap.limits]\ntimeout = 5\n",
            "2:1: error: unknown limit 'timeout'; known limits: " + ", ".join(LIMIT_NAMES),
        ),
        (
            "[tool.jmap.limits]\nmax_text_length = 0\n",
            "2:1: error: limits.max_text_length must be a whole number of at least 1",
        ),
        (
            "[tool.jmap.limits]\nmax_nodes = 1.5e6\n",
            "2:1: error: limits.max_nodes must be a whole number of at least 1",
        ),
        (
            '[tool.jmap.limits]\nmax_file_bytes = "8 MB"\n',
            "2:1: error: limits.max_file_bytes must be a whole number of at least 1",
        ),
        (
            "[tool.jmap.limits]\nmax_include_depth = true\n",
            "2:1: error: limits.max_include_depth must be a whole number of at least 1",
        ),
        (
            "[tool.jmap.limits]\nmax_depth = 201\n",
            "2:1: error: limits.max_depth can be at most 200: deeper nesting would exhaust"
            " Python's stack",
        ),
        (
            '[tool.jmap]\npaths = ["."]\nlimits = 5\n',
            "3:1: error: limits must be a table: [tool.jmap.limits] or [limits]",
        ),
        (
            '[tool.jmap]\npaths = ["."]\nlimits = { max_touchpoints = -1 }\n',
            "3:1: error: limits.max_touchpoints must be a whole number of at least 1",
        ),
        (
            '[tool.jmap]\npaths = ["."]\nlimits.max_touchpoints = 0\n',
            "3:1: error: limits.max_touchpoints must be a whole number of at least 1",
        ),
    ],
    ids=[
        "typo",
        "unknown",
        "zero",
        "float",
        "text",
        "bool",
        "too-deep",
        "not-a-table",
        "inline",
        "dotted",
    ],
)
def test_a_wrong_limit_in_the_config_is_reported_at_its_line(
    toml: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(toml)
    (tmp_path / "j.yaml").write_text(_touchpoints(1))
    monkeypatch.chdir(tmp_path)
    for command in (["validate"], ["build", "-f", "json"]):
        result = run_cli(command)
        assert (result.exit_code, result.stderr) == (2, f"{config}:{message}\n")
    assert not (tmp_path / "maps").exists()


def test_a_jmap_toml_takes_a_limits_table(tmp_path: Path) -> None:
    config = tmp_path / "jmap.toml"
    config.write_text('paths = ["."]\n\n[limits]\nmax_touchpoints = 5000\nmax_depth = 200\n')
    found = read_config(config)
    assert found is not None
    assert found.limits == Limits(max_touchpoints=5000, max_depth=200)
