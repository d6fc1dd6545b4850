"""Ids: the slug of a name, and the pattern every id must match."""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """'Sam, weekend runner' -> 'sam-weekend-runner'; accents are folded, other scripts dropped.

    May return '' (a name in Japanese, or only emoji): the caller asks for an explicit id.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALLOWED.sub("-", folded.lower()).strip("-")


def is_id(text: str) -> bool:
    return re.fullmatch(ID_PATTERN[1:-1], text) is not None
