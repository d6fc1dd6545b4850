"""`jmap lint`: whether journeys make good maps, as text, JSON or SARIF.

It imports what it uses inside its body, but for the registry of formats, which loads no
renderer.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from jmap.cli.arguments import JourneysOnlyOption, OutputFileOption, PathsArgument
from jmap.formats import format_option
from jmap.lint import FORMATS


def lint(
    paths: PathsArgument = None,
    output_format: Annotated[str, format_option(FORMATS)] = "text",
    output: OutputFileOption = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Fail on warnings too, not only on errors."),
    ] = False,
    journeys_only: JourneysOnlyOption = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="YYYY-MM-DD",
            help="The date the stale rules measure against (default: JMAP_TODAY, else today).",
        ),
    ] = None,
) -> None:
    """Check that journeys make good maps: emotions, answered pain points, evidence, goals.

    Reports path:line:column: level[JM0xx]: message; rules, levels and how to silence them are
    in docs/lint.md and [tool.jmap.lint]. Journeys that are not valid are reported like
    `validate` does. Exit code 0 when there is no error (with --strict, no warning either), 1
    otherwise, 2 for a usage error.
    """
    from jmap.build.write import write_text_atomic
    from jmap.cli.arguments import no_journeys
    from jmap.lint import lint_paths
    from jmap.options import project
    from jmap.stale import parse_day

    where = project(paths)
    settings = where.lint_settings()
    if today is not None:
        settings = dataclasses.replace(settings, today=parse_day(today, "--today"))
    report = lint_paths(where.paths, settings, where.limits, journeys_only=journeys_only)
    if not report.journeys and not journeys_only:
        raise no_journeys(where.paths)
    text = FORMATS[output_format].load()(report)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
    raise typer.Exit(report.exit_code(strict or None))
