"""The `jmap` command as a typer app; `jmap.cli.main` starts it, with only the command it runs
(`app_for`); `app` has them all.

Every error a user can cause is a JmapError, raised wherever it is found and caught in one
place, `_Commands.invoke`, which prints its lines and exits with its `exit_code`. Commands
import what they use inside their body, so a command starts without loading pydantic or the
renderers it does not use.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from jmap.cli import version_line
from jmap.errors import JmapError

# Command -> the function in jmap.cli.<module> that runs it, in the order `jmap --help` lists
# them. (`import` is a Python keyword: its module and function have another name.)
COMMANDS = {
    "validate": "validate",
    "schema": "schema",
    "build": "build",
    "init": "init",
    "lint": "lint",
    "diff": "diff",
    "serve": "serve",
    "import": "import_",
    "export": "export",
}


class _Commands(TyperGroup):
    def invoke(self, ctx: Any) -> Any:  # a click Context: typer vendors click privately
        # Here rather than in main(), so that `python -m jmap`, the console script and a test's
        # CliRunner all see the same lines and exit codes.
        try:
            return super().invoke(ctx)
        except JmapError as error:
            for line in error.lines():
                typer.echo(line, err=True)
            raise typer.Exit(error.exit_code) from None


def _new_app(names: Sequence[str]) -> typer.Typer:
    """The `jmap` app with these commands."""
    app = typer.Typer(
        name="jmap",
        cls=_Commands,
        help="Customer journey maps as code: validate YAML journeys and render them as maps.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        # Plain help text: rich markup would swallow "[tool.jmap]" and "[default: ...]".
        rich_markup_mode=None,
    )
    app.callback()(_root)
    for name in names:
        module = importlib.import_module(f"jmap.cli.{COMMANDS[name]}")
        app.command(name)(getattr(module, COMMANDS[name]))
    return app


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Customer journey maps as code."""


def app_for(arguments: Sequence[str]) -> typer.Typer:
    """The app to run these arguments: with only the command they name, when they start with
    one. Typer turns every command it has into a click command on each start, reading its
    parameters; for `jmap validate` the eight others were some 5% of the run."""
    if arguments and arguments[0] in COMMANDS:
        return _new_app([arguments[0]])
    return full_app()


@functools.cache
def full_app() -> typer.Typer:
    """The app with every command: for `jmap --help`, mistakes, and the tests."""
    return _new_app(list(COMMANDS))


TYPE_CHECKING = False
if TYPE_CHECKING:
    app: typer.Typer


def __getattr__(name: str) -> object:
    if name == "app":  # `from jmap.cli.commands import app`
        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
