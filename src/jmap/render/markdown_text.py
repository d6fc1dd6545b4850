"""Text as Markdown: how every Markdown output writes what a user wrote, and file names.

Markdown has no autoescaping, so every user-written text goes through `md`, which escapes
what Markdown, GitHub and GitLab would otherwise read as markup: a persona called
`*bold* | <img src=x>` shows as those characters, a `|` never splits a table cell, and
`www.example.com` is not made a link (links are jmap's to make, never a text's). `code` is the
one other way text reaches Markdown, for file names. The Markdown map (jmap.render.markdown),
the portfolio's index.md and `jmap diff --format md` use these and no other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jmap.errors import printable

# Backslash-escaped wherever they appear. Beyond CommonMark's own markup: `|` splits GFM table
# cells, `~` strikes through, `$` starts math on GitHub, `{` `}` mark GitLab's inline diffs.
_BACKSLASHED = frozenset("\\`*_[]<>|~#${}")
# An `&` that would start a character reference (`&lt;`, `&#60;`) is written as `&amp;`.
_REFERENCE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What starts a list item or a thematic break (`---`) when it opens a line or a list item.
_BLOCK_START = re.compile(r"^(?:[-+](?=[-\s]|$)|\d{1,9}[.)](?=\s|$))")
# Several items in one table cell: Markdown has no lists inside cells.
BREAK = "<br>"
# What GFM makes a link of in plain text (its autolink extension): `www.`, a scheme with `://`
# and an email address. A backslash before the `.` or the first `/` keeps it text, as GitHub's
# parser looks for them in the text as written. An address it finds after the text is parsed,
# where an escape is gone: an empty HTML comment, which shows nothing, keeps the `@` apart.
_AUTOLINKS = re.compile(r"(?i:(?<=www)\.)|(?<=:)/(?=/)|@")
_AUTOLINKBREAKS = {".": "\\.", "/": "\\/", "@": "@<!-- -->"}


def md(text: str | None) -> str:
    """User-written text as Markdown that shows exactly that text, on one line.

    Line breaks become `<br>`, so the result is safe in a table cell, a heading or a list item.
    """
    if text is None:
        return ""
    lines = []
    for line in text.strip().splitlines():
        line = _REFERENCE.sub("&amp;", line.strip())
        line = "".join(f"\\{char}" if char in _BACKSLASHED else char for char in line)
        lines.append(_AUTOLINKS.sub(lambda found: _AUTOLINKBREAKS[found.group()], line))
    return _BLOCK_START.sub(_escape_block_start, BREAK.join(lines))


def md_all(texts: Iterable[str]) -> list[str]:
    """`md` of each text: templates cannot map a function that is not a Jinja filter."""
    return [md(text) for text in texts]


def _escape_block_start(match: re.Match[str]) -> str:
    # The last character is the one that makes the block: `-`, `+`, or `.` or `)` after a number.
    start = match.group()
    return f"{start[:-1]}\\{start[-1]}"


def code(text: str) -> str:
    """Text, such as a file name, as an inline code span: shown exactly, in a fixed font.

    Nothing inside a code span is markup, but a line break inside can end the paragraph, and
    the span with it, so the text is made `printable` (one line, no controls) first; the fence
    is longer than any run of backticks inside.
    """
    text = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") else text
    return f"{fence}{padded}{fence}"


def fenced(code: str, info: str) -> str:
    """A fenced code block, its fence longer than any run of backticks inside."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{code}\n{fence}"


def tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines, one final newline: the same bytes whatever
    a template's whitespace control does."""
    lines = [line.rstrip() for line in text.splitlines()]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidy.strip("\n") + "\n"
