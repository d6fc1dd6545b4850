"""A ` #` comment that cuts a plain text short is reported, by every command that reads journeys.

The corpus case tests/data/malformed/comment-cuts-text.yaml shows which comments are reported
and which are not; these tests cover the project setting and the other ways in.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli

CUT = """jmap: 1
title: Calling support
stages:
  - name: Help
    touchpoints:
      - name: Calls line #2 after the chat fails
"""
MESSAGE = (
    "journey.yaml:6:26: error: the text ends here: ' #' starts a YAML comment, even in unquoted"
    " text; quote the text to keep '#2 after the chat fails' (for a comment, put two spaces"
    " before the '#')"
)


def _project(root: Path, config: str, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "jmap.toml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_validate_reports_the_comment_as_a_real_process(tmp_path: Path) -> None:
    root = _project(tmp_path, "", {"journey.yaml": CUT})
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "validate", "journey.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.splitlines()[0] == MESSAGE
    assert done.returncode == 1


def test_a_project_can_allow_comments_after_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(_project(tmp_path, 'comments_after_text = "allow"\n', {"journey.yaml": CUT}))
    result = run_cli(["validate", "journey.yaml"])
    assert result.stdout.splitlines()[0] == "ok: journey.yaml"
    assert result.exit_code == 0


def test_the_setting_takes_error_or_allow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = '[tool.jmap]\npaths = ["."]\ncomments_after_text = "warn"\n'
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    (tmp_path / "journey.yaml").write_text(CUT, encoding="utf-8")
    result = run_cli(["validate", "journey.yaml"])
    assert result.stdout + result.stderr == (
        f"{tmp_path / 'pyproject.toml'}:3:1: error:"
        ' comments_after_text must be "error" or "allow"\n'
    )
    assert result.exit_code == 2


def test_lint_and_build_report_it_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path, "", {"journey.yaml": CUT}))
    for args in (["lint", "journey.yaml"], ["build", "journey.yaml", "-o", "maps"]):
        result = run_cli(args)
        assert MESSAGE in result.stdout + result.stderr, args
        assert result.exit_code != 0, args
    assert not (tmp_path / "maps" / "journey.svg").exists()


def test_an_included_file_reports_its_own_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = "personas:\n  - id: sam\n    name: Sam #1 in the panel\n"
    journey = "jmap: 1\ntitle: Visit\ninclude: shared.yaml\nstages:\n  - name: Visit\n"
    monkeypatch.chdir(_project(tmp_path, "", {"journey.yaml": journey, "shared.yaml": shared}))
    result = run_cli(["validate", "journey.yaml"])
    assert result.stdout.splitlines()[0] == (
        "shared.yaml:3:15: error: the text ends here: ' #' starts a YAML comment, even in"
        " unquoted text; quote the text to keep '#1 in the panel' (for a comment, put two"
        " spaces before the '#') (included from journey.yaml:3:10)"
    )
    assert result.exit_code == 1
