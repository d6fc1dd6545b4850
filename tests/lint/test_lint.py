"""`jmap lint`: every rule at the exact line and column, silencing, configuration, formats."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jmap.lint import RULES, LintSettings, lint_paths, summary_line
from jmap.lint.graph import nearest, traps
from jmap.lint.ignores import comment_start, markers
from tests.helpers import DATA, EXAMPLES, ROOT, Run, run_cli

CASES_DIR = DATA / "lint"
CASES = sorted(CASES_DIR.glob("*.yaml"))
SCHEMA = DATA / "sarif-2.1.0.schema.json"
# The day the corpus is linted on: the stale rules (JM012 to JM015) measure against it.
TODAY = "2026-12-02"
# Rules whose triggering case needs a git history, built by a test of its own (see below).
HISTORY_RULES = {"JM017"}
LINE = re.compile(r"^(?P<file>[^:]+):(\d+):(\d+): (?:error|(?:error|warning|info)\[(JM\d{3})\]): ")

CLEAN = """\
jmap: 1
title: Buying shoes
channels:
  - {id: web, name: Website}
stages:
  - name: Buy
    customer_goal: Get shoes that fit
    business_goal: Sell shoes that stay sold
    touchpoints:
      - name: Checks out
        channel: web
        emotion: 4
"""
# One warning (JM010 at 13:15) and one info (JM007 at 14:18).
NOISY = (
    CLEAN
    + """\
      - name: Tries them on
        emotion: 2
        pain_points: [Neither size fits]
        opportunities: [Show wide fits]
