"""`jmap serve`: the HTML maps in a browser, rebuilt and reloaded as you edit (jmap.serve).

It imports what it uses inside its body, so the CLI starts without loading the server.
"""

from __future__ import annotations

from typing import Annotated

import typer

from jmap.cli.arguments import PathsArgument, TemplatesOption, ThemeOption


def serve(
    paths: PathsArgument = None,
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
    templates: TemplatesOption = None,
    theme: ThemeOption = None,
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
        from jmap.options import serve_options
        from jmap.serve import serve as run

        sources, options = serve_options(paths=paths, templates=templates, theme=theme)
        run(sources, options, port=port, open_browser=open_browser, report=typer.echo)
    except KeyboardInterrupt:  # Ctrl-C while jmap loads, before the server takes the signal
        typer.echo("stopped")
