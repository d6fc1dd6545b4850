"""Reading a file only when it is a regular file, so that no command ever blocks on one.

Opening a FIFO for reading waits for a writer that may never come, and a device may never end
(`/dev/zero`). Callers look at a file's type (stat) before opening it; `read_regular` looks
again at the file it opened, which cannot be swapped under it, and opens without blocking so
that it gets that far even when a FIFO took the file's place in between.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

from jmap.errors import UsageError

# Not on Windows, which has no FIFOs or devices in its folders.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
# Opening a terminal device must not make it the controlling terminal of jmap.
_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFileError(OSError):
    """The file is a FIFO, a device or a socket: nothing jmap reads."""


def not_regular(name: str) -> UsageError:
    """The usage error for such a file named where a journey file is expected."""
    return UsageError(
        "not a regular file (a pipe, a device or a socket); name a journey file", path=name
    )


def check_regular(mode: int, name: str) -> None:
    """Raise `IsADirectoryError` or `NotRegularFileError` unless `mode` is a regular file's."""
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
    if not stat.S_ISREG(mode):
        raise NotRegularFileError(errno.EINVAL, "not a regular file", name)


def open_regular(path: str | os.PathLike[str], *, follow: bool = True) -> BinaryIO:
    """A regular file opened for reading in binary, without ever blocking: for streaming.

    A symbolic link is followed only with `follow`. Raises `OSError`: `IsADirectoryError` or
    `NotRegularFileError` for what is not a regular file, and whatever opening raised.
    """
    flags = _FLAGS if follow else _FLAGS | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags)
    try:
        check_regular(os.fstat(descriptor).st_mode, os.fsdecode(path))
        if _NONBLOCK:
            # Back to ordinary reads for the regular file it turned out to be.
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def read_regular(path: str | os.PathLike[str], limit: int, *, follow: bool = True) -> bytes:
    """At most `limit` bytes from the start of a regular file, without ever blocking.

    A symbolic link is followed only with `follow`. Raises `OSError`: `IsADirectoryError` or
    `NotRegularFileError` for what is not a regular file, and whatever opening or reading raised.
    """
    with open_regular(path, follow=follow) as handle:
        return handle.read(limit)


def read_regular_or_none(
    path: str | os.PathLike[str], limit: int, *, follow: bool = True
) -> bytes | None:
    """`read_regular`, or None for anything that is not a regular file jmap can read."""
    try:
        return read_regular(path, limit, follow=follow)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
