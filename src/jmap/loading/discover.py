"""Which files a command works on: named files as they are, directories searched for journeys."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from jmap.errors import UsageError
from jmap.loading.reading import not_regular, read_regular

# The names a journey, or a file it includes, may have; also what `jmap serve` watches.
YAML_SUFFIXES = (".yaml", ".yml")
# Folders that hold tools' files, never a team's journeys.
SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}
# A journey declares its format at the top level. Checking the text instead of parsing keeps a
# scan of a large repository fast; the loader still validates every file found.
HEAD_BYTES = 64 * 1024  # how much of a file is read to see whether it is a journey
_DECLARES_JMAP = re.compile(rb"^(?:jmap|\"jmap\"|'jmap')[ \t]*:", re.MULTILINE)


def find_journeys(
    paths: Iterable[str | os.PathLike[str]], *, journeys_only: bool = False
) -> list[Path]:
    """Named files as given, then the journeys under each named directory, sorted.

    With `journeys_only`, a named file is kept only if it is a journey, as in a folder: for
    tools such as pre-commit that pass every changed YAML file.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if stat.S_ISDIR(_mode(given)):
            found.extend(_journeys_under(path))
        elif not journeys_only or is_journey_file(path):
            found.append(path)
    unique = dict.fromkeys(found)  # one path named twice is checked once, order kept
    return list(unique)


def _mode(given: str | os.PathLike[str]) -> int:
    """The type of a named path: a folder or a regular file, else a usage error.

    A FIFO or a device is refused before anything opens it: opening a FIFO waits for a writer.
    """
    try:
        mode = Path(given).stat().st_mode
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in it
        raise UsageError("no such file or directory", path=given) from None
    except OSError as error:
        raise UsageError(f"cannot read: {error.strerror}", path=given) from None
    if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
        raise not_regular(str(given))
    return mode


def _journeys_under(folder: Path) -> list[Path]:
    """The journeys in a folder and its subfolders, a folder's own files before its subfolders'.

    Only regular files are looked at: the type comes with the folder's entries (scandir), so
    a FIFO or a device named `*.yaml` is skipped without a call to the system, let alone an open.
    """
    journeys: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            continue  # a folder that cannot be listed holds nothing jmap can read
        subfolders = []
        for entry in entries:
            if _is_folder(entry):
                if entry.name not in SKIPPED_DIRS and not entry.name.startswith("."):
                    subfolders.append(Path(entry.path))
            elif _is_file(entry) and is_journey_file(Path(entry.path)):
                journeys.append(Path(entry.path))
        pending.extend(reversed(subfolders))  # the first subfolder is searched first
    return journeys


def _is_folder(entry: os.DirEntry[str]) -> bool:
    # A link to a folder is not followed, as `os.walk` does not: it could lead to a loop.
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    # True for a regular file or a link to one; a FIFO, device or socket is not a file here.
    try:
        return entry.is_file()
    except OSError:
        return False


def is_journey_file(path: Path) -> bool:
    """A *.yaml or *.yml file that declares `jmap:` at its top level."""
    return path.name.endswith(YAML_SUFFIXES) and _declares_jmap(path)


def _declares_jmap(path: Path) -> bool:
    try:
        head = read_regular(path, HEAD_BYTES)
    except OSError:
        return False
    return declares_jmap(head)


def declares_jmap(head: bytes) -> bool:
    """Whether the start of a file declares the format at its top level (`jmap:`)."""
    return _DECLARES_JMAP.search(head) is not None
