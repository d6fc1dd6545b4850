"""`jmap export`: a journey as a spreadsheet, one row per touchpoint, to edit and import back."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class SheetFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def export(
    journey: Annotated[Path, typer.Argument(help="The journey file.")],
    format: Annotated[
        SheetFormat, typer.Option("--format", "-f", help="csv or xlsx.")
    ] = SheetFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Default: beside the journey, as <name>.csv/.xlsx."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a journey as a spreadsheet (the layout `jmap import` reads; see docs/import.md)."""
    from jmap.build.write import write_bytes_atomic
    from jmap.errors import UsageError
    from jmap.importing.sheet import csv_text, journey_rows, xlsx_bytes
    from jmap.loading.loader import load

    if not journey.is_file():
        raise UsageError("no such file or directory", path=journey)
    target = output or journey.with_suffix(f".{format.value}")
    if target.exists() and not force:
        raise UsageError("already exists; use --force to overwrite it", path=target)
    rows = journey_rows(load(journey))
    data = csv_text(rows).encode("utf-8") if format is SheetFormat.csv else xlsx_bytes(rows)
    write_bytes_atomic(target, data)
    typer.echo(f"wrote {target}")
