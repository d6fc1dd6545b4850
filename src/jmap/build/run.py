"""`jmap build`: journeys in, map files out, rendering only what changed.

The order matters for safety. First take the output folder's lock (jmap.build.lock), so that a
second build waits for this one. Then find every journey and decide from the manifest which ones
changed. Then render those (in worker processes when asked), and write each journey's files
only once all its formats rendered: a journey that fails writes nothing. Every file is replaced
atomically. The manifest is written last and lists only files that exist, so a build killed at
any point leaves old or new files, never half-written ones, and the next build repairs the rest.

The output folder may hold the user's own files too, even the journeys. A build replaces or
deletes a file only when it can show it wrote it (its bytes have the hash the manifest recorded,
see `Manifest.wrote`) or when it already holds exactly what jmap would write; it never touches a
journey or a file one includes, and deletes only files of a format jmap writes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from jmap.build.lock import build_lock
from jmap.build.manifest import (
    MANIFEST_NAME,
    Entry,
    Manifest,
    content_hash,
    file_hash,
    is_output_name,
    journey_key,
    settings_key,
)
from jmap.build.rendering import Rendered, Settings, render_files
from jmap.build.workers import worker_pool
from jmap.build.write import WriteError, inside, remove_leftovers, write_all_atomic
from jmap.config import configured_limits, configured_paths, find_config
from jmap.discover import find_journeys
from jmap.errors import Problem, UsageError
from jmap.limits import DEFAULT_LIMITS, Limits
from jmap.reading import read_regular_or_none
from jmap.render import DEFAULT_FORMATS, FORMATS
from jmap.wording import INDEX_ID_CLASH, journey_id_clash

if TYPE_CHECKING:
    from jmap.lint.settings import LintSettings
    from jmap.view import JourneyView

_Result = TypeVar("_Result")

DEFAULT_OUTPUT = Path("maps")
_BATCH = 16  # journeys per run of the layout engine, at most
# The key of a journey whose maps were written only in part: never current, so it is rendered
# again, while the manifest still records the files that were written as jmap's.
_PARTLY_WRITTEN = "0" * 64


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
    manifest = Manifest.read(options.output)
    if manifest.ignored is not None:
        line = f"{manifest.path}: warning: ignored ({manifest.ignored}); rebuilding everything"
        report.warnings.append(line)
        if warning is not None:
            warning(line)
    fingerprint = settings_key(
        options.formats, options.engine, options.templates, options.lint, options.limits
    )
    limit = options.limits.max_file_bytes  # a larger journey is refused when it is loaded
    names = {source: manifest.source_name(source) for source in sources}
    own = {source: file_hash(source, limit) or "" for source in sources}  # the loader says why
    # The files each journey included when it was last built, as they are now: a shared file
    # included by many journeys is hashed once.
    shared: dict[str, str | None] = {}
    keys = {
        source: journey_key(
            fingerprint, own[source], _inputs_now(manifest, names[source], shared, limit)
        )
        for source in sources
    }
    # What this build reads, which it never overwrites or deletes, whatever the manifest says.
    protected = _identities(sources) | _identities(map(manifest.source_path, shared))
    todo = [
        source
        for source in sources
        if options.force or not manifest.is_current(names[source], keys[source])
    ]
    # The portfolio pages need every journey's view; those rendered now bring theirs back.
    wants_index = len(sources) > 1 and bool({"html", "md"} & set(options.formats))
    # Each journey is written as its result arrives, and its text then let go: holding every
    # map of a large build at once would take half a megabyte per journey.
    arriving = zip(
        todo, _render_all(todo, settings, options.jobs, keep_views=wants_index), strict=True
    )
    to_render = set(todo)
    rendered: dict[Path, Rendered] = {}

    owners: dict[str, str] = {}  # journey id -> the journey file that claimed it first
    for source in sources:
        built = Built(str(source))
        report.journeys.append(built)
        if source not in to_render:
            built.unchanged = True
            entry = manifest.entries[names[source]]
            built.journey_id = entry.journey_id
            built.lint = dict(entry.lint)
            owners.setdefault(built.journey_id, str(source))
            if options.check:
                built.outdated = _edited_by_hand(entry, options.output)
        else:
            _, made = next(arriving)  # results come back in file order
            # What the journey includes now, as it was read, makes the key the next build sees.
            inputs = {
                manifest.source_name(Path(file)): digest for file, digest in made.inputs.items()
            }
            keys[source] = journey_key(fingerprint, own[source], inputs)
            protected |= _identities(map(Path, made.inputs))
            _apply(
                made,
                built,
                owners,
                manifest,
                names[source],
                keys[source],
                inputs,
                options,
                protected,
            )
            made.files = {}
            rendered[source] = made
        if progress is not None:
            progress(built)
    for _ in arriving:  # none is left: this ends the worker processes
        pass

    _remove_outdated(manifest, report, options, protected)
    succeeded = [built for built in report.journeys if not built.problems]
    if wants_index and len(succeeded) > 1:
        by_source = {str(source): keys[source] for source in sources}
        views = {str(source): done.view for source, done in rendered.items() if done.view}
        report.index = _portfolio(report, settings, manifest, by_source, views, options, protected)
    else:
        # No pages this time. Those of a folder that now holds one journey's maps, or of a
        # format no longer built, go; others stay (the other journeys' maps are still there).
        from jmap.build.portfolio import INDEX_FILES

        kept = {INDEX_FILES[name] for name in options.formats if name in INDEX_FILES}
        _drop_portfolio(manifest, report, options, keep=kept if len(manifest.entries) > 1 else None)
    if not options.check:
        if _write_manifest(manifest, report):
            _retry_removals(manifest, report, protected)
        known = {output for entry in manifest.entries.values() for output in entry.outputs}
        remove_leftovers(options.output, known | {MANIFEST_NAME, "index.html", "index.md"})
    return report


def _settings(options: BuildOptions) -> Settings:
    unknown = [name for name in options.formats if name not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}")
    if not options.formats:
        raise UsageError(f"no format chosen; choose from {', '.join(FORMATS)}")
    if options.templates is not None and not options.templates.is_dir():
        raise UsageError(f"{options.templates}: no such templates folder")
    if options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if {"svg", "html"} & set(options.formats):
        from jmap.build.layout import layout_engine

        layout_engine(options.engine)  # a missing engine is a usage error, said once
    return Settings(
        options.formats, options.engine, options.templates, options.limits, options.lint
    )


def _inputs_now(
    manifest: Manifest, name: str, hashes: dict[str, str | None], limit: int
) -> dict[str, str | None]:
    entry = manifest.entries.get(name)
    if entry is None:
        return {}
    for file in entry.inputs:
        if file not in hashes:
            hashes[file] = file_hash(manifest.source_path(file), limit)
    return {file: hashes[file] for file in entry.inputs}


def _render_all(
    sources: list[Path], settings: Settings, jobs: int, keep_views: bool
) -> Iterator[Rendered]:
    # Journeys go to the workers in batches, each laid out by one run of the layout engine:
    # at least two per worker and a multiple of the workers, so that every core stays busy to
    # the end, and at most _BATCH journeys, so that progress stays smooth.
    count = jobs * max(2, -(-len(sources) // (jobs * _BATCH)))
    size = max(1, -(-len(sources) // count))
    batches = [sources[start : start + size] for start in range(0, len(sources), size)]
    done = _in_order(render_files, batches, jobs, settings, keep_views, chunked=False)
    return (rendered for batch in done for rendered in batch)


def _in_order(
    work: Callable[..., _Result],
    items: Sequence[object],
    jobs: int,
    *arguments: object,
    chunked: bool = True,
) -> Iterator[_Result]:
    """`work(item, *arguments)` for each item, in worker processes when there are several
    jobs and items. Results come back in file order, so what a build prints and writes is
    deterministic."""
    if jobs == 1 or len(items) < 2:
        return (work(item, *arguments) for item in items)
    pool = worker_pool(min(jobs, len(items)))
    chunk = max(1, len(items) // (jobs * 4)) if chunked else 1
    repeated = [[argument] * len(items) for argument in arguments]
    return _closing(pool, pool.map(work, items, *repeated, chunksize=chunk))


def _closing(pool: ProcessPoolExecutor, results: Iterator[_Result]) -> Iterator[_Result]:
    try:
        yield from results
    finally:
        # A build stopped half-way (an error, Ctrl-C) starts none of the batches still queued.
        pool.shutdown(wait=True, cancel_futures=True)


def _apply(
    rendered: Rendered,
    built: Built,
    owners: dict[str, str],
    manifest: Manifest,
    name: str,
    key: str,
    inputs: dict[str, str],
    options: BuildOptions,
    protected: set[tuple[int, int]],
) -> None:
    """Write one rendered journey (or, with --check, compare it) and note it in the manifest,
    with its key and the files it included."""
    if rendered.problems or rendered.journey_id is None:
        built.problems = rendered.problems
        return
    journey_id = rendered.journey_id
    clash = _id_clash(journey_id, owners)
    if clash:
        built.problems = [Problem(built.source, *rendered.id_position, clash)]
        return
    owners[journey_id] = built.source
    built.journey_id = journey_id
    # Encoded once, for the file and for its hash.
    files = [
        (inside(options.output, n), text.encode("utf-8")) for n, text in rendered.files.items()
    ]
    hashes = {target.name: content_hash(data) for target, data in files}
    previous = manifest.entries.get(name)
    if options.check:
        built.outdated = [target for target, data in files if not _same_content(target, data)]
    else:
        # A journey writes all its maps or none: a user's file at one of their names keeps
        # them all from being written.
        refused = [_refusal(target, data, manifest, options, protected) for target, data in files]
        if any(refused):
            built.problems = [Problem(built.source, 0, 0, why) for why in refused if why]
            return
        try:
            write_all_atomic(files)
        except WriteError as error:
            built.problems = [Problem(built.source, 0, 0, str(error))]
            written = {path.name: hashes[path.name] for path in error.written}
            for file_name, digest in written.items():
                manifest.note_written(file_name, digest)
            if written:
                outputs = {**(previous.outputs if previous else {}), **written}
                manifest.entries[name] = Entry(_PARTLY_WRITTEN, journey_id, outputs, inputs)
            return
        for file_name, digest in hashes.items():
            manifest.note_written(file_name, digest)
        built.written = [target for target, _ in files]
    entry = Entry(key, journey_id, hashes, inputs, rendered.lint)
    built.lint = dict(rendered.lint)
    if previous is not None:
        manifest.to_remove.update(
            (output, digest)
            for output, digest in previous.outputs.items()
            if output not in entry.outputs
        )
    manifest.entries[name] = entry
    for output in entry.outputs:
        manifest.to_remove.pop(output, None)


def _refusal(
    target: Path,
    data: bytes,
    manifest: Manifest,
    options: BuildOptions,
    protected: set[tuple[int, int]],
) -> str | None:
    """Why the file at `target` may not be replaced by `data`, if it may not.

    A file there that jmap did not write is the user's, unless it already holds `data`
    (replacing it then changes nothing, so a folder of maps with no manifest is taken over).
    """
    try:
        found = target.lstat()
    except OSError:
        return None  # nothing there; or the write says what is wrong
    if (found.st_dev, found.st_ino) in protected:
        return (
            f"{target} is a file this build reads (a journey, or a file one includes);"
            " give the journey another `id:`, or build into another folder"
        )
    if stat.S_ISDIR(found.st_mode) or options.overwrite:
        return None  # a folder in the way: the write says it cannot
    if manifest.wrote(target.name) or _same_content(target, data):
        return None
    if manifest.recorded(target.name) and stat.S_ISREG(found.st_mode):
        return f"{target} was changed since jmap wrote it; move it or pass --overwrite"
    return f"{target} was not written by jmap; move it or pass --overwrite"


def _deletable(path: Path, manifest: Manifest, protected: set[tuple[int, int]]) -> bool:
    """Whether a file jmap no longer wants is jmap's to delete: of a format it writes, still
    what it wrote, and not a file this build reads."""
    return (
        is_output_name(path.name)
        and manifest.wrote(path.name)
        and _identity(path, follow=False) not in protected
    )


def _identities(paths: Iterable[Path]) -> set[tuple[int, int]]:
    found = (_identity(path) for path in paths)
    return {identity for identity in found if identity is not None}


def _identity(path: Path, *, follow: bool = True) -> tuple[int, int] | None:
    """Which file `path` is (device and inode), so that two names of one file are told."""
    try:
        found = path.stat() if follow else path.lstat()
    except (OSError, ValueError):
        return None
    return (found.st_dev, found.st_ino)


def _id_clash(journey_id: str, owners: dict[str, str]) -> str | None:
    """Why this journey's maps would overwrite other files of the build, if they would."""
    if journey_id == "index":
        return INDEX_ID_CLASH
    if journey_id in owners:
        return journey_id_clash(journey_id, owners[journey_id])
    return None


