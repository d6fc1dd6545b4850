"""`jmap diff` from a current-state map to a future one: work that got done reads as delivered,
not as removed, and the blueprint's lanes are compared like the other lanes."""

from __future__ import annotations

from pathlib import Path

from tests.diff_cases import only_journey, pair
from tests.helpers import run_cli

CURRENT = {
    "jmap": 1,
    "title": "Support",
    "state": "current",
    "stages": [
        {
            "name": "Contact",
            "touchpoints": [
                {
                    "id": "chat",
                    "name": "Chats with the bot",
                    "pain_points": [{"id": "repeat", "text": "Repeats the story"}],
                    "opportunities": [
                        {
                            "id": "handover",
                            "text": "Hand the chat over to the agent",
                            "status": "in progress",
                            "impact": "high",
                        },
                        {"text": "Shorter IVR menu", "status": "planned"},
                    ],
                    "support_processes": ["CRM sync overnight"],
                }
            ],
        }
    ],
}


def _future() -> dict[str, object]:
    future = {**CURRENT, "state": "future"}
    touchpoint = {
        **CURRENT["stages"][0]["touchpoints"][0],  # type: ignore[index]
        "opportunities": [
            {
                "id": "handover",
                "text": "Hand the chat over to the agent",
                "status": "done",
                "impact": "high",
            },
            {"text": "Shorter IVR menu", "status": "planned", "effort": "low"},
        ],
        "support_processes": ["CRM sync every minute"],
    }
    future["stages"] = [{"name": "Contact", "touchpoints": [touchpoint]}]
    return future


def test_an_opportunity_that_became_done_is_delivered(tmp_path: Path) -> None:
    journey = only_journey(*pair(tmp_path, CURRENT, _future()))
    delivered, changed = journey["opportunities"]
    assert delivered["change"] == "delivered"
    assert delivered["id"] == "handover"
    assert (delivered["old"]["status"], delivered["new"]["status"]) == ("in progress", "done")
    assert [f["field"] for f in delivered["fields"]] == ["status"]
    assert changed["change"] == "changed"
    assert [(f["field"], f["old"], f["new"]) for f in changed["fields"]] == [
        ("effort", None, "low")
    ]
    assert "removed" not in [o["change"] for o in journey["opportunities"]]
    assert journey["summary"]["opportunities"] == {"delivered": 1, "changed": 1}


def test_text_and_html_say_delivered(tmp_path: Path) -> None:
    old, new = pair(tmp_path, CURRENT, _future())
    text = run_cli(["diff", old, new]).stdout
    assert "delivered" in text
    assert "in progress → done, at Chats with the bot" in text
    html = run_cli(["diff", old, new, "--format", "html"]).stdout
    assert ">Delivered<" in html


def test_the_blueprint_lanes_are_compared(tmp_path: Path) -> None:
    journey = only_journey(*pair(tmp_path, CURRENT, _future()))
    (touchpoint,) = journey["touchpoints"]
    assert [f["field"] for f in touchpoint["fields"]] == ["support_processes"]
