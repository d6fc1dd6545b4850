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
from collections.abc import Callable
from pathlib import Path

from jmap.errors import JmapError, UsageError

ENGINES = ("pure", "system")


class LayoutError(JmapError):
    """The layout engine failed on DOT that jmap produced: a bug to report, not a user error."""


def layout_engine(name: str) -> Callable[[str], str]:
    if name == "pure":
        return _runner([_pure_executable(), "-Kdot", "-Tsvg"], "graphviz-pure")
    if name == "system":
        dot = shutil.which("dot")
        if dot is None:
            raise UsageError(
                "--engine system needs Graphviz's `dot` on PATH, and there is none: install"
                " Graphviz (apt-get install graphviz, brew install graphviz, or"
                " https://graphviz.org/download/), or use the default --engine pure"
            )
        return _runner([dot, "-Tsvg"], "dot")
    raise UsageError(f"unknown layout engine '{name}'; choose one of {', '.join(ENGINES)}")


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


def _runner(command: list[str], label: str) -> Callable[[str], str]:
    def run(dot_source: str) -> str:
        done = subprocess.run(
            command, input=dot_source.encode("utf-8"), capture_output=True, check=False
        )
        if done.returncode != 0:
            # graphviz-pure can exit non-zero while still printing an SVG: never use it then.
            detail = done.stderr.decode("utf-8", "replace").strip()
            raise LayoutError(f"{label} failed to lay out the map: {detail}")
        return done.stdout.decode("utf-8")

    return run
