"""Shared helpers: run the CLI in-process, and find the project's files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from jmap.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DATA = Path(__file__).resolve().parent / "data"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: Sequence[str]) -> Run:
    """Run `jmap ARGS` in this process, the way a user's shell would."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def small_journeys(folder: Path, count: int) -> Path:
    """`folder` holding `count` small journeys, `j0.yaml` on: one stage, two touchpoints, no
    personas, and emotions that differ from journey to journey."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"j{number}.yaml").write_text(
            f"jmap: 1\ntitle: Journey {number}\nstages:\n  - name: Look\n    touchpoints:\n"
            f"      - {{name: Sees ad {number}, emotion: {1 + number % 5}}}\n"
            "      - {name: Clicks, emotion: 3}\n",
            encoding="utf-8",
        )
    return folder
