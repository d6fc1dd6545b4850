"""The naughty strings' maps as Mermaid and Chromium read them: drawn as written, running
nothing (tests/corpora.py says what is checked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.corpora import (
    STRING_IDS,
    STRINGS,
    VALID_IDS,
    VALID_NUMBERS,
    Built,
    flat,
)
from tests.mermaid_check import MermaidPage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Route

# In the browser --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("number", VALID_NUMBERS, ids=VALID_IDS)
def test_mermaid_draws_every_text_as_written(
    naughty: Built, mermaid: MermaidPage, number: int
) -> None:
    # A NUL character is written as U+FFFD, which is how HTML reads it.
    text = flat(STRINGS[number].replace("\x00", "\ufffd"))
    drawn = mermaid.draw(naughty.map(number, "mmd").read_text("utf-8"))
    assert drawn.title == text
    assert drawn.sections == [text]
    # The personas feel differently at the first: a task each, named with whose it is (the
    # persona's name up to its first comma, here the same naughty text).
    persona = STRINGS[number].replace("\x00", "\ufffd")
    whose = flat(persona.split(",")[0].strip() or persona)
    tasks = [flat(f"{persona} ({whose})"), flat(f"{persona} (Bo)"), text]
    if not whose.strip("\ufeff "):  # a name of nothing visible: Mermaid draws it as a space
        tasks[0] = tasks[0].replace("()", "( )")
    assert drawn.tasks == tasks
    assert drawn.scores == [1, 5, 3]
    assert [[flat(actor) for actor in actors] for actors in drawn.actors] == [
        [text],
        ["Bo"],
        [text, "Bo"],
    ]
    assert not drawn.elements & {"a", "b", "i", "img", "script", "iframe"}, drawn.elements


_INJECTED = """() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  return {
    scripts: document.querySelectorAll('script').length,
    frames: document.querySelectorAll(
      'iframe, frame, object, embed, base, link, meta[http-equiv=refresh]').length,
    images: [...document.images].filter((i) => !i.src.startsWith('data:')).length,
    handlers: [...document.querySelectorAll('*')].filter(
      (e) => [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).length,
    // A link runs nothing until clicked; one that would run something on a click counts too.
    links: [...document.links].filter(
      (a) => !['http:', 'https:', 'mailto:', 'file:'].includes(a.protocol)).length,
    text: document.body.innerText,
  };
}"""


class Reader:
    """One page that opens map after map, noting whatever each one tried to do.

    Lighter than tests.browser.visit (a context and axe-core per page), which would take
    minutes over five hundred maps; accessibility is test_html's to check.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.events: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.events.append(f"page error: {error}"))
        page.on("console", self._console)
        page.on("request", self._request)
        page.route(lambda url: not url.startswith(("file:", "data:")), self._abort)

    def open(self, path: Path) -> tuple[dict[str, int], str, list[str]]:
        """What the page made (elements that could run or load something), its text, events."""
        self.events = []
        self.page.goto(path.as_uri())
        found: dict[str, Any] = self.page.evaluate(_INJECTED)
        text = found.pop("text")
        return found, text, self.events

    def _dialog(self, dialog: Dialog) -> None:
        self.events.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.events.append(f"console error: {message.text}")

    def _request(self, request: Request) -> None:
        if not request.url.startswith(("file:", "data:")):
            self.events.append(f"request: {request.url}")

    @staticmethod
    def _abort(route: Route) -> None:
        route.abort()


@pytest.fixture(scope="module")
def reader(browser: Browser) -> Iterator[Reader]:
    context = browser.new_context()
    try:
        yield Reader(context.new_page())
    finally:
        context.close()


NOTHING_INJECTED = {"scripts": 0, "frames": 0, "images": 0, "handlers": 0, "links": 0}


def as_a_browser_shows(text: str) -> str:
    # The HTML parser drops NUL characters from text.
    return flat(text.replace("\x00", ""))


# Opening a page takes a tenth of a second: the browser opens the maps of the strings that
# hold markup or a URL scheme, and the portfolio page, which shows a text of every journey.
IN_BROWSER = [n for n in VALID_NUMBERS if re.search(r"[<>&]|script|:", STRINGS[n], re.I)]


@pytest.mark.slow
@pytest.mark.parametrize("number", IN_BROWSER, ids=[STRING_IDS[n] for n in IN_BROWSER])
def test_the_html_map_shows_the_text_and_runs_nothing(
    naughty: Built, reader: Reader, number: int
) -> None:
    made, text, events = reader.open(naughty.map(number, "html"))
    assert made == NOTHING_INJECTED
    assert events == []
    assert as_a_browser_shows(STRINGS[number]) in flat(text)


@pytest.mark.slow
def test_the_portfolio_page_shows_every_title_and_runs_nothing(
    naughty: Built, reader: Reader
) -> None:
    made, text, events = reader.open(naughty.maps / "index.html")
    assert made == NOTHING_INJECTED
    assert events == []
    shown_text = flat(text)
    assert [n for n in VALID_NUMBERS if as_a_browser_shows(STRINGS[n]) not in shown_text] == []
