"""`jmap validate` on the fields of issue 14 part B: opportunities as work, evidence as data,
staff emotion and pain points, and the lanes of a service blueprint."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli

GOOD = """jmap: 1
title: Support
stages:
  - name: Contact
    kpis:
      - {name: First contact resolution, value: 62, target: 70, unit: "%", direction: higher}
    touchpoints:
      - name: Calls
        physical_evidence: [IVR menu, Queue music]
        frontstage:
          - {text: Agent greets, actor: Agent, emotion: negative, pain_points: [Script is long]}
        backstage:
          - text: Agent reads the case
            actor: Agent
            emotion: 2
            pain_points: [{text: No history of the chat, severity: high, category: information}]
        support_processes:
          - {text: CRM merges channels overnight, actor: CRM}
          - Knowledge base
        evidence:
          - Plain text still works
          - kind: survey
            text: Callers repeat themselves
            date: 2025-03-31
            n: 412
            confidence: observed
            quote: "I told the bot all this already"
            link: https://example.com/survey
        opportunities:
          - {text: Pass the chat to the agent, status: in progress, impact: high, effort: medium}
"""


def _check(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    journey = tmp_path / "support.yaml"
    journey.write_text(text, encoding="utf-8")
    result = run_cli(["validate", str(journey)])
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    return result.exit_code, [line.replace(f"{journey}:", "") for line in errors]


def test_every_new_field_validates(tmp_path: Path) -> None:
    code, errors = _check(tmp_path, GOOD)
    assert (code, errors) == (0, [])


def test_a_misspelt_status_is_located_with_a_suggestion(tmp_path: Path) -> None:
    code, errors = _check(tmp_path, GOOD.replace("status: in progress", "status: in-progres"))
    assert code == 1
    assert errors == [
        "30:56: error: status must be one of idea, planned, in progress, done, dropped;"
        " got 'in-progres' (did you mean 'in progress'?)"
    ]


def test_impact_and_effort_are_low_medium_or_high(tmp_path: Path) -> None:
    code, errors = _check(tmp_path, GOOD.replace("effort: medium", "effort: huge"))
    assert code == 1
    assert errors == ["30:91: error: effort must be one of low, medium, high; got 'huge'"]


def test_evidence_fields_are_checked_where_they_are_written(tmp_path: Path) -> None:
    bad = (
        GOOD.replace("date: 2025-03-31", "date: 31/03/2025")
        .replace("n: 412", "n: many")
        .replace("confidence: observed", "confidence: observd")
    )
    code, errors = _check(tmp_path, bad)
    assert code == 1
    assert errors == [
        "24:19: error: date must be a date written YYYY-MM-DD, such as 2025-03-31;"
        " got '31/03/2025'",
        "25:16: error: n must be a whole number, such as 12; got 'many'",
        "26:25: error: confidence must be one of observed, inferred, assumed; got 'observd'"
        " (did you mean 'observed'?)",
    ]


def test_an_evidence_count_is_at_least_one(tmp_path: Path) -> None:
    code, errors = _check(tmp_path, GOOD.replace("n: 412", "n: 0"))
    assert (code, errors) == (1, ["25:16: error: n must be 1 or more; got 0"])


def test_a_kpi_direction_is_higher_or_lower(tmp_path: Path) -> None:
    code, errors = _check(tmp_path, GOOD.replace("direction: higher", "direction: highr"))
    assert code == 1
    assert errors == [
        "6:87: error: direction must be one of higher, lower; got 'highr' (did you mean 'higher'?)"
    ]


def test_staff_emotion_is_a_score_or_label(tmp_path: Path) -> None:
    code, errors = _check(tmp_path, GOOD.replace("emotion: negative", "emotion: negatve"))
    assert code == 1
    assert errors == [
        "11:57: error: emotion must be a score from 1 (very negative) to 5 (very positive) or a"
        " label: very-negative, negative, neutral, positive, very-positive; got 'negatve'"
        " (did you mean 'negative'?)"
    ]


def test_a_misspelt_blueprint_lane_is_suggested(tmp_path: Path) -> None:
    code, errors = _check(tmp_path, GOOD.replace("support_processes:", "support_process:"))
    assert code == 1
    assert errors == [
        "17:9: error: unknown field 'support_process' (did you mean 'support_processes'?)"
    ]
    code, errors = _check(tmp_path, GOOD.replace("physical_evidence:", "physical_evidnce:"))
    assert errors == [
        "9:9: error: unknown field 'physical_evidnce' (did you mean 'physical_evidence'?)"
    ]