def _edited_by_hand(entry: Entry, folder: Path) -> list[Path]:
    """Maps that are not what jmap wrote: `--check` reads them, a normal build trusts them."""
    return [
        folder / name
        for name, expected in sorted(entry.outputs.items())
        if file_hash(folder / name) != expected
    ]


def _same_content(target: Path, data: bytes) -> bool:
    """Whether `target` is a regular file holding exactly `data` (read no further than that)."""
    return read_regular_or_none(target, len(data) + 1, follow=False) == data


def _remove_outdated(
    manifest: Manifest,
    report: BuildReport,
    options: BuildOptions,
    protected: set[tuple[int, int]],
) -> None:
    """Forget journeys whose file is gone; their outputs are removed after the manifest says so."""
    for name in sorted(manifest.entries):
        if not manifest.source_path(name).exists():
            manifest.to_remove.update(manifest.entries.pop(name).outputs)
    for entry in manifest.entries.values():
        for output in entry.outputs:
            manifest.to_remove.pop(output, None)  # still wanted
    if options.check:
        report.stale = [
            options.output / output
            for output in sorted(manifest.to_remove)
            if _deletable(options.output / output, manifest, protected)
        ]


def _retry_removals(
    manifest: Manifest, report: BuildReport, protected: set[tuple[int, int]]
) -> None:
    # Only files jmap can show it wrote: a user's file in the folder stays, even one that a
    # manifest (which anyone can commit) lists, or a map the user has since edited.
    settled = set()
    for output in sorted(manifest.to_remove):
        path = inside(manifest.folder, output)
        if _deletable(path, manifest, protected):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                continue  # tried again by the next build
            else:
                report.removed.append(path)
        settled.add(output)  # gone, or not jmap's (any more): forgotten
    if settled:
        for output in settled:
            del manifest.to_remove[output]
        _write_manifest(manifest, report)


