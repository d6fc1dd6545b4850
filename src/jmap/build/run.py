"""`jmap build`: journeys in, map files out, rendering only what changed.

The order matters for safety. First take the output folder's lock (jmap.build.lock), so that a
second build waits for this one. Then find every journey and decide from the manifest which ones
changed (jmap.build.plan). Then render those (in worker processes when asked), and write each
journey's files only once all its formats rendered: a journey that fails writes nothing. Every
file is replaced atomically. The manifest is written last and lists only files that exist, so a
build killed at any point leaves old or new files, never half-written ones, and the next build
repairs the rest. What may be replaced or deleted in the output folder, which may hold the
user's own files too, is jmap.build.output's to say.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jmap.build.lock import build_lock
from jmap.build.manifest import MANIFEST_NAME, Manifest, settings_key
from jmap.build.output import OutputFolder
from jmap.build.plan import Plan, plan
from jmap.build.portfolio import INDEX_FILES, index_key, index_pages, portfolio_files
from jmap.build.rendering import Settings
from jmap.build.rows import ROWS_NAME, collector_paused, rows_spared
from jmap.build.workers import render_all
from jmap.build.write import remove_leftovers
from jmap.errors import Problem
from jmap.loading.discover import find_journeys
from jmap.loading.limits import DEFAULT_LIMITS, Limits
from jmap.options import check_options
from jmap.render import DEFAULT_FORMATS

if TYPE_CHECKING:
    from jmap.lint.settings import LintSettings
    from jmap.theme import Brand

DEFAULT_OUTPUT = Path("maps")


@dataclass(frozen=True)
class BuildOptions:
    output: Path = DEFAULT_OUTPUT
    formats: tuple[str, ...] = DEFAULT_FORMATS
    engine: str = "pure"
    templates: Path | None = None
    limits: Limits = DEFAULT_LIMITS
    jobs: int = 1
    lint: LintSettings | None = None  # lint each journey too, and count the findings
    force: bool = False  # render everything, whatever the manifest says
    check: bool = False  # write nothing; report what a build would change
    overwrite: bool = False  # replace files at the maps' names that jmap did not write
    title: str | None = None  # of the portfolio pages
    theme: Brand | None = None  # the team's colours, font and logo (jmap.theme)
    lang: str | None = None  # the maps' language where a journey says none (jmap.i18n)


@dataclass
class Built:
    """One journey file's outcome."""

    source: str
    journey_id: str | None = None
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: bool = False  # its maps were current, so nothing was rendered
    lint: dict[str, int] = field(default_factory=dict)  # lint findings by level
    outdated: list[Path] = field(default_factory=list)  # --check: missing or out of date


@dataclass
class BuildReport:
    journeys: list[Built]
    removed: list[Path] = field(default_factory=list)  # outputs of journeys that are gone
    stale: list[Path] = field(default_factory=list)  # --check: outputs a build would remove
    index: list[Path] = field(default_factory=list)  # portfolio pages written (or outdated)
    # What went wrong outside any one journey: the portfolio pages, the manifest.
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # whole lines, `path: warning: ...`

    @property
    def failed(self) -> list[Built]:
        return [built for built in self.journeys if built.problems]

    def lint_count(self, level: str) -> int:
        return sum(built.lint.get(level, 0) for built in self.journeys)

    @property
    def outdated(self) -> list[Path]:
        return [path for built in self.journeys for path in built.outdated] + self.stale


