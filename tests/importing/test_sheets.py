"""`jmap import` of spreadsheets and `jmap export --format csv|xlsx`: one row per touchpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jmap.loading.loader import load
from jmap.model import Journey
from tests.helpers import EXAMPLES, run_cli


def layout(journey: Journey) -> list[dict[str, Any]]:
    """What the spreadsheet layout holds of each touchpoint, by name rather than id."""
    persona = {p.id: p.name for p in journey.personas}
    channel = {c.id: c.name for c in journey.channels}
    everyone = [p.id for p in journey.personas]
    rows = []
    for stage in journey.stages:
        for tp in stage.touchpoints:
            emotion = tp.emotion
            if isinstance(emotion, dict):
                emotion = {persona[p]: score for p, score in emotion.items()}
            texts = {
                field: [getattr(i, "text", None) or getattr(i, "name", None) for i in items]
                for field in ("pain_points", "opportunities", "backstage", "physical_evidence",
                              "frontstage", "support_processes", "evidence", "kpis")
                if (items := getattr(tp, field))
            }  # fmt: skip
            rows.append(
                {
                    "stage": stage.name,
                    "name": tp.name,
                    "description": tp.description,
                    "channel": [channel[c] for c in tp.channel_ids()],
                    "personas": None
                    if tp.personas == everyone
                    else [persona[p] for p in tp.personas or []],
                    "emotion": emotion,
                    "owned": [
                        (kind, persona.get(i.persona or ""), i.text)
                        for kind in ("actions", "thoughts")
                        for i in getattr(tp, kind)
                    ],
                    "duration": tp.duration and tp.duration.text,
                    "wait": tp.wait and tp.wait.text,
                    **texts,
                }
            )
    return rows


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_round_trip_keeps_every_field_of_the_layout(
    tmp_path: Path, example: Path, kind: str
) -> None:
    sheet = tmp_path / f"sheet.{kind}"
    result = run_cli(["export", "--format", kind, str(example), "-o", str(sheet)])
    assert result.exit_code == 0, result.stderr
    back = tmp_path / "back.yaml"
    result = run_cli(["import", str(sheet), "-o", str(back)])
    assert result.exit_code == 0, result.stderr
    assert layout(load(back)) == layout(load(example))


def test_xlsx_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.xlsx"):
        run_cli(["export", "-f", "xlsx", str(EXAMPLES[0]), "-o", str(tmp_path / name)])
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


CSV = """Stage,Touchpoint,Channel,Emotion: Maya,Emotion: Sam,Thoughts,Pain points
Awareness,Sees an ad,Instagram,4,2,"Nice shoes
Too pricey?",
Awareness,Reads reviews,"Review sites
Forums",3,3,,"Reviews disagree on fit
No size chart"
Purchase,Pays,Website,5,,,
"""


def test_a_csv_becomes_a_journey(tmp_path: Path) -> None:
    sheet = tmp_path / "shoes.csv"
    sheet.write_text(CSV, encoding="utf-8")
    result = run_cli(["import", str(sheet), "--title", "Buying shoes"])
    assert result.exit_code == 0, result.stderr
    journey = load(tmp_path / "shoes.yaml")
    assert journey.title == "Buying shoes"
    assert [(p.id, p.name) for p in journey.personas] == [("maya", "Maya"), ("sam", "Sam")]
    assert [c.id for c in journey.channels] == ["instagram", "review-sites", "forums", "website"]
    sees, reads, pays = journey.touchpoints()
    assert sees.emotion == {"maya": 4, "sam": 2}
    assert [t.text for t in sees.thoughts] == ["Nice shoes", "Too pricey?"]
    assert reads.channel == ["review-sites", "forums"]
    assert [p.text for p in reads.pain_points] == ["Reviews disagree on fit", "No size chart"]
    assert pays.emotion == {"maya": 5}


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "stage,touchpoint,feeling\nA,B,3\n",
            ":1:3: error: unknown column 'feeling'",
        ),
        (
            "stage,touchpoint,emotion\nA,B,7\n",
            ":2:3: error: emotion '7' is not a score from 1 to 5",
        ),
        ("stage,touchpoint,emotion\nA,,3\n", ":2:2: error: empty 'touchpoint' cell"),
        (
            'stage,touchpoint,thoughts,emotion\nA,B,"two\nlines",happy\n',
            ":3:4: error: emotion 'happy' is not a score from 1 to 5",
        ),
        ("stage,touchpoint\nA,B\nC,D\nA,E\n", ":4:1: error: stage 'A' comes again"),
    ],
)
def test_csv_errors_at_their_row_and_column(tmp_path: Path, text: str, error: str) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(text, encoding="utf-8")
    result = run_cli(["import", str(sheet)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{sheet}{error}"), result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "bad.yaml").exists()


def test_xlsx_errors_at_their_cell(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Checkout"
    sheet.append(["Stage", "Touchpoint", "Emotion"])
    sheet.append(["Pay", "Enters card", 2])
    sheet.append(["Pay", "Confirms", "great"])
    path = tmp_path / "checkout.xlsx"
    book.save(path)
    result = run_cli(["import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:Checkout!C3: error: emotion 'great' is not a score")


names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
    min_size=1,
    max_size=20,
).filter(lambda text: text.strip() != "")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    stage=names,
    touchpoints=st.lists(names, min_size=1, max_size=3),
    thought=names,
    score=st.integers(1, 5),
)
# Plain in a flow mapping (`{persona: a, text: :0}`), pyyaml's block-context judgement misreads.
@example(stage="0", touchpoints=["0"], thought=":0", score=1)
def test_any_text_survives_csv_and_yaml(
    tmp_path: Path, stage: str, touchpoints: list[str], thought: str, score: int
) -> None:
    """Text that YAML would misread (`yes`, `a: b`, `#x`, `- x`, `12`, `[x]`) is written so
    that the journey file reads it back as the same text."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["stage", "touchpoint", "thoughts", "emotion"])
    for name in touchpoints:
        writer.writerow([stage, name, thought, score])
    sheet = tmp_path / "any.csv"
    sheet.write_text(out.getvalue(), encoding="utf-8")
    result = run_cli(["import", str(sheet), "-o", str(tmp_path / "any.yaml"), "--force"])
    assert result.exit_code == 0, result.stderr
    journey = load(tmp_path / "any.yaml")
    flat = " ".join
    assert journey.stages[0].name == flat(stage.split())
    assert [t.name for t in journey.touchpoints()] == [flat(n.split()) for n in touchpoints]
    assert {t.thoughts[0].text for t in journey.touchpoints()} == {thought.strip()}


@pytest.mark.parametrize("args", [["import", "missing.csv"], ["export", "missing.yaml"]])
def test_a_missing_file_is_named_first_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(args)
    assert (result.exit_code, result.stderr) == (
        2,
        f"{args[1]}: error: no such file or directory\n",
    )
    assert list(tmp_path.iterdir()) == []
