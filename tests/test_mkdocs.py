"""The MkDocs plugin: real sites built by `mkdocs build`, with the default theme and with
Material, looked at in Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import Browser

import jmap
from tests.browser import visit
from tests.helpers import EXAMPLES, ROOT

EXAMPLE = EXAMPLES[0]  # b2b-software-purchase.yaml
TOUCHPOINTS = [touchpoint.name for touchpoint in jmap.load(EXAMPLE).stages[0].touchpoints]

PAGE = """\
# Our checkout

The journey as it is today:

```jmap
journeys/{name}
```

Text after the map.
"""


def plugin_entry_points(folder: Path) -> Path:
    """The entry points pyproject.toml declares, as an installed jmap has them: the shared
    development install may predate them, and MkDocs finds plugins only through them."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lines = [
        f"{name} = {target}" for name, target in declared["entry-points"]["mkdocs.plugins"].items()
    ]
    info = folder / "jmap_plugin_entry_points-0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: jmap-plugin-entry-points\nVersion: 0\n"
    )
    (info / "entry_points.txt").write_text("[mkdocs.plugins]\n" + "\n".join(lines) + "\n")
    return folder


def mkdocs_build(site: Path, theme: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    (site / "mkdocs.yml").write_text(
        f"site_name: Journeys\ntheme:\n  name: {theme}\n"
        "use_directory_urls: false\nplugins:\n  - jmap\n",
        encoding="utf-8",
    )
    extra = plugin_entry_points(tmp_path / "entry-points")
    python_path = os.pathsep.join(filter(None, [str(extra), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
        cwd=site,
        env={**os.environ, "PYTHONPATH": python_path},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def sample_site(folder: Path) -> Path:
    (folder / "journeys").mkdir(parents=True)
    shutil.copy(EXAMPLE, folder / "journeys" / EXAMPLE.name)
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text(PAGE.format(name=EXAMPLE.name), encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_a_site_shows_a_page_per_journey_and_the_embedded_map(
    theme: str, tmp_path: Path, browser: Browser
) -> None:
    site = sample_site(tmp_path / "project")
    built = mkdocs_build(site, theme, tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    stem = EXAMPLE.stem
    journey_page = site / "site" / "journeys" / f"{stem}.html"
    assert (site / "site" / "journeys" / "index.html").is_file()

    with visit(browser, journey_page) as seen:
        frame_element = seen.page.locator("iframe.jmap-map")
        box = frame_element.bounding_box()
        assert box is not None
        assert box["width"] > 300
        assert box["height"] > 300
        frame = frame_element.content_frame
        frame.locator("body").wait_for()
        text = " ".join(frame.locator("body").inner_text().split())
        assert all(name in text for name in TOUCHPOINTS), text[:500]
        screenshot = tmp_path / f"{theme}-journey.png"
        seen.page.screenshot(path=screenshot)

    with visit(browser, site / "site" / "index.html") as seen:
        svg = seen.page.locator("figure.jmap-map svg")
        box = svg.bounding_box()
        assert box is not None
        assert box["width"] > 300
        assert box["height"] > 100
        text = " ".join((svg.text_content() or "").split())
        assert all(name.split()[0] in text for name in TOUCHPOINTS), text[:500]
        assert "Text after the map." in seen.page.locator("body").inner_text()
        seen.page.screenshot(path=tmp_path / f"{theme}-embedded.png", full_page=True)


@pytest.mark.slow
def test_a_broken_journey_fails_the_build_with_its_location(tmp_path: Path) -> None:
    site = sample_site(tmp_path / "project")
    journey = site / "journeys" / EXAMPLE.name
    lines = journey.read_text("utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if "emotion:" in line)
    column = lines[row].index("emotion:") + len("emotion: ") + 1
    lines[row] = lines[row][: column - 1] + "9" + lines[row][column:].lstrip("0123456789")
    journey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    built = mkdocs_build(site, "mkdocs", tmp_path)
    assert built.returncode != 0
    assert f"journeys/{EXAMPLE.name}:{row + 1}:{column}: error: emotion" in built.stderr, (
        built.stderr
    )
    assert "Traceback" not in built.stderr


def test_jmap_imports_without_mkdocs(tmp_path: Path) -> None:
    blocker = tmp_path / "mkdocs"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('mkdocs is not installed')\n")
    done = subprocess.run(
        [sys.executable, "-c", "import jmap, jmap.cli, jmap.build.run; print('ok')"],
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")])},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout == "ok\n", done.stderr
