"""Discovery reads only regular files: a FIFO or a device never makes a command hang.

Each command runs as a real process with a timeout, so that a regression fails instead of
hanging the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import JOURNEY

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")

# Long enough for a slow, shared machine; a command blocked on a FIFO never ends.
TIMEOUT = 60

COMMANDS = {
    "validate": ["validate"],
    "build": ["build", "-o", "out", "--format", "md"],
    "lint": ["lint"],
}


def _jmap(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "jmap", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr
    return done


def _folder_with_a_fifo(tmp_path: Path) -> Path:
    folder = tmp_path / "journeys"
    folder.mkdir()
    (folder / "good.yaml").write_text(JOURNEY.format(n=1, emotion=3), encoding="utf-8")
    os.mkfifo(folder / "x.yaml")
    os.mkfifo(folder / "nested.yml")
    return folder


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_a_fifo_in_a_folder_is_skipped(command: str, tmp_path: Path) -> None:
    _folder_with_a_fifo(tmp_path)
    done = _jmap([*COMMANDS[command], "journeys"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "x.yaml" not in done.stdout + done.stderr
    assert "nested.yml" not in done.stdout + done.stderr


def test_a_folder_with_a_fifo_validates_only_its_journeys(tmp_path: Path) -> None:
    _folder_with_a_fifo(tmp_path)
    done = _jmap(["validate", "journeys"], tmp_path)
    assert done.stdout.splitlines() == [
        f"ok: {Path('journeys', 'good.yaml')}",
        "1 journey checked: 1 valid",
    ]


def test_a_build_next_to_a_fifo_writes_the_maps(tmp_path: Path) -> None:
    _folder_with_a_fifo(tmp_path)
    _jmap(COMMANDS["build"] + ["journeys"], tmp_path)
    assert (tmp_path / "out" / "good.md").is_file()


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_a_fifo_named_on_the_command_line_is_a_usage_error(command: str, tmp_path: Path) -> None:
    _folder_with_a_fifo(tmp_path)
    done = _jmap([*COMMANDS[command], str(Path("journeys", "x.yaml"))], tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"{Path('journeys', 'x.yaml')}: error: not a regular file (a pipe, a device or a"
        " socket); name a journey file"
    ]


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_a_fifo_named_for_pre_commit_is_a_usage_error(command: str, tmp_path: Path) -> None:
    _folder_with_a_fifo(tmp_path)
    done = _jmap([command, "--journeys-only", "journeys/x.yaml", "journeys/good.yaml"], tmp_path)
    assert done.returncode == 2
    assert "journeys/x.yaml: error: not a regular file" in done.stderr


def test_a_device_named_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    done = _jmap(["validate", "/dev/null"], tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("/dev/null: error: not a regular file")


def test_a_fifo_given_as_an_include_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "jmap.toml").write_text("")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "j.yaml").write_text(
        "jmap: 1\ntitle: T\ninclude: [pipe.yaml]\nstages:\n  - name: S\n", encoding="utf-8"
    )
    done = _jmap(["validate", "j.yaml"], tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "j.yaml:3:11: error: include 'pipe.yaml' is not a regular file: pipe.yaml"
    )


def test_a_fifo_in_place_of_a_committed_journey_does_not_stop_diff(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "x.yaml").write_text(JOURNEY.format(n=1, emotion=3), encoding="utf-8")
    git("add", "x.yaml")
    git("commit", "-q", "-m", "x")
    (tmp_path / "x.yaml").unlink()
    os.mkfifo(tmp_path / "x.yaml")
    done = _jmap(["diff", "--git", "HEAD"], tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("x.yaml: error: not a regular file")
