"""Ids for imported personas, channels, stages and touchpoints, from their names.

A name whose slug is a usable id, not taken yet, needs no `id:` in the file (the slug is its
default, docs/format.md "Ids"); a name with no slug (Japanese, only emoji) or one taken by an
earlier name gets an explicit id: `<kind>-<n>` or `<slug>-<n>`, the first one free.
"""

from __future__ import annotations

from typing import Any

from jmap.slug import slugify


class Ids:
    """The ids of one kind of thing in one journey."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.taken: set[str] = set()

    def add(self, name: str) -> tuple[str, bool]:
        """A new id for `name`, and whether the file must write it (not its default slug)."""
        slug = slugify(name)
        if slug and slug not in self.taken:
            self.taken.add(slug)
            return slug, False
        stem = slug or self.kind
        number = 1 if not slug else 2
        while f"{stem}-{number}" in self.taken:
            number += 1
        ident = f"{stem}-{number}"
        self.taken.add(ident)
        return ident, True


def named(ids: Ids, name: str) -> tuple[str, dict[str, Any]]:
    """The id of a new thing called `name`, and its mapping's first keys (`id:` if needed)."""
    ident, explicit = ids.add(name)
    return ident, ({"id": ident, "name": name} if explicit else {"name": name})
