"""Arguments and options more than one command takes, and the usage error they share."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from jmap.errors import UsageError

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Journey files, or folders to search for *.yaml/*.yml files with a `jmap:` key."
        " Default: what the project configuration names, else the current folder.",
        show_default=False,
    ),
]

JourneysOnlyOption = Annotated[
    bool,
    typer.Option(
        "--journeys-only",
        help="Skip named files that are not journeys (no top-level `jmap:` key), as"
        " pre-commit passes every changed YAML file.",
    ),
]

QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")]

OutputFileOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead.")
]

TemplatesOption = Annotated[
    Path | None,
    typer.Option(help="A folder of templates used before the built-in ones."),
]

ThemeOption = Annotated[
    Path | None,
    typer.Option(
        help="A theme file (TOML: accent, text, stages, stage_tints, font, logo) used instead"
        " of [tool.jmap.theme]; see docs/themes.md.",
    ),
]


def no_journeys(paths: Sequence[Path]) -> UsageError:
    """What a command that reads journeys says when the paths hold none."""
    from jmap.errors import UsageError

    return UsageError(f"no journey files found in {', '.join(map(str, paths))}")
