"""The wheel carries everything jmap needs: templates and the layout engine, not the checkout."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, ROOT


@pytest.mark.slow
def test_installed_wheel_builds_an_example(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(dist), str(ROOT)], check=True)
    (wheel,) = dist.glob("jmap-*.whl")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = [str(python), "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    subprocess.run([*install, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True)
    # Run from an empty folder, so nothing can come from the source tree.
    workdir = tmp_path / "work"
    workdir.mkdir()
    done = subprocess.run(
        [str(environment / "bin" / "jmap"), "build", str(EXAMPLES[0]), "-o", "maps"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    maps = (workdir / "maps").iterdir()
    built = sorted(path.name for path in maps if not path.name.startswith("."))
    stem = EXAMPLES[0].stem
    assert built == [f"{stem}.html", f"{stem}.md", f"{stem}.svg"]
    starter = subprocess.run(
        [str(environment / "bin" / "jmap"), "init", "new.yaml", "--template", "lifecycle"],
        cwd=workdir,
        check=False,
    )
    assert starter.returncode == 0
