"""`jmap import` of Mermaid journeys: real-world-like diagrams become journeys that validate."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jmap.loading.loader import load
from jmap.model import Journey
from jmap.view import journey_view
from tests.helpers import DATA, EXAMPLES, run_cli
from tests.mermaid_check import MermaidPage

FIXTURES = DATA / "import"


def imported(tmp_path: Path, name: str, *args: str) -> tuple[Journey, str]:
    source = tmp_path / name
    shutil.copy(FIXTURES / name, source)
    result = run_cli(["import", str(source), *args])
    assert result.exit_code == 0, result.stdout + result.stderr
    return load(source.with_suffix(".yaml")), result.stderr


def test_sections_tasks_actors_and_scores(tmp_path: Path) -> None:
    journey, warnings = imported(tmp_path, "working-day.mmd")
    assert warnings == ""
    assert journey.title == "My working day"
    assert [p.name for p in journey.personas] == ["Me", "Cat"]
    assert [s.name for s in journey.stages] == ["Go to work", "Go home"]
    work = journey.stages[0].touchpoints
    assert [(t.name, t.personas, t.emotion) for t in work] == [
        ("Make tea", ["me"], 5),
        ("Go upstairs", ["me"], 3),
        ("Do work", ["me", "cat"], 1),
    ]


def test_what_real_diagrams_hold_does_not_stop_an_import(tmp_path: Path) -> None:
    journey, warnings = imported(tmp_path, "onboarding-nps.mmd")
    assert journey.title == "Onboarding (front matter)"
    assert journey.description == (
        "How a new customer gets from sign-up to the first invoice, scored 0-10 in interviews."
    )
    assert [s.name for s in journey.stages] == ["Start", "Step 1: Sign up", "Step 2: First use"]
    names = [t.name for t in journey.touchpoints()]
    assert names[2] == "Confirms the email #1"  # an entity, then a `#` comment
    # 0-10: 1 + score x 4 / 10, rounded half up: 7 -> 4, 8 -> 4, 4 -> 3, 2 -> 2, 9 -> 5.
    assert [t.emotion for t in journey.touchpoints()] == [4, 4, 3, 2, 5]
    source = str(tmp_path / "onboarding-nps.mmd")
    lines = warnings.splitlines()
    assert f"{source}:12:3: warning: a task before the first section" in lines[0]
    assert lines[1].startswith(f"{source}:12:19: warning: score 7 of 'Hears about us' is outside")
    assert lines[2].startswith(f"{source}:14:25: warning: score 8 of 'Creates an account'")
    assert len(lines) == 4  # 7, 8 and 9 are outside 1-5; 4 and 2 are not
    assert all("0-10 scale" in line for line in lines[1:])


def test_cjk_names_get_ids_and_keep_their_names(tmp_path: Path) -> None:
    journey, _ = imported(tmp_path, "店舗.mmd")
    assert journey.title == "店舗での購入体験"
    assert [(p.id, p.name) for p in journey.personas] == [
        ("persona-1", "顧客"),
        ("persona-2", "店員"),
    ]
    assert [s.id for s in journey.stages] == ["stage-1", "stage-2"]
    last = list(journey.touchpoints())[-1]
    assert (last.name, last.emotion, last.personas) == (
        "ポイントカード",
        4,
        ["persona-1", "persona-2"],
    )


def test_every_journey_block_of_a_markdown_file(tmp_path: Path) -> None:
    source = tmp_path / "README.md"
    shutil.copy(FIXTURES / "README.md", source)
    result = run_cli(["import", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    first, second = (
        load(tmp_path / "out" / "README-1.yaml"),
        load(tmp_path / "out" / "README-2.yaml"),
    )
    assert (first.title, second.title) == ("Calling support", "Chat support")
    assert [t.name for t in second.touchpoints()] == ["Opens the chat", "Gets an answer"]


def test_syntax_errors_at_their_line_and_column(tmp_path: Path) -> None:
    source = tmp_path / "broken.mmd"
    shutil.copy(FIXTURES / "broken.mmd", source)
    # A real process: the exit code and the streams a shell sees, and no traceback.
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "import", str(source)], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{source}:5:21: error: task 'Reads the prices' has no score; write it as"
        " `<task>: <score>: <actors>`, e.g. `Make tea: 5: Me`",
        f"{source}:6:11: error: score 'lots' of task 'Pays' is not a number from 1 to 5 (or 0"
        " to 10); write e.g. `Make tea: 5: Me`",
    ]
    assert not source.with_suffix(".yaml").exists()


def test_not_a_journey(tmp_path: Path) -> None:
    source = tmp_path / "flow.mmd"
    source.write_text("%% a flow\nflowchart LR\n  A --> B\n", encoding="utf-8")
    result = run_cli(["import", str(source)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"{source}:2:1: error: not a Mermaid journey: the diagram starts with 'flowchart';"
        " a journey's first line is `journey`\n"
    )


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    source = tmp_path / "working-day.mmd"
    shutil.copy(FIXTURES / "working-day.mmd", source)
    target = tmp_path / "working-day.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = run_cli(["import", str(source)])
    assert result.exit_code == 2
    assert result.stderr == f"{target}: error: already exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert run_cli(["import", str(source), "--force"]).exit_code == 0
    assert load(target).title == "My working day"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_jmaps_own_mermaid_comes_back(tmp_path: Path, example: Path) -> None:
    """A journey drawn as Mermaid by `jmap build` imports back with its stages, touchpoint
    names, persona names and every persona's emotion (what the diagram can carry)."""
    original = load(example)
    assert run_cli(["build", str(example), "-f", "mermaid", "-o", str(tmp_path)]).exit_code == 0
    diagram = tmp_path / f"{original.id}.mmd"
    result = run_cli(["import", str(diagram), "-o", str(tmp_path / "back.yaml")])
    assert result.exit_code == 0, result.stderr
    back = load(tmp_path / "back.yaml")
    assert back.title == original.title

    def felt(journey: Journey) -> list[tuple[str, dict[str, int]]]:
        names = {p.id: p.name for p in journey.personas}
        rows = []
        for tp in journey.touchpoints():
            if tp.emotion is None:
                continue  # not drawn: Mermaid needs a score
            if isinstance(tp.emotion, dict):
                scores = {names[p]: s for p, s in tp.emotion.items()}
            else:
                scores = {names[p]: tp.emotion for p in tp.personas or []} or {"": tp.emotion}
            rows.append((tp.name, scores))
        return rows

    if journey_view(original).has_branches:
        # The diagram follows the paths, so the order of the file is not kept.
        assert sorted(felt(back)) == sorted(felt(original))
    else:
        assert felt(back) == felt(original)


