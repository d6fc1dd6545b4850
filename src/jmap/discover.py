"""Which files a command works on: named files as they are, directories searched for journeys."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from jmap.errors import UsageError

_SUFFIXES = (".yaml", ".yml")
# Folders that hold tools' files, never a team's journeys.
_SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}
# A journey declares its format at the top level. Checking the text instead of parsing keeps a
# scan of a large repository fast; the loader still validates every file found.
_DECLARES_JMAP = re.compile(rb"^(?:jmap|\"jmap\"|'jmap')[ \t]*:", re.MULTILINE)


def find_journeys(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Named files as given, then the journeys under each named directory, sorted."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found.extend(_journeys_under(path))
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"{given}: no such file or directory")
    unique = dict.fromkeys(found)  # one path named twice is checked once, order kept
    return list(unique)


def _journeys_under(folder: Path) -> list[Path]:
    journeys = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            path = Path(root, name)
            if name.endswith(_SUFFIXES) and _declares_jmap(path):
                journeys.append(path)
    return journeys


def _declares_jmap(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return False
    return _DECLARES_JMAP.search(head) is not None
