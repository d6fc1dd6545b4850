"""The `jmap` command: parses arguments, calls the API, turns results into lines and exit codes.

Commands import what they use inside their body, so `jmap --version` starts without loading
pydantic or the renderers.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from jmap import __version__
from jmap.cli_diff import diff as _diff
from jmap.cli_lint import lint as _lint
from jmap.cli_serve import serve as _serve
from jmap.starter import STARTERS

app = typer.Typer(
    name="jmap",
    help="Customer journey maps as code: validate YAML journeys and render them as maps.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help text: rich markup would swallow "[tool.jmap]" and "[default: ...]".
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jmap {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Customer journey maps as code."""


PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Journey files, or folders to search for *.yaml/*.yml files with a `jmap:` key."
        " Default: the current folder.",
        show_default=False,
    ),
]


@app.command()
def validate(
    paths: PathsArgument = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
    journeys_only: Annotated[
        bool,
        typer.Option(
            "--journeys-only",
            help="Skip named files that are not journeys (no top-level `jmap:` key), as"
            " pre-commit passes every changed YAML file.",
        ),
    ] = False,
) -> None:
    """Check journey files and report every problem as path:line:column: error: message.

    Without PATH, checks what the project configuration names, else the current folder.
    Exit code 0 when all are valid, 1 when any is not, 2 for a usage error.
    """
    from jmap.api import validate_paths
    from jmap.config import ConfigError, configured_limits, configured_paths, find_config
    from jmap.errors import UsageError, printable
    from jmap.wording import plural

    try:
        config = find_config(Path.cwd())
        sources = paths or configured_paths(config)
        results = validate_paths(sources, configured_limits(config), journeys_only=journeys_only)
    except ConfigError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(error.exit_code) from None
    except UsageError as error:
        _usage_error(str(error))
    if not results and not journeys_only:
        _usage_error(f"no journey files found in {', '.join(map(str, sources))}")
    for result in results:
        if result.problems:
            for problem in result.problems:
                typer.echo(str(problem))
        elif not quiet:
            typer.echo(printable(f"ok: {result.path}"))
    invalid = [result for result in results if result.problems]
    errors = sum(len(result.problems) for result in invalid)
    summary = f"{plural(len(results), 'journey')} checked: "
    summary += f"{len(results) - len(invalid)} valid"
    if invalid:
        summary += f", {len(invalid)} invalid ({plural(errors, 'error')})"
    typer.echo(summary)
    raise typer.Exit(1 if invalid else 0)


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead.")
    ] = None,
) -> None:
    """Print the JSON Schema of the journey format (for editors and other tools)."""
    from jmap.build.write import write_text_atomic
    from jmap.schema import schema_text

    if output is None:
        sys.stdout.write(schema_text())
    else:
        write_text_atomic(output, schema_text())


class Engine(StrEnum):
    pure = "pure"
    system = "system"


@app.command()
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
    templates: Annotated[
        Path | None,
        typer.Option(help="A folder of templates used before the built-in ones."),
    ] = None,
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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
) -> None:
    """Render journeys as maps: OUTPUT/<id>.svg, .html and .md by default.

    Only journeys that changed since the last build are rendered again. A journey with errors
    is reported like `validate` does and the others still build; the exit code is then 1.
    Without PATH, builds what the project configuration names ([tool.jmap] in
    pyproject.toml, or jmap.toml), else the current folder.
    """
    from jmap.build.run import build as build_maps
    from jmap.build.run import build_options
    from jmap.config import ConfigError
    from jmap.console import BuildPrinter
    from jmap.errors import JmapError

    chosen = None if formats is None else [name.strip() for name in formats.split(",")]
    try:
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
        )
        printer = BuildPrinter(quiet=quiet, check=check)
        with printer:
            report = build_maps(
                sources,
                options,
                progress=printer.journey_done,
                waiting=_waiting,
                warning=printer.warning,
            )
    except ConfigError as error:
        typer.echo(str(error), err=True)  # already `path:line:column: error: ...`
        raise typer.Exit(error.exit_code) from None
    except JmapError as error:
        _usage_error(str(error))
    if not report.journeys:
        _usage_error(f"no journey files found in {', '.join(map(str, sources))}")
    printer.summary(report, options.output, lint=options.lint is not None)
    outdated = check and (report.outdated or report.index)
    # Lint findings fail a build only when asked: an error level, or `strict` for warnings.
    strict = options.lint is not None and options.lint.strict
    lint_failed = report.lint_count("error") or (strict and report.lint_count("warning"))
    failed = report.failed or report.problems
    raise typer.Exit(1 if failed or outdated or lint_failed else 0)


# The starters are listed in jmap.starter (a module with no heavy imports), so adding one is
# adding a file and a line there.
Starter = StrEnum("Starter", {name: name for name in STARTERS})  # type: ignore[misc]
_DEFAULT_STARTER = Starter("aida")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="The journey file to create.")] = Path(
        "journey.yaml"
    ),
    template: Annotated[
        Starter,
        typer.Option(
            "--template",
            "-t",
            help="Which starter: "
            + "; ".join(f"{name} = {what}" for name, what in STARTERS.items())
            + ".",
        ),
    ] = _DEFAULT_STARTER,
    title: Annotated[str | None, typer.Option(help="The journey's title.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter journey that validates, to edit into your own."""
    from jmap.build.write import write_text_atomic
    from jmap.starter import starter_text

    if path.exists() and not force:
        _usage_error(f"{path} already exists; use --force to overwrite it")
    if path.is_dir():
        _usage_error(f"{path} is a folder; name the journey file to create")
    write_text_atomic(path, starter_text(template.value, title))
    typer.echo(f"wrote {path}; check it with: jmap validate {path}")


# Larger commands live in modules of their own that import only typer when the CLI starts.
app.command("lint")(_lint)
app.command("diff")(_diff)
app.command("serve")(_serve)


def _waiting(folder: Path) -> None:
    typer.echo(f"waiting for another jmap build in {folder}", err=True)


def _usage_error(message: str) -> NoReturn:
    from jmap.errors import printable  # the message may quote a path: it can hold anything

    typer.echo(printable(f"error: {message}"), err=True)
    raise typer.Exit(2)


def main() -> None:
    app(prog_name="jmap")
