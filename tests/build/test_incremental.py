"""Builds that scale: incremental, parallel, --check, --force, project config, killed builds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, journey_folder, run_cli


def _build(*args: str) -> list[str]:
    result = run_cli(["build", *args])
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_a_second_build_renders_nothing(tmp_path: Path) -> None:
    journey_folder(tmp_path / "j", 3)
    out = tmp_path / "maps"
    _build(str(tmp_path / "j"), "-o", str(out), "-f", "svg,md")
    before = _snapshot(out)
    lines = _build(str(tmp_path / "j"), "-o", str(out), "-f", "svg,md")
    assert lines[-1] == f"3 journeys in {out}: 0 built, 3 unchanged (0 files written)"
    assert [line for line in lines[:-1] if not line.startswith("lint: ")] == []
    assert _snapshot(out) == before


def test_an_edit_rebuilds_only_that_journey(tmp_path: Path) -> None:
    first, *_ = journey_folder(tmp_path / "j", 3)
    out = tmp_path / "maps"
    _build(str(tmp_path / "j"), "-o", str(out), "-f", "json")
    first.write_text(first.read_text().replace("Journey 0", "Journey zero"))
    lines = _build(str(tmp_path / "j"), "-o", str(out), "-f", "json")
    assert lines[0] == f"built {first}: {out / 'journey-000.json'}"
    assert lines[-1] == f"3 journeys in {out}: 1 built, 2 unchanged (1 file written)"
    assert json.loads((out / "journey-000.json").read_text())["title"] == "Journey zero"


def test_a_template_change_rebuilds_everything(tmp_path: Path) -> None:
    journey_folder(tmp_path / "j", 2)
    templates = tmp_path / "brand"
    templates.mkdir()
    (templates / "map.md.j2").write_text("# {{ view.journey.title }}\n")
    args = [str(tmp_path / "j"), "-o", str(tmp_path / "maps"), "-f", "md", "--templates"]
    _build(*args, str(templates))
    (templates / "map.md.j2").write_text("# ACME: {{ view.journey.title }}\n")
    assert _build(*args, str(templates))[-1].endswith(": 2 built (2 files written)")
    assert (tmp_path / "maps" / "journey-001.md").read_text() == "# ACME: Journey 1\n"


def test_outputs_of_a_deleted_journey_go_and_a_users_file_stays(tmp_path: Path) -> None:
    _, second = journey_folder(tmp_path / "j", 2)
    out = tmp_path / "maps"
    out.mkdir()
    (out / "notes.md").write_text("mine")
    (out / "journey-009.json").write_text("also mine: jmap never wrote it")
    _build(str(tmp_path / "j"), "-o", str(out), "-f", "json")
    second.unlink()
    lines = _build(str(tmp_path / "j"), "-o", str(out), "-f", "json")
    assert f"removed {out / 'journey-001.json'} (its journey is gone)" in lines
    names = sorted(path.name for path in out.iterdir())
    assert names == [".jmap-manifest.json", "journey-000.json", "journey-009.json", "notes.md"]


def test_a_renamed_id_removes_the_old_maps(tmp_path: Path) -> None:
    (first,) = journey_folder(tmp_path / "j", 1)
    out = tmp_path / "maps"
    _build(str(first), "-o", str(out), "-f", "json")
    first.write_text("jmap: 1\nid: renamed\n" + first.read_text().removeprefix("jmap: 1\n"))
    _build(str(first), "-o", str(out), "-f", "json")
    assert sorted(p.name for p in out.iterdir()) == [".jmap-manifest.json", "renamed.json"]


def test_building_one_journey_leaves_the_maps_of_others_alone(tmp_path: Path) -> None:
    first, second = journey_folder(tmp_path / "j", 2)
    out = tmp_path / "maps"
    _build(str(tmp_path / "j"), "-o", str(out), "-f", "json")
    _build(str(first), "-o", str(out), "-f", "json", "--force")
    assert (out / "journey-001.json").exists()
    assert _build(str(second), "-o", str(out), "-f", "json")[-1].endswith(
        "1 unchanged (0 files written)"
    )


def test_force_rebuilds_everything(tmp_path: Path) -> None:
    journey_folder(tmp_path / "j", 2)
    args = [str(tmp_path / "j"), "-o", str(tmp_path / "maps"), "-f", "json"]
    _build(*args)
    assert _build(*args, "--force")[-1].endswith(": 2 built (2 files written)")


def test_check_reports_missing_and_outdated_maps_and_writes_nothing(tmp_path: Path) -> None:
    first, _ = journey_folder(tmp_path / "j", 2)
    out = tmp_path / "maps"
    args = ["build", str(tmp_path / "j"), "-o", str(out), "-f", "json,md", "--check"]
    missing = run_cli(args)
    assert missing.exit_code == 1
    assert f"missing: {out / 'journey-000.json'} (from {first})" in missing.stdout
    assert not out.exists()
    _build(str(tmp_path / "j"), "-o", str(out), "-f", "json,md")
    current = run_cli(args)
    assert current.exit_code == 0, current.stdout
    assert current.stdout.splitlines()[-1].endswith("the maps in " + str(out) + " are current")
    first.write_text(first.read_text().replace("Sees ad", "Sees an ad"))
    before = _snapshot(out)
    stale = run_cli(args)
    assert stale.exit_code == 1
    assert f"out of date: {out / 'journey-000.json'} (from {first})" in stale.stdout
    assert f"out of date: {out / 'index.md'}" in stale.stdout
    assert "journey-001" not in stale.stdout
    assert _snapshot(out) == before


def test_parallel_and_serial_builds_write_the_same_bytes(tmp_path: Path) -> None:
    journey_folder(tmp_path / "j", 6)
    _build(str(tmp_path / "j"), "-o", str(tmp_path / "serial"), "-f", "svg,json", "-j", "1")
    _build(str(tmp_path / "j"), "-o", str(tmp_path / "parallel"), "-f", "svg,json", "-j", "2")
    serial = {p.name: p.read_bytes() for p in (tmp_path / "serial").iterdir()}
    parallel = {p.name: p.read_bytes() for p in (tmp_path / "parallel").iterdir()}
    serial.pop(".jmap-manifest.json")
    parallel.pop(".jmap-manifest.json")
    assert serial == parallel


def test_project_config_names_what_to_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey_folder(tmp_path / "journeys", 2)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.jmap]\npaths = ["journeys/*.yaml"]\n'
        'output = "site/maps"\nformats = ["json"]\n'
    )
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")  # found by walking up
    lines = _build()
    assert lines[-1] == f"2 journeys in {tmp_path / 'site' / 'maps'}: 2 built (2 files written)"
    assert _build("-f", "md", "-o", str(tmp_path / "other"))[-1].endswith("(3 files written)")


def test_unknown_config_key_is_reported_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "jmap.toml").write_text('paths = ["."]\noutputs = "maps"\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["build"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{tmp_path / 'jmap.toml'}:2:1: error: unknown key 'outputs' (did you mean 'output'?)\n"
    )


def test_invalid_toml_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "jmap.toml").write_text('formats = ["svg"]\npaths = ["a" "b"]\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["build"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'jmap.toml'}:2:14: error: invalid TOML: ")


@pytest.mark.slow
def test_a_killed_build_leaves_no_partial_file_and_the_next_repairs_it(tmp_path: Path) -> None:
    journey_folder(tmp_path / "j", 40)
    out = tmp_path / "maps"
    command = [sys.executable, "-m", "jmap", "build", str(tmp_path / "j"), "-o", str(out)]
    process = subprocess.Popen([*command, "-f", "svg,html,md", "-j", "1"], env={**os.environ})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.svg"))) < 5:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    # Every map there is complete: the files a killed build leaves are old or new, never half.
    for svg in out.glob("*.svg"):
        assert svg.read_text().rstrip().endswith("</svg>")
    for html in out.glob("*.html"):
        assert html.read_text().rstrip().endswith("</html>")
    manifest = out / ".jmap-manifest.json"
    if manifest.exists():
        for entry in json.loads(manifest.read_text())["journeys"].values():
            assert all((out / name).exists() for name in entry["outputs"])
    subprocess.run([*command, "-f", "svg,html,md", "-q"], check=True, capture_output=True)
    assert not list(out.glob(".*.tmp"))
    clean = tmp_path / "clean"
    subprocess.run(
        [*command[:-1], str(clean), "-f", "svg,html,md", "-q"], check=True, capture_output=True
    )
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.suffix != ".json"} == {
        p.name: p.read_bytes() for p in clean.iterdir() if p.suffix != ".json"
    }


def test_examples_rebuild_is_a_no_op(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The stale rules count on the date: the examples as of the day they were last reviewed.
    monkeypatch.setenv("JMAP_TODAY", "2026-12-02")
    _build("examples", "-o", str(tmp_path), "-f", "json,md")
    lines = _build("examples", "-o", str(tmp_path), "-f", "json,md")
    assert lines == [
        f"lint: 28 problems (0 errors, 0 warnings, 28 infos) in {len(EXAMPLES)} journeys;"
        " `jmap lint` shows them",
        f"{len(EXAMPLES)} journeys in {tmp_path}: 0 built, {len(EXAMPLES)} unchanged"
        " (0 files written)",
    ]


def test_check_notices_a_map_edited_by_hand(tmp_path: Path) -> None:
    journey_folder(tmp_path / "j", 1)
    out = tmp_path / "maps"
    _build(str(tmp_path / "j"), "-o", str(out), "-f", "md")
    (out / "journey-000.md").write_text("edited by hand\n")
    result = run_cli(["build", str(tmp_path / "j"), "-o", str(out), "-f", "md", "--check"])
    assert result.exit_code == 1
    assert f"out of date: {out / 'journey-000.md'}" in result.stdout


def test_a_journey_may_not_take_the_portfolio_pages_name(tmp_path: Path) -> None:
    (first, _) = journey_folder(tmp_path / "j", 2)
    first.write_text("jmap: 1\nid: index\n" + first.read_text().removeprefix("jmap: 1\n"))
    result = run_cli(["build", str(tmp_path / "j"), "-o", str(tmp_path / "maps"), "-f", "html"])
    assert result.exit_code == 1
    assert f"{first}:2:5: error: the id 'index' would overwrite the portfolio page" in result.stdout


def test_validate_without_paths_checks_what_the_config_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey_folder(tmp_path / "journeys", 2)
    (tmp_path / "elsewhere.yaml").write_text("jmap: 1\ntitle: not listed\n")
    (tmp_path / "jmap.toml").write_text('paths = ["journeys"]\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(["validate"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines()[-1] == "2 journeys checked: 2 valid"


def test_validate_journeys_only_skips_other_yaml(tmp_path: Path) -> None:
    (journey,) = journey_folder(tmp_path / "j", 1)
    compose = tmp_path / "docker-compose.yml"
    compose.write_text("services: {}\n")
    result = run_cli(["validate", "--journeys-only", str(journey), str(compose)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"ok: {journey}", "1 journey checked: 1 valid"]
    nothing = run_cli(["validate", "--journeys-only", str(compose)])
    assert (nothing.exit_code, nothing.stdout) == (0, "0 journeys checked: 0 valid\n")
