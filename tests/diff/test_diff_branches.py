"""`jmap diff` on journeys with branches: curves per path, branches added or removed, and a
route's `when` (docs/format.md#paths has the rule that finds the paths)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.diff_cases import base, only_journey, pair, touchpoint
from tests.helpers import run_cli


def branched() -> dict[str, Any]:
    """The base journey where 'Checks the size guide' may instead lead to a chat that rejoins
    at 'Checks out': the chat is written after 'Checks out' in the file, but is its
    alternative."""
    journey = base()
    touchpoint(journey, "size-guide")["next"] = [
        "checkout",
        {"to": "chat", "when": "The chart does not help"},
    ]
    touchpoint(journey, "checkout")["next"] = ["return"]
    buy = journey["stages"][1]["touchpoints"]
    buy.insert(2, {"id": "chat", "name": "Asks in chat", "emotion": 1, "next": ["checkout"]})
    return journey


def test_a_route_label_changed_alone_is_reported(tmp_path: Path) -> None:
    new = branched()
    touchpoint(new, "size-guide")["next"][1]["when"] = "Still unsure of the size"
    old_file, new_file = pair(tmp_path, branched(), new)
    result = only_journey(old_file, new_file)
    (change,) = result["touchpoints"]
    assert change["id"] == "size-guide"
    assert change["fields"] == [
        {
            "field": "next",
            "old": "Checks out, Asks in chat (when: The chart does not help)",
            "new": "Checks out, Asks in chat (when: Still unsure of the size)",
        }
    ]
    assert result["summary"] == {"touchpoints": {"changed": 1}}
    text = run_cli(["diff", old_file, new_file]).stdout
    assert "(when: The chart does not help) → " in text


def test_a_branch_added_is_reported_with_where_it_leaves_and_rejoins(tmp_path: Path) -> None:
    old_file, new_file = pair(tmp_path, base(), branched())
    result = only_journey(old_file, new_file)
    assert result["summary"]["branches"] == {"added": 1}
    (branch,) = result["branches"]
    assert branch == {
        "change": "added",
        "id": "chat",
        "old": None,
        "new": {
            "name": "The chart does not help",
            "when": "The chart does not help",
            "leaves_after": {"id": "size-guide", "name": "Checks the size guide"},
            "rejoins_at": {"id": "checkout", "name": "Checks out"},
            "touchpoints": [{"id": "chat", "name": "Asks in chat"}],
        },
        "fields": [],
    }
    text = run_cli(["diff", old_file, new_file]).stdout
    assert (
        "Branches\n  + added    The chart does not help: leaves after Checks the size guide,"
        " rejoins at Checks out\n"
    ) in text
    removed = run_cli(["diff", new_file, old_file]).stdout
    assert "  - removed  The chart does not help: was: leaves after" in removed


def test_curves_are_compared_per_path(tmp_path: Path) -> None:
    new = branched()
    touchpoint(new, "chat")["emotion"] = 3
    old_file, new_file = pair(tmp_path, branched(), new)
    maya, sam = only_journey(old_file, new_file)["curves"]
    # Maya's main path: 3 2 3 2 4 1 -> 2.5, unchanged; the chat's way: 3 2 3 2 1 4 1 -> 2.29.
    assert maya["old"]["average"] == maya["new"]["average"] == 2.5
    assert maya["average_delta"] == 0
    assert maya["old"]["paths"] == [
        {"id": None, "name": "main path", "average": 2.5},
        {"id": "chat", "name": "The chart does not help", "average": 2.29},
    ]
    assert maya["new"]["paths"][1]["average"] == 2.57
    # The lowest points, each with its path: the chat was one of Maya's, and Sam's only one.
    assert maya["old"]["lowest"]["touchpoints"] == [
        {
            "id": "chat",
            "name": "Asks in chat",
            "path": {"id": "chat", "name": "The chart does not help"},
        },
        {"id": "return", "name": "Returns a pair", "path": {"id": None, "name": "main path"}},
    ]
    assert sam["changed"] is True
    text = run_cli(["diff", old_file, new_file]).stdout
    assert (
        "  ~ better   Maya: averages main path 2.50 → 2.50 (+0.00);"
        " 'The chart does not help' 2.29 → 2.57 (+0.29); lowest 1 very negative at Asks in chat"
        " on the branch 'The chart does not help', and at Returns a pair on the main path"
        " → 1 very negative at Returns a pair on the main path\n"
    ) in text


def test_a_shared_curve_read_per_persona_keeps_its_average(tmp_path: Path) -> None:
    old = base()
    for stage in old["stages"]:
        for tp in stage["touchpoints"]:
            tp["emotion"] = 3
    new = base()
    maya, _ = only_journey(*pair(tmp_path, old, new))["curves"]
    assert maya["old"]["average"] == 3.0
    assert maya["old"]["paths"] == [{"id": None, "name": "main path", "average": 3.0}]


def test_a_path_whose_total_time_changed_is_reported_in_every_format(tmp_path: Path) -> None:
    old = branched()
    touchpoint(old, "size-guide")["duration"] = "10 min"
    touchpoint(old, "chat")["wait"] = "1 day"
    new = branched()
    touchpoint(new, "size-guide")["duration"] = "10 min"
    touchpoint(new, "chat")["wait"] = "2 hours"  # shorter: only the branch's way has the chat
    old_file, new_file = pair(tmp_path, old, new)
    result = only_journey(old_file, new_file)
    assert result["summary"]["times"] == {"changed": 1}
    assert result["times"] == [
        {
            "change": "changed",
            "path": {"id": "chat", "name": "The chart does not help"},
            "old": {"duration": 600, "wait": 86400, "total": 87000},
            "new": {"duration": 600, "wait": 7200, "total": 7800},
        }
    ]
    shown = "1 day (takes 10 min · waits 1 day) → 2 h 10 min (takes 10 min · waits 2 h)"
    for fmt in ("text", "md", "html"):
        output = run_cli(["diff", old_file, new_file, "--format", fmt]).stdout
        assert "The chart does not help" in output
        assert shown in output, fmt
    text = run_cli(["diff", old_file, new_file]).stdout
    assert "path times 1 changed" in text
    assert "shorter" in text


def test_time_totals_that_did_not_change_are_not_reported(tmp_path: Path) -> None:
    old = branched()
    touchpoint(old, "size-guide")["duration"] = "1 hour"
    new = branched()
    touchpoint(new, "size-guide")["duration"] = "60 min"  # written differently, the same time
    old_file, new_file = pair(tmp_path, old, new)
    assert only_journey(old_file, new_file)["times"] == []
