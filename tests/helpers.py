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
