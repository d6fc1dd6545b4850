"""`jmap diff`: what is matched between two versions of a journey, and what is reported."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

from tests.diff_cases import (
    SHOE,
    base,
    changes,
    diff_json,
    only_journey,
    pair,
    stage,
    touchpoint,
    write,
)
from tests.helpers import run_cli

# What is matched and reported ----------------------------------------------------------------


def test_same_journey_no_changes_exit_0_even_with_exit_code(tmp_path: Path) -> None:
    old, new = pair(tmp_path, base(), base())
    result = run_cli(["diff", old, new, "--exit-code"])
    assert result.exit_code == 0
    assert result.stdout == f"Buying shoes\n  {old} → {new}\n  no changes\n"
    document = diff_json(old, new)
    assert document["changed"] is False
    assert document["journeys"][0]["status"] == "unchanged"


def test_changes_exit_1_only_with_exit_code(tmp_path: Path) -> None:
    changed = base()
    touchpoint(changed, "search")["name"] = "Searches the web"
    old, new = pair(tmp_path, base(), changed)
    assert run_cli(["diff", old, new]).exit_code == 0
    assert run_cli(["diff", old, new, "--exit-code"]).exit_code == 1
    for fmt in ("md", "json", "html"):
        assert run_cli(["diff", old, new, "-f", fmt, "--exit-code"]).exit_code == 1


def test_touchpoints_added_removed_moved_and_renamed(tmp_path: Path) -> None:
    changed = base()
    find, buy = stage(changed, "find"), stage(changed, "buy")
    search, reviews, _compare = find["touchpoints"]
    size_guide, checkout, returns = buy["touchpoints"]
    returns["name"] = "Returns a pair in store"
    chat = {"id": "chat", "name": "Chats with an expert", "emotion": {"maya": 4, "sam": 4}}
    # Reviews now come first (moved within its stage); checking out moved to another stage.
    find["touchpoints"] = [reviews, search, checkout]
    buy["touchpoints"] = [size_guide, chat, returns]
    result = only_journey(*pair(tmp_path, base(), changed))
    # In journey order, with the removed touchpoint where it was.
    assert changes(result["touchpoints"]) == [
        ("moved", "reviews"),
        ("removed", "compare"),
        ("moved", "checkout"),
        ("added", "chat"),
        ("renamed", "return"),
    ]
    moved, removed, to_other_stage, added, renamed = result["touchpoints"]
    assert (moved["old"]["number"], moved["new"]["number"]) == (2, 1)
    assert removed["new"] is None
    assert removed["old"] == {
        "name": "Compares",
        "stage": {"id": "find", "name": "Find"},
        "number": 3,
    }
    assert (to_other_stage["old"]["stage"]["id"], to_other_stage["new"]["stage"]["id"]) == (
        "buy",
        "find",
    )
    assert added["new"]["number"] == 5
    assert (renamed["old"]["name"], renamed["new"]["name"]) == (
        "Returns a pair",
        "Returns a pair in store",
    )
    assert result["summary"]["touchpoints"] == {"added": 1, "removed": 1, "moved": 2, "renamed": 1}
    # Searching stayed in place: only the fewest touchpoints that explain the order moved.
    assert "search" not in {entry["id"] for entry in result["touchpoints"]}


def test_a_moved_stage_does_not_move_its_touchpoints(tmp_path: Path) -> None:
    changed = base()
    changed["stages"].reverse()
    result = only_journey(*pair(tmp_path, base(), changed))
    assert changes(result["stages"]) == [("moved", "buy")]
    assert result["touchpoints"] == []


def test_emotion_change_per_persona_with_delta(tmp_path: Path) -> None:
    changed = base()
    touchpoint(changed, "size-guide")["emotion"] = {"maya": 4, "sam": 3}
    old, new = pair(tmp_path, base(), changed)
    result = only_journey(old, new)
    assert result["emotions"] == [
        {
            "touchpoint": {"id": "size-guide", "name": "Checks the size guide"},
            "persona": {"id": "maya", "name": "Maya"},
            "old": 2,
            "new": 4,
            "delta": 2,
        }
    ]
    text = run_cli(["diff", old, new]).stdout
    assert "  ~ better   Checks the size guide (Maya): 2 negative → 4 positive (+2)\n" in text


def test_emotion_newly_recorded(tmp_path: Path) -> None:
    old = base()
    del touchpoint(old, "compare")["emotion"]
    (recorded, recorded_too) = only_journey(*pair(tmp_path, old, base()))["emotions"]
    assert (recorded["persona"]["id"], recorded["old"], recorded["new"]) == ("maya", None, 3)
    assert recorded["delta"] is None
    assert recorded_too["persona"]["id"] == "sam"


# Where a lowest point is: every touchpoint of a journey without branches is on its main path.
MAIN = {"path": {"id": None, "name": "main path"}}


def test_average_and_lowest_point_of_each_curve(tmp_path: Path) -> None:
    changed = base()
    touchpoint(changed, "return")["emotion"] = {"maya": 3, "sam": 2}
    old, new = pair(tmp_path, base(), changed)
    maya, sam = only_journey(old, new)["curves"]
    assert maya == {
        "persona": {"id": "maya", "name": "Maya"},
        "changed": True,
        # (3 + 2 + 3 + 2 + 4 + 1) / 6 before, one point 2 higher after.
        "old": {
            "average": 2.5,
            "lowest": {
                "score": 1,
                "touchpoints": [{"id": "return", "name": "Returns a pair", **MAIN}],
            },
            "paths": [{"id": None, "name": "main path", "average": 2.5}],
        },
        "new": {
            "average": 2.83,
            "lowest": {
                "score": 2,
                "touchpoints": [
                    {"id": "reviews", "name": "Reads reviews", **MAIN},
                    {"id": "size-guide", "name": "Checks the size guide", **MAIN},
                ],
            },
            "paths": [{"id": None, "name": "main path", "average": 2.83}],
        },
        "average_delta": 0.33,
    }
    assert sam["changed"] is False
    assert sam["old"] == sam["new"]
    text = run_cli(["diff", old, new]).stdout
    assert (
        "Emotion curves\n  ~ better   Maya: average 2.50 → 2.83 (+0.33); lowest 1 very negative"
        " at Returns a pair → 2 negative at Reads reviews and Checks the size guide\n"
    ) in text
    assert "Sam:" not in text  # an unchanged curve is not news


def test_pain_points_added_removed_and_severity(tmp_path: Path) -> None:
    changed = base()
    reviews = touchpoint(changed, "reviews")
    reviews["pain_points"] = [
        {"id": "fake-reviews", "text": "Reviews look fake", "severity": "critical"}
    ]
    touchpoint(changed, "checkout")["pain_points"] = [
        {"text": "Delivery date is vague", "severity": "high"}
    ]
    result = only_journey(*pair(tmp_path, base(), changed))
    assert [(p["change"], (p["new"] or p["old"])["text"]) for p in result["pain_points"]] == [
        ("severity", "Reviews look fake"),
        ("removed", "No size information"),
        ("added", "Delivery date is vague"),
    ]
    severity = result["pain_points"][0]
    assert (severity["old"]["severity"], severity["new"]["severity"]) == ("medium", "critical")
    # "Chart is generic" has no id and the same text at the same touchpoint: unchanged.
    assert "Chart is generic" not in json.dumps(result["pain_points"])


def test_pain_point_matched_by_id_across_touchpoints(tmp_path: Path) -> None:
    changed = base()
    pain = touchpoint(changed, "reviews")["pain_points"].pop(0)
    touchpoint(changed, "search")["pain_points"] = [{**pain, "text": "Reviews look bought"}]
    (moved,) = only_journey(*pair(tmp_path, base(), changed))["pain_points"]
    assert moved["change"] == "changed"
    assert moved["id"] == "fake-reviews"
    assert moved["fields"] == [
        {"field": "text", "old": "Reviews look fake", "new": "Reviews look bought"},
        {"field": "touchpoint", "old": "Reads reviews", "new": "Searches"},
    ]


def test_opportunities_added_removed_and_changed(tmp_path: Path) -> None:
    changed = base()
    touchpoint(changed, "size-guide")["opportunities"] = [
        {"id": "fit-finder", "text": "Fit finder", "priority": "high"}
    ]
    touchpoint(changed, "return")["opportunities"] = ["Size swap in store"]
    result = only_journey(*pair(tmp_path, base(), changed))
    assert [(o["change"], (o["new"] or o["old"])["text"]) for o in result["opportunities"]] == [
        ("changed", "Fit finder"),
        ("removed", "Live chat"),
        ("added", "Size swap in store"),
    ]
    assert result["opportunities"][0]["fields"] == [
        {"field": "priority", "old": None, "new": "high"}
    ]


def test_kpis_changed_added_and_removed(tmp_path: Path) -> None:
    changed = base()
    stage(changed, "find")["kpis"][0]["value"] = 120
    stage(changed, "buy")["kpis"] = [{"name": "Conversion", "value": 2.1, "unit": "%"}]
    del touchpoint(changed, "size-guide")["kpis"]
    old, new = pair(tmp_path, base(), changed)
    kpis = only_journey(old, new)["kpis"]
    assert [(k["change"], k["name"], k["level"], k["at"]["id"]) for k in kpis] == [
        ("changed", "Visits", "stage", "find"),
        ("added", "Conversion", "stage", "buy"),
        ("removed", "Guide exits", "touchpoint", "size-guide"),
    ]
    assert kpis[0]["fields"] == [{"field": "value", "old": "100", "new": "120"}]
    assert kpis[0]["new"] == {"value": 120, "target": 150, "unit": None}
    text = run_cli(["diff", old, new]).stdout
    assert "  ~ changed  Visits (stage Find): value: 100 → 120\n" in text
    assert "  + added    Conversion (stage Buy): 2.1%\n" in text
    assert "  - removed  Guide exits (touchpoint Checks the size guide): was 40%\n" in text


def test_personas_and_channels_renamed_added_removed(tmp_path: Path) -> None:
    changed = base()
    changed["personas"][1]["name"] = "Sam, marathon runner"
    changed["channels"] = [changed["channels"][0], {"id": "app", "name": "App"}]
    touchpoint(changed, "return")["channel"] = "app"
    result = only_journey(*pair(tmp_path, base(), changed))
    assert changes(result["personas"]) == [("renamed", "sam")]
    # Where it was: the removed channel stays after the one it followed.
    assert changes(result["channels"]) == [("removed", "store"), ("added", "app")]
    (channel,) = result["touchpoints"]
    assert channel["fields"] == [{"field": "channel", "old": "Store", "new": "App"}]


def test_current_and_future_state_of_one_experience(tmp_path: Path) -> None:
    current = base()
    future = base()
    future["state"] = "future"
    touchpoint(future, "size-guide")["emotion"] = {"maya": 4, "sam": 4}
    touchpoint(future, "size-guide")["pain_points"] = []
    stage(future, "buy")["touchpoints"].insert(
        1, {"id": "fit-finder", "name": "Uses the fit finder", "emotion": 5}
    )
    old = write(tmp_path / "shoes-current.yaml", current)
    new = write(tmp_path / "shoes-future.yaml", future)
    result = only_journey(str(old), str(new))
    assert result["journey"] == [
        {"field": "id", "old": "shoes-current", "new": "shoes-future"},
        {"field": "state", "old": "current", "new": "future"},
    ]
    assert (result["old"]["state"], result["new"]["state"]) == ("current", "future")
    assert changes(result["touchpoints"]) == [("added", "fit-finder")]
    assert [(e["persona"]["id"], e["delta"]) for e in result["emotions"]] == [
        ("maya", 2),
        ("sam", 1),
    ]
    assert changes(result["pain_points"]) == [("removed", None)]


def test_shared_emotion_compared_with_per_persona_emotions(tmp_path: Path) -> None:
    shared = base()
    for tp in (tp for s in shared["stages"] for tp in s["touchpoints"]):
        tp["emotion"] = 3
    split = copy.deepcopy(shared)
    touchpoint(split, "checkout")["emotion"] = {"maya": 3, "sam": 5}
    result = only_journey(*pair(tmp_path, shared, split))
    # Before, one curve stood for both personas; it is read as each persona's.
    assert [
        (e["touchpoint"]["id"], e["persona"]["id"], e["old"], e["new"]) for e in result["emotions"]
    ] == [("checkout", "sam", 3, 5)]
    assert [(c["persona"]["id"], c["changed"]) for c in result["curves"]] == [
        ("maya", False),
        ("sam", True),
    ]


def test_other_touchpoint_fields_are_named(tmp_path: Path) -> None:
    changed = base()
    touchpoint(changed, "search")["thoughts"] = ["Where do I start?"]
    touchpoint(changed, "search")["personas"] = ["maya"]
    touchpoint(changed, "search")["emotion"] = {"maya": 3}
    (entry,) = only_journey(*pair(tmp_path, base(), changed))["touchpoints"]
    assert entry["change"] == "changed"
    assert entry["fields"] == [
        {
            "field": "personas",
            "old": "every persona",
            "new": "Maya",
            "old_personas": None,
            "new_personas": [{"id": "maya", "name": "Maya"}],
        },
        {"field": "thoughts", "old": None, "new": None},
    ]


def test_every_persona_and_no_persona_are_told_apart_in_every_format(tmp_path: Path) -> None:
    old_journey = base()
    for tp_id in ("search", "compare"):
        touchpoint(old_journey, tp_id)["personas"] = ["maya"]
        touchpoint(old_journey, tp_id)["emotion"] = {"maya": 3}
    new_journey = copy.deepcopy(old_journey)
    del touchpoint(new_journey, "search")["personas"]  # every persona
    touchpoint(new_journey, "compare")["personas"] = []  # no persona
    touchpoint(new_journey, "compare")["emotion"] = 3
    old, new = pair(tmp_path, old_journey, new_journey)
    entries = {e["id"]: e for e in only_journey(old, new)["touchpoints"]}
    assert entries["search"]["fields"] == [
        {
            "field": "personas",
            "old": "Maya",
            "new": "every persona",
            "old_personas": [{"id": "maya", "name": "Maya"}],
            "new_personas": None,
        }
    ]
    assert entries["compare"]["fields"] == [
        {
            "field": "personas",
            "old": "Maya",
            "new": "no persona",
            "old_personas": [{"id": "maya", "name": "Maya"}],
            "new_personas": [],
        }
    ]
    text = run_cli(["diff", old, new]).stdout
    assert "  ~ changed  Searches: personas: Maya → every persona\n" in text
    assert "  ~ changed  Compares: personas: Maya → no persona\n" in text
    markdown = run_cli(["diff", old, new, "-f", "md"]).stdout
    assert "| changed | Searches | personas: Maya → every persona |" in markdown
    assert "| changed | Compares | personas: Maya → no persona |" in markdown
    html = run_cli(["diff", old, new, "-f", "html"]).stdout
    assert "<td>Searches</td><td>personas: Maya → every persona</td>" in html
    assert "<td>Compares</td><td>personas: Maya → no persona</td>" in html


# A persona of the journey's own named Everyone, beside Sam: lowest at the first touchpoint,
# Sam at the second.
EVERYONE_AND_SAM: dict[str, Any] = {
    "jmap": 1,
    "title": "Everyone and Sam",
    "personas": [{"name": "Everyone"}, {"name": "Sam"}],
    "stages": [
        {
            "name": "Start",
            "touchpoints": [
                {"name": "Opens app", "emotion": {"everyone": 1, "sam": 5}},
                {"name": "Signs up", "emotion": {"everyone": 4, "sam": 2}},
                {"name": "Pays", "emotion": 3},
            ],
        }
    ],
}


def test_a_persona_named_everyone_is_compared_as_a_persona(tmp_path: Path) -> None:
    changed = copy.deepcopy(EVERYONE_AND_SAM)
    changed["stages"][0]["touchpoints"][1]["emotion"] = {"everyone": 4, "sam": 4}
    old, new = pair(tmp_path, EVERYONE_AND_SAM, changed)
    result = only_journey(old, new)
    assert [(e["persona"], e["old"], e["new"]) for e in result["emotions"]] == [
        ({"id": "sam", "name": "Sam"}, 2, 4)
    ]
    curves = {c["persona"]["id"]: c for c in result["curves"]}
    assert sorted(curves) == ["everyone", "sam"]
    assert curves["everyone"]["changed"] is False
    assert curves["everyone"]["new"]["lowest"]["score"] == 1
    assert curves["sam"]["old"]["lowest"] == {
        "score": 2,
        "touchpoints": [{"id": "signs-up", "name": "Signs up", **MAIN}],
    }
    assert curves["sam"]["new"]["lowest"]["score"] == 3
    text = run_cli(["diff", old, new]).stdout
    assert "  ~ better   Signs up (Sam): 2 negative → 4 positive (+2)\n" in text
    assert "Everyone:" not in text


def test_the_curve_of_every_persona_has_no_persona_id(tmp_path: Path) -> None:
    # Every emotion shared: one curve for every persona, which is not the persona Everyone.
    shared = copy.deepcopy(EVERYONE_AND_SAM)
    for number, tp in enumerate(shared["stages"][0]["touchpoints"], start=2):
        tp["emotion"] = number
    changed = copy.deepcopy(shared)
    changed["stages"][0]["touchpoints"][0]["emotion"] = 4
    result = only_journey(*pair(tmp_path, shared, changed))
    every = {"id": None, "name": "Everyone"}
    assert [(e["persona"], e["old"], e["new"]) for e in result["emotions"]] == [(every, 2, 4)]
    assert [(c["persona"], c["changed"]) for c in result["curves"]] == [(every, True)]


def test_edited_example_in_text(tmp_path: Path) -> None:
    """The text a reviewer reads for the example journey with a few realistic edits."""
    edited = SHOE.read_text(encoding="utf-8")
    edited = edited.replace("name: Checks out as guest", "name: Checks out with Apple Pay")
    edited = edited.replace(
        "            severity: high\n            category: wait-time",
        "            severity: critical\n            category: wait-time",
    )
    new = tmp_path / "shoe-purchase.yaml"
    new.write_text(edited, encoding="utf-8")
    # The example reads its NPS and delivery times from the data files beside it.
    shutil.copytree(SHOE.parent / "data", tmp_path / "data")
    result = run_cli(["diff", str(SHOE), str(new)])
    assert result.stdout == (
        "Buying trail running shoes online\n"
        f"  {SHOE} → {new}\n"
        "  2 changes: touchpoints 1 renamed; pain points 1 changed in severity\n"
        "Touchpoints\n"
        "  ~ renamed  Checks out as guest → Checks out with Apple Pay\n"
        "Pain points\n"
        "  ~ worse    Tracking shows no movement for 2-3 days after the order: severity high →"
        " critical, at Waits for delivery\n"
    )
