"""Limits that keep loading safe on hostile input, each with a default a user can raise."""

from __future__ import annotations

from dataclasses import dataclass


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


DEFAULT_LIMITS = Limits()
