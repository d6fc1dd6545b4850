"""`jmap init`: a commented starter journey that validates, to edit into your own."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jmap.loading.starters import STARTERS

# The starters are listed in jmap.loading.starters (a module with no heavy imports), so adding
# one is adding a file and a line there.
Starter = StrEnum("Starter", {name: name for name in STARTERS})  # type: ignore[misc]
_DEFAULT_STARTER = Starter("aida")


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
    from jmap.errors import UsageError
    from jmap.loading.starters import starter_text

    if path.exists() and not force:
        raise UsageError("already exists; use --force to overwrite it", path=path)
    if path.is_dir():
        raise UsageError("is a folder; name the journey file to create", path=path)
    write_text_atomic(path, starter_text(template.value, title))
    typer.echo(f"wrote {path}; check it with: jmap validate {path}")
