"""`jmap import`: a journey file from a Mermaid journey, a Markdown file's or a spreadsheet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def import_(
    path: Annotated[
        Path,
        typer.Argument(help="A Mermaid journey (.mmd), a Markdown file, a .csv or an .xlsx."),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The journey file to write ('-': standard output); a folder when the source"
            " has several journeys. Default: beside the source, as <name>.yaml.",
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The journey's title. Default: the source's, or its name.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Turn a Mermaid journey or a spreadsheet into a journey file that validates."""
    from jmap.build.write import write_all_atomic
    from jmap.errors import UsageError
    from jmap.importing.files import checked_text, file_data, output_paths, read_source
    from jmap.importing.yaml_writer import journey_yaml, schema_modeline

    imported = read_source(path, title)
    for journey in imported:
        for note in journey.notes:
            typer.echo(str(note), err=True)
    if output == Path("-"):
        if len(imported) > 1:
            raise UsageError(f"has {len(imported)} journeys; name a folder with -o", path=path)
        sys.stdout.write(
            checked_text(
                journey_yaml(imported[0].data, schema_modeline(Path.cwd() / "-")),
                path.with_suffix(".yaml"),
                path,
            )
        )
        return
    targets = output_paths(path, len(imported), output)
    for target in targets:
        if target.exists() and not force:
            raise UsageError("already exists; use --force to overwrite it", path=target)
    texts = [
        checked_text(
            journey_yaml(file_data(journey.data, target), schema_modeline(target)), target, path
        )
        for journey, target in zip(imported, targets, strict=True)
    ]
    for folder in {target.parent for target in targets}:
        folder.mkdir(parents=True, exist_ok=True)
    write_all_atomic([(t, text.encode("utf-8")) for t, text in zip(targets, texts, strict=True)])
    for target in targets:
        typer.echo(f"wrote {target}; check it with: jmap validate {target}")
