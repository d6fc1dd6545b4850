"""Rendering one journey file in every requested format, in memory.

This is the unit of work a build hands to its worker processes, so it takes and returns only
plain, picklable values and keeps one render context per process. What the portfolio pages
need of a journey comes back as its small `PortfolioRow`, never its whole view.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from jmap.build.layout import Layout
from jmap.errors import JmapError, JourneyError, Problem
from jmap.i18n import language
from jmap.loading.limits import DEFAULT_LIMITS, Limits
from jmap.loading.loader import read
from jmap.render import FORMATS, MAY_NEED_LAYOUT, RenderContext
from jmap.view import JourneyView, journey_view

if TYPE_CHECKING:
    from jmap.lint.settings import LintSettings
    from jmap.render.portfolio import PortfolioRow
    from jmap.theme import Brand


def needs_layout(view: JourneyView, formats: tuple[str, ...]) -> bool:
    """Whether a journey's outputs run the layout engine: its flow graph is asked for, or its
    HTML map shows the flow graph (it has routes)."""
    return "flow" in formats or ("html" in formats and view.has_routes)


@dataclass(frozen=True)
class Settings:
    """Everything besides the journey that decides what a build writes."""

    formats: tuple[str, ...]
    engine: str = "pure"
    templates: Path | None = None
    limits: Limits = DEFAULT_LIMITS
    lint: LintSettings | None = None  # lint each journey while it is loaded anyway
    theme: Brand | None = None
    lang: str | None = None  # the maps' language where a journey says none (jmap.i18n)
    # Work out each journey's portfolio row: only a build that makes the portfolio pages needs
    # them, and a build of one journey then skips importing the portfolio's module.
    rows: bool = True


@dataclass
class Rendered:
    source: Path
    journey_id: str | None = None
    files: dict[str, str | bytes] = field(default_factory=dict)  # file name -> text or bytes
    problems: list[Problem] = field(default_factory=list)
    id_position: tuple[int, int] = (1, 1)  # where the journey's `id:` is, for clash messages
    # Every file the journey included -> SHA-256 of what was read, for incremental builds.
    inputs: dict[str, str] = field(default_factory=dict)
    lint: dict[str, int] = field(default_factory=dict)  # lint findings by level
    # What the portfolio pages show of the journey, when it rendered.
    row: PortfolioRow | None = None


def render_file(source: Path, settings: Settings) -> Rendered:
    return render_files([source], settings)[0]


def render_files(sources: list[Path], settings: Settings) -> list[Rendered]:
    """Render several journeys, their maps laid out by one run of the layout engine."""
    loaded = [_load(source, settings) for source in sources]
    context = render_context(settings.formats, settings.engine, settings.templates, settings.theme)
    # journey (by position) -> its DOT source, made once: for the journeys laid out
    dots = _dot_sources(loaded, context, settings.formats)
    if dots and isinstance(context.layout, Layout):
        context.layout.prepare(list(dots.values()))
    try:
        return [
            _render(result, view, context, settings, dots.get(number))
            for number, (result, view) in enumerate(loaded)
        ]
    finally:
        if isinstance(context.layout, Layout):
            context.layout.forget()


def _load(source: Path, settings: Settings) -> tuple[Rendered, JourneyView | None]:
    """A journey read, checked and linted: what rendering it needs, or its problems."""
    result = Rendered(source)
    try:
        loaded = read(source, settings.limits)
    except JourneyError as error:
        result.problems = list(error.problems)
        return result, None
    journey = loaded.journey
    result.journey_id = journey.id
    result.inputs = {included.name: included.digest for included in loaded.includes}
    if settings.lint is not None:
        from jmap.lint import lint_loaded

        levels = [finding.level for finding in lint_loaded(loaded, settings.lint)]
        result.lint = {level: levels.count(level) for level in sorted(set(levels))}
    position = loaded.document.values.get(("id",))
    if position is not None:
        result.id_position = (position.line, position.column)
    return result, journey_view(journey)


def _dot_sources(
    loaded: list[tuple[Rendered, JourneyView | None]],
    context: RenderContext,
    formats: tuple[str, ...],
) -> dict[int, str]:
    dots = {}
    for number, (_, view) in enumerate(loaded):
        if view is None or not needs_layout(view, formats):
            continue
        try:
            dots[number] = context.render("dot", view)
        except JmapError:
            pass  # said when the journey renders
        finally:
            context.reused.clear()  # journeys of one batch may share an id
    return dots


def _render(
    result: Rendered,
    view: JourneyView | None,
    context: RenderContext,
    settings: Settings,
    dot: str | None,
) -> Rendered:
    if view is None:
        return result
    if dot is not None:
        context.reused[("dot", view.journey.id)] = dot
    try:
        with language(view.journey.lang or settings.lang):
            result.files = {
                f"{view.journey.id}.{FORMATS[name].extension}": context.output(name, view)
                for name in settings.formats
            }
    except JmapError as error:
        result.problems = [Problem(str(result.source), 1, 1, str(error))]
    except jinja2.TemplateError as error:
        # Most likely a team's own template (--templates): say which one and where.
        result.problems = [Problem(str(result.source), 1, 1, _template_problem(error))]
    else:
        if settings.rows:
            from jmap.render.portfolio import portfolio_row

            result.row = portfolio_row(view)
    finally:
        context.reused.clear()  # one journey's outputs are no use for the next
    return result


@functools.cache
def render_context(
    formats: tuple[str, ...], engine: str, templates: Path | None, theme: Brand | None = None
) -> RenderContext:
    from jmap.build.layout import layout_engine
    from jmap.templating import environment
    from jmap.theme import palette_for

    def no_layout(_: str) -> str:  # pragma: no cover - formats that need layout get an engine
        raise AssertionError("no layout engine in a build without flow or html")

    # The engine starts a process only when a journey needs it (see `needs_layout`).
    layout = layout_engine(engine) if MAY_NEED_LAYOUT & set(formats) else no_layout
    colours = palette_for(theme)
    return RenderContext(environment(templates, colours), layout, colours, formats)


def _template_problem(error: jinja2.TemplateError) -> str:
    where = ""
    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f" in {error.name or error.filename}, line {error.lineno}"
    return f"cannot render this journey: template error{where}: {error.message}"
