"""Errors that teach YAML: each says what happened, where, and the fix in the file's own words.

The malformed corpus (tests/data/malformed) holds one case of each with its exact output; these
tests cover the variants a corpus file per case would repeat.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli

KPI = """jmap: 1
title: Calling support
stages:
  - name: Help
    touchpoints:
      - name: Calls the line
        kpis:
          - name: Calls answered
            unit: {unit}
"""

INDICATORS = {
    "%": ("% of calls", "YAML keeps '%' for directives"),
    "@": ("@ the desk", "YAML reserves '@'"),
    "`": ("`calls`", "YAML reserves '`'"),
    "*": ("* per hour", "'*' names an alias in YAML"),
    "&": ("& callbacks", "'&' names an anchor in YAML"),
    "|": ("| per hour", "'|' starts a block of text on the lines below in YAML"),
    ">": ("> 5 min", "'>' starts a block of text on the lines below in YAML"),
    "{": ("{calls} per hour", "'{' starts a mapping in YAML"),
    "[": ("[calls] per hour", "'[' starts a list in YAML"),
}


@pytest.mark.parametrize("indicator", list(INDICATORS))
def test_a_value_that_starts_with_an_indicator_is_to_be_quoted(
    indicator: str, tmp_path: Path
) -> None:
    unit, meaning = INDICATORS[indicator]
    path = tmp_path / "journey.yaml"
    path.write_text(KPI.format(unit=unit), encoding="utf-8")
    result = run_cli(["validate", str(path)])
    assert result.stdout.splitlines()[0] == (
        f"{path}:9:19: error: invalid YAML: {meaning}, so text that starts with it needs"
        f" quotes: unit: '{unit}'"
    )
    assert result.exit_code == 1


def test_a_quote_in_the_value_is_doubled_in_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(KPI.format(unit="@ Sam's desk  # the one by the door"), encoding="utf-8")
    result = run_cli(["validate", str(path)])
    assert result.stdout.splitlines()[0].endswith("needs quotes: unit: '@ Sam''s desk'")
