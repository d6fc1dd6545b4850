"""What a build has to do: which journeys changed since the manifest, and what it must not touch.

Nothing is read here but the journey files' and their included files' bytes, for their hashes:
a journey whose key (see `jmap.build.manifest.journey_key`) is what the manifest recorded, and
whose maps are all there, is not loaded at all. When the portfolio pages must be made again,
the rows they are made of are read too (`jmap.build.rows`); a journey whose row is not there
then is rendered again, which is only known here, before the journeys are rendered.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jmap.build.manifest import Manifest, file_hash, journey_key
from jmap.build.portfolio import index_key
from jmap.build.rendering import Rendered
from jmap.build.rows import Rows


@dataclass
class Plan:
    manifest: Manifest  # as the build found it
    sources: list[Path]  # every journey of the build, in file order
    names: dict[Path, str]  # journey file -> its name in the manifest
    keys: dict[Path, str]  # journey file -> what its maps are made from (see `rendered`)
    todo: list[Path]  # the journeys to render, in file order
    # What this build reads, which it never overwrites or deletes, whatever the manifest says:
    # the journeys and the files they include (by device and inode, so two names of one file
    # are told).
    protected: set[tuple[int, int]]
    settings: str  # the settings' part of every key
    own: dict[Path, str]  # journey file -> SHA-256 of it ('' when unreadable: the loader says why)
    # Every journey's portfolio row, when the build makes the portfolio pages again; None when
    # it makes none, or they are current.
    rows: Rows | None = None

    def rendered(self, made: Rendered) -> tuple[str, dict[str, str]]:
        """The key and the included files (manifest names -> hashes) of a journey just read.

        What it includes now, as it was read, makes the key the next build sees; the files it
        includes are protected from then on.
        """
        inputs = {self.name(Path(file)): digest for file, digest in made.inputs.items()}
        self.keys[made.source] = journey_key(self.settings, self.own[made.source], inputs)
        self.protected |= identities(map(Path, made.inputs))
        return self.keys[made.source], inputs

    def name(self, path: Path) -> str:
        return self.manifest.source_name(path)


def plan(
    sources: list[Path],
    manifest: Manifest,
    settings: str,
    *,
    force: bool,
    limit: int,
    pages: Sequence[str] = (),
    title: str | None = None,
) -> Plan:
    """The plan of a build of `sources` with these settings (`settings_key`); `force` renders
    every journey; a journey file larger than `limit` bytes is refused when it is loaded.
    `pages`: the portfolio pages the build makes (none for one journey), with this `title`."""
    names = {source: manifest.source_name(source) for source in sources}
    own = {source: file_hash(source, limit) or "" for source in sources}
    # The files each journey included when it was last built, as they are now: a shared file
    # included by many journeys is hashed once.
    shared: dict[str, str | None] = {}
    keys = {
        source: journey_key(
            settings, own[source], _inputs_now(manifest, names[source], shared, limit)
        )
        for source in sources
    }
    protected = identities(sources) | identities(map(manifest.source_path, shared))
    todo = [
        source
        for source in sources
        if force or not manifest.is_current(names[source], keys[source])
    ]
    rows = None
    if pages and (todo or not manifest.pages_current(pages, index_key(list(keys.values()), title))):
        rendered = set(todo)
        kept = [source for source in sources if source not in rendered]
        # A build that renders every journey has a row of each from its render: none is read.
        rows = Rows.read(manifest.folder) if kept else Rows(manifest.folder)
        rendered |= {
            source for source in kept if not _has_row(rows, manifest, names[source], keys[source])
        }
        todo = [source for source in sources if source in rendered]
    return Plan(manifest, sources, names, keys, todo, protected, settings, own, rows)


def _has_row(rows: Rows, manifest: Manifest, name: str, key: str) -> bool:
    return rows.row(name, key, manifest.entries[name].journey_id) is not None


def _inputs_now(
    manifest: Manifest, name: str, hashes: dict[str, str | None], limit: int
) -> dict[str, str | None]:
    entry = manifest.entries.get(name)
    if entry is None:
        return {}
    for file in entry.inputs:
        if file not in hashes:
            # Of any size: a data file may be far larger than a journey (the loader refuses an
            # included file over the limit, and hashing it first costs only time).
            hashes[file] = file_hash(manifest.source_path(file), None)
    return {file: hashes[file] for file in entry.inputs}


def identities(paths: Iterable[Path]) -> set[tuple[int, int]]:
    found = (identity(path) for path in paths)
    return {one for one in found if one is not None}


def identity(path: Path, *, follow: bool = True) -> tuple[int, int] | None:
    """Which file `path` is (device and inode), so that two names of one file are told."""
    try:
        found = path.stat() if follow else path.lstat()
    except (OSError, ValueError):
        return None
    return (found.st_dev, found.st_ino)
