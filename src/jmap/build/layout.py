"""Layout engines: DOT source in, SVG text out.

`pure` (the default) runs the `graphviz-pure` executable installed with jmap from PyPI: a port
of Graphviz 16.1.0 that writes the same bytes on every platform, so maps do not change between
a laptop and CI. `system` runs the Graphviz `dot` found on PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jmap.errors import JmapError, UsageError

ENGINES = ("pure", "system")


class LayoutError(JmapError):
    """The layout engine failed on DOT that jmap produced: a bug to report, not a user error."""


def layout_engine(name: str) -> Layout:
    if name == "pure":
        return Layout([_pure_executable(), "-Kdot", "-Tsvg"], "graphviz-pure")
    if name == "system":
        dot = shutil.which("dot")
        if dot is None:
            raise UsageError(
                "--engine system needs Graphviz's `dot` on PATH, and there is none: install"
                " Graphviz (apt-get install graphviz, brew install graphviz, or"
                " https://graphviz.org/download/), or use the default --engine pure"
            )
        return Layout([dot, "-Tsvg"], "dot")
    raise UsageError(f"unknown layout engine '{name}'; choose one of {', '.join(ENGINES)}")


class Layout:
    """DOT source in, SVG text out, through one engine executable.

    Called with one DOT source, it runs the engine once. `prepare` lays out many maps in one
    run of the engine first (both engines take several files and write `NAME.svg` beside
    each, the same bytes as one file on stdin): a build of many journeys saves a process start
    and a fresh heap per map, a fifth of graphviz-pure's time. The calls that follow find
    their SVG ready.
    """

    def __init__(self, command: list[str], label: str) -> None:
        self.command = command
        self.label = label
        self._ready: dict[str, str] = {}  # DOT source -> its SVG, laid out by `prepare`

    def __call__(self, dot_source: str) -> str:
        ready = self._ready.pop(dot_source, None)
        return ready if ready is not None else self._one(dot_source)

    def prepare(self, dot_sources: list[str]) -> None:
        """Lay these out in one run of the engine, for the calls to come."""
        waiting = list(dict.fromkeys(dot for dot in dot_sources if dot not in self._ready))
        if len(waiting) < 2:
            return  # one map gains nothing from a folder of files
        with _temporary_folder() as folder:
            files = [Path(folder, f"{number}.dot") for number in range(len(waiting))]
            for file, dot_source in zip(files, waiting, strict=True):
                file.write_bytes(dot_source.encode("utf-8"))
            returncode, _, _ = _run([*self.command, "-O", *map(str, files)])
            if returncode != 0:
                return  # each map is laid out alone when asked for: the one that fails says why
            laid_out = {}
            for file, dot_source in zip(files, waiting, strict=True):
                try:
                    laid_out[dot_source] = file.with_name(file.name + ".svg").read_bytes()
                except OSError:
                    return
        self._ready.update((dot, svg.decode("utf-8")) for dot, svg in laid_out.items())

    def forget(self) -> None:
        """Drop maps prepared but never asked for (their journeys failed before layout)."""
        self._ready.clear()

    def _one(self, dot_source: str) -> str:
        returncode, stdout, stderr = _run(self.command, dot_source.encode("utf-8"))
        if returncode != 0:
            # graphviz-pure can exit non-zero while still printing an SVG: never use it then.
            detail = stderr.decode("utf-8", "replace").strip()
            raise LayoutError(f"{self.label} failed to lay out the map: {detail}")
        return stdout.decode("utf-8")


# The engines this process runs, and the temporary folders of DOT files it has, so that a build
# worker whose build has died (jmap.build.workers) stops them before it exits: an engine left
# running would lay out maps nobody reads, and its folder would stay in the temporary folder.
_engines = threading.Condition()
_running: set[subprocess.Popen[bytes]] = set()
_folders = 0  # temporary folders not yet removed
_stopped = False


def stop_engines(grace: float) -> None:
    """Kill the engines this process runs and start no more; wait up to `grace` seconds for
    their temporary folders to be removed (the thread using each removes it)."""
    global _stopped
    with _engines:
        _stopped = True
        for process in _running:
            process.kill()
        _engines.wait_for(lambda: _folders == 0, timeout=grace)


def _run(command: list[str], source: bytes | None = None) -> tuple[int, bytes, bytes]:
    """Run the engine: its exit code, output and errors. `subprocess.run`, but stoppable."""
    with _engines:
        if _stopped:
            raise LayoutError("the build that asked for this layout has ended")
        process = subprocess.Popen(
            command,
            stdin=None if source is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        _running.add(process)
    try:
        with process:
            try:
                stdout, stderr = process.communicate(source)
            except BaseException:
                process.kill()  # as subprocess.run does: Ctrl-C leaves no engine running
                raise
    finally:
        with _engines:
            _running.discard(process)
    return process.returncode, stdout, stderr


@contextmanager
def _temporary_folder() -> Iterator[str]:
    global _folders
    with _engines:
        _folders += 1
    try:
        with tempfile.TemporaryDirectory(prefix="jmap-layout-") as folder:
            yield folder
    finally:
        with _engines:
            _folders -= 1
            _engines.notify_all()


def _pure_executable() -> str:
    name = "graphviz-pure.exe" if sys.platform == "win32" else "graphviz-pure"
    beside_python = Path(sysconfig.get_path("scripts")) / name
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("graphviz-pure")
    if found is None:
        raise UsageError(
            "the graphviz-pure layout engine is missing; reinstall jmap"
            " (pip install --force-reinstall jmap) or use --engine system"
        )
    return found
