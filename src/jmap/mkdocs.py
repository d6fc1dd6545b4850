"""The MkDocs plugin: `plugins: [jmap]` puts the journeys' maps in a docs site.

- A page per journey, `journeys/<id>/` (the folder is the `folder` option), listed in a
  generated `journeys/index.md` when there is no page of that name. The page shows the HTML
  map, which is a complete page of its own (its CSS, its script, its dark mode), in an iframe
  from a file beside it (`<id>.map.html`): inside a theme's page its styles would fight the
  theme's, and a `srcdoc` copy would be escaped into every page that shows it.
- A fenced block in any page embeds a journey's SVG map, which is self-contained and scales
  to the column of any theme:

      ```jmap
      journeys/checkout.yaml
      ```

  The path is relative to the folder of mkdocs.yml.

The maps are drawn as `jmap build` draws them: with the project configuration found from the
folder of mkdocs.yml up (`[tool.jmap]` or jmap.toml: its paths, theme, lang, limits, engine and
templates), where the plugin's own options say nothing. `mkdocs serve` rebuilds the site when
a journey, an embedded journey, the configuration or the theme changes.

A journey with errors fails the build with jmap's own lines (`path:line:column: error: ...`).
Only this module imports MkDocs (`pip install "jmap[mkdocs]"`); jmap itself never does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from jmap.build.rendering import Rendered, Settings, render_files
from jmap.config import ProjectConfig, find_config
from jmap.errors import JmapError

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```jmap[ \t]*\n(?P<path>.*?)\n(?P=indent)```[ \t]*$", re.M | re.S
)
_PLACEHOLDER = '<div class="jmap-map" data-jmap-map="{number}"></div>'


DEFAULT_PATHS = ("journeys",)  # where neither the plugin nor the project names journeys


class JmapConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs leaves it untyped
    # Each unset option is the project configuration's. Paths are relative to mkdocs.yml.
    paths = c.Optional(c.ListOfItems(c.Type(str)))  # journey files or folders
    theme = c.Optional(c.Type(str))  # a theme file, as `jmap build --theme FILE`
    lang = c.Optional(c.Type(str))  # the maps' language where a journey says none
    folder = c.Type(str, default="journeys")  # where the journeys' pages go in the site


class JmapPlugin(BasePlugin[JmapConfig]):  # type: ignore[no-untyped-call]
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._config_file = Path(config.config_file_path)
        self._root = self._config_file.parent
        self._svgs: dict[str, list[str]] = {}  # page -> the SVG maps of its fenced blocks
        self._embedded: set[Path] = set()  # the journeys of fenced blocks, for `mkdocs serve`
        # Read on every build, so `mkdocs serve` follows a changed configuration or theme.
        try:
            self._project = find_config(self._root)
            self._paths, self._settings = self._resolve(self._project)
        except JmapError as error:
            raise PluginError("\n".join(error.lines())) from None
        return config

    def _resolve(self, project: ProjectConfig | None) -> tuple[list[Path], dict[str, Any]]:
        """The journeys and how to draw them: the plugin's options, else the project's."""
        from jmap.i18n import unknown_language
        from jmap.theme import read_theme_file

        if self.config.paths is not None:
            paths = [self._root / path for path in self.config.paths]
        elif project is not None and project.paths:
            paths = list(project.paths)
        else:
            paths = [self._root / path for path in DEFAULT_PATHS]
        lang = self.config.lang or (project.lang if project else None)
        if self.config.lang is not None and (why := unknown_language(self.config.lang)):
            raise PluginError(f"{self._config_file}: error: plugins: jmap: lang: {why}")
        theme = (
            read_theme_file(self._root / self.config.theme)
            if self.config.theme is not None
            else (project.theme if project else None)
        )
        settings: dict[str, Any] = {"theme": theme, "lang": lang}
        if project is not None:
            settings |= {"engine": project.engine or "pure", "templates": project.templates}
            settings["limits"] = project.limits
        return paths, settings

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        # MkDocs watches docs/ and mkdocs.yml; the maps come from these too.
        watched = [*self._paths, *self._embedded]
        if self._project is not None:
            watched.append(self._project.file)
        if self.config.theme is not None:
            watched.append(self._root / self.config.theme)
        for path in dict.fromkeys(path.resolve() for path in watched):
            if path.exists():
                server.watch(str(path))
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        from jmap.loading.discover import find_journeys

        settings = Settings(("html",), **self._settings)
        try:
            sources = find_journeys(self._paths)
        except JmapError as error:  # a path that does not exist
            raise PluginError("\n".join(error.lines())) from None
        rendered = [_checked(made) for made in render_files(sources, settings)]
        folder = self.config.folder.strip("/")
        listed = []
        for made in sorted(rendered, key=lambda made: made.journey_id or ""):
            journey_id = made.journey_id
            assert journey_id is not None
            text = made.files[f"{journey_id}.html"]
            assert isinstance(text, str)
            title = _title(text) or journey_id
            files.append(File.generated(config, f"{folder}/{journey_id}.map.html", content=text))
            # A page's raw HTML is not rewritten: the iframe's address is the page's own.
            up = "../" if config.use_directory_urls else ""
            page = _journey_page(title, f"{journey_id}.map.html", up)
            files.append(File.generated(config, f"{folder}/{journey_id}.md", content=page))
            listed.append(f"- [{_markdown_text(title)}]({journey_id}.md)")
        if listed and files.get_file_from_path(f"{folder}/index.md") is None:
            index = "# Journeys\n\n" + "\n".join(listed) + "\n"
            files.append(File.generated(config, f"{folder}/index.md", content=index))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        svgs: list[str] = []

        def embed(match: re.Match[str]) -> str:
            source = self._root / match.group("path").strip()
            if not source.is_file():
                raise PluginError(
                    f"{page.file.src_uri}: error: the jmap block names {source}, which is not a"
                    " file; give a journey's path relative to mkdocs.yml"
                )
            self._embedded.add(source)
            (made,) = render_files([source], Settings(("svg",), **self._settings))
            svg = _checked(made).files[f"{made.journey_id}.svg"]
            assert isinstance(svg, str)
            svgs.append(svg)
            return match.group("indent") + _PLACEHOLDER.format(number=len(svgs) - 1)

        markdown = _FENCE.sub(embed, markdown)
        self._svgs[page.file.src_uri] = svgs
        return markdown

    def on_page_content(
        self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        # After Markdown: an SVG given to it as raw HTML would be taken apart at blank lines.
        svgs = self._svgs.pop(page.file.src_uri, [])
        for number, svg in enumerate(svgs):
            figure = f'<figure class="jmap-map" style="overflow-x:auto;margin:1em 0">{svg}</figure>'
            html_text = html_text.replace(_PLACEHOLDER.format(number=number), figure)
        return html_text


def _checked(made: Rendered) -> Rendered:
    if made.problems:
        raise PluginError("\n".join(str(problem) for problem in made.problems))
    return made


def _title(page: str) -> str | None:
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    return html.unescape(found.group(1)).strip() if found else None


def _markdown_text(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+!|<>])", r"\\\1", text)


def _journey_page(title: str, map_file: str, up: str) -> str:
    # The map fills the content column and most of the window; "Open the map" shows it whole.
    return (
        f"# {_markdown_text(title)}\n\n"
        f'<iframe class="jmap-map" src="{html.escape(up + map_file)}" title="{html.escape(title)}"'
        ' style="width:100%;height:80vh;border:1px solid #8884;border-radius:4px"'
        ' loading="lazy"></iframe>\n\n'
        f"[Open the map on its own page]({map_file})\n"
    )
