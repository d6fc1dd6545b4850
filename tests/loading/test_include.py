"""Includes: personas and channels shared between journeys, each problem found in its own file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import jmap
from jmap.loading.includes import Tree, project_root
from jmap.loading.limits import Limits
from jmap.loading.loader import read
from tests.helpers import DATA, ROOT, run_cli

PROJECT = DATA / "include"

TOUCHPOINT = "stages:\n  - name: Visit\n    touchpoints:\n      - name: Looks around\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    """A project (its root marked by a jmap.toml) holding `files`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "jmap.toml").write_text("")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _journey(include: str, extra: str = "") -> str:
    return f"jmap: 1\ntitle: Visit\ninclude: {include}\n{extra}{TOUCHPOINT}"


def _validate(root: Path, monkeypatch: pytest.MonkeyPatch, journey: str) -> list[str]:
    """What `jmap validate` prints for one journey, run from the project root."""
    monkeypatch.chdir(root)
    result = run_cli(["validate", journey])
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout.splitlines()


# Resolving


def test_shared_personas_and_channels_come_first_and_touchpoints_use_them() -> None:
    journey = jmap.load(PROJECT / "journeys" / "checkout.yaml")
    assert [p.id for p in journey.personas] == ["maya", "sam-running-coach", "lee-gift-buyer"]
    assert journey.personas[0].goals == ["Find a trail shoe that fits first time"]
    assert [c.id for c in journey.channels] == ["website", "store"]
    checks_out, collects = journey.touchpoints()
    assert (checks_out.channel, checks_out.personas) == ("website", ["maya", "lee-gift-buyer"])
    assert checks_out.emotion == {"maya": 2, "lee-gift-buyer": 4}
    # No `personas:` on the touchpoint: every persona, the shared ones included.
    assert collects.personas == ["maya", "sam-running-coach", "lee-gift-buyer"]
    assert journey.include == ["../shared/personas.yaml"]


def test_a_file_included_twice_is_read_once() -> None:
    # returns.yaml includes channels.yaml itself and through personas.yaml.
    loaded = read(PROJECT / "journeys" / "returns.yaml")
    assert [c.id for c in loaded.journey.channels] == ["website", "store"]
    shared = PROJECT / "shared"
    assert [item.name for item in loaded.includes] == [
        str(shared / "personas.yaml"),
        str(shared / "channels.yaml"),
    ]
    assert all(re.fullmatch("[0-9a-f]{64}", item.digest) for item in loaded.includes)


def test_where_points_into_the_file_a_value_came_from() -> None:
    # What `jmap lint` uses to locate a finding.
    path = PROJECT / "journeys" / "checkout.yaml"
    loaded = read(path)
    personas = str(PROJECT / "shared" / "personas.yaml")
    assert loaded.path == str(path)
    assert loaded.where(("personas", 0, "name")) == (personas, 5, 11)
    assert loaded.where(("personas", 0, "name"), key=True) == (personas, 5, 5)
    assert loaded.where(("personas", 1)) == (personas, 8, 5)
    channels = str(PROJECT / "shared" / "channels.yaml")
    assert loaded.where(("channels", 1, "kind")) == (channels, 7, 11)
    # The journey's own persona comes after the shared ones and stays in the journey file.
    assert loaded.where(("personas", 2, "name")) == (str(path), 5, 11)
    assert loaded.where(("stages", 0, "touchpoints", 0, "channel")) == (str(path), 10, 18)


def test_one_file_needs_no_list_and_an_empty_include_includes_nothing(tmp_path: Path) -> None:
    _write(tmp_path, {"people.yaml": "personas: [{name: Maya}]\n"})
    (tmp_path / "one.yaml").write_text(_journey("people.yaml"))
    (tmp_path / "none.yaml").write_text(_journey(""))
    assert [p.id for p in jmap.load(tmp_path / "one.yaml").personas] == ["maya"]
    assert jmap.load(tmp_path / "none.yaml").personas == []


