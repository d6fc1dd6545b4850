"""A journey file -> a validated `Journey`, or every problem in it with its line and column.

The files a journey includes are read here too (see jmap.loading.includes), so that everything after
loading sees one journey, and every problem points into the file that has to change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError

from jmap.build.write import is_device_name
from jmap.errors import JourneyError, Problem, UsageError, printable
from jmap.loading.comments import cut_texts
from jmap.loading.document import Document, Position, SourceError, as_written
from jmap.loading.includes import INCLUDE, Files, FileSystem, Included, resolve
from jmap.loading.indentation import singular
from jmap.loading.limits import DEFAULT_LIMITS, Limits, raise_hint
from jmap.loading.messages import child_list, describe, located_path
from jmap.loading.reading import NotRegularFileError, check_regular, not_regular, read_regular
from jmap.loading.references import check
from jmap.loading.sources import read_sources
from jmap.loading.yaml_reader import decode, parse
from jmap.model import FORMAT_VERSION, Journey
from jmap.slug import MAX_ID_BYTES, id_bytes, slugify

_START = Position(1, 1)


@dataclass(frozen=True)
class Loaded:
    """A valid journey with the parsed source it came from (for tools that point into it).

    `document` holds the journey with its included personas and channels merged in; the
    position of each value names the included file it came from (see `where`).
    """

    journey: Journey
    document: Document
    path: str
    # Every file the journey included, directly or not, each once, in the order read, then
    # the data files its sources read (jmap.loading.sources): what its maps are made from.
    includes: tuple[Included, ...] = ()

    def where(self, path: tuple[str | int, ...], *, key: bool = False) -> tuple[str, int, int]:
        """File, line and column of a value (or, with `key`, of its key) in the journey.

        The file is the journey's, or the included file a shared persona or channel is
        written in. Falls back to the nearest enclosing value that has a position, then to
        the start of the journey file.
        """
        return _place(self.path, self.document, path, key)


def load(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Journey:
    """Read and validate a journey file; raises `JourneyError` listing every problem."""
    return read(path, limits).journey


def loads(
    text: str | bytes,
    path: str = "<string>",
    limits: Limits = DEFAULT_LIMITS,
    *,
    files: Files | None = None,
) -> Journey:
    """Validate journey text; `path` names it in messages and gives the default id.

    Included files are read from `files`; by default from the file system, relative to the
    folder of `path` (the current folder for "<string>").
    """
    return _validate(text, path, limits, files).journey


def read(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> Loaded:
    name = os.fspath(path)
    try:
        info = FilePath(name).stat()
        # Checked before opening: a FIFO would block the open, a device the read.
        check_regular(info.st_mode, name)
        if info.st_size > limits.max_file_bytes:
            # Checked before reading so a huge file costs nothing.
            raise _fail(name, _START, _too_big(info.st_size, limits))
        raw = read_regular(name, limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise UsageError("no such file", path=name) from None
    except IsADirectoryError:
        raise UsageError("is a directory, not a journey file", path=name) from None
    except NotRegularFileError:
        raise not_regular(name) from None
    except OSError as error:
        raise UsageError(f"cannot read: {error.strerror}", path=name) from None
    return _validate(raw, name, limits, None)


def _validate(raw: str | bytes, name: str, limits: Limits, files: Files | None) -> Loaded:
    try:
        return _load_journey(raw, name, limits, files)
    except JourneyError as error:
        # Messages quote the file's text, which may hold line breaks or escape sequences: an
        # API user printing `problem.message` gets one safe line too.
        raise JourneyError([_printable(problem) for problem in error.problems]) from None


def _printable(problem: Problem) -> Problem:
    return replace(problem, message=printable(problem.message))


def _load_journey(raw: str | bytes, name: str, limits: Limits, files: Files | None) -> Loaded:
    text = _decode(raw, name, limits)
    try:
        document = parse(text, limits)
    except SourceError as error:
        raise _fail(name, Position(error.line, error.column), error.message) from None
    if document is None:
        raise _fail(name, _START, "the file is empty; a journey starts with `jmap: 1`")
    data = document.data
    if not isinstance(data, dict):
        raise _fail(
            name,
            document.values.get((), _START),
            "the top level must be a mapping with `jmap: 1`, `title:` and `stages:`",
        )
    _check_version(data, document, name)
    includes: tuple[Included, ...] = ()
    # Read before the includes are merged in: each included file reports its own.
    problems = [
        Problem(name, comment.line, comment.column, message)
        for _, comment, message in cut_texts(document.comments, limits)
    ]
    if INCLUDE in data:
        size = len(text.encode("utf-8", "surrogatepass"))
        resolved = resolve(data, document, name, files or FileSystem(), limits, size)
        data, document, includes = resolved.data, resolved.document, resolved.included
        problems += resolved.problems
    chains = {included.name: included.chain() for included in includes}

    def problem(path: tuple[Any, ...], at_key: bool, message: str) -> Problem:
        position = _position(document, path, at_key)
        if position.file is None:
            return Problem(name, position.line, position.column, message)
        chain = chains.get(position.file, "")
        return Problem(position.file, position.line, position.column, message + chain)

    if "id" not in data:
        # The journey id names its output files, so it comes from the file name by default.
        stem = FilePath(name).stem if name != "<string>" else "journey"
        derived = slugify(stem)
        if not derived:
            raise _fail(name, _START, f"cannot make an id from the file name '{stem}'; add `id:`")
        unusable = _unusable_id(derived, stem)
        if unusable is not None:
            raise _fail(name, _START, unusable)
        data = {**data, "id": derived}
    else:
        unusable = _unusable_id(_written_id(data["id"]), None)
        if unusable is not None:
            problems.append(problem(("id",), False, unusable))
    too_many = _too_many_touchpoints(data, limits)
    if too_many is not None:
        # Stop here: checking thousands of touchpoints is the work the limit saves.
        raise JourneyError([*problems, problem(*too_many)])

    problems += [
        problem(finding.path, finding.at_key, finding.message)
        for finding in check(data, lambda path: _place(name, document, path, False))
    ]
    journey: Journey | None = None
    try:
        journey = Journey.model_validate(data)
    except ValidationError as error:
        problems += [problem(*_located(document, detail)) for detail in error.errors()]
    if problems or journey is None:
        raise JourneyError(problems)
    # Data files are read once the journey is known to be valid: a source is only worth
    # reading when the KPI it belongs to is.
    data, problems = read_sources(
        journey, name, files or FileSystem(), lambda path, key: _place(name, document, path, key)
    )
    if problems:
        raise JourneyError(problems)
    return Loaded(journey, document, name, (*includes, *data))


def _decode(raw: str | bytes, name: str, limits: Limits) -> str:
    if isinstance(raw, str):
        text = raw
    else:
        if len(raw) > limits.max_file_bytes:
            raise _fail(name, _START, _too_big(len(raw), limits))
        try:
            text = decode(raw)
        except SourceError as error:
            raise _fail(name, Position(error.line, error.column), error.message) from None
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_file_bytes:
        raise _fail(name, _START, _too_big(len(text), limits))
    return text


def _check_version(data: dict[str, Any], document: Document, name: str) -> None:
    if "jmap" not in data:
        raise _fail(
            name,
            document.values.get((), _START),
            "not a jmap journey: the top level needs `jmap: 1` (the format version)",
        )
    version = data["jmap"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        shown = f"'{version}'" if isinstance(version, str) else str(as_written(version))
        raise _fail(
            name,
            document.values.get(("jmap",), _START),
            f"unsupported format version {shown}; this jmap reads version {FORMAT_VERSION}"
            f" (`jmap: {FORMAT_VERSION}`)",
        )


def _too_many_touchpoints(
    data: dict[str, Any], limits: Limits
) -> tuple[tuple[Any, ...], bool, str] | None:
    """Where a journey has more touchpoints than a build can lay out in reasonable time."""
    count = 0
    for stage_index, stage in enumerate(_list(data.get("stages"))):
        touchpoints = _list(stage.get("touchpoints") if isinstance(stage, dict) else None)
        if count + len(touchpoints) > limits.max_touchpoints:
            path = ("stages", stage_index, "touchpoints", limits.max_touchpoints - count)
            message = (
                f"touchpoint {limits.max_touchpoints + 1:,} exceeds the limit of"
                f" {limits.max_touchpoints:,} touchpoints per journey; split the journey,"
                f" or {raise_hint('max_touchpoints')}"
            )
            return path, False, message
        count += len(touchpoints)
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _written_id(value: Any) -> str:
    """The journey id as the model reads it (`id: 2025` is "2025"); '' for what is no id."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(as_written(value))
    return value if isinstance(value, str) else ""


