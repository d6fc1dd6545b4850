"""The `jmap` command: one module per subcommand, each parsing its arguments, calling the
library and printing the result; what a build prints is in `console`.

The typer app is in `commands`; this module only starts it, and imports nothing heavy itself: the
console script imports it on every start, and typer alone takes some 45 ms of the 65 ms that
`jmap --version` took through it, so `--version` answers here without typer.
"""

from __future__ import annotations

import sys

from jmap import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    from jmap.cli.commands import app as app


def version_line() -> str:
    """What `jmap --version` prints."""
    return f"jmap {__version__}"


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(version_line())
        return
    from jmap.cli.commands import app_for

    app_for(sys.argv[1:])(prog_name="jmap")


def __getattr__(name: str) -> object:
    if name == "app":  # `from jmap.cli import app`, as the tests run the command
        from jmap.cli.commands import app

        return app
    raise AttributeError(f"module 'jmap.cli' has no attribute {name!r}")
