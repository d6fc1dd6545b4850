"""Which reader a file needs, by its extension, and where the journeys it gives are written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jmap.errors import JmapError, JourneyError, UsageError
from jmap.importing import Imported

MERMAID = (".mmd", ".mermaid")
MARKDOWN = (".md", ".markdown")
SHEETS = (".csv", ".xlsx")
IMPORTS = (*MERMAID, *MARKDOWN, *SHEETS)


def read_source(path: Path, title: str | None = None) -> list[Imported]:
    """The journeys in `path`: one, or one per journey block of a Markdown file."""
    suffix = path.suffix.lower()
    if suffix not in IMPORTS:
        raise UsageError(
            f"cannot import a '{suffix or path.name}' file; jmap imports {', '.join(IMPORTS)}",
            path=path,
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file or directory", path=path) from None
    except OSError as error:
        raise UsageError(f"cannot read it: {error.strerror}", path=path) from None
    fallback = title or path.stem
    if suffix == ".xlsx":
        from jmap.importing.sheet import read_xlsx

        return [read_xlsx(raw, str(path), fallback)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise JmapError(f"{path}: byte {error.start + 1} is not UTF-8; save it as UTF-8") from None
    if suffix == ".csv":
        from jmap.importing.sheet import read_csv

        return [read_csv(text, str(path), fallback)]
    from jmap.importing.mermaid import read_mermaid

    imported = read_mermaid(text, str(path), markdown=suffix in MARKDOWN, fallback_title=fallback)
    if title is not None:
        for journey in imported:
            journey.data["title"] = title
    return imported


def output_paths(source: Path, count: int, output: Path | None) -> list[Path]:
    """Where `count` journeys imported from `source` go.

    One journey: `output`, or `<source stem>.yaml` beside the source. Several (a Markdown file
    with several journey blocks): `<stem>-1.yaml` on, in `output` as a folder or beside it.
    """
    if count == 1:
        return [output or source.with_suffix(".yaml")]
    folder = output if output is not None else source.parent
    if output is not None and output.exists() and not output.is_dir():
        raise UsageError(
            f"the source has {count} journeys; name a folder for them with -o", path=output
        )
    return [folder / f"{source.stem}-{n}.yaml" for n in range(1, count + 1)]


def file_data(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """The journey's data for the file `path`: with an `id:` when the file's name gives none
    (a Japanese name), made from the title, else `journey`."""
    from jmap.slug import slugify

    if slugify(path.stem):
        return data
    ident = slugify(str(data["title"])) or "journey"
    return (
        {key: value for key, value in data.items() if key in ("jmap", "title")}
        | {"id": ident}
        | {key: value for key, value in data.items() if key not in ("jmap", "title")}
    )


def checked_text(text: str, path: Path, source: Path) -> str:
    """`text` if it is a valid journey file for `path`; else an error about the source."""
    from jmap.loading.loader import loads

    try:
        loads(text, str(path))
    except JourneyError as error:
        first = error.problems[0]
        raise JmapError(
            f"{source}: the imported journey would not be valid: {first.message}"
        ) from None
    return text