def _unusable_id(journey_id: str, stem: str | None) -> str | None:
    """Why a journey id cannot name its map files, or None when it can.

    `stem` is the file name the id was made from, None for an id written in the journey.
    """
    if is_device_name(journey_id):
        return _device_id(journey_id, stem)
    size = id_bytes(journey_id)
    if size <= MAX_ID_BYTES:
        return None
    limit = f"a map's file name allows an id of at most {MAX_ID_BYTES} bytes"
    if stem is None:
        return f"the id is {size} bytes long; {limit}: shorten the id"
    return f"the file name gives an id of {size} bytes; {limit}: add a shorter `id:`"


def _device_id(journey_id: str, stem: str | None) -> str:
    """Why a journey may not have an id such as `con`, and what to do instead."""
    device = f"a name Windows reserves for a device: no file there can be called {journey_id}.svg"
    if stem is None:
        return f"the id '{journey_id}' is {device}; choose another id"
    return f"the file name '{stem}' gives the id '{journey_id}', {device}; add an `id:`"


def _located(document: Document, detail: Any) -> tuple[tuple[Any, ...], bool, str]:
    """Where in the file a validation error points, and what it says."""
    loc = tuple(detail["loc"])
    if detail["type"] == "extra_forbidden":
        # Point at the unknown key itself: the mapping holding it, then the key.
        path, at_key = (*located_path(loc[:-1], document.values), loc[-1]), True
        home = _home(document, path, child_list(Journey, loc))
        if home is not None:
            return path, at_key, home
    elif loc[-1:] == ("[key]",):
        # A key that is not valid (pydantic's loc is the key, then "[key]"): point at the key.
        path, at_key = located_path(loc[:-1], document.values), True
    else:
        path, at_key = located_path(loc, document.values), False
    return path, at_key, describe(detail, Journey)


