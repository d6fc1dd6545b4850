"""Shared helpers: run the CLI in-process, find the project's files, make test data once.

Fixtures are in conftest.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock
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


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The folder `name`, filled by `make` once for all the workers of this run.

    The first worker to ask makes it while the others wait for it (xdist's own advice for
    session fixtures). Tests read it, or write to it only through a tool that locks it, as
    pre-commit does its store.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # each worker's folder is inside the run's
    folder = root / name
    with FileLock(root / f"{name}.lock"):
        if not (root / f"{name}.made").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (root / f"{name}.made").touch()
    return folder
