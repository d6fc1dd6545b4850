"""`jmap serve`: the command, registered in jmap.cli with `app.command("serve")(serve)`.

Like the other commands it parses arguments and hands over to the library (jmap.serve); it
imports what it uses inside its body, so the CLI starts without loading the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def serve(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Journey files, or folders to search for *.yaml/*.yml files with a `jmap:`"
            " key. Default: the project configuration's paths, else the current folder.",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=65535,
            help="Port on 127.0.0.1; 0 picks a free one.  [default: 8000, or a free port when"
            " 8000 is taken]",
            show_default=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(help="A folder of templates used before the built-in ones."),
    ] = None,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the page in the web browser.")
    ] = False,
) -> None:
    """Preview the HTML maps in a browser, rebuilt and reloaded as you edit.

    Serves every journey's HTML map, and the portfolio when there are several, on
    http://127.0.0.1 until Ctrl-C. Saving a journey file re-renders it and reloads its open
    page; saving a template re-renders every journey. A journey with errors shows them on its
    page instead of the map. Nothing is written to disk. Exit code 0 when stopped, 2 for a
    usage error.
    """
    try:
        _serve(paths, port, templates, open_browser)
    except KeyboardInterrupt:  # Ctrl-C while jmap loads, before the server takes the signal
        typer.echo("stopped")


def _serve(
    paths: list[Path] | None, port: int | None, templates: Path | None, open_browser: bool
) -> None:
    from jmap.build.run import build_options
    from jmap.config import ConfigError
    from jmap.errors import JmapError, printable
    from jmap.serve import serve as run

    try:
        sources, options = build_options(
            paths=paths,
            output=None,
            formats=None,
            engine=None,
            templates=templates,
            jobs=None,
            force=False,
            check=False,
        )
        run(sources, options, port=port, open_browser=open_browser, report=typer.echo)
    except ConfigError as error:
        typer.echo(str(error), err=True)  # already `path:line:column: error: ...`
        raise typer.Exit(error.exit_code) from None
    except JmapError as error:
        typer.echo(printable(f"error: {error}"), err=True)  # it may name a file
        raise typer.Exit(2) from None
