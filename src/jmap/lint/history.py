"""A journey file's git history, for JM017 (fix-not-shown): how the map looked before an
opportunity was done.

One `git log` lists the revisions that changed the file, newest first, with the file's blob in
each; one `git cat-file --batch` then reads only the blobs needed, newest first, until every
opportunity asked about is found not yet done (or the history cannot say). Both run only for a
journey with a done opportunity. Outside git, or without git, nothing is found and the rule
does not fire. Git runs as jmap.diff.sources runs it: an argument list, never a shell.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jmap.diff.sources import git_environment, run_git
from jmap.errors import JmapError
from jmap.loading.includes import Tree
from jmap.loading.loader import Loaded, loads
from jmap.model import Emotion, Journey, Opportunity


@dataclass(frozen=True)
class Before:
    """The newest revision where an opportunity was there and not done yet."""

    revision: str  # abbreviated commit id, as `git log` shows it
    emotions: dict[str, Emotion | None]  # touchpoint id -> its emotion in that revision


def opportunity_key(touchpoint_id: str, opportunity: Opportunity) -> str:
    """What finds an opportunity in another version: its id, else its text on its touchpoint."""
    return opportunity.id or f"{touchpoint_id}\0{opportunity.text}"


def before_done(loaded: Loaded, wanted: dict[str, list[str]]) -> dict[str, Before]:
    """For each opportunity key in `wanted` (-> the touchpoints whose emotions to keep), the
    newest committed version of the file where it was not done; absent where none says."""
    file = Path(loaded.path)
    try:
        revisions = list(_revisions(file))
    except JmapError:  # git is not installed
        return {}
    found: dict[str, Before] = {}
    open_keys = set(wanted)
    if not revisions:
        return found
    with _Blobs(file.parent) as blobs:
        for commit, blob, path in revisions:
            raw = blobs.read(blob)
            journey = _journey(raw, path, commit, blobs) if raw is not None else None
            if journey is None:
                break  # a version jmap cannot read: what came before it cannot say
            opportunities = _opportunities(journey)
            emotions = {tp.id: tp.emotion for tp in journey.touchpoints()}
            for key in sorted(open_keys):
                opportunity = opportunities.get(key)
                if opportunity is None:
                    open_keys.discard(key)  # it was written done, or named otherwise
                elif opportunity.status != "done":
                    kept = {tp: emotions.get(tp) for tp in wanted[key]}
                    found[key] = Before(commit, kept)
                    open_keys.discard(key)
            if not open_keys:
                break
    return found


def _opportunities(journey: Journey) -> dict[str, Opportunity]:
    return {
        opportunity_key(touchpoint.id, opportunity): opportunity
        for touchpoint in journey.touchpoints()
        for opportunity in touchpoint.opportunities
    }


def _revisions(file: Path) -> Iterator[tuple[str, str, str]]:
    """(commit, blob, path from the top) of each commit that changed the file, newest first."""
    result = run_git(
        ["log", "--follow", "--format=%x00%h", "--raw", "--", file.name],
        file.parent,
    )
    if result.returncode != 0:
        return  # not in a repository, or not tracked
    commit = None
    for line in result.stdout.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith("\0"):
            commit = line[1:]
        elif line.startswith(":") and commit is not None:
            # :old-mode new-mode old-blob new-blob status<TAB>path (<TAB>new path, renamed)
            fields, _, paths = line.partition("\t")
            blob, status = fields.split()[3].rstrip("."), fields.split()[4]
            if status.startswith("D"):
                continue
            yield commit, blob, paths.split("\t")[-1]


def _journey(raw: bytes, path: str, commit: str, blobs: _Blobs) -> Journey | None:
    files = Tree(path, lambda name: blobs.read(f"{commit}:{name}"), lambda n: f"{commit}:{n}")
    try:
        return loads(raw, PurePosixPath(path).name, files=files)
    except JmapError:
        return None


class _Blobs:
    """`git cat-file --batch`: objects by name, read one after another from one process."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _Blobs:
        try:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self._folder,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=git_environment(),
            )
        except OSError:
            self._process = None
        return self

    def __exit__(self, *exc: object) -> None:
        process = self._process
        if process is not None:
            assert process.stdin is not None
            assert process.stdout is not None
            process.stdin.close()
            process.stdout.close()
            process.wait()

    def read(self, name: str) -> bytes | None:
        process = self._process
        if process is None or "\n" in name:
            return None
        assert process.stdin is not None
        assert process.stdout is not None
        process.stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        process.stdin.flush()
        header = process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            return None  # `<name> missing`, or not a file
        data = process.stdout.read(int(header[2]) + 1)
        return data[:-1]
