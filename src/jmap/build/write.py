"""Writing files whole or not at all, and only where they belong."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path, PureWindowsPath

from jmap.errors import JmapError

# Names Windows gives to devices, whatever the extension: `con.svg` opens the console.
_DEVICE = re.compile(r"(con|prn|aux|nul|com[1-9]|lpt[1-9])", re.IGNORECASE)
# How much of a file's name its temporary file's name keeps (".<stem>.<random>.tmp").
_TEMPORARY_STEM = 64


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` as UTF-8, whole or not at all (see `write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader, or a build killed half-way, sees the old file or the new one, never a mix.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _staged(path, data)
    try:
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class WriteError(JmapError):
    """A file could not be written (a full disk, a size limit, a name too long, a folder in
    the way); `written` are the files of the same call that were, before it."""

    def __init__(self, path: Path, reason: str, written: list[Path]) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.written = written


def write_all_atomic(files: list[tuple[Path, bytes]]) -> None:
    """Write each file whole or not at all, and the set of them all or none where it can.

    Every file is first written to a temporary file beside it, then all are renamed into
    place: what usually fails (a full disk, a file size limit, a name too long, no permission)
    fails before any file is replaced, and leaves no temporary file behind. Only a rename can
    fail after that (a folder at the file's name), leaving the files renamed before it.
    """
    staged: list[tuple[Path, str]] = []
    written: list[Path] = []
    current = files[0][0] if files else Path()
    try:
        for current, data in files:
            staged.append((current, _staged(current, data)))
        for current, temporary in staged:
            Path(temporary).replace(current)
            written.append(current)
    except OSError as error:
        raise WriteError(current, error.strerror or str(error), written) from None
    finally:
        for path, temporary in staged:
            if path not in written:
                Path(temporary).unlink(missing_ok=True)


def _staged(path: Path, data: bytes) -> str:
    """A temporary file in `path`'s folder holding `data`, ready to be renamed to `path`."""
    # The name is cut so that the temporary file's name is never longer than a name the
    # file system takes: a map's own name may be up to its limit.
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name[:_TEMPORARY_STEM]}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file private (0600); a map gets the permissions any new file would.
        Path(temporary).chmod(0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


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
    wanted = {name[:_TEMPORARY_STEM] for name in names if is_plain_name(name)}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        # `_staged` names them ".<name>.<random>.tmp", the name cut to _TEMPORARY_STEM.
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            base = entry.name[1:-4].rpartition(".")[0]
            if base in wanted:
                Path(entry.path).unlink(missing_ok=True)
