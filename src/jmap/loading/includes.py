"""Included files: the personas and channels a journey shares with the other journeys.

A journey's `include:` names YAML files, relative to the journey, that hold `personas:` and
`channels:` and may include further files. Their items come first, in include order and depth
first, then the journey's own. Every included value keeps its position together with the name
of its file, so an error in a shared persona points into the shared file, followed by the
chain of includes that brought it in.

Where included files come from is a `Files`: the file system inside the project root, or a
tree of files such as a git revision.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PureWindowsPath
from typing import Any, BinaryIO, Protocol

from jmap.errors import JourneyError, Problem, closest
from jmap.loading.comments import cut_texts
from jmap.loading.discover import YAML_SUFFIXES
from jmap.loading.document import Document, Position, SourceError
from jmap.loading.document import Path as DataPath
from jmap.loading.limits import Limits, raise_hint
from jmap.loading.messages import kind_of
from jmap.loading.reading import open_regular
from jmap.loading.yaml_reader import decode, parse

INCLUDE = "include"
SHARED = ("personas", "channels")
# A folder holding one of these is a project's top folder: included files stay inside it.
PROJECT_MARKERS = ("jmap.toml", "pyproject.toml", ".git")
_START = Position(1, 1)
# The include entries that led to a file: file, line and column of each, nearest first.
_Via = tuple[tuple[str, int, int], ...]


class IncludeError(Exception):
    """An include entry cannot be followed; the message completes "include 'ENTRY' ..."."""


@dataclass(frozen=True)
class Found:
    """A file named by an include entry (or the journey itself, with no entry)."""

    name: str  # how messages name it
    key: str  # the same for every entry that names the same file
    entry: str = ""  # the include entry as written
    # Where the file is opened from: entries it holds are relative to this. Unlike `name`, it
    # is not tidied up, so `..` after a symbolic link to a folder goes where the system goes.
    location: str = ""


class Files(Protocol):
    """Where included files come from."""

    def start(self, name: str) -> Found:
        """The journey itself, named `name` in messages."""
        ...

    def locate(self, parent: Found, entry: str, what: str = "an included file") -> Found:
        """The file an entry of `parent`'s `include:` names; `IncludeError` when it may not.
        `what` names the file in the message ("a data file" for a `source:`)."""
        ...

    def read(self, found: Found, limit: int) -> bytes:
        """The file's bytes, at most `limit + 1` of them; `IncludeError` when it cannot."""
        ...

    def open(self, found: Found, suffixes: tuple[str, ...] = ...) -> BinaryIO:
        """The file as a stream, for a data file (see jmap.loading.sources); `IncludeError`
        when it cannot, its message suggesting a file with one of `suffixes` when missing."""
        ...


class FileSystem:
    """Included files on disk: relative to the file that includes them, inside the project.

    The project root is the nearest folder at or above the journey's that holds a jmap.toml,
    a pyproject.toml or a .git, else the journey's own folder. Symbolic links are followed
    before the check, so a link cannot lead out of the project either.
    """

    def __init__(self) -> None:
        self._folder = Path()  # the journey's
        self._root: tuple[Path, str | None] | None = None

    def start(self, name: str) -> Found:
        self._folder = Path(name).parent
        self._root = None
        return Found(name, str(Path(name).resolve()), location=name)

    def locate(self, parent: Found, entry: str, what: str = "an included file") -> Found:
        _refuse_absolute(entry)
        joined = Path(parent.location).parent / entry
        try:
            resolved = joined.resolve()
        except (OSError, RuntimeError, ValueError) as error:  # a link loop, a NUL character
            raise IncludeError(f"cannot be followed: {error}") from None
        root, marker = self.root()
        if not resolved.is_relative_to(root):
            raise IncludeError(_outside(root, marker, what))
        return Found(os.path.normpath(joined), str(resolved), entry, str(joined))

    def read(self, found: Found, limit: int) -> bytes:
        with self.open(found) as stream:
            try:
                return stream.read(limit + 1)
            except OSError as error:
                raise IncludeError(f"cannot be read: {error.strerror}") from None

    def open(self, found: Found, suffixes: tuple[str, ...] = YAML_SUFFIXES) -> BinaryIO:
        """The file opened to be read as a stream; a missing file's message suggests a file
        with one of `suffixes` next to it."""
        path = Path(found.key)
        try:
            mode = path.stat().st_mode
            if stat.S_ISDIR(mode):
                raise IncludeError(f"is a folder, not a file: {found.name}")
            if not stat.S_ISREG(mode):
                raise IncludeError(f"is not a regular file: {found.name}")
            # Opened without blocking, should a FIFO take the file's place after the check.
            return open_regular(path)
        except FileNotFoundError:
            hint = _similar(found.entry, path.parent, suffixes)
            raise IncludeError(f"is missing: there is no file {found.name}{hint}") from None
        except OSError as error:
            raise IncludeError(f"cannot be read: {error.strerror}") from None

    def root(self) -> tuple[Path, str | None]:
        """The project root, and the marker file that makes it one (None: the journey's folder)."""
        if self._root is None:
            self._root = project_root(self._folder)
        return self._root


