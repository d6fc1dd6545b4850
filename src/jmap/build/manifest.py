"""The build manifest: which files jmap wrote into an output folder, and from what.

For each journey built into the folder it records the files written and a key: a hash of the
journey file, the files it includes, the jmap version, the formats, the engine and every
template. A journey whose key is unchanged and whose files are all there is not rendered again.

Which files a journey includes is known only once it is read, so the manifest records them with
their hashes; the next build puts their current hashes into the key without reading the journey.
Each journey's portfolio row is kept beside it, in a file of its own (`jmap.build.rows`): every
build reads the manifest, and few need the rows.

A manifest is input like any other: anyone can commit one to a repository. So it is read with
a bound on its size, must have exactly the shape jmap writes, and is ignored whole (the build
says why, and rebuilds everything) when anything in it is off. Even then what it says is a
claim, checked against the files: a file is jmap's to replace or delete only when its bytes
have the hash jmap recorded for it (`Manifest.wrote`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from jmap import __version__
from jmap.build.write import is_plain_name, write_all_atomic
from jmap.loading.reading import open_regular, read_regular_or_none
from jmap.render import FORMATS
from jmap.slug import is_id

MANIFEST_NAME = ".jmap-manifest.json"
# 2: the files to remove and the portfolio pages are recorded with their hashes too, so that
# a build deletes only files it can show it wrote. 3: each journey's portfolio row. 4: the rows
# moved to a file of their own (jmap.build.rows). A manifest of an older version is not used.
_FORMAT_VERSION = 4
# A manifest takes about 600 bytes per journey (bench/), so this is far more journeys than a
# folder holds; reading no more keeps a planted file of gigabytes from filling the memory.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
# Files are hashed whole; none that jmap writes or reads comes near this.
_MAX_HASHED_BYTES = 256 * 1024 * 1024
_HASH = re.compile(r"[0-9a-f]{64}")
# The extensions of the files jmap writes: of those, it deletes only what it can show it wrote.
WRITTEN_EXTENSIONS = frozenset(format.extension for format in FORMATS.values())


class Untrusted(Exception):
    """Why a manifest is not used (said in the build's warning)."""


@dataclass(frozen=True)
class Entry:
    key: str
    journey_id: str
    # File name inside the output folder -> SHA-256 of what jmap wrote there, so that
    # `--check` notices a map edited by hand, and a build replaces only what jmap wrote.
    outputs: dict[str, str]
    # Files the journey included (named like journeys, relative to the folder) -> SHA-256 of
    # what was read, so that a change to a shared file rebuilds every journey that includes it.
    inputs: dict[str, str] = field(default_factory=dict)
    # How many lint findings of each level the journey had, so a build that renders nothing
    # can still report the lint summary without reading every journey again.
    lint: dict[str, int] = field(default_factory=dict)


@dataclass
class Manifest:
    folder: Path
    # Journey file (relative to `folder`, so any working directory finds it) -> what it made.
    entries: dict[str, Entry] = field(default_factory=dict)
    # Files jmap wrote that are no longer wanted -> the SHA-256 it wrote; removal is retried
    # until it succeeds.
    to_remove: dict[str, str] = field(default_factory=dict)
    index_key: str | None = None  # what the portfolio pages were last made from
    # The portfolio pages jmap wrote -> their SHA-256, so that they go when a build no longer
    # makes them.
    index_files: dict[str, str] = field(default_factory=dict)
    # Why the manifest in the folder was not used; None when it was, or there was none.
    ignored: str | None = None
    # File name -> every SHA-256 jmap recorded for it: in the manifest as read, and for what
    # this build wrote. The proof that a file in the folder is jmap's.
    _recorded: dict[str, set[str]] = field(default_factory=dict, repr=False)

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST_NAME

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        """The folder's manifest; an empty one when there is none, or when it cannot be
        trusted (then `ignored` says why)."""
        try:
            data = bounded_bytes(folder / MANIFEST_NAME, MAX_MANIFEST_BYTES)
            if data is None:
                return cls(folder)
            manifest = _parse(folder, data)
        except Untrusted as reason:
            return cls(folder, ignored=str(reason))
        for name, digest in manifest.to_remove.items():
            manifest.note_written(name, digest)
        for name, digest in manifest.index_files.items():
            manifest.note_written(name, digest)
        for entry in manifest.entries.values():
            for name, digest in entry.outputs.items():
                manifest.note_written(name, digest)
        return manifest

    def write(self) -> None:
        """Write the manifest (`WriteError` when it cannot be)."""
        document: dict[str, Any] = {
            "manifest": _FORMAT_VERSION,
            "jmap": __version__,
            "journeys": {source: _entry_document(e) for source, e in sorted(self.entries.items())},
        }
        if self.to_remove:
            document["remove"] = dict(sorted(self.to_remove.items()))
        if self.index_key:
            document["index"] = self.index_key
        if self.index_files:
            document["index_files"] = dict(sorted(self.index_files.items()))
        data = (json.dumps(document, separators=(",", ":")) + "\n").encode("utf-8")
        target = self.path
        if not (self.entries or self.to_remove or os.path.lexists(target)):
            return  # nothing was built: leave no trace
        if read_regular_or_none(target, len(data) + 1, follow=False) == data:
            return  # a no-op build touches nothing, not even the manifest's time
        write_all_atomic([(target, data)])

    def note_written(self, name: str, digest: str) -> None:
        """Remember that jmap wrote these bytes (by their SHA-256) to the file `name`."""
        self._recorded.setdefault(name, set()).add(digest)

    def wrote(self, name: str) -> bool:
        """Whether the file `name` in the folder is one jmap wrote: a regular file (not a
        link) whose bytes have a hash jmap recorded for that name."""
        recorded = self._recorded.get(name, set())
        return bool(recorded) and file_hash(self.folder / name, follow=False) in recorded

    def recorded(self, name: str) -> bool:
        """Whether jmap wrote a file of this name here before (its bytes may have changed)."""
        return name in self._recorded

    def source_name(self, source: Path) -> str:
        return Path(os.path.relpath(source.resolve(), self._resolved_folder)).as_posix()

    @functools.cached_property
    def _resolved_folder(self) -> Path:
        # Once, not once per journey: a fifth of the time a no-op build of 1,000 journeys
        # spends naming them.
        return self.folder.resolve()

    def source_path(self, name: str) -> Path:
        return self.folder / name

    def is_current(self, name: str, key: str) -> bool:
        entry = self.entries.get(name)
        return (
            entry is not None
            and entry.key == key
            and all((self.folder / output).is_file() for output in entry.outputs)
        )

    def pages_current(self, pages: Iterable[str], key: str) -> bool:
        """Whether these portfolio pages are there, made from the journeys of `key`
        (`jmap.build.portfolio.index_key`)."""
        return self.index_key == key and all(
            name in self.index_files and (self.folder / name).is_file() for name in pages
        )


def bounded_bytes(path: Path, limit: int) -> bytes | None:
    """The bytes of a file jmap keeps in the folder (the manifest, the portfolio rows), None
    when there is none; `Untrusted` when it is not a regular file or is larger than `limit`."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Untrusted(f"cannot be read: {error.strerror}") from None
    if stat.S_ISLNK(mode):
        raise Untrusted("it is a symbolic link")
    data = read_regular_or_none(path, limit + 1, follow=False)
    if data is None:
        raise Untrusted("it is not a regular file that can be read")
    if len(data) > limit:
        raise Untrusted(f"larger than {limit // (1024 * 1024)} MB")
    return data


def _parse(folder: Path, data: bytes) -> Manifest:
    """The manifest in `data`, exactly as jmap writes it, or `Untrusted` saying what is off."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise Untrusted("not UTF-8") from None
    except RecursionError:
        raise Untrusted("nested too deeply") from None
    except ValueError:
        raise Untrusted("not valid JSON") from None
    top = _object(document, "the document")
    version = top.get("manifest")
    if type(version) is not int or version != _FORMAT_VERSION:
        older = type(version) is int and version < _FORMAT_VERSION
        raise Untrusted("written by an older jmap" if older else "not a manifest jmap writes")
    _keys(top, "the document", {"manifest", "journeys"}, {"jmap", "remove", "index", "index_files"})
    if not isinstance(top.get("jmap", ""), str):
        raise Untrusted("'jmap' is not a version")
    places = _Places(folder)
    entries = {
        _source(source): _entry(item, f"the journey {shown_name(source)}", places, source)
        for source, item in _object(top["journeys"], "'journeys'").items()
    }
    index = top.get("index")
    return Manifest(
        folder,
        entries,
        _files(top.get("remove", {}), "'remove'"),
        None if index is None else _hash(index, "'index'"),
        _files(top.get("index_files", {}), "'index_files'"),
    )


def _entry(item: object, where: str, places: _Places, source: str) -> Entry:
    entry = _object(item, where)
    _keys(entry, where, {"key", "id", "outputs"}, {"inputs", "lint"})
    journey_id = entry["id"]
    if not isinstance(journey_id, str) or not is_id(journey_id):
        raise Untrusted(f"'id' of {where} is not an id")
    inputs = _object(entry.get("inputs", {}), f"'inputs' of {where}")
    for name, digest in inputs.items():
        places.check_input(name, places.root(source))
        _hash(digest, f"the hash of {shown_name(name)} in 'inputs' of {where}")
    lint = _object(entry.get("lint", {}), f"'lint' of {where}")
    if not all(type(count) is int and count >= 0 for count in lint.values()):
        raise Untrusted(f"'lint' of {where} holds something other than counts")
    return Entry(
        _hash(entry["key"], f"'key' of {where}"),
        journey_id,
        _files(entry["outputs"], f"'outputs' of {where}"),
        inputs,
        lint,
    )


def _object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Untrusted(f"{where} is not an object")
    return value


def _keys(value: dict[str, Any], where: str, required: set[str], optional: set[str]) -> None:
    missing = sorted(required - value.keys())
    if missing:
        raise Untrusted(f"{where} has no '{missing[0]}'")
    unknown = sorted(value.keys() - required - optional)
    if unknown:
        raise Untrusted(f"{where} has an unknown key '{unknown[0]}'")


def _hash(value: object, where: str) -> str:
    if not isinstance(value, str) or not _HASH.fullmatch(value):
        raise Untrusted(f"{where} is not a SHA-256 hash")
    return value


def is_output_name(name: str) -> bool:
    """Whether jmap could have written a file of this name: `<id>.<extension>` (the portfolio
    pages are `index.html` and `index.md`), directly in the folder."""
    # An id holds no dot, so the extension is all after the first (`flow.svg` has one too).
    stem, dot, extension = name.partition(".")
    return bool(dot) and is_id(stem) and extension in WRITTEN_EXTENSIONS and is_plain_name(name)


def _files(value: object, where: str) -> dict[str, str]:
    """File names in the folder -> hashes, of files jmap could have written."""
    listed = _object(value, where)
    for name, digest in listed.items():
        if not is_output_name(name):
            raise Untrusted(
                f"{where} names {shown_name(name)}, which is not a file jmap writes here"
            )
        _hash(digest, f"the hash of {shown_name(name)} in {where}")
    return dict(listed)


def _source(name: str) -> str:
    """A journey file as jmap records it: a relative path from the folder, normalised."""
    if not _is_relative(name):
        raise Untrusted(f"the journey {shown_name(name)} is not a path relative to the folder")
    return name


class _Places:
    """Where recorded files are: each journey's project root, found once per folder, and
    whether an included file is one jmap could have read."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._roots: dict[str, Path] = {}

    def root(self, source: str) -> Path:
        parent = posixpath.dirname(source)
        if parent not in self._roots:
            from jmap.loading.includes import project_root

            self._roots[parent] = project_root(self._folder / parent)[0]
        return self._roots[parent]

    def check_input(self, name: str, root: Path) -> None:
        """An included file as jmap records it: inside the journey's project, and a regular
        file (or gone). The next build hashes it: that must never open a device or a FIFO."""
        if not _is_relative(name):
            raise Untrusted(f"the input {shown_name(name)} is not a path relative to the folder")
        try:
            resolved = (self._folder / name).resolve()
        except (OSError, RuntimeError, ValueError):
            raise Untrusted(f"the input {shown_name(name)} cannot be followed") from None
        if not resolved.is_relative_to(root):
            raise Untrusted(f"the input {shown_name(name)} is outside the project")
        try:
            mode = resolved.stat().st_mode
        except OSError:
            return  # gone, or unreadable: the journey that includes it says so when built
        if not stat.S_ISREG(mode):
            raise Untrusted(f"the input {shown_name(name)} is not a regular file")


def _is_relative(name: str) -> bool:
    return (
        bool(name)
        and "\0" not in name
        and "\\" not in name
        and not posixpath.isabs(name)
        and not Path(name).is_absolute()
        and posixpath.normpath(name) == name
    )


def shown_name(name: str) -> str:
    """A name from the manifest in a message: quoted, and cut short (a planted one may be
    megabytes long)."""
    return f"'{name[:60]}...'" if len(name) > 60 else f"'{name}'"


def _entry_document(entry: Entry) -> dict[str, Any]:
    document: dict[str, Any] = {
        "key": entry.key,
        "id": entry.journey_id,
        "outputs": dict(sorted(entry.outputs.items())),
    }
    if entry.inputs:
        document["inputs"] = dict(sorted(entry.inputs.items()))
    if entry.lint:
        document["lint"] = dict(sorted(entry.lint.items()))
    return document


def settings_key(
    formats: Iterable[str],
    engine: str,
    templates: Path | None,
    lint: object = None,
    limits: object = None,
    theme: object = None,
    lang: str | None = None,
) -> str:
    """What shapes every output besides the journey: version, formats, engine, templates,
    the lint settings whose counts the manifest keeps, the limits a journey must keep
    (lowered, they may refuse a journey that built before) and the theme (its repr holds its
    logo's SHA-256, not its bytes)."""
    digest = hashlib.sha256()
    if theme is not None:  # so that an unthemed build keeps the key it had
        digest.update(repr(theme).encode())
    digest.update(repr(lint).encode())
    digest.update(repr(limits).encode())
    digest.update(f"jmap {__version__}\0{','.join(formats)}\0{engine}\0".encode())
    if lang is not None:  # the project's language (jmap.i18n); none keeps older keys as they were
        digest.update(f"lang {lang}\0".encode())
    for name, content in _template_files(templates):
        digest.update(name.encode() + b"\0" + content + b"\0")
    return digest.hexdigest()


def journey_key(settings: str, journey: str, inputs: Mapping[str, str | None]) -> str:
    """What a journey's maps are made from: the settings, the SHA-256 of the journey file, and
    each included file's name and SHA-256 (None for a file that cannot be read)."""
    digest = hashlib.sha256(f"{settings}\0{journey}".encode())
    for name, content in sorted(inputs.items()):
        digest.update(f"\0{name}\0{content}".encode())
    return digest.hexdigest()


def _template_files(user_folder: Path | None) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    if user_folder is not None:
        for path in sorted(user_folder.rglob("*")):
            if path.is_file():
                found.append(
                    (f"user/{path.relative_to(user_folder).as_posix()}", path.read_bytes())
                )
    built_in = files("jmap") / "templates"
    stack = [("", built_in)]
    while stack:
        prefix, folder = stack.pop()
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if item.name == "init" and not prefix:
                continue  # starter journeys for `jmap init`, not used by any map
            if item.is_dir():
                stack.append((f"{prefix}{item.name}/", item))
            else:
                found.append((f"jmap/{prefix}{item.name}", item.read_bytes()))
    return found


def content_hash(text: str | bytes) -> str:
    """SHA-256 of a file's content: its bytes, or its text as UTF-8."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def file_hash(
    path: Path, limit: int | None = _MAX_HASHED_BYTES, *, follow: bool = True
) -> str | None:
    """SHA-256 of a regular file of at most `limit` bytes (None: of any size); None for
    anything else. Read in chunks: a data file a journey reads may be larger than memory."""
    digest = hashlib.sha256()
    size = 0
    try:
        with open_regular(path, follow=follow) as handle:
            while chunk := handle.read(1 << 20):
                size += len(chunk)
                if limit is not None and size > limit:
                    return None
                digest.update(chunk)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    return digest.hexdigest()
