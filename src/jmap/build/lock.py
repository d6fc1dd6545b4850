"""One build at a time per output folder: a lock file the operating system releases for us.

Two builds writing one folder at once would each write a manifest that misses the other's
files, and each delete what it thinks the other made stale. So a build holds an exclusive lock
on `.jmap-build.lock` in the output folder from before it reads the manifest until after it
writes it, and a second build waits for the first to finish, then sees its work as done.

The lock is `flock` on POSIX and `msvcrt.locking` on Windows: the system drops it when the
process ends, however it ends, so a killed build never leaves a stale lock behind. The file is
removed when the build finishes, so an output folder holds only maps and the manifest.

Only the process that took the lock holds it. An `flock` belongs to the open file, and every
process with a descriptor of that file keeps it: a forked worker that kept its copy would hold
the lock after the build died, and block every later build. So a forked child closes its copy
at once, and the descriptor is closed on exec, so no program a build runs inherits it.

Why not the `filelock` library (issue 12 asked; read and tried: filelock 4.2.11, its
`_unix.py` and `_api.py`). It keeps two of these guarantees: its lock is not inherited by a
forked child (it closes the child's copies from `os.register_at_fork`, as this module does),
and it opens the file with O_NOFOLLOW, so a symbolic link there is refused. It loses three:
- It leaves the lock file in place after every build, by design (its docstring: unlinking a
  locked file splits waiters across inodes). This module removes it and stays exclusive: a
  waiter checks that the file it locked is still the one at the path (`_still_there`).
- A FIFO, socket or device planted at the lock's name is taken as the lock file (tried: a FIFO
  is locked without a word). This module refuses anything but a regular file, with a message.
- Where the file system has no `flock` (some network and FUSE mounts) it falls back to an
  existence lock, whose marker a killed build leaves behind for later builds to wait on. This
  module builds unlocked there instead, so a dead build never delays the next.
The message a waiting build prints once, and the waiting itself, would still be ours. So the
lock stays here: some 200 lines, each guarantee tested in tests/build/test_concurrency.py.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from jmap.errors import JmapError, UsageError

LOCK_NAME = ".jmap-build.lock"
# Long enough for the largest build to finish; a build that waits longer is likely stuck.
DEFAULT_TIMEOUT = 600.0
_POLL = 0.1
# Descriptors of the locks this process holds: a forked child closes its copies (see below).
_held: set[int] = set()


class LockTimeout(JmapError):
    """Another build held the output folder for longer than a build waits."""

    exit_code = 2


@contextmanager
def build_lock(
    folder: Path,
    *,
    timeout: float | None = None,
    waiting: Callable[[Path], None] | None = None,
) -> Iterator[None]:
    """Hold the output folder's lock for the duration of the block, creating the folder.

    `waiting` is called once, with the folder, when another build holds the lock; this one
    then waits up to `timeout` seconds (default: `DEFAULT_TIMEOUT`) for it. A folder this call
    created is removed again if the block leaves it empty.
    """
    timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    created = not folder.exists()
    deadline = time.monotonic() + timeout
    said = False
    while True:
        # None: the build before removed the folder just after this one made it; try again.
        handle = _open(folder)
        if handle is not None:
            _held.add(handle)
            if _try_lock(handle) and _still_there(handle, folder / LOCK_NAME):
                break
            _held.discard(handle)
            os.close(handle)
        if time.monotonic() >= deadline:
            raise LockTimeout(
                f"another jmap build has been writing to {folder} for more than"
                f" {_duration(timeout)}; try again once it has finished"
            )
        if waiting is not None and not said:
            waiting(folder)
            said = True
        time.sleep(_POLL)
    try:
        yield
    finally:
        _held.discard(handle)
        _release(handle, folder / LOCK_NAME)
        if created:
            with suppress(OSError):  # only when empty: a build that wrote nothing leaves no trace
                folder.rmdir()


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} minutes" if seconds >= 120 else f"{seconds:g} seconds"


# Never through a symbolic link: one committed as `.jmap-build.lock -> ../x` would have jmap
# create `x`. O_NONBLOCK: opening a FIFO planted there must not wait for a writer. Python opens
# the descriptor close-on-exec (PEP 446), so the layout engine never inherits it.
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _open(folder: Path) -> int | None:
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not hasattr(os, "O_NOFOLLOW") and path.is_symlink():  # Windows: checked before
            raise _refused(path, path.lstat().st_mode)
        handle = os.open(path, _OPEN_FLAGS, 0o666)
    except FileNotFoundError:
        return None
    except FileExistsError:
        raise UsageError("is a file, not a folder for the maps", path=folder) from None
    except OSError as error:
        try:
            mode = path.lstat().st_mode
        except OSError:
            mode = stat.S_IFREG
        if not stat.S_ISREG(mode):  # a link (refused by O_NOFOLLOW) or a folder
            raise _refused(path, mode) from None
        raise UsageError(f"cannot write the maps there: {error.strerror}", path=folder) from None
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):  # a FIFO, a socket or a device
        os.close(handle)
        raise _refused(path, mode)
    return handle


def _refused(path: Path, mode: int) -> UsageError:
    # Refused rather than replaced: removing what is there could remove the lock file another
    # build has just put in its place, and then both would build at once.
    if stat.S_ISLNK(mode):
        kind = "a symbolic link"
    elif stat.S_ISDIR(mode):
        kind = "a folder"
    else:
        kind = "a special file"
    return UsageError(f"is {kind}, not jmap's lock file; remove it, then build again", path=path)


def _still_there(handle: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path`.

    The build that held the lock before removed its file: a build that was waiting on that
    file now holds a lock nobody else can see, and must lock the current file instead.
    """
    try:
        now = path.lstat()
    except OSError:
        return False
    held = os.fstat(handle)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: int) -> bool:
        os.lseek(handle, 0, os.SEEK_SET)
        try:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _release(handle: int, path: Path) -> None:
        os.lseek(handle, 0, os.SEEK_SET)
        msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)
        os.close(handle)
        # Windows cannot remove a file another build has open (and waits on): that build
        # then locks this same file, which is what it should do.
        with suppress(OSError):
            path.unlink()

else:
    import fcntl

    def _try_lock(handle: int) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:
            # A file system without locks (some network and FUSE mounts): build as jmap did
            # before it locked, rather than not at all.
            return True
        return True

    def _release(handle: int, path: Path) -> None:
        # Removed while still locked: a build waiting on this file finds it gone (see
        # `_still_there`) and locks a new one, so two builds never both hold "the" lock.
        path.unlink(missing_ok=True)
        os.close(handle)


def _close_inherited() -> None:
    """In a forked child: close its copies of the parent's lock descriptors.

    Run by `os.fork` itself, before the child runs any other Python (a worker's initializer
    would leave a window in which a parent killed then left its lock to the child). Closing a
    copy leaves the parent's lock held; unlocking it would release the parent's lock too.
    """
    for handle in _held:
        with suppress(OSError):
            os.close(handle)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited)
