"""`jmap build --watch`: build, then build again whenever a file the maps depend on changes.

Each build is the ordinary incremental one (jmap.build.run), so a change renders and writes
only the journeys it touches (a shared file: those that include it; a template: all of them),
and every file is replaced atomically as in any build. This module only decides when to build.

What is watched, like `jmap serve` (jmap.serve.watch) and with its helpers: the named folders
and the folders of named files, the template folder, and the folders of the files the journeys
include (found in the manifest the last build wrote). A change is a YAML file under a named
folder (where discovery looks, outside the output folder), a named or included file, or any
file under the templates. The project configuration is read once, at the start.

A change made while a build runs is not lost: the files' sizes, times and inodes from before
the build are compared with those once the next watch has started. Ctrl-C (or SIGTERM) lets
the build under way finish, so the output folder is never left half-written, and then stops.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import watchfiles

from jmap.build.manifest import Manifest
from jmap.build.run import BuildOptions
from jmap.loading.discover import SKIPPED_DIRS, YAML_SUFFIXES
from jmap.serve.watch import Stamps, journey_stamps, tree_stamps

# Changes arriving within this many milliseconds of each other make one rebuild (an editor's
# save is often a write, a rename and a change of times)...
_STEP_MS = 50
_MAX_BATCH_MS = 1000  # ... or after this long when files change all the time
_TICK_MS = 100  # how often the watch wakes up with no change, to see whether to stop


def watch(
    paths: Sequence[Path],
    options: BuildOptions,
    build: Callable[[], None],
    stopping: threading.Event,
) -> None:
    """Call `build` now and after each change to what the maps of `paths` are made from,
    until `stopping` is set (the build under way, if any, finishes first)."""
    templates = [options.templates] if options.templates is not None else []
    while not stopping.is_set():
        # Stamped before the build, so that an edit made during it is caught.
        inputs = [*paths, *_included(options.output)]
        before = {**journey_stamps(inputs), **tree_stamps(templates)}
        build()
        if stopping.is_set():
            return
        watched = _Watched(paths, options, _included(options.output))
        changed = functools.partial(_changed, inputs, templates, before)
        _wait_for_change(watched, changed, stopping)


def _changed(inputs: list[Path], templates: list[Path], before: Stamps) -> bool:
    return {**journey_stamps(inputs), **tree_stamps(templates)} != before


@contextmanager
def stopped_by_signals() -> Iterator[threading.Event]:
    """An event that Ctrl-C and SIGTERM set instead of interrupting whatever runs, so that a
    build under way ends as it would have."""
    stopping = threading.Event()

    def stop(number: int, frame: object) -> None:
        stopping.set()

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stopping
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _Watched:
    """The folders to watch, and which of the paths in their events are worth a build."""

    def __init__(self, paths: Sequence[Path], options: BuildOptions, included: set[Path]):
        self.folders = [_absolute(path) for path in paths if path.is_dir()]
        self.files = {_absolute(path) for path in [*paths, *included] if not path.is_dir()}
        templates = options.templates
        self.templates = [_absolute(templates)] if templates and templates.is_dir() else []
        self.output = _absolute(options.output)
        self.included = included

    def roots(self) -> list[Path]:
        folders = [*self.folders, *self.templates, *(file.parent for file in self.files)]
        existing = sorted({folder for folder in folders if folder.is_dir()})
        roots: list[Path] = []
        for folder in existing:  # each once, none inside another
            if not any(folder.is_relative_to(root) for root in roots):
                roots.append(folder)
        return roots

    def relevant(self, event: Path) -> bool:
        if event in self.files or any(event.is_relative_to(t) for t in self.templates):
            return True
        if event.is_relative_to(self.output) or not event.name.endswith(YAML_SUFFIXES):
            return False
        for folder in self.folders:
            if event.is_relative_to(folder):
                inside = event.relative_to(folder).parts[:-1]
                # Where discovery never looks, so no journey can be there.
                return not any(part in SKIPPED_DIRS or part.startswith(".") for part in inside)
        return False


def _wait_for_change(
    watched: _Watched, changed_since: Callable[[], bool], stopping: threading.Event
) -> None:
    roots = watched.roots()
    if not roots:  # nothing left to watch (every named folder is gone): look again later
        stopping.wait(_TICK_MS / 1000)
        return
    changes = watchfiles.watch(
        *roots,
        watch_filter=None,
        debounce=_MAX_BATCH_MS,
        step=_STEP_MS,
        stop_event=stopping,
        rust_timeout=_TICK_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    )
    first = True
    for batch in changes:
        if first and changed_since():  # the watch runs now: did a file change meanwhile?
            break
        first = False
        if any(watched.relevant(_absolute(Path(name))) for _, name in batch):
            break
    changes.close()


def _included(output: Path) -> set[Path]:
    """The files the journeys of the last build included, as its manifest recorded them."""
    manifest = Manifest.read(output)
    return {
        manifest.source_path(name) for entry in manifest.entries.values() for name in entry.inputs
    }


def _absolute(path: Path) -> Path:
    # Without `..` and with links resolved, as the events name files on every system.
    return Path(os.path.realpath(path))