def test_loads_reads_includes_relative_to_the_path_it_is_given(tmp_path: Path) -> None:
    _write(tmp_path, {"shared/people.yaml": "personas: [{name: Maya}]\n"})
    text = _journey("../shared/people.yaml")
    journey = jmap.loads(text, path=str(tmp_path / "journeys" / "visit.yaml"))
    assert (journey.id, [p.id for p in journey.personas]) == ("visit", ["maya"])


def test_a_git_revision_reads_its_includes_from_the_same_tree() -> None:
    tree = {
        "journeys/visit.yaml": _journey("../shared/people.yaml").encode(),
        "shared/people.yaml": b"include: [more.yaml]\npersonas: [{name: Maya}]\n",
        "shared/more.yaml": b"personas:\n  - name: Sam\n    age: 40\n",
    }

    def files(path: str) -> Tree:
        return Tree(path, tree.get, lambda name: f"main:{name}")

    with pytest.raises(jmap.JourneyError) as raised:
        jmap.loads(tree["journeys/visit.yaml"], "visit.yaml", files=files("journeys/visit.yaml"))
    assert [str(problem) for problem in raised.value.problems] == [
        "main:shared/more.yaml:3:5: error: unknown field 'age'; allowed here: id, name,"
        " description, goals, needs, frustrations"
        " (included from main:shared/people.yaml:1:11, from main:journeys/visit.yaml:3:10)"
    ]
    tree["shared/more.yaml"] = b"personas: [{name: Sam}]\n"
    visit = files("journeys/visit.yaml")
    journey = jmap.loads(tree["journeys/visit.yaml"], "visit.yaml", files=visit)
    assert [p.id for p in journey.personas] == ["sam", "maya"]

    tree["journeys/escape.yaml"] = _journey("[../../outside.yaml, ../shared/gone.yaml]").encode()
    escape = files("journeys/escape.yaml")
    with pytest.raises(jmap.JourneyError) as raised:
        jmap.loads(tree["journeys/escape.yaml"], "escape.yaml", files=escape)
    assert [problem.message for problem in raised.value.problems] == [
        "include '../../outside.yaml' is outside the repository",
        "include '../shared/gone.yaml' is missing: there is no file main:shared/gone.yaml",
    ]


# Problems in included files


def test_an_error_two_includes_deep_is_reported_there_with_the_chain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _validate(PROJECT, monkeypatch, "deep/journey.yaml") == [
        "deep/second.yaml:4:11: error: kind must be one of digital, physical, human, other;"
        " got 'mobile' (included from deep/first.yaml:2:5, from deep/journey.yaml:3:11)",
        "1 journey checked: 0 valid, 1 invalid (1 error)",
    ]


def test_problems_of_the_journey_and_its_included_files_come_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "shared/people.yaml": "personas:\n  - name: Maya\n    goal: Fit\n",
            "shared/places.yaml": "channels:\n  - name: Web\n    kind: online\n",
            "x.yaml": _journey("[shared/people.yaml, shared/places.yaml]", "title2: t\n"),
        },
    )
    assert _validate(tmp_path, monkeypatch, "x.yaml") == [
        "shared/people.yaml:3:5: error: unknown field 'goal' (did you mean 'goals'?)"
        " (included from x.yaml:3:11)",
        "shared/places.yaml:3:11: error: kind must be one of digital, physical, human, other;"
        " got 'online' (included from x.yaml:3:31)",
        "x.yaml:4:1: error: unknown field 'title2' (did you mean 'title'?)",
        "1 journey checked: 0 valid, 1 invalid (3 errors)",
    ]


