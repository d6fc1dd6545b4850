"""Shared helpers: run the CLI in-process, and find the project's files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from jmap.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATA = Path(__file__).resolve().parent / "data"

# jmap reads YAML with libyaml where pyyaml has it, as pyyaml's wheels do: the tests check both
# parsers, so a pyyaml without it is a broken test set-up, not a reason to skip.
LIBYAML_HINT = "pip install --force-reinstall -c constraints.txt pyyaml (a wheel with libyaml)"

# Who commits in the tests' repositories, and no user or system git configuration (a global
# `commit.gpgsign` or hook path must not reach the tests).
GIT_ENV = {
    "GIT_AUTHOR_NAME": "jmap tests",
    "GIT_AUTHOR_EMAIL": "tests@jmap.invalid",
    "GIT_COMMITTER_NAME": "jmap tests",
    "GIT_COMMITTER_EMAIL": "tests@jmap.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: Sequence[str]) -> Run:
    """Run `jmap ARGS` in this process, the way a user's shell would."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


JOURNEY = """jmap: 1
title: Journey {n}
stages:
  - name: Awareness
    touchpoints:
      - {{name: Sees ad, emotion: {emotion}, pain_points: [Too many ads]}}
      - {{name: Clicks, emotion: 2}}
  - name: Purchase
    touchpoints:
      - {{name: Pays, emotion: 3}}
"""


def journey_folder(folder: Path, count: int) -> list[Path]:
    """`count` small journeys written to `folder` as journey-000.yaml on, titled Journey 0
    on: two stages, three touchpoints, no personas, a first emotion that varies by journey."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"journey-{n:03}.yaml"
        path.write_text(JOURNEY.format(n=n, emotion=1 + n % 5), encoding="utf-8")
        paths.append(path)
    return paths
