"""Output formats: `build`, `lint` and `diff` offer theirs from one registry shape."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import jmap
from jmap.diff import FORMATS as DIFF_FORMATS
from jmap.formats import Format
from jmap.lint import FORMATS as LINT_FORMATS
from jmap.render import FORMATS as MAP_FORMATS
from tests.helpers import run_cli

REGISTRIES: dict[str, dict[str, Format[Any]]] = {
    "build": MAP_FORMATS,
    "lint": LINT_FORMATS,
    "diff": DIFF_FORMATS,
}
EVERY_FORMAT = [(command, f) for command, found in REGISTRIES.items() for f in found.values()]


@pytest.mark.parametrize(
    ("command", "output"), EVERY_FORMAT, ids=[f"{c}-{f.name}" for c, f in EVERY_FORMAT]
)
def test_every_registered_format_has_a_renderer(command: str, output: Format[Any]) -> None:
    assert callable(output.load())
    assert all(part.isalnum() for part in output.extension.split("."))


@pytest.mark.parametrize("command", ["lint", "diff"])
def test_the_choices_help_and_errors_of_format_come_from_the_registry(command: str) -> None:
    formats = REGISTRIES[command]
    shown = run_cli([command, "--help"]).stdout
    assert f"-f, --format <{'|'.join(formats)}>" in shown
    unwrapped = "".join(shown.split())  # help wraps lines, and at hyphens
    for output in formats.values():
        assert "".join(f"{output.name} ({output.description})".split()) in unwrapped
    result = run_cli([command, "--format", "xml", "a.yaml", "b.yaml"])
    assert result.exit_code == 2
    choices = ", ".join(f"'{name}'" for name in formats)
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--format' / '-f': 'xml' is not one of {choices}."
    )


def test_the_cli_starts_without_loading_a_renderer_or_the_lint_rules() -> None:
    script = (
        "import sys, jmap.cli.commands\n"
        "loaded = [m for m in sys.modules if m.startswith(('pydantic', 'jinja2', 'yaml'))\n"
        "          or m in ('jmap.lint.rules', 'jmap.render.grid', 'jmap.diff.text')]\n"
        "print(loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == "[]\n"


def test_version_answers_without_importing_typer() -> None:
    # `jmap --version` is a cold start users and scripts wait on: typer alone is 45 ms of it.
    script = (
        "import sys\n"
        "sys.argv = ['jmap', '--version']\n"
        "from jmap.cli import main\n"
        "main()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'typing')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout == f"jmap {jmap.__version__}\n[]\n"
    real = subprocess.run(
        [sys.executable, "-m", "jmap", "--version"], capture_output=True, text=True, check=True
    )
    assert (real.stdout, real.stderr) == (f"jmap {jmap.__version__}\n", "")


def test_a_command_starts_without_the_other_commands(tmp_path: Path) -> None:
    # Typer reads the parameters of every command it has on each start: `jmap validate` has
    # only its own, and `jmap --help` still lists them all.
    (tmp_path / "empty.yaml").write_text("jmap: 1\ntitle: T\nstages: [{name: S}]\n")
    script = (
        "import sys\n"
        f"sys.argv = ['jmap', 'validate', {str(tmp_path / 'empty.yaml')!r}]\n"
        "from jmap.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('jmap.cli.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == (
        "['jmap.cli.arguments', 'jmap.cli.commands', 'jmap.cli.validate']"
    )
    shown = subprocess.run(
        [sys.executable, "-m", "jmap", "--help"], capture_output=True, text=True, check=True
    ).stdout
    listed = [line.split()[0] for line in shown.split("Commands:\n")[1].splitlines() if line]
    assert listed == [
        "validate",
        "schema",
        "build",
        "init",
        "lint",
        "diff",
        "serve",
        "import",
        "export",
    ]
