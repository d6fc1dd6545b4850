"""The malformed-input corpus: every broken file gets exactly the messages in its .out file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jmap.loading import yaml_reader as source
from tests.helpers import DATA, LIBYAML_HINT, run_cli

MALFORMED = DATA / "malformed"
CASES = sorted(MALFORMED.glob("*.yaml"))


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Read YAML with libyaml (the default), then with pyyaml's Python parser, its fallback.

    Both must give the same messages: a text libyaml refuses is read again by the Python
    parser for its message (see jmap.loading.yaml_reader), so only the positions of what each
    accepts could differ.
    """
    name: str = request.param
    assert name in source.PARSERS, f"pyyaml was built without {name}: {LIBYAML_HINT}"
    monkeypatch.setattr(source, "PARSERS", {name: source.PARSERS[name]})
    return name


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_malformed_file_reports_located_errors(
    case: Path, parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(MALFORMED)
    result = run_cli(["validate", case.name])
    expected = case.with_suffix(".out").read_text(encoding="utf-8")
    *lines, summary = result.stdout.splitlines()
    assert "\n".join(lines) + "\n" == expected
    assert result.exit_code == 1
    assert summary.startswith("1 journey checked: 0 valid, 1 invalid")
    assert "Traceback" not in result.stdout + result.stderr


def test_every_message_names_file_line_and_column() -> None:
    for expected in MALFORMED.glob("*.out"):
        for line in expected.read_text(encoding="utf-8").splitlines():
            name, line_number, column, rest = line.split(":", 3)
            assert name == expected.with_suffix(".yaml").name
            assert int(line_number) >= 1
            assert int(column) >= 1
            assert rest.startswith(" error: ")


HOSTILE = ["alias-bomb.yaml", "deep-nesting.yaml", "recursive-alias.yaml", "control-character.yaml"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_yaml_is_refused_by_the_real_command(name: str) -> None:
    # A real process: no traceback, no hang (the timeout only guards against one).
    done = subprocess.run(
        [sys.executable, "-m", "jmap", "validate", str(MALFORMED / name)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 1
    assert ": error: " in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_a_ten_megabyte_string_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("jmap: 1\ntitle: " + "x" * 10_000_000 + "\nstages: [{name: A}]\n")
    result = run_cli(["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(
        f"{path}:1:1: error: the file is 10,000,036 bytes; the limit is"
    )


def test_nesting_through_a_chain_of_aliases_is_refused(tmp_path: Path) -> None:
    chain = "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 400))
    path = tmp_path / "chain.yaml"
    path.write_text("jmap: 1\ntitle: t\na0: &a0 [x]\n" + chain + "stages: [{name: A}]\n")
    result = run_cli(["validate", str(path)])
    assert result.exit_code == 1
    assert "nesting deeper than 64 levels through aliases" in result.stdout


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    out = (MALFORMED / "bad-enum-values.out").read_text().splitlines()
    assert [line.split(":")[1] for line in out] == ["3", "5", "11", "11", "13"]
