"""A YAML document as jmap reads it: plain data, and the position of every key and value.

The types the rest of loading shares, with no YAML parser behind them: the model reads
`as_written` from here without importing the reader (jmap.loading.yaml_reader).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from yaml.nodes import Node

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based
    # The file the value was written in, when it is not the journey file itself: a journey's
    # shared personas and channels come from the files it includes.
    file: str | None = None


@dataclass
class Document:
    """Parsed data plus the position of each value (`values`) and mapping key (`keys`)."""

    data: Any
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    # The comments that end a plain text value on its line (see `Comment`), by the value's path.
    comments: dict[Path, Comment] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """How many values and keys the data holds, counting aliases as the copies they are."""
        return len(self.values) + len(self.keys)


@dataclass(frozen=True)
class Comment:
    """A ` #` comment on the line where a plain (unquoted) text value ends.

    YAML ends the value at the ` #`, so what follows is not part of the text: `name: Calls
    line #2` is the name "Calls line". Whether that cut words a user meant to keep depends on
    the field (jmap.loading.comments).
    """

    line: int  # of the '#', 1-based
    column: int
    text: str  # from the '#' to the end of the line
    gap: int  # the spaces and tabs between the value and the '#'


class SourceError(Exception):
    """The text is not YAML jmap can read; carries a 1-based position."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class _WrittenInt(int):
    """An integer that remembers how it was written: `08`, `0x1F`, `+3`."""

    written: str


class _WrittenFloat(float):
    """A float that remembers how it was written: `1.10`, `1E2`, `.inf`."""

    written: str


def as_written(value: Any) -> Any:
    """A number read from YAML -> the text it was written as; any other value as it is.

    Text fields take numbers this way, so that `title: 1.10` is "1.10", not "1.1", and `08`
    is "08". Everywhere else the number is an ordinary int or float.
    """
    return value.written if isinstance(value, _WrittenInt | _WrittenFloat) else value


def written_number(number: int | float, text: str) -> int | float:
    kept = _WrittenInt(number) if isinstance(number, int) else _WrittenFloat(number)
    kept.written = text
    return kept


class Mark(Protocol):
    # Where pyyaml or libyaml says an event or error is. `index` counts characters of the text
    # for both (libyaml would not count a leading byte-order mark: `parse` removes it first).
    index: int


# Line breaks as YAML 1.2 and every editor count them. pyyaml and libyaml also break lines at
# U+0085, U+2028 and U+2029 (YAML 1.1), so their own line numbers run ahead after one of
# those in quoted text; positions are worked out from the character index instead.
_LINE_BREAK = re.compile(r"\r\n?|\n")


class Lines:
    """Line and column of a character index into one text."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(found.end() for found in _LINE_BREAK.finditer(text))]

    def of_index(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1

    def at(self, mark: Mark) -> tuple[int, int]:
        return self.of_index(mark.index)

    def of(self, node: Node) -> tuple[int, int]:
        return self.at(node.start_mark)
