"""The worker processes a build renders in, which end when the build that started them ends.

`render_all` hands them the journeys in batches and gives their results back in file order.

A build killed alone (`kill -9`, the OOM killer, a CI job cancelled at its timeout) would leave
its workers behind: waiting for ever on a queue nobody writes to any more, each perhaps with a
layout engine running. So each worker watches its build from a thread and, once the build is
gone, stops its layout engine and exits.

How a worker notices: on Linux and macOS, a process whose parent dies gets a new parent, so the
thread asks `os.getppid()` ten times a second, which costs nothing measurable. Linux's
PR_SET_PDEATHSIG would be quicker, but it fires when the thread that forked the worker ends,
not the process, and its signal either cannot be caught (SIGKILL: the layout engine would run
on) or is handled by the main thread no sooner than this thread notices. Windows does not give
orphans a new parent: there the thread waits on the handle of its parent process.

Start method: fork on Linux, where it is measurably the quickest (a build of 4 journeys with
-j 2: 0.44 s forked, 0.64 s with forkserver, 0.73 s spawned, each of which starts a fresh
interpreter that imports jmap again), and spawn elsewhere, Python's default there (fork is not
safe on macOS). Never forkserver: a worker's parent would then be the fork server, not the
build. A forked worker inherits every descriptor of the build, its lock's among them;
jmap.build.lock closes that copy in every forked child, so only the build holds the lock.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from jmap.build.rendering import Rendered, Settings, render_files

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

_BATCH = 16  # journeys per run of the layout engine, at most
_POLL = 0.1  # seconds between two looks at the parent
# How long a worker whose build has died gives its layout engine's temporary folder to go.
_GRACE = 1.0


def render_all(sources: list[Path], settings: Settings, jobs: int) -> Iterator[Rendered]:
    """Each journey rendered, in worker processes when there are several jobs and batches.

    Results come back in file order, so what a build prints and writes is deterministic. The
    workers end once every result has been taken, or when the iterator is dropped.
    """
    # Journeys go to the workers in batches, each laid out by one run of the layout engine:
    # at least two per worker and a multiple of the workers, so that every core stays busy to
    # the end, and at most _BATCH journeys, so that progress stays smooth.
    count = jobs * max(2, -(-len(sources) // (jobs * _BATCH)))
    size = max(1, -(-len(sources) // count))
    batches = [sources[start : start + size] for start in range(0, len(sources), size)]
    if jobs == 1 or len(batches) < 2:
        done: Iterator[list[Rendered]] = (render_files(batch, settings) for batch in batches)
    else:
        pool = worker_pool(min(jobs, len(batches)))
        done = _closing(pool, pool.map(render_files, batches, [settings] * len(batches)))
    return (rendered for batch in done for rendered in batch)


def _closing(
    pool: ProcessPoolExecutor, results: Iterator[list[Rendered]]
) -> Iterator[list[Rendered]]:
    try:
        yield from results
    finally:
        # A build stopped half-way (an error, Ctrl-C) starts none of the batches still queued.
        pool.shutdown(wait=True, cancel_futures=True)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes, each of which exits when this process ends."""
    # Imported here: 5 ms that a build rendering in its own process (one journey) need not spend.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform == "linux" else "spawn"
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_end_with,
        initargs=(os.getpid(),),
    )


def _end_with(build: int) -> None:
    threading.Thread(target=_watch, args=(build,), name="jmap-watch-build", daemon=True).start()


def _watch(build: int) -> None:
    if sys.platform == "win32":
        import multiprocessing

        parent = multiprocessing.parent_process()
        if parent is not None:
            parent.join()  # returns once the build's process has ended
    else:
        # The build's pid, taken before the fork, and not the parent when this thread starts:
        # a build killed before this worker got here has already handed it to another parent.
        while os.getppid() == build:
            time.sleep(_POLL)
    from jmap.build.layout import stop_engines

    stop_engines(_GRACE)
    os._exit(1)  # no results to send, no files to write: a worker only renders in memory