def project_root(folder: Path) -> tuple[Path, str | None]:
    """The nearest folder at or above `folder` with a project marker, and the marker found."""
    start = folder.resolve()
    for candidate in (start, *start.parents):
        for marker in PROJECT_MARKERS:
            if (candidate / marker).exists():
                return candidate, marker
    return start, None


class Tree:
    """Included files from a tree of files named by POSIX paths from its top: a git revision.

    `path` is the journey's path in the tree; `read` gives a file's bytes, or None when the
    tree has no such file; `label` names a path in messages (say `main:shared/personas.yaml`).
    """

    def __init__(
        self,
        path: str,
        read: Callable[[str], bytes | None],
        label: Callable[[str], str] = str,
    ) -> None:
        self._path = path
        self._read = read
        self._label = label

    def start(self, name: str) -> Found:
        # The journey's name in messages about the files it includes, like theirs.
        return Found(self._label(self._path), self._path)

    def locate(self, parent: Found, entry: str, what: str = "an included file") -> Found:
        _refuse_absolute(entry)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(parent.key), entry))
        if joined == ".." or joined.startswith("../"):
            raise IncludeError("is outside the repository")
        return Found(self._label(joined), joined, entry)

    def read(self, found: Found, limit: int) -> bytes:
        raw = self._read(found.key)
        if raw is None:
            raise IncludeError(f"is missing: there is no file {found.name}")
        return raw[: limit + 1]

    def open(self, found: Found, suffixes: tuple[str, ...] = YAML_SUFFIXES) -> BinaryIO:
        # A revision's file is read whole by git anyway.
        raw = self._read(found.key)
        if raw is None:
            raise IncludeError(f"is missing: there is no file {found.name}")
        return io.BytesIO(raw)


@dataclass(frozen=True)
class Included:
    """A file a journey read through `include:`, directly or through another included file."""

    name: str
    digest: str  # SHA-256 of the bytes read, for incremental builds
    via: _Via

    def chain(self) -> str:
        """` (included from a.yaml:2:5, from x.yaml:3:5)`, said after a problem in this file."""
        return _chain(self.via)


def _chain(via: _Via) -> str:
    places = ", from ".join(f"{file}:{line}:{column}" for file, line, column in via)
    return f" (included from {places})"


@dataclass(frozen=True)
class Resolved:
    """A journey's data and positions with the shared items merged in."""

    data: dict[str, Any]
    document: Document
    included: tuple[Included, ...]
    # Unknown keys in included files: reported with the journey's own problems.
    problems: list[Problem]


def resolve(
    data: dict[str, Any],
    document: Document,
    name: str,
    files: Files,
    limits: Limits,
    size: int,
) -> Resolved:
    """Read every file the journey includes and merge their personas and channels into it.

    `size` is the journey's own size in bytes. Problems that stop an included file from being
    read are raised at once, all of them: with a shared file missing, the journey's references
    to its personas would only add false errors.
    """
    reader = _Reader(files, limits, size, document.size)
    journey = files.start(name)
    shared = reader.visit(journey, data, document, (journey,), ())
    if reader.fatal:
        raise JourneyError(reader.problems)
    merged, positions = _merge(data, document, shared)
    return Resolved(merged, positions, tuple(reader.included.values()), reader.problems)


@dataclass(frozen=True)
class _Item:
    """A shared persona or channel, with its positions relative to the item itself."""

    value: Any
    values: dict[DataPath, Position]
    keys: dict[DataPath, Position]


_Shared = dict[str, list[_Item]]


