"""The release: `python -m build` makes an sdist and a wheel that `twine check` accepts, and the
wheel, installed in a clean virtual environment from the package index alone, carries everything
jmap needs (templates, fonts, the layout engine), not the checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from jmap import __version__
from tests.helpers import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel `python -m build` makes from it (so the sdist is complete)."""
    folder = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return folder


@pytest.mark.slow
def test_the_release_files_pass_twine_check_and_carry_one_version(dist: Path) -> None:
    (sdist,) = dist.glob("jmap-*.tar.gz")
    (wheel,) = dist.glob("jmap-*.whl")
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The version is written once, in jmap/__init__.py; the files are named and stamped by it.
    assert sdist.name == f"jmap-{__version__}.tar.gz"
    assert wheel.name.startswith(f"jmap-{__version__}-")
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"jmap-{__version__}.dist-info/METADATA").decode()
        entry_points = archive.read(f"jmap-{__version__}.dist-info/entry_points.txt").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    assert "jmap = jmap.mkdocs:JmapPlugin" in entry_points  # the MkDocs plugin's entry point
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"CHANGELOG.md", "action.yml", "README.md", "pyproject.toml"} <= names


@pytest.mark.slow
def test_installed_wheel_builds_the_examples(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("jmap-*.whl")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = [str(python), "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    # Only the package index: no --find-links, no checkout on the path.
    subprocess.run([*install, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True)
    # Run from a folder of its own, so nothing can come from the source tree.
    workdir = tmp_path / "work"
    shutil.copytree(ROOT / "examples", workdir / "examples")
    jmap = str(environment / "bin" / "jmap")
    version = subprocess.run([jmap, "--version"], capture_output=True, text=True, check=True)
    assert __version__ in version.stdout
    done = subprocess.run(
        [jmap, "build", "examples/", "-o", "maps"],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    built = {path.name for path in (workdir / "maps").iterdir() if not path.name.startswith(".")}
    for example in EXAMPLES:
        assert {f"{example.stem}.html", f"{example.stem}.md", f"{example.stem}.svg"} <= built
    assert {"index.html", "index.md"} <= built
    starter = subprocess.run(
        [jmap, "init", "new.yaml", "--template", "lifecycle"], cwd=workdir, check=False
    )
    assert starter.returncode == 0