def test_a_duplicate_id_between_two_included_files_names_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "a.yaml": "personas:\n  - id: maya\n    name: Maya\n",
            "b.yaml": "personas:\n  - name: Sam\n  - id: maya\n    name: Maya too\n",
            "x.yaml": _journey("[a.yaml, b.yaml]"),
        },
    )
    assert _validate(tmp_path, monkeypatch, "x.yaml")[0] == (
        "b.yaml:3:9: error: duplicate persona id 'maya': first defined at a.yaml:2:9;"
        " remove one, or give one another `id:` (included from x.yaml:3:19)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "personas: []\nstages: []\n",
            "unknown field 'stages'; an included file holds only personas, channels and include",
        ),
        ("persona: []\n", "unknown field 'persona' (did you mean 'personas'?)"),
        (
            "jmap: 1\n",
            "an included file has no `jmap:` key (it marks a journey file); it holds only"
            " personas, channels and include",
        ),
    ],
)
def test_an_included_file_holds_only_personas_channels_and_include(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"shared.yaml": text, "x.yaml": _journey("shared.yaml")})
    line = 2 if text.startswith("personas") else 1
    assert _validate(tmp_path, monkeypatch, "x.yaml")[0] == (
        f"shared.yaml:{line}:1: error: {message} (included from x.yaml:3:10)"
    )


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (b"", "1:1", "the included file is empty; it should hold `personas:` or `channels:`"),
        (b"- name: Maya\n", "1:1", "an included file must be a mapping with `personas:`"),
        (b"personas: Maya\n", "1:11", "personas must be a list (one `- item` per line), got text"),
        (b"personas: [Maya\n", "2:1", "invalid YAML: expected ',' or ']', but got"),
        (b"personas: ['\xe9']\n", "1:13", "the file is not UTF-8 (byte 0xe9); save it as UTF-8"),
        (b"personas:\n  - name: Maya\n  - &a [*a]\n", "3:5", "an alias refers to a value"),
    ],
)
def test_an_included_file_that_cannot_be_read_is_reported_alone(
    text: bytes, where: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"x.yaml": _journey("shared.yaml", "colour: red\n")})
    (tmp_path / "shared.yaml").write_bytes(text)
    first, summary = _validate(tmp_path, monkeypatch, "x.yaml")
    # The journey's own unknown field is left for the next run: with the shared file unread,
    # its checks would only add false errors.
    assert first.startswith(f"shared.yaml:{where}: error: {message}")
    assert first.endswith(" (included from x.yaml:3:10)")
    assert summary == "1 journey checked: 0 valid, 1 invalid (1 error)"


def test_a_missing_include_two_levels_down_says_where_it_was_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "shared/people.yaml": "include: [place.yaml]\npersonas: []\n",
            "shared/places.yaml": "channels: []\n",
            "journeys/x.yaml": _journey("../shared/people.yaml"),
        },
    )
    assert _validate(tmp_path, monkeypatch, "journeys/x.yaml")[0] == (
        "shared/people.yaml:1:11: error: include 'place.yaml' is missing: there is no file"
        " shared/place.yaml (did you mean 'places.yaml'?)"
        " (included from journeys/x.yaml:3:10)"
    )


# Cycles, depth, escapes, limits


def test_a_cycle_through_two_files_is_reported_where_it_closes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "shared/a.yaml": "include: b.yaml\npersonas: [{name: Maya}]\n",
            "shared/b.yaml": "include: [../shared/a.yaml]\n",
            "x.yaml": _journey("shared/a.yaml"),
        },
    )
    assert _validate(tmp_path, monkeypatch, "x.yaml") == [
        "shared/b.yaml:1:11: error: include '../shared/a.yaml' makes a cycle:"
        " shared/a.yaml -> shared/b.yaml -> shared/a.yaml; a file cannot include itself,"
        " directly or through others (included from shared/a.yaml:1:10, from x.yaml:3:10)",
        "1 journey checked: 0 valid, 1 invalid (1 error)",
    ]


def test_a_shared_file_including_the_journey_is_a_cycle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"a.yaml": "include: x.yaml\n", "x.yaml": _journey("a.yaml")})
    assert _validate(tmp_path, monkeypatch, "x.yaml")[0] == (
        "a.yaml:1:10: error: include 'x.yaml' makes a cycle: x.yaml -> a.yaml -> x.yaml;"
        " a file cannot include itself, directly or through others (included from x.yaml:3:10)"
    )


def test_a_shared_file_including_itself_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"a.yaml": "include: ./a.yaml\n", "x.yaml": _journey("a.yaml")})
    assert _validate(tmp_path, monkeypatch, "x.yaml")[0] == (
        "a.yaml:1:10: error: include './a.yaml' is this file itself; a file cannot include"
        " itself (included from x.yaml:3:10)"
    )


