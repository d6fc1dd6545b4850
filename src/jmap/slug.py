"""Ids: the slug of a name, the pattern every id must match, and how long a journey's may be."""

from __future__ import annotations

import re
import unicodedata

from jmap.render import FORMATS

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

# A journey's id names its map files, and most file systems allow 255 bytes in a name: UTF-8
# bytes on Linux; 255 UTF-16 units on macOS and Windows, which a name of 255 UTF-8 bytes never
# exceeds. The longest name a build writes is `<id>.<extension>` for the longest extension of
# any format; jmap.build.write keeps its temporary files' names shorter than that.
FILE_NAME_BYTES = 255
_LONGEST_EXTENSION = max(len(output.extension) for output in FORMATS.values())
MAX_ID_BYTES = FILE_NAME_BYTES - (1 + _LONGEST_EXTENSION)

_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """'Sam, weekend runner' -> 'sam-weekend-runner'; accents are folded, other scripts dropped.

    May return '' (a name in Japanese, or only emoji): the caller asks for an explicit id.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALLOWED.sub("-", folded.lower()).strip("-")


def is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN[1:-1], text) is not None


def id_bytes(ident: str) -> int:
    """How long an id is as part of a file name (see MAX_ID_BYTES)."""
    return len(ident.encode("utf-8", "surrogatepass"))
