"""The normalised journey as JSON: defaults filled in, references resolved, emotions as numbers.

For other tools. Field names are the file format's; see docs/output.md.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from jmap import __version__

if TYPE_CHECKING:
    from jmap.render import RenderContext
    from jmap.view import JourneyView


def render(view: JourneyView, context: RenderContext) -> str:
    document = {
        "generator": f"jmap {__version__}",
        **view.journey.model_dump(mode="json"),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