def test_includes_nest_at_most_eight_levels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    levels = {f"l{n}.yaml": f"include: l{n + 1}.yaml\n" for n in range(1, 9)}
    _write(tmp_path, {**levels, "l9.yaml": "personas: []\n", "x.yaml": _journey("l1.yaml")})
    first = _validate(tmp_path, monkeypatch, "x.yaml")[0]
    assert first.startswith(
        "l8.yaml:1:10: error: include 'l9.yaml' nests includes more than 8 levels deep;"
        " include the shared files from fewer levels, or raise `limits.max_include_depth` in"
        " the project config (included from l7.yaml:1:10, from"
    )
    assert first.endswith(", from l1.yaml:1:10, from x.yaml:3:10)")
    (tmp_path / "l8.yaml").write_text("personas: []\n")
    assert _validate(tmp_path, monkeypatch, "x.yaml")[0] == "ok: x.yaml"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("../../etc/passwd", "is outside the project root 'project' (the folder with jmap.toml)"),
        ("/etc/passwd", "is an absolute path; write it relative to this file"),
        ("C:/Windows/win.ini", "is an absolute path; write it relative to this file"),
        ("../../outside.yaml", "is outside the project root 'project' (the folder with jmap.toml)"),
    ],
)
def test_an_include_cannot_leave_the_project(
    entry: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "outside.yaml").write_text("personas: [{name: Secret}]\n")
    project = _write(tmp_path / "project", {"journeys/x.yaml": _journey(f"'{entry}'")})
    monkeypatch.chdir(tmp_path)
    result = run_cli(["validate", "project/journeys/x.yaml"])
    assert result.stdout.splitlines()[0].startswith(
        f"project/journeys/x.yaml:3:10: error: include '{entry}' {message}"
    )
    assert project.is_dir()


def test_a_symbolic_link_cannot_lead_out_of_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.yaml").write_text("personas: [{name: Secret}]\n")
    project = _write(tmp_path / "project", {"shared/people.yaml": "personas: [{name: Maya}]\n"})
    (project / "link.yaml").symlink_to(tmp_path / "outside" / "secret.yaml")
    (project / "folder").symlink_to(tmp_path / "outside", target_is_directory=True)
    (project / "inside.yaml").symlink_to(project / "shared" / "people.yaml")
    (project / "loop.yaml").symlink_to(project / "loop.yaml")
    (project / "x.yaml").write_text(_journey("[link.yaml, folder/secret.yaml, loop.yaml]"))
    (project / "y.yaml").write_text(_journey("inside.yaml"))
    lines = _validate(project, monkeypatch, "x.yaml")
    outside = "is outside the project root '.' (the folder with jmap.toml)"
    assert lines[:2] == [
        f"x.yaml:3:11: error: include 'link.yaml' {outside}; an included file must be inside it",
        f"x.yaml:3:22: error: include 'folder/secret.yaml' {outside}; an included file must be"
        " inside it",
    ]
    assert lines[2].startswith("x.yaml:3:42: error: include 'loop.yaml' cannot be followed: ")
    assert [p.id for p in jmap.load(project / "y.yaml").personas] == ["maya"]


def test_an_entry_the_system_cannot_open_is_an_error_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, {"x.yaml": _journey('"shared\\0.yaml"')})
    assert _validate(tmp_path, monkeypatch, "x.yaml")[0] == (
        # The NUL is shown escaped: a message is one printable line.
        "x.yaml:3:10: error: include 'shared\\x00.yaml' cannot be followed: embedded null byte"
    )


def test_without_a_project_marker_includes_stay_in_the_journeys_folder(tmp_path: Path) -> None:
    folder = tmp_path / "journeys"
    folder.mkdir()
    assert project_root(folder)[1] is None, f"{tmp_path} is inside a project: set TMPDIR"
    (tmp_path / "people.yaml").write_text("personas: [{name: Maya}]\n")
    (folder / "x.yaml").write_text(_journey("../people.yaml"))
    with pytest.raises(jmap.JourneyError) as raised:
        jmap.load(folder / "x.yaml")
    (problem,) = raised.value.problems
    assert problem.message.endswith(
        "; to share files between folders, put a jmap.toml in the project's top folder"
    )
    (tmp_path / "jmap.toml").write_text("")
    assert [p.id for p in jmap.load(folder / "x.yaml").personas] == ["maya"]


