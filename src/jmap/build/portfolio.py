"""The portfolio pages of a build: index.html and index.md over every journey in it.

The pages are made from each journey's `PortfolioRow`, which the worker that rendered the
journey worked out and the build keeps (`jmap.build.rows`): a build that changed one journey of
a thousand reads no other journey for them.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from jmap.build.rendering import Settings, render_context
from jmap.i18n import language
from jmap.render import FORMATS

if TYPE_CHECKING:
    from jmap.render.portfolio import PortfolioRow

INDEX_FILES = {"html": "index.html", "md": "index.md"}


def index_pages(formats: tuple[str, ...]) -> list[str]:
    """The portfolio pages a build of several journeys in these formats makes."""
    return [INDEX_FILES[name] for name in formats if name in INDEX_FILES]


def index_key(journey_keys: list[str], title: str | None = None) -> str:
    """Changes whenever any journey of the portfolio, the set of journeys, or the title changes."""
    # The title goes first, after a byte no key holds, so it cannot pass for a journey's key.
    keys = [f"\1{title}"] if title is not None else []
    return hashlib.sha256("\0".join(keys + journey_keys).encode()).hexdigest()


def portfolio_files(
    journeys: list[tuple[PortfolioRow, str]], settings: Settings, title: str | None = None
) -> dict[str, str]:
    """File name -> text of each index page the chosen formats call for, over these journeys'
    rows and ids."""
    from jmap.render.portfolio import PortfolioEntry, render_index_html, render_index_md

    entries = []
    for row, journey_id in journeys:
        links = {name: f"{journey_id}.{FORMATS[name].extension}" for name in settings.formats}
        entries.append(PortfolioEntry(row=row, links=links))
    context = render_context(settings.formats, settings.engine, settings.templates)
    # Which journeys have gone stale is the lint settings' to say (the day, the ages, the
    # rules that run); the journeys' keys hold those settings, so a new day makes new pages.
    check = settings.lint.stale_check() if settings.lint is not None else None
    pages = {}
    with language(settings.lang):  # the project's: journeys of several languages share the pages
        if "html" in settings.formats:
            pages[INDEX_FILES["html"]] = render_index_html(entries, context, title, check)
        if "md" in settings.formats:
            pages[INDEX_FILES["md"]] = render_index_md(entries, context, title, check)
    return pages
