"""`jmap serve`: a live preview of the HTML maps for the people who write the journeys.

The pieces, in the order data flows:

- `site`: every journey rendered in memory (nothing is written to disk), with a version per
  page, an error page in place of a map that does not render, and the portfolio;
- `watch`: a thread that follows the file events of the journeys and templates and re-renders
  what changed once it is completely written;
- `server`: HTTP on 127.0.0.1 from those pages, and a stream per open page that says "reload";
- `pages`: the error and notice pages, and the live-reload script added to every page served.

`serve` wires them together and runs until Ctrl-C or SIGTERM. Every line it prints passes
through jmap.errors.printable: they quote file names, ids and journey text.
"""

from __future__ import annotations

import signal
import threading
import webbrowser
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import FrameType

from jmap.build.rendering import Settings
from jmap.build.run import BuildOptions
from jmap.errors import UsageError, printable
from jmap.loading.discover import find_journeys
from jmap.serve.server import PreviewServer
from jmap.serve.site import Site
from jmap.serve.watch import Watcher

DEFAULT_PORT = 8000
FORMATS = ("html",)


def serve(
    paths: list[Path],
    options: BuildOptions,
    *,
    port: int | None,
    open_browser: bool,
    report: Callable[[str], None],
) -> None:
    """Serve the journeys under `paths` until interrupted.

    `port` None means 8000, or a free port when 8000 is taken; a port that was asked for and
    is taken is a usage error.
    """
    settings = _settings(options)
    report = _printable_lines(report)
    find_journeys(paths)  # a named file or folder that does not exist is a usage error
    site = Site(paths, settings, report, options.title)
    server = _bind(port, site, report)
    watcher = Watcher(site, _template_folders(settings), report)
    stopping = threading.Event()

    def stop(number: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    listener = threading.Thread(target=server.serve_forever, name="jmap-serve-http", daemon=True)
    listener.start()
    where = ", ".join(str(path) for path in paths)
    report(f"serving the maps of {where} at {server.url} (Ctrl-C stops)")
    watcher.start()
    try:
        if open_browser:
            webbrowser.open(server.url)
        while not stopping.wait(1.0):
            pass
    finally:
        # Wake the open pages' streams first: then nothing holds up the server's shutdown.
        site.close()
        watcher.stop()
        server.shutdown()
        server.server_close()
        watcher.join(timeout=5)  # it may be rendering a journey; it stops after that one
        for number, handler in previous.items():
            signal.signal(number, handler)
    report("stopped")


def _printable_lines(report: Callable[[str], None]) -> Callable[[str], None]:
    """`report`, each line of which is escaped for the terminal first."""

    def printed(line: str) -> None:
        report(printable(line))

    return printed


def _settings(options: BuildOptions) -> Settings:
    # The options were checked when they were resolved (jmap.options.serve_options).
    return Settings(
        FORMATS,
        options.engine,
        options.templates,
        options.limits,
        # Linted as a build does: the portfolio's list of stale journeys follows the project's
        # lint settings (jmap.build.portfolio), so it is the page `jmap build` writes.
        lint=options.lint,
        theme=options.theme,
        lang=options.lang,
    )


def _bind(port: int | None, site: Site, report: Callable[[str], None]) -> PreviewServer:
    if port is None:
        try:
            return PreviewServer(DEFAULT_PORT, site)
        except OSError:
            report(f"port {DEFAULT_PORT} is taken; using a free port instead")
            return PreviewServer(0, site)
    try:
        return PreviewServer(port, site)
    except OSError as error:
        raise UsageError(
            f"cannot serve on port {port}: {error.strerror or error};"
            " choose another with --port, or --port 0 for a free one"
        ) from None


def _template_folders(settings: Settings) -> list[Path]:
    """The team's templates, and the built-in ones when they are plain files (a checkout)."""
    folders = [settings.templates] if settings.templates is not None else []
    built_in = resources.files("jmap") / "templates"
    if isinstance(built_in, Path) and built_in.is_dir():
        folders.append(built_in)
    return folders
