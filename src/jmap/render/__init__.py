"""Renderers: one module per output format, each a function of the journey that returns text
(or bytes, for the PNG and PDF).

`FORMATS` maps a format name to its file extension and renderer (the shape is jmap.formats'); a
module is imported only when its format is built. Adding a format is adding a module and a line
here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jmap.formats import Format, registry
from jmap.palette import DEFAULT, Palette

if TYPE_CHECKING:
    import jinja2

    from jmap.view import JourneyView

Output = str | bytes
Renderer = Callable[["JourneyView", "RenderContext"], Output]

FORMATS: dict[str, Format[Renderer]] = registry(
    Format("svg", "svg", "the journey map as a grid, drawn by jmap", "jmap.render.grid:render"),
    Format("html", "html", "a self-contained interactive map page", "jmap.render.html:render"),
    Format("md", "md", "GitHub Markdown with a Mermaid journey", "jmap.render.markdown:render"),
    Format("mermaid", "mmd", "the Mermaid journey block alone", "jmap.render.mermaid:render"),
    Format("json", "json", "the normalised journey for other tools", "jmap.render.json:render"),
    Format("flow", "flow.svg", "the flow graph of routes, by Graphviz", "jmap.render.dot:flow"),
    Format("dot", "dot", "the Graphviz source of the flow graph", "jmap.render.dot:render"),
    Format("png", "png", "the SVG map as an image, twice its size", "jmap.render.png:render"),
    Format("pdf", "pdf", "16:9 slides: an overview, then the map", "jmap.render.deck:render"),
)
DEFAULT_FORMATS = ("svg", "html", "md")
# The formats that may run the Graphviz layout engine: `flow` always, `html` for a journey with
# routes (its diagram is the flow graph; see jmap.render.html). `dot` is the source alone.
MAY_NEED_LAYOUT = frozenset({"flow", "html"})


@dataclass
class RenderContext:
    """What renderers share within one build: the templates, the layout engine and the
    palette (jmap's colours, or a theme's: renderers read their colours here).

    `layout` turns DOT source into SVG text. It is passed in so that renderers stay functions
    of their input; the engine behind it is chosen by the build, and runs only when called.
    """

    templates: jinja2.Environment
    layout: Callable[[str], str]
    palette: Palette = DEFAULT
    # The formats the build writes, so an output can point at another written beside it (the
    # Markdown map shows the SVG map as an image when `svg` is among them).
    formats: tuple[str, ...] = ()
    # Outputs one renderer made that another reuses (the HTML map embeds the SVG map or the
    # flow graph; the PNG and PDF draw the SVG map), keyed by (format, journey id), so a build
    # draws each journey once.
    reused: dict[tuple[str, str], Output] = field(default_factory=dict)

    def output(self, format_name: str, view: JourneyView) -> Output:
        key = (format_name, view.journey.id)
        if key not in self.reused:
            self.reused[key] = renderer(format_name)(view, self)
        return self.reused[key]

    def render(self, format_name: str, view: JourneyView) -> str:
        """A text format's output, for a renderer that builds on it."""
        made = self.output(format_name, view)
        assert isinstance(made, str), f"{format_name} is not a text format"
        return made


def renderer(format_name: str) -> Renderer:
    return FORMATS[format_name].load()
