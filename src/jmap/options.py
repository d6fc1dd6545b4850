"""What a command works on and how: its flags first, then the project configuration, then
the defaults.

The one place that resolves them, for every command: `project` gives the journeys and limits
that validate, lint and diff read with, `build_options` and `serve_options` what build and
serve render with. Options are checked here, once, as they are resolved, so a mistake is a
usage error before anything is read or written; serve gets options that are already sound.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jmap.config import ProjectConfig, find_config
from jmap.errors import UsageError
from jmap.loading.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from jmap.build.run import BuildOptions
    from jmap.lint.settings import LintSettings
    from jmap.theme import Brand


@dataclass(frozen=True)
class Project:
    """Where a command runs: its configuration, if any, the journeys it names, their limits."""

    config: ProjectConfig | None
    paths: list[Path]
    limits: Limits

    def lint_settings(self) -> LintSettings:
        """The [tool.jmap.lint] settings; a mistake in them is a ConfigError."""
        from jmap.lint.settings import settings_from_config

        return settings_from_config(self.config)


def project(paths: Sequence[Path] | None = None) -> Project:
    """The project the working directory is in; without `paths`, the journeys its
    configuration names, else the current folder."""
    config = find_config(Path.cwd())
    if paths:
        chosen = list(paths)
    elif config is not None and config.paths:
        chosen = list(config.paths)
    else:
        chosen = [Path()]
    return Project(config, chosen, config.limits if config is not None else DEFAULT_LIMITS)


def build_options(
    *,
    paths: Sequence[Path] | None,
    output: Path | None,
    formats: Sequence[str] | None,
    engine: str | None,
    templates: Path | None,
    jobs: int | None,
    force: bool,
    check: bool,
    overwrite: bool = False,
    theme: Path | None = None,
) -> tuple[list[Path], BuildOptions]:
    """What to build and how. `theme`: a theme file, in place of [tool.jmap.theme]."""
    from jmap.build.run import DEFAULT_OUTPUT, BuildOptions
    from jmap.render import DEFAULT_FORMATS

    where = project(paths)
    config = where.config
    chosen = formats or (config.formats if config else None) or DEFAULT_FORMATS
    options = BuildOptions(
        output=output or (config.output if config else None) or DEFAULT_OUTPUT,
        formats=tuple(dict.fromkeys(name for name in chosen if name)),
        engine=engine or (config.engine if config else None) or "pure",
        templates=templates or (config.templates if config else None),
        jobs=jobs or (config.jobs if config else None) or os.cpu_count() or 1,
        # A mistake in the lint settings stops the build before anything is written.
        lint=where.lint_settings(),
        limits=where.limits,
        force=force,
        check=check,
        overwrite=overwrite,
        title=config.title if config else None,
        theme=_theme(theme) if theme is not None else (config.theme if config else None),
        lang=config.lang if config else None,
    )
    check_options(options)
    return where.paths, options


def _theme(file: Path) -> Brand:
    from jmap.theme import read_theme_file

    return read_theme_file(file)


def serve_options(
    *, paths: Sequence[Path] | None, templates: Path | None, theme: Path | None = None
) -> tuple[list[Path], BuildOptions]:
    """What to serve and how: the HTML maps, whatever formats a build writes."""
    return build_options(
        paths=paths,
        output=None,
        formats=["html"],
        engine=None,
        templates=templates,
        jobs=None,
        force=False,
        check=False,
        theme=theme,
    )


def check_options(options: BuildOptions) -> None:
    """Refuse options nothing could be rendered with, in the order a user would fix them."""
    from jmap.render import FORMATS, MAY_NEED_LAYOUT

    unknown = [name for name in options.formats if name not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}")
    if not options.formats:
        raise UsageError(f"no format chosen; choose from {', '.join(FORMATS)}")
    if options.templates is not None and not options.templates.is_dir():
        raise UsageError("no such templates folder", path=options.templates)
    if options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if MAY_NEED_LAYOUT & set(options.formats):
        from jmap.build.layout import layout_engine

        layout_engine(options.engine)  # a missing engine is a usage error, said before building