"""
)


def lint_cli(args: Sequence[str]) -> Run:
    return run_cli(["lint", *args])


def journey(tmp_path: Path, text: str, name: str = "journey.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def configure(tmp_path: Path, text: str, name: str = "jmap.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# The corpus: every rule, at the exact line and column.


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_case_reports_exactly_its_out_file(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES_DIR)
    monkeypatch.setenv("JMAP_TODAY", TODAY)
    result = lint_cli([case.name])
    expected = case.with_suffix(".out").read_text(encoding="utf-8").splitlines()
    *lines, summary = result.stdout.splitlines()
    assert lines == expected
    has_errors = any(": error" in line for line in expected)
    assert result.exit_code == (1 if has_errors else 0)
    assert summary.endswith("in 1 journey")
    assert summary.startswith(f"{len(expected)} problem" if expected else "no problems")
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_rule_has_a_case_that_triggers_it_and_one_that_does_not(rule: Any) -> None:
    stem = f"{rule.id.lower()}-{rule.name}"
    triggering = sorted(CASES_DIR.glob(f"{rule.id.lower()}-*.out"))
    triggering = [out for out in triggering if not out.stem.endswith("-ok")]
    if rule.id in HISTORY_RULES:
        assert not triggering
        assert f"test_{rule.name.replace('-', '_')}_fires_" in (Path(__file__).read_text())
    else:
        assert (CASES_DIR / f"{stem}.out").exists()
    for out in triggering:
        found = [LINE.match(line) for line in out.read_text().splitlines()]
        # Each case is clean but for its own rule, so the .out shows only that rule.
        assert found
        assert all(match is not None and match.group(4) == rule.id for match in found), out
    assert (CASES_DIR / f"{stem}-ok.out").read_text() == ""


def test_every_expected_line_names_file_line_column_level_and_rule() -> None:
    for out in CASES_DIR.glob("*.out"):
        for line in out.read_text(encoding="utf-8").splitlines():
            match = LINE.match(line)
            assert match is not None, line
            assert match.group("file") == out.with_suffix(".yaml").name
            assert int(match.group(2)) >= 1
            assert int(match.group(3)) >= 1


def test_rules_have_stable_unique_ids_names_and_docs() -> None:
    ids = [rule.id for rule in RULES]
    assert ids == [f"JM{number:03d}" for number in range(1, len(RULES) + 1)]
    names = [rule.name for rule in RULES]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", name) for name in names)
    docs = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert "\n" not in rule.summary
        assert f"### {rule.id} {rule.name}" in docs


def test_docs_list_every_rule_as_registered() -> None:
    """docs/lint.md says what SARIF and the registry say: the same summary and rationale."""
    docs = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (JM\d{3}) \| `([a-z-]+)` \| (\w+) \| (.*) \|$", docs, re.MULTILINE)
    assert rows == [(rule.id, rule.name, rule.level, rule.summary) for rule in RULES]
    for rule in RULES:
        section = docs.split(f"\n### {rule.id} {rule.name}\n", 1)[1]
        why = re.match(r"\s*\*\*Why\.\*\* (.*?)\n\n", section, re.DOTALL)
        assert why is not None, rule.id
        assert " ".join(why.group(1).split()) == rule.rationale, rule.id


def test_a_rule_id_or_name_is_registered_once() -> None:
    from jmap.lint.rules import rule

    register = rule("JM003", "new-name", level="info", summary="S.", rationale="R.")
    with pytest.raises(ValueError, match="JM003 unevidenced-pain-point is registered"):
        register(lambda ctx: iter(()))
    register = rule("JM099", "empty-stage", level="info", summary="S.", rationale="R.")
    with pytest.raises(ValueError, match="JM005 empty-stage is registered"):
        register(lambda ctx: iter(()))
    assert [rule.id for rule in RULES][-1] == "JM017"


# Silencing with comments.


def test_comment_markers_are_read_only_from_comments() -> None:
    text = "\n".join(
        [
            "name: Checks out  # jmap: ignore[JM001]",
            "name: Checks out  # why not; jmap: ignore[jm001 , JM010]",
            "name: Checks out # jmap: ignore",
            'name: "Scans # jmap: ignore"',
            "name: 'It''s # jmap: ignore'",
            "name: Maya's pick  # jmap: ignore[JM010]",
            "name: C#  jmap: ignore",
            "- 'a # b'  # jmap: ignore[JM002]",
            'name: "a \\" # jmap: ignore"',
        ]
    )
    assert markers(text) == {
        1: frozenset({"JM001"}),
        2: frozenset({"JM001", "JM010"}),
        3: frozenset({"*"}),
        6: frozenset({"JM010"}),
        8: frozenset({"JM002"}),
    }
    assert comment_start("# a comment line") == 0
    assert comment_start("key: value") is None


def test_a_marker_silences_only_its_own_line(tmp_path: Path) -> None:
    path = journey(tmp_path, NOISY.replace("pain_points:", "pain_points:  # jmap: ignore"))
    result = lint_cli([str(path)])
    assert f"{path}:13:15: warning[JM010]" in result.stdout


# Project configuration.


def test_config_select_ignore_and_levels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, NOISY)
    configure(tmp_path, '[lint]\nselect = ["JM007", "JM010"]\nlevels = { JM007 = "warning" }\n')
    result = lint_cli(["journey.yaml"])
    assert result.stdout.splitlines() == [
        "journey.yaml:13:15: warning[JM010]: touchpoint 'Tries them on' has no channel; add"
        " `channel:` with the id of one of the journey's channels",
        "journey.yaml:14:18: warning[JM007]: emotion falls from positive (4) to negative (2)"
        " after 'Checks out': a moment that matters",
        "2 problems (0 errors, 2 warnings, 0 infos) in 1 journey",
    ]
    configure(tmp_path, '[lint]\nignore = ["JM010"]\n')
    *lines, summary = lint_cli(["journey.yaml"]).stdout.splitlines()
    assert [line.split(": ")[1] for line in lines] == ["info[JM007]"]
    assert summary == "1 problem (0 errors, 0 warnings, 1 info) in 1 journey"


def test_config_in_pyproject_and_an_error_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, NOISY)
    configure(
        tmp_path,
        '[project]\nname = "x"\n\n[tool.jmap]\npaths = ["journey.yaml"]\n\n'
        '[tool.jmap.lint]\nlevels = { JM010 = "error" }\n',
        "pyproject.toml",
    )
    result = lint_cli([])  # the configured paths
    assert "journey.yaml:13:15: error[JM010]: " in result.stdout
    assert result.stdout.splitlines()[-1] == "2 problems (1 error, 0 warnings, 1 info) in 1 journey"
    assert result.exit_code == 1


def test_strict_fails_on_warnings_but_not_on_infos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, NOISY)
    assert lint_cli(["journey.yaml"]).exit_code == 0
    assert lint_cli(["--strict", "journey.yaml"]).exit_code == 1
    configure(tmp_path, "[lint]\nstrict = true\n")
    assert lint_cli(["journey.yaml"]).exit_code == 1
    configure(tmp_path, '[lint]\nstrict = true\nignore = ["JM010"]\n')
    assert lint_cli(["journey.yaml"]).exit_code == 0  # only the info is left


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[lint]\nselct = []\n", "2:1: error: unknown key 'selct' in the lint table"),
        (
            '[lint]\nstrict = true\nignore = ["jm003"]\n',
            "3:1: error: unknown rule 'jm003' in ignore (did you mean 'JM003'?)",
        ),
        (
            '[lint]\nselect = ["missing-emotion"]\n',
            "2:1: error: rule 'missing-emotion' in select is JM001; write its id",
        ),
        ('[lint]\nselect = "JM001"\n', "2:1: error: select must be a list of rule ids"),
        (
            '[lint]\nstrict = true\n\n[lint.levels]\nJM003 = "info"\nJM007 = "warn"\n',
            "6:1: error: the level of JM007 must be one of error, warning, info; got 'warn'"
            " (did you mean 'warning'?)",
        ),
        ('lint = { levels = ["JM001"] }\n', "1:1: error: levels must be a table"),
        ('lint.strict = "yes"\n', "1:1: error: strict must be true or false"),
        (
            '[lint]\nevidence_age = "18 monts"\n',
            '2:1: error: evidence_age must be a length of time such as "18 months": has an'
            " unknown unit 'monts' (did you mean 'months'?)",
        ),
        ("lint = { data_age = 90 }\n", "1:1: error: data_age must be a length of time such as"),
    ],
)
def test_config_mistakes_are_usage_errors_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, CLEAN)
    file = configure(tmp_path, config)
    result = lint_cli(["journey.yaml"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{file}:{message}")
    assert result.stdout == ""


def test_config_mistake_in_pyproject_points_into_the_lint_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, CLEAN)
    file = configure(
        tmp_path,
        '[tool.ruff]\nlint.select = ["E"]\n\n[tool.jmap]\noutput = "maps"\n\n'
        '[tool.jmap.lint]\nignore = []\nselect = ["JM100"]\n',
        "pyproject.toml",
    )
    result = lint_cli(["journey.yaml"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{file}:9:1: error: unknown rule 'JM100' in select")


# A multi-line string can hold lines that look like tables and keys: they are not.
PYTEST_ADDOPTS = (
    '[tool.pytest.ini_options]\naddopts = """\n'
    '[tool.jmap]\nlint = 1\n[tool.jmap.lint]\nselect = []\n"""\n\n'
)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            PYTEST_ADDOPTS + '[tool.jmap.lint]\nselect = ["JM100"]\n',
            "10:1: error: unknown rule 'JM100' in select",
        ),
        (PYTEST_ADDOPTS + "[tool.jmap]\nlint = 3\n", "10:1: error: lint must be a table"),
    ],
)
def test_config_mistakes_are_found_past_a_multi_line_string(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, CLEAN)
    file = configure(tmp_path, config, "pyproject.toml")
    result = lint_cli(["journey.yaml"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{file}:{message}")


# Output formats.


def test_json_lists_every_finding_and_a_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, NOISY)
    result = lint_cli(["--format", "json", "journey.yaml"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["findings"][0] == {
        "rule": "JM010",
        "name": "touchpoint-without-channel",
        "level": "warning",
        "message": "touchpoint 'Tries them on' has no channel; add `channel:` with the id of"
        " one of the journey's channels",
        "path": "journey.yaml",
        "line": 13,
        "column": 15,
    }
    assert [f["rule"] for f in document["findings"]] == ["JM010", "JM007"]
    assert document["summary"] == {
        "journeys": 1,
        "invalid": 0,
        "problems": 2,
        "errors": 0,
        "warnings": 1,
        "infos": 1,
    }


def _sarif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Run, dict[str, Any]]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "journeys").mkdir()
    journey(tmp_path, NOISY, "journeys/shoes and socks.yaml")
    journey(tmp_path, CLEAN.replace("emotion: 4", "emotion: 7"), "journeys/broken.yaml")
    result = lint_cli(["--format", "sarif", "journeys"])
    return result, json.loads(result.stdout)


def test_sarif_is_valid_against_the_official_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsonschema  # a dev dependency: this check must not be skipped silently

    result, log = _sarif(tmp_path, monkeypatch)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    errors = list(validator(schema).iter_errors(log))
    assert errors == []
    assert result.exit_code == 1  # the broken journey


def test_sarif_results_point_at_files_lines_and_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, log = _sarif(tmp_path, monkeypatch)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["JM000", *(rule.id for rule in RULES)]
    assert rules[7]["defaultConfiguration"] == {"level": "note"}  # JM007 is an info
    summary = [
        (
            r["ruleId"],
            rules[r["ruleIndex"]]["id"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"],
        )
        for r in run["results"]
    ]
    assert summary == [
        ("JM000", "JM000", "error", "journeys/broken.yaml", {"startLine": 12, "startColumn": 18}),
        (
            "JM010",
            "JM010",
            "warning",
            "journeys/shoes%20and%20socks.yaml",
            {"startLine": 13, "startColumn": 15},
        ),
        (
            "JM007",
            "JM007",
            "note",
            "journeys/shoes%20and%20socks.yaml",
            {"startLine": 14, "startColumn": 18},
        ),
    ]


def test_sarif_is_the_same_bytes_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, _ = _sarif(tmp_path, monkeypatch)
    second = lint_cli(["--format", "sarif", "journeys"])
    assert first.stdout == second.stdout
    lint_cli(["--format", "sarif", "--output", "out/jmap.sarif", "journeys"])
    assert (tmp_path / "out" / "jmap.sarif").read_text(encoding="utf-8") == first.stdout


def test_sarif_does_not_depend_on_hash_seeds() -> None:
    args = ["lint", "--format", "sarif", *(str(e.relative_to(ROOT)) for e in EXAMPLES)]
    outputs = set()
    for seed in ("0", "1"):
        done = subprocess.run(
            [sys.executable, "-m", "jmap", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


# Exit codes and journeys that are not valid.


def test_invalid_journeys_are_reported_like_validate_and_others_still_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, NOISY, "a.yaml")
    journey(tmp_path, CLEAN.replace("emotion: 4", "emotion: 7"), "b.yaml")
    result = lint_cli(["a.yaml", "b.yaml"])
    validated = run_cli(["validate", "b.yaml"])
    assert validated.stdout.splitlines()[0] in result.stdout.splitlines()
    assert "a.yaml:13:15: warning[JM010]" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "3 problems (1 error, 1 warning, 1 info) in 2 journeys"
    )
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml"], "missing.yaml: error: no such file or directory"),
        (["empty"], "error: no journey files found in empty"),
        (["--format", "xml", "journey.yaml"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, CLEAN)
    (tmp_path / "empty").mkdir()
    result = lint_cli(args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_clean_journey_exits_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, CLEAN)
    result = lint_cli(["--strict", "journey.yaml"])
    assert (result.exit_code, result.stdout) == (0, "no problems in 1 journey\n")


def test_journeys_only_skips_other_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, "services: {}\n", "compose.yaml")
    result = lint_cli(["--journeys-only", "compose.yaml"])
    assert (result.exit_code, result.stdout) == (0, "no problems in 0 journeys\n")


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_examples_have_no_lint_errors(example: Path) -> None:
    result = lint_cli([str(example)])
    assert result.exit_code == 0, result.stdout
    assert ": error" not in result.stdout


# The library interface and `jmap build`.


def test_api_reads_the_project_config_unless_given_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, NOISY)
    configure(tmp_path, '[lint]\nselect = ["JM010"]\n')
    report = lint_paths(["journey.yaml"])
    assert [(f.rule, f.line, f.column) for f in report.findings] == [("JM010", 13, 15)]
    assert summary_line(report) == "1 problem (0 errors, 1 warning, 0 infos) in 1 journey"
    assert not report.failed()
    assert report.failed(strict=True)
    everything = lint_paths(["journey.yaml"], LintSettings())
    assert [f.rule for f in everything.findings] == ["JM010", "JM007"]


def test_every_name_the_library_offers_is_there() -> None:
    import jmap.lint

    offered = {name: getattr(jmap.lint, name) for name in jmap.lint.__all__}
    assert offered["RULES"] == RULES
    assert offered["lint_paths"] is lint_paths
    with pytest.raises(AttributeError, match="no attribute 'lint_path'"):
        getattr(jmap.lint, "lint_path")  # noqa: B009 - the name is not there on purpose


def test_build_prints_the_lint_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    journey(tmp_path, NOISY)
    result = run_cli(["build", "journey.yaml", "--format", "md", "-o", "maps"])
    assert "2 problems (0 errors, 1 warning, 1 info) in 1 journey" in result.stdout
    assert result.exit_code == 0  # warnings do not fail a build


# The `next` graph.


def test_a_long_chain_with_a_loop_at_the_end_needs_no_recursion() -> None:
    size = 20_000
    edges = [[n + 1] for n in range(size - 1)] + [[size - 10]]
    assert traps(edges) == [list(range(size - 10, size))]
    assert nearest(0, edges, lambda node: node == size - 1) == [size - 1]


def _reach(edges: list[list[int]], start: int) -> set[int]:
    seen: set[int] = set()
    todo = list(edges[start])
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges[node])
    return seen


