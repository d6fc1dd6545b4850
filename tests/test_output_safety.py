"""No id, manifest, include or config value makes jmap write or delete outside the output folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import jmap
from jmap.build import BuildOptions, build
from jmap.errors import JmapError
from jmap.write import inside, is_device_name
from tests.helpers import run_cli

JOURNEY = "jmap: 1\ntitle: Visit\nstages:\n  - name: Visit\n    touchpoints: [{name: Looks}]\n"


def _messages(text: str, path: str = "j.yaml") -> list[str]:
    try:
        jmap.loads(text, path=path)
    except jmap.JourneyError as error:
        return [str(problem) for problem in error.problems]
    return []


# Names


@pytest.mark.parametrize(
    "name",
    ["../victim.txt", "/tmp/x.svg", "a/b.svg", "a\\b.svg", "..", ".", "", "c:x.svg", "x\0.svg"],
)
def test_only_plain_file_names_are_written_or_deleted(name: str, tmp_path: Path) -> None:
    with pytest.raises(JmapError) as raised:
        inside(tmp_path, name)
    assert str(raised.value) == (
        f"refusing to write or delete '{name}': it is not a file in {tmp_path}"
    )
    assert inside(tmp_path, "shoe-purchase.svg") == tmp_path / "shoe-purchase.svg"


@pytest.mark.parametrize("name", ["con", "PRN", "aux.svg", "Nul.html", "com1", "lpt9.md"])
def test_windows_device_names_are_recognised(name: str) -> None:
    assert is_device_name(name)


@pytest.mark.parametrize("name", ["console", "con-tour", "com10", "lpt0", "auxiliary", "index"])
def test_names_that_only_start_like_a_device_are_fine(name: str) -> None:
    assert not is_device_name(name)


def test_a_journey_id_that_windows_reserves_is_refused_at_the_id() -> None:
    text = "jmap: 1\ntitle: Visit\nid: aux\nstages: [{name: A}]\n"
    assert _messages(text) == [
        "j.yaml:3:5: error: the id 'aux' is a name Windows reserves for a device: no file there"
        " can be called aux.svg; choose another id"
    ]
    assert _messages(text.replace("aux", "aux-desk")) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows cannot create such a file")
def test_a_journey_named_like_a_device_is_refused_at_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "COM1.yaml"
    path.write_text(JOURNEY)
    result = run_cli(["build", str(path), "-o", str(tmp_path / "maps")])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{path}:1:1: error: the file name 'COM1' gives the id 'com1', a name Windows reserves"
        " for a device: no file there can be called com1.svg; add an `id:`"
    )
    assert not (tmp_path / "maps").exists()


def test_ids_cannot_hold_a_path_or_capitals() -> None:
    for written in ("../escape", "/tmp/x", "a/b", "A", "x\\y"):
        (message,) = _messages(f"jmap: 1\ntitle: t\nid: '{written}'\nstages: [{{name: A}}]\n")
        assert f"id '{written}' is not a valid id" in message


# The manifest


def test_a_tampered_manifest_cannot_make_a_build_delete_elsewhere(tmp_path: Path) -> None:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    (journeys / "visit.yaml").write_text(JOURNEY)
    out = tmp_path / "project" / "maps"
    options = BuildOptions(output=out, formats=("json",))
    build([journeys], options)
    victims = [
        tmp_path / "project" / "victim.txt",
        tmp_path / "absolute-victim.txt",
        tmp_path / "victim-through-a-folder.txt",
    ]
    for victim in victims:
        victim.write_text("keep me\n")
    (out / "sub").mkdir()
    mine = out / "notes.txt"  # a user's file in the output folder: never jmap's to delete
    mine.write_text("mine\n")
    names = [
        "../victim.txt",
        str(victims[1]),
        "sub/../../../victim-through-a-folder.txt",
        "..\\victim.txt",
        ".jmap-manifest.json",
    ]
    manifest = out / ".jmap-manifest.json"
    document = json.loads(manifest.read_text())
    document["remove"] = names
    # A journey that is gone: a build removes the outputs the manifest says it made.
    document["journeys"]["../../journeys/gone.yaml"] = {
        "key": "0",
        "id": "gone",
        "outputs": dict.fromkeys(names, "0"),
    }
    manifest.write_text(json.dumps(document))

    report = build([journeys], options)

    assert not report.failed
    assert report.removed == []
    assert all(victim.read_text() == "keep me\n" for victim in victims)
    assert mine.read_text() == "mine\n"
    written = json.loads(manifest.read_text())
    assert list(written["journeys"]) == ["../../journeys/visit.yaml"]
    assert "remove" not in written
    assert sorted(path.name for path in out.iterdir()) == [
        ".jmap-manifest.json",
        "notes.txt",
        "sub",
        "visit.json",
    ]


# Includes and the project config


def test_a_config_cannot_make_an_include_leave_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.yaml").write_text("personas: [{name: Outsider}]\n")
    project = tmp_path / "project"
    (project / "journeys").mkdir(parents=True)
    # The config names places outside the project; includes still stop at its root.
    (project / "jmap.toml").write_text(
        'paths = ["journeys"]\noutput = "../maps"\n\n[limits]\nmax_include_depth = 100\n'
    )
    journey = project / "journeys" / "visit.yaml"
    journey.write_text(JOURNEY.replace("stages:", "include: ../../secret.yaml\nstages:"))
    monkeypatch.chdir(project)
    result = run_cli(["build"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{Path('journeys') / 'visit.yaml'}:3:10: error: include '../../secret.yaml' is outside"
        f" the project root '.' (the folder with jmap.toml); an included file must be inside it"
    )
    assert not (tmp_path / "maps").exists()


def test_an_output_folder_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "visit.yaml").write_text(JOURNEY)
    (tmp_path / "maps").write_text("not a folder\n")
    result = run_cli(["build", str(tmp_path / "visit.yaml"), "-o", str(tmp_path / "maps")])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {tmp_path / 'maps'}: is a file, not a folder for the maps\n",
    )
    assert (tmp_path / "maps").read_text() == "not a folder\n"


def test_an_output_folder_inside_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "visit.yaml").write_text(JOURNEY)
    (tmp_path / "notes.txt").write_text("a file\n")
    out = tmp_path / "notes.txt" / "maps"
    result = run_cli(["build", str(tmp_path / "visit.yaml"), "-o", str(out)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {out}: cannot write the maps there: Not a directory\n",
    )
