"""The portfolio pages of a build: index.html and index.md over every journey in it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from jmap.build.rendering import Settings, load_view, render_context
from jmap.errors import JourneyError
from jmap.render import FORMATS
from jmap.view import JourneyView

INDEX_FILES = {"html": "index.html", "md": "index.md"}


def index_key(journey_keys: list[str]) -> str:
    """Changes whenever any journey of the portfolio, or the set of journeys, changes."""
    return hashlib.sha256("\0".join(journey_keys).encode()).hexdigest()


def load_views(
    journeys: list[tuple[Path, str]], settings: Settings
) -> list[tuple[JourneyView, str]]:
    """The views of journeys that rendered before, with their ids; one that no longer loads
    (edited or deleted since) is left out, as a build would have left it out."""
    views = [(view_if_loads(source, settings), journey_id) for source, journey_id in journeys]
    return [(view, journey_id) for view, journey_id in views if view is not None]


def view_if_loads(source: Path, settings: Settings) -> JourneyView | None:
    try:
        return load_view(source, settings)
    except JourneyError:
        return None


def portfolio_files(journeys: list[tuple[JourneyView, str]], settings: Settings) -> dict[str, str]:
    """File name -> text of each index page the chosen formats call for."""
    from jmap.render.portfolio import PortfolioEntry, render_index_html, render_index_md

    entries = []
    for view, journey_id in journeys:
        links = {name: f"{journey_id}.{FORMATS[name].extension}" for name in settings.formats}
        entries.append(PortfolioEntry(view=view, links=links))
    context = render_context(settings.formats, settings.engine, settings.templates)
    pages = {}
    if "html" in settings.formats:
        pages[INDEX_FILES["html"]] = render_index_html(entries, context)
    if "md" in settings.formats:
        pages[INDEX_FILES["md"]] = render_index_md(entries, context)
    return pages
