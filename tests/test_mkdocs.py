"""The MkDocs plugin: real sites built by `mkdocs build`, with the default theme and with
Material, looked at in Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
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


def write_mkdocs_yml(site: Path, theme: str = "mkdocs", plugin: str = "  - jmap\n") -> None:
    (site / "mkdocs.yml").write_text(
        f"site_name: Journeys\ntheme:\n  name: {theme}\n"
        "use_directory_urls: false\nplugins:\n" + plugin,
        encoding="utf-8",
    )


def mkdocs_build(
    site: Path, theme: str, plugin: str = "  - jmap\n"
) -> subprocess.CompletedProcess[str]:
    write_mkdocs_yml(site, theme, plugin)
    # MkDocs finds the plugin through the entry point the installed jmap declares.
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"],
        cwd=site,
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
    built = mkdocs_build(site, theme)
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
    built = mkdocs_build(site, "mkdocs")
    assert built.returncode != 0
    assert f"journeys/{EXAMPLE.name}:{row + 1}:{column}: error: emotion" in built.stderr, (
        built.stderr
    )
    assert "Traceback" not in built.stderr


PROJECT = """\
[tool.jmap]
paths = ["flows"]
lang = "de"

[tool.jmap.theme]
accent = "#6d28d9"
"""


def project_site(folder: Path) -> Path:
    """A site whose journeys are where its [tool.jmap] says, not in journeys/."""
    site = sample_site(folder)
    (site / "journeys").rename(site / "flows")
    page = PAGE.format(name=EXAMPLE.name).replace("journeys/", "flows/")
    (site / "docs" / "index.md").write_text(page, encoding="utf-8")
    (site / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
    return site


@pytest.mark.slow
def test_the_plugin_reads_the_project_configuration(tmp_path: Path) -> None:
    site = project_site(tmp_path / "project")
    built = mkdocs_build(site, "mkdocs")
    assert built.returncode == 0, built.stdout + built.stderr
    map_page = (site / "site" / "journeys" / f"{EXAMPLE.stem}.map.html").read_text("utf-8")
    assert '<html lang="de"' in map_page
    assert "#6d28d9" in map_page, "the project's theme"
    embedded = (site / "site" / "index.html").read_text("utf-8")
    assert "Kundenziel" in embedded or "Tiefpunkt" in embedded, "the SVG map, in German"


@pytest.mark.slow
def test_the_plugins_own_options_win_over_the_project(tmp_path: Path) -> None:
    site = project_site(tmp_path / "project")
    (site / "brand.toml").write_text('accent = "#9d174d"\n', encoding="utf-8")
    plugin = "  - jmap:\n      lang: fr\n      theme: brand.toml\n"
    built = mkdocs_build(site, "mkdocs", plugin)
    assert built.returncode == 0, built.stdout + built.stderr
    map_page = (site / "site" / "journeys" / f"{EXAMPLE.stem}.map.html").read_text("utf-8")
    assert '<html lang="fr"' in map_page
    assert "#9d174d" in map_page
    assert "#6d28d9" not in map_page

    broken = mkdocs_build(site, "mkdocs", "  - jmap:\n      lang: dx\n")
    assert broken.returncode != 0
    assert "mkdocs.yml: error: plugins: jmap: lang: unknown language 'dx'" in broken.stderr
    assert "Traceback" not in broken.stderr
    broken = mkdocs_build(site, "mkdocs", "  - jmap:\n      paths: [nowhere]\n")
    assert broken.returncode != 0
    assert "nowhere: error: no such file or directory" in broken.stderr, broken.stderr
    assert "Traceback" not in broken.stderr
    (site / "pyproject.toml").write_text(PROJECT.replace('"de"', '"xx"'), encoding="utf-8")
    broken = mkdocs_build(site, "mkdocs")
    assert broken.returncode != 0
    assert "pyproject.toml:3:1: error: unknown language 'xx'" in broken.stderr, broken.stderr
    assert "Traceback" not in broken.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return str(answer.read().decode("utf-8"))
    except OSError:
        return None


def wait_for(url: str, text: str, process: subprocess.Popen[str], seconds: float) -> str:
    deadline = time.monotonic() + seconds
    page = None
    while time.monotonic() < deadline:
        assert process.poll() is None, "mkdocs serve stopped"
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    pytest.fail(f"{url} never showed {text!r}; last:\n{(page or '')[:500]}")


@pytest.mark.slow
def test_mkdocs_serve_rebuilds_when_a_journey_changes(tmp_path: Path) -> None:
    site = project_site(tmp_path / "project")
    write_mkdocs_yml(site, plugin="  - jmap:\n      paths: [flows]\n")
    port = free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/journeys/{EXAMPLE.stem}.map.html"
        title = jmap.load(EXAMPLE).title
        wait_for(url, title, process, 120)
        journey = site / "flows" / EXAMPLE.name
        text = journey.read_text("utf-8")
        journey.write_text(text.replace("\ntitle: ", "\ntitle: Revised ", 1), encoding="utf-8")
        wait_for(url, f"Revised {title}", process, 60)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


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
