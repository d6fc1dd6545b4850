"""Noticing edits: native file events (watchfiles), and a file read only once it is written.

Why wait: an editor, a formatter or `git checkout` may write a file in place, truncating it and
then writing it in pieces. A read in between sees an empty or a cut-off file, and a cut-off
journey is often still valid YAML: a complete-looking map with 4 of its 10 touchpoints. Nothing
in the bytes tells that apart from a file saved that way on purpose; only time does. So a file
that changed is *unsettled* until it has had no change event for `QUIET` seconds and its size,
time and inode are what they were at its last event. Until then the site reads neither it nor a
journey that includes it: the page keeps the last version read settled, its map or its errors
(jmap.serve.site). Errors therefore show once the file is quiet, and then they are its own. A
journey already served keeps its page while its file is unsettled, even when it is missing for
a moment (an editor that saves by renaming) or does not look like a journey (truncated), so a
page never turns into a 404 mid-save. A render whose files changed while it ran is dropped; the
change has an event of its own.

Why not always wait: 0.2 s of quiet was most of the time from a save to the page (420 ms of
it for a journey of 20 touchpoints; bench/serve_latency.py). Editors save in one write and a
close, or by renaming a complete file over the old one, so the common save is complete when its
event arrives. So a file that was quiet before this change, and that a page is made from, is
rendered at once, and its page changes only if it renders without problems and its stamp is
still the one of its event `SETTLE` seconds later (the render, 20-100 ms, mostly covers that
wait). Anything else waits for `QUIET` as above: a save cut off mid-way that does not parse or
validate (most cut-offs: a half line, a dangling reference), a file that keeps changing (at
100 saves a second, rendering each change would only slow the writer down), a new file, a
template. What the short path cannot catch is a writer that pauses between `SETTLE` and `QUIET`
in the middle of one save, cut at a line boundary so that the first half is a valid journey:
that half shows until the rest arrives (its event follows at once). Which processes hold the
file open for writing would tell for sure (a Linux read lease), but not portably, and a
lease broken while held sends the server SIGIO; 30 ms of stable size, time and inode plus a
complete, valid journey was judged enough. Measured medians on 2 shared cores, save to page:
20 touchpoints 421 -> 161 ms, 100 touchpoints 672 -> 367 ms (in place; by rename 399 -> 145
and 507 -> 306 ms).

Why watchfiles: the operating system says which file changed (inotify, FSEvents,
ReadDirectoryChangesW) instead of the thread asking every file three times a second, so a quiet
repository costs nothing and a busy file is seen at once. The watched folders are the served
ones, the template folders, and the folders of named files and of included files outside them
(shared files often sit elsewhere); a folder is watched rather than a file so that a file
replaced by a rename is still seen. When that set changes (a journey includes a new file) the
watch starts again, and a comparison of sizes and times before and after covers the moment in
between. The thread also does the rendering, so there is only ever one writer of the site.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import watchfiles

from jmap.loading.discover import SKIPPED_DIRS, YAML_SUFFIXES
from jmap.serve.site import Site

# What identifies a version of a file without reading it; an editor that saves by renaming a
# new file over the old one changes the inode even when size and time look the same.
Stamp = tuple[int, int, int]
Stamps = dict[Path, Stamp]
T = TypeVar("T")

QUIET = 0.2  # seconds without a change before a file counts as written
SETTLE = 0.03  # seconds a file that renders must stay as it was to be shown before QUIET
# watchfiles hands over the changes it saw after this long without a new one (10 ms: the wait
# shows in every save's latency; an idle server still uses no measurable CPU)...
_STEP_MS = 10
_MAX_BATCH_MS = 500  # ... or after this long, when a file changes all the time
_TICK_MS = 100  # with no change at all, how often to look whether a file has become quiet
_RETRY = 1.0  # seconds before watching again when a watched folder cannot be watched


class Watcher(threading.Thread):
    """Renders every journey once, then again whenever its file, a file it includes, or any
    template has changed and is quiet again."""

    def __init__(
        self,
        site: Site,
        templates: list[Path],
        report: Callable[[str], None],
    ) -> None:
        super().__init__(name="jmap-serve-watcher", daemon=True)
        self.site = site
        self.templates = templates
        self.report = report
        self._stopping = threading.Event()
        # An unsettled file -> when it last changed (time.monotonic) and its stamp then.
        self._pending: dict[Path, tuple[float, Stamp | None]] = {}
        # The files as they were before the last refresh: a watch that starts again after it
        # compares them with what it finds, for the changes made while no watch was running.
        self._before: Stamps = {}

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        self._before = self._stamps()  # before rendering, so no edit goes unseen
        self._guarded(self.site.refresh)
        # Included files are known now; they were not changed, only newly watched.
        self._before = {**self._stamps(), **self._before}
        while not self._stopping.is_set():
            try:
                self._watch(self._roots())
            except OSError as error:  # a watched folder went away as the watch started
                self.report(f"error: cannot watch the files ({error}); trying again")
                self._stopping.wait(_RETRY)
            except RuntimeError:
                # watchfiles gives up on an event for a file name that is not UTF-8 (its
                # WatchfilesRustInternalError). A new watch, and its comparison of the files
                # with how they were, sees that file's change and the others' lost with it.
                self._stopping.wait(_TICK_MS / 1000)

    def _watch(self, roots: list[Path]) -> None:
        """Watch `roots` until the folders to watch change or the watcher stops."""
        changes = watchfiles.watch(
            *roots,
            watch_filter=None,
            debounce=_MAX_BATCH_MS,
            step=_STEP_MS,
            stop_event=self._stopping,
            rust_timeout=_TICK_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        first = True
        for batch in changes:
            if first:  # the watch runs now: what changed before it started?
                self._changed(_differences(self._before, self._stamps()))
                first = False
            names = _Names(self.site, self.templates)
            changed = {path for _, name in batch if (path := names.relevant(Path(name)))}
            # A file that keeps changing waits for QUIET: rendering it at every change would
            # only take the time of whoever is writing it.
            quiet_until_now = {path for path in changed if path not in self._pending}
            self._changed(changed)
            self._refresh_written(quiet_until_now)
            self._refresh_settled()
            if self._roots() != roots:
                changes.close()
                return

    def _changed(self, paths: Iterable[Path | None]) -> None:
        now = time.monotonic()
        for path in paths:
            if path is not None:
                self._pending[path] = (now, _stamp(path))

    def _refresh_written(self, paths: set[Path]) -> None:
        """Show at once what the files a page is made from say now, if they render without
        problems and stay as they are for `SETTLE` seconds; else they wait for `QUIET`."""
        stamps = {
            path: stamp
            for path in sorted(paths)
            if (stamp := self._pending[path][1]) is not None
            and not _under(path, self.templates)
            and self.site.rendered_from(path)
        }
        if not stamps:
            return
        since = time.monotonic()

        def confirm() -> bool:
            self._stopping.wait(max(0.0, since + SETTLE - time.monotonic()))
            return all(_stamp(path) == stamp for path, stamp in stamps.items())

        self._before = self._stamps()
        held = self._guarded(
            functools.partial(
                self.site.refresh,
                list(stamps),
                unsettled=frozenset(self._pending.keys() - stamps.keys()),
                tentative=frozenset(stamps),
                confirm=confirm,
            )
        )
        if held is None:
            return  # the refresh failed: they wait, and are tried again once quiet
        for path in stamps.keys() - held:
            del self._pending[path]

    def _refresh_settled(self) -> None:
        now = time.monotonic()
        settled = []
        for path, (seen, stamp) in list(self._pending.items()):
            if now - seen < QUIET:
                continue
            current = _stamp(path)
            if current != stamp:  # changed without an event (yet): not quiet
                self._pending[path] = (now, current)
                continue
            settled.append(path)
            del self._pending[path]
        if not settled:
            return
        templates = [path for path in settled if _under(path, self.templates)]
        # A folder is not a file a journey can be in; discovery, run on every refresh, finds
        # the journeys a folder brought or took away.
        files = [path for path in settled if path not in templates and not _folder(path)]
        self._before = self._stamps()
        self._guarded(
            functools.partial(
                self.site.refresh,
                files,
                templates_changed=bool(templates),
                unsettled=frozenset(self._pending),
            )
        )

    def _roots(self) -> list[Path]:
        """The folders to watch: served and template folders, and the folders of named and
        included files that are in none of them; each once, none inside another."""
        folders = [path for path in [*self.site.paths, *self.templates] if path.is_dir()]
        files = [path for path in [*self.site.paths, *self.site.included()] if not path.is_dir()]
        folders += [file.parent for file in files]
        absolute = sorted({_absolute(folder) for folder in folders if folder.is_dir()})
        roots: list[Path] = []
        for folder in absolute:
            if not any(folder.is_relative_to(root) for root in roots):
                roots.append(folder)
        return roots

    def _stamps(self) -> Stamps:
        watched = [*self.site.paths, *self.site.included()]
        return {**journey_stamps(watched), **tree_stamps(self.templates)}

    def _guarded(self, refresh: Callable[[], T]) -> T | None:
        # The preview outlives a bug in one refresh; the next edit tries again.
        try:
            return refresh()
        except Exception as error:
            self.report(f"error: could not rebuild ({type(error).__name__}: {error})")
            return None


class _Names:
    """How the site names the files an event may be about. Events name a file under the
    folder as it was given (inotify) or as the system resolves it (macOS): both are known."""

    def __init__(self, site: Site, templates: list[Path]) -> None:
        self.files = {
            form: path for path in [*site.paths, *site.included()] for form in _forms(path)
        }
        self.folders = [(form, path) for path in site.paths for form in _forms(path)]
        self.templates = [(form, path) for path in templates for form in _forms(path)]

    def relevant(self, event: Path) -> Path | None:
        """The path the site knows `event` by, when it is a file the preview depends on, or a
        folder under a served one (a folder of journeys moved in or out); else None."""
        for form, folder in self.templates:
            if event.is_relative_to(form):
                return folder / event.relative_to(form)
        if event in self.files:
            return self.files[event]
        for form, folder in self.folders:
            if event == form or not event.is_relative_to(form):
                continue
            inside = event.relative_to(form)
            if any(part in SKIPPED_DIRS or part.startswith(".") for part in inside.parts[:-1]):
                return None  # where discovery never looks
            if event.name.endswith(YAML_SUFFIXES) or _folder(event):
                return folder / inside
        return None


def _forms(path: Path) -> set[Path]:
    return {_absolute(path), Path(os.path.realpath(path))}


def _absolute(path: Path) -> Path:
    # Not resolved: inotify names files under a folder as it was given, links and all; but
    # without `..`, so that one folder inside another is seen to be.
    return Path(os.path.abspath(path))  # noqa: PTH100


def _folder(path: Path) -> bool:
    """A folder, or what was one: a path that is gone and has no file name's suffix."""
    return path.is_dir() or (not path.suffix and not path.exists())