def build(
    paths: Iterable[str | os.PathLike[str]],
    options: BuildOptions,
    progress: Callable[[Built], None] | None = None,
    waiting: Callable[[Path], None] | None = None,
    warning: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the journeys under `paths` into `options.output`.

    `progress` is called as each journey is done; `waiting` once, with the output folder, when
    another build is writing there and this one waits for it to finish; `warning` with each
    line of `BuildReport.warnings` as it is found, before the journeys are built.
    """
    settings = _settings(options)
    sources = find_journeys(paths)
    if options.check:  # reads, writes nothing: no lock
        return _build(sources, settings, options, progress, warning)
    with build_lock(options.output, waiting=waiting):
        return _build(sources, settings, options, progress, warning)


def _build(
    sources: list[Path],
    settings: Settings,
    options: BuildOptions,
    progress: Callable[[Built], None] | None,
    warning: Callable[[str], None] | None,
) -> BuildReport:
    report = BuildReport([])

    def ignored(path: Path, why: str | None) -> None:
        if why is not None:
            line = f"{path}: warning: ignored ({why}); rebuilding everything"
            report.warnings.append(line)
            if warning is not None:
                warning(line)

    manifest = Manifest.read(options.output)
    ignored(manifest.path, manifest.ignored)
    fingerprint = settings_key(
        options.formats,
        options.engine,
        options.templates,
        options.lint,
        options.limits,
        options.theme,
        options.lang,
    )
    pages = index_pages(options.formats) if len(sources) > 1 else []
    limit = options.limits.max_file_bytes
    work = plan(
        sources,
        manifest,
        fingerprint,
        force=options.force,
        limit=limit,
        pages=pages,
        title=options.title,
    )
    if work.rows is None:
        return _make(report, work, settings, options, progress)
    ignored(work.rows.path, work.rows.ignored)
    # The rows read are many objects that live until the pages are made: see jmap.build.rows.
    with rows_spared():
        return _make(report, work, settings, options, progress)


def _make(
    report: BuildReport,
    work: Plan,
    settings: Settings,
    options: BuildOptions,
    progress: Callable[[Built], None] | None,
) -> BuildReport:
    """Render what the plan says, write it, make the portfolio pages, and save the manifest."""
    manifest = work.manifest
    folder = OutputFolder(manifest, options, work.protected, work.rows)
    # Each journey is written as its result arrives, and its text then let go: holding every
    # map of a large build at once would take half a megabyte per journey.
    # Only a build that makes the portfolio pages needs the journeys' rows (work.rows).
    wanted = dataclasses.replace(settings, rows=work.rows is not None)
    rendered = render_all(work.todo, wanted, options.jobs)
    changed = set(work.todo)
    for source in work.sources:
        built = Built(str(source))
        if source in changed:
            made = next(rendered)  # results come back in file order
            folder.write_journey(built, made, work.names[source], *work.rendered(made))
        else:
            folder.keep_journey(built, work.names[source])
        report.journeys.append(built)
        if progress is not None:
            progress(built)
    for _ in rendered:  # none is left: this ends the worker processes
        pass
    report.stale = folder.forget_deleted(set(work.names.values()))
    report.index = _portfolio(report, work, folder, settings)
    if not options.check:
        report.removed = folder.save()
        known = {output for entry in manifest.entries.values() for output in entry.outputs}
        remove_leftovers(options.output, known | {MANIFEST_NAME, ROWS_NAME, *INDEX_FILES.values()})
    report.problems = folder.problems
    return report


def _settings(options: BuildOptions) -> Settings:
    # The library's callers pass options the CLI did not check.
    check_options(options)
    return Settings(
        options.formats,
        options.engine,
        options.templates,
        options.limits,
        options.lint,
        options.theme,
        lang=options.lang,
    )


def _portfolio(
    report: BuildReport, work: Plan, folder: OutputFolder, settings: Settings
) -> list[Path]:
    """index.html and index.md over every journey of the build, when it covers more than one:
    the pages written (with --check: outdated).

    Made from the rows the plan read or the workers sent back, and skipped when no journey
    changed since the pages were written.
    """
    options = folder.options
    built = [b for b in report.journeys if not b.problems]
    pages = index_pages(options.formats)
    if len(work.sources) < 2 or len(built) < 2 or not pages:
        # No pages this time. Those of a folder that now holds one journey's maps, or of a
        # format no longer built, go; others stay (the other journeys' maps are still there).
        keep = set(pages) if len(folder.manifest.entries) > 1 else set()
        report.stale += folder.drop_pages(keep)
        return []
    report.stale += folder.drop_pages(set(pages))
    by_source = {str(source): source for source in work.sources}
    key = index_key([work.keys[by_source[b.source]] for b in built], options.title)
    if not options.force and folder.manifest.pages_current(pages, key):
        return []
    # The plan read the rows (or rendered every journey) whenever the pages were not current.
    assert work.rows is not None
    rows = []
    for b in built:
        if b.journey_id is None:
            continue
        source = by_source[b.source]
        row = work.rows.row(work.names[source], work.keys[source], b.journey_id)
        assert row is not None, source
        rows.append((row, b.journey_id))
    with collector_paused():  # see jmap.build.rows
        made = portfolio_files(rows, settings, options.title)
    return folder.write_pages(made, key)
