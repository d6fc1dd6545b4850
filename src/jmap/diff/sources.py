"""Where the two versions of a journey come from: a file, or a file as a git revision has it.

A side of `jmap diff OLD NEW` is a file when one exists by that name; otherwise `REV:PATH` is
PATH in revision REV (`main:journeys/x.yaml`, `HEAD~3:x.yaml`, `:x.yaml` for the staged
version). PATH is relative to the current folder, as in `git show REV:./PATH`, or failing that
to the top of the repository, as in `git show REV:PATH`. A Windows path such as `C:\\x.yaml`
is always a file.

`jmap diff --git REV` pairs each journey changed between REV and the working tree: tracked files
only (what `git diff REV` lists), renames followed, added and deleted journeys diffed against
nothing, and journeys that include a changed file (shared personas and channels). Git runs as
a subprocess with an argument list, never through a shell.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from jmap.errors import JourneyError, Problem, UsageError, did_you_mean
from jmap.loading.datafile import DATA_SUFFIXES
from jmap.loading.discover import HEAD_BYTES, YAML_SUFFIXES, declares_jmap
from jmap.loading.includes import Tree
from jmap.loading.limits import DEFAULT_LIMITS, Limits
from jmap.loading.loader import load, loads
from jmap.loading.loader import read as read_loaded
from jmap.loading.reading import read_regular_or_none
from jmap.model import Journey

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
# As much of a file as `jmap validate` reads to tell a journey from other YAML.


@dataclass(frozen=True)
class Pair:
    """Two versions of one journey, each with the name it is shown under. A side is None when
    the journey does not exist there (added or deleted since the revision)."""

    old_label: str | None
    new_label: str | None
    old: Journey | None
    new: Journey | None


def read_pair(old: str, new: str, limits: Limits = DEFAULT_LIMITS) -> Pair:
    """Both sides of `jmap diff OLD NEW`. Raises `UsageError` for a side that cannot be read
    and `JourneyError` with the problems of both sides when either is not a valid journey."""
    problems: list[Problem] = []
    journeys: list[Journey] = []
    for spec in (old, new):
        try:
            journeys.append(read(spec, limits))
        except JourneyError as error:
            problems.extend(error.problems)
    if problems:
        raise JourneyError(problems)
    return Pair(old, new, journeys[0], journeys[1])


def is_revision(spec: str) -> bool:
    """Whether a side names a file in a git revision rather than a file on disk."""
    return ":" in spec and not _WINDOWS_DRIVE.match(spec) and not os.path.lexists(spec)


def read(spec: str, limits: Limits = DEFAULT_LIMITS) -> Journey:
    """One side: a journey file, or `REV:PATH` from git. Problems are reported under `spec`."""
    if not is_revision(spec):
        return load(spec, limits)
    revision, _, path = spec.partition(":")
    if not path:
        raise UsageError(f"name a journey file after '{revision}:'", path=spec)
    repository = Repository.here(spec)
    if revision:
        repository.verify(revision, spec)
    found = repository.locate(revision, path, spec)
    return _parse(spec, found, repository.blob(revision, found), limits, repository, revision)


def changed_since(revision: str, limits: Limits = DEFAULT_LIMITS) -> list[Pair | JourneyError]:
    """Every journey that differs between `revision` and the working tree, in path order: a
    pair to compare, or the problems of a version that is not a valid journey."""
    repository = Repository.here(f"--git {revision}")
    repository.verify(revision, f"--git {revision}")
    results: list[Pair | JourneyError] = []
    changed = repository.changed(revision)
    for old_path, new_path in sorted(
        [*changed, *_including(repository, changed, limits)],
        key=lambda pair: pair[1] or pair[0] or "",
    ):
        old_raw = repository.blob(revision, old_path) if old_path else None
        new_file = repository.top / new_path if new_path else None
        if not _is_journey(old_path or new_path or "", old_raw, new_file):
            continue
        old_label = f"{revision}:{old_path}" if old_path else None
        new_label = _shown(new_file) if new_file else None
        problems: list[Problem] = []
        old_journey = new_journey = None
        try:
            if old_path and old_label and old_raw is not None:
                old_journey = _parse(old_label, old_path, old_raw, limits, repository, revision)
        except JourneyError as error:
            problems.extend(error.problems)
        try:
            if new_label:
                new_journey = load(new_label, limits)
        except JourneyError as error:
            problems.extend(error.problems)
        if problems:
            results.append(JourneyError(problems))
        else:
            results.append(Pair(old_label, new_label, old_journey, new_journey))
    return results


def _including(
    repository: Repository, changed: list[tuple[str | None, str | None]], limits: Limits
) -> list[tuple[str | None, str | None]]:
    """Journeys that did not change themselves but include a file that did (shared personas
    and channels, or a data file their numbers come from), as (path, path) pairs: their maps
    change all the same."""
    read = YAML_SUFFIXES + DATA_SUFFIXES
    touched = {path for pair in changed for path in pair if path and path.endswith(read)}
    if not touched:
        return []
    top = repository.top.resolve()
    found: list[tuple[str | None, str | None]] = []
    for path in repository.tracked(YAML_SUFFIXES):
        file = repository.top / path
        if path in touched or not _is_journey(path, None, file):
            continue
        try:
            included = read_loaded(file, limits).includes
        except (JourneyError, UsageError):
            continue  # not valid now: it did not change, so it was not valid before either
        if any(_inside_as(top, item.name) in touched for item in included):
            found.append((path, path))
    return found


def _inside_as(top: Path, name: str) -> str | None:
    """A file's path from the top of the repository, as git writes it."""
    try:
        return Path(name).resolve().relative_to(top).as_posix()
    except ValueError:
        return None


