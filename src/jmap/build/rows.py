"""Each journey's portfolio row, kept beside the manifest in `.jmap-portfolio.json`.

The portfolio pages are made from every journey's `PortfolioRow`, which only a journey's
render works out. So a build keeps the rows, each with the key of the render it came from
(`jmap.build.manifest.journey_key`), and a build that renders one journey of a thousand makes
the pages without reading the other 999 again.

They are kept in a file of their own, not in the manifest, because they are most of what a
build keeps (some 7 KB of a journey's 7.5) and only a build that makes the portfolio pages again
needs them: every build reads the manifest, and a no-op build of 1,000 journeys spent half its
time reading and checking the rows (0.9 s against 0.45 s). Measured on the 1,000 journeys of
bench/, checking the whole file in one pydantic `validate_json` pass takes 0.3 s of CPU, against
0.5 s for `json.loads` and then one pass per row; pydantic's `dump_json` writes it in 0.03 s.

The rows of 1,000 journeys are some 100,000 objects, none of them in a cycle, that live until
the pages are made. Python's garbage collector went through all of them again and again, as
they were read, as the edited journeys were rendered and as the pages were made: 0.55 s of the
1.45 s of a build after editing one journey of 1,000 (1.1 s without). So it waits while the
rows are read and the pages made (`collector_paused`), and leaves what was made before, the
rows among it, alone until the build ends (`rows_spared`).

The file is input like the manifest: read with a bound on its size, it must have exactly the
shape jmap writes (every row checked against its types by pydantic, in strict mode), and is
ignored whole when anything in it is off. Nothing in it names a file: it only ever reaches the
portfolio pages, through their templates' escaping. A row is used only for a journey the
manifest says is current, made by the same render (same key and id); any other journey is
rendered again (see `jmap.build.plan`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError

from jmap import __version__
from jmap.build.manifest import Untrusted, bounded_bytes, shown_name
from jmap.build.write import write_all_atomic
from jmap.loading.reading import read_regular_or_none

if TYPE_CHECKING:
    from jmap.render.portfolio import PortfolioRow

ROWS_NAME = ".jmap-portfolio.json"
# 2: rows hold each journey's KPIs and the dates that say whether it has gone stale.
_FORMAT_VERSION: Literal[2] = 2
# About 7 KB per journey of 20 touchpoints and as many pain points (bench/): 64 MB is some
# 9,000 such journeys, and reading no more keeps a planted file of gigabytes from filling the
# memory.
MAX_ROWS_BYTES = 64 * 1024 * 1024

_STRICT = ConfigDict(strict=True, extra="forbid")


@dataclass(frozen=True)
class _Kept:
    __pydantic_config__ = _STRICT

    key: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    row: PortfolioRow


@dataclass(frozen=True)
class _Document:
    __pydantic_config__ = _STRICT

    portfolio: Literal[2]
    jmap: str
    rows: dict[str, _Kept]  # journey, named as in the manifest -> its row


@functools.cache
def _document() -> TypeAdapter[_Document]:
    # Made on first use: building its validator takes 4 ms, which a build of one journey,
    # or a no-op build, that reads and writes no rows need not spend. So is the import of the
    # row's module (some 5% of a build of one journey); pydantic finds the name here.
    from jmap.render.portfolio import PortfolioRow  # noqa: F401

    return TypeAdapter(_Document)


@dataclass
class Rows:
    """The rows kept in `folder`: each journey's (by its name in the manifest) row, with the
    key of the render it came from."""

    folder: Path
    kept: dict[str, _Kept] = field(default_factory=dict)
    # Why the file in the folder was not used; None when it was, or there was none.
    ignored: str | None = None
    changed: bool = False  # since it was read: to be written

    @property
    def path(self) -> Path:
        return self.folder / ROWS_NAME

    @classmethod
    def read(cls, folder: Path) -> Rows:
        """The rows kept in `folder`; none when there is no file, or when it cannot be
        trusted (then `ignored` says why)."""
        try:
            data = bounded_bytes(folder / ROWS_NAME, MAX_ROWS_BYTES)
        except Untrusted as reason:
            return cls(folder, ignored=str(reason))
        if data is None:
            return cls(folder)
        try:
            with collector_paused():
                document = _document().validate_json(data)
        except ValidationError as error:
            return cls(folder, ignored=_why(error))
        return cls(folder, document.rows)

    def row(self, name: str, key: str, journey_id: str) -> PortfolioRow | None:
        """The row of the journey `name`, if it came from the render of this key and id."""
        kept = self.kept.get(name)
        if kept is None or kept.key != key or kept.row.id != journey_id:
            return None
        return kept.row

    def keep(self, name: str, key: str, row: PortfolioRow) -> None:
        self.kept[name] = _Kept(key, row)
        self.changed = True

    def keep_only(self, current: dict[str, str]) -> None:
        """Forget the rows of journeys that are not among `current` (name -> key)."""
        stale = [name for name, kept in self.kept.items() if current.get(name) != kept.key]
        for name in stale:
            del self.kept[name]
        self.changed = self.changed or bool(stale)

    def write(self) -> None:
        """Write the rows (`WriteError` when they cannot be), if they changed."""
        if not self.changed:
            return
        document = _Document(_FORMAT_VERSION, __version__, dict(sorted(self.kept.items())))
        data = _document().dump_json(document) + b"\n"
        if read_regular_or_none(self.path, len(data) + 1, follow=False) != data:
            write_all_atomic([(self.path, data)])
        self.changed = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection in this block: for work that makes many objects, none in a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def rows_spared() -> Iterator[None]:
    """Leave every object made so far, the rows among them, out of garbage collection until
    the block ends (`gc.freeze`): objects made in the block are collected as always."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def remove_rows(folder: Path) -> None:
    """Remove the rows kept in `folder`, when no portfolio pages are made there any more.

    Only a regular file by that name: the name is jmap's, like the manifest's.
    """
    path = folder / ROWS_NAME
    try:
        if stat.S_ISREG(path.lstat().st_mode):
            path.unlink()
    except OSError:
        pass  # none there; or kept, and the next build that makes no pages tries again


def _why(error: ValidationError) -> str:
    first = error.errors()[0]
    if first["type"] == "json_invalid":  # what the parser says: bad UTF-8, nested too deeply...
        return f"not valid JSON: {first.get('ctx', {}).get('error', first['msg'])}"
    place = ".".join(str(part) for part in first["loc"]) or "it"
    return f"not the portfolio rows jmap writes ({shown_name(place)}: {first['msg']})"
