"""The `jmap` command as a typer app; `jmap.cli.main` starts it.

Every error a user can cause is a JmapError, raised wherever it is found and caught in one
place, `_Commands.invoke`, which prints its lines and exits with its `exit_code`. Commands
import what they use inside their body, so a command starts without loading pydantic or the
renderers it does not use.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from jmap.cli import (
    build,
    diff,
    export,
    import_,
    init,
    lint,
    schema,
    serve,
    validate,
    version_line,
)
from jmap.errors import JmapError


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


app = typer.Typer(
    name="jmap",
    cls=_Commands,
    help="Customer journey maps as code: validate YAML journeys and render them as maps.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help text: rich markup would swallow "[tool.jmap]" and "[default: ...]".
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Customer journey maps as code."""


for _command in (
    validate.validate,
    schema.schema,
    build.build,
    init.init,
    lint.lint,
    diff.diff,
    serve.serve,
):
    app.command(_command.__name__)(_command)
# `import` is a Python keyword: the function has another name than the command.
app.command("import")(import_.import_)
app.command("export")(export.export)
