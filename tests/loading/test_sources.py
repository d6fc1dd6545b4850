"""Numbers from data files: a KPI's `source:` and a touchpoint's `emotion_source:`, through the CLI.

Each test writes a small project (a jmap.toml marks its root) with a journey and its data
files, and runs `jmap validate`, `build` or `diff` the way a user would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import GIT_ENV, run_cli

HEADER = "date,touchpoint,value\n"
# Three months of NPS answers at delivery, and one at ordering that no filter keeps.
NPS_ROWS = (
    "2025-01-05,delivered,9\n"
    "2025-01-20,delivered,3\n"
    "2025-02-03,delivered,10\n"
    "2025-02-10,delivered,8\n"
    "2025-02-11,ordered,2\n"
    "2025-03-01,delivered,9\n"
    "2025-03-02,delivered,10\n"
    "2025-03-09,delivered,6\n"
)


def kpi_journey(source: str, title: str = "Delivery", extra: str = "") -> str:
    return (
        f"jmap: 1\ntitle: {title}\nstages:\n  - name: Receive\n    kpis:\n"
        f"      - name: NPS after delivery\n        source: {source}\n{extra}"
        "    touchpoints:\n      - name: Delivered\n        emotion: 4\n"
    )


NPS_SOURCE = "{file: ../data/nps.csv, where: {touchpoint: delivered}, aggregate: nps}"


def project(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "jmap.toml").write_text("")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def validate(root: Path, monkeypatch: pytest.MonkeyPatch, *names: str) -> list[str]:
    """The problem lines `jmap validate` prints, run from the project root; it must fail."""
    monkeypatch.chdir(root)
    result = run_cli(["validate", *(names or ("journeys/j.yaml",))])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1, result.stdout
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def build_json(root: Path, monkeypatch: pytest.MonkeyPatch, name: str = "j") -> dict[str, Any]:
    monkeypatch.chdir(root)
    result = run_cli(["build", f"journeys/{name}.yaml", "-o", "maps", "-f", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    document: dict[str, Any] = json.loads((root / "maps" / f"{name}.json").read_text())
    return document


def first_kpi(document: dict[str, Any]) -> dict[str, Any]:
    kpi: dict[str, Any] = document["stages"][0]["kpis"][0]
    return kpi


# Values and the trend


def test_the_json_output_holds_the_current_value_and_the_monthly_series(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(
        tmp_path,
        {"data/nps.csv": HEADER + NPS_ROWS, "journeys/j.yaml": kpi_journey(NPS_SOURCE)},
    )
    kpi = first_kpi(build_json(tmp_path, monkeypatch))
    # January: 1 promoter, 1 detractor -> 0; February: 1 of 2 -> 50; March: 2 of 3, 1 -> 33.3.
    assert kpi["series"] == [
        {"period": "2025-01", "value": 0},
        {"period": "2025-02", "value": 50},
        {"period": "2025-03", "value": 33.3},
    ]
    assert kpi["value"] == 33.3  # the newest month's
    assert kpi["newest"] == "2025-03-09"
    assert kpi["source"] == {
        "file": "../data/nps.csv",
        "where": {"touchpoint": "delivered"},
        "aggregate": "nps",
    }


@pytest.mark.parametrize(
    ("aggregate", "value"),
    [
        ("mean", 8.3),  # March: (9 + 10 + 6) / 3
        ("sum", 25),
        ("count", 3),
        ("last", 6),  # the newest date
        ("ces", 8.3),
        ("nps", 33.3),
    ],
)
def test_each_aggregate(
    aggregate: str, value: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = f"{{file: ../data/nps.csv, where: {{touchpoint: delivered}}, aggregate: {aggregate}}}"
    project(tmp_path, {"data/nps.csv": HEADER + NPS_ROWS, "journeys/j.yaml": kpi_journey(source)})
    assert first_kpi(build_json(tmp_path, monkeypatch))["value"] == value


def test_csat_is_the_share_of_four_and_five_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = "date,value\n2025-05-01,5\n2025-05-02,4\n2025-05-03,2\n2025-05-04,3\n"
    source = "{file: ../data/csat.csv, aggregate: csat}"
    project(tmp_path, {"data/csat.csv": rows, "journeys/j.yaml": kpi_journey(source)})
    assert first_kpi(build_json(tmp_path, monkeypatch))["value"] == 50


def test_json_lines_rows_and_a_list_in_where_means_any_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        {"date": "2025-04-01", "value": 10, "segment": "gold", "channel": "app"},
        {"date": "2025-04-02", "value": 20, "segment": "silver", "channel": "app"},
        {"date": "2025-04-03", "value": 40, "segment": "bronze", "channel": "app"},
        {"date": "2025-04-04", "value": 80, "segment": "gold", "channel": "web"},
        {"date": "2025-04-05", "value": 160, "segment": "gold"},
    ]
    text = "".join(json.dumps(row) + "\n" for row in rows) + "\n"  # a blank line is skipped
    source = (
        "{file: ../data/orders.jsonl, where: {segment: [gold, silver], channel: app},"
        " aggregate: sum}"
    )
    project(tmp_path, {"data/orders.jsonl": text, "journeys/j.yaml": kpi_journey(source)})
    assert first_kpi(build_json(tmp_path, monkeypatch))["value"] == 30


@pytest.mark.parametrize(
    ("scale", "rows", "score"),
    [
        ("0-10", ["9", "10"], 5),  # 1 + 9.5 * 4 / 10 = 4.8 -> 5
        ("0-10", ["5"], 3),  # 1 + 2 = 3
        ("0-10", ["0", "2"], 1),  # 1 + 0.4 = 1.4 -> 1
        ("0-10", ["3"], 2),  # 1 + 1.2 = 2.2 -> 2
        ("1-5", ["4", "5"], 5),  # 4.5 rounds half up
        ("1-5", ["2", "2", "3"], 2),  # 2.3
    ],
)
def test_an_emotion_from_data_maps_the_scale_to_the_curve(
    scale: str, rows: list[str], score: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey = (
        "jmap: 1\ntitle: Delivery\nstages:\n  - name: Receive\n    touchpoints:\n"
        "      - name: Delivered\n"
        f"        emotion_source: {{file: ../data/s.csv, scale: '{scale}'}}\n"
    )
    data = "date,value\n" + "".join(f"2025-06-0{n + 1},{row}\n" for n, row in enumerate(rows))
    project(tmp_path, {"data/s.csv": data, "journeys/j.yaml": journey})
    touchpoint = build_json(tmp_path, monkeypatch)["stages"][0]["touchpoints"][0]
    assert touchpoint["emotion"] == score
    assert touchpoint["emotion_source"]["scale"] == scale


PERSONA_ROWS = (
    "date,persona,value\n"
    "2025-06-01,priya,9\n"
    "2025-06-02,priya,10\n"  # mean 9.5 on 0-10 -> 4.8 -> 5
    "2025-06-01,sam,2\n"  # 1 + 0.8 = 1.8 -> 2
)


def per_persona_journey(sources: str, personas: str = "") -> str:
    return (
        "jmap: 1\ntitle: Delivery\npersonas:\n  - {id: priya, name: Priya}\n"
        "  - {id: sam, name: Sam}\nstages:\n  - name: Receive\n    touchpoints:\n"
        f"      - name: Delivered\n{personas}        emotion_source:\n{sources}"
    )


def test_an_emotion_from_data_per_persona_fills_each_personas_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sam's rows come from a second file, read first: the scores keep the written order.
    sources = (
        "          priya: {file: ../data/s.csv, where: {persona: priya}, scale: 0-10}\n"
        "          sam: {file: ../data/sam.jsonl, aggregate: last, scale: 1-5}\n"
    )
    sam = '{"date": "2025-06-01", "value": 4}\n{"date": "2025-06-03", "value": 2}\n'
    journey = per_persona_journey(sources).replace(
        "  - name: Receive\n",
        "  - name: Receive\n    kpis:\n      - {name: Sam, source: {file: ../data/sam.jsonl}}\n",
    )
    project(
        tmp_path,
        {"data/s.csv": PERSONA_ROWS, "data/sam.jsonl": sam, "journeys/j.yaml": journey},
    )
    touchpoint = build_json(tmp_path, monkeypatch)["stages"][0]["touchpoints"][0]
    assert list(touchpoint["emotion"].items()) == [("priya", 5), ("sam", 2)]
    assert touchpoint["emotion_source"]["sam"] == {
        "file": "../data/sam.jsonl",
        "where": {},
        "aggregate": "last",
        "scale": "1-5",
    }


def test_the_personas_of_an_emotion_from_data_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = (
        "          pirya: {file: ../data/s.csv, where: {persona: priya}, scale: 0-10}\n"
        "          sam: {file: ../data/s.csv, where: {persona: sam}}\n"
    )
    project(tmp_path, {"data/s.csv": PERSONA_ROWS, "journeys/j.yaml": per_persona_journey(sources)})
    assert validate(tmp_path, monkeypatch) == [
        "journeys/j.yaml:11:11: error: unknown persona 'pirya' (did you mean 'priya'?);"
        " known: priya, sam",
        "journeys/j.yaml:12:16: error: missing required field 'scale'",
    ]
    sources = "          sam: {file: ../data/s.csv, where: {persona: sam}, scale: 0-10}\n"
    journey = per_persona_journey(sources, personas="        personas: [priya]\n")
    project(tmp_path, {"journeys/j.yaml": journey})
    assert validate(tmp_path, monkeypatch) == [
        "journeys/j.yaml:12:11: error: persona 'sam' has an emotion here but is not in this"
        " touchpoint's personas (priya); add it there or remove the emotion"
    ]


def test_a_persona_whose_emotion_source_matches_no_row_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = "          sam: {file: ../data/s.csv, where: {persona: sma}, scale: 0-10}\n"
    project(tmp_path, {"data/s.csv": PERSONA_ROWS, "journeys/j.yaml": per_persona_journey(sources)})
    assert validate(tmp_path, monkeypatch) == [
        "journeys/j.yaml:11:55: error: no row of data/s.csv has persona 'sma' (did you mean 'sam'?)"
    ]


def test_a_journey_without_sources_has_no_new_keys_in_its_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey = kpi_journey(NPS_SOURCE).replace(f"        source: {NPS_SOURCE}\n", "")
    project(tmp_path, {"journeys/j.yaml": journey})
    document = build_json(tmp_path, monkeypatch)
    assert set(first_kpi(document)) == {"name", "value", "target", "unit", "description"}
    assert "emotion_source" not in document["stages"][0]["touchpoints"][0]


# Errors, located at the row and at the reference


def test_a_value_that_is_not_a_number_is_reported_at_its_row_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = NPS_ROWS.splitlines(keepends=True)
    rows[5] = "2025-03-01,delivered,n/a\n"  # line 7 of the file
    project(
        tmp_path,
        {"data/nps.csv": HEADER + "".join(rows), "journeys/j.yaml": kpi_journey(NPS_SOURCE)},
    )
    assert validate(tmp_path, monkeypatch) == [
        "data/nps.csv:7:3: error: value 'n/a' is not a number (read for journeys/j.yaml:7:24)"
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "2025-02-30,delivered,9",
            "data/nps.csv:3:1: error: date '2025-02-30' is not a date in the form YYYY-MM-DD"
            " (2025-03-31)",
        ),
        (
            "03/02/2025,delivered,9",
            "data/nps.csv:3:1: error: date '03/02/2025' is not a date in the form YYYY-MM-DD"
            " (2025-03-31)",
        ),
        ("2025-02-03,delivered,nan", "data/nps.csv:3:3: error: value 'nan' is not a number"),
        (
            "2025-02-03,delivered",
            "data/nps.csv:3:3: error: the row has 2 fields and the header 3;"
            " give every row one value per column",
        ),
        (
            "2025-02-03,delivered,11",
            "data/nps.csv:3:3: error: value 11 is not an NPS answer: a whole number from 0 to 10",
        ),
        (
            "2025-02-03,delivered,7.5",
            "data/nps.csv:3:3: error: value 7.5 is not an NPS answer: a whole number from 0 to 10",
        ),
    ],
)
def test_a_bad_row_is_reported_at_the_row(
    row: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = HEADER + "2025-01-05,delivered,9\n" + row + "\n" + "2025-03-01,delivered,9\n"
    project(tmp_path, {"data/nps.csv": data, "journeys/j.yaml": kpi_journey(NPS_SOURCE)})
    assert validate(tmp_path, monkeypatch) == [f"{message} (read for journeys/j.yaml:7:24)"]


def test_json_lines_errors_are_located_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = "{file: ../data/o.jsonl, aggregate: sum}"
    cases = {
        '{"date": "2025-01-01", "value": "lots"}': "2:24: error: value 'lots' is not a number",
        '{"date": "2025-01-01"}': '2:1: error: the row has no "value"; every row needs one',
        '{"date": "2025-01-01", "value": 3': "2:34: error: is not JSON: Expecting ',' delimiter",
        "[1, 2]": "2:1: error: a JSON Lines row must be an object such as"
        ' {"date": "2025-03-01", "value": 9}',
    }
    for row, message in cases.items():
        text = '{"date": "2025-01-01", "value": 1}\n' + row + "\n"
        project(tmp_path, {"data/o.jsonl": text, "journeys/j.yaml": kpi_journey(source)})
        assert validate(tmp_path, monkeypatch) == [
            f"data/o.jsonl:{message} (read for journeys/j.yaml:7:24)"
        ]


def test_a_missing_file_is_reported_at_the_reference_with_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = "{file: ../data/nsp.csv, aggregate: nps}"
    project(tmp_path, {"data/nps.csv": HEADER + NPS_ROWS, "journeys/j.yaml": kpi_journey(source)})
    assert validate(tmp_path, monkeypatch) == [
        "journeys/j.yaml:7:24: error: data file '../data/nsp.csv' is missing: there is no file"
        " data/nsp.csv (did you mean '../data/nps.csv'?)"
    ]


def test_a_missing_column_is_reported_at_the_where_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = "{file: ../data/nps.csv, where: {touchpont: delivered}, aggregate: nps}"
    project(tmp_path, {"data/nps.csv": HEADER + NPS_ROWS, "journeys/j.yaml": kpi_journey(source)})
    assert validate(tmp_path, monkeypatch) == [
        "journeys/j.yaml:7:49: error: data/nps.csv has no column 'touchpont'"
        " (did you mean 'touchpoint'?); its columns are date, touchpoint, value"
    ]


def test_a_header_without_value_is_reported_at_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "date,touchpoint,score\n2025-01-05,delivered,9\n"
    project(tmp_path, {"data/nps.csv": data, "journeys/j.yaml": kpi_journey(NPS_SOURCE)})
    assert validate(tmp_path, monkeypatch) == [
        "data/nps.csv:1:1: error: the header row has no column 'value';"
        " a data file needs the columns date and value (read for journeys/j.yaml:7:24)"
    ]


def test_no_rows_after_the_filter_is_reported_at_the_filter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = "{file: ../data/nps.csv, where: {touchpoint: deliverd}, aggregate: nps}"
    empty = "{file: ../data/empty.csv}"
    extra = f"      - name: Empty\n        source: {empty}\n"
    project(
        tmp_path,
        {
            "data/nps.csv": HEADER + NPS_ROWS,
            "data/empty.csv": "date,value\n",
            "journeys/j.yaml": kpi_journey(source, extra=extra),
        },
    )
    assert validate(tmp_path, monkeypatch) == [
        "journeys/j.yaml:7:61: error: no row of data/nps.csv has touchpoint 'deliverd'"
        " (did you mean 'delivered'?)",
        "journeys/j.yaml:9:17: error: no row of data/empty.csv has a date and a value;"
        " a source needs at least one row",
    ]


def test_data_files_stay_inside_the_project_and_are_data_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "outside.csv").write_text("date,value\n2025-01-01,1\n")
    root = project(
        tmp_path / "project",
        {
            "journeys/j.yaml": kpi_journey(
                "{file: ../../outside.csv}",
                extra="      - name: Text\n        source: {file: notes.txt}\n"
                "      - name: Folder\n        source: {file: ../data.csv}\n",
            ),
            "journeys/notes.txt": "",
        },
    )
    (root / "data.csv").mkdir()
    assert validate(root, monkeypatch) == [
        "journeys/j.yaml:7:24: error: data file '../../outside.csv' is outside the project"
        " root '.' (the folder with jmap.toml); a data file must be inside it",
        "journeys/j.yaml:9:24: error: data file 'notes.txt' is not a data file jmap reads:"
        " name a CSV file (.csv) or a JSON Lines file (.jsonl)",
        "journeys/j.yaml:11:24: error: data file '../data.csv' is a folder, not a file: data.csv",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs exist only on POSIX systems")
def test_a_fifo_as_data_file_is_refused_without_blocking(tmp_path: Path) -> None:
    root = project(tmp_path, {"journeys/j.yaml": kpi_journey("{file: ../data/nps.csv}")})
    (root / "data").mkdir()
    os.mkfifo(root / "data" / "nps.csv")
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "validate", "journeys/j.yaml"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.startswith(
        "journeys/j.yaml:7:24: error: data file '../data/nps.csv' is not a regular file"
    )
    assert "Traceback" not in done.stdout + done.stderr


def test_misspelt_keys_and_values_of_a_source_are_located_with_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey = (
        kpi_journey("{file: ../data/nps.csv, agregate: nps}")
        + "        emotion_source: {file: ../data/nps.csv, scale: '1-7'}\n"
    )
    project(tmp_path, {"data/nps.csv": HEADER + NPS_ROWS, "journeys/j.yaml": journey})
    assert validate(tmp_path, monkeypatch) == [
        "journeys/j.yaml:7:41: error: unknown field 'agregate' (did you mean 'aggregate'?)",
        "journeys/j.yaml:11:56: error: scale must be one of 0-10, 1-5; got '1-7'"
        " (did you mean '1-5'?)",
    ]


def test_a_value_or_an_emotion_is_written_or_read_from_data_not_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey = (
        kpi_journey("{file: ../data/nps.csv}", extra="        value: 3\n")
        + "        emotion_source: {file: ../data/nps.csv, scale: '0-10'}\n"
    )
    project(tmp_path, {"data/nps.csv": HEADER + NPS_ROWS, "journeys/j.yaml": journey})
    assert validate(tmp_path, monkeypatch) == [
        "journeys/j.yaml:6:9: error: a KPI takes its value from `value:` or from `source:`,"
        " not both; remove one",
        "journeys/j.yaml:10:9: error: a touchpoint takes its emotion from `emotion:` or from"
        " `emotion_source:`, not both; remove one",
    ]


# Builds and diffs


def _summary(lines: list[str]) -> tuple[int, int]:
    pattern = r"\d+ journeys? in .+: (\d+) built(?:, (\d+) unchanged)? \(.*\)"
    found = re.fullmatch(pattern, lines[-1])
    assert found, lines[-1]
    return int(found[1]), int(found[2] or 0)


def _build(root: Path) -> list[str]:
    result = run_cli(["build", "journeys", "-o", str(root / "maps"), "-f", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_changing_a_row_rebuilds_exactly_the_journeys_that_read_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csat = "{file: ../data/csat.csv, aggregate: csat}"
    project(
        tmp_path,
        {
            "data/nps.csv": HEADER + NPS_ROWS,
            "data/csat.csv": "date,value\n2025-03-01,5\n",
            "journeys/a.yaml": kpi_journey(NPS_SOURCE, "A"),
            "journeys/b.yaml": kpi_journey(NPS_SOURCE, "B"),
            "journeys/c.yaml": kpi_journey(csat, "C"),
            "journeys/d.yaml": kpi_journey(csat, "D").replace(f"source: {csat}", "value: 1"),
        },
    )
    monkeypatch.chdir(tmp_path)
    assert _summary(_build(tmp_path)) == (4, 0)
    assert _summary(_build(tmp_path)) == (0, 4)
    nps = tmp_path / "data" / "nps.csv"
    nps.write_text(nps.read_text().replace("2025-03-09,delivered,6", "2025-03-09,delivered,9"))
    lines = _build(tmp_path)
    assert _summary(lines) == (2, 2)
    assert [line.split(":")[0] for line in lines if line.startswith("built ")] == [
        "built journeys/a.yaml",
        "built journeys/b.yaml",
    ]
    assert first_kpi(json.loads((tmp_path / "maps" / "a.json").read_text()))["value"] == 100
    manifest = json.loads((tmp_path / "maps" / ".jmap-manifest.json").read_text())["journeys"]
    assert manifest["../journeys/c.yaml"]["inputs"].keys() == {"../data/csat.csv"}
    assert _summary(_build(tmp_path)) == (0, 4)


def test_a_data_file_larger_than_a_journey_may_be_is_still_tracked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 5 MB: more than the 4 MB a journey file may hold, which the manifest's hashes once kept to.
    rows = "".join(f"2025-{1 + n % 12:02d}-01,delivered,{n % 11}\n" for n in range(260_000))
    project(tmp_path, {"data/nps.csv": HEADER + rows, "journeys/a.yaml": kpi_journey(NPS_SOURCE)})
    assert (tmp_path / "data" / "nps.csv").stat().st_size > 4 * 1024 * 1024
    monkeypatch.chdir(tmp_path)
    assert _summary(_build(tmp_path)) == (1, 0)
    assert _summary(_build(tmp_path)) == (0, 1)


def test_diff_between_two_revisions_shows_how_a_kpi_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    root = project(
        tmp_path, {"data/nps.csv": HEADER + NPS_ROWS, "journeys/j.yaml": kpi_journey(NPS_SOURCE)}
    )
    monkeypatch.chdir(root)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], check=True, capture_output=True)

    git("-c", "init.defaultBranch=main", "init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "nps")
    nps = root / "data" / "nps.csv"
    nps.write_text(nps.read_text() + "2025-03-20,delivered,10\n")
    result = run_cli(["diff", "--git", "HEAD", "-f", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    (journey,) = json.loads(result.stdout)["journeys"]
    (kpi,) = journey["kpis"]
    assert kpi["fields"] == [{"field": "value", "old": "33.3", "new": "50"}]
    text = run_cli(["diff", "--git", "HEAD"]).stdout
    assert "33.3 → 50" in text


def test_the_maps_show_value_target_direction_and_trend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = "        target: 40\n        direction: higher\n"
    project(
        tmp_path,
        {
            "data/nps.csv": HEADER + NPS_ROWS,
            "journeys/j.yaml": kpi_journey(NPS_SOURCE, extra=extra),
        },
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli(["build", "journeys/j.yaml", "-o", "maps", "-f", "html,md,svg"])
    assert result.exit_code == 0, result.stdout + result.stderr
    html = (tmp_path / "maps" / "j.html").read_text(encoding="utf-8")
    assert '<span class="kpi-measure">33.3 / target 40 ↑ higher is better</span>' in html
    assert 'aria-label="trend by month: 2025-01: 0 → 2025-03: 33.3"' in html
    assert '<polyline points="0,15 30,1 60,5.7"' in html
    markdown = (tmp_path / "maps" / "j.md").read_text(encoding="utf-8")
    assert (
        "| NPS after delivery | 33.3 (×\u00a0off track) ▁█▆ (2025-01: 0 → 2025-03: 33.3)"
        " | 40 (↑ higher is better) |"
    ) in markdown
    svg = (tmp_path / "maps" / "j.svg").read_text(encoding="utf-8")
    # The grid wraps the line in its column.
    words = " ".join(re.findall(r'class="jm-body">([^<]*)</text>', svg))
    assert "NPS after delivery: 33.3 (target 40 ↑ higher is better)" in words
