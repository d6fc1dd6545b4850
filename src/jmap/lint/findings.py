"""What a lint rule is, what it reports, and the context it looks at a journey through."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from jmap.errors import printable
from jmap.loading.document import Path
from jmap.loading.loader import Loaded
from jmap.model import Journey, Touchpoint
from jmap.view import JourneyView, journey_view

if TYPE_CHECKING:
    from jmap.lint.settings import LintSettings

Level = Literal["error", "warning", "info"]
LEVELS: tuple[Level, ...] = ("error", "warning", "info")

# Not a rule: the id under which JSON and SARIF output carry the problems of a journey that is
# not valid, so a tool reading them sees one list. It cannot be selected, ignored or re-levelled.
INVALID_ID = "JM000"


@dataclass(frozen=True, order=True)
class Finding:
    """One lint result, at the place in a file a user has to look at to fix it."""

    path: str
    line: int
    column: int
    rule: str
    level: Level
    message: str

    def __str__(self) -> str:
        if self.rule == INVALID_ID:
            # Exactly what `jmap validate` prints for the same problem.
            return printable(f"{self.path}:{self.line}:{self.column}: error: {self.message}")
        where = f"{self.path}:{self.line}:{self.column}"
        return printable(f"{where}: {self.level}[{self.rule}]: {self.message}")


@dataclass(frozen=True)
class Hit:
    """What a rule reports; the runner adds the rule id and the level the project chose."""

    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class At:
    """A touchpoint with the path of its mapping in the journey file."""

    touchpoint: Touchpoint
    path: Path
    order: int  # position in the whole journey, from 0

    @property
    def name(self) -> str:
        return self.touchpoint.name


class LintContext:
    """One valid journey and what rules ask about it, worked out once."""

    def __init__(self, loaded: Loaded, settings: LintSettings) -> None:
        self.loaded = loaded
        self.settings = settings  # the stale rules read the date and the ages from it
        self.journey: Journey = loaded.journey
        paths = [
            (("stages", stage_index, "touchpoints", index), touchpoint)
            for stage_index, stage in enumerate(self.journey.stages)
            for index, touchpoint in enumerate(stage.touchpoints)
        ]
        self.touchpoints = [
            At(touchpoint, path, order) for order, (path, touchpoint) in enumerate(paths)
        ]
        self.by_id = {at.touchpoint.id: at for at in self.touchpoints}

    @cached_property
    def view(self) -> JourneyView:
        return journey_view(self.journey)

    def where(self, path: Path, *, key: bool = False) -> tuple[str, int, int]:
        return self.loaded.where(path, key=key)

    def has(self, path: Path) -> bool:
        """Whether the file itself has a value at `path` (not a default filled in by jmap)."""
        return path in self.loaded.document.values

    def shared(self, path: Path) -> bool:
        """Whether the value at `path` comes from an included file, not the journey's own."""
        return self.where(path)[0] != self.loaded.path

    def hit(self, path: Path, message: str, *, key: bool = False) -> Hit:
        return Hit(*self.where(path, key=key), message)

    def place(self, path: Path) -> str:
        """`line 12`, or `other.yaml:12` for a value that lives in another file."""
        file, line, _ = self.where(path)
        return f"line {line}" if file == self.loaded.path else f"{file}:{line}"


Check = Callable[[LintContext], Iterator[Hit]]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    level: Level  # the default; a project can change it
    summary: str  # one line, for listings and SARIF's shortDescription
    rationale: str  # why it matters, for docs/lint.md and SARIF's fullDescription
    check: Check


def _never(ctx: LintContext) -> Iterator[Hit]:
    return iter(())


# How JSON and SARIF describe INVALID_ID; `jmap validate` explains the problems themselves.
INVALID_RULE = Rule(
    INVALID_ID,
    "invalid-journey",
    "error",
    "The journey file is not valid, so it was not linted.",
    "A journey that `jmap validate` rejects cannot be rendered or linted; its problems are"
    " reported under this id so that one list holds everything to fix.",
    _never,
)