@pytest.mark.parametrize("name", ["working-day.mmd", "店舗.mmd"])
def test_read_as_mermaid_reads_it(tmp_path: Path, name: str, mermaid: MermaidPage) -> None:
    drawn = mermaid.draw((FIXTURES / name).read_text(encoding="utf-8"))
    journey, _ = imported(tmp_path, name)
    names = {p.id: p.name for p in journey.personas}
    assert [s.name for s in journey.stages] == drawn.sections
    assert [t.name for t in journey.touchpoints()] == drawn.tasks
    assert [t.emotion for t in journey.touchpoints()] == drawn.scores
    everyone = list(names.values())
    actors = [[names[p] for p in t.personas or []] for t in journey.touchpoints()]
    # A task without actors is everyone's in jmap.
    assert [a or everyone for a in drawn.actors] == [a or everyone for a in actors]


def test_the_modeline_points_at_the_projects_copy_of_the_schema(tmp_path: Path) -> None:
    # A project that keeps the schema gets a modeline an editor can follow offline.
    (tmp_path / "pyproject.toml").write_text("[tool.jmap]\n", encoding="utf-8")
    assert run_cli(["schema", "-o", str(tmp_path / "schema" / "jmap.schema.json")]).exit_code == 0
    (tmp_path / "journeys").mkdir()
    source = tmp_path / "journeys" / "working-day.mmd"
    shutil.copy(FIXTURES / "working-day.mmd", source)
    assert run_cli(["import", str(source)]).exit_code == 0
    text = source.with_suffix(".yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/jmap.schema.json"


def test_no_modeline_where_the_project_keeps_no_schema(tmp_path: Path) -> None:
    # The schema's `$id` is a name, not an address: an editor would fail to fetch it.
    (tmp_path / "pyproject.toml").write_text("[tool.jmap]\n", encoding="utf-8")
    source = tmp_path / "working-day.mmd"
    shutil.copy(FIXTURES / "working-day.mmd", source)
    assert run_cli(["import", str(source)]).exit_code == 0
    assert "yaml-language-server" not in source.with_suffix(".yaml").read_text(encoding="utf-8")