def _write_manifest(manifest: Manifest, report: BuildReport) -> bool:
    """Write the manifest; False, and the reason in the report, when it cannot be."""
    try:
        manifest.write()
    except WriteError as error:
        report.problems.append(Problem(str(manifest.path), 0, 0, str(error)))
        return False
    return True


def _portfolio(
    report: BuildReport,
    settings: Settings,
    manifest: Manifest,
    keys: dict[str, str],
    views: dict[str, JourneyView],
    options: BuildOptions,
    protected: set[tuple[int, int]],
) -> list[Path]:
    """index.html and index.md over every journey of the build, when it covers more than one.

    Skipped when no journey changed since the pages were written: a portfolio needs every
    journey loaded, which a no-op build of a large repository should not pay for.
    """
    from jmap.build.portfolio import INDEX_FILES, index_key, portfolio_files, view_if_loads

    built = [b for b in report.journeys if not b.problems]
    key = index_key([keys[b.source] for b in built])
    pages = [options.output / INDEX_FILES[name] for name in options.formats if name in INDEX_FILES]
    _drop_portfolio(manifest, report, options, keep={page.name for page in pages})
    if (
        not options.force
        and manifest.index_key == key
        and all(p.name in manifest.index_files and p.is_file() for p in pages)
    ):
        return []
    # Journeys this build did not render (unchanged since the last) are read again.
    unread = [Path(b.source) for b in built if b.source not in views]
    loaded = _in_order(view_if_loads, unread, options.jobs, settings)
    for source, view in zip(unread, loaded, strict=True):
        if view is not None:  # edited since its manifest entry was checked: left out
            views[str(source)] = view
    journeys = [
        (views[b.source], b.journey_id) for b in built if b.source in views and b.journey_id
    ]
    touched = []
    complete = True
    for file_name, text in portfolio_files(journeys, settings).items():
        target = inside(options.output, file_name)
        data = text.encode("utf-8")
        if options.check:
            if not _same_content(target, data):
                touched.append(target)
            continue
        why = _refusal(target, data, manifest, options, protected)
        if why is None and not _same_content(target, data):
            try:
                write_all_atomic([(target, data)])
            except WriteError as error:
                why = str(error)
            else:
                touched.append(target)
        if why is None:
            manifest.index_files[file_name] = content_hash(data)
            manifest.note_written(file_name, content_hash(data))
        else:
            report.problems.append(Problem(str(target), 0, 0, why))
            complete = False
    # Pages that could not be written are tried again by the next build.
    manifest.index_key = key if complete else None
    return touched


