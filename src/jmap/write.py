"""Writing files whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder and a rename.

    A reader, or a build killed half-way, sees the old file or the new one, never a mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        # mkstemp makes the file private (0600); a map gets the permissions any new file would.
        Path(temporary).chmod(0o666 & ~_umask())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def remove_leftovers(folder: Path, names: set[str]) -> None:
    """Delete temporary files that a killed build left behind for these file names."""
    for name in sorted(names):
        for leftover in folder.glob(f".{glob_escape(name)}.*.tmp"):
            leftover.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in name)
