"""Noticing edits: a thread that looks at the journey files and templates a few times a second.

Polling `stat` is all the standard library offers, and it is enough: a repository of journeys
has at most thousands of files, and a look at each costs microseconds. The thread also does the
rendering, so there is only ever one writer of the site.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from jmap.discover import SKIPPED_DIRS
from jmap.serve.site import Site

# What identifies a version of a file without reading it; an editor that saves by renaming a
# new file over the old one changes the inode even when size and time look the same.
Stamp = tuple[int, int, int]
Stamps = dict[Path, Stamp]

INTERVAL = 0.3  # seconds between looks
_SETTLE = 0.1  # an editor may write a file in pieces: wait until two looks agree
_MAX_SETTLE_LOOKS = 10


class Watcher(threading.Thread):
    """Renders every journey once, then again whenever its file, a file it includes, or any
    template changes."""

    def __init__(
        self,
        site: Site,
        templates: list[Path],
        report: Callable[[str], None],
        interval: float = INTERVAL,
    ) -> None:
        super().__init__(name="jmap-serve-watcher", daemon=True)
        self.site = site
        self.templates = templates
        self.report = report
        self.interval = interval
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    def run(self) -> None:
        journeys, templates = self._look()  # before rendering, so no edit goes unseen
        self._guarded(self.site.refresh)
        while not self._stopping.wait(self.interval):
            now = self._look()
            if now == (journeys, templates):
                continue
            now_journeys, now_templates = self._settled(now)
            self._guarded(
                functools.partial(
                    self.site.refresh,
                    _differences(journeys, now_journeys),
                    templates_changed=now_templates != templates,
                )
            )
            journeys, templates = now_journeys, now_templates

    def _look(self) -> tuple[Stamps, Stamps]:
        # Included files count as journey files: a change re-renders the journeys (the site
        # renders every journey when a file that is not a journey changes).
        watched = [*self.site.paths, *self.site.included()]
        return journey_stamps(watched), tree_stamps(self.templates)

    def _settled(self, now: tuple[Stamps, Stamps]) -> tuple[Stamps, Stamps]:
        for _ in range(_MAX_SETTLE_LOOKS):
            if self._stopping.wait(_SETTLE):
                break
            again = self._look()
            if again == now:
                break
            now = again
        return now

    def _guarded(self, refresh: Callable[[], None]) -> None:
        # The preview outlives a bug in one refresh; the next edit tries again.
        try:
            refresh()
        except Exception as error:
            self.report(f"error: could not rebuild ({type(error).__name__}: {error})")


def _differences(before: Stamps, after: Stamps) -> list[Path]:
    """Files added, removed or changed."""
    return [path for path in before.keys() | after.keys() if before.get(path) != after.get(path)]


def journey_stamps(paths: Iterable[Path]) -> Stamps:
    """Every file a journey could be in: named files, and YAML files under named folders."""
    stamps: Stamps = {}
    for path in paths:
        if path.is_dir():
            for file in _files(path, journeys_only=True):
                _stamp(file, stamps)
        else:
            _stamp(path, stamps)  # a named file that is missing now may come back
    return stamps


def tree_stamps(folders: Iterable[Path]) -> Stamps:
    """Every file under the template folders (templates include CSS and other templates)."""
    stamps: Stamps = {}
    for folder in folders:
        for file in _files(folder, journeys_only=False):
            _stamp(file, stamps)
    return stamps


def _files(folder: Path, *, journeys_only: bool) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        if journeys_only:
            # The folders discovery skips; a journey there is never shown, so never watched.
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
        for name in files:
            if not journeys_only or name.endswith((".yaml", ".yml")):
                yield Path(root, name)


def _stamp(file: Path, stamps: Stamps) -> None:
    try:
        status = file.stat()
    except OSError:
        return
    stamps[file] = (status.st_mtime_ns, status.st_size, status.st_ino)
