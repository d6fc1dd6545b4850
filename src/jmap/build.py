"""`jmap build`: journeys in, map files out.

Gather all data first (find, load, validate, render every format of a journey), then write:
a journey whose rendering fails writes nothing, and each file is replaced atomically, so an
interrupted build never leaves a half-written map.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from jmap.discover import find_journeys
from jmap.errors import JmapError, JourneyError, Problem, UsageError
from jmap.limits import DEFAULT_LIMITS, Limits
from jmap.loader import read
from jmap.render import DEFAULT_FORMATS, FORMATS, RenderContext
from jmap.source import Position
from jmap.view import journey_view
from jmap.write import write_text_atomic

DEFAULT_OUTPUT = Path("maps")
_NEEDS_LAYOUT = {"svg", "html"}


@dataclass(frozen=True)
class BuildOptions:
    output: Path = DEFAULT_OUTPUT
    formats: tuple[str, ...] = DEFAULT_FORMATS
    engine: str = "pure"
    templates: Path | None = None
    limits: Limits = DEFAULT_LIMITS


@dataclass
class Built:
    """One journey file's outcome: the files written, or the problems that stopped it."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def build(paths: Iterable[str | os.PathLike[str]], options: BuildOptions) -> list[Built]:
    unknown = [name for name in options.formats if name not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}")
    if options.templates is not None and not options.templates.is_dir():
        raise UsageError(f"{options.templates}: no such templates folder")
    files = find_journeys(paths)
    context = _context(options)
    results: list[Built] = []
    owners: dict[str, str] = {}  # journey id -> the file that claimed it in this build
    for file in files:
        result = Built(str(file))
        results.append(result)
        try:
            loaded = read(file, options.limits)
        except JourneyError as error:
            result.problems = list(error.problems)
            continue
        journey = loaded.journey
        if journey.id in owners:
            where = loaded.document.values.get(("id",), Position(1, 1))
            result.problems = [
                Problem(
                    str(file),
                    where.line,
                    where.column,
                    f"journey id '{journey.id}' is also the id of {owners[journey.id]}; both"
                    " would write the same maps, so give one a different `id:`",
                )
            ]
            continue
        owners[journey.id] = str(file)
        view = journey_view(journey)
        try:
            texts = {name: context.render(name, view) for name in options.formats}
        except JmapError as error:
            result.problems = [Problem(str(file), 1, 1, str(error))]
            continue
        except jinja2.TemplateError as error:
            # Most likely a team's own template (--templates): say which one and where.
            result.problems = [Problem(str(file), 1, 1, _template_problem(error))]
            continue
        for name, text in texts.items():
            target = options.output / f"{journey.id}.{FORMATS[name].extension}"
            write_text_atomic(target, text)
            result.written.append(target)
    return results


def _context(options: BuildOptions) -> RenderContext:
    from jmap.layout import layout_engine
    from jmap.templating import environment

    def no_layout(_: str) -> str:  # pragma: no cover - formats needing layout get an engine
        raise AssertionError("no layout engine in a build without svg or html")

    layout = layout_engine(options.engine) if _NEEDS_LAYOUT & set(options.formats) else no_layout
    return RenderContext(environment(options.templates), layout)


def _template_problem(error: jinja2.TemplateError) -> str:
    where = ""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f" in {error.name or error.filename}, line {error.lineno}"
    return f"cannot render this journey: template error{where}: {error.message}"
