"""`jmap diff`: the command, registered in jmap.cli with `app.command("diff")(diff)`.

Like the other commands it only parses arguments, calls the library (jmap.diff) and turns the
result into output and an exit code; it imports what it uses inside its body, but for the
registry of formats, which loads no renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from jmap.diff import FORMATS
from jmap.formats import format_option


def diff(
    old: Annotated[
        str | None,
        typer.Argument(
            help="The old version: a journey file, or REV:PATH for PATH in a git revision"
            " (main:journeys/x.yaml, HEAD~1:x.yaml).",
            show_default=False,
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(help="The new version: a journey file or REV:PATH.", show_default=False),
    ] = None,
    git: Annotated[
        str | None,
        typer.Option(
            "--git",
            metavar="REV",
            help="Instead of OLD and NEW: every journey changed between REV and the working"
            " tree of the current git repository.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[str, format_option(FORMATS)] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead.")
    ] = None,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit with 1 when there are changes, like git diff."),
    ] = False,
) -> None:
    """Show what changed in a journey between two versions, for review.

    Stages, touchpoints, personas and channels are matched by id. Exit code 0; with
    --exit-code, 1 when anything changed. 1 also when a version is not a valid journey (its
    problems are reported like `validate` does, on stderr), 2 for a usage error.
    """
    from jmap.build.write import write_text_atomic
    from jmap.config import ConfigError, configured_limits
    from jmap.diff import diff as diff_versions
    from jmap.diff import diff_since, render
    from jmap.diff.changes import JourneyDiff
    from jmap.errors import JourneyError, UsageError

    if git is not None and (old is not None or new is not None):
        _usage_error("give either OLD and NEW or --git REV, not both")
    if git is None and (old is None or new is None):
        _usage_error("give the two versions to compare, OLD and NEW, or --git REV")
    try:
        limits = configured_limits()
        if git is not None:
            results = diff_since(git, limits)
        else:
            assert old is not None
            assert new is not None
            results = [diff_versions(old, new, limits)]
    except ConfigError as error:
        typer.echo(str(error), err=True)  # already `path:line:column: error: ...`
        raise typer.Exit(error.exit_code) from None
    except UsageError as error:
        _usage_error(str(error))
    except JourneyError as error:
        results = [error]
    diffs = [result for result in results if isinstance(result, JourneyDiff)]
    invalid = [result for result in results if isinstance(result, JourneyError)]
    for failed in invalid:
        for problem in failed.problems:
            typer.echo(str(problem), err=True)
    if git is not None or diffs:
        colour = (
            output is None
            and output_format == "text"
            and sys.stdout.isatty()
            and not os.environ.get("NO_COLOR")
        )
        text = render(output_format, diffs, colour=colour)
        if output is None:
            typer.echo(text, nl=False)
        else:
            write_text_atomic(output, text)
    changed = any(d.changed for d in diffs)
    raise typer.Exit(1 if invalid or (exit_code and changed) else 0)


def _usage_error(message: str) -> NoReturn:
    from jmap.errors import printable  # the message may quote a path: it can hold anything

    typer.echo(printable(f"error: {message}"), err=True)
    raise typer.Exit(2)
