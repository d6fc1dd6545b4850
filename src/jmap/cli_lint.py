"""`jmap lint`: the command, registered in jmap.cli with `app.command("lint")(lint)`.

Like the other commands it only parses arguments, calls the library (jmap.lint) and turns the
result into output and an exit code; it imports what it uses inside its body, but for the
registry of formats, which loads no renderer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from jmap.formats import format_option
from jmap.lint import FORMATS


def lint(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Journey files, or folders to search for *.yaml/*.yml files with a `jmap:`"
            " key. Default: what the project configuration names, else the current folder.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[str, format_option(FORMATS)] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead.")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail on warnings too, not only on errors."),
    ] = False,
    journeys_only: Annotated[
        bool,
        typer.Option(
            "--journeys-only",
            help="Skip named files that are not journeys (no top-level `jmap:` key), as"
            " pre-commit passes every changed YAML file.",
        ),
    ] = False,
) -> None:
    """Check that journeys make good maps: emotions, answered pain points, evidence, goals.

    Reports path:line:column: level[JM0xx]: message; rules, levels and how to silence them are
    in docs/lint.md and [tool.jmap.lint]. Journeys that are not valid are reported like
    `validate` does. Exit code 0 when there is no error (with --strict, no warning either), 1
    otherwise, 2 for a usage error.
    """
    from jmap.build.write import write_text_atomic
    from jmap.config import ConfigError, configured_limits, configured_paths, find_config
    from jmap.errors import UsageError
    from jmap.lint import lint_paths, settings_from_config

    try:
        config = find_config(Path.cwd())
        settings = settings_from_config(config)
        sources = paths or configured_paths(config)
        report = lint_paths(
            sources, settings, configured_limits(config), journeys_only=journeys_only
        )
    except ConfigError as error:
        typer.echo(str(error), err=True)  # already `path:line:column: error: ...`
        raise typer.Exit(error.exit_code) from None
    except UsageError as error:
        _usage_error(str(error))
    if not report.journeys and not journeys_only:
        _usage_error(f"no journey files found in {', '.join(map(str, sources))}")
    text = FORMATS[output_format].load()(report)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
    raise typer.Exit(1 if report.failed(strict or None) else 0)


def _usage_error(message: str) -> NoReturn:
    from jmap.errors import printable  # the message may quote a path: it can hold anything

    typer.echo(printable(f"error: {message}"), err=True)
    raise typer.Exit(2)