def test_the_project_root_is_the_nearest_folder_with_a_marker(tmp_path: Path) -> None:
    deep = tmp_path / "repo" / "journeys" / "shop"
    deep.mkdir(parents=True)
    (tmp_path / "repo" / ".git").mkdir()
    assert project_root(deep) == ((tmp_path / "repo").resolve(), ".git")
    (tmp_path / "repo" / "journeys" / "pyproject.toml").write_text("")
    assert project_root(deep) == ((tmp_path / "repo" / "journeys").resolve(), "pyproject.toml")


def test_a_journey_and_its_includes_share_the_size_and_value_limits(tmp_path: Path) -> None:
    people = "personas:\n" + "".join(f"  - name: Person {n}\n" for n in range(200))
    _write(tmp_path, {"people.yaml": people, "x.yaml": _journey("people.yaml")})
    journey = tmp_path / "x.yaml"
    assert len(jmap.load(journey).personas) == 200
    size = journey.stat().st_size + len(people) - 1
    with pytest.raises(jmap.JourneyError) as raised:
        jmap.load(journey, Limits(max_file_bytes=size))
    assert [p.message for p in raised.value.problems] == [
        f"include 'people.yaml' makes the journey and its included files larger than {size:,}"
        " bytes, the limit; share smaller files, or raise `limits.max_file_bytes` in the"
        " project config"
    ]
    with pytest.raises(jmap.JourneyError) as raised:
        jmap.load(journey, Limits(max_nodes=600))
    (problem,) = raised.value.problems
    assert problem.path == str(tmp_path / "people.yaml")
    assert problem.message.startswith(
        "more than 600 values in the journey and its included files once aliases are expanded"
    )


# Builds, the portfolio, diffs, JSON


def _summary(lines: list[str]) -> tuple[int, int]:
    """(built, unchanged) from `N journeys in DIR: B built, U unchanged (...)`."""
    found = re.fullmatch(r"\d+ journeys in .+: (\d+) built(?:, (\d+) unchanged)? \(.*\)", lines[-1])
    assert found, lines[-1]
    return int(found[1]), int(found[2] or 0)


def _build(out: Path, *args: str) -> list[str]:
    result = run_cli(["build", "journeys", "-o", str(out), "-f", "json,md", *args])
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_changing_a_shared_file_rebuilds_only_the_journeys_that_include_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "shared/people.yaml": "include: places.yaml\npersonas: [{id: maya, name: Maya}]\n",
            "shared/places.yaml": "channels: [{id: web, name: Website}]\n",
            "shared/shops.yaml": "channels: [{id: store, name: Store}]\n",
            "journeys/a.yaml": _journey("../shared/people.yaml"),
            "journeys/b.yaml": _journey("[../shared/people.yaml]").replace("Visit", "B"),
            "journeys/c.yaml": _journey("../shared/shops.yaml").replace("Visit", "C"),
            "journeys/d.yaml": _journey("").replace("Visit", "D"),
        },
    )
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "maps"
    assert _summary(_build(out)) == (4, 0)
    assert _summary(_build(out)) == (0, 4)

    people = tmp_path / "shared" / "people.yaml"
    people.write_text(people.read_text().replace("name: Maya", "name: Maya Renamed"))
    lines = _build(out)
    assert _summary(lines) == (2, 2)
    assert [line.split(":")[0] for line in lines if line.startswith("built ")] == [
        "built journeys/a.yaml",
        "built journeys/b.yaml",
    ]
    assert json.loads((out / "a.json").read_text())["personas"][0]["name"] == "Maya Renamed"
    assert "Maya Renamed" in (out / "index.md").read_text()  # the portfolio page too
    assert _summary(_build(out)) == (0, 4)

    # A file included through another one counts as well.
    places = tmp_path / "shared" / "places.yaml"
    places.write_text(places.read_text().replace("Website", "Web shop"))
    assert _summary(_build(out)) == (2, 2)
    manifest = json.loads((out / ".jmap-manifest.json").read_text())["journeys"]
    assert manifest["../journeys/a.yaml"]["inputs"].keys() == {
        "../shared/people.yaml",
        "../shared/places.yaml",
    }
    assert "inputs" not in manifest["../journeys/d.yaml"]


