"""`jmap diff`: pairs of journeys with known changes, through files and a real git repository.

Each test writes two versions of a small journey, runs the command the way a user would, and
checks what a reviewer reads: which touchpoints were added, removed or moved, how an emotion
moved, which pain point got worse. The JSON format is what most assertions read, because it is
the one meant for tools; the text, Markdown and HTML formats are checked for what they show.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest
import yaml
from markdown_it import MarkdownIt

from jmap.cli import app
from jmap.cli.diff import diff
from jmap.diff import render
from jmap.diff.compare import compare
from jmap.loading.loader import load
from tests.browser import PHONE, launch, visit
from tests.helpers import ROOT, run_cli

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Until jmap.cli registers the command itself (`app.command("diff")(cli_diff.diff)`).
if not any(c.name == "diff" or c.callback is diff for c in app.registered_commands):
    app.command("diff")(diff)

SHOE = ROOT / "examples" / "shoe-purchase.yaml"
# `jmap` in a fresh process, with the command registered as in the tests.
_RUN = """
from jmap.cli import app
from jmap.cli.diff import diff
if not any(c.name == "diff" or c.callback is diff for c in app.registered_commands):
    app.command("diff")(diff)
app(prog_name="jmap")
"""

# Two personas with their own emotions, two stages, pain points and opportunities with and
# without ids, KPIs on a stage and on a touchpoint.
BASE: dict[str, Any] = {
    "jmap": 1,
    "title": "Buying shoes",
    "personas": [{"id": "maya", "name": "Maya"}, {"id": "sam", "name": "Sam"}],
    "channels": [{"id": "web", "name": "Website"}, {"id": "store", "name": "Store"}],
    "stages": [
        {
            "id": "find",
            "name": "Find",
            "kpis": [{"name": "Visits", "value": 100, "target": 150}],
            "touchpoints": [
                {"id": "search", "name": "Searches", "emotion": {"maya": 3, "sam": 4}},
                {
                    "id": "reviews",
                    "name": "Reads reviews",
                    "emotion": {"maya": 2, "sam": 3},
                    "pain_points": [
                        {"id": "fake-reviews", "text": "Reviews look fake"},
                        "No size information",
                    ],
                },
                {"id": "compare", "name": "Compares", "emotion": {"maya": 3, "sam": 3}},
            ],
        },
        {
            "id": "buy",
            "name": "Buy",
            "touchpoints": [
                {
                    "id": "size-guide",
                    "name": "Checks the size guide",
                    "channel": "web",
                    "emotion": {"maya": 2, "sam": 3},
                    "pain_points": ["Chart is generic"],
                    "opportunities": [{"id": "fit-finder", "text": "Fit finder"}, "Live chat"],
                    "kpis": [{"name": "Guide exits", "value": 40, "unit": "%"}],
                },
                {"id": "checkout", "name": "Checks out", "emotion": {"maya": 4, "sam": 4}},
                {
                    "id": "return",
                    "name": "Returns a pair",
                    "channel": "store",
                    "emotion": {"maya": 1, "sam": 2},
                },
            ],
        },
    ],
}


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def stage(journey: dict[str, Any], stage_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in journey["stages"] if s["id"] == stage_id)
    return found


def touchpoint(journey: dict[str, Any], touchpoint_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        tp for s in journey["stages"] for tp in s["touchpoints"] if tp["id"] == touchpoint_id
    )
    return found


def write(path: Path, journey: dict[str, Any]) -> Path:
    """A journey file from a dict, as YAML with `jmap: 1` first, the way people write them
    (and the way `--git` recognises a journey among other YAML files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(journey, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def pair(folder: Path, old: dict[str, Any], new: dict[str, Any]) -> tuple[str, str]:
    """Two versions under one file name (the name gives both the same journey id)."""
    before = write(folder / "old" / "shoes.yaml", old)
    after = write(folder / "new" / "shoes.yaml", new)
    return str(before), str(after)


def diff_json(*args: str) -> dict[str, Any]:
    result = run_cli(["diff", *args, "--format", "json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def only_journey(*args: str) -> dict[str, Any]:
    (journey,) = diff_json(*args)["journeys"]
    assert isinstance(journey, dict)
    return journey


def changes(entries: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(entry["change"], entry.get("id")) for entry in entries]


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
            "lowest": {"score": 1, "touchpoints": [{"id": "return", "name": "Returns a pair"}]},
        },
        "new": {
            "average": 2.83,
            "lowest": {
                "score": 2,
                "touchpoints": [
                    {"id": "reviews", "name": "Reads reviews"},
                    {"id": "size-guide", "name": "Checks the size guide"},
                ],
            },
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
        "touchpoints": [{"id": "signs-up", "name": "Signs up"}],
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


# Output formats ------------------------------------------------------------------------------


def rich_pair(folder: Path, hostile: bool = False) -> tuple[str, str]:
    """A pair with a change of every kind; with `hostile`, names full of markup."""
    old, new = base(), base()
    if hostile:
        for journey in (old, new):
            journey["personas"][0]["name"] = "Maya | *bold* <b>x</b>"
            touchpoint(journey, "size-guide")["name"] = (
                "Size `guide` | <img src=x onerror=alert(1)>"
            )
    touchpoint(new, "size-guide")["emotion"] = {"maya": 4, "sam": 1}
    touchpoint(new, "search")["name"] = "Searches | compares"
    stage(new, "find")["touchpoints"].pop()
    stage(new, "buy")["touchpoints"].append(
        {"id": "review", "name": "Writes a review", "emotion": 5}
    )
    touchpoint(new, "reviews")["pain_points"][0]["severity"] = "high"
    touchpoint(new, "size-guide")["opportunities"].append("Wide fit _filter_")
    stage(new, "find")["kpis"][0]["target"] = 200
    new["state"] = "future"
    return pair(folder, old, new)


def test_json_has_the_documented_keys(tmp_path: Path) -> None:
    document = diff_json(*rich_pair(tmp_path))
    assert list(document) == ["jmap_diff", "generator", "changed", "journeys"]
    assert document["jmap_diff"] == 1
    (journey,) = document["journeys"]
    assert list(journey) == [
        "status",
        "changed",
        "old",
        "new",
        "summary",
        "journey",
        "stages",
        "personas",
        "channels",
        "touchpoints",
        "emotions",
        "curves",
        "pain_points",
        "opportunities",
        "kpis",
    ]
    assert list(journey["old"]) == ["label", "id", "title", "state"]
    for key in ("stages", "personas", "channels", "touchpoints", "pain_points", "opportunities"):
        for entry in journey[key]:
            assert {"change", "id", "old", "new", "fields"} <= set(entry), key
    for entry in journey["kpis"]:
        assert list(entry) == ["change", "name", "level", "at", "old", "new", "fields"]
    for entry in journey["emotions"]:
        assert list(entry) == ["touchpoint", "persona", "old", "new", "delta"]
    for entry in journey["curves"]:
        assert list(entry) == ["persona", "changed", "old", "new", "average_delta"]


def _tables(markdown: str) -> list[list[int]]:
    """The number of cells of each row of each table, as GitHub's parser reads them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables: list[list[int]] = []
    cells = 0
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            tables[-1].append(cells)
    return tables


def test_markdown_tables_keep_their_shape_with_hostile_names(tmp_path: Path) -> None:
    result = run_cli(["diff", *rich_pair(tmp_path, hostile=True), "-f", "md"])
    assert result.exit_code == 0
    markdown = result.stdout
    tables = _tables(markdown)
    assert len(tables) >= 6
    for rows in tables:
        assert set(rows) == {3}
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<img" not in html
    assert "<b>x</b>" not in html
    assert "Size `guide` | &lt;img src=x onerror=alert(1)&gt;" in html.replace("\\", "")
    assert markdown.startswith("### Buying shoes\n\n`")
    assert "#### Emotions\n\n| Change | Touchpoint | Details |\n| --- | --- | --- |\n" in markdown


def test_text_is_coloured_only_when_asked(tmp_path: Path) -> None:
    old, new = rich_pair(tmp_path)
    diffs = [compare(load(old), load(new), old, new)]
    assert "\x1b[" in render("text", diffs, colour=True)
    assert "\x1b[" not in render("text", diffs)
    # CliRunner's stdout is a pipe, not a terminal: no colour codes.
    assert "\x1b[" not in run_cli(["diff", old, new]).stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_text_is_coloured_on_a_terminal_unless_no_color(
    tmp_path: Path, no_color: str | None, coloured: bool
) -> None:
    import pty

    old, new = rich_pair(tmp_path)
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    terminal, child = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-c", _RUN, "diff", old, new],
        stdout=child,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    ) as process:
        os.close(child)
        shown = b""
        while True:
            try:
                chunk = os.read(terminal, 65536)
            except OSError:  # the terminal closes when the command exits (EIO on Linux)
                break
            if not chunk:
                break
            shown += chunk
    os.close(terminal)
    assert process.returncode == 0
    assert (b"\x1b[" in shown) is coloured
    assert b"Touchpoints" in shown


def test_output_file_instead_of_stdout(tmp_path: Path) -> None:
    old, new = rich_pair(tmp_path)
    target = tmp_path / "out" / "diff.md"
    result = run_cli(["diff", old, new, "-f", "md", "-o", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == run_cli(["diff", old, new, "-f", "md"]).stdout
    assert [p.name for p in target.parent.iterdir()] == ["diff.md"]


def test_same_input_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    old, new = rich_pair(tmp_path)
    outputs: dict[str, set[bytes]] = {}
    for seed in ("0", "1"):
        for fmt in ("text", "md", "json", "html"):
            target = tmp_path / seed / f"diff.{fmt}"
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    _RUN,
                    "diff",
                    old,
                    new,
                    "-f",
                    fmt,
                    "-o",
                    str(target),
                ],
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
                cwd=ROOT,
            )
            outputs.setdefault(fmt, set()).add(target.read_bytes())
    assert {fmt: len(seen) for fmt, seen in outputs.items()} == dict.fromkeys(outputs, 1)


# Errors ----------------------------------------------------------------------------------------


def test_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # not a git repository
    write(tmp_path / "a.yaml", base())
    cases = {
        ("diff", "a.yaml"): "error: give the two versions to compare, OLD and NEW, or --git REV\n",
        ("diff", "a.yaml", "a.yaml", "--git", "HEAD"): (
            "error: give either OLD and NEW or --git REV, not both\n"
        ),
        ("diff", "a.yaml", "missing.yaml"): "missing.yaml: error: no such file\n",
        ("diff", "main:a.yaml", "a.yaml"): (
            "main:a.yaml: error: no such file, and not in a git repository\n"
        ),
        ("diff", "--git", "HEAD"): "--git HEAD: error: no such file, and not in a git repository\n",
        ("diff", "a.yaml", "a.yaml", "-f", "pdf"): None,
    }
    for args, stderr in cases.items():
        result = run_cli(list(args))
        assert result.exit_code == 2, args
        assert result.stdout == "", args
        if stderr is not None:
            assert result.stderr == stderr, args


def test_invalid_side_is_reported_like_validate(tmp_path: Path) -> None:
    broken = base()
    touchpoint(broken, "search")["emotion"] = "great"
    old, new = pair(tmp_path, base(), broken)
    result = run_cli(["diff", old, new, "-f", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{new}:")
    assert ": error: emotion must be a score from 1" in result.stderr
    assert result.stderr == run_cli(["validate", new]).stdout.splitlines(keepends=True)[0]


# A real git repository ---------------------------------------------------------------------------


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty repository as the current folder, with no user or system git settings."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Journey Tester")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "tester@example.com")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    git("-c", "init.defaultBranch=main", "init", "-q")
    return root


def commit(message: str) -> None:
    git("add", "-A")
    git("commit", "-q", "-m", message)


def test_revision_and_path_against_the_working_tree(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "journeys" / "shoes.yaml", base())
    commit("shoes")
    changed = base()
    touchpoint(changed, "size-guide")["emotion"] = {"maya": 5, "sam": 3}
    write(repo / "journeys" / "shoes.yaml", changed)
    result = only_journey("HEAD:journeys/shoes.yaml", "journeys/shoes.yaml")
    assert result["old"]["label"] == "HEAD:journeys/shoes.yaml"
    assert result["old"]["id"] == result["new"]["id"] == "shoes"  # from the file name, not REV
    assert [(e["old"], e["new"]) for e in result["emotions"]] == [(2, 5)]
    assert (
        run_cli(
            ["diff", "main:journeys/shoes.yaml", "journeys/shoes.yaml", "--exit-code"]
        ).exit_code
        == 1
    )
    # Two revisions; a path from the current folder, as with `git show REV:./PATH`.
    commit("happier")
    monkeypatch.chdir(repo / "journeys")
    result = only_journey("HEAD~1:shoes.yaml", "HEAD:shoes.yaml")
    assert [(e["old"], e["new"]) for e in result["emotions"]] == [(2, 5)]
    assert only_journey("HEAD:shoes.yaml", "shoes.yaml")["changed"] is False
    # The path from the top of the repository works from a subfolder too.
    assert only_journey("HEAD~1:journeys/shoes.yaml", "shoes.yaml")["changed"] is True
    # `:PATH` is the staged version.
    touchpoint(changed, "search")["name"] = "Searches the web"
    write(repo / "journeys" / "shoes.yaml", changed)
    assert only_journey(":shoes.yaml", "shoes.yaml")["changed"] is True
    git("add", "shoes.yaml")
    assert only_journey(":shoes.yaml", "shoes.yaml")["changed"] is False


def test_git_errors(repo: Path) -> None:
    write(repo / "shoes.yaml", base())
    (repo / "docs").mkdir()
    (repo / "docs" / "notes.md").write_text("notes\n", encoding="utf-8")
    commit("shoes")
    broken = base()
    broken["stages"] = []
    write(repo / "broken.yaml", broken)
    commit("broken")
    cases = {
        ("nope:shoes.yaml", "shoes.yaml"): "nope:shoes.yaml: error: unknown revision 'nope'\n",
        ("HEAD:shose.yaml", "shoes.yaml"): (
            "HEAD:shose.yaml: error: no file 'shose.yaml' in 'HEAD' (did you mean 'shoes.yaml'?)\n"
        ),
        ("HEAD:docs", "shoes.yaml"): "HEAD:docs: error: 'docs' is a folder in 'HEAD'\n",
        (
            "HEAD:../x.yaml",
            "shoes.yaml",
        ): "HEAD:../x.yaml: error: '../x.yaml' is outside the repository\n",
        ("HEAD:", "shoes.yaml"): "HEAD:: error: name a journey file after 'HEAD:'\n",
        ("--git", "nope"): "--git nope: error: unknown revision 'nope'\n",
    }
    for args, stderr in cases.items():
        result = run_cli(["diff", *args])
        assert (result.exit_code, result.stderr) == (2, stderr), args
    # A version that is not a valid journey: its problems under the name the user gave.
    result = run_cli(["diff", "HEAD:broken.yaml", "shoes.yaml"])
    assert result.exit_code == 1
    assert result.stderr.startswith("HEAD:broken.yaml:")
    assert result.stderr.endswith(": error: a journey needs at least one stage under `stages:`\n")


def test_git_rev_lists_every_changed_journey(repo: Path) -> None:
    write(repo / "a-shoes.yaml", base())
    write(repo / "b-gone.yaml", {**base(), "title": "Gone soon"})
    write(repo / "c-same.yaml", {**base(), "title": "Stays the same"})
    (repo / "ci.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    commit("journeys")
    changed = base()
    touchpoint(changed, "checkout")["emotion"] = {"maya": 2, "sam": 4}
    write(repo / "a-shoes.yaml", changed)
    (repo / "b-gone.yaml").unlink()
    # Unlike the deleted one, or git would call the pair a rename.
    shutil.copy(ROOT / "examples" / "omnichannel-support.yaml", repo / "d-new.yaml")
    git("add", "d-new.yaml")  # untracked files are not listed, as with `git diff`
    write(repo / "e-untracked.yaml", base())
    (repo / "ci.yaml").write_text("on: [push, pull_request]\njobs: {}\n", encoding="utf-8")
    document = diff_json("--git", "HEAD")
    journeys = document["journeys"]
    assert [(j["status"], (j["new"] or j["old"])["label"]) for j in journeys] == [
        ("changed", "a-shoes.yaml"),
        ("removed", "HEAD:b-gone.yaml"),
        ("added", "d-new.yaml"),
    ]
    changed_one, gone, added = journeys
    assert changed_one["old"]["label"] == "HEAD:a-shoes.yaml"
    assert [(e["touchpoint"]["id"], e["delta"]) for e in changed_one["emotions"]] == [
        ("checkout", -2)
    ]
    # Deleted: everything removed; added: everything added.
    assert gone["new"] is None
    assert {e["change"] for e in gone["touchpoints"]} == {"removed"}
    assert len(gone["touchpoints"]) == 6
    assert added["old"] is None
    assert {e["change"] for e in added["touchpoints"]} == {"added"}
    assert run_cli(["diff", "--git", "HEAD", "--exit-code"]).exit_code == 1
    text = run_cli(["diff", "--git", "HEAD"]).stdout
    assert "Gone soon (deleted)\n  HEAD:b-gone.yaml → (none)\n" in text
    assert (
        "Damaged delivery, from tweet to replacement (new journey)\n  (none) → d-new.yaml\n" in text
    )
    assert text.endswith("\n3 journeys compared, 3 changed\n")


def test_git_rev_follows_renames_and_reports_invalid_versions(repo: Path) -> None:
    write(repo / "old-name.yaml", base())
    write(repo / "other.yaml", base())
    commit("journeys")
    git("mv", "old-name.yaml", "new-name.yaml")
    broken = base()
    touchpoint(broken, "search")["channel"] = "tv"
    write(repo / "other.yaml", broken)
    result = run_cli(["diff", "--git", "HEAD", "-f", "json"])
    assert result.exit_code == 1
    assert result.stderr.startswith("other.yaml:")
    assert "unknown channel 'tv'" in result.stderr
    (renamed,) = json.loads(result.stdout)["journeys"]
    assert (renamed["old"]["label"], renamed["new"]["label"]) == (
        "HEAD:old-name.yaml",
        "new-name.yaml",
    )
    assert renamed["journey"] == [{"field": "id", "old": "old-name", "new": "new-name"}]


def test_git_rev_compares_journeys_whose_shared_file_changed(repo: Path) -> None:
    shared = {"personas": base()["personas"]}
    write(repo / "shared" / "people.yaml", shared)
    journey = {**base(), "include": ["../shared/people.yaml"]}
    del journey["personas"]
    write(repo / "journeys" / "a.yaml", journey)
    write(repo / "journeys" / "b.yaml", {**base(), "title": "Includes nothing"})
    commit("journeys")
    assert diff_json("--git", "HEAD")["journeys"] == []
    shared["personas"][0]["name"] = "Maya R."
    write(repo / "shared" / "people.yaml", shared)
    (only,) = diff_json("--git", "HEAD")["journeys"]
    assert (only["old"]["label"], only["new"]["label"]) == (
        "HEAD:journeys/a.yaml",
        "journeys/a.yaml",
    )
    assert only["changed"] is True


def test_git_rev_with_nothing_changed(repo: Path) -> None:
    write(repo / "shoes.yaml", base())
    commit("shoes")
    result = run_cli(["diff", "--git", "HEAD", "--exit-code"])
    assert (result.exit_code, result.stdout) == (0, "no journeys changed\n")
    assert diff_json("--git", "HEAD") == {
        "jmap_diff": 1,
        "generator": diff_json("--git", "HEAD")["generator"],
        "changed": False,
        "journeys": [],
    }


# HTML ------------------------------------------------------------------------------------------


def html_page(folder: Path, *args: str) -> Path:
    target = folder / "diff.html"
    result = run_cli(["diff", *args, "-f", "html", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    return target


def test_html_marks_changes_in_words_and_escapes_names(tmp_path: Path) -> None:
    page = html_page(tmp_path, *rich_pair(tmp_path, hostile=True)).read_text(encoding="utf-8")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    for words in ("Added", "Removed", "Renamed from Searches", "Worse: medium", "+2"):
        assert words in page, words
    assert page.count('class="dm-old"') >= 2  # an old, dashed curve per persona
    assert "Content-Security-Policy" in page
    assert "<script" not in page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launch() as launched:
        yield launched


_SHOWN = """() => ({
  removed: [...document.querySelectorAll('th.tp.gone-col')].map((th) => th.innerText),
  badges: [...document.querySelectorAll('.grid .badge')].map((b) => b.innerText),
  charts: [...document.querySelectorAll('svg.dm-chart')].map((svg) => ({
    label: svg.getAttribute('aria-labelledby').split(' ')
      .map((id) => document.getElementById(id).textContent).join(' | '),
    old: svg.querySelectorAll('polyline.dm-old').length,
    new: svg.querySelectorAll('polyline.jm-line').length,
  })),
  overflow: document.documentElement.scrollWidth - window.innerWidth,
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_html_diff_in_a_browser(
    browser: Browser, tmp_path: Path, scheme: Literal["light", "dark"]
) -> None:
    page = html_page(tmp_path, *rich_pair(tmp_path, hostile=True))
    with visit(browser, page, color_scheme=scheme) as seen:
        assert seen.axe_violations() == []
        shown = seen.page.evaluate(_SHOWN)
        assert len(shown["removed"]) == 1
        assert "Compares" in shown["removed"][0]
        assert "Removed" in shown["removed"][0]
        assert {"Added", "Removed", "Worse: medium → high"} <= set(shown["badges"])
        assert [(c["old"], c["new"]) for c in shown["charts"]] == [(1, 1), (1, 1)]
        assert "before and after" in shown["charts"][0]["label"]
        assert "Changed: Size `guide`" in shown["charts"][0]["label"]
        assert shown["overflow"] <= 0  # wide drawings scroll inside their own box
        assert seen.errors == []
        assert seen.foreign_requests() == []
        assert seen.dialogs == []


def test_html_diff_of_an_example_with_two_personas_on_a_phone(
    browser: Browser, tmp_path: Path
) -> None:
    example = ROOT / "examples" / "b2b-software-purchase.yaml"
    edited = tmp_path / example.name
    text = example.read_text(encoding="utf-8")
    before = "          ops-manager: very-positive\n          it-lead: negative\n"
    assert before in text
    edited.write_text(
        text.replace(before, "          ops-manager: very-positive\n          it-lead: positive\n"),
        encoding="utf-8",
    )
    page = html_page(tmp_path, str(example), str(edited))
    with visit(browser, page, size=PHONE) as seen:
        assert seen.axe_violations() == []
        shown = seen.page.evaluate(_SHOWN)
        assert shown["overflow"] <= 0
        # One chart per persona; only Daniel's changed, by two steps.
        assert len(shown["charts"]) == 2
        assert (
            "Changed: Runs a 14-day trial 2 negative → 4 positive (+2)"
            in (shown["charts"][1]["label"])
        )
        assert seen.errors == []


def test_cli_result_is_the_library_result(tmp_path: Path) -> None:
    old, new = rich_pair(tmp_path)
    from jmap.diff import diff as library_diff

    expected = render("json", [library_diff(old, new)])
    assert run_cli(["diff", old, new, "-f", "json"]).stdout == expected