def _home(document: Document, path: tuple[Any, ...], items: str | None) -> str | None:
    """Where a key written one level too far out belongs: in the item of `items` above it."""
    parent = _value_at(document.data, path[:-1])
    if items is None or not isinstance(parent, dict):
        return None
    listed = parent.get(items)
    if not isinstance(listed, list) or not listed:
        return None
    key = document.keys.get(path, _START)
    places = [document.values.get((*path[:-1], items, i), _START) for i in range(len(listed))]
    above = [i for i, place in enumerate(places) if place.line < key.line] or [0]
    item, place = listed[above[-1]], places[above[-1]]
    name = next(
        (item[k] for k in ("name", "text", "id") if isinstance(item, dict) and k in item), ""
    )
    kind = singular(items)
    shown = f" '{as_written(name)}'" if isinstance(name, str | int | float) and name != "" else ""
    under = f"{kind}{shown} at line {place.line}"
    return f"'{path[-1]}' goes in a {kind}, not here: indent it under {under}"


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and part < len(data)
        ):
            data = data[part]
        else:
            return None
    return data


def _position(document: Document, path: tuple[Any, ...], at_key: bool) -> Position:
    position = (document.keys.get(path) if at_key else None) or document.values.get(path)
    if position is None:
        position = document.values.get(located_path(path, document.values), _START)
    return position


def _place(
    name: str, document: Document, path: tuple[Any, ...], at_key: bool
) -> tuple[str, int, int]:
    position = _position(document, path, at_key)
    return position.file or name, position.line, position.column


def _fail(name: str, position: Position, message: str) -> JourneyError:
    return JourneyError([Problem(name, position.line, position.column, message)])


def _too_big(size: int, limits: Limits) -> str:
    return (
        f"the file is {size:,} bytes; the limit is {limits.max_file_bytes:,}"
        f"; split the journey into smaller files, or {raise_hint('max_file_bytes')}"
    )
