"""Journeys from where teams already keep them, and back: Mermaid `journey` diagrams
(`mermaid`), spreadsheets one row per touchpoint (`sheet`), and the journey file a person would
have written for them (`yaml_writer`). `ids` gives the imported things their ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jmap.errors import printable


@dataclass(frozen=True)
class Note:
    """Something an import could not carry over exactly, said at its place in the source."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.column}: warning: {self.message}")


@dataclass
class Imported:
    """One journey read from a source: its data, in the key order of docs/format.md."""

    data: dict[str, Any]
    notes: list[Note] = field(default_factory=list)
