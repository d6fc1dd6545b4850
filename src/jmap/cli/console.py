"""What `jmap build` prints: a progress bar on a terminal, plain lines everywhere else; and
what a build's report comes to, its summary line and exit code (`BuildSummary`)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

import typer

from jmap.build.run import BuildOptions, BuildReport, Built
from jmap.errors import printable
from jmap.wording import plural

if TYPE_CHECKING:
    from rich.progress import Progress


class BuildPrinter:
    """Reports each journey as it finishes, then a summary.

    The bar is drawn only when stderr is a terminal and `CI` is not set: a CI log or a pipe
    gets one plain line per journey instead of animation codes. Every line, and the file name
    on the bar, goes through `printable`: a file name can hold a terminal's escape sequences.
    """

    def __init__(self, *, quiet: bool, check: bool) -> None:
        self.quiet = quiet
        self.check = check
        live = sys.stderr.isatty() and not os.environ.get("CI") and not quiet
        self._progress = _progress_bar() if live else None
        self._task = self._progress.add_task("", total=None) if self._progress else None

    def __enter__(self) -> BuildPrinter:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def journey_done(self, built: Built) -> None:
        lines = [str(problem) for problem in built.problems]
        if not self.quiet and not self.check and built.written:
            lines.append(f"built {built.source}: {', '.join(map(str, built.written))}")
        for line in lines:
            self._print(line)
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, description=printable(built.source))

    def warning(self, line: str) -> None:
        self._print(printable(line))

    def summary(self, summary: BuildSummary) -> None:
        report = summary.report
        for problem in report.problems:
            self._print(str(problem))
        for path in report.removed:
            self._print(f"removed {path} (its journey is gone)")
        if self.check:
            self._check_lines(report)
            _echo(summary.line())
            return
        if not self.quiet:
            for path in report.index:
                self._print(f"wrote {path}")
        if summary.options.lint is not None:
            self._print(summary.lint_line())
        _echo(summary.line())

    def _check_lines(self, report: BuildReport) -> None:
        for built in report.journeys:
            for path in built.outdated:
                state = "out of date" if path.exists() else "missing"
                _echo(f"{state}: {path} (from {built.source})")
        for path in report.stale:
            _echo(f"stale: {path} (its journey is gone)")
        for path in report.index:
            _echo(f"{'out of date' if path.exists() else 'missing'}: {path}")

    def _print(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(printable(line), markup=False, highlight=False)
        else:
            _echo(line)


def _echo(line: str) -> None:
    """A line on stdout, escaped: paths and file names can hold anything."""
    typer.echo(printable(line))


def _progress_bar() -> Progress:
    # rich is imported only to draw the bar: a build in CI, in a pipe or with -q starts 50 ms
    # sooner without it.
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("building maps"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", markup=False),  # a file name is not rich markup
        console=Console(stderr=True),
        transient=True,
    )


@dataclass(frozen=True)
class BuildSummary:
    """What a build came to: its last line, and the exit code of `jmap build`."""

    report: BuildReport
    options: BuildOptions

    @property
    def exit_code(self) -> int:
        report = self.report
        outdated = self.options.check and (report.outdated or report.index)
        # Lint findings fail a build only when asked: an error level, or `strict` for warnings.
        lint = self.options.lint
        lint_failed = report.lint_count("error") or (
            lint is not None and lint.strict and report.lint_count("warning")
        )
        return 1 if report.failed or report.problems or outdated or lint_failed else 0

    def line(self) -> str:
        """`3 journeys in maps: 1 built, 2 unchanged (3 files written)`, or with --check, what
        is missing or out of date."""
        report, output = self.report, self.options.output
        total = len(report.journeys)
        if self.options.check:
            outdated = len(report.outdated) + len(report.index)
            if not outdated:
                return f"{plural(total, 'journey')} checked: the maps in {output} are current"
            return (
                f"{plural(total, 'journey')} checked: {plural(outdated, 'map')}"
                f" in {output} missing or out of date; run `jmap build` to update them"
            )
        built = sum(1 for b in report.journeys if b.written)
        unchanged = sum(1 for b in report.journeys if b.unchanged)
        files = sum(len(b.written) for b in report.journeys) + len(report.index)
        line = f"{plural(total, 'journey')} in {output}: {built} built"
        line += f", {unchanged} unchanged" if unchanged else ""
        line += f", {len(report.failed)} failed" if report.failed else ""
        return f"{line} ({plural(files, 'file')} written)"

    def lint_line(self) -> str:
        """The lint summary of every journey built, as `jmap lint` would count it."""
        report = self.report
        linted = sum(1 for built in report.journeys if not built.problems)
        where = f"in {plural(linted, 'journey')}"
        counts = {level: report.lint_count(level) for level in ("error", "warning", "info")}
        total = sum(counts.values())
        if not total:
            return f"lint: no problems {where}"
        parts = ", ".join(plural(count, level) for level, count in counts.items())
        return f"lint: {plural(total, 'problem')} ({parts}) {where}; `jmap lint` shows them"