def _is_journey(path: str, old: bytes | None, new: Path | None) -> bool:
    """A YAML file that declares `jmap:` at the top level in either version."""
    if not path.endswith(YAML_SUFFIXES):
        return False
    if old is not None and declares_jmap(old[:HEAD_BYTES]):
        return True
    if new is None:
        return False
    head = read_regular_or_none(new, HEAD_BYTES)  # a FIFO in the work tree never blocks
    return head is not None and declares_jmap(head)


def _shown(path: Path) -> str:
    """A working-tree file as a path from the current folder, the way a user would type it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _parse(
    label: str, path: str, raw: bytes, limits: Limits, repository: Repository, revision: str
) -> Journey:
    """A journey from a git blob. The file's own name gives the journey its default id, as it
    does for the working-tree file; problems are reported under the label the user gave.
    The files it includes come from the same revision, named `REV:PATH` in messages."""
    if len(raw) > limits.max_file_bytes:
        # The loader says the same for a file; a blob is only ever read whole.
        message = (
            f"the file is {len(raw):,} bytes; the limit is {limits.max_file_bytes:,}"
            "; split the journey into smaller files"
        )
        raise JourneyError([Problem(label, 1, 1, message)])
    name = posixpath.basename(path)
    files = Tree(
        path,
        lambda included: repository.blob_if_any(revision, included),
        lambda included: f"{revision}:{included}",
    )
    try:
        return loads(raw, name, limits, files=files)
    except JourneyError as error:
        raise JourneyError(
            [
                Problem(label, p.line, p.column, p.message) if p.path == name else p
                for p in error.problems
            ]
        ) from None


@dataclass(frozen=True)
class Repository:
    """The git repository around the current folder."""

    top: Path
    prefix: str  # the current folder, relative to `top`, as git writes it ("" or "sub/dir/")

    @classmethod
    def here(cls, what: str) -> Repository:
        result = run_git(["rev-parse", "--show-toplevel", "--show-prefix"], None)
        if result.returncode != 0:
            raise UsageError("no such file, and not in a git repository", path=what)
        lines = result.stdout.decode("utf-8", "surrogateescape").split("\n")
        return cls(Path(lines[0]), lines[1] if len(lines) > 1 else "")

    def run(self, arguments: list[str]) -> subprocess.CompletedProcess[bytes]:
        return run_git(arguments, self.top)

    def verify(self, revision: str, what: str) -> None:
        # A revision that starts with '-' would be read as an option.
        if revision.startswith("-") or (
            self.run(["rev-parse", "--verify", "--quiet", f"{revision}^{{tree}}"]).returncode
        ):
            raise UsageError(f"unknown revision '{revision}'", path=what)

    def locate(self, revision: str, path: str, what: str) -> str:
        """The path from the top of the repository of a file in `revision`."""
        candidates = _candidates(self.top, self.prefix, path)
        for candidate in candidates:
            kind = self.run(["cat-file", "-t", f"{revision}:{candidate}"])
            if kind.returncode != 0:
                continue
            if kind.stdout.strip() != b"blob":
                raise UsageError(f"'{candidate}' is a folder in {_where(revision)}", path=what)
            return candidate
        if not candidates:
            raise UsageError(f"'{path}' is outside the repository", path=what)
        hint = did_you_mean(candidates[0], self._journey_paths(revision))
        raise UsageError(f"no file '{candidates[0]}' in {_where(revision)}{hint}", path=what)

    def blob(self, revision: str, path: str) -> bytes:
        found = self.blob_if_any(revision, path)
        if found is None:
            raise UsageError("cannot read it from git", path=f"{revision}:{path}")
        return found

    def blob_if_any(self, revision: str, path: str) -> bytes | None:
        result = self.run(["cat-file", "blob", f"{revision}:{path}"])
        return result.stdout if result.returncode == 0 else None

    def changed(self, revision: str) -> list[tuple[str | None, str | None]]:
        """(old path, new path) of each file that differs between `revision` and the working
        tree; None where the file is not on that side. A rename is one pair."""
        result = self.run(["diff", "--name-status", "-z", "-M", "--no-ext-diff", revision, "--"])
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip()
            raise UsageError(f"--git {revision}: git diff failed: {message}")
        fields = result.stdout.decode("utf-8", "surrogateescape").split("\0")
        pairs: list[tuple[str | None, str | None]] = []
        index = 0
        while index < len(fields) and fields[index]:
            status = fields[index][0]
            if status in "RC":
                old, new = fields[index + 1], fields[index + 2]
                pairs.append((old if status == "R" else None, new))
                index += 3
                continue
            path = fields[index + 1]
            pairs.append((None if status == "A" else path, None if status == "D" else path))
            index += 2
        return pairs

    def tracked(self, suffixes: tuple[str, ...]) -> list[str]:
        """The working tree's tracked files with these suffixes, from the top."""
        listed = self.run(["ls-files", "-z", "--full-name", "--", *(f"*{s}" for s in suffixes)])
        names = listed.stdout.decode("utf-8", "surrogateescape").split("\0")
        return sorted(name for name in names if name.endswith(suffixes))

    def _journey_paths(self, revision: str) -> list[str]:
        listed = self.run(["ls-tree", "-r", "-z", "--name-only", revision or "HEAD"])
        names = listed.stdout.decode("utf-8", "surrogateescape").split("\0")
        return [name for name in names if name.endswith(YAML_SUFFIXES)]


