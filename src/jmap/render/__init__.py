"""Renderers: one module per output format, each a function of the journey that returns text.

`FORMATS` maps a format name to its file extension and module; a module is imported only when
its format is built. Adding a format is adding a module and a line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from jmap.view import JourneyView


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    module: str
    description: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("svg", "svg", "jmap.render.svg", "the map as a Graphviz diagram"),
        Format("html", "html", "jmap.render.html", "a self-contained interactive map page"),
        Format("md", "md", "jmap.render.markdown", "GitHub Markdown with a Mermaid journey"),
        Format("mermaid", "mmd", "jmap.render.mermaid", "the Mermaid journey block alone"),
        Format("json", "json", "jmap.render.json", "the normalised journey for other tools"),
        Format("dot", "dot", "jmap.render.dot", "the Graphviz source of the SVG map"),
    ]
}
DEFAULT_FORMATS = ("svg", "html", "md")


@dataclass
class RenderContext:
    """What renderers share within one build: the templates and the layout engine.

    `layout` turns DOT source into SVG text. It is passed in so that renderers stay functions
    of their input; the engine behind it is chosen by the build.
    """

    templates: jinja2.Environment
    layout: Callable[[str], str]
    # Outputs one renderer made that another reuses (the HTML map embeds the SVG map), keyed by
    # (format, journey id), so a build lays out each journey once.
    reused: dict[tuple[str, str], str] = field(default_factory=dict)

    def render(self, format_name: str, view: JourneyView) -> str:
        key = (format_name, view.journey.id)
        if key not in self.reused:
            self.reused[key] = renderer(format_name)(view, self)
        return self.reused[key]


Renderer = Callable[["JourneyView", RenderContext], str]


def renderer(format_name: str) -> Renderer:
    render: Renderer = importlib.import_module(FORMATS[format_name].module).render
    return render
