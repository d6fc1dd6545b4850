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
    """Changes whenever any journey of the portfolio, the set of journeys, the title, or the
    day changes: the pages list the journeys gone stale by today (jmap.stale)."""
    from jmap import stale

    # The title and the day go first, after bytes no key holds, so neither passes for a key.
    keys = [f"\2{stale.today().isoformat()}"]
    keys += [f"\1{title}"] if title is not None else []
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
    context = render_context(settings.formats, settings.engine, settings.templates, settings.theme)
    # Which journeys have gone stale is the lint settings' to say (the day, the ages, the
    # rules that run), or the defaults' where a build does not lint (the library's build): the
    # same pages either way. The index key holds the day, so a new day makes new pages.
    from jmap.lint.settings import LintSettings

    check = (settings.lint or LintSettings()).stale_check()
    pages = {}
    with language(settings.lang):  # the project's: journeys of several languages share the pages
        if "html" in settings.formats:
            pages[INDEX_FILES["html"]] = render_index_html(entries, context, title, check)
        if "md" in settings.formats:
            pages[INDEX_FILES["md"]] = render_index_md(entries, context, title, check)
    return pages