def test_a_manifest_without_included_files_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As an older jmap wrote it: the journeys that include files are built once more.
    _write(
        tmp_path,
        {
            "shared.yaml": "personas: [{name: Maya}]\n",
            "journeys/a.yaml": _journey("../shared.yaml"),
            "journeys/b.yaml": _journey("").replace("Visit", "B"),
        },
    )
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "maps"
    _build(out)
    manifest = out / ".jmap-manifest.json"
    document = json.loads(manifest.read_text())
    for entry in document["journeys"].values():
        entry.pop("inputs", None)
    manifest.write_text(json.dumps(document))
    assert _summary(_build(out)) == (1, 1)
    assert _summary(_build(out)) == (0, 2)


def test_a_shared_file_that_is_gone_fails_the_journeys_that_include_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "shared.yaml": "personas: [{name: Maya}]\n",
            "journeys/a.yaml": _journey("../shared.yaml"),
        },
    )
    monkeypatch.chdir(tmp_path)
    _build(tmp_path / "maps")
    (tmp_path / "shared.yaml").unlink()
    result = run_cli(["build", "journeys", "-o", "maps", "-f", "json,md"])
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "journeys/a.yaml:3:10: error: include '../shared.yaml' is missing: there is no file"
        " shared.yaml"
    )


def test_diff_compares_the_resolved_journeys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(
        tmp_path,
        {
            "v1.yaml": "personas: [{id: sam, name: 'Sam, running coach'}]\n",
            "v2.yaml": "personas: [{id: sam, name: 'Sam, trail coach'}]\n",
            "old.yaml": _journey("v1.yaml"),
            "new.yaml": _journey("v2.yaml"),
        },
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli(["diff", "old.yaml", "new.yaml"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "renamed  Sam, running coach → Sam, trail coach" in result.stdout


def test_the_json_output_holds_the_resolved_journey_without_include(tmp_path: Path) -> None:
    result = run_cli(
        ["build", str(PROJECT / "journeys" / "checkout.yaml"), "-o", str(tmp_path), "-f", "json"]
    )
    assert result.exit_code == 0, result.stdout
    document = json.loads((tmp_path / "checkout.json").read_text())
    assert "include" not in document
    assert [p["id"] for p in document["personas"]] == [
        "maya",
        "sam-running-coach",
        "lee-gift-buyer",
    ]


def test_the_schema_knows_include() -> None:
    schema = json.loads(run_cli(["schema"]).stdout)
    assert {"type": "string", "minLength": 1} in schema["properties"]["include"]["anyOf"]


# The format reference


def _includes_section() -> str:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    return text.split("\n## Includes\n")[1].split("\n## ")[0]


def test_the_examples_of_the_includes_section_do_what_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    section = _includes_section()
    files = {}
    for block in re.findall(r"```yaml\n(.*?)```", section, re.DOTALL):
        name = block.splitlines()[0].removeprefix("# ")
        files[name] = block
    assert sorted(files) == [
        "journeys/checkout.yaml",
        "journeys/returns.yaml",
        "shared/broken.yaml",
        "shared/channels.yaml",
        "shared/personas.yaml",
    ]
    _write(tmp_path, files)
    journey = jmap.load(tmp_path / "journeys" / "checkout.yaml")
    assert [p.id for p in journey.personas] == ["maya", "sam", "lee-gift-buyer"]
    assert len(journey.channels) == 2
    shown = re.search(r"```text\n\$ jmap (.*?)\n(.*?)```", section, re.DOTALL)
    assert shown is not None
    monkeypatch.chdir(tmp_path)
    result = run_cli(shown[1].split())
    assert result.stdout == shown[2]
