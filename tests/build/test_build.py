"""`jmap build` through the CLI and the API: what gets written, and what happens on errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import jmap
from jmap.build.run import BuildOptions, build
from tests.helpers import EXAMPLES, ROOT, run_cli

MINIMAL = "jmap: 1\ntitle: Buying shoes\nstages:\n  - name: Awareness\n    touchpoints:\n"
MINIMAL += "      - {name: Sees ad, emotion: 4}\n"


def test_default_build_writes_svg_html_and_md_for_every_example(tmp_path: Path) -> None:
    result = run_cli(["build", "examples", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    maps = {f"{e.stem}.{ext}" for e in EXAMPLES for ext in ("svg", "html", "md")}
    extra = {"index.html", "index.md", ".jmap-manifest.json", ".jmap-portfolio.json"}
    assert {path.name for path in tmp_path.iterdir()} == maps | extra
    assert result.stdout.splitlines()[-1] == (
        f"{len(EXAMPLES)} journeys in {tmp_path}: {len(EXAMPLES)} built"
        f" ({len(maps) + 2} files written)"
    )


def test_a_broken_journey_is_reported_and_the_others_still_build(tmp_path: Path) -> None:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    (journeys / "good.yaml").write_text(MINIMAL)
    (journeys / "bad.yaml").write_text(MINIMAL.replace("emotion: 4", "emotion: 9"))
    output = tmp_path / "maps"
    result = run_cli(["build", str(journeys), "-o", str(output), "-f", "json"])
    assert result.exit_code == 1
    assert f"{journeys / 'bad.yaml'}:6:34: error: emotion must be" in result.stdout
    assert sorted(path.name for path in output.iterdir()) == [".jmap-manifest.json", "good.json"]
    assert result.stdout.splitlines()[-1].endswith("1 built, 1 failed (1 file written)")


def test_two_journeys_with_one_id_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL.replace("jmap: 1\n", "jmap: 1\nid: shoes\n"))
    (tmp_path / "b.yaml").write_text(MINIMAL.replace("jmap: 1\n", "jmap: 1\nid: shoes\n"))
    result = run_cli(["build", str(tmp_path), "-o", str(tmp_path / "maps"), "-f", "json"])
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'b.yaml'}:2:5: error: journey id 'shoes' is also the id of"
        f" {tmp_path / 'a.yaml'}"
    ) in result.stdout


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["build", "examples", "-o", str(tmp_path), "-f", "svg,gif"])
    assert result.exit_code == 2
    assert (
        "unknown format 'gif'; choose from svg, html, md, mermaid, json, flow, dot, png, pdf"
        in result.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_system_engine_without_graphviz_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    maps = str(tmp_path / "maps")
    result = run_cli(["build", "examples", "-o", maps, "-f", "flow", "--engine", "system"])
    assert result.exit_code == 2
    assert "install Graphviz" in result.stderr
    assert "--engine pure" in result.stderr


def test_user_templates_come_before_the_built_in_ones(tmp_path: Path) -> None:
    templates = tmp_path / "brand"
    templates.mkdir()
    (templates / "map.md.j2").write_text("# ACME: {{ view.journey.title }}\n")
    output = tmp_path / "maps"
    args = ["build", str(EXAMPLES[0]), "-o", str(output), "-f", "md,html"]
    result = run_cli([*args, "--templates", str(templates)])
    assert result.exit_code == 0, result.stdout
    journey_id = EXAMPLES[0].stem
    title = jmap.load(EXAMPLES[0]).title
    assert (output / f"{journey_id}.md").read_text() == f"# ACME: {title}\n"
    assert "<html" in (output / f"{journey_id}.html").read_text()  # still the built-in one


def test_a_broken_user_template_writes_nothing_and_says_where(tmp_path: Path) -> None:
    templates = tmp_path / "brand"
    templates.mkdir()
    (templates / "map.md.j2").write_text("# {{ view.journey.title }\n")
    output = tmp_path / "maps"
    args = ["build", str(EXAMPLES[0]), "-o", str(output), "-f", "json,md"]
    result = run_cli([*args, "--templates", str(templates)])
    assert result.exit_code == 1
    assert "template error in map.md.j2, line 1" in result.stdout
    assert not output.exists() or list(output.iterdir()) == []


def test_missing_templates_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["build", "examples", "--templates", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'nope'}: error: no such templates folder\n"


@pytest.mark.slow
def test_cli_python_dash_m_and_api_write_identical_files(tmp_path: Path) -> None:
    formats = "svg,html,md,mermaid,json,dot"
    assert (
        run_cli(
            ["build", str(ROOT / "examples"), "-o", str(tmp_path / "cli"), "-f", formats]
        ).exit_code
        == 0
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jmap",
            "build",
            "examples",
            "-q",
            "-o",
            str(tmp_path / "m"),
            "-f",
            formats,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    options = BuildOptions(output=tmp_path / "api", formats=tuple(formats.split(",")))
    results = build([ROOT / "examples"], options).journeys
    assert all(not result.problems for result in results)
    # The maps, not the manifests: a manifest records how it was built (the CLI also lints).
    names = _maps(tmp_path / "cli")
    for folder in ("m", "api"):
        assert _maps(tmp_path / folder) == names
        for name in names:
            assert (tmp_path / folder / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()


def _maps(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.startswith("."))


def test_maps_get_ordinary_file_permissions(tmp_path: Path) -> None:
    assert run_cli(["build", str(EXAMPLES[0]), "-o", str(tmp_path), "-f", "json"]).exit_code == 0
    written = tmp_path / f"{EXAMPLES[0].stem}.json"
    assert written.stat().st_mode & 0o777 == 0o666 & ~_current_umask()


def _current_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
