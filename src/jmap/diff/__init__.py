"""`jmap diff`: what changed in a journey between two versions, for review.

    sources   both versions: files, or files in a git revision
    compare   the two journeys -> a `JourneyDiff` (the tree in `changes`)
    sections  the changes in words, shared by the text, Markdown and HTML formats
    text, markdown, json, html   one renderer per format: `render(diffs) -> str`, no I/O

`FORMATS` maps a format name to its renderer (the shape is jmap.formats'), imported only when
that format is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from jmap.formats import Format, registry
from jmap.loading.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from jmap.diff.changes import JourneyDiff
    from jmap.errors import JourneyError


class DiffRenderer(Protocol):
    def __call__(self, diffs: Sequence[JourneyDiff], *, colour: bool = False) -> str: ...


FORMATS: dict[str, Format[DiffRenderer]] = registry(
    Format("text", "txt", "coloured on a terminal", "jmap.diff.text:render"),
    Format("md", "md", "a pull-request comment", "jmap.diff.markdown:render"),
    Format("json", "json", "for tools", "jmap.diff.json:render"),
    Format("html", "html", "the new map with the changes highlighted", "jmap.diff.html:render"),
)


def render(format_name: str, diffs: Sequence[JourneyDiff], *, colour: bool = False) -> str:
    """The diffs in one format; `colour` adds ANSI colour to the text format."""
    return FORMATS[format_name].load()(diffs, colour=colour)


def diff(old: str, new: str, limits: Limits = DEFAULT_LIMITS) -> JourneyDiff:
    """What changed from OLD to NEW, each a journey file or `REV:PATH` in git.

    Raises `UsageError` when a side cannot be read and `JourneyError` (with the problems of
    both sides) when either is not a valid journey.
    """
    from jmap.diff.compare import compare
    from jmap.diff.sources import read_pair

    pair = read_pair(old, new, limits)
    return compare(pair.old, pair.new, pair.old_label, pair.new_label)


def diff_since(revision: str, limits: Limits = DEFAULT_LIMITS) -> list[JourneyDiff | JourneyError]:
    """Every journey changed between `revision` and the working tree of the current git
    repository, in path order: its diff, or the problems of a version that is not valid."""
    from jmap.diff.compare import compare
    from jmap.diff.sources import changed_since

    return [
        compare(pair.old, pair.new, pair.old_label, pair.new_label)
        if not isinstance(pair, Exception)
        else pair
        for pair in changed_since(revision, limits)
    ]
