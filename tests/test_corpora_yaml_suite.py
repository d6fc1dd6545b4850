"""The YAML test suite as journeys, and as texts inside journeys, through both YAML parsers
(tests/corpora.py says what is checked).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from jmap.loading import yaml_reader as jmap_source
from jmap.loading.document import SourceError
from jmap.loading.limits import DEFAULT_LIMITS
from jmap.loading.loader import loads
from jmap.loading.yaml_reader import parse
from tests.corpora import (
    CASE_IDS,
    CASES,
    LENIENT,
    LENIENT_LIBYAML,
    VALID_JOURNEY,
    Case,
    assert_inside,
    problems,
    yaml_error,
)
from tests.helpers import LIBYAML_HINT


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_yaml_suite_case_is_a_journey_or_a_located_error(case: Case) -> None:
    found = problems(case.yaml, "case.yaml")
    assert found or not case.invalid
    for problem in found:
        assert_inside(problem, case.yaml)


@pytest.mark.parametrize("case", [c for c in CASES if c.invalid], ids=lambda c: c.id)
def test_invalid_yaml_is_refused_as_yaml(case: Case) -> None:
    error = yaml_error(case.yaml)
    lenient = LENIENT_LIBYAML if next(iter(jmap_source.PARSERS)) == "libyaml" else LENIENT
    if case.id in lenient:
        assert error is None, f"pyyaml refuses {case.id} now: drop it from LENIENT"
    else:
        assert error is not None, f"{case.id} ({case.title}) is invalid YAML, yet it parses"
        assert error.line >= 1
        assert error.column >= 1


def literal_block(key: str, text: str) -> str:
    """`key: |2+` and the text indented by two: a literal block scalar that is exactly the text.

    The indentation indicator lets the text start with spaces; keep chomping (`+`) keeps its
    final line breaks, strip chomping (`-`) says there is none. Block scalars normalise line
    breaks and cannot hold unprintable characters, so other texts need a quoted scalar.
    """
    assert not re.search(r"[\r\x85\u2028\u2029]", text), "not for a literal block"
    chomping = "+" if text.endswith("\n") else "-"
    lines = text.removesuffix("\n").split("\n")
    return f"{key}: |2{chomping}\n" + "".join(f"  {line}\n" if line else "\n" for line in lines)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_yaml_suite_text_is_carried_exactly_as_a_description(case: Case) -> None:
    literal = VALID_JOURNEY + literal_block("description", case.yaml)
    assert loads(literal, "embedded.yaml").description == case.yaml
    quoted = VALID_JOURNEY + yaml.safe_dump({"description": case.yaml}, allow_unicode=True)
    assert loads(quoted, "embedded.yaml").description == case.yaml


def case_file(folder: Path, case: Case, text: str) -> Path:
    path = folder / f"case-{case.id.replace('/', '-').lower()}.yaml"
    path.write_text(text, "utf-8")
    return path


def validate(paths: list[Path], folder: Path) -> subprocess.CompletedProcess[str]:
    """`python -m jmap validate`, a real process, run where no project config is found."""
    return subprocess.run(
        [sys.executable, "-m", "jmap", "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_validate_reports_every_yaml_suite_case_without_a_traceback(tmp_path: Path) -> None:
    files = [case_file(tmp_path, case, case.yaml) for case in CASES]
    done = validate(files, tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == ""
    for path in files:
        assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: error: ", done.stdout, re.M), path


@pytest.mark.slow
def test_validate_accepts_every_yaml_suite_text_as_a_description(tmp_path: Path) -> None:
    files = [
        case_file(tmp_path, case, VALID_JOURNEY + literal_block("description", case.yaml))
        for case in CASES
    ]
    done = validate(files, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(files)} journeys checked: {len(files)} valid" in done.stdout


# Both YAML parsers: libyaml, and pyyaml's Python parser, used when pyyaml has no libyaml -----


def read_with(parser: str, text: str) -> str | tuple[str, Any, Any]:
    """What `parse` makes of a text with one parser: data and positions, or the error."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jmap_source, "PARSERS", {parser: jmap_source.PARSERS[parser]})
        try:
            document = parse(text, DEFAULT_LIMITS)
        except SourceError as error:
            return f"error at {error.line}:{error.column}: {error.message}"
    if document is None:
        return "no document"
    return repr(document.data), document.values, document.keys


def test_the_python_parser_alone_reads_the_yaml_suite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jmap_source, "PARSERS", {"python": jmap_source.PythonParser})
    for case in CASES:
        found = problems(case.yaml, "case.yaml")
        assert found or not case.invalid, case.id
        for problem in found:
            assert_inside(problem, case.yaml)
        if case.invalid:
            assert (yaml_error(case.yaml) is None) == (case.id in LENIENT), case.id


# libyaml places the empty value that ends a flow mapping at the token after it, where pyyaml
# places it after the colon; and it reads a lone `!` as the empty text, not as nothing.
READ_APART = {"C2DT", "DFF7", "UKK6/02"}


def test_libyaml_and_pyyaml_read_a_text_both_accept_alike() -> None:
    assert "libyaml" in jmap_source.PARSERS, f"pyyaml was built without libyaml: {LIBYAML_HINT}"
    apart = set()
    for case in CASES:
        fast, python = read_with("libyaml", case.yaml), read_with("python", case.yaml)
        if isinstance(fast, tuple) and isinstance(python, tuple) and fast != python:
            apart.add(case.id)
        if isinstance(python, tuple):
            # libyaml refuses no text pyyaml reads: pyyaml reads every text libyaml refuses.
            assert isinstance(fast, tuple), case.id
    assert apart == READ_APART