@given(
    st.integers(min_value=1, max_value=8).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(min_value=0, max_value=n - 1), max_size=3, unique=True),
            min_size=n,
            max_size=n,
        )
    )
)
def test_traps_are_exactly_the_loops_nothing_leaves(edges: list[list[int]]) -> None:
    reach = [_reach(edges, node) for node in range(len(edges))]
    # A node is in a trap when it is on a loop and every node it can reach can come back.
    trapped = {
        node
        for node in range(len(edges))
        if node in reach[node] and all(node in reach[other] for other in reach[node])
    }
    found = traps(edges)
    assert {node for trap in found for node in trap} == trapped
    for trap in found:
        assert reach[trap[0]] == set(trap)


def test_a_finding_is_one_plain_line_whatever_it_quotes(tmp_path: Path) -> None:
    # A touchpoint name with a terminal escape sequence (clear the screen), quoted by rules.
    journey = tmp_path / "j.yaml"
    journey.write_text(
        'jmap: 1\ntitle: T\nstages:\n  - name: S\n    touchpoints:\n      - {name: "Bad \\e[2J"}\n',
        encoding="utf-8",
    )
    result = run_cli(["lint", str(journey)])
    lines = result.stdout.splitlines()
    assert any("touchpoint 'Bad \\x1b[2J' has no emotion" in line for line in lines), lines
    assert all(line.isprintable() for line in lines), lines
    # The JSON report keeps the text as written; JSON escapes it.
    report = json.loads(run_cli(["lint", str(journey), "--format", "json"]).stdout)
    assert any("'Bad \x1b[2J'" in finding["message"] for finding in report["findings"]), report


