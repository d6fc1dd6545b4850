"""What an output format is, for each command that writes one: `build`, `lint` and `diff`.

Each package keeps its registry beside its renderers, a plain dict of name -> `Format`:
`jmap.render.FORMATS` (maps), `jmap.lint.FORMATS` (lint reports), `jmap.diff.FORMATS`
(diffs). A format names its renderer as "module:function", imported the first time the format
is used, so listing the formats (as `--help` does) loads no renderer. Adding a format is adding
a renderer and a line to its registry; the command's choices, help and errors follow.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

R = TypeVar("R", bound=Callable[..., str | bytes])  # the renderers' signature, one per registry


@dataclass(frozen=True)
class Format(Generic[R]):
    name: str  # what a user chooses: `--format NAME`
    extension: str  # of the file it is written to, without the dot
    description: str  # a few words for --help: what it is, or who it is for
    renderer: str  # "module:function"

    def load(self) -> R:
        module, _, function = self.renderer.partition(":")
        render: R = getattr(importlib.import_module(module), function)
        return render


def registry(*formats: Format[R]) -> dict[str, Format[R]]:
    """Formats by name, in the order given: the order of --help and of error messages."""
    return {output.name: output for output in formats}


def described(formats: Mapping[str, Format[Any]]) -> str:
    """`text (for people), json (for tools) or sarif (for code scanning)`, for --help."""
    shown = [f"{output.name} ({output.description})" for output in formats.values()]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def unknown(formats: Mapping[str, Format[Any]], name: str) -> str:
    """What to say about a format name that is not in `formats`."""
    return f"'{name}' is not one of {', '.join(repr(known) for known in formats)}."


def format_option(formats: Mapping[str, Format[Any]]) -> Any:
    """A typer `--format/-f` option choosing one name of `formats`, with its help and error."""
    import typer  # the CLI's concern: a build's workers import this module without typer

    def choose(name: str) -> str:
        if name not in formats:
            raise typer.BadParameter(unknown(formats, name))
        return name

    return typer.Option(
        "--format",
        "-f",
        metavar=f"<{'|'.join(formats)}>",
        parser=choose,
        autocompletion=lambda: list(formats),
        help=described(formats) + ".",
    )
