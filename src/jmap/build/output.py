"""The output folder as a build changes it: its files and its manifest, through one object.

The folder may hold the user's own files too, even the journeys. `OutputFolder` replaces or
deletes a file only when it can show jmap wrote it (its bytes have the hash the manifest
recorded, see `Manifest.wrote`) or when it already holds exactly what jmap would write; it never
touches a journey or a file one includes (`protected`), and deletes only files of a format jmap
writes. Every change is noted in the manifest as it is made, and the manifest, written last by
`save`, lists only files that exist. The portfolio rows, when the build makes the portfolio
pages, are kept the same way (`jmap.build.rows`), written just before the manifest.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TYPE_CHECKING

from jmap.build.manifest import Entry, Manifest, content_hash, file_hash, is_output_name
from jmap.build.plan import identity
from jmap.build.rows import Rows, remove_rows
from jmap.build.write import WriteError, inside, write_all_atomic
from jmap.errors import Problem
from jmap.loading.reading import read_regular_or_none
from jmap.wording import INDEX_ID_CLASH, journey_id_clash

if TYPE_CHECKING:
    from jmap.build.rendering import Rendered
    from jmap.build.run import BuildOptions, Built

# The key of a journey whose maps were written only in part: never current, so it is rendered
# again, while the manifest still records the files that were written as jmap's.
_PARTLY_WRITTEN = "0" * 64


class OutputFolder:
    """The build's output folder: `options.output`, its manifest, and what the build reads."""

    def __init__(
        self,
        manifest: Manifest,
        options: BuildOptions,
        protected: set[tuple[int, int]],
        rows: Rows | None = None,
    ) -> None:
        self.manifest = manifest
        self.rows = rows  # every journey's portfolio row, when the build makes the pages
        self.options = options
        self.protected = protected  # shared with the plan, which adds to it as journeys are read
        self.folder = options.output
        self.problems: list[Problem] = []  # outside any one journey: the pages, the manifest
        self._owners: dict[str, str] = {}  # journey id -> the journey file that claimed it first

    def keep_journey(self, built: Built, name: str) -> None:
        """A journey whose maps are current: nothing to write (`--check` reads them)."""
        entry = self.manifest.entries[name]
        built.unchanged = True
        built.journey_id = entry.journey_id
        built.lint = dict(entry.lint)
        self._owners.setdefault(entry.journey_id, built.source)
        if self.options.check:
            built.outdated = _edited_by_hand(entry, self.folder)

    def write_journey(
        self, built: Built, made: Rendered, name: str, key: str, inputs: dict[str, str]
    ) -> None:
        """Write one rendered journey (or, with --check, compare it) and note it in the
        manifest, with its key and the files it included."""
        if made.problems or made.journey_id is None:
            built.problems = made.problems
            return
        journey_id = made.journey_id
        clash = self._id_clash(journey_id)
        if clash:
            built.problems = [Problem(built.source, *made.id_position, clash)]
            return
        self._owners[journey_id] = built.source
        built.journey_id = journey_id
        # Encoded once, for the file and for its hash.
        files = [(inside(self.folder, n), _encoded(out)) for n, out in made.files.items()]
        hashes = {target.name: content_hash(data) for target, data in files}
        previous = self.manifest.entries.get(name)
        if self.options.check:
            built.outdated = [target for target, data in files if not _same_content(target, data)]
        else:
            # A journey writes all its maps or none: a user's file at one of their names keeps
            # them all from being written.
            refused = [self._refusal(target, data) for target, data in files]
            if any(refused):
                built.problems = [Problem(built.source, 0, 0, why) for why in refused if why]
                return
            try:
                write_all_atomic(files)
            except WriteError as error:
                built.problems = [Problem(built.source, 0, 0, str(error))]
                written = {path.name: hashes[path.name] for path in error.written}
                for file_name, digest in written.items():
                    self.manifest.note_written(file_name, digest)
                if written:
                    outputs = {**(previous.outputs if previous else {}), **written}
                    self.manifest.entries[name] = Entry(
                        _PARTLY_WRITTEN, journey_id, outputs, inputs
                    )
                return
            for file_name, digest in hashes.items():
                self.manifest.note_written(file_name, digest)
            built.written = [target for target, _ in files]
        entry = Entry(key, journey_id, hashes, inputs, made.lint)
        if self.rows is not None:
            assert made.row is not None  # rendered with rows wanted (jmap.build.run)
            self.rows.keep(name, key, made.row)
        built.lint = dict(made.lint)
        if previous is not None:
            self.manifest.to_remove.update(
                (output, digest)
                for output, digest in previous.outputs.items()
                if output not in entry.outputs
            )
        self.manifest.entries[name] = entry
        for output in entry.outputs:
            self.manifest.to_remove.pop(output, None)

    def forget_deleted(self, found: set[str]) -> list[Path]:
        """Forget journeys whose file is gone; their outputs are removed once the manifest says
        so (`save`). With --check, the files a build would remove. `found`: the journeys of
        this build (by manifest name), there whether or not the folder is yet."""
        manifest = self.manifest
        for name in sorted(manifest.entries):
            if name not in found and not manifest.source_path(name).exists():
                manifest.to_remove.update(manifest.entries.pop(name).outputs)
        for entry in manifest.entries.values():
            for output in entry.outputs:
                manifest.to_remove.pop(output, None)  # still wanted
        if not self.options.check:
            return []
        return [
            self.folder / output
            for output in sorted(manifest.to_remove)
            if self._deletable(self.folder / output)
        ]

    def write_pages(self, pages: dict[str, str], key: str) -> list[Path]:
        """Write the portfolio pages made from the journeys of `key` (`index_key`): the pages
        written (with --check: outdated). A page that cannot be written is a problem, and is
        tried again by the next build."""
        touched = []
        complete = True
        for file_name, text in pages.items():
            target = inside(self.folder, file_name)
            data = text.encode("utf-8")
            if self.options.check:
                if not _same_content(target, data):
                    touched.append(target)
                continue
            why = self._refusal(target, data)
            if why is None and not _same_content(target, data):
                try:
                    write_all_atomic([(target, data)])
                except WriteError as error:
                    why = str(error)
                else:
                    touched.append(target)
            if why is None:
                self.manifest.index_files[file_name] = content_hash(data)
                self.manifest.note_written(file_name, content_hash(data))
            else:
                self.problems.append(Problem(str(target), 0, 0, why))
                complete = False
        self.manifest.index_key = key if complete else None
        return touched

    def drop_pages(self, keep: set[str]) -> list[Path]:
        """Remove the portfolio pages jmap wrote that this build does not make (it covers one
        journey now, or no longer writes that format), as it removes the maps of deleted
        journeys. With --check, the pages a build would remove."""
        manifest = self.manifest
        stale = {name: digest for name, digest in manifest.index_files.items() if name not in keep}
        for name in stale:
            del manifest.index_files[name]
        if not keep:
            manifest.index_key = None
        if self.options.check:
            return [self.folder / name for name in sorted(stale)]
        manifest.to_remove.update(stale)
        return []

    def save(self) -> list[Path]:
        """Write the portfolio rows and the manifest, then remove what the manifest no longer
        lists: the files removed."""
        self._write_rows()
        if not self._write_manifest():
            return []
        # Only files jmap can show it wrote: a user's file in the folder stays, even one that a
        # manifest (which anyone can commit) lists, or a map the user has since edited.
        removed = []
        settled = set()
        for output in sorted(self.manifest.to_remove):
            path = inside(self.folder, output)
            if self._deletable(path):
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                except OSError:
                    continue  # tried again by the next build
                else:
                    removed.append(path)
            settled.add(output)  # gone, or not jmap's (any more): forgotten
        if settled:
            for output in settled:
                del self.manifest.to_remove[output]
            self._write_manifest()
        return removed

    def _write_rows(self) -> None:
        """Keep the rows of the journeys the manifest lists; none once the folder has no
        portfolio pages."""
        if self.rows is None:
            if not self.manifest.index_files:
                remove_rows(self.folder)
            return
        self.rows.keep_only({name: entry.key for name, entry in self.manifest.entries.items()})
        try:
            self.rows.write()
        except WriteError as error:
            self.problems.append(Problem(str(self.rows.path), 0, 0, str(error)))

    def _write_manifest(self) -> bool:
        """Write the manifest; False, and the reason in `problems`, when it cannot be."""
        try:
            self.manifest.write()
        except WriteError as error:
            self.problems.append(Problem(str(self.manifest.path), 0, 0, str(error)))
            return False
        return True

    def _refusal(self, target: Path, data: bytes) -> str | None:
        """Why the file at `target` may not be replaced by `data`, if it may not.

        A file there that jmap did not write is the user's, unless it already holds `data`
        (replacing it then changes nothing, so a folder of maps with no manifest is taken over).
        """
        try:
            found = target.lstat()
        except OSError:
            return None  # nothing there; or the write says what is wrong
        if (found.st_dev, found.st_ino) in self.protected:
            return (
                f"{target} is a file this build reads (a journey, or a file one includes);"
                " give the journey another `id:`, or build into another folder"
            )
        if stat.S_ISDIR(found.st_mode) or self.options.overwrite:
            return None  # a folder in the way: the write says it cannot
        if self.manifest.wrote(target.name) or _same_content(target, data):
            return None
        if self.manifest.recorded(target.name) and stat.S_ISREG(found.st_mode):
            return f"{target} was changed since jmap wrote it; move it or pass --overwrite"
        return f"{target} was not written by jmap; move it or pass --overwrite"

    def _deletable(self, path: Path) -> bool:
        """Whether a file jmap no longer wants is jmap's to delete: of a format it writes,
        still what it wrote, and not a file this build reads."""
        return (
            is_output_name(path.name)
            and self.manifest.wrote(path.name)
            and identity(path, follow=False) not in self.protected
        )

    def _id_clash(self, journey_id: str) -> str | None:
        """Why this journey's maps would overwrite other files of the build, if they would."""
        if journey_id == "index":
            return INDEX_ID_CLASH
        if journey_id in self._owners:
            return journey_id_clash(journey_id, self._owners[journey_id])
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


def _encoded(made: str | bytes) -> bytes:
    """A map's bytes: text in UTF-8; the PNG and PDF are bytes already."""
    return made if isinstance(made, bytes) else made.encode("utf-8")
