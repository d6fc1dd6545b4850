"""Problems found in user input, and the exceptions that carry them.

Every problem knows where it is (file, 1-based line and column) so the CLI can print
`path:line:column: error: message` lines that editors and CI annotations understand.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a journey file, at the place a user has to fix it.

    Line 0 is a problem with the file as a whole, where no position helps (a map that cannot
    be written): it reads `path: error: message`.
    """

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return printable(f"{where}: error: {self.message}")


def printable(text: str) -> str:
    """Text for one line of a terminal: each character that is not printable as its escape.

    Messages quote what a journey holds, and file names hold anything. A line break there
    would split a problem over two lines, and a terminal runs escape sequences: `\\x1b[2J`
    clears the screen, `\\x1b]0;...\\x07` (OSC) sets the window title or a hyperlink, and the
    C1 control `\\x9b` starts a sequence on its own. Python counts every control (C0 and C1),
    format character (the bidi overrides U+202A-U+202E and U+2066-U+2069, which reorder what
    a terminal shows, so that a name can look like another) and separator but the space as not
    printable, so each is shown as its escape and none reaches the terminal. Everything jmap
    prints that quotes a journey, a file name or an id goes through this.
    """
    text = unicode_text(text)
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


# Python holds each byte of a file name that is not UTF-8 as a lone surrogate (U+DC80-U+DCFF,
# PEP 383), which no UTF-8 output can encode.
_SURROGATE = re.compile("[\ud800-\udfff]")


def unicode_text(text: str) -> str:
    """Text any output can encode: a byte of a file name that is not UTF-8 as `\\xff`.

    For JSON and SARIF, which escape control characters themselves; `printable` uses it too.
    """
    return _SURROGATE.sub(_byte_escape, text)


def _byte_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


class JmapError(Exception):
    """Base class of every error jmap reports to a user instead of a traceback.

    The CLI catches it in one place (jmap.cli) and prints `lines()`, then exits `exit_code`.
    """

    exit_code = 1

    def lines(self) -> list[str]:
        """What a user reads, one line each: `error: message` unless a subclass knows where."""
        return [printable(f"error: {self}")]


class JourneyError(JmapError):
    """A journey file is not a valid journey; `problems` lists every reason, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


class UsageError(JmapError):
    """The command was asked for something impossible: a missing file, a bad option value.

    `path` is the file or folder it is about, when there is one: the CLI then prints
    `path: error: message`, like a problem in a file without a position.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None) -> None:
        self.message = message
        self.path = None if path is None else os.fspath(path)
        super().__init__(message if self.path is None else f"{self.path}: {message}")

    def lines(self) -> list[str]:
        where = "" if self.path is None else f"{self.path}: "
        return [printable(f"{where}error: {self.message}")]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing when none is close."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close is not None else ""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice a typo of `word` most likely meant, if any is close."""
    options = list(choices)
    by_lower = {choice.lower(): choice for choice in options}
    if word.lower() in by_lower:
        return by_lower[word.lower()]
    import difflib  # only when something is misspelt: not every run pays for it

    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def shown_value(value: object) -> str:
    """A value as the YAML that was typed: 'text', 7, true, a list, a mapping, nothing."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)
