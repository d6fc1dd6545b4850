"""`jmap validate`: every problem of every journey, and a count of the valid ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from jmap.cli.arguments import JourneysOnlyOption, PathsArgument, QuietOption

if TYPE_CHECKING:
    from jmap.api import Checked


def validate(
    paths: PathsArgument = None,
    quiet: QuietOption = False,
    journeys_only: JourneysOnlyOption = False,
) -> None:
    """Check journey files and report every problem as path:line:column: error: message.

    Without PATH, checks what the project configuration names, else the current folder.
    Exit code 0 when all are valid, 1 when any is not, 2 for a usage error.
    """
    from jmap.api import validate_paths
    from jmap.cli.arguments import no_journeys
    from jmap.errors import printable
    from jmap.options import project

    where = project(paths)
    results = validate_paths(where.paths, where.limits, journeys_only=journeys_only)
    if not results and not journeys_only:
        raise no_journeys(where.paths)
    for result in results:
        if result.problems:
            for problem in result.problems:
                typer.echo(str(problem))
        elif not quiet:
            typer.echo(printable(f"ok: {result.path}"))
    report = ValidationReport(results)
    typer.echo(report.summary())
    raise typer.Exit(report.exit_code)


@dataclass(frozen=True)
class ValidationReport:
    """What validate found: the summary line and the exit code."""

    results: list[Checked]

    @property
    def invalid(self) -> list[Checked]:
        return [result for result in self.results if result.problems]

    @property
    def exit_code(self) -> int:
        return 1 if self.invalid else 0

    def summary(self) -> str:
        """`3 journeys checked: 2 valid, 1 invalid (4 errors)`."""
        from jmap.wording import plural

        errors = sum(len(result.problems) for result in self.invalid)
        line = f"{plural(len(self.results), 'journey')} checked: "
        line += f"{len(self.results) - len(self.invalid)} valid"
        if self.invalid:
            line += f", {len(self.invalid)} invalid ({plural(errors, 'error')})"
        return line