def _under(path: Path, folders: list[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def _differences(before: Stamps, after: Stamps) -> list[Path]:
    """Files added, removed or changed."""
    return [path for path in before.keys() | after.keys() if before.get(path) != after.get(path)]


def journey_stamps(paths: Iterable[Path]) -> Stamps:
    """Every file a journey could be in: named files, and YAML files under named folders."""
    stamps: Stamps = {}
    for path in paths:
        if path.is_dir():
            for file in _files(path, journeys_only=True):
                _add_stamp(file, stamps)
        else:
            _add_stamp(path, stamps)  # a named file that is missing now may come back
    return stamps


def tree_stamps(folders: Iterable[Path]) -> Stamps:
    """Every file under the template folders (templates include CSS and other templates)."""
    stamps: Stamps = {}
    for folder in folders:
        for file in _files(folder, journeys_only=False):
            _add_stamp(file, stamps)
    return stamps


def _files(folder: Path, *, journeys_only: bool) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        if journeys_only:
            # The folders discovery skips; a journey there is never shown, so never watched.
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        for name in files:
            if not journeys_only or name.endswith(YAML_SUFFIXES):
                yield Path(root, name)


def _stamp(file: Path) -> Stamp | None:
    try:
        status = file.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def _add_stamp(file: Path, stamps: Stamps) -> None:
    stamp = _stamp(file)
    if stamp is not None:
        stamps[file] = stamp
