"""Mermaid itself, in headless Chromium: parse a diagram and read back what it draws.

The tests load the `mermaid.min.js` that `@mermaid-js/mermaid-cli` installs in tests/node
(`PUPPETEER_SKIP_DOWNLOAD=1 npm ci` there) into a Playwright page driving the system Chromium.
One page serves a whole test module (the `mermaid` fixture in tests/conftest.py): starting
Chromium and loading Mermaid takes a second or two, a diagram a few milliseconds.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

from tests.browser import CHROMIUM_ARGS, NODE, chromium, require

MERMAID_JS = NODE / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
MMDC = NODE / "node_modules" / ".bin" / "mmdc"


def missing() -> str | None:
    """Why Mermaid cannot run in a browser here, or None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is not installed"
    if chromium() is None:
        return "no chromium on PATH"
    if not MERMAID_JS.is_file():
        return f"{MERMAID_JS.relative_to(NODE.parent.parent)} is missing"
    return None


def require_mermaid() -> None:
    """Skip the calling test without Mermaid, or fail where CI requires it."""
    require(missing())


def puppeteer_config(folder: Path) -> Path:
    """A puppeteer config for `mmdc -p` that uses the system Chromium."""
    path = folder / "puppeteer.json"
    path.write_text(json.dumps({"executablePath": chromium(), "args": CHROMIUM_ARGS}))
    return path


class MermaidError(Exception):
    """Mermaid rejected a diagram."""


@dataclass(frozen=True)
class Drawn:
    """What Mermaid drew, as a reader sees it: texts with entities decoded, trimmed."""

    svg: str
    title: str
    sections: list[str]  # one per drawn section (a stage with no task is not drawn)
    tasks: list[str]  # one per task, in order
    scores: list[int]  # the score of each task, as Mermaid parsed it
    actors: list[list[str]]  # the actors of each task, as Mermaid parsed them
    legend: list[str]  # the actor names in the legend; a long name wraps over several texts
    circles: list[str]  # the actor named by each actor's dot at each task, in order
    elements: frozenset[str]  # the names of all elements in the SVG


_DRAW = r"""async ([id, code]) => {
  try { await mermaid.parse(code); }
  catch (error) { return {error: String((error && error.message) || error)}; }
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(code);
  const tasks = diagram.db.getTasks();
  const {svg} = await mermaid.render(id, code);
  // Parsed as HTML, the way a page that inlines the SVG (GitHub, GitLab) reads it.
  const doc = new DOMParser().parseFromString(svg, 'text/html');
  const texts = (selector) => [...doc.querySelectorAll(selector)].map(e => e.textContent.trim());
  // Tasks and sections are drawn twice: as an HTML label in a foreignObject (what a browser
  // shows) and as SVG text (the fallback); read the label.
  return {
    svg,
    title: texts('svg > text:not(.legend)').join(' '),
    sections: texts('foreignObject div.journey-section'),
    tasks: texts('foreignObject div.task'),
    fallback_sections: texts('text.journey-section'),
    fallback_tasks: texts('text.task'),
    legend: texts('text.legend'),
    circles: texts('circle > title'),
    elements: [...new Set([...doc.querySelectorAll('*')].map(e => e.localName))],
    scores: tasks.map(t => t.score),
    // The parsed model still holds Mermaid's placeholders for entities (ﬂ°°<n>¶ß).
    actors: tasks.map(t => t.people.map(p => p.replace(/ﬂ°°(\d+)¶ß/g,
                                                        (_, n) => String.fromCodePoint(+n)))),
  };
}"""


_SHOW = """(svg) => {
  document.body.innerHTML = svg;
  const element = document.querySelector('svg');
  element.style.maxWidth = 'none';
  element.setAttribute('width', element.viewBox.baseVal.width);
  element.setAttribute('height', element.viewBox.baseVal.height);
}"""


# What a reader sees of a drawn diagram, laid out in the page: the colour of each actor's dot
# in the legend, each task label that its box cuts off, and the diagram's width.
_LOOK = """(svg) => {
  document.body.innerHTML = svg;
  const element = document.querySelector('svg');
  const legend = [...element.querySelectorAll('text.legend')];
  const dots = [...element.querySelectorAll('circle')].filter((c) => +c.getAttribute('cx') === 20);
  const cut = [...element.querySelectorAll('foreignObject div.task')].filter((label) => {
    const box = label.closest('foreignObject').getBoundingClientRect();
    const text = label.firstElementChild || label;
    const range = document.createRange();
    range.selectNodeContents(label);
    const drawn = range.getBoundingClientRect();
    return drawn.height > box.height + 0.5 || drawn.width > box.width + 0.5;
  }).map((label) => label.textContent.trim());
  const result = {
    fills: dots.map((dot) => getComputedStyle(dot).fill),
    cut,
    width: element.viewBox.baseVal.width,
  };
  document.body.innerHTML = '';
  return result;
}"""


@dataclass(frozen=True)
class Looked:
    fills: list[str]  # the computed fill of each actor's dot in the legend, in legend order
    cut: list[str]  # the task labels whose text does not fit their box
    width: float  # the diagram's width at its natural size, px


class MermaidPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    @classmethod
    def on(cls, page: Page) -> MermaidPage:
        """A blank `page` with Mermaid loaded and set up as jmap's outputs expect (strict)."""
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(MERMAID_JS))
        page.evaluate("() => mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})")
        return cls(page)

    def draw(self, code: str) -> Drawn:
        self.count += 1
        result: dict[str, Any] = self.page.evaluate(_DRAW, [f"diagram{self.count}", code])
        if "error" in result:
            raise MermaidError(result["error"])
        # The SVG text fallback must say the same as the label, or a viewer without
        # foreignObject support would show something else.
        assert result["fallback_tasks"] == result["tasks"], result["fallback_tasks"]
        assert result["fallback_sections"] == result["sections"], result["fallback_sections"]
        return Drawn(
            svg=result["svg"],
            title=result["title"],
            sections=result["sections"],
            tasks=result["tasks"],
            scores=result["scores"],
            actors=result["actors"],
            legend=result["legend"],
            circles=result["circles"],
            elements=frozenset(result["elements"]),
        )

    def look(self, code: str) -> Looked:
        """Draw a diagram in the page, laid out at its own size, and see what a reader sees."""
        result: dict[str, Any] = self.page.evaluate(_LOOK, self.draw(code).svg)
        return Looked(result["fills"], result["cut"], result["width"])

    def screenshot(self, code: str, path: Path) -> None:
        """Draw a diagram alone on the page and save a PNG of it, for a person to look at."""
        svg = self.draw(code).svg
        # Mermaid sizes the SVG to its container; draw it at its own size instead.
        self.page.evaluate(_SHOW, svg)
        self.page.locator("svg").first.screenshot(path=str(path))
        self.page.evaluate("() => { document.body.innerHTML = ''; }")


@contextmanager
def mermaid_page() -> Iterator[MermaidPage]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield MermaidPage.on(browser.new_page())
        finally:
            browser.close()


if __name__ == "__main__":
    # Look at a diagram: python -m tests.mermaid_check maps/journey.mmd journey.png
    import sys

    with mermaid_page() as mermaid:
        mermaid.screenshot(Path(sys.argv[1]).read_text("utf-8"), Path(sys.argv[2]))
