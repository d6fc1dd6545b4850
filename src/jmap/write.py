"""Writing files whole or not at all, and only where they belong."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path, PureWindowsPath

from jmap.errors import JmapError

# Names Windows gives to devices, whatever the extension: `con.svg` opens the console.
_DEVICE = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])", re.IGNORECASE)


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` as UTF-8, whole or not at all (see `write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader, or a build killed half-way, sees the old file or the new one, never a mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
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


def is_device_name(name: str) -> bool:
    """Whether Windows reserves `name` (before its first dot) for a device."""
    return _DEVICE.fullmatch(name.split(".", 1)[0].rstrip(" ")) is not None


def is_plain_name(name: str) -> bool:
    """A file name that stays in the folder it is joined to, on every system."""
    return (
        bool(name)
        and name not in (".", "..")
        and not any(char in name for char in "/\\:\0")
        and not PureWindowsPath(name).drive
        and not is_device_name(name)
    )


def inside(folder: Path, name: str) -> Path:
    """`folder / name`, refused unless it is a file directly in `folder`.

    Output names come from journey ids, which cannot hold a separator; this is the last check
    before a write or a delete, so that no id, manifest or bug makes jmap touch another place.
    Paths are compared as written rather than with symbolic links followed: a rename or a
    delete acts on a link itself, never on what it points to.
    """
    base = Path(os.path.normpath(folder.absolute()))
    if not is_plain_name(name) or Path(os.path.normpath(base / name)).parent != base:
        raise JmapError(f"refusing to write or delete '{name}': it is not a file in {folder}")
    return folder / name


def remove_leftovers(folder: Path, names: set[str]) -> None:
    """Delete temporary files that a killed build left behind for these file names.

    One pass over the folder: a glob per name would make a no-op build of thousands of
    journeys slow (every glob reads the whole folder).
    """
    wanted = set(filter(is_plain_name, names))
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        # write_text_atomic names them ".<name>.<random>.tmp".
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            base = entry.name[1:-4].rpartition(".")[0]
            if base in wanted:
                Path(entry.path).unlink(missing_ok=True)
