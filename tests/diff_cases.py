"""`jmap diff`: pairs of journeys with known changes, through files and a real git repository.

Each test writes two versions of a small journey, runs the command the way a user would, and
checks what a reviewer reads: which touchpoints were added, removed or moved, how an emotion
moved, which pain point got worse. The JSON format is what most assertions read, because it is
the one meant for tools; the text, Markdown and HTML formats are checked for what they show.

The journeys and helpers the diff tests share; the tests are in test_diff_*.py.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import ROOT, run_cli

SHOE = ROOT / "examples" / "shoe-purchase.yaml"
# `jmap` in a fresh process.
JMAP = [sys.executable, "-m", "jmap"]

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