def _where(revision: str) -> str:
    return f"'{revision}'" if revision else "the index (staged files)"


def _candidates(top: Path, prefix: str, path: str) -> list[str]:
    """Where `path` may be in the repository: from the current folder, then from the top.
    Paths that would leave the repository are dropped."""
    path = path.replace("\\", "/")
    if posixpath.isabs(path) or _WINDOWS_DRIVE.match(path):
        try:
            path = Path(os.path.relpath(Path(path).resolve(), top.resolve())).as_posix()
        except ValueError:  # another drive on Windows
            return []
        tries = [path]
    else:
        tries = [posixpath.join(prefix, path), path] if prefix else [path]
    found = []
    for candidate in tries:
        normal = posixpath.normpath(candidate)
        if normal != ".." and not normal.startswith("../") and normal not in found:
            found.append(normal)
    return found


def git_environment() -> dict[str, str]:
    # Messages in a known language; no pager, no prompt for credentials.
    return {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}


def run_git(arguments: list[str], cwd: Path | None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *arguments],
            cwd=cwd,
            capture_output=True,
            check=False,
            env=git_environment(),
        )
    except FileNotFoundError:
        raise UsageError(
            "git is not installed (or not on PATH); it is needed to read REV:PATH"
        ) from None
    except OSError as error:
        raise UsageError(f"cannot run git: {error.strerror}") from None
