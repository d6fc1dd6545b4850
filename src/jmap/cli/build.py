"""`jmap build`: journeys in, maps out; what it prints is in jmap.cli.console."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jmap.cli.arguments import PathsArgument, QuietOption, TemplatesOption, ThemeOption

if TYPE_CHECKING:
    from jmap.build.run import BuildOptions
    from jmap.cli.console import BuildSummary


class Engine(StrEnum):
    pure = "pure"
    system = "system"


def build(
    paths: PathsArgument = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Folder to write the maps into.  [default: maps]"),
    ] = None,
    formats: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Comma-separated formats: svg, html, md, mermaid (.mmd), json, dot."
            "  [default: svg,html,md]",
        ),
    ] = None,
    engine: Annotated[
        Engine | None,
        typer.Option(
            help="Layout engine: pure = graphviz-pure, installed with jmap, same bytes"
            " everywhere; system = Graphviz's dot on PATH.  [default: pure]"
        ),
    ] = None,
    templates: TemplatesOption = None,
    theme: ThemeOption = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Journeys rendered in parallel.  [default: cores]"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Render every journey, changed or not.")
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 listing every map that is missing or out of date.",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace files at the maps' names that jmap did not write (or that were"
            " edited since); without it they are kept and reported.",
        ),
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            "-w",
            help="Build, then rebuild what changed whenever a journey, an included file or a"
            " template is saved, until Ctrl-C (exit code 0).",
        ),
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Render journeys as maps: OUTPUT/<id>.svg, .html and .md by default.

    Only journeys that changed since the last build are rendered again. A journey with errors
    is reported like `validate` does and the others still build; the exit code is then 1.
    Without PATH, builds what the project configuration names ([tool.jmap] in
    pyproject.toml, or jmap.toml), else the current folder.
    """
    from jmap.cli.arguments import no_journeys
    from jmap.options import build_options

    chosen = None if formats is None else [name.strip() for name in formats.split(",")]
    sources, options = build_options(
        paths=paths,
        output=output,
        formats=chosen,
        engine=engine.value if engine else None,
        templates=templates,
        jobs=jobs,
        force=force,
        check=check,
        overwrite=overwrite,
        theme=theme,
    )
    if watch:
        if check:
            from jmap.errors import UsageError

            raise UsageError("--watch writes the maps; --check writes nothing: use one of them")
        _watch(sources, options, quiet=quiet)
        raise typer.Exit(0)
    summary = _build_once(sources, options, quiet=quiet, check=check)
    if summary is None:
        raise no_journeys(sources)
    raise typer.Exit(summary.exit_code)


def _build_once(
    sources: list[Path], options: BuildOptions, *, quiet: bool, check: bool
) -> BuildSummary | None:
    """One build with its progress and summary printed; None when there was no journey."""
    from jmap.build.run import build as build_maps
    from jmap.cli.console import BuildPrinter, BuildSummary

    printer = BuildPrinter(quiet=quiet, check=check)
    with printer:
        report = build_maps(
            sources,
            options,
            progress=printer.journey_done,
            waiting=_waiting,
            warning=printer.warning,
        )
    if not report.journeys:
        return None
    summary = BuildSummary(report, options)
    printer.summary(summary)
    return summary


def _watch(sources: list[Path], options: BuildOptions, *, quiet: bool) -> None:
    """Build until Ctrl-C; a build with errors prints them and the watch goes on."""
    from jmap.build.watch import stopped_by_signals, watch
    from jmap.cli.arguments import no_journeys

    def once() -> None:
        if _build_once(sources, options, quiet=quiet, check=False) is None:
            for line in no_journeys(sources).lines():
                typer.echo(line, err=True)

    where = ", ".join(map(str, sources))
    with stopped_by_signals() as stopping:
        typer.echo(f"watching {where} (Ctrl-C stops)", err=True)
        watch(sources, options, once, stopping)
    typer.echo("stopped", err=True)


def _waiting(folder: Path) -> None:
    typer.echo(f"waiting for another jmap build in {folder}", err=True)
