"""The one Jinja environment every template-based renderer uses.

A team's own template folder goes in front of the built-in templates, so overriding one file
(say `map.html.j2`) rebrands the maps while the rest keep working. StrictUndefined turns a
misspelt variable into an error instead of an empty string in a map.
"""

from __future__ import annotations

from pathlib import Path

import jinja2


def _autoescape(name: str | None) -> bool:
    return name is not None and name.removesuffix(".j2").endswith((".html", ".svg", ".xml"))


def environment(user_templates: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(user_templates))
    loaders.append(jinja2.PackageLoader("jmap", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
