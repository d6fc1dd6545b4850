"""The normalised journey as JSON: defaults filled in, references resolved, emotions as numbers.

For other tools. Field names are the file format's; see docs/output.md.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from jmap import __version__

if TYPE_CHECKING:
    from jmap.render import RenderContext
    from jmap.view import JourneyView, TimeTotal


def render(view: JourneyView, context: RenderContext) -> str:
    document = {
        "generator": f"jmap {__version__}",
        **view.journey.model_dump(mode="json"),
    }
    if view.has_times:
        document["time"] = _time(view)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def time_in_seconds(time: TimeTotal | None) -> dict[str, int | float] | None:
    """A time total as the JSON output and `jmap diff --format json` write it: seconds."""
    if time is None:
        return None
    return {
        "duration": _seconds(time.duration),
        "wait": _seconds(time.wait),
        "total": _seconds(time.total),
    }


def _time(view: JourneyView) -> dict[str, Any]:
    """The totals the maps show, in seconds: each path's whole way, and each stage's
    touchpoints on the main path (docs/format.md, "Time")."""
    return {
        "paths": [
            {
                "name": path.name,
                "touchpoints": [tp.id for tp in path.way],
                **(time_in_seconds(path.time) or {}),
            }
            for path in view.timed_paths
        ],
        "stages": {
            stage.stage.id: time_in_seconds(stage.time)
            for stage in view.stages
            if stage.time is not None
        },
    }
