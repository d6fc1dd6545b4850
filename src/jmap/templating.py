"""The one Jinja environment every template-based renderer uses.

A team's own template folder goes in front of the built-in templates, so overriding one file
(say `map.html.j2`) rebrands the maps while the rest keep working. StrictUndefined turns a
misspelt variable into an error instead of an empty string in a map.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import jinja2
import jinja2.bccache

from jmap import __version__, i18n
from jmap.palette import DEFAULT, Palette


def _autoescape(name: str | None) -> bool:
    return name is not None and name.removesuffix(".j2").endswith((".html", ".svg", ".xml"))


def environment(
    user_templates: Path | None = None, palette: Palette = DEFAULT
) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(user_templates))
    loaders.append(jinja2.PackageLoader("jmap", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
        extensions=["jinja2.ext.i18n"],
    )
    # Every page's colours, read when a page is rendered (see jmap.palette): jmap's own, or
    # a theme's. One environment per palette, so two themes never share one.
    env.globals["palette"] = palette
    # `{{ _("Customer goal") }}`: these look the language up for each call in the render's own
    # context (jmap.i18n.language), so renders in two languages never mix. Old style: what
    # they return is escaped like any other text.
    env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals["i18n"] = i18n
    return env


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """A cache that is only ever a shortcut: a template it cannot store is compiled again
    next time, never an error."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates, kept between runs like Python's own __pycache__.

    Compiling the map templates takes about 100 ms, in every build worker and again for the
    portfolio pages; loading them compiled takes a millisecond. Jinja keys each entry by the
    template's file and a checksum of its text, and keeps them in its own per-user folder
    (private to the user, checked on use); the name holds jmap's version, since the compiled
    code also depends on the environment's options above. `JMAP_NO_TEMPLATE_CACHE=1` turns it
    off.
    """
    if os.environ.get("JMAP_NO_TEMPLATE_CACHE"):
        return None
    try:
        return _QuietCache(pattern=f"jmap-{__version__}-%s.cache")
    except (OSError, RuntimeError):  # no private temporary folder to be had
        return None