def _drop_portfolio(
    manifest: Manifest, report: BuildReport, options: BuildOptions, keep: set[str] | None = None
) -> None:
    """Remove the portfolio pages jmap wrote that this build does not make (it covers one
    journey now, or no longer writes that format), as it removes the maps of deleted journeys."""
    keep = keep or set()
    stale = {name: digest for name, digest in manifest.index_files.items() if name not in keep}
    for name in stale:
        del manifest.index_files[name]
    if not keep:
        manifest.index_key = None
    if options.check:
        report.stale += [options.output / name for name in sorted(stale)]
    else:
        manifest.to_remove.update(stale)


def build_options(
    *,
    paths: list[Path] | None,
    output: Path | None,
    formats: list[str] | None,
    engine: str | None,
    templates: Path | None,
    jobs: int | None,
    force: bool,
    check: bool,
    overwrite: bool = False,
) -> tuple[list[Path], BuildOptions]:
    """What to build and how: command-line flags first, then the project config, then defaults."""
    config = find_config(Path.cwd())
    sources = list(paths) if paths else configured_paths(config)
    from jmap.lint.settings import settings_from_config

    chosen = formats or (config.formats if config else None) or DEFAULT_FORMATS
    options = BuildOptions(
        output=output or (config.output if config else None) or DEFAULT_OUTPUT,
        formats=tuple(dict.fromkeys(name for name in chosen if name)),
        engine=engine or (config.engine if config else None) or "pure",
        templates=templates or (config.templates if config else None),
        jobs=jobs or (config.jobs if config else None) or os.cpu_count() or 1,
        # A mistake in the lint settings stops the build before anything is written.
        lint=settings_from_config(config),
        limits=configured_limits(config),
        force=force,
        check=check,
        overwrite=overwrite,
    )
    return sources, options