class _Reader:
    def __init__(self, files: Files, limits: Limits, size: int, values: int) -> None:
        self.files = files
        self.limits = limits
        self.bytes = size  # read so far, the journey's own bytes included
        self.values = values
        self.included: dict[str, Included] = {}  # by key, in reading order
        self.problems: list[Problem] = []
        self.fatal = False

    def visit(
        self,
        found: Found,
        data: dict[str, Any],
        document: Document,
        chain: tuple[Found, ...],
        via: _Via,
    ) -> _Shared:
        """The shared items that the files `found` includes bring in, in order."""
        shared: _Shared = {kind: [] for kind in SHARED}
        for entry, position in self._entries(found, data, document, via):
            for kind, items in self._follow(found, entry, position, chain, via).items():
                shared[kind] += items
        return shared

    def _entries(
        self, found: Found, data: dict[str, Any], document: Document, via: _Via
    ) -> list[tuple[str, Position]]:
        value = data.get(INCLUDE)
        where = document.values.get((INCLUDE,), _START)
        if value is None:
            return []
        if isinstance(value, str):
            listed = [(value, where)]
        elif isinstance(value, list):
            listed = [
                (item, document.values.get((INCLUDE, index), where))
                for index, item in enumerate(value)
            ]
        else:
            message = f"include must be a file path or a list of them, got {kind_of(value)}"
            self._fail(found.name, where, via, message)
            return []
        entries = []
        for item, position in listed:
            if not isinstance(item, str):
                message = f"an include entry must be a file path (text), got {kind_of(item)}"
                self._fail(found.name, position, via, message)
            elif not item.strip():
                self._fail(found.name, position, via, "an include entry must not be empty")
            else:
                entries.append((item, position))
        return entries

    def _follow(
        self,
        parent: Found,
        entry: str,
        position: Position,
        chain: tuple[Found, ...],
        via: _Via,
    ) -> _Shared:
        def fail(message: str) -> _Shared:
            self._fail(parent.name, position, via, f"include '{entry}' {message}")
            return {}

        try:
            found = self.files.locate(parent, entry)
        except IncludeError as error:
            return fail(str(error))
        keys = [item.key for item in chain]
        if found.key in keys:
            if found.key == parent.key:
                return fail("is this file itself; a file cannot include itself")
            cycle = " -> ".join([item.name for item in chain[keys.index(found.key) :]])
            return fail(
                f"makes a cycle: {cycle} -> {found.name};"
                " a file cannot include itself, directly or through others"
            )
        if found.key in self.included:
            return {}  # a file included twice, say by two shared files, is read once
        if len(chain) > self.limits.max_include_depth:
            return fail(
                f"nests includes more than {self.limits.max_include_depth} levels deep;"
                f" include the shared files from fewer levels, or"
                f" {raise_hint('max_include_depth')}"
            )
        left = self.limits.max_file_bytes - self.bytes
        try:
            raw = self.files.read(found, max(left, 0))
        except IncludeError as error:
            return fail(str(error))
        if len(raw) > left:
            return fail(
                f"makes the journey and its included files larger than"
                f" {self.limits.max_file_bytes:,} bytes, the limit; share smaller files, or"
                f" {raise_hint('max_file_bytes')}"
            )
        self.bytes += len(raw)
        here = ((parent.name, position.line, position.column), *via)
        self.included[found.key] = Included(found.name, hashlib.sha256(raw).hexdigest(), here)
        document = self._parse(found, raw, here)
        if document is None:
            return {}
        data: dict[str, Any] = document.data
        shared = self.visit(found, data, document, (*chain, found), here)
        for kind in SHARED:
            shared[kind] += _items(data, document, kind, found.name)
        return shared

    def _parse(self, found: Found, raw: bytes, via: _Via) -> Document | None:
        """An included file's document once it is known to have the shape of one."""
        try:
            document = parse(decode(raw), self.limits, self.values)
        except SourceError as error:
            self._fail(found.name, Position(error.line, error.column), via, error.message)
            return None
        if document is None:
            message = "the included file is empty; it should hold `personas:` or `channels:`"
            self._fail(found.name, _START, via, message)
            return None
        self.values += document.size
        data = document.data
        if not isinstance(data, dict):
            message = "an included file must be a mapping with `personas:` and/or `channels:`"
            self._fail(found.name, document.values.get((), _START), via, message)
            return None
        for _, comment, message in cut_texts(document.comments, self.limits):
            where = Position(comment.line, comment.column)
            self._fail(found.name, where, via, message, fatal=False)
        for key in data:
            if key not in (*SHARED, INCLUDE):
                where = document.keys.get((key,), _START)
                self._fail(found.name, where, via, _unknown_key(key), fatal=False)
        wrong = [kind for kind in SHARED if not isinstance(data.get(kind), list | None)]
        for kind in wrong:
            message = f"{kind} must be a list (one `- item` per line), got {kind_of(data[kind])}"
            self._fail(found.name, document.values.get((kind,), _START), via, message)
        return None if wrong else document

    def _fail(
        self, file: str, position: Position, via: _Via, message: str, *, fatal: bool = True
    ) -> None:
        chain = _chain(via) if via else ""
        self.problems.append(Problem(file, position.line, position.column, message + chain))
        self.fatal = self.fatal or fatal


