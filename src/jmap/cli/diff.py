"""`jmap diff`: what changed in a journey between two versions, for review (jmap.diff).

It imports what it uses inside its body, but for the registry of formats, which loads no
renderer.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from jmap.cli.arguments import OutputFileOption
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
    output: OutputFileOption = None,
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
    from jmap.diff import diff as diff_versions
    from jmap.diff import diff_since, render
    from jmap.diff.changes import JourneyDiff
    from jmap.errors import JourneyError, UsageError
    from jmap.options import project

    if git is not None and (old is not None or new is not None):
        raise UsageError("give either OLD and NEW or --git REV, not both")
    if git is None and (old is None or new is None):
        raise UsageError("give the two versions to compare, OLD and NEW, or --git REV")
    limits = project().limits
    try:
        if git is not None:
            results = diff_since(git, limits)
        else:
            assert old is not None
            assert new is not None
            results = [diff_versions(old, new, limits)]
    except JourneyError as error:  # reported below, with the others' diffs
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
