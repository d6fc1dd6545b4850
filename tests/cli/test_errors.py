"""One error path: every command reports a mistake in the same form and with the same exit
code, in a process of its own (`python -m jmap`) as in this one, and writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli

# Each command that reads journeys, with what it needs to run but a journey.
COMMANDS = {
    "validate": ["validate"],
    "build": ["build", "--output", "out"],
    "lint": ["lint", "--output", "out"],
    "serve": ["serve", "--port", "0"],
}


def both(args: list[str], folder: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """(exit code, stderr) of `jmap ARGS` in `folder`: in a new process, then in this one."""
    done = subprocess.run(
        [sys.executable, "-m", "jmap", *args], cwd=folder, capture_output=True, text=True
    )
    monkeypatch.chdir(folder)
    here = run_cli(args)
    return [(done.returncode, done.stderr), (here.exit_code, here.stderr)]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_file_is_named_first_on_its_line(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = (2, "missing.yaml: error: no such file or directory\n")
    assert both([*COMMANDS[command], "missing.yaml"], tmp_path, monkeypatch) == [expected] * 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [*COMMANDS, "diff"])
def test_a_configuration_mistake_stops_every_command_the_same_way(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "jmap.toml"
    config.write_text('output = "maps"\nformat = ["svg"]\n', encoding="utf-8")
    args = ["diff", "a.yaml", "b.yaml"] if command == "diff" else COMMANDS[command]
    line = f"{config.resolve()}:2:1: error: unknown key 'format' (did you mean 'formats'?)\n"
    assert both(args, tmp_path, monkeypatch) == [(2, line)] * 2
    assert sorted(tmp_path.iterdir()) == [config]


def test_a_usage_error_without_a_path_reads_error_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty").mkdir()
    expected = (2, "error: no journey files found in empty\n")
    for args in (["validate", "empty"], ["lint", "empty"], ["build", "empty", "-o", "out"]):
        assert both(args, tmp_path, monkeypatch) == [expected] * 2
    assert not (tmp_path / "out").exists()