def _items(data: dict[str, Any], document: Document, kind: str, file: str) -> list[_Item]:
    """The items of one list of an included file, with their positions marked with the file."""
    listed = data.get(kind)
    if not isinstance(listed, list):
        return []
    values: list[dict[DataPath, Position]] = [{} for _ in listed]
    keys: list[dict[DataPath, Position]] = [{} for _ in listed]
    for found, target in ((document.values, values), (document.keys, keys)):
        for path, position in found.items():
            if len(path) >= 2 and path[0] == kind and isinstance(path[1], int):
                target[path[1]][path[2:]] = replace(position, file=file)
    return [_Item(item, values[i], keys[i]) for i, item in enumerate(listed)]


def _merge(
    data: dict[str, Any], document: Document, shared: _Shared
) -> tuple[dict[str, Any], Document]:
    """Shared items first, then the journey's own, each path moved to its index in the list."""
    merged = dict(data)
    values, keys = document.values, document.keys
    for kind in SHARED:
        items = shared[kind]
        own = data.get(kind)
        if not items or not isinstance(own, list | None):
            continue  # a journey's own `personas:` that is not a list is the model's to report
        count = len(items)
        values = {_shifted(path, kind, count): position for path, position in values.items()}
        keys = {_shifted(path, kind, count): position for path, position in keys.items()}
        for index, item in enumerate(items):
            values.update({(kind, index, *path): at for path, at in item.values.items()})
            keys.update({(kind, index, *path): at for path, at in item.keys.items()})
        # A journey without a `personas:` of its own has them from its `include:`.
        values.setdefault((kind,), document.values.get((INCLUDE,), _START))
        merged[kind] = [item.value for item in items] + (own or [])
    return merged, Document(merged, values, keys)


def _shifted(path: DataPath, kind: str, count: int) -> DataPath:
    if len(path) >= 2 and path[0] == kind and isinstance(path[1], int):
        return (kind, path[1] + count, *path[2:])
    return path


def _refuse_absolute(entry: str) -> None:
    if entry.startswith(("/", "\\")) or PureWindowsPath(entry).drive:
        raise IncludeError("is an absolute path; write it relative to this file")


def _outside(root: Path, marker: str | None, what: str) -> str:
    try:
        shown = os.path.relpath(root)
    except ValueError:  # another drive on Windows
        shown = str(root)
    if marker is None:
        return (
            f"is outside the journey's folder '{shown}'; to share files between folders,"
            " put a jmap.toml in the project's top folder"
        )
    return (
        f"is outside the project root '{shown}' (the folder with {marker});"
        f" {what} must be inside it"
    )


def _similar(entry: str, folder: Path, suffixes: tuple[str, ...]) -> str:
    """` (did you mean 'shared/personas.yaml'?)` when a file next to it is close."""
    try:
        names = [path.name for path in folder.iterdir() if path.name.endswith(suffixes)]
    except OSError:
        return ""
    written = entry.replace("\\", "/")
    match = closest(posixpath.basename(written), sorted(names))
    if match is None:
        return ""
    return f" (did you mean '{posixpath.join(posixpath.dirname(written), match)}'?)"


def _unknown_key(key: str) -> str:
    if key == "jmap":
        return (
            "an included file has no `jmap:` key (it marks a journey file); it holds only"
            " personas, channels and include"
        )
    match = closest(key, (*SHARED, INCLUDE))
    if match is not None:
        return f"unknown field '{key}' (did you mean '{match}'?)"
    return f"unknown field '{key}'; an included file holds only personas, channels and include"
