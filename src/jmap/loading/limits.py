"""Limits that keep loading and rendering safe on hostile or runaway input.

Each has a default that a real journey stays far below, and each can be raised in the project
configuration (`[tool.jmap.limits]`, see jmap.config); docs/format.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# pyyaml's composer and our builder recurse once per nesting level, a few frames each: past
# this depth Python's own recursion limit would be hit first, so it is the most one can ask for.
DEEPEST = 200


@dataclass(frozen=True)
class Limits:
    # A real journey of 500 touchpoints is about 200 KB; 4 MB leaves room without letting a
    # runaway file (or a 10 MB pasted string) reach the parser.
    max_file_bytes: int = 4 * 1024 * 1024
    # Journeys nest six levels deep; pyyaml's composer recurses per level, so depth is capped
    # long before Python's recursion limit.
    max_depth: int = 64
    # Values counted after aliases are expanded: stops alias bombs ("billion laughs").
    max_nodes: int = 200_000
    # Files including files: a journey includes a shared file or two, which may include one
    # more. The size and value limits above count a journey and its included files together.
    max_include_depth: int = 8
    # Layout time grows with the touchpoints: 2,000 take about half a minute for the SVG and
    # as long for the HTML map. A map of more is unreadable anyway; split the journey.
    max_touchpoints: int = 2_000
    # Any one text (a name, a description, a key): a page of prose is about 3,000 characters.
    # Longer text is most likely a paste gone wrong, and would swamp the map it is on.
    max_text_length: int = 10_000
    # Not a limit but the one reading rule a project can relax: "allow" accepts a ` #` comment
    # after a plain text value, which YAML cuts the text at (jmap.loading.comments). It is
    # here because these settings reach every reader of a journey, and a build's manifest.
    comments_after_text: str = "error"


DEFAULT_LIMITS = Limits()

LIMIT_NAMES = tuple(field.name for field in fields(Limits) if field.name.startswith("max_"))


def raise_hint(name: str) -> str:
    """How to raise a limit, said at the end of the message of a file that exceeds it."""
    return f"raise `limits.{name}` in the project config"