# The stale rules: the date they measure against, the ages a project chooses, git history.


def test_today_comes_from_the_today_option_before_jmap_today(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(CASES_DIR)
    monkeypatch.setenv("JMAP_TODAY", "2026-11-01")
    case = "jm013-review-overdue.yaml"  # due on 2026-11-01
    assert lint_cli([case]).stdout == "no problems in 1 journey\n"
    found = lint_cli([case, "--today", "2026-11-02"]).stdout
    assert "warning[JM013]: the journey was due for review on 2026-11-01" in found
    monkeypatch.setenv("JMAP_TODAY", "2026-11-02")
    assert "warning[JM013]" in lint_cli([case]).stdout
    assert lint_cli([case, "--today", "2026-11-01"]).stdout == "no problems in 1 journey\n"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--today", "2026-02-30"], "", "--today: error: must be a date written YYYY-MM-DD"),
        ([], "12/02/2026", "JMAP_TODAY: error: must be a date written YYYY-MM-DD"),
    ],
)
def test_a_bad_today_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, args: list[str], env: str, message: str
) -> None:
    monkeypatch.chdir(CASES_DIR)
    monkeypatch.setenv("JMAP_TODAY", env)
    result = lint_cli(["jm013-review-overdue.yaml", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr


def test_the_project_chooses_how_old_evidence_and_data_may_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("jm012-stale-evidence.yaml", "jm015-stale-kpi-data.yaml"):
        journey(tmp_path, (CASES_DIR / name).read_text(encoding="utf-8"), name)
    (tmp_path / "data").mkdir()
    for csv in (CASES_DIR / "data").glob("*.csv"):
        (tmp_path / "data" / csv.name).write_bytes(csv.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JMAP_TODAY", TODAY)
    configure(tmp_path, "")
    rules = [LINE.match(line) for line in lint_cli(["."]).stdout.splitlines()[:-1]]
    assert [m.group(4) for m in rules if m] == ["JM012", "JM012", "JM015"]
    configure(tmp_path, '[lint]\nevidence_age = "3 years"\ndata_age = "5 months"\n')
    assert lint_cli(["."]).stdout == "no problems in 2 journeys\n"
    configure(tmp_path, '[lint]\nevidence_age = "20 months"\ndata_age = "1 month"\n')
    found = lint_cli(["."]).stdout
    assert "evidence 'Where-is-my-order tickets' is from 2024-11-30, more than 20 months" in found
    assert "'Delivery survey, spring'" not in found
    assert "is from 2026-08-01, more than 1 month before 2026-12-02" in found


FIXED = """\
jmap: 1
title: Delivery
channels:
  - {id: web, name: Website}
stages:
  - name: Delivery
    customer_goal: Get the parcel before the weekend
    business_goal: Deliver on the promised day
    touchpoints:
      - name: Waits for delivery
        channel: web
        emotion: 2
        pain_points:
          - {id: no-tracking, text: Tracking shows no movement}
      - name: Opens the parcel
        channel: web
        emotion: {emotion}
        opportunities:
          - text: Scan parcels when they leave the warehouse
            answers: [no-tracking]
            status: {status}
"""


def _commit(repo: Path, text: str, message: str) -> str:
    (repo / "delivery.yaml").write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-C", str(repo)]
    subprocess.run([*git, "add", "delivery.yaml"], check=True, capture_output=True)
    subprocess.run([*git, "commit", "-qm", message], check=True, capture_output=True)
    return subprocess.run(
        [*git, "log", "-1", "--format=%h"], check=True, capture_output=True, text=True
    ).stdout.strip()


def _git_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    configure(repo, "")
    return repo


def test_fix_not_shown_fires_when_the_emotion_is_what_it_was_before_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _git_repo(tmp_path)
    monkeypatch.chdir(repo)
    before = _commit(repo, FIXED.replace("{emotion}", "2").replace("{status}", "planned"), "a")
    _commit(repo, FIXED.replace("{emotion}", "2").replace("{status}", "in progress"), "b")
    _commit(repo, FIXED.replace("{emotion}", "2").replace("{status}", "done"), "c")
    # The pain point is on 'Waits for delivery', whose emotion (2) did not move either.
    result = lint_cli(["delivery.yaml"])
    assert result.stdout.splitlines()[:-1] == [
        "delivery.yaml:21:21: warning[JM017]: opportunity 'Scan parcels when they leave the"
        " warehouse' is done, but the emotion of 'Waits for delivery' is negative (2), as it"
        f" was at {_newest_not_done(repo)} before it was done; if"
        " the fix worked, update the emotion, if not, say so in a pain point"
    ]
    assert before  # the first commit is not the newest where it was not done
    # The emotion moved where the pain point is: the fix shows.
    (repo / "delivery.yaml").write_text(
        FIXED.replace("{emotion}", "4")
        .replace("{status}", "done")
        .replace("emotion: 2\n        pain_points", "emotion: 4\n        pain_points"),
        encoding="utf-8",
    )
    assert lint_cli(["delivery.yaml"]).stdout == "no problems in 1 journey\n"


def _newest_not_done(repo: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "log", "-1", "--skip=1", "--format=%h"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_fix_not_shown_reads_the_working_tree_against_the_last_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _git_repo(tmp_path)
    monkeypatch.chdir(repo)
    head = _commit(repo, FIXED.replace("{emotion}", "3").replace("{status}", "planned"), "a")
    # Marked done, not committed yet: HEAD is the version before the fix.
    (repo / "delivery.yaml").write_text(
        FIXED.replace("{emotion}", "3").replace("{status}", "done"), encoding="utf-8"
    )
    assert f"as it was at {head} before it was done" in lint_cli(["delivery.yaml"]).stdout


def test_fix_not_shown_stays_quiet_where_the_history_cannot_say(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    done = FIXED.replace("{emotion}", "2").replace("{status}", "done")
    journey(outside, done, "delivery.yaml")
    configure(outside, "")
    monkeypatch.chdir(outside)
    assert lint_cli(["delivery.yaml"]).stdout == "no problems in 1 journey\n"  # not in git
    repo = _git_repo(tmp_path)
    monkeypatch.chdir(repo)
    _commit(repo, done, "written done from the start")
    assert lint_cli(["delivery.yaml"]).stdout == "no problems in 1 journey\n"
    _commit(repo, "jmap: 1\ntitle: [not valid\n", "broken")
    _commit(repo, done, "done again")
    assert lint_cli(["delivery.yaml"]).stdout == "no problems in 1 journey\n"


def test_fix_not_shown_runs_git_only_for_journeys_with_something_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _git_repo(tmp_path)
    monkeypatch.chdir(repo)
    _commit(repo, FIXED.replace("{emotion}", "2").replace("{status}", "planned"), "a")
    calls: list[list[str]] = []
    real = subprocess.run

    def counted(args: Any, *rest: Any, **kwargs: Any) -> Any:
        calls.append(list(args))
        return real(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)
    lint_cli(["delivery.yaml"])
    assert not [call for call in calls if call[:1] == ["git"]]
