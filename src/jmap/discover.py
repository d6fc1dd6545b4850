"""Which files a command works on: named files as they are, directories searched for journeys."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from jmap.errors import UsageError

_SUFFIXES = (".yaml", ".yml")
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
        if path.is_dir():
            found.extend(_journeys_under(path))
        elif path.exists():
            if not journeys_only or is_journey_file(path):
                found.append(path)
        else:
            raise UsageError(f"{given}: no such file or directory")
    unique = dict.fromkeys(found)  # one path named twice is checked once, order kept
    return list(unique)


def _journeys_under(folder: Path) -> list[Path]:
    journeys: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        candidates = (Path(root, name) for name in sorted(files))
        journeys.extend(path for path in candidates if is_journey_file(path))
    return journeys


def is_journey_file(path: Path) -> bool:
    """A *.yaml or *.yml file that declares `jmap:` at its top level."""
    return path.name.endswith(_SUFFIXES) and _declares_jmap(path)


def _declares_jmap(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return False
    return declares_jmap(head)


def declares_jmap(head: bytes) -> bool:
    """Whether the start of a file declares the format at its top level (`jmap:`)."""
    return _DECLARES_JMAP.search(head) is not None
